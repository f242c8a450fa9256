"""The LA names (or changes) the school that commissions a placement; the commissioner the placement page shows is
always the one its funding lines bill for the top-up."""

import datetime

import pytest
from django.urls import reverse

from aphub.core.errors import InvalidTransition
from aphub.funding.models import FundingLine
from aphub.placements import services
from aphub.placements.models import Placement

D = datetime.date


def offered(town, kind="permanent-exclusion"):
    pupil = town.pupil(school=town.school_a)
    # A health-needs episode says how many school days the child has missed (placements.rules).
    days_missed = {"days_missed": 15} if kind == "health-needs" else {}
    episode = services.record_episode(
        user=town.officer, pupil=pupil, kind=kind, start_date=D(2026, 11, 3), **days_missed
    )
    return services.offer_placement(
        user=town.officer, episode=episode, provision=town.provision(), start_date=D(2026, 11, 10), tier="2",
        sessions_per_week=10, hours_per_week="25", annual_cost="18000",
    )  # fmt: skip


def commissioner_row(client, placement) -> str:
    page = client.get(reverse("placements:placement", kwargs={"pk": placement.pk})).content.decode()
    return page.split(">Commissioner</dt>")[1].split("</dd>")[0]


def top_up_payer(placement) -> str:
    return FundingLine.objects.filter(placement=placement, kind="top-up").select_related("payer_school")[0].payer_name


def test_an_la_officer_names_the_commissioning_school_which_then_pays_the_top_up(client, town):
    placement = offered(town, kind="off-site-direction")  # the route says the school commissions
    client.force_login(town.officer)
    page = client.get(reverse("placements:placement", kwargs={"pk": placement.pk})).content.decode()
    assert "Name the commissioning school" in page
    url = reverse("placements:commissioning-school", kwargs={"pk": placement.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"school": town.school_b.pk})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.commissioner == "school" and placement.commissioning_school == town.school_b
    assert top_up_payer(placement) == "Birchwood High School"
    assert "Birchwood High School" in commissioner_row(client, placement)
    page = client.get(reverse("placements:placement", kwargs={"pk": placement.pk})).content.decode()
    assert "Commissioning school named: Birchwood High School (was the local authority)" in page
    # Changed again: the log keeps both.
    client.post(url, {"school": town.school_a.pk})
    page = client.get(reverse("placements:placement", kwargs={"pk": placement.pk})).content.decode()
    assert "Commissioning school named: Ashgrove Academy (was Birchwood High School)" in page
    assert top_up_payer(Placement.objects.get(pk=placement.pk)) == "Ashgrove Academy"


def test_only_la_staff_name_the_commissioning_school(client, town):
    placement = offered(town)
    url = reverse("placements:commissioning-school", kwargs={"pk": placement.pk})
    client.force_login(town.school_a_staff)
    assert client.post(url, {"school": town.school_a.pk}).status_code == 403
    assert Placement.objects.get(pk=placement.pk).commissioning_school is None


def test_the_commissioner_shown_is_the_one_billed_for_the_top_up(client, town):
    client.force_login(town.officer)
    la_pays = offered(town)  # permanent exclusion: the LA commissions and pays
    assert top_up_payer(la_pays) == "Local authority (High Needs Block)"
    assert "Elmford Borough Council" in commissioner_row(client, la_pays)
    school_pays = offered(town, kind="health-needs")  # the LA arranges it; the route bills the school the top-up
    assert top_up_payer(school_pays) == "Ashgrove Academy"
    row = commissioner_row(client, school_pays)
    assert row.split(">", 1)[1].startswith("Ashgrove Academy")


def test_the_agreement_names_the_commissioner_who_is_billed_and_who_arranged_it(town):
    from aphub.placements.agreement import agreement_context

    la_pays = agreement_context(offered(town))["commissioner"]
    assert (la_pays["kind"], la_pays["name"], la_pays["arranged_by"]) == (
        "Local authority",
        "Elmford Borough Council",
        "",
    )
    # Health needs: the LA arranges the place, the route bills the child's school the top-up. The agreement is
    # signed for the school that pays, as the placement page and the funding lines name it.
    school_pays = agreement_context(offered(town, kind="health-needs"))["commissioner"]
    assert (school_pays["kind"], school_pays["name"]) == ("School", "Ashgrove Academy")
    assert school_pays["arranged_by"] == "Elmford Borough Council"


# --- Handing a placement back to the LA ---------------------------------------------------------------------------


def hand_back_url(placement) -> str:
    return reverse("placements:commissioning-school-hand-back", kwargs={"pk": placement.pk})


def named(client, town, kind="permanent-exclusion", school=None):
    """A placement whose commissioning school the LA officer has named through the page."""
    placement = offered(town, kind=kind)
    client.force_login(town.officer)
    url = reverse("placements:commissioning-school", kwargs={"pk": placement.pk})
    assert client.post(url, {"school": (school or town.school_b).pk}).status_code == 302
    return Placement.objects.get(pk=placement.pk)


