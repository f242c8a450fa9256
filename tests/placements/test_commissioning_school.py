"""The LA names (or changes) the school that commissions a placement; the commissioner the placement page shows is
always the one its funding lines bill for the top-up."""

import datetime

from django.urls import reverse

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
