"""Suggested provisions: the pure scoring function, and the ranking of an LA's published provisions with reasons."""

import datetime
from decimal import Decimal

import pytest

from aphub.directory.models import Provision
from aphub.organisations.models import Provider
from aphub.placements.suggestions import (
    WEIGHT_DELIVERY,
    WEIGHT_KEY_STAGE,
    WEIGHT_NEEDS,
    WEIGHT_TIER,
    Cost,
    ProvisionFacts,
    ReferralWants,
    score_provision,
    suggest_provisions,
    wants_of,
)
from tests.factories import (
    CostOptionFactory,
    LocalAuthorityFactory,
    PlacementFactory,
    ProviderFactory,
    ProvisionFactory,
    PupilFactory,
)

LABELS = {
    "tier-2": "Tier 2: time-limited placement",
    "ks3": "Key stage 3 (ages 11 to 14)",
    "semh": "SEMH",
    "autism": "Autism",
    "on-site": "On site",
    "online": "Online",
}
WANTS = ReferralWants(
    tier="tier-2",
    key_stage="ks3",
    age=13,
    needs=frozenset({"semh", "autism"}),
    delivery_modes=frozenset({"on-site"}),
    home_known=True,
    labels=LABELS,
)


def facts(**overrides) -> ProvisionFacts:
    values = {
        "term_codes": frozenset({"tier-2", "ks3", "semh", "autism", "on-site"}),
        "places": 10,
        "vacancies": 3,
        "miles": 0.0,
        "cheapest": Cost("Full day", Decimal("100.00"), "day", "per day"),
        "registration_status": Provider.RegistrationStatus.REGISTERED_SCHOOL,
        "ofsted_outcome": Provider.OfstedOutcome.GOOD,
    }
    values.update(overrides)
    return ProvisionFacts(**values)


# --- The pure function -----------------------------------------------------------------------------------------


def test_a_full_match_scores_every_part_and_says_why():
    score = score_provision(facts(), WANTS, lowest_annual_cost=Decimal("19000.00"))
    assert score.points == 30 + 20 + 25 + 10 + 10 + 10 + 5 + 5 + 4
    assert score.reasons == [
        "It offers the tier requested (Tier 2: time-limited placement).",
        "It takes pupils in Key stage 3 (ages 11 to 14); the pupil is 13 today.",
        "It supports every need in the referral: Autism and SEMH.",
        "It offers the preferred delivery: On site.",
        "It is 0.0 miles from the pupil's home.",
        "It has 3 of 10 places free.",
        "Its cheapest option is Full day, £100.00 per day (about £19,000.00 for a school year).",
        "The provider is a registered school; Ofsted judged it good.",
    ]
    assert score.notes == []


def test_each_missing_match_costs_its_weight_and_is_said():
    full = score_provision(facts(), WANTS, lowest_annual_cost=None).points
    no_tier = score_provision(
        facts(term_codes=frozenset({"ks3", "semh", "autism", "on-site"})), WANTS, lowest_annual_cost=None
    )
    assert full - no_tier.points == WEIGHT_TIER
    assert "It does not offer the tier requested (Tier 2: time-limited placement)." in no_tier.reasons
    no_stage = score_provision(
        facts(term_codes=frozenset({"tier-2", "semh", "autism", "on-site"})), WANTS, lowest_annual_cost=None
    )
    assert full - no_stage.points == WEIGHT_KEY_STAGE
    half_needs = score_provision(
        facts(term_codes=frozenset({"tier-2", "ks3", "semh", "on-site"})), WANTS, lowest_annual_cost=None
    )
    assert full - half_needs.points == WEIGHT_NEEDS / 2
    assert "It supports 1 of the 2 needs in the referral: SEMH." in half_needs.reasons
    no_mode = score_provision(
        facts(term_codes=frozenset({"tier-2", "ks3", "semh", "autism", "online"})), WANTS, lowest_annual_cost=None
    )
    assert full - no_mode.points == WEIGHT_DELIVERY
    assert "It offers none of the preferred delivery (On site)." in no_mode.reasons


