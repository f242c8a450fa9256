import pytest

from aphub.commissioning.evaluation import services as evaluation
from aphub.commissioning.evaluation.queries import application_criteria
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, ProviderFactory, member

from . import builders


@pytest.fixture
def la():
    return LocalAuthorityFactory(name="Elmshire County Council")


@pytest.fixture
def officer(la):
    return member(Role.LA_OFFICER, la)


@pytest.fixture
def second_officer(la):
    return member(Role.LA_OFFICER, la)


@pytest.fixture
def provider(la):
    return ProviderFactory(legal_name="Greenway Learning Ltd", local_authority=la)


@pytest.fixture
def dps(la):
    return builders.arrangement(la, title="Elmshire AP dynamic purchasing system")


@pytest.fixture
def submitted(provider, dps):
    return builders.application(provider, dps)


def score_all(user, application, outcome: str = "met", **by_code: str):
    """Score every criterion of the application `outcome`, or the outcome named for its code."""
    scores = [
        evaluation.Score(
            criterion=criterion.code,
            outcome=by_code.get(criterion.code.replace("-", "_"), outcome),
            reason=f"Checked {criterion.title}",
            question=f"Please explain {criterion.title}",
        )
        for criterion in application_criteria(application)
    ]
    return evaluation.score_application(user=user, application=application, scores=scores)


def admit(application, first, second):
    """Every criterion met, recommended by `first`, signed off by `second`."""
    score_all(first, application)
    evaluation.recommend(user=first, application=application, outcome="admit")
    return evaluation.sign_off(user=second, application=application)
