import datetime
from collections import Counter, defaultdict
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import F
from django.urls import reverse

from aphub.commissioning.models import (
    Admission,
    Application,
    CommercialArrangement,
    CommissionedPlaces,
    Complaint,
    Contract,
    Evidence,
    MonitoringVisit,
    TopUpBand,
)
from aphub.demo.build import DEMO_LA_CODE, DEMO_PASSWORD, DEMO_TOTP_KEY, SECOND_LA_CODE, SIGN_INS, allocate, build_demo
from aphub.directory.models import CostOption, Provision
from aphub.duties.models import Clock
from aphub.funding.models import RechargeStatement
from aphub.organisations.models import LocalAuthority, Membership, Provider, Role, School, User
from aphub.placements.models import (
    AbsenceAlert,
    AttendanceMark,
    Episode,
    PanelDecision,
    PanelMeeting,
    Placement,
    Referral,
    Review,
    WaitingListEntry,
)
from aphub.pupils.models import Pupil
from tests.two_factor import sign_in_with_code

pytestmark = pytest.mark.django_db


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_twice_with_if_empty_builds_once_and_prints_the_sign_ins_both_times():
    first = demo("--if-empty")
    counts = (School.objects.count(), Provider.objects.count(), Provision.objects.count(), User.objects.count())
    second = demo("--if-empty")
    assert (School.objects.count(), Provider.objects.count(), Provision.objects.count(), User.objects.count()) == counts
    for output in (first, second):
        assert "Demo sign-ins" in output
        assert "elmbridge.officer@example.org" in output
        assert DEMO_PASSWORD in output
        assert DEMO_TOTP_KEY in output, "the authenticator key someone running make run needs"
    assert "Built" in first and "Built" not in second


def test_demo_without_if_empty_refuses_to_build_a_second_copy():
    demo()
    with pytest.raises(CommandError, match="already exists"):
        demo()


