"""Fields that matter for one answer of a radio question sit under that answer (GOV.UK conditional reveal). The
page still works without JavaScript: the field is in the page, under its answer, only hidden by GOV.UK Frontend."""

import re

from django.urls import reverse


def _conditional(body: str, radio_value: str) -> str:
    """The reveal under the radio with this value ('' when it has none)."""
    radio = re.search(rf'<input class="govuk-radios__input" id="([^"]+)"[^>]*value="{radio_value}"[^>]*>', body)
    assert radio, f"no radio with value {radio_value}"
    if f'data-aria-controls="conditional-{radio.group(1)}"' not in radio.group(0):
        return ""
    reveal = rf'<div class="govuk-radios__conditional[^"]*" id="conditional-{radio.group(1)}">(.*?)</div>'
    block = re.search(reveal + r'\s*(?:<div class="govuk-radios__item">|</div>)', body, re.S)
    return block.group(0) if block else ""


def test_the_episode_form_reveals_each_day_count_under_its_kind(client, town):
    pupil = town.pupil(school=town.school_a)
    client.force_login(town.officer)
    body = client.get(reverse("placements:new-episode", kwargs={"pk": pupil.pk})).content.decode()
    assert 'data-module="govuk-radios"' in body
    assert 'name="suspension_last_day_0"' in _conditional(body, "suspension")
    assert 'name="days_missed"' in _conditional(body, "health-needs")
    assert _conditional(body, "permanent-exclusion") == ""
    # Without JavaScript the reveals are only marked hidden; GOV.UK Frontend's CSS hides them when it runs.
    assert "govuk-radios__conditional--hidden" in _conditional(body, "suspension")


def test_a_chosen_answer_shows_its_reveal_with_the_error_beside_the_field(client, town):
    pupil = town.pupil(school=town.school_a)
    client.force_login(town.officer)
    response = client.post(
        reverse("placements:new-episode", kwargs={"pk": pupil.pk}),
        {
            "kind": "suspension",
            "start_date_0": "3",
            "start_date_1": "11",
            "start_date_2": "2026",
            "suspension_last_day_0": "many",
            "suspension_last_day_1": "11",
            "suspension_last_day_2": "2026",
        },
    )
    body = response.content.decode()
    revealed = _conditional(body, "suspension")
    assert "govuk-radios__conditional--hidden" not in revealed
    assert "The last day of the suspension must be a real date" in revealed
    assert re.search(r'id="id_kind_\d+"[^>]*value="suspension"[^>]*checked', body)


def test_the_error_summary_links_to_the_first_radio(client, town):
    pupil = town.pupil(school=town.school_a)
    client.force_login(town.officer)
    body = client.post(reverse("placements:new-episode", kwargs={"pk": pupil.pk}), {"summary": ""}).content.decode()
    assert "Choose why the child needs alternative provision" in body
    anchors = re.findall(r'href="#(id_kind[^"]*)"', body)
    assert anchors and all(f'id="{anchor}"' in body for anchor in anchors)
