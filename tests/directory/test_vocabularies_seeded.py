"""A new database (a council's first, a developer's, each test run's) holds the directory's vocabularies from its
migrations: referrals, searches and the ORUK taxonomy need them before anyone has added a provision."""

import pytest

from aphub.directory.models import TERMS, Term

pytestmark = pytest.mark.django_db


def test_a_migrated_database_holds_every_term_the_app_knows_in_its_order():
    # The migration keeps its own copy of TERMS (decision 0032): a term added to TERMS without a data migration
    # would be missing from every database that already exists, and fails here.
    seeded = {(term.vocabulary, term.code, term.label, term.position) for term in Term.objects.all()}
    assert seeded == {
        (str(vocabulary), code, label, position)
        for vocabulary, terms in TERMS.items()
        for position, (code, label) in enumerate(terms)
    }
