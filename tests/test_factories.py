"""The shared factories make what a test asks for: a new council is new, whatever ran before it on the worker."""

import pytest

from aphub.organisations.models import LocalAuthority
from tests.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db


def test_a_new_council_never_lands_on_a_code_a_test_fixed():
    fixed = LocalAuthorityFactory(name="Elmbridge Vale Council", la_code="990")
    # The sequence at the fixed code, as it is after 190 councils made earlier on the same worker.
    LocalAuthorityFactory.reset_sequence(190)
    made = LocalAuthorityFactory(name="Third Vale Council")
    assert made.pk != fixed.pk and made.la_code != "990"
    assert LocalAuthority.objects.get(pk=fixed.pk).name == "Elmbridge Vale Council"
    assert made.name == "Third Vale Council"
