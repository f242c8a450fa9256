"""Suspension stops new placements under a lot and lists the provider's current placements for review; removal ends
eligibility for good."""

import pytest
from django.core import mail
from django.urls import reverse

from aphub.commissioning.models import Admission
from aphub.commissioning.quality.services import AdmissionMove, change_admission
from aphub.core.errors import DomainError, InvalidTransition, NotPermitted
from aphub.placements.models import Placement

from .conftest import make_arrangement


def test_suspension_lists_the_current_placements_by_initials_and_number(client, qa):
    offered = qa.place(status="offered", first_name="Robin", last_name="Hartley")
    active = qa.place(first_name="Priya", last_name="Shah")
    Placement.objects.filter(pk=active.pk).update(lot=qa.lot)
    ended = qa.place(status="ended", first_name="Sam", last_name="Okafor")
    others = qa.place(la=qa.other_la, first_name="Yusuf", last_name="Yewdale")
    client.force_login(qa.officer)
    url = reverse("commissioning:quality-admission-suspend", kwargs={"pk": qa.admission.pk})
    response = client.post(url, {"reason": "Safeguarding concerns under investigation"})
    assert response.status_code == 302
    qa.admission.refresh_from_db()
    assert (qa.admission.status, qa.admission.status_reason) == (
        "suspended",
        "Safeguarding concerns under investigation",
    )
    assert qa.admission.status_changed_by == qa.officer
    page = client.get(reverse("commissioning:quality-admission", kwargs={"pk": qa.admission.pk})).content.decode()
    for shown in (offered, active):
        assert reverse("placements:placement", kwargs={"pk": shown.pk}) in page
    assert "R. H." in page and "P. S." in page
    assert "Robin" not in page and "Hartley" not in page and "Priya" not in page
    assert reverse("placements:placement", kwargs={"pk": ended.pk}) not in page
    assert reverse("placements:placement", kwargs={"pk": others.pk}) not in page  # another LA's child
    # The placement under this lot comes first.
    assert page.index(f"Placement {active.pk}<") < page.index(f"Placement {offered.pk}<")
    assert [message.to for message in mail.outbox] == [[qa.provider_staff.email]]
    assert "suspended" in mail.outbox[0].subject


def test_a_reason_is_required(client, qa):
    client.force_login(qa.officer)
    url = reverse("commissioning:quality-admission-suspend", kwargs={"pk": qa.admission.pk})
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Say why the provider is suspended" in response.content.decode()
    qa.admission.refresh_from_db()
    assert qa.admission.status == "admitted"


def test_a_suspended_provider_is_reinstated(qa):
    change_admission(user=qa.officer, admission=qa.admission, move=AdmissionMove.SUSPEND, reason="Concerns")
    change_admission(user=qa.officer, admission=qa.admission, move=AdmissionMove.REINSTATE, reason="Resolved")
    assert Admission.objects.get(pk=qa.admission.pk).status == "admitted"


def test_a_removed_provider_cannot_be_reinstated(client, qa):
    change_admission(user=qa.officer, admission=qa.admission, move=AdmissionMove.REMOVE, reason="Contract ended")
    with pytest.raises(InvalidTransition, match="must apply again"):
        change_admission(user=qa.officer, admission=qa.admission, move=AdmissionMove.REINSTATE, reason="Try")
    client.force_login(qa.officer)
    page = client.get(reverse("commissioning:quality-admission", kwargs={"pk": qa.admission.pk})).content.decode()
    assert "Reinstate" not in page and "Suspend</a>" not in page
    response = client.post(
        reverse("commissioning:quality-admission-reinstate", kwargs={"pk": qa.admission.pk}), {"reason": "Try"}
    )
    assert response.status_code == 302
    assert Admission.objects.get(pk=qa.admission.pk).status == "removed"


def test_only_the_arrangements_owner_la_changes_an_admission(qa):
    shared = make_arrangement(qa.other_la, lots=1)
    shared.partners.add(qa.la)
    from .conftest import admit

    admission = admit(qa.provider, shared.lots.get())
    for user in (qa.officer, qa.auditor):  # a partner LA's officer; an auditor of the owner
        with pytest.raises(NotPermitted):
            change_admission(user=user, admission=admission, move=AdmissionMove.SUSPEND, reason="Concerns")
    with pytest.raises(DomainError, match="Say why"):
        change_admission(user=qa.other_officer, admission=admission, move=AdmissionMove.SUSPEND, reason=" ")
    change_admission(user=qa.other_officer, admission=admission, move=AdmissionMove.SUSPEND, reason="Concerns")
