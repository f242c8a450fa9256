"""Issue 12: the LA's city-wide view of AP, live, whoever arranged it. Time is frozen on Tuesday 10 November 2026.

The town has one LA placement (25 hours, £18,000 a year, at a provider with no URN or UKPRN) and school A's three
census rows (tests/insight/conftest.py): Robin at a registered school by URN (behaviour, 7.5 hours, £350 a week),
Sam at a provider by UKPRN (ended 16 October) and Jo with a tutor the school did not name (mental health, 4 hours,
£120.50 a week).
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from aphub.audit.models import AccessLogEntry
from aphub.organisations.models import Role
from aphub.placements.models import Placement
from tests.factories import LocalAuthorityFactory, PlacementFactory, SchoolFactory, member

from .conftest import census_file, upn

pytestmark = pytest.mark.django_db

CITY_WIDE = reverse("insight:city-wide")
CHILDREN = reverse("insight:children")


@pytest.fixture
def la_placement(town):
    return PlacementFactory(
        pupil=town.pupil(first_name="Ada", last_name="Lovell"),
        provision=town.provision(),
        start_date=datetime.date(2026, 9, 1),
    )


def get(client, user, path=CITY_WIDE, **params):
    client.force_login(user)
    return client.get(path, params)


def body(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_la_sees_a_school_arranged_placement_at_a_provider_outside_the_directory_at_once(client, town):
    from aphub.placements.school_arranged.imports import import_file

    before = get(client, town.officer, CHILDREN)
    assert "Price" not in body(before)

    import_file(
        user=town.school_a_staff,
        content=census_file(f"{upn(town, 9)},Price,Jo,2013-01-20,,,OOT,MHN,02/11/2026,,2,PT,4,120.50"),
    )

    page = body(get(client, town.officer))
    assert "1 child in AP" in page
    assert "1 by schools" in page
    children = body(get(client, town.officer, CHILDREN))
    assert "Jo Price" in children and "Ashgrove Academy" in children and "Recorded by the school" in children
    assert "One on one tuition" in children and "Not named" in children and "Not registered" in children


def test_another_la_and_schools_and_providers_never_see_the_view(client, town, school_arranged):
    other_la = LocalAuthorityFactory(name="Otherton Council")
    other_officer = member(Role.LA_OFFICER, other_la)
    page = body(get(client, other_officer))
    assert "0 children in AP" in page
    assert "Robin" not in body(get(client, other_officer, CHILDREN))

    for user in (town.school_a_staff, town.school_b_staff, town.p1_staff):
        for path in (CITY_WIDE, CHILDREN, reverse("insight:published-figures")):
            assert get(client, user, path).status_code == 403
    # Officers and the auditor read the view; only admins load published figures.
    assert get(client, town.auditor).status_code == 200
    assert get(client, town.auditor, reverse("insight:published-figures")).status_code == 403
    assert get(client, town.officer, reverse("insight:published-figures")).status_code == 403
    assert get(client, town.admin, reverse("insight:published-figures")).status_code == 200


def _table(response) -> dict[str, list[str]]:
    """The grouped table as {heading: [children, placements, by the LA, by schools, hours, weekly cost]}."""
    rows = {}
    for row in response.context["page"].object_list:
        rows[row.label] = [row.children, row.placements, row.by_la, row.by_schools, row.hours, row.weekly_cost]
    return rows


def test_today_counts_every_child_in_ap_whoever_arranged_it(client, town, la_placement, school_arranged):
    response = get(client, town.officer)
    total = response.context["total"]
    assert (total.children, total.placements, total.by_la, total.by_schools) == (3, 3, 1, 2)
    assert total.hours == Decimal("36.5")
    # £18,000 + 38 x £350 + 38 x £120.50 a year, over 38 weeks.
    assert total.weekly_cost == Decimal("944.18")
    assert (total.unregistered, total.unnamed) == (1, 1)
    assert _table(response) == {
        "Local authority": [1, 1, 1, 0, Decimal("25.0"), Decimal("473.68")],
        "Ashgrove Academy": [2, 2, 0, 2, Decimal("11.5"), Decimal("470.50")],
    }


def test_a_day_in_october_finds_who_was_in_ap_then(client, town, la_placement, school_arranged):
    response = get(client, town.officer, on_0="1", on_1="10", on_2="2026", by="setting")
    assert _table(response) == {
        "Education setting with URN": [1, 1, 0, 1, Decimal("7.5"), Decimal("350.00")],
        "Registered provider with UKPRN": [1, 1, 0, 1, Decimal("25.0"), Decimal("600.00")],
        "Unknown": [1, 1, 1, 0, Decimal("25.0"), Decimal("473.68")],
    }
    # Before anyone started: nobody.
    assert response.context["total"].children == 3
    empty = get(client, town.officer, on_0="1", on_1="8", on_2="2026")
    assert empty.context["total"].children == 0
    assert "No child was in AP on 1 August 2026" in body(empty)


@pytest.mark.parametrize(
    ("grouping", "expected"),
    [
        (
            "reason",
            {
                "Off-site placement for behavioural support": 1,
                "Medical condition (mental health need)": 1,
                "Not recorded": 1,
            },
        ),
        ("tier", {"Tier 2": 3}),
        ("registration", {"Registered": 2, "Not registered": 1}),
        ("provider", {"141234": None, "Pathways One Learning Ltd": 1, "One on one tuition (provider not named)": 1}),
    ],
)
def test_each_grouping_counts_the_children(client, town, la_placement, school_arranged, grouping, expected):
    response = get(client, town.officer, by=grouping)
    found = {label: row[0] for label, row in _table(response).items()}
    if grouping == "provider":
        # The registered school by URN is named from GIAS where AP Hub holds it, else by its URN.
        school_row = next(label for label in found if "141234" in label)
        expected = {school_row: 1, **{k: v for k, v in expected.items() if v is not None}}
    assert found == expected


@pytest.mark.parametrize(
    ("params", "children"),
    [
        ({"arranged_by": "la"}, ["Ada Lovell"]),
        ({"arranged_by": "school"}, ["Robin Hartley", "Jo Price"]),
        ({"reason": "mental-health"}, ["Jo Price"]),
        ({"reason": "not-recorded"}, ["Ada Lovell"]),
        ({"setting": "urn"}, ["Robin Hartley"]),
        ({"setting": "one-to-one-tuition"}, ["Jo Price"]),
        ({"registration": "unregistered"}, ["Jo Price"]),
        ({"registration": "registered"}, ["Ada Lovell", "Robin Hartley"]),
        ({"tier": "3"}, []),
    ],
)
def test_the_filters_narrow_the_counts_and_the_children(client, town, la_placement, school_arranged, params, children):
    response = get(client, town.officer, **params)
    assert response.context["total"].children == len(children)
    listed = get(client, town.officer, CHILDREN, **params)
    assert sorted(row["placement"].pupil.full_name for row in listed.context["rows"]) == sorted(children)


def test_the_school_filter_and_the_provider_link(client, town, la_placement, school_arranged):
    response = get(client, town.officer, school=str(town.school_a.pk))
    assert response.context["total"].children == 2
    jo = Placement.objects.get(pupil__last_name="Price")
    listed = get(client, town.officer, CHILDREN, provider=str(jo.provision.provider_id))
    assert [row["placement"].pk for row in listed.context["rows"]] == [jo.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"on_0": "31", "on_1": "2", "on_2": "2026"},
        {"by": "shoe-size"},
        {"school": "999999"},
        {"reason": "boredom"},
        {"year": "1066"},
        {"provider": "-1"},
    ],
)
def test_bad_filters_are_named_in_the_error_summary_never_a_500(client, town, school_arranged, params):
    response = get(client, town.officer, **params)
    assert response.status_code == 400
    assert "There is a problem" in body(response)
    # The page still shows today's whole picture.
    assert response.context["total"].children == 2


def test_the_list_of_children_is_logged_as_a_read_of_each_child(client, town, la_placement, school_arranged):
    get(client, town.officer, CHILDREN)
    entry = AccessLogEntry.objects.get(list_name="City-wide AP: children", verb="view")
    shown = {int(pk) for pk in entry.pupil_ids.strip(",").split(",")}
    assert shown == set(Placement.objects.filter(status="active").values_list("pupil_id", flat=True))
    # The grouped view names no child, so it logs nothing.
    before = AccessLogEntry.objects.count()
    get(client, town.officer)
    assert AccessLogEntry.objects.count() == before


def test_the_table_downloads_as_csv_and_xlsx_with_its_total(client, town, la_placement, school_arranged):
    response = get(client, town.officer, by="school", format="csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="city-wide-ap-by-school-2026-11-10.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "School",
        "Children",
        "Placements",
        "Arranged by the local authority",
        "Arranged by schools",
        "Hours a week",
        "Weekly cost",
    ]
    assert rows[1:] == [
        ["Local authority", "1", "1", "1", "0", "25.0", "473.68"],
        ["Ashgrove Academy", "2", "2", "0", "2", "11.5", "470.50"],
        ["Total", "3", "3", "1", "2", "36.5", "944.18"],
    ]
    xlsx = get(client, town.officer, by="reason", format="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Reason" and values[-1][:3] == ["Total", 3, 3]


def test_the_children_download_as_csv_and_xlsx_logged_as_an_export(client, town, la_placement, school_arranged):
    response = get(client, town.officer, CHILDREN, arranged_by="school", format="csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(row["Pupil"] for row in rows) == ["Jo Price", "Robin Hartley"]
    jo = next(row for row in rows if row["Pupil"] == "Jo Price")
    assert (jo["Arranged by"], jo["Type of setting"], jo["Registration"], jo["Reason"], jo["Weekly cost"]) == (
        "Ashgrove Academy",
        "One on one tuition",
        "Not registered",
        "Medical condition (mental health need)",
        "120.50",
    )
    assert AccessLogEntry.objects.filter(list_name="City-wide AP: children", verb="export").count() == 1
    xlsx = get(client, town.officer, CHILDREN, format="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 4  # the header and three children


def test_the_view_reads_in_a_bounded_number_of_queries(client, town, school_arranged, django_assert_max_num_queries):
    from tests.factories import ProvisionFactory

    for serial in range(30):
        school = SchoolFactory(local_authority=town.la, name=f"School {serial:02d}")
        PlacementFactory(
            pupil=town.pupil(school=school),
            provision=ProvisionFactory(provider__local_authority=town.la, local_authority=town.la),
            commissioner="school",
            commissioning_school=school,
            start_date=datetime.date(2026, 9, 1),
        )
    client.force_login(town.officer)
    with django_assert_max_num_queries(20):
        assert client.get(CITY_WIDE, {"by": "provider"}).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(CHILDREN).status_code == 200
