"""The pupils list filters by key stage this school year, by year group (age on 31 August), not by age on the day.

Today is 10 November 2026 (the town's frozen day): the school year began on 1 September 2026, so Year 9 is the
children who were 13 on 31 August 2026, born from 1 September 2012 to 31 August 2013.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from aphub.audit.models import AccessLogEntry

URL = reverse("placements:pupils")


@pytest.fixture
def cohort(town):
    born = {
        "Ninth": datetime.date(2012, 9, 15),  # Year 9, turned 14 on 15 September 2026: still key stage 3
        "Youngest": datetime.date(2015, 8, 31),  # 11 on 31 August 2026: Year 7, key stage 3
        "Sixth": datetime.date(2015, 9, 1),  # 10 on 31 August 2026: Year 6, key stage 2
        "Septemberborn": datetime.date(2012, 9, 1),  # 13 on 31 August 2026, 14 the day after: Year 9, key stage 3
        "Augustborn": datetime.date(2012, 8, 31),  # 14 on 31 August 2026: Year 10, key stage 4
        "Eleventh": datetime.date(2010, 9, 1),  # 15 on 31 August 2026: Year 11, key stage 4
        "Twelfth": datetime.date(2010, 8, 31),  # 16 on 31 August 2026: Year 12, post-16
        "Second": datetime.date(2020, 8, 31),  # 6 on 31 August 2026: Year 2, key stage 1
    }
    return {name: town.pupil(first_name="Kit", last_name=name, date_of_birth=day) for name, day in born.items()}


def listed(client, **params) -> list[str]:
    page = client.get(URL, params).content.decode()
    return sorted(name for name in COHORT if f"Kit {name}" in page)


COHORT = ["Augustborn", "Eleventh", "Ninth", "Second", "Septemberborn", "Sixth", "Twelfth", "Youngest"]


@pytest.mark.parametrize(
    ("stage", "shown"),
    [
        ("ks1", ["Second"]),
        ("ks2", ["Sixth"]),
        ("ks3", ["Ninth", "Septemberborn", "Youngest"]),
        ("ks4", ["Augustborn", "Eleventh"]),
        ("post-16", ["Twelfth"]),
        ("", COHORT),
    ],
)
def test_the_key_stage_filter_is_the_year_group_on_31_august(client, town, cohort, stage, shown):
    client.force_login(town.officer)
    assert listed(client, key_stage=stage) == shown


def test_a_year_9_child_who_has_turned_14_is_in_key_stage_3(client, town, cohort):
    client.force_login(town.officer)
    assert "Ninth" in listed(client, key_stage="ks3")
    assert "Ninth" not in listed(client, key_stage="ks4")


def test_the_filter_is_one_query_on_dates_of_birth_not_a_loop_over_pupils(
    client, town, cohort, django_assert_max_num_queries
):
    client.force_login(town.officer)
    client.get(URL)
    with django_assert_max_num_queries(10):  # the same budget as the unfiltered list
        assert client.get(URL, {"key_stage": "ks3"}).status_code == 200


def test_the_page_offers_the_key_stages_and_keeps_the_choice(client, town, cohort):
    client.force_login(town.officer)
    page = client.get(URL, {"key_stage": "ks4"}).content.decode()
    assert '<select name="key_stage"' in page
    assert '<option value="ks4" selected>Key stage 4 (Years 10 to 11)</option>' in page
    assert "Post-16 (Year 12 and above)" in page
    assert "Clear filters" in page


def test_a_key_stage_not_in_the_list_is_an_error_on_the_page(client, town, cohort):
    client.force_login(town.officer)
    response = client.get(URL, {"key_stage": "ks9", "format": "csv"})
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "There is a problem" in page and "Choose a key stage from the list" in page


def test_the_download_holds_only_the_key_stage_chosen_and_logs_only_them(client, town, cohort):
    client.force_login(town.officer)
    before = AccessLogEntry.objects.filter(verb="export").count()
    response = client.get(URL, {"key_stage": "ks4", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[0] for row in rows[1:]] == ["Kit Augustborn", "Kit Eleventh"]
    exported = AccessLogEntry.objects.filter(verb="export").order_by("pk")[before:]
    assert {entry.object_id for entry in exported} == {str(cohort["Augustborn"].pk), str(cohort["Eleventh"].pk)}


def test_the_page_links_to_downloads_with_the_key_stage(client, town, cohort):
    client.force_login(town.officer)
    page = client.get(URL, {"key_stage": "ks3"}).content.decode()
    assert f'href="{URL}?key_stage=ks3&amp;format=xlsx"' in page
