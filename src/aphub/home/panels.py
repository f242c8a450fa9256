"""What each role's home page shows: its work for today, as counts that link to the lists that hold that work.

Every count is the size of an existing scoped query of the app that owns the list (its queries.py, each starting from
`visible_to(user)`), and each link opens the list that reads the same query, so the number on the home page is the
number of rows the list shows. Nothing here builds a query of its own.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.urls import reverse
from django.utils.http import urlencode

from aphub.commissioning.applications import queries as application_queries
from aphub.commissioning.evaluation import queries as evaluation_queries
from aphub.core.clock import today
from aphub.directory import queries as directory_queries
from aphub.duties import queries as duties_queries
from aphub.duties.models import Clock
from aphub.funding import queries as funding_queries
from aphub.funding.periods import financial_year_label
from aphub.organisations.models import Role
from aphub.placements import queries as placement_queries
from aphub.placements.attendance import queries as attendance_queries
from aphub.placements.models import Placement, Referral
from aphub.placements.permissions import can_take_registers
from aphub.placements.referrals import queries as referral_queries
from aphub.placements.reviews import queries as review_queries


@dataclass(frozen=True)
class WorkItem:
    key: str  # names the count for tests and the page's data attribute
    count: int
    singular: str
    plural: str
    url: str
    hint: str = ""

    @property
    def words(self) -> str:
        return self.singular if self.count == 1 else self.plural


@dataclass
class WorkGroup:
    heading: str
    items: list[WorkItem] = field(default_factory=list)


def _url(name: str, query: dict[str, str] | None = None, anchor: str = "") -> str:
    url = reverse(name)
    if query:
        url += "?" + urlencode(query)
    return url + (f"#{anchor}" if anchor else "")


class Counted(NamedTuple):
    """The words of one count of the home page (a WorkItem without its number and link)."""

    key: str
    singular: str
    plural: str
    hint: str = ""

    def item(self, count: int, url: str) -> WorkItem:
        return WorkItem(self.key, count, self.singular, self.plural, url, self.hint)


# The duties the home page counts, by the state of their clock.
CLOCK_WORK = {
    Clock.State.BREACHED: Counted(
        "clocks-breached", "duty breached", "duties breached", "Past their due date and not yet met."
    ),
    Clock.State.DUE_SOON: Counted("clocks-due-soon", "duty due soon", "duties due soon"),
}

# The referrals the home page counts, by status.
REFERRAL_WORK = {
    Referral.Status.DRAFT: Counted("referrals-draft", "draft referral not yet sent", "draft referrals not yet sent"),
    Referral.Status.SUBMITTED: Counted(
        "referrals-waiting", "referral waiting for panel", "referrals waiting for panel"
    ),
    Referral.Status.DEFERRED: Counted(
        "referrals-deferred", "referral deferred to the next panel", "referrals deferred to the next panel"
    ),
}


def _clocks(user) -> WorkGroup:
    """The duties in each state of CLOCK_WORK, each linking to the worklist filtered to that state."""
    return WorkGroup(
        "Statutory duties",
        [
            counted.item(duties_queries.clocks_in_state(user, state), _url("duties:worklist", {"state": state}))
            for state, counted in CLOCK_WORK.items()
        ],
    )


def _referrals(user, *, drafts: bool) -> list[WorkItem]:
    """The referrals waiting for the panel and deferred by it (and the drafts not yet sent, for a school), each
    linking to the list of referrals filtered to that status."""
    statuses = [Referral.Status.SUBMITTED, Referral.Status.DEFERRED]
    if drafts:
        statuses.insert(0, Referral.Status.DRAFT)
    return [
        REFERRAL_WORK[status].item(
            referral_queries.referral_list(user, status=status).count(),
            _url("placements:referrals", {"status": status}),
        )
        for status in statuses
    ]


def _reviews_overdue(user) -> WorkItem:
    """LA officers and providers both chase the reviews that are overdue."""
    return WorkItem(
        "reviews-overdue",
        review_queries.overdue_reviews_for(user).count(),
        "review overdue",
        "reviews overdue",
        _url("placements:overdue-reviews"),
    )


def _placements_active(user) -> WorkItem:
    """A school's placements, or the finance officer's LA's, that are running: what is being paid for now."""
    active = Placement.Status.ACTIVE
    return WorkItem(
        "placements-active",
        placement_queries.placements_for(user, status=active).count(),
        "active placement",
        "active placements",
        _url("placements:placements", {"status": active}),
    )


