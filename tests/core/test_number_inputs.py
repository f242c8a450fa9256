"""Every number a form asks for is a GOV.UK number input: a text input with inputmode, no spinners, a sized box."""

import importlib
import pkgutil
import re

import pytest
from django import forms

import aphub
from aphub.core.forms.fields import PoundsField, WholeNumberField, number_input
from aphub.core.forms.validators import NumberLimitField


def _all_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(aphub.__path__, "aphub."):
        if module.name.rsplit(".", 1)[-1].endswith("forms"):
            importlib.import_module(module.name)
    found, stack = [], [forms.Form]
    while stack:
        for subclass in stack.pop().__subclasses__():
            stack.append(subclass)
            if subclass.__module__.startswith("aphub."):
                found.append(subclass)
    return found


NUMBER_FIELDS = [
    (f"{form.__module__}.{form.__name__}.{name}", field)
    for form in _all_form_classes()
    for name, field in form.base_fields.items()
    # A hidden number (a formset's counts, an id carried from a link) is no question a person answers.
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField | NumberLimitField)
    and not field.widget.is_hidden
]


def test_the_walk_finds_the_number_fields():
    names = {name.rsplit(".", 2)[-1] for name, _ in NUMBER_FIELDS}
    assert {"places", "age_min", "sessions_per_week", "weeks", "place_funding_annual"} <= names


@pytest.mark.parametrize(("name", "field"), NUMBER_FIELDS, ids=[name for name, _ in NUMBER_FIELDS])
def test_every_number_field_is_a_govuk_number_input(name, field):
    widget = field.widget
    assert type(widget) is forms.TextInput, f"{name} renders as {type(widget).__name__}, with spinners"
    assert widget.attrs.get("inputmode") in ("numeric", "decimal")
    assert re.fullmatch(r"govuk-input--width-\d+", widget.attrs.get("class", ""))


def test_a_whole_number_renders_as_the_govuk_pattern():
    class Places(forms.Form):
        places = WholeNumberField(label="Number of places", width=4, min_value=0)

    html = str(Places()["places"])
    assert 'type="text"' in html and 'inputmode="numeric"' in html and 'spellcheck="false"' in html
    assert "govuk-input--width-4" in html
    assert "min=" not in html  # no browser validation: the server's message is the one a person reads


def test_a_whole_number_keeps_its_server_messages():
    class Places(forms.Form):
        places = WholeNumberField(label="Number of places", min_value=0, error_messages={"invalid": "Enter a number"})

    form = Places({"places": "1e3"})
    assert not form.is_valid() and form.errors["places"] == ["Enter a number"]
    assert Places({"places": " 12 "}).is_valid()


def test_pounds_use_the_decimal_keypad_and_stay_pence_exact():
    class Cost(forms.Form):
        amount = PoundsField(label="Cost in pounds", max_digits=10)

    form = Cost({"amount": "95.10"})
    assert form.is_valid() and str(form.cleaned_data["amount"]) == "95.10"
    assert 'inputmode="decimal"' in str(form["amount"])
    assert not Cost({"amount": "95.105"}).is_valid()


def test_only_govuk_widths_are_allowed():
    with pytest.raises(ValueError, match="GOV.UK input widths"):
        number_input(7)