@pytest.mark.usefixtures("demo_read_only")
class TestTheBuiltDemo:
    """The default demo, built once for these tests (they only read it: tests/built_once.py)."""

    def test_demo_has_the_seed_004_shape(self):
        la = LocalAuthority.objects.get(la_code=DEMO_LA_CODE)
        published = Provision.objects.filter(local_authority=la)
        short_stay = published.get(name__icontains="short-stay")
        assert (short_stay.places, short_stay.typical_duration_weeks) == (20, 20)
        medical = published.filter(terms__code="hospital-medical", places=32)
        assert medical.count() == 1
        assert published.filter(name__icontains="resourced provision", places=8).count() == 2

        places_by_provider = defaultdict(int)
        for provision in published.filter(provider__registration_status=Provider.RegistrationStatus.REGISTERED_SCHOOL):
            places_by_provider[provision.provider.display_name] += provision.places
        three = ("Elmbridge Vale Academy", "Millbrook Academy", "Harbour Light Centre")
        assert sum(places_by_provider[name] for name in three) == 217

    def test_demo_commissions_seed_004s_217_places_with_a_pru_paid_by_the_la_and_academies_by_the_dfe(self):
        from aphub.commissioning.places.queries import current_academic_year, places_and_occupancy_for

        la = LocalAuthority.objects.get(la_code=DEMO_LA_CODE)
        this_year = CommissionedPlaces.objects.filter(local_authority=la, academic_year=current_academic_year())
        assert sum(row.places for row in this_year) == 217
        assert this_year.get(provision__name__startswith="Harbour Light").payer == "la"
        assert this_year.get(provision__name="Millbrook Academy").payer == "dfe"
        officer = Membership.objects.filter(local_authority=la, role=Role.LA_ADMIN).first().user
        report = places_and_occupancy_for(officer, academic_year=current_academic_year())
        assert report.totals.funding == Decimal("2170000.00")
        assert sum(report.totals.empty_at_census) > 0 and report.totals.cost_of_empty > 0

    def test_demo_is_a_realistic_directory_with_work_for_the_approval_queue(self):
        la = LocalAuthority.objects.get(la_code=DEMO_LA_CODE)
        assert 60 <= School.objects.filter(local_authority=la).count() <= 80
        # The directory: the providers schools record as AP they arranged (RECORDED provisions) are outside it.
        recorded = Provision.Status.RECORDED
        listed = [status for status in Provision.Status.values if status != recorded]
        recorded_only = Provider.objects.filter(provisions__status=recorded).exclude(provisions__status__in=listed)
        assert 10 <= Provider.objects.filter(local_authority=la).exclude(pk__in=recorded_only).count() <= 15
        provisions = Provision.objects.filter(local_authority=la).exclude(status=recorded)
        assert 20 <= provisions.count() <= 30
        statuses = set(provisions.values_list("status", flat=True))
        assert {Provision.Status.PUBLISHED, Provision.Status.DRAFT, Provision.Status.SUBMITTED} <= statuses
        pending = provisions.get(status=Provision.Status.PUBLISHED, pending_changes__isnull=False)
        # The same snapshot shape the directory services write, so the review page can compare it.
        assert set(pending.pending_changes) == {"fields", "term_codes", "cost_options"}
        assert pending.pending_changes["fields"]["places"] != pending.places
        # Seed 003's kinds of independent AP all appear.
        for code in ("therapeutic", "vocational", "online", "one-to-one-tuition", "outreach"):
            assert provisions.filter(terms__code=code).exists(), code
        assert set(Provider.objects.values_list("registration_status", flat=True)) == set(Provider.RegistrationStatus)
        assert all(isinstance(c.amount, Decimal) for c in CostOption.objects.all())
        for provision in provisions:
            assert provision.contact_email.endswith("@example.org")
            assert provision.contact_phone.startswith("01632 960")
            assert provision.latitude is not None and provision.postcode

    def test_demo_postcodes_all_come_from_the_shipped_lookup(self):
        from aphub.demo.build import demo_postcodes

        known = {postcode: (lat, lon) for postcode, lat, lon in demo_postcodes()}
        for provision in Provision.objects.exclude(status=Provision.Status.RECORDED):
            assert known[provision.postcode] == (provision.latitude, provision.longitude)
        assert set(School.objects.values_list("postcode", flat=True)) <= set(known)

    def test_second_la_has_its_own_schools_providers_and_provisions(self):
        second = LocalAuthority.objects.get(la_code=SECOND_LA_CODE)
        assert School.objects.filter(local_authority=second).exists()
        assert Provision.objects.filter(local_authority=second, status=Provision.Status.PUBLISHED).exists()
        for provision in Provision.objects.filter(local_authority=second):
            assert provision.provider.local_authority == second

    def test_every_demo_user_can_sign_in_in_their_role(self, client):
        roles = {Role(role) for _, _, role, _ in SIGN_INS}
        assert roles == set(Role)
        for email, _name, role, _org in SIGN_INS:
            sign_in_with_code(client, User.objects.get(email=email), DEMO_PASSWORD)
            assert client.get(reverse("organisations:home")).status_code == 200, email
            assert User.objects.get(email=email).memberships.get().role == role
            client.post(reverse("organisations:sign-out"))

    def test_demo_children_have_journeys_in_every_state(self):
        la = LocalAuthority.objects.get(la_code=DEMO_LA_CODE)
        placements = Placement.objects.filter(pupil__local_authority=la)
        assert {"offered", "active", "ended"} <= set(placements.values_list("status", flat=True))
        assert placements.filter(commissioner="school", commissioning_school__urn="990003").exists()
        assert placements.filter(status="active", provision__provider__legal_name="Greenway Farm Learning CIC").exists()
        states = set(Clock.objects.filter(local_authority=la).values_list("state", flat=True))
        assert {"met", "breached"} <= states and states & {"open", "due-soon"}
        assert Referral.objects.filter(pupil__local_authority=la, status="submitted").count() >= 2
        assert AttendanceMark.objects.filter(placement__pupil__local_authority=la).exists()
        assert Review.objects.filter(placement__pupil__local_authority=la, kind="exit").exists()
        assert WaitingListEntry.objects.filter(pupil__local_authority=la).exists()

    def test_demo_children_step_up_and_down_between_tiers_over_the_year(self):
        la = LocalAuthority.objects.get(la_code=DEMO_LA_CODE)
        offered = Placement.objects.filter(pupil__local_authority=la, recorded_by_school=False)
        moves = offered.filter(follows__isnull=False).exclude(follows__tier=F("tier"))
        assert moves.filter(tier__gt=F("follows__tier")).count() == 5  # demo.journeys.STEPS
        assert moves.filter(tier__lt=F("follows__tier")).count() == 3
        tiers = Counter(offered.values_list("tier", flat=True))
        assert tiers["1"] >= 8 and tiers["3"] >= 8
        assert len(offered.dates("start_date", "month")) >= 6

    def test_schools_recorded_the_ap_they_arranged_for_the_las_whole_picture(self):
        la = LocalAuthority.objects.get(la_code=DEMO_LA_CODE)
        arranged = Placement.objects.filter(pupil__local_authority=la, recorded_by_school=True)
        assert 35 <= arranged.count() <= 45
        assert arranged.values("commissioning_school").distinct().count() == 6
        assert {"accepted", "active", "ended"} == set(arranged.values_list("status", flat=True))
        assert {True, False} == set(arranged.values_list("is_full_time", flat=True))
        assert len(set(arranged.values_list("placement_reason", flat=True))) >= 4
        assert set(arranged.values_list("setting_type", flat=True)) >= {
            "one-to-one-tuition", "work-based", "non-maintained-fe", "other-unregistered",
        }  # fmt: skip
        providers = Provider.objects.filter(provisions__placements__in=arranged).distinct()
        assert providers.filter(unnamed=True).count() >= 4  # a type of setting, provider not named
        assert providers.exclude(urn="").exists() and providers.exclude(ukprn="").exists()
        assert arranged.filter(provision__status=Provision.Status.PUBLISHED).exists()  # chosen from the directory
        assert arranged.filter(provision__status=Provision.Status.RECORDED, provision__provider__unnamed=False).exists()

    def test_the_las_oversight_finds_something_in_the_whole_picture(self):
        from aphub.core.clock import today
        from aphub.placements import oversight, queries

        la = LocalAuthority.objects.get(la_code=DEMO_LA_CODE)
        officer = User.objects.get(email="elmbridge.officer@example.org")
        off_roll = queries.on_no_registered_roll(officer, today=today())
        assert off_roll and all(row.pupil.local_authority == la for row in off_roll)
        assert any(row.who.school is not None for row in off_roll)
        short = queries.short_of_full_time(officer, today=today())
        assert len(short) >= 2 and all(row.shortfall > 0 for row in short)
        # An unregistered provider near the threshold, counted from the LA's placements and the schools' together.
        service = Provider.objects.get(legal_name="One Step Tuition Ltd")
        count = oversight.count_unregistered(today=today())[service.pk]
        assert (count.full_time, count.level) == (4, "warning")
        full_time = Placement.objects.filter(provision__provider=service, status="active", is_full_time=True)
        assert {"la", "school"} == set(full_time.values_list("commissioner", flat=True))


