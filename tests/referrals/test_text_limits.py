"""A referral's text limits are written once (placements.referrals.services): the pages and the services say the same
sentence for a document title or a consent too long."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aphub.core.errors import DomainError
from aphub.placements.models import PanelDecision, PanelMeeting, ReferralDocument
from aphub.placements.referrals import services
from aphub.placements.referrals.forms import DecisionForm, DocumentForm, PanelMeetingForm, ReferralForm

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


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("needs_summary", "Summary of the child's needs must be 10,000 characters or fewer"),
        ("risks", "Risks must be 10,000 characters or fewer"),
        ("tried_so_far", "What has been tried must be 10,000 characters or fewer"),
        ("child_views", "The child's views must be 10,000 characters or fewer"),
        ("parent_views", "The parents' or carers' views must be 10,000 characters or fewer"),
    ],
)
def test_a_referral_answer_too_long_gets_the_same_sentence_from_the_form_and_the_service(
    school_staff, draft, field, message
):
    too_long = "x" * 10001
    with pytest.raises(ValidationError) as by_form:
        ReferralForm.base_fields[field].clean(too_long)
    with pytest.raises(DomainError) as refused:
        services.update_referral(user=school_staff, referral=draft, **{field: too_long})
    assert by_form.value.messages == [refused.value.message] == [message]
    assert refused.value.field == field
    draft.refresh_from_db()
    assert getattr(draft, field) != too_long

    services.update_referral(user=school_staff, referral=draft, **{field: "x" * 10000})
    draft.refresh_from_db()
    assert getattr(draft, field) == "x" * 10000


def test_a_list_of_panel_members_too_long_gets_the_same_sentence_from_the_page_and_the_service(officer):
    too_long = "Ali Khan, AP lead (chair)\n" + "x" * 4975  # 5,001 characters
    page = PanelMeetingForm(data={"date_0": "4", "date_1": "12", "date_2": "2026", "members": too_long})
    with pytest.raises(DomainError) as refused:
        services.create_panel_meeting(user=officer, date=datetime.date(2026, 12, 4), members=too_long)
    assert (
        page.errors["members"]
        == [refused.value.message]
        == ["The list of panel members must be 5,000 characters or fewer"]
    )
    assert not PanelMeeting.objects.exists()


def test_a_decisions_reasons_too_long_get_the_same_sentence_from_the_page_and_the_service(officer, submitted):
    meeting = services.create_panel_meeting(user=officer, date=datetime.date(2026, 12, 4), members="Chair")
    too_long = "x" * 10001
    page = DecisionForm(data={"outcome": "defer", "reasons": too_long}, provisions=[], suggested_ids=[])
    with pytest.raises(DomainError) as refused:
        services.record_decision(user=officer, meeting=meeting, referral=submitted, outcome="defer", reasons=too_long)
    assert (
        page.errors["reasons"]
        == [refused.value.message]
        == ["The reasons for the decision must be 10,000 characters or fewer"]
    )
    assert not PanelDecision.objects.exists()
