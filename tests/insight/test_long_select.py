"""The dashboards' school and provider filters (filters.LongSelect) list hundreds of options written in one pass: the
markup is what its template loop over Django's own select's options wrote, the chosen option selected, every name
escaped."""

import pytest
from django import forms
from django.forms.renderers import get_default_renderer

from aphub.insight.dashboards.filters import LongSelect

CHOICES = [("", "Any school"), ("12", "Oak & Ash <Academy>"), ("7", 'St "Mary\'s"'), ("120", "Elm")]

# The widget's template before it wrote the options itself: a loop over Django's Select's options.
LOOPED = (
    '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>{% for group_name, group_choices, '
    "group_index in widget.optgroups %}{% for option in group_choices %}\n"
    """  <option value="{{ option.value|stringformat:'s' }}"{% if option.selected %} selected{% endif %}>"""
    "{{ option.label }}</option>{% endfor %}{% endfor %}\n</select>"
)


@pytest.mark.parametrize("value", [None, "", "7", "12", "999"])
def test_the_long_select_writes_what_the_loop_over_djangos_options_wrote(value):
    attrs = {"id": "id_school", "class": "govuk-select"}
    ours = LongSelect(choices=CHOICES).render("school", value, attrs)
    # Django's select given the GOV.UK class as LongSelect gives it itself (keyboard and 320 px reflow, WCAG 1.4.10).
    context = forms.Select(attrs={"class": "govuk-select"}, choices=CHOICES).get_context("school", value, attrs)
    assert ours == get_default_renderer().engine.from_string(LOOPED).render(context)


def test_the_long_select_is_a_govuk_select():
    assert '<select name="school" class="govuk-select" id="id_school">' in LongSelect(choices=CHOICES).render(
        "school", None, {"id": "id_school"}
    )


def test_the_chosen_school_is_selected_and_names_are_escaped():
    html = LongSelect(choices=CHOICES).render("school", "12", {"id": "id_school"})
    assert '<option value="12" selected>Oak &amp; Ash &lt;Academy&gt;</option>' in html
    assert html.count(" selected") == 1
