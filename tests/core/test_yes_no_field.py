"""A yes or no question (aphub.core.forms.fields.yes_no_field): one GOV.UK message for no answer and for any other."""

import pytest
from django import forms

from aphub.core.forms.fields import yes_no_field

SELECT = "Select yes if the complaint is upheld, or no if it is not"


class UpheldForm(forms.Form):
    upheld = yes_no_field("Is the complaint upheld?", select=SELECT)


class LastedForm(forms.Form):
    lasted = yes_no_field(
        "Has it lasted?", select="Select yes if it has lasted, or no if it has not", coerce=lambda v: v == "yes"
    )


@pytest.mark.parametrize("data", [{}, {"upheld": ""}, {"upheld": "maybe"}])
def test_no_answer_or_another_gives_the_one_message(data):
    assert UpheldForm(data).errors == {"upheld": [SELECT]}


def test_the_answer_is_yes_or_no_or_what_coerce_makes_of_it():
    upheld = UpheldForm({"upheld": "no"})
    lasted = LastedForm({"lasted": "yes"})
    assert upheld.is_valid() and upheld.cleaned_data["upheld"] == "no"
    assert lasted.is_valid() and lasted.cleaned_data["lasted"] is True
