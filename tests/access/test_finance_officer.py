"""A finance officer sees no sensitive fact of any child (issue 13, docs/decisions/0027-finance-officer.md).

One child of the finance officer's own LA carries every sensitive fact AP Hub holds (SEN status, medical needs,
safeguarding, looked after) and every piece of free text written about their case (a referral's reasons, the panel's,
a review's notes, the episode's summary, why the placement is part time and past the LA's limits, a cancellation's
and an attendance mark's notes), each a marker found nowhere else. The finance officer opens every page the URL table
says the role may open, and every CSV and XLSX download those pages link to, and finds none of them; the pages of the
child's case answer 403.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Callable

import pytest
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.funding.services import plan_funding
from aphub.organisations.models import Role
from aphub.placements.models import (
    AttendanceMark,
    PanelDecision,
    PanelMeeting,
    Placement,
    PlacementChange,
    Referral,
    Review,
)
from aphub.pupils.models import Pupil
from tests.factories import (
    EnrolmentFactory,
    EpisodeFactory,
    LocalAuthorityFactory,
    PlacementFactory,
    ProvisionFactory,
    PupilFactory,
    SchoolFactory,
    member,
)
from tests.security_keys import stored_security_key

from .urls_under_test import all_urls

pytestmark = pytest.mark.django_db

# Each piece of text written about the child, unique so that finding it anywhere means it leaked.
MARKERS = {
    "medical_needs": "MARKER-MEDICAL-epipen-for-nut-allergy",
    "referral_needs": "MARKER-REFERRAL-NEEDS-autism-assessment",
    "referral_risks": "MARKER-REFERRAL-RISKS-self-harm",
    "referral_tried": "MARKER-REFERRAL-TRIED-mentoring",
    "child_views": "MARKER-CHILD-VIEWS",
    "parent_views": "MARKER-PARENT-VIEWS",
    "panel_reasons": "MARKER-PANEL-REASONS-trauma",
    "panel_members": "MARKER-PANEL-MEMBERS",
    "review_summary": "MARKER-REVIEW-SUMMARY-anxiety-improving",
    "review_voice": "MARKER-REVIEW-VOICE",
    "review_parent": "MARKER-REVIEW-PARENT",
    "episode_summary": "MARKER-EPISODE-SUMMARY-assault-on-staff",
    "part_time_reason": "MARKER-PART-TIME-hospital-appointments",
    "over_limit_reason": "MARKER-OVER-LIMIT-no-other-place",
    "exit_notes": "MARKER-CANCELLED-family-moved-refuge",
    "attendance_note": "MARKER-ATTENDANCE-NOTE-clinic",
}
# How the pages would word the structured sensitive facts, were they shown.
SENSITIVE_WORDS = [
    Pupil.SenStatus.EHC_PLAN.label,
    Pupil.Safeguarding.CHILD_PROTECTION.label,
    "Looked after",
    "looked-after",
    "Child protection",
]
# The pages of a child's case: the finance officer is refused them, whoever's child it is.
CASE_PAGES = [
    "placements:pupils",
    "placements:pupil",
    "placements:referrals",
    "placements:referral",
    "placements:referral-document",
    "placements:panel",
    "placements:panel-meeting",
    "placements:reviews",
    "placements:overdue-reviews",
    "placements:follow-ups",
    "placements:agreement",
    "placements:attendance-placement",
    "audit:access-log",
]


class Child:
    """The finance officer's LA, the officer, and one child with every sensitive fact and note."""

    def __init__(self):
        from django.core.files.base import ContentFile

        from aphub.placements.models import ReferralDocument

        self.la = LocalAuthorityFactory(name="Fenwick Borough Council")
        self.school = SchoolFactory(name="Fenwick Park Academy", local_authority=self.la)
        self.finance_officer = member(Role.FINANCE_OFFICER, self.la)
        self.la_officer = member(Role.LA_OFFICER, self.la)
        self.pupil = PupilFactory(
            local_authority=self.la,
            first_name="Fern",
            last_name="Fairweather",
            sen_status=Pupil.SenStatus.EHC_PLAN,
            medical_needs=MARKERS["medical_needs"],
            looked_after=True,
            safeguarding=Pupil.Safeguarding.CHILD_PROTECTION,
        )
        EnrolmentFactory(pupil=self.pupil, school=self.school)
        self.episode = EpisodeFactory(pupil=self.pupil, school=self.school, summary=MARKERS["episode_summary"])
        self.referral = Referral.objects.create(
            pupil=self.pupil,
            episode=self.episode,
            referring_school=self.school,
            status=Referral.Status.APPROVED,
            requested_tier="2",
            needs_summary=MARKERS["referral_needs"],
            risks=MARKERS["referral_risks"],
            tried_so_far=MARKERS["referral_tried"],
            child_views=MARKERS["child_views"],
            parent_views=MARKERS["parent_views"],
            consent_given=True,
        )
        self.document = ReferralDocument(
            referral=self.referral, title="Fern's plan", content_type="application/pdf", size=9
        )
        self.document.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        self.meeting = PanelMeeting.objects.create(
            local_authority=self.la, date=datetime.date(2026, 11, 2), members=MARKERS["panel_members"]
        )
        self.provision = ProvisionFactory(provider__local_authority=self.la, name="Fenwick Bridge Centre")
        PanelDecision.objects.create(
            meeting=self.meeting,
            referral=self.referral,
            outcome="approve",
            tier="2",
            provision=self.provision,
            reasons=MARKERS["panel_reasons"],
        )
        self.placement = PlacementFactory(
            pupil=self.pupil,
            episode=self.episode,
            referral=self.referral,
            provision=self.provision,
            is_full_time=False,
            sessions_per_week=6,
            part_time_reason=MARKERS["part_time_reason"],
            part_time_review_date=datetime.date(2027, 1, 15),
            over_limit_reason=MARKERS["over_limit_reason"],
            annual_cost="18000.00",
        )
        PlacementChange.objects.create(placement=self.placement, summary=f"Noted: {MARKERS['exit_notes']}")
        # A second placement of the child, cancelled with notes, to be listed too.
        self.cancelled = PlacementFactory(
            pupil=self.pupil,
            episode=self.episode,
            provision=self.provision,
            status=Placement.Status.CANCELLED,
            exit_notes=MARKERS["exit_notes"],
            start_date=datetime.date(2026, 9, 7),
        )
        Review.objects.create(
            placement=self.placement,
            kind=Review.Kind.START,
            held_on=self.placement.start_date,
            pupil_voice=MARKERS["review_voice"],
            parent_view=MARKERS["review_parent"],
            summary=MARKERS["review_summary"],
        )
        AttendanceMark.objects.create(
            placement=self.placement,
            date=self.placement.start_date,
            session="AM",
            code="M",
            note=MARKERS["attendance_note"],
        )
        plan_funding(placement=self.placement)


