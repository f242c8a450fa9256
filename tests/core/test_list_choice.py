"""A choice from a list of the records a page may offer (aphub.core.forms.fields.list_choice and ListChoiceForm): the
form offers only the records its view gives, so a posted id of another record is refused in the list's words."""

import pytest

from aphub.core.forms.fields import ListChoiceForm, list_choice
from aphub.organisations.models import School
from tests.factories import SchoolFactory


class SchoolChoiceForm(ListChoiceForm):
    school = list_choice("a school", label="School", required="Choose the school")
    choice, among = "school", "schools"


@pytest.mark.django_db
def test_a_school_among_those_offered_is_chosen():
    offered = SchoolFactory()
    form = SchoolChoiceForm({"school": offered.pk}, schools=School.objects.filter(pk=offered.pk))
    assert form.is_valid()
    assert form.cleaned_data["school"] == offered


@pytest.mark.django_db
def test_a_school_not_offered_is_refused_in_the_lists_words():
    offered, other = SchoolFactory(), SchoolFactory()
    form = SchoolChoiceForm({"school": other.pk}, schools=School.objects.filter(pk=offered.pk))
    assert form.errors == {"school": ["Choose a school from the list"]}


@pytest.mark.django_db
def test_no_choice_gives_the_pages_message_and_the_first_option_asks_for_one():
    form = SchoolChoiceForm({}, schools=School.objects.none())
    assert form.errors == {"school": ["Choose the school"]}
    assert form.fields["school"].empty_label == "Choose a school"


def test_without_a_message_for_no_choice_the_choice_may_be_left():
    assert not list_choice("a provision").required