def test_same_seed_builds_the_same_demo():
    def snapshot():
        return list(Provision.objects.order_by("name").values_list("name", "postcode", "contact_name", "town")) + list(
            Pupil.objects.order_by("upn").values_list("upn", "first_name", "last_name", "date_of_birth")
        )

    build_demo(seed=7)
    first = snapshot()
    # The children's journeys first: their records protect the providers and schools they point at.
    # Recharge statements keep what they billed (RechargeLine protects its pupil), so they go first.
    RechargeStatement.objects.all().delete()
    for model in (WaitingListEntry, PanelDecision, Placement, Referral, PanelMeeting, Episode, Pupil):
        model.objects.all().delete()
    for model in (
        TopUpBand,
        Admission,
        Contract,
        Application,
        Evidence,
        MonitoringVisit,
        Complaint,
        CommercialArrangement,
    ):
        model.objects.all().delete()
    CommissionedPlaces.objects.all().delete()
    Membership.objects.all().delete()
    User.objects.all().delete()
    CostOption.objects.all().delete()
    Provision.objects.all().delete()
    Provider.objects.all().delete()
    School.objects.all().delete()
    LocalAuthority.objects.all().delete()
    build_demo(seed=7)
    assert snapshot() == first


def test_large_scale_reaches_the_requested_numbers_with_bulk_inserts():
    result = build_demo(scale="large", sizes=(120, 40, 90))
    assert {k: result.counts[k] for k in ("schools", "providers", "provisions")} == {
        "schools": 120,
        "providers": 40,
        "provisions": 90,
    }
    la = LocalAuthority.objects.get(la_code=DEMO_LA_CODE)
    generated = Provision.objects.filter(local_authority=la, provider__legal_name__endswith="Ltd")
    assert all(p.terms.exists() and p.cost_options.exists() for p in generated)