def test_an_la_officer_hands_a_placement_back_to_the_la_which_is_then_billed_and_acts_for_it(client, town):
    from aphub.audit.models import AccessLogEntry
    from aphub.placements.agreement import agreement_context

    placement = named(client, town)  # permanent exclusion: the route bills the LA; the named school pays instead
    assert top_up_payer(placement) == "Birchwood High School"
    assert services.allowed_actions(town.school_b_staff, placement) == {"cancel"}
    page = client.get(reverse("placements:placement", kwargs={"pk": placement.pk})).content.decode()
    assert "Hand back to the LA" in page

    confirm = client.get(hand_back_url(placement))
    text = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Are you sure you want to hand this placement back to the local authority?" in text
    assert "Elmford Borough Council becomes the commissioner, in place of Birchwood High School." in text
    assert (
        "The top-up for the whole placement is billed to Elmford Borough Council instead of Birchwood High School"
        in text
    )
    assert "Birchwood High School no longer does" in text and "code K" in text
    assert Placement.objects.get(pk=placement.pk).commissioning_school == town.school_b  # asking changes nothing

    response = client.post(hand_back_url(placement))
    assert response.status_code == 302 and response["Location"].endswith(f"/placements/{placement.pk}/")
    placement.refresh_from_db()
    assert (placement.commissioner, placement.commissioning_school, placement.expected_attendance_code) == (
        "la",
        None,
        "K",
    )
    assert top_up_payer(placement) == "Local authority (High Needs Block)"
    assert commissioner_row(client, placement).split(">", 1)[1].startswith("Elmford Borough Council")
    commissioner = agreement_context(placement)["commissioner"]
    assert (commissioner["kind"], commissioner["name"]) == ("Local authority", "Elmford Borough Council")
    # The LA acts for it now; the school no longer does (nor sees it: the child is not on its roll).
    assert services.allowed_actions(town.officer, placement) == {"cancel"}
    assert not Placement.objects.visible_to(town.school_b_staff).filter(pk=placement.pk).exists()
    # The history keeps both changes, in order; the access log records the change.
    page = client.get(reverse("placements:placement", kwargs={"pk": placement.pk})).content.decode()
    named_at = page.index("Commissioning school named: Birchwood High School (was the local authority)")
    handed_at = page.index(
        "Handed back to the local authority: Elmford Borough Council commissions it (was Birchwood High School)"
    )
    assert named_at < handed_at and "Hand back to the LA" not in page
    assert AccessLogEntry.objects.filter(
        user_id=town.officer.pk, verb="change", object_type="placements.Placement", object_id=str(placement.pk)
    ).count() == 2  # fmt: skip


def test_a_school_or_a_provider_cannot_hand_a_placement_back(client, town):
    placement = named(client, town)
    for user in (town.school_b_staff, town.school_a_staff, town.p1_staff):
        client.force_login(user)
        assert client.get(hand_back_url(placement)).status_code == 403
        assert client.post(hand_back_url(placement)).status_code == 403
    assert Placement.objects.get(pk=placement.pk).commissioning_school == town.school_b
    with pytest.raises(services.NotPermitted):
        services.hand_back_to_la(user=town.school_b_staff, placement=placement)


def test_only_a_held_placement_that_a_school_commissions_can_be_handed_back(client, town):
    la_commissions = offered(town)
    client.force_login(town.officer)
    assert client.get(hand_back_url(la_commissions)).status_code == 404
    with pytest.raises(InvalidTransition, match="already commissions"):
        services.hand_back_to_la(user=town.officer, placement=la_commissions)

    cancelled = named(client, town)
    services.cancel_placement(user=town.school_b_staff, placement=cancelled, reason="No longer needed")
    assert client.get(hand_back_url(cancelled)).status_code == 404
    assert client.post(hand_back_url(cancelled)).status_code == 404
    with pytest.raises(InvalidTransition, match="cancelled keeps the commissioner it had"):
        services.hand_back_to_la(user=town.officer, placement=cancelled)
    assert Placement.objects.get(pk=cancelled.pk).commissioning_school == town.school_b


def test_the_confirmation_says_when_the_route_still_bills_a_school(client, town):
    # Health needs: the LA arranges it, the route bills the child's school the top-up, whoever commissions.
    placement = named(client, town, kind="health-needs", school=town.school_b)
    text = client.get(hand_back_url(placement)).content.decode()
    assert "The top-up for the whole placement is billed to Ashgrove Academy instead of Birchwood High School" in text
    client.post(hand_back_url(placement))
    placement = Placement.objects.get(pk=placement.pk)
    assert top_up_payer(placement) == "Ashgrove Academy"
    row = commissioner_row(client, placement)
    assert row.split(">", 1)[1].startswith("Ashgrove Academy") and "arranged by Elmford Borough Council" in row
    # Named as the home school, which the route bills anyway: the page says the bill stays where it is.
    home = named(client, town, kind="health-needs", school=town.school_a)
    text = client.get(hand_back_url(home)).content.decode()
    assert "The top-up is still billed to Ashgrove Academy, as its route (Health reasons" in text
