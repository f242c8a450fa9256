"""The demo's applications: the small unregistered provider's draft shows what it lacks; the registered provider's
submitted application waits for its answer to a clarification. Built through the services, and idempotent."""

import pytest

from aphub.commissioning.applications.queries import Readiness, readiness
from aphub.commissioning.models import Application, Clarification
from aphub.demo.applications import build_demo_applications
from aphub.organisations.models import Provider, Role
from tests.factories import ProviderFactory, member

from .makers import make_arrangement

pytestmark = pytest.mark.django_db

DEMO_LOTS = [
    (
        "Face to face full time",
        ["registration", "safeguarding-lead", "insurance-employers-liability", "ofsted-outcome"],
        False,
    ),
    ("Part time and vocational", ["registration", "safeguarding-lead", "dbs-checks", "safeguarding-policy"], True),
    ("Therapeutic", ["registration", "insurance-public-liability", "national-standards-unregistered-ap"], True),
    ("Online", ["registration", "data-protection"], False),
]


@pytest.fixture
def demo(la):
    greenway = ProviderFactory(
        legal_name="Greenway Farm Learning CIC",
        registration_status=Provider.RegistrationStatus.UNREGISTERED,
        local_authority=la,
    )
    academy = ProviderFactory(
        legal_name="Vale Inclusion Academy Trust",
        registration_status=Provider.RegistrationStatus.REGISTERED_SCHOOL,
        local_authority=la,
    )
    member(Role.PROVIDER_STAFF, greenway)
    member(Role.PROVIDER_STAFF, academy)
    member(Role.LA_OFFICER, la)
    arrangement = make_arrangement(la, lots=DEMO_LOTS)
    return arrangement, greenway, academy


def test_the_small_provider_has_a_draft_and_sees_what_it_lacks(la, demo):
    arrangement, greenway, _ = demo
    build_demo_applications(la)
    draft = Application.objects.get(provider=greenway)
    assert draft.status == Application.Status.DRAFT
    assert sorted(lot.title for lot in draft.lots.all()) == ["Part time and vocational", "Therapeutic"]
    states = {item.criterion.code: item.state for item in readiness(greenway, arrangement, draft.lots.all())}
    assert states["registration"] == Readiness.READY
    assert states["safeguarding-lead"] == Readiness.EXPIRING_SOON
    assert states["insurance-public-liability"] == Readiness.BELOW_MINIMUM
    assert states["dbs-checks"] == Readiness.MISSING


def test_the_registered_provider_waits_to_answer_a_clarification(la, demo):
    _, _, academy = demo
    build_demo_applications(la)
    questioned = Application.objects.get(provider=academy)
    assert questioned.status == Application.Status.CLARIFICATION
    assert questioned.paused_since is not None
    assert Clarification.objects.get(application=questioned).criterion == "insurance-employers-liability"


def test_running_it_again_changes_nothing(la, demo):
    first = build_demo_applications(la)
    again = build_demo_applications(la)
    assert first == again == {"applications": 2, "evidence documents": again["evidence documents"]}


def test_without_an_open_arrangement_it_makes_nothing(la):
    assert build_demo_applications(la) == {}
