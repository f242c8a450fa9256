"""The error summary's links go where GOV.UK says: to the input of the field each message is about."""

from django import forms

from aphub.core.forms.error_summary import error_links
from aphub.core.forms.fields import DateField
from aphub.core.forms.formsets import RowsFormSet


class VisitForm(forms.Form):
    visited_on = DateField(label="Date of the visit", what="date of the visit")
    rating = forms.ChoiceField(choices=[("good", "Good"), ("poor", "Poor")], widget=forms.RadioSelect)
    areas = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField()
    visit = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("The visit cannot be recorded yet")


def links(form) -> dict[str, str]:
    return {link["text"]: link["href"] for link in error_links(form)}


def test_an_empty_date_links_to_its_day_box():
    assert links(VisitForm(data={"visit": "1"}))["Enter the date of the visit"] == "#id_visited_on_0"


def test_radios_and_checkboxes_link_to_their_first_option():
    by_field = {link["href"] for link in error_links(VisitForm(data={}))}
    assert {"#id_rating_1", "#id_areas_1", "#id_notes"} <= by_field


def test_a_date_missing_one_part_links_to_that_part():
    form = VisitForm(data={"visited_on_0": "3", "visited_on_2": "2026"})
    assert links(form)["The date of the visit must include a month"] == "#id_visited_on_1"


def test_a_message_about_the_whole_form_or_a_hidden_field_links_to_the_first_field():
    shown = links(VisitForm(data={"visit": "not a number"}))
    assert shown["The visit cannot be recorded yet"] == "#id_visited_on_0"
    assert shown["Enter a whole number."] == "#id_visited_on_0"


class CostRow(forms.Form):
    label = forms.CharField(error_messages={"required": "Enter what the cost is for"})


def test_a_formset_rows_message_links_to_that_rows_field_and_an_unbound_form_has_none():
    rows = forms.formset_factory(CostRow, formset=RowsFormSet, extra=0)
    data = {"costs-TOTAL_FORMS": "2", "costs-INITIAL_FORMS": "2", "costs-0-label": "Day rate", "costs-1-label": ""}
    assert error_links(None, VisitForm(), rows(data, prefix="costs")) == [
        {"href": "#id_costs-1-label", "text": "Enter what the cost is for"}
    ]
