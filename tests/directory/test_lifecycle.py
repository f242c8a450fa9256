"""The provision lifecycle: every allowed move, every forbidden one, and who may make it."""

import pytest

from aphub.core.errors import DomainError, InvalidTransition, NotPermitted
from aphub.directory import services
from aphub.directory.models import Provision
from aphub.directory.queries import published_provisions, search_provisions
from aphub.directory.snapshots import snapshot_of
from tests.directory.conftest import provision_values
from tests.factories import CostOptionFactory, ProvisionFactory

pytestmark = pytest.mark.django_db

S = Provision.Status
STATES = ["draft", "submitted", "published", "published+pending", "archived"]


def make(provider, state: str) -> Provision:
    status = state.split("+")[0]
    provision = ProvisionFactory(provider=provider, status=status, postcode="B91 3SX", term_codes=["tier-2"])
    if state.endswith("+pending"):
        proposal = snapshot_of(provision)
        proposal["fields"]["name"] = "Proposed name"
        provision.pending_changes = proposal
        provision.save()
    return provision


def act(action: str, provision: Provision, user):
    if action == "edit":
        return services.update_provision(user=user, provision=provision, values={"summary": "A new summary"})
    if action == "reject":
        return services.reject_provision(user=user, provision=provision, reason="Add your admissions criteria")
    return getattr(services, f"{action}_provision")(user=user, provision=provision)


# (action, state) -> the status afterwards. Written out by hand, not derived from services.PROVISION.
ALLOWED = {
    ("edit", "draft"): "draft",
    ("edit", "published"): "published",
    ("edit", "published+pending"): "published",
    ("submit", "draft"): "submitted",
    ("approve", "submitted"): "published",
    ("approve", "published+pending"): "published",
    ("reject", "submitted"): "draft",
    ("reject", "published+pending"): "published",
    ("archive", "draft"): "archived",
    ("archive", "submitted"): "archived",
    ("archive", "published"): "archived",
    ("archive", "published+pending"): "archived",
    ("restore", "archived"): "draft",
}
ACTIONS = ["edit", "submit", "approve", "reject", "archive", "restore"]
ACTOR = {"edit": "provider_staff", "submit": "provider_staff", "approve": "officer", "reject": "officer"}


@pytest.mark.parametrize(("action", "state"), sorted(ALLOWED))
def test_allowed_move_reaches_the_expected_status(request, provider, action, state):
    user = request.getfixturevalue(ACTOR.get(action, "provider_staff"))
    provision = make(provider, state)
    moved = act(action, provision, user)
    moved.refresh_from_db()
    assert moved.status == ALLOWED[(action, state)]


@pytest.mark.parametrize(("action", "state"), [(a, s) for a in ACTIONS for s in STATES if (a, s) not in ALLOWED])
def test_forbidden_move_raises_invalid_transition_and_changes_nothing(request, provider, action, state):
    user = request.getfixturevalue(ACTOR.get(action, "officer"))
    provision = make(provider, state)
    before = (provision.status, provision.pending_changes, provision.summary)
    with pytest.raises(InvalidTransition) as raised:
        act(action, provision, user)
    assert raised.value.message  # a sentence for the user
    provision.refresh_from_db()
    assert (provision.status, provision.pending_changes, provision.summary) == before


@pytest.mark.parametrize("state", ["draft", "submitted", "published", "archived"])
def test_la_officer_and_admin_may_archive_and_restore(request, provider, state):
    for fixture in ("officer", "la_admin"):
        user = request.getfixturevalue(fixture)
        provision = make(provider, state)
        if state == "archived":
            assert services.restore_provision(user=user, provision=provision).status == S.DRAFT
        else:
            assert services.archive_provision(user=user, provision=provision).status == S.ARCHIVED


@pytest.mark.parametrize(
    ("fixture", "action", "state"),
    [
        ("provider_staff", "approve", "submitted"),  # a provider cannot approve its own provision
        ("provider_staff", "approve", "published+pending"),
        ("provider_staff", "reject", "submitted"),
        ("auditor", "approve", "submitted"),  # auditors only read
        ("auditor", "archive", "published"),
        ("auditor", "edit", "draft"),
        ("officer", "edit", "draft"),  # the LA approves; the provider writes
        ("officer", "submit", "draft"),
        ("other_officer", "approve", "submitted"),  # another LA
        ("other_officer", "archive", "published"),
        ("other_provider_staff", "edit", "draft"),  # another provider
        ("other_provider_staff", "submit", "draft"),
        ("other_provider_staff", "archive", "published"),
    ],
)
def test_wrong_role_or_organisation_is_not_permitted(request, provider, fixture, action, state):
    user = request.getfixturevalue(fixture)
    provision = make(provider, state)
    with pytest.raises(NotPermitted):
        act(action, provision, user)
    provision.refresh_from_db()
    assert provision.status == state.split("+")[0]


def test_school_staff_and_the_public_are_not_permitted(provider):
    from aphub.organisations.models import Role
    from tests.factories import SchoolFactory, member

    provision = make(provider, "submitted")
    school_staff = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=provider.local_authority))
    for user in (school_staff, None):
        with pytest.raises(NotPermitted):
            services.approve_provision(user=user, provision=provision)