def _la(user) -> list[WorkGroup]:
    offered = Placement.Status.OFFERED
    return [
        _clocks(user),
        WorkGroup("Referrals and panel", _referrals(user, drafts=False)),
        WorkGroup(
            "Approvals",
            [
                WorkItem(
                    "provisions-waiting",
                    directory_queries.waiting_for_approval(user).count(),
                    "provision change waiting for approval",
                    "provision changes waiting for approval",
                    _url("directory:manage", anchor="approvals"),
                    "New provisions and changes to published ones, before the public sees them.",
                ),
                WorkItem(
                    "applications-waiting",
                    evaluation_queries.applications_waiting(user).count(),
                    "application waiting for evaluation",
                    "applications waiting for evaluation",
                    _url("commissioning:evaluations"),
                ),
            ],
        ),
        WorkGroup(
            "Placements",
            [
                WorkItem(
                    "offers-unanswered",
                    placement_queries.placements_for(user, status=offered).count(),
                    "offer not yet answered by the provider",
                    "offers not yet answered by providers",
                    _url("placements:placements", {"status": offered}),
                ),
                _reviews_overdue(user),
                WorkItem(
                    "absence-alerts",
                    attendance_queries.recent_absence_alerts(user).count(),
                    f"absence alert in the last {attendance_queries.RECENT_ALERT_DAYS} days",
                    f"absence alerts in the last {attendance_queries.RECENT_ALERT_DAYS} days",
                    _url("placements:absences", anchor="alerts"),
                ),
                WorkItem(
                    "follow-ups-due",
                    review_queries.follow_ups_due_for(user).count(),
                    "follow-up due",
                    "follow-ups due",
                    _url("placements:follow-ups"),
                    "After a placement ends: did the child's destination last?",
                ),
            ],
        ),
    ]


def _school(user) -> list[WorkGroup]:
    return [
        WorkGroup(
            "Your pupils in alternative provision",
            [
                _placements_active(user),
                WorkItem(
                    "absent-today",
                    attendance_queries.absences_on(user, today()).count(),
                    "absence today",
                    "absences today",
                    _url("placements:absences", anchor="today"),
                ),
            ],
        ),
        _clocks(user),
        WorkGroup("Referrals", _referrals(user, drafts=True)),
    ]


def _provider(user) -> list[WorkGroup]:
    offered = Placement.Status.OFFERED
    return [
        WorkGroup(
            "Placements",
            [
                WorkItem(
                    "offers-waiting",
                    placement_queries.offers_waiting_for(user).count(),
                    "offer waiting for your answer",
                    "offers waiting for your answer",
                    _url("placements:placements", {"status": offered}),
                ),
                _reviews_overdue(user),
            ],
        ),
        WorkGroup(
            "Evidence",
            [
                WorkItem(
                    "evidence-expiring",
                    application_queries.evidence_expiring(user).count(),
                    "piece of evidence expired or expiring soon",
                    "pieces of evidence expired or expiring soon",
                    _url("commissioning:evidence"),
                    f"Renew insurance and checks before they expire: we count {application_queries.EXPIRING_SOON_DAYS}"
                    " days ahead.",
                ),
            ],
        ),
    ]


def _finance(user) -> list[WorkGroup]:
    """The finance officer's money to put right this financial year, and the placements it pays for."""
    year = funding_queries.current_financial_year()
    return [
        WorkGroup(
            f"Funding in {financial_year_label(year)}",
            [
                WorkItem(
                    "double-funded",
                    len(funding_queries.double_funded_for(user, financial_year=year)),
                    "placement where the LA pays a top-up a school should pay",
                    "placements where the LA pays a top-up a school should pay",
                    _url("funding:lines", {"year": str(year)}, anchor="double-funding"),
                    "Double funding: stop paying what the school pays.",
                ),
            ],
        ),
        WorkGroup(
            "Placements",
            [
                _placements_active(user),
            ],
        ),
    ]


WORK: dict[str, Callable] = {
    Role.LA_OFFICER: _la,
    Role.LA_ADMIN: _la,
    Role.SCHOOL_STAFF: _school,
    Role.PROVIDER_STAFF: _provider,
    Role.FINANCE_OFFICER: _finance,
}


def work_for(user, membership) -> list[WorkGroup]:
    """The role's work for today, in groups; none for a role that acts on nothing (the auditor)."""
    builder = WORK.get(membership.role)
    return builder(user) if builder else []


def registers_due(user, membership):
    """Today's registers not yet taken, each with the link that opens it: a provider's, and a school's of the AP it
    recorded at providers with no users in AP Hub (placements.permissions.can_take_registers)."""
    if not can_take_registers(membership):
        return []
    day = today()
    return [
        {
            "register": due,
            "url": _url(
                "placements:attendance-register",
                {"provision": str(due.provision.pk), "date": day.isoformat(), "session": due.session},
            ),
        }
        for due in attendance_queries.registers_not_taken(user, day)
    ]