def test_distance_counts_less_the_further_away_and_an_unknown_home_is_said():
    near = score_provision(facts(miles=2.0), WANTS, lowest_annual_cost=None)
    far = score_provision(facts(miles=15.0), WANTS, lowest_annual_cost=None)
    beyond = score_provision(facts(miles=40.0), WANTS, lowest_annual_cost=None)
    assert near.points > far.points > beyond.points
    unknown = ReferralWants(**{**WANTS.__dict__, "home_known": False})
    scored = score_provision(facts(miles=None), unknown, lowest_annual_cost=None)
    assert "The distance is not known: the pupil's home postcode is missing or not recognised." in scored.reasons
    assert scored.points == beyond.points


def test_a_full_provision_loses_the_vacancy_points_and_says_so():
    full = score_provision(facts(vacancies=0), WANTS, lowest_annual_cost=None)
    assert score_provision(facts(), WANTS, lowest_annual_cost=None).points - full.points == 10
    assert "It has no places free (all 10 taken); the pupil may join its waiting list." in full.reasons


def test_the_cheapest_in_the_la_gets_the_cost_points_a_dearer_one_a_share():
    cheap = score_provision(facts(), WANTS, lowest_annual_cost=Decimal("19000.00"))
    twice = score_provision(
        facts(cheapest=Cost("Full day", Decimal("200.00"), "day", "per day")),
        WANTS,
        lowest_annual_cost=Decimal("19000.00"),
    )
    assert cheap.points - twice.points == 2.5
    no_costs = score_provision(facts(cheapest=None), WANTS, lowest_annual_cost=Decimal("19000.00"))
    assert "It publishes no costs." in no_costs.reasons


def test_an_inadequate_provider_is_ranked_down_and_gets_a_note():
    inadequate = score_provision(
        facts(ofsted_outcome=Provider.OfstedOutcome.INADEQUATE), WANTS, lowest_annual_cost=None
    )
    good = score_provision(facts(), WANTS, lowest_annual_cost=None)
    assert inadequate.ranked_down and not good.ranked_down
    assert good.points - inadequate.points == 4  # the Ofsted points of "good"
    assert "Ofsted judged this provider inadequate, so it is ranked below the others. Check before placing." in (
        inadequate.notes
    )
    assert "The provider is a registered school; Ofsted judged it inadequate." in inadequate.reasons


def test_an_unregistered_provider_gets_a_note_about_the_registration_threshold():
    scored = score_provision(
        facts(registration_status=Provider.RegistrationStatus.UNREGISTERED, ofsted_outcome="not-applicable"),
        WANTS,
        lowest_annual_cost=None,
    )
    assert "The provider is unregistered and has no Ofsted judgement." in scored.reasons
    assert any("must stay below the hours and pupil numbers" in note for note in scored.notes)


# --- Ranking from the database ---------------------------------------------------------------------------------


@pytest.fixture
def referral(submitted):
    submitted.needs.set(submitted.needs.model.objects.filter(code__in=["semh", "autism"]))
    submitted.preferred_delivery_modes.set(submitted.needs.model.objects.filter(code="on-site"))
    return submitted


def _provision(la, name, codes, *, places=10, postcode_point=(52.4130, -1.7780), ofsted="good", **kwargs):
    provider = ProviderFactory(
        local_authority=la,
        registration_status=Provider.RegistrationStatus.REGISTERED_SCHOOL,
        ofsted_outcome=ofsted,
    )
    return ProvisionFactory(
        provider=provider,
        local_authority=la,
        name=name,
        term_codes=codes,
        places=places,
        latitude=postcode_point[0] if postcode_point else None,
        longitude=postcode_point[1] if postcode_point else None,
        **kwargs,
    )


FULL_FIT = ["tier-2", "ks3", "semh", "autism", "on-site"]


def test_a_year_9_pupil_who_has_turned_14_is_matched_to_key_stage_3(referral):
    # Born 16 November 2012: 13 on 31 August 2026, so in Year 9 (key stage 3) all of 2026/27; 14 from today.
    referral.pupil.date_of_birth = datetime.date(2012, 11, 16)
    referral.pupil.save()

    wants, _home = wants_of(referral)

    assert wants.age == 14
    assert wants.key_stage == "ks3"