@pytest.fixture
def child(db) -> Child:
    return Child()


def _finance_officer_pages():
    return [
        url for url in all_urls() if url.roles is not None and not url.is_public and Role.FINANCE_OFFICER in url.roles
    ]


def _budget_line(child: Child) -> dict[str, object]:
    # Imported here: the budget pages (aphub.finance, issue 13) may be merged after this module.
    from aphub.finance.models import BudgetLine

    return {"pk": BudgetLine.objects.create(local_authority=child.la, name="Fenwick top-ups").pk}


def _top_up_band(child: Child) -> dict[str, object]:
    from tests.factories import TopUpBandFactory

    return {"pk": TopUpBandFactory(local_authority=child.la).pk}


def _recharge_statement(child: Child) -> dict[str, object]:
    """An issued statement to the child's school billing the child's placement (a statement names the children)."""
    from aphub.funding.models import RechargeLine, RechargeStatement

    made = RechargeStatement.objects.filter(school=child.school).first()
    if made is not None:  # one statement a term: the pages of a statement share it
        return {"pk": made.pk}
    statement = RechargeStatement.objects.create(
        local_authority=child.la,
        school=child.school,
        academic_year=2026,
        term_name="Autumn 2026",
        term_start=datetime.date(2026, 9, 1),
        term_end=datetime.date(2026, 12, 31),
        status=RechargeStatement.Status.ISSUED,
        number="AUTUMN-2026-F",
        issued_on=datetime.date(2026, 9, 1),
        created_by=child.finance_officer,
    )
    RechargeLine.objects.create(
        statement=statement,
        kind="charge",
        funding_kind="top-up",
        placement_number=child.placement.pk,
        pupil=child.pupil,
        child_name=child.pupil.full_name,
        upn=child.pupil.upn,
        provision_name=child.provision.name,
        term_name=statement.term_name,
        term_start=statement.term_start,
        days=122,
        amount="1671.23",
    )
    return {"pk": statement.pk}