def test_large_scale_default_sizes_are_the_benchmark_la():
    result = build_demo(scale="large")
    assert {k: result.counts[k] for k in ("schools", "providers", "provisions")} == {
        "schools": 500,
        "providers": 150,
        "provisions": 400,
    }


def test_allocate_splits_by_share_and_keeps_a_minimum_of_each():
    assert allocate(8, {"a": 80, "b": 10, "c": 6, "d": 4}, minimum=1) == {"a": 4, "b": 2, "c": 1, "d": 1}
    assert sum(allocate(13, {"a": 1, "b": 1, "c": 1}).values()) == 13


@time_machine.travel(datetime.datetime(2026, 11, 11, 9, 30, tzinfo=datetime.UTC), tick=False)
def test_demo_has_yesterdays_unexplained_absence_alerted_and_on_the_childs_timeline(client):
    build_demo()
    alert = AbsenceAlert.objects.get(placement__provision__provider__legal_name="Greenway Farm Learning CIC")
    assert (alert.kind, alert.date, alert.session) == ("no-reason", datetime.date(2026, 11, 10), "PM")
    client.force_login(User.objects.get(email="elmbridge.officer@example.org"))
    page = client.get(reverse("placements:pupil", kwargs={"pk": alert.placement.pupil_id})).content.decode()
    assert f"Absent with no reason yet (afternoon) at {alert.placement.provision.name}" in page

    def test_demo_has_a_top_up_band_table_used_by_some_placements_and_one_exception(self):
        la = LocalAuthority.objects.get(la_code=DEMO_LA_CODE)
        table = TopUpBand.objects.filter(local_authority=la, provision__isnull=True, lot__isnull=True)
        assert sorted(table.values_list("code", flat=True)) == ["A", "B", "C", "D", "E"]
        at_bands = Placement.objects.filter(pupil__local_authority=la, top_up_band__isnull=False)
        assert at_bands.count() >= 3
        assert all(p.annual_top_up == p.top_up_band.annual_amount for p in at_bands)
        exceptions = Placement.objects.filter(pupil__local_authority=la).exclude(top_up_exception_reason="")
        assert exceptions.count() == 1 and exceptions.get().annual_top_up > 0


@time_machine.travel(datetime.datetime(2026, 11, 11, 9, 30, tzinfo=datetime.UTC), tick=False)
def test_demo_has_a_school_with_issued_statements_and_a_draft_crediting_a_placement_that_ended_early():
    from aphub.funding.models import RechargeStatement
    from aphub.funding.recharges import queries

    build_demo(sizes=(80, 40, 60))
    admin = User.objects.get(email="elmbridge.admin@example.org")
    kingsmead = RechargeStatement.objects.filter(school__urn="990003")
    assert set(kingsmead.values_list("term_name", "status")) >= {
        ("Autumn 2026", "issued"),
        ("Spring 2027", "draft"),
    }
    draft = kingsmead.get(status="draft")
    credits = [line for line in queries.lines_of(admin, draft) if line.kind == "adjustment"]
    assert credits and all(line.amount < 0 and line.term_name == "Autumn 2026" for line in credits)


def test_the_readme_gives_the_demo_authenticator_key():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert DEMO_TOTP_KEY in readme