def test_suggestions_rank_the_las_published_provisions_by_fit(la, referral):
    best = _provision(la, "Best Fit Centre", FULL_FIT)
    _provision(la, "Wrong Tier Centre", ["tier-3", "ks3", "semh", "autism", "on-site"])
    _provision(la, "Primary Centre", ["tier-2", "ks2", "semh"])
    _provision(la, "Draft Centre", FULL_FIT, status=Provision.Status.DRAFT)
    _provision(la, "Archived Centre", FULL_FIT, status=Provision.Status.ARCHIVED)
    ProvisionFactory(provider__local_authority=LocalAuthorityFactory(), name="Other LA Centre", term_codes=FULL_FIT)

    suggestions = suggest_provisions(referral=referral)

    assert [s.provision.name for s in suggestions] == ["Best Fit Centre", "Wrong Tier Centre", "Primary Centre"]
    assert suggestions[0].provision == best
    assert "It offers the tier requested (Tier 2: time-limited placement)." in suggestions[0].reasons
    assert any(r.startswith("It does not offer the tier requested") for r in suggestions[1].reasons)


def test_vacancies_count_placements_offered_accepted_or_active_only(la, referral):
    centre = _provision(la, "Busy Centre", FULL_FIT, places=3)
    for status in ("offered", "accepted", "active", "ended", "cancelled"):
        PlacementFactory(
            pupil=PupilFactory(local_authority=la),
            provision=centre,
            status=status,
            is_full_time=False,
            part_time_reason="Phased",
            part_time_review_date=datetime.date(2026, 12, 1),
        )
    [suggestion] = suggest_provisions(referral=referral)
    assert suggestion.vacancies == 0
    assert "It has no places free (all 3 taken); the pupil may join its waiting list." in suggestion.reasons


def test_a_nearer_provision_ranks_first_when_all_else_is_equal(la, referral):
    _provision(la, "Far Centre", FULL_FIT, postcode_point=(52.55, -1.779))  # about 10 miles north
    _provision(la, "Near Centre", FULL_FIT, postcode_point=(52.4057, -1.7790))  # the pupil's postcode
    suggestions = suggest_provisions(referral=referral)
    assert [s.provision.name for s in suggestions] == ["Near Centre", "Far Centre"]
    assert "It is 0.0 miles from the pupil's home." in suggestions[0].reasons
    assert "It is 10.0 miles from the pupil's home." in suggestions[1].reasons


def test_an_unknown_home_postcode_gives_no_distance_and_says_so(la, referral):
    referral.pupil.postcode = ""
    referral.pupil.save()
    _provision(la, "Centre", FULL_FIT)
    [suggestion] = suggest_provisions(referral=referral)
    assert suggestion.miles is None
    assert "The distance is not known: the pupil's home postcode is missing or not recognised." in suggestion.reasons


def test_the_cheapest_cost_option_is_shown_and_cheaper_ranks_higher(la, referral):
    dear = _provision(la, "Dear Centre", FULL_FIT)
    cheap = _provision(la, "Cheap Centre", FULL_FIT)
    CostOptionFactory(provision=dear, label="Full day", amount="150.00", unit="day")
    CostOptionFactory(provision=dear, label="Full-time place", amount="30000.00", unit="year")
    CostOptionFactory(provision=cheap, label="Full day", amount="90.00", unit="day")
    suggestions = suggest_provisions(referral=referral)
    assert [s.provision.name for s in suggestions] == ["Cheap Centre", "Dear Centre"]
    assert suggestions[1].cheapest.label == "Full day" and suggestions[1].cheapest.amount == Decimal("150.00")
    assert "Its cheapest option is Full day, £90.00 per day (about £17,100.00 for a school year)." in (
        suggestions[0].reasons
    )


def test_an_inadequate_provider_is_listed_last_with_a_note(la, referral):
    _provision(la, "Inadequate Centre", FULL_FIT, ofsted="inadequate")
    _provision(la, "Poor Fit Centre", ["tier-3"])
    suggestions = suggest_provisions(referral=referral)
    assert [s.provision.name for s in suggestions] == ["Poor Fit Centre", "Inadequate Centre"]
    assert suggestions[1].notes


def test_the_limit_caps_the_list(la, referral):
    for number in range(4):
        _provision(la, f"Centre {number}", FULL_FIT)
    assert len(suggest_provisions(referral=referral, limit=2)) == 2