# The objects of the child's LA that a page with an object in its address opens, made when the walk reaches it. A
# finance officer's page with an object kwarg and no line here fails the walk: add how to reach one of the LA's.
OBJECTS_FOR: dict[str, Callable[[Child], dict[str, object]]] = {
    "placements:placement": lambda child: {"pk": child.placement.pk},
    "directory:review": lambda child: {"pk": child.provision.pk},
    "finance:budget-line": _budget_line,
    "commissioning:top-up-band-edit": _top_up_band,
    "commissioning:top-up-band-retire": _top_up_band,
    **{
        name: _recharge_statement
        for name in (
            "funding:recharge-statement",
            "funding:recharge-statement-pdf",
            "funding:recharge-issue",
            "funding:recharge-dispute",
            "funding:recharge-reissue",
            "funding:recharge-paid",
        )
    },
    "funding:recharge-school-pays": lambda child: {"pk": child.placement.pk},
    # The finance officer's own security key (every account may add one).
    "organisations:security-key-remove": lambda child: {"pk": stored_security_key(child.finance_officer).pk},
}


def _texts_of(response) -> str:
    """What a response says: the page or CSV as text, or every part of an XLSX (a zip of XML)."""
    content = response.content if not getattr(response, "streaming", False) else b"".join(response.streaming_content)
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return "\n".join(book.read(name).decode(errors="replace") for name in book.namelist())
    return content.decode(errors="replace")


def _leaks(text: str) -> list[str]:
    return [marker for marker in MARKERS.values() if marker in text] + [
        words for words in SENSITIVE_WORDS if words.lower() in text.lower()
    ]


def _downloads_on(page: str) -> list[str]:
    """The CSV and XLSX downloads a page links to (components/download_links.html: ?format=...)."""
    hrefs = re.findall(r'href="([^"]*[?&](?:amp;)?format=[^"]*)"', page)
    return sorted({href.replace("&amp;", "&") for href in hrefs})


def test_every_page_and_download_of_the_finance_officer_shows_no_sensitive_fact(client, child):
    pages = _finance_officer_pages()
    # The walk covers at least the pages this decision opens: a table that lost them would make it pass on nothing.
    names = {url.name for url in pages}
    assert {"funding:lines", "placements:placements", "placements:placement", "organisations:home"} <= names
    client.force_login(child.finance_officer)
    opened, downloaded = 0, 0
    for url in pages:
        if url.kwargs:
            assert url.name in OBJECTS_FOR, (
                f"{url.label}: the finance officer may open it; say in OBJECTS_FOR which of the LA's objects it "
                "opens, so this walk reads it"
            )
            values = OBJECTS_FOR[url.name](child)
            assert set(url.kwargs) <= set(values), f"{url.label}: OBJECTS_FOR gives no {set(url.kwargs) - set(values)}"
        else:
            values = {}
        path = url.path(values)
        response = client.get(path)
        # 405: a button's address, posted only; 302: an action page of a statement not in the state it acts on (a
        # re-issue of one not disputed) goes back to the statement, which the walk reads at its own address.
        assert response.status_code in (200, 302, 405), f"GET {path} answered {response.status_code}"
        if response.status_code != 200:
            continue
        opened += 1
        page = _texts_of(response)
        assert not _leaks(page), f"{path} shows {_leaks(page)}"
        for download in _downloads_on(page):
            file = client.get(download)
            assert file.status_code == 200, f"GET {download} answered {file.status_code}"
            downloaded += 1
            assert not _leaks(_texts_of(file)), f"{download} holds {_leaks(_texts_of(file))}"
    assert opened >= 4
    # The funding lines and the placements list each offer CSV and XLSX.
    assert downloaded >= 4


