"""axe-core (WCAG 2.2 A and AA rules) finds no violation on any page, public or signed in, with or without errors.

Pages are discovered from the URL list, so a new page is checked without anyone adding it here: every route
without parameters is visited by every role, and routes with parameters are tried with the demo's provisions in
each state (draft, submitted, published with pending changes) until one answers 200. Forms are then submitted
empty to check each page's error state.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from aphub.core.clock import today
from aphub.demo.build import DEMO_LA_CODE, DEMO_PASSWORD
from aphub.directory.models import Provision
from aphub.funding.periods import financial_year_of
from aphub.organisations.models import Role, User
from tests.axe import axe_violations
from tests.browser.reflow import NARROW_WIDTH, narrow, reflow_problems
from tests.demo_snapshot import demo_in_this_test
from tests.two_factor import sign_in_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOT_PAGES = ("api/", "admin/", "static/", "media/")  # JSON and third-party screens are not ours to check here

ROLE_SIGN_INS = {
    Role.LA_ADMIN: "elmbridge.admin@example.org",
    Role.LA_OFFICER: "elmbridge.officer@example.org",
    Role.AUDITOR: "elmbridge.auditor@example.org",
    Role.SCHOOL_STAFF: "school.kingsmead@example.org",
    Role.PROVIDER_STAFF: "provider.greenway@example.org",
}


@dataclass
class Route:
    name: str
    route: str
    params: list[str]


@dataclass
class Audit:
    base_url: str
    page: object
    checked: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)
    forms_to_submit: dict[str, int] = field(default_factory=dict)  # path -> its POST forms with text fields

    def check(self, label: str) -> None:
        """axe on the page as it is, then again at 320 px wide with the page reflowing (WCAG 1.4.10), the width of
        a small phone or of a 1280 px screen zoomed to 400%."""
        path = self.page.url.removeprefix(self.base_url)
        self.checked.append(f"{label}: {path}")
        self._note(f"{label} {path}", axe_violations(self.page))
        with narrow(self.page):
            self._note(f"{label} {path} (at {NARROW_WIDTH} px)", axe_violations(self.page))
            self.violations += [f"{label} {path}: {problem}" for problem in reflow_problems(self.page)]

    def _note(self, where: str, violations: list[dict]) -> None:
        for violation in violations:
            if _govuk_conditional_reveal(violation):
                continue
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            self.violations.append(
                f"{where}: [{violation['impact']}] {violation['id']}: {violation['help']} -- {targets}"
            )


def _govuk_conditional_reveal(violation: dict) -> bool:
    """GOV.UK Frontend's radios put aria-expanded on a radio that reveals a question. axe flags it; GOV.UK keeps it
    on purpose, since screen readers announce it (a known issue: alphagov/govuk-frontend#979). Only that is let by."""
    return violation["id"] == "aria-allowed-attr" and all(
        "govuk-radios__input" in node["html"] and "aria-expanded" in node["html"] for node in violation["nodes"]
    )


def page_routes() -> list[Route]:
    """Every named HTML route in the URL list."""

    def walk(patterns, prefix: str, namespace: list[str]):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + [pattern.namespace] if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                if not route.startswith(NOT_PAGES):
                    name = ":".join(namespace + [pattern.name])
                    yield Route(name, route, list(pattern.pattern.converters))

    return list(walk(get_resolver().url_patterns, "", []))


# Pages whose parameters are not a provision: URL name prefix -> the demo objects' pks to try, given the user.
# Add a line when you add such a page; the demo (aphub.demo.build) must build at least one of them.
def _demo_placements(user: User | None) -> list[int]:
    """The user's demo placements, active ones first (those can take a review today), then ended ones."""
    from aphub.placements.models import Placement

    placements = Placement.objects.visible_to(user).filter(pupil__local_authority__la_code=DEMO_LA_CODE)
    active = list(placements.filter(status="active").values_list("pk", flat=True)[:2])
    return active + list(placements.filter(status="ended").values_list("pk", flat=True)[:1])


def _demo_placements_in_each_state(user: User | None) -> list[int]:
    """One demo placement the user may see in each state, so each action's page is found open for someone."""
    from aphub.placements.models import Placement

    placements = Placement.objects.visible_to(user).filter(pupil__local_authority__la_code=DEMO_LA_CODE)
    seen: dict[str, int] = {}
    for pk, status in placements.order_by("pk").values_list("pk", "status"):
        seen.setdefault(status, pk)
    return list(seen.values())


def _demo_school_commissioned(user: User | None) -> list[int]:
    """A demo placement a school commissions that still holds a place: the LA may hand it back."""
    from aphub.placements.models import Placement

    placements = Placement.objects.visible_to(user).filter(pupil__local_authority__la_code=DEMO_LA_CODE)
    held = placements.filter(commissioner="school", status__in=Placement.HOLDING_STATES)
    return list(held.values_list("pk", flat=True)[:1])


def _demo_pupils(user: User | None) -> list[int]:
    """Demo children the user may see: one with a running clock first, then one in a placement."""
    from aphub.pupils.models import Pupil

    pupils = Pupil.objects.visible_to(user).filter(local_authority__la_code=DEMO_LA_CODE)
    running = pupils.filter(clocks__state__in=["open", "due-soon", "breached"]).values_list("pk", flat=True)[:1]
    placed = pupils.filter(placements__status="active").values_list("pk", flat=True)[:1]
    return list(dict.fromkeys([*running, *placed, *pupils.values_list("pk", flat=True)[:1]]))


def _demo_episodes(user: User | None) -> list[int]:
    """An open episode of a demo child that the user may see, with running clocks first."""
    from aphub.placements.models import Episode

    episodes = Episode.objects.visible_to(user).filter(pupil__local_authority__la_code=DEMO_LA_CODE, status="open")
    running = episodes.filter(clocks__state__in=["open", "due-soon", "breached"]).values_list("pk", flat=True)[:1]
    return list(dict.fromkeys([*running, *episodes.values_list("pk", flat=True)[:1]]))


def _demo_routes(user: User | None) -> list[int]:
    from aphub.placements.models import Route

    return list(Route.objects.visible_to(user).values_list("pk", flat=True)[:1])


def _not_a_page(user: User | None) -> list[int]:
    """A PDF or JSON download or a redirect: not an HTML page for axe; the access tests cover who may fetch it."""
    return []


def _demo_follow_ups(user: User | None) -> list[int]:
    from aphub.placements.models import FollowUp

    follow_ups = FollowUp.objects.visible_to(user).filter(placement__pupil__local_authority__la_code=DEMO_LA_CODE)
    return list(follow_ups.order_by("checked_on", "due_date").values_list("pk", flat=True)[:2])


def _demo_referrals(user: User | None) -> list[int]:
    """One demo referral the user may see in each state (a draft, one waiting for the panel, an approved one...)."""
    from aphub.placements.referrals.queries import referrals_visible_to

    seen: dict[str, int] = {}
    referrals = referrals_visible_to(user).filter(pupil__local_authority__la_code=DEMO_LA_CODE)
    for pk, status in referrals.order_by("pk").values_list("pk", "status"):
        seen.setdefault(status, pk)
    return list(seen.values())


def _demo_referral_documents(user: User | None) -> list[int]:
    from aphub.placements.models import ReferralDocument
    from aphub.placements.referrals.queries import referrals_visible_to

    visible = referrals_visible_to(user).values("pk")
    return list(ReferralDocument.objects.filter(referral__in=visible).values_list("pk", flat=True)[:1])


def _demo_panel_meetings(user: User | None) -> list[int]:
    from aphub.placements.referrals.queries import meetings_visible_to

    return list(meetings_visible_to(user).values_list("pk", flat=True)[:2])


def _demo_schools(user: User | None) -> list[int]:
    """Schools whose calendar an LA admin opens: one with term dates of its own when the demo has one, then any."""
    from aphub.duties.models import TermDates
    from aphub.organisations.models import School

    schools = School.objects.visible_to(user).filter(local_authority__la_code=DEMO_LA_CODE)
    own = schools.filter(pk__in=TermDates.objects.filter(school__isnull=False).values("school_id"))
    return list(dict.fromkeys([*own.values_list("pk", flat=True)[:1], *schools.values_list("pk", flat=True)[:1]]))


def _demo_evaluations(user: User | None) -> list[int]:
    """One application sent to the user's LA in each state (waiting, paused, recommended, decided), if the demo has."""
    from aphub.commissioning.evaluation.queries import applications_to_evaluate

    seen: dict[str, int] = {}
    for pk, status in applications_to_evaluate(user).order_by("pk").values_list("pk", "status"):
        seen.setdefault(status, pk)
    return list(seen.values())


def _demo_contracts(user: User | None) -> list[int]:
    from aphub.commissioning.models import Contract

    return list(Contract.objects.visible_to(user).order_by("pk").values_list("pk", flat=True)[:1])


def _demo_board_reviews(user: User | None) -> list[int]:
    """Running governing board reviews the user may record as met (the demo may have none yet)."""
    from aphub.duties.queries import worklist_clocks

    return list(worklist_clocks(user, rule="governing-board-review").values_list("pk", flat=True)[:1])


def _demo_term_dates(user: User | None) -> list[int]:
    from aphub.duties.models import TermDates

    return list(TermDates.objects.visible_to(user).values_list("pk", flat=True)[:1])


def _demo_waiting_entries(user: User | None) -> list[int]:
    from aphub.placements.models import WaitingListEntry

    return list(WaitingListEntry.objects.visible_to(user).filter(status="waiting").values_list("pk", flat=True)[:1])


def _demo_closures(user: User | None) -> list[int]:
    from aphub.duties.models import Closure

    return list(Closure.objects.visible_to(user).values_list("pk", flat=True)[:1])


def _demo_arrangements(user: User | None) -> list[int]:
    """The user's demo arrangements: the draft first (every change is open on it), then the published ones."""
    from aphub.commissioning.models import CommercialArrangement

    visible = CommercialArrangement.objects.visible_to(user).filter(owner__la_code=DEMO_LA_CODE)
    rows = sorted(visible.values_list("pk", "status"), key=lambda row: (row[1] != "draft", row[0]))
    return [pk for pk, _status in rows][:3]


def _demo_arrangement_lots(user: User | None) -> list[int]:
    from aphub.commissioning.models import Lot

    lots = Lot.objects.filter(arrangement__pk__in=_demo_arrangements(user)).order_by("arrangement__status", "number")
    return list(lots.values_list("pk", flat=True)[:2])


def _demo_public_arrangements(user: User | None) -> list[str]:
    """The public page takes the reference, not the pk."""
    from aphub.commissioning.models import CommercialArrangement

    published = CommercialArrangement.objects.published().filter(owner__la_code=DEMO_LA_CODE)
    return list(published.order_by("pk").values_list("reference", flat=True)[:1])


def _demo_quality_visits(user: User | None) -> list[int]:
    """Monitoring visits the user may see: a held one (ratings, actions) first, then a planned one."""
    from aphub.commissioning.models import MonitoringVisit

    visits = MonitoringVisit.objects.visible_to(user)
    held = visits.filter(held_on__isnull=False).values_list("pk", flat=True)[:1]
    planned = visits.filter(held_on__isnull=True).values_list("pk", flat=True)[:1]
    return [*held, *planned]


def _demo_quality_actions(user: User | None) -> list[int]:
    from aphub.quality.queries import actions_visible_to

    return list(actions_visible_to(user).order_by("done_on", "due_on").values_list("pk", flat=True)[:2])


def _demo_quality_providers(user: User | None) -> list[int]:
    """Providers with an admission or a visit the user may see, else any provider in their LA."""
    from aphub.commissioning.models import Admission, MonitoringVisit
    from aphub.organisations.models import Provider

    providers = Provider.objects.visible_to(user)
    checked = providers.filter(
        pk__in=[
            *Admission.objects.visible_to(user).values_list("provider_id", flat=True)[:5],
            *MonitoringVisit.objects.visible_to(user).values_list("provider_id", flat=True)[:5],
        ]
    )
    return list(dict.fromkeys([*checked.values_list("pk", flat=True)[:1], *providers.values_list("pk", flat=True)[:1]]))


def _demo_quality_complaints(user: User | None) -> list[int]:
    from aphub.commissioning.models import Complaint

    return list(Complaint.objects.visible_to(user).order_by("closed_on", "pk").values_list("pk", flat=True)[:2])


def _demo_quality_admissions(user: User | None) -> list[int]:
    """One admission the user may see in each state, so suspend, reinstate and remove each find an open page."""
    from aphub.commissioning.models import Admission

    seen: dict[str, int] = {}
    for pk, status in Admission.objects.visible_to(user).order_by("pk").values_list("pk", "status"):
        seen.setdefault(status, pk)
    return list(seen.values())


def _demo_open_arrangements(user: User | None) -> list[int]:
    """Arrangements a provider may apply to: its readiness checklist and start page."""
    from aphub.commissioning.applications.queries import arrangements_open_to

    return [arrangement.pk for arrangement in arrangements_open_to(user)][:1]


def _demo_applications(user: User | None) -> list[int]:
    """The provider's applications, one in each status (a draft's task list first)."""
    from aphub.commissioning.models import Application

    seen: dict[str, int] = {}
    for pk, status in Application.objects.visible_to(user).order_by("pk").values_list("pk", "status"):
        seen.setdefault(status, pk)
    return sorted(seen.values(), key=lambda pk: pk != seen.get("draft"))


def _demo_answers(user: User | None) -> list[int]:
    """Criterion pages of the provider's draft applications."""
    from aphub.commissioning.models import Application, CriterionResponse

    drafts = Application.objects.visible_to(user).filter(status="draft").values("pk")
    return list(CriterionResponse.objects.filter(application__in=drafts).values_list("pk", flat=True)[:2])


def _demo_questions(user: User | None) -> list[int]:
    """Clarification questions waiting for the provider's answer."""
    from aphub.commissioning.models import Application, Clarification

    waiting = Application.objects.visible_to(user).filter(status="clarification").values("pk")
    return list(Clarification.objects.filter(application__in=waiting).values_list("pk", flat=True)[:1])


def _demo_evidence(user: User | None) -> list[int]:
    from aphub.commissioning.models import Evidence

    return list(Evidence.objects.visible_to(user).values_list("pk", flat=True)[:1])


def _demo_recorded_providers(user: User | None) -> list[int]:
    """Providers the demo's schools recorded by URN or UKPRN alone, which the LA may name (decision 0026)."""
    from aphub.placements.school_arranged.queries import recorded_providers

    return [row.provision.pk for row in recorded_providers(user) if row.provider.urn or row.provider.ukprn][:1]


def _demo_team(user: User | None) -> list[int]:
    """The LA admin's colleagues, whose role pages and "are you sure" pages the walk opens (decision 0027)."""
    from aphub.organisations.queries import la_team

    return list(la_team(user).exclude(user=user).values_list("pk", flat=True)[:1]) if user else []


DEMO_OBJECTS: dict[str, object] = {
    "organisations:team-": _demo_team,
    "placements:rename-recorded-provider": _demo_recorded_providers,
    "commissioning:public-arrangement": _demo_public_arrangements,
    "commissioning:arrangement-lot-": _demo_arrangement_lots,
    "commissioning:arrangement-": _demo_arrangements,
    "placements:edit-route": _demo_routes,
    "placements:agreement": _not_a_page,
    "audit:subject-access-json": _not_a_page,
    "audit:subject-access-pdf": _not_a_page,
    "audit:subject-access": _demo_pupils,
    "placements:pupil": _demo_pupils,
    "pupils:edit": _demo_pupils,
    "pupils:enrol": _demo_pupils,
    "placements:new-episode": _demo_pupils,
    "placements:correct-episode": _demo_episodes,
    "placements:withdraw-episode": _demo_episodes,
    "placements:offer": _demo_pupils,
    "placements:add-to-waiting-list": _demo_pupils,
    "placements:remove-from-waiting-list": _demo_waiting_entries,
    "placements:placement": _demo_placements_in_each_state,
    "placements:accept": _demo_placements_in_each_state,
    "placements:decline": _demo_placements_in_each_state,
    "placements:cancel": _demo_placements_in_each_state,
    # The first prefix that matches wins: the hand-back before the page that names the school.
    "placements:commissioning-school-hand-back": _demo_school_commissioned,
    "placements:commissioning-school": _demo_placements,
    "placements:start": _demo_placements_in_each_state,
    "placements:end": _demo_placements_in_each_state,
    "placements:reviews": _demo_placements,
    "placements:attendance-placement": _demo_placements,
    "placements:review-new": _demo_placements,
    "placements:follow-up": _demo_follow_ups,
    "duties:school-calendar": _demo_schools,
    "duties:add-school-": _demo_schools,
    "duties:delete-term": _demo_term_dates,
    "duties:delete-closure": _demo_closures,
    "duties:record-met": _demo_board_reviews,
    "duties:open-notification": _not_a_page,  # marks the notification read and redirects to its page
    # The first prefix that matches wins: "placements:referral-document" before "placements:referral".
    "placements:referral-document": _demo_referral_documents,
    "placements:referral": _demo_referrals,
    "placements:panel": _demo_panel_meetings,
    "commissioning:readiness": _demo_open_arrangements,
    "commissioning:start-application": _demo_open_arrangements,
    "commissioning:application": _demo_applications,
    "commissioning:response": _demo_answers,
    "commissioning:clarification": _demo_questions,
    "commissioning:evidence-download": _not_a_page,
    "commissioning:evidence-delete": _demo_evidence,
    "commissioning:evaluation": _demo_evaluations,
    "commissioning:contract-": _demo_contracts,
    "commissioning:quality-visit": _demo_quality_visits,
    "commissioning:quality-action": _demo_quality_actions,
    "commissioning:quality-provider": _demo_quality_providers,
    "commissioning:quality-complaint": _demo_quality_complaints,
    "commissioning:quality-admission": _demo_quality_admissions,
}


def candidate_kwargs(route: Route, user: User | None) -> list[dict]:
    """Values to try for a route's parameters: the demo's provisions in every state, the user's own first."""
    if not route.params:
        return [{}]
    for prefix, pks_for in DEMO_OBJECTS.items():
        if route.name.startswith(prefix):
            if len(route.params) != 1:
                return []
            return [{route.params[0]: pk} for pk in pks_for(user)]
    provisions = Provision.objects.filter(local_authority__la_code=DEMO_LA_CODE)
    membership = user.memberships.first() if user else None
    if membership and membership.provider_id:
        provisions = provisions.filter(provider_id=membership.provider_id)
    picks = [
        provisions.filter(status=Provision.Status.SUBMITTED).first(),
        provisions.filter(status=Provision.Status.PUBLISHED, pending_changes__isnull=False).first(),
        provisions.filter(status=Provision.Status.DRAFT).first(),
        provisions.filter(status=Provision.Status.PUBLISHED).first(),
    ]
    pks = list(dict.fromkeys(p.pk for p in picks if p is not None))
    if len(route.params) == 1:
        return [{route.params[0]: pk} for pk in pks]
    return []


def sign_in(audit: Audit, email: str) -> None:
    page = audit.page
    sign_in_in_browser(page, audit.base_url, email, DEMO_PASSWORD)
    assert reverse("organisations:sign-in") not in page.url, f"{email} could not sign in"


def visit_routes(audit: Audit, label: str, user: User | None, routes: list[Route] | None = None) -> list[str]:
    """Check every route this user may open (or those of `routes`); return the paths of the pages that rendered."""
    rendered = []
    for route in page_routes() if routes is None else routes:
        found = False
        for kwargs in candidate_kwargs(route, user):
            path = reverse(route.name, kwargs=kwargs)
            # Ask first without navigating: chromium turns an empty error body (a 405 from a POST-only route) into
            # an error page whose late navigation would interrupt the next visit.
            answer = audit.page.request.get(audit.base_url + path, max_redirects=0)
            status = answer.status
            if status >= 500:
                audit.violations.append(f"{label} {path}: the server answered {status}")
            if status != 200:
                continue  # not this role's page (redirect to sign-in, 403, 404, 405); the access tests own those
            if not answer.headers.get("content-type", "").startswith("text/html"):
                found = True
                continue  # a file to download (a template CSV), not a page: the browser would save it, not show it
            response = show(audit, path, answer)
            assert response is not None and response.status == 200, path
            found = True
            if path not in rendered:
                rendered.append(path)
                audit.check(label)
                audit.forms_to_submit[path] = _forms_to_submit(audit.page).count()
            break
        if route.params and not found and user is not None:
            audit.uncovered.append(f"{label}: {route.name} ({route.route})")
    return rendered


def show(audit: Audit, path: str, answer):
    """Open in the browser the page the server has just answered, without asking the server to render it again."""
    url = audit.base_url + path

    def this_page(asked: str) -> bool:
        return asked == url

    def the_answer(route) -> None:
        route.fulfill(response=answer)

    audit.page.route(this_page, the_answer)
    try:
        return audit.page.goto(url)
    finally:
        audit.page.unroute(this_page, the_answer)


FILLABLE_FIELDS = (
    "input[type=text]:visible, input[type=email]:visible, input[type=number]:visible, "
    "input[type=url]:visible, input[type=tel]:visible, input[type=password]:visible, textarea:visible"
)


def _forms_to_submit(page):
    """The page's POST forms with text fields: a button-only form (sign out, approve) changes state and has no
    error page to check."""
    return page.locator("form[method=post]").filter(has=page.locator(FILLABLE_FIELDS))


def submit_forms_empty(audit: Audit, label: str, paths: list[str]) -> None:
    """Each page's POST forms with text fields, submitted empty: the error summary and messages must pass too.

    A page the crawl saw without such a form (audit.forms_to_submit) is not opened again."""
    page = audit.page
    for path in paths:
        if audit.forms_to_submit.get(path) == 0:
            continue
        page.goto(audit.base_url + path)
        for index in range(_forms_to_submit(page).count()):
            if index:
                page.goto(audit.base_url + path)  # the page as it was before the last form was sent
            form = _forms_to_submit(page).nth(index)
            fields = form.locator(FILLABLE_FIELDS)
            for position in range(fields.count()):
                fields.nth(position).fill("")
            with page.expect_navigation():
                form.locator("button[type=submit], input[type=submit]").first.click()
            if page.locator(".govuk-error-summary").count():
                audit.check(f"{label} (form errors)")


@pytest.fixture
def audit(live_server, browser):
    demo_in_this_test()
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Audit(base_url=live_server.url, page=page)
    context.close()


def report(audit: Audit) -> None:
    print(f"axe checked {len(audit.checked)} pages:\n  " + "\n  ".join(audit.checked))
    if audit.uncovered:
        print("Routes with parameters that no demo object opened:\n  " + "\n  ".join(audit.uncovered))
    assert not audit.violations, "axe found WCAG 2.2 A/AA violations:\n" + "\n".join(audit.violations)


def test_public_pages_have_no_accessibility_violations(audit):
    page = audit.page
    rendered = visit_routes(audit, "public", None)
    search, sign_in_path = reverse("directory:search"), reverse("organisations:sign-in")
    assert search in rendered and sign_in_path in rendered

    # A provision page, found through the search results as a parent would.
    published = Provision.objects.filter(status=Provision.Status.PUBLISHED, local_authority__la_code=DEMO_LA_CODE)
    provision = published.filter(postcode__gt="").first()
    try:
        provision_path = reverse("directory:provision", kwargs={"pk": provision.pk})
    except Exception:  # the provision page is not routed yet
        provision_path = None
    if provision_path and provision_path not in rendered:
        response = page.goto(audit.base_url + provision_path)
        assert response.status == 200, provision_path
        audit.check("public provision")

    # Search with every filter group used once, words and a distance from a demo postcode.
    page.goto(audit.base_url + search)
    form = page.locator("form").filter(has=page.locator("input[type=checkbox], input[name=postcode]")).first
    if form.count():
        names_done = set()
        boxes = form.locator("input[type=checkbox]")
        for index in range(boxes.count()):
            box = boxes.nth(index)
            name = box.get_attribute("name")
            if name not in names_done:
                names_done.add(name)
                box.check(force=True)
        for selector, value in (("input[name=words]", "centre"), ("input[name=postcode]", provision.postcode)):
            if form.locator(selector).count():
                form.locator(selector).fill(value)
        with page.expect_navigation():
            form.locator("button[type=submit], input[type=submit]").first.click()
        audit.check("public search with filters")

        if form.locator("input[name=postcode]").count():
            page.goto(audit.base_url + search)
            page.locator("input[name=postcode]").first.fill("NOT A POSTCODE")
            with page.expect_navigation():
                page.locator("input[name=postcode]").first.press("Enter")
            assert page.locator(".govuk-error-summary").count(), "an invalid postcode should show an error summary"
            audit.check("public search with an invalid postcode")

    # Sign-in with errors.
    page.goto(audit.base_url + sign_in_path)
    page.fill("input[name=username]", "someone@example.org")
    page.fill("input[name=password]", "not the password at all")
    with page.expect_navigation():
        page.click("form[action] button[type=submit], form[action] input[type=submit]")
    assert page.locator(".govuk-error-summary").count()
    audit.check("public sign-in with errors")

    # The 404 page.
    response = page.goto(audit.base_url + "/no-such-page-here/")
    assert response.status == 404
    audit.check("public 404")
    report(audit)


# A role's crawl is cut into parts, each a test of its own with every `parts`-th route, so the two workers of
# `make test` share the long crawls instead of one waiting for the other (decision 0024). Each route is still visited
# once per role.
CRAWL_PARTS = {Role.LA_ADMIN: 3, Role.LA_OFFICER: 2}
CRAWLS = [
    pytest.param(role, part, parts, id=str(role) if parts == 1 else f"{role}-{part + 1}-of-{parts}")
    for role in ROLE_SIGN_INS
    for parts in [CRAWL_PARTS.get(role, 1)]
    for part in range(parts)
]


@pytest.mark.parametrize(("role", "part", "parts"), CRAWLS)
def test_signed_in_pages_have_no_accessibility_violations(audit, role, part, parts):
    email = ROLE_SIGN_INS[role]
    user = User.objects.get(email=email)
    sign_in(audit, email)
    routes = page_routes()[part::parts]
    rendered = visit_routes(audit, str(role), user, routes)
    assert rendered, f"{role} opened none of {[route.name for route in routes]}"
    if any(route.name == "organisations:home" for route in routes):
        assert reverse("organisations:home") in rendered
    submit_forms_empty(audit, str(role), rendered)
    report(audit)


def test_the_episode_correction_and_withdrawal_pages_have_no_accessibility_violations(audit):
    """The pages an LA officer uses for an episode recorded in error, with and without errors (the whole walk
    above covers them too; this checks them alone, quickly)."""
    email = ROLE_SIGN_INS[Role.LA_OFFICER]
    user = User.objects.get(email=email)
    sign_in(audit, email)
    [episode, *_] = _demo_episodes(user)
    from aphub.placements.models import Episode

    # The demo's suspension: its correction page asks for the first and last day (two GOV.UK date inputs).
    suspension = Episode.objects.visible_to(user).filter(route__kind="suspension", status="open").first()
    [pupil, *_] = _demo_pupils(user)
    paths = [
        reverse("placements:correct-episode", kwargs={"pk": episode}),
        reverse("placements:withdraw-episode", kwargs={"pk": episode}),
        reverse("placements:correct-episode", kwargs={"pk": suspension.pk}),
        reverse("placements:new-episode", kwargs={"pk": pupil}),
    ]
    for path in paths:
        response = audit.page.goto(audit.base_url + path)
        assert response is not None and response.status == 200, path
        audit.check("la-officer")
    submit_forms_empty(audit, "la-officer", paths)
    assert any("(form errors)" in checked for checked in audit.checked)
    report(audit)


def test_the_schools_forum_report_has_no_accessibility_violations(audit):
    """The finance officer's Schools Forum report, its charts and tables, for this year and the last (the whole walk
    above covers it for the LA's other roles; this checks it alone, quickly, as the role that uses it)."""
    sign_in(audit, "elmbridge.finance@example.org")
    year = financial_year_of(today())
    paths = [reverse("finance:forum"), f"{reverse('finance:forum')}?year={year - 1}"]
    for path in paths:
        response = audit.page.goto(audit.base_url + path)
        assert response is not None and response.status == 200, path
        audit.check("finance-officer")
    report(audit)
