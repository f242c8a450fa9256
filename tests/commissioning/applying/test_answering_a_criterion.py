"""A criterion's page: the guidance, a statement, evidence chosen from the library or uploaded there and then;
saved as a draft at any point."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aphub.commissioning.applications import services
from aphub.commissioning.models import Evidence
from aphub.core.errors import DomainError, NotPermitted

from .makers import EICAR, PDF_BYTES, make_application, make_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(provider, arrangement):
    return services.start_application(
        user=provider.memberships.get().user, arrangement=arrangement, lots=arrangement.lots.filter(number=1)
    )


@pytest.fixture
def insurance(application):
    return application.responses.get(criterion="insurance-public-liability")


def test_the_page_shows_the_guidance_and_asks_for_cover_and_expiry(staff_client, insurance):
    body = staff_client.get(reverse("commissioning:response", kwargs={"pk": insurance.pk})).content.decode()
    assert "You need public liability cover of at least £5 million." in body
    assert 'name="cover_amount"' in body and 'name="expires_on_0"' in body


def test_a_criterion_without_expiry_or_cover_does_not_ask_for_them(staff_client, application):
    registration = application.responses.get(criterion="registration")
    body = staff_client.get(reverse("commissioning:response", kwargs={"pk": registration.pk})).content.decode()
    assert 'name="cover_amount"' not in body and 'name="expires_on_0"' not in body


def test_saving_a_statement_with_library_evidence(staff_client, provider, insurance):
    item = make_evidence(provider, "insurance-public-liability", cover_amount="5000000", expires_on=None)
    other = make_evidence(provider, "registration")
    response = staff_client.post(
        reverse("commissioning:response", kwargs={"pk": insurance.pk}),
        {"statement": "Cover with Acme Mutual.", "evidence": [str(item.pk), str(other.pk)]},
    )
    assert response.status_code == 302
    insurance.refresh_from_db()
    assert insurance.statement == "Cover with Acme Mutual."
    assert set(insurance.evidence.all()) == {item, other}


def test_uploading_new_evidence_from_the_page_files_it_in_the_library_and_attaches_it(staff_client, insurance):
    response = staff_client.post(
        reverse("commissioning:response", kwargs={"pk": insurance.pk}),
        {
            "statement": "Cover with Acme Mutual.",
            "title": "Public liability schedule 2027",
            "file": SimpleUploadedFile("schedule.pdf", PDF_BYTES),
            "cover_amount": "10,000,000",
            "expires_on_0": "1",
            "expires_on_1": "4",
            "expires_on_2": "2027",
        },
    )
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert item.criterion == "insurance-public-liability"
    assert list(insurance.evidence.all()) == [item]


def test_an_infected_upload_saves_nothing_and_keeps_the_words_on_the_page(staff_client, insurance):
    response = staff_client.post(
        reverse("commissioning:response", kwargs={"pk": insurance.pk}),
        {
            "statement": "Cover with Acme Mutual.",
            "title": "Schedule",
            "file": SimpleUploadedFile("schedule.pdf", PDF_BYTES + EICAR),
            "cover_amount": "5000000",
            "expires_on_0": "1",
            "expires_on_1": "4",
            "expires_on_2": "2027",
        },
    )
    body = response.content.decode()
    assert "virus check found a problem" in body
    assert "Cover with Acme Mutual." in body
    insurance.refresh_from_db()
    assert insurance.statement == ""
    assert not Evidence.objects.exists()


def test_a_file_without_a_title_is_named(staff_client, insurance):
    body = staff_client.post(
        reverse("commissioning:response", kwargs={"pk": insurance.pk}),
        {"statement": "Words", "file": SimpleUploadedFile("s.pdf", PDF_BYTES)},
    ).content.decode()
    assert "Enter a title for the document you are uploading" in body


def test_another_providers_evidence_cannot_be_attached(staff, other_provider, insurance):
    theirs = make_evidence(other_provider, "insurance-public-liability", cover_amount="5000000")
    with pytest.raises(NotPermitted):
        services.save_response(user=staff, response=insurance, statement="x", evidence=[theirs])


def test_another_providers_evidence_is_not_offered_and_cannot_be_posted(
    staff_client, provider, other_provider, insurance
):
    make_evidence(provider, "registration", title="Our certificate")
    theirs = make_evidence(other_provider, "insurance-public-liability", title="Their schedule")
    url = reverse("commissioning:response", kwargs={"pk": insurance.pk})
    assert "Their schedule" not in staff_client.get(url).content.decode()
    body = staff_client.post(url, {"statement": "x", "evidence": [str(theirs.pk)]}).content.decode()
    assert "Choose evidence from the list" in body
    assert not insurance.evidence.exists()


def test_a_saved_draft_keeps_its_answers_for_later(staff_client, provider, arrangement):
    application = make_application(provider, arrangement)
    registration = application.responses.create(criterion="registration", statement="Draft words")
    body = staff_client.get(reverse("commissioning:response", kwargs={"pk": registration.pk})).content.decode()
    assert "Draft words" in body


def test_with_an_empty_library_a_posted_evidence_id_is_ignored(staff_client, other_provider, insurance):
    theirs = make_evidence(other_provider, "insurance-public-liability", title="Their schedule")
    staff_client.post(
        reverse("commissioning:response", kwargs={"pk": insurance.pk}), {"statement": "x", "evidence": [theirs.pk]}
    )
    assert not insurance.evidence.exists()


def test_a_statement_too_long_gets_the_same_sentence_from_the_page_and_the_service(staff_client, staff, insurance):
    # One limit (commissioning.applications.services.STATEMENT), asked by the response form and by save_response.
    too_long = "x" * (services.MAX_STATEMENT + 1)
    page = staff_client.post(reverse("commissioning:response", kwargs={"pk": insurance.pk}), {"statement": too_long})
    with pytest.raises(DomainError) as refused:
        services.save_response(user=staff, response=insurance, statement=too_long)
    assert page.context["form"].errors["statement"] == [refused.value.message]
    assert refused.value.message == "The statement must be 10,000 characters or fewer"
