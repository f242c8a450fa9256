"""each_word_matches: the search box's condition, every word in one of the fields, bounded in words."""

import pytest
from django.db.models import Q

from aphub.core.web.query_filters import each_word_matches
from aphub.pupils.models import Pupil
from tests.factories import PupilFactory

NAMES = ("first_name__icontains", "last_name__icontains")


def test_no_words_is_no_condition():
    assert each_word_matches("  ", NAMES, most=5) == Q()


def test_only_the_first_words_count():
    condition = each_word_matches("a b c d", NAMES, most=2)
    assert condition == (Q(first_name__icontains="a") | Q(last_name__icontains="a")) & (
        Q(first_name__icontains="b") | Q(last_name__icontains="b")
    )


@pytest.mark.django_db
def test_every_word_must_match_some_field():
    ada = PupilFactory(first_name="Ada", last_name="Ashby")
    PupilFactory(first_name="Ada", last_name="Birch")
    assert list(Pupil.objects.filter(each_word_matches("ada ash", NAMES, most=5))) == [ada]
