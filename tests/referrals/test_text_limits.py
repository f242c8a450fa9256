"""A referral's text limits are written once (placements.referrals.services): the pages and the services say the same
sentence for a document title or a consent too long."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aphub.core.errors import DomainError
from aphub.placements.models import ReferralDocument
from aphub.placements.referrals import services
from aphub.placements.referrals.forms import DocumentForm, ReferralForm

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
TOO_LONG = "x" * 201


def test_a_document_title_too_long_gets_the_same_sentence_from_the_page_and_the_service(client, school_staff, draft):
    client.force_login(school_staff)
    page = client.post(
        reverse("placements:referral-document-upload", kwargs={"pk": draft.pk}),
        {"title": TOO_LONG, "file": SimpleUploadedFile("plan.pdf", PDF_BYTES)},
    )
    said_by_page = page.context["form"].errors["title"]
    with pytest.raises(DomainError) as refused:
        services.upload_document(
            user=school_staff, referral=draft, title=TOO_LONG, file=SimpleUploadedFile("plan.pdf", PDF_BYTES)
        )
    assert said_by_page == [refused.value.message] == ["The title must be 200 characters or fewer"]
    assert not ReferralDocument.objects.exists()
    assert DocumentForm.base_fields["title"].limit is services.DOCUMENT_TITLE


def test_who_gave_consent_too_long_gets_the_same_sentence_from_the_form_and_the_service(school_staff, draft):
    with pytest.raises(DomainError) as refused:
        services.update_referral(user=school_staff, referral=draft, consent_by=TOO_LONG)
    assert refused.value.field == "consent_by"
    field = ReferralForm.base_fields["consent_by"]
    with pytest.raises(ValidationError) as by_form:
        field.clean(TOO_LONG)
    assert by_form.value.messages == [refused.value.message] == ["Who gave consent must be 200 characters or fewer"]