def test_only_provider_staff_can_create_and_it_starts_as_a_draft_in_their_la(provider_staff, officer, provider):
    with pytest.raises(NotPermitted):
        services.create_provision(user=officer, values=provision_values())
    made = services.create_provision(
        user=provider_staff,
        values=provision_values(),
        term_codes=["tier-2", "ks3", "semh"],
        cost_options=[{"label": "Full day", "amount": "95.00", "unit": "day"}],
    )
    assert made.status == S.DRAFT
    assert made.provider == provider and made.local_authority == provider.local_authority
    assert sorted(made.terms.values_list("code", flat=True)) == ["ks3", "semh", "tier-2"]
    assert [(c.label, str(c.amount)) for c in made.cost_options.all()] == [("Full day", "95.00")]
    assert not published_provisions().filter(pk=made.pk).exists()


def test_saving_geocodes_the_postcode(provider_staff):
    made = services.create_provision(user=provider_staff, values=provision_values(postcode="b91 3sx"))
    assert made.postcode == "B91 3SX"
    assert made.latitude == pytest.approx(52.405682) and made.longitude == pytest.approx(-1.779049)


def test_an_unknown_but_real_postcode_is_saved_without_a_location(provider_staff):
    made = services.create_provision(user=provider_staff, values=provision_values(postcode="ZE3 9JZ"))
    assert made.postcode == "ZE3 9JZ" and made.latitude is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"age_min": 16, "age_max": 11}, "age_max"),
        ({"postcode": "not a postcode"}, "postcode"),
        ({"contact_email": "nope"}, "contact_email"),
    ],
)
def test_bad_values_give_a_domain_error_naming_the_field_and_save_nothing(provider_staff, overrides, field):
    with pytest.raises(DomainError) as raised:
        services.create_provision(user=provider_staff, values=provision_values(**overrides))
    assert raised.value.field == field
    assert not Provision.objects.exists()


def test_unknown_terms_and_bad_costs_are_refused(provider_staff):
    with pytest.raises(DomainError):
        services.create_provision(user=provider_staff, values=provision_values(), term_codes=["tier-9"])
    with pytest.raises(DomainError):
        services.create_provision(
            user=provider_staff,
            values=provision_values(),
            cost_options=[{"label": "Day", "amount": "-1", "unit": "day"}],
        )
    assert not Provision.objects.exists()


def test_published_edit_waits_as_pending_changes_and_public_keeps_the_approved_version(
    provider, provider_staff, officer
):
    provision = make(provider, "published")
    CostOptionFactory(provision=provision, label="Full day", amount="95.00")
    services.update_provision(
        user=provider_staff,
        provision=provision,
        values={"name": "Horizons Plus"},
        term_codes=["tier-3", "ks4"],
        cost_options=[{"label": "Full day", "amount": "110.00", "unit": "day"}],
    )
    provision.refresh_from_db()
    public = published_provisions().get(pk=provision.pk)
    assert public.name != "Horizons Plus"
    assert list(public.terms.values_list("code", flat=True)) == ["tier-2"]
    assert [str(c.amount) for c in public.cost_options.all()] == ["95.00"]
    assert provision.pending_changes["fields"]["name"] == "Horizons Plus"
    assert provision.pending_changes["term_codes"] == ["ks4", "tier-3"]
    assert provision.pending_changes["cost_options"] == [{"label": "Full day", "amount": "110.00", "unit": "day"}]
    assert search_provisions(words="Plus").count == 0

    services.approve_provision(user=officer, provision=provision)
    provision.refresh_from_db()
    assert provision.name == "Horizons Plus" and provision.pending_changes is None
    assert sorted(provision.terms.values_list("code", flat=True)) == ["ks4", "tier-3"]
    assert [str(c.amount) for c in provision.cost_options.all()] == ["110.00"]
    assert provision.approved_by == officer and provision.approved_at is not None
    assert search_provisions(words="Plus").count == 1


def test_a_second_edit_builds_on_the_pending_one(provider, provider_staff):
    provision = make(provider, "published")
    services.update_provision(user=provider_staff, provision=provision, values={"name": "Horizons Plus"})
    services.update_provision(user=provider_staff, provision=provision, values={"places": 30})
    provision.refresh_from_db()
    assert provision.pending_changes["fields"]["name"] == "Horizons Plus"
    assert provision.pending_changes["fields"]["places"] == 30
    assert provision.places == 10


def test_editing_back_to_the_published_values_withdraws_the_pending_changes(provider, provider_staff):
    provision = make(provider, "published")
    original = provision.name
    services.update_provision(user=provider_staff, provision=provision, values={"name": "Horizons Plus"})
    services.update_provision(user=provider_staff, provision=provision, values={"name": original})
    provision.refresh_from_db()
    assert provision.pending_changes is None


def test_rejecting_changes_keeps_the_published_version_and_tells_the_provider_why(provider, provider_staff, officer):
    provision = make(provider, "published+pending")
    with pytest.raises(DomainError):
        services.reject_provision(user=officer, provision=provision, reason="   ")
    services.reject_provision(user=officer, provision=provision, reason="The new name is misleading")
    provision.refresh_from_db()
    assert provision.status == S.PUBLISHED and provision.pending_changes is None
    assert provision.name != "Proposed name"
    assert provision.rejection_reason == "The new name is misleading"


def test_first_approval_records_who_and_when(provider, officer):
    provision = make(provider, "submitted")
    approved = services.approve_provision(user=officer, provision=provision)
    assert approved.approved_by == officer
    assert approved.published_at is not None and approved.approved_at == approved.published_at


def test_archiving_drops_pending_changes_and_hides_it_from_search(provider, provider_staff):
    provision = make(provider, "published+pending")
    assert search_provisions().count == 1
    services.archive_provision(user=provider_staff, provision=provision)
    provision.refresh_from_db()
    assert provision.pending_changes is None
    assert search_provisions().count == 0
    services.restore_provision(user=provider_staff, provision=provision)
    assert search_provisions().count == 0  # restored as a draft: approval again before it is public