def test_the_finance_officer_sees_the_child_and_the_money(client, child):
    """The control for the walk above: the pages are not empty. The child is named by name and UPN (to reconcile
    and bill), with the provision, dates and cost; and the read is in the access log as any other role's."""
    client.force_login(child.finance_officer)
    page = client.get(f"/placements/{child.placement.pk}/").content.decode()
    assert child.pupil.full_name in page
    assert child.pupil.upn in page
    assert "Fenwick Bridge Centre" in page
    assert "part time" in page
    lines = client.get(reverse("funding:lines")).content.decode()
    assert child.pupil.full_name in lines
    csv = client.get(reverse("funding:lines"), {"format": "csv"}).content.decode()
    assert child.pupil.upn in csv
    placements = client.get("/placements/", {"format": "csv"}).content.decode()
    assert child.pupil.upn in placements
    read = AccessLogEntry.objects.filter(
        user_id=child.finance_officer.pk, role=Role.FINANCE_OFFICER, object_type="pupils.Pupil"
    )
    assert read.filter(object_id=str(child.pupil.pk), verb="view").exists()
    assert read.filter(verb="export").exists()


def test_a_placement_page_shows_an_la_officer_what_it_hides_from_the_finance_officer(client, child):
    """The same page, the role that reads the child's case: the parts the finance officer misses are there."""
    client.force_login(child.la_officer)
    page = client.get(f"/placements/{child.placement.pk}/").content.decode()
    assert MARKERS["part_time_reason"] in page
    assert MARKERS["over_limit_reason"] in page
    assert MARKERS["exit_notes"] in page
    assert f'href="/pupils/{child.pupil.pk}/"' in page


@pytest.mark.parametrize("name", CASE_PAGES)
def test_the_pages_of_a_childs_case_refuse_the_finance_officer(client, child, name):
    (url,) = [url for url in all_urls() if url.name == name]
    own = {
        "placements:pupil": child.pupil.pk,
        "placements:referral": child.referral.pk,
        "placements:referral-document": child.document.pk,
        "placements:panel-meeting": child.meeting.pk,
        "placements:reviews": child.placement.pk,
        "placements:agreement": child.placement.pk,
        "placements:attendance-placement": child.placement.pk,
    }
    client.force_login(child.finance_officer)
    response = client.get(url.path({"pk": own.get(name)}))
    assert response.status_code == 403
    assert not _leaks(response.content.decode())


def test_the_finance_officer_home_counts_double_funding_and_running_placements(client, child):
    """Each count on the finance officer's home page is what the list it links to shows."""
    from tests.factories import route_for
    from tests.organisations.home_lists import LIST_COUNTERS, home_counts

    # An off-site direction is the school's to pay (seed 004), put on an LA-funded s.19 route: double funding.
    pupil = PupilFactory(local_authority=child.la)
    episode = EpisodeFactory(pupil=pupil, school=child.school, route=route_for(child.la, "off-site-direction"))
    double = PlacementFactory(
        pupil=pupil,
        episode=episode,
        route=route_for(child.la, "other-s19"),
        registration="dual",
        provision=child.provision,
    )
    plan_funding(placement=double)
    client.force_login(child.finance_officer)
    counts = home_counts(client.get("/home/").content.decode())
    assert set(counts) == {"double-funded", "placements-active"}
    assert counts["double-funded"][0] == 1
    assert counts["placements-active"][0] == 2
    for key, (count, url) in counts.items():
        listed = client.get(url.split("#")[0])
        assert LIST_COUNTERS[key](listed.content.decode()) == count, f"{key}: {count} on the home page, not {url}"


def test_the_finance_officer_is_given_no_sensitive_field():
    from aphub.pupils.sensitive import _BY_ROLE

    assert _BY_ROLE[Role.FINANCE_OFFICER] == frozenset()


def test_the_json_api_tells_a_signed_in_finance_officer_nothing_sensitive(client, child):
    """The API answers a session too: what it gives the finance officer (the placements) holds no marker."""
    client.force_login(child.finance_officer)
    kwargs = {"placement_id": child.placement.pk, "episode_id": child.episode.pk}
    for url in all_urls():
        if not url.route.startswith("api/") or url.is_public:
            continue
        response = client.get(url.path({name: kwargs.get(name, 1) for name in url.kwargs}))
        assert response.status_code in (200, 400, 403, 404, 405), f"GET {url.label} answered {response.status_code}"
        text = response.content.decode(errors="replace")
        assert not _leaks(text), f"{url.label} shows {_leaks(text)}"
