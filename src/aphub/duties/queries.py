"""Reads of the duties app, each starting from `Model.objects.visible_to(user)`."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from aphub.core.web.query_filters import filter_given
from aphub.organisations.models import LocalAuthority, Role, School
from aphub.organisations.queries import membership_of

from . import rules
from .calendars import CalendarBook
from .models import Clock, Closure, LocalPolicy, Notification, NotificationRead, Owner, TermDates, breached_first
from .services import due_soon_days, may_record_met, school_days_left, school_days_overdue, state_on

WORKLIST_PAGE_SIZE = 50


def worklist_clocks(user, *, state: str = "", rule: str = "", owner: str = "") -> QuerySet[Clock]:
    """The running clocks on the user's worklist, breached first, then by due date.

    LA staff: every running clock of their LA. School staff: the clocks of their pupils that their school owns
    (or commissions) and the LA's clocks for those pupils; another school's clocks about the same child are that
    school's business.
    """
    clocks = Clock.objects.visible_to(user).running()
    membership = membership_of(user)
    if membership is not None and membership.role == Role.SCHOOL_STAFF:
        clocks = clocks.filter(
            Q(owner=Owner.LA) | Q(owner_school_id=membership.school_id) | Q(owner=Owner.COMMISSIONER, owner_school=None)
        )
    clocks = filter_given(clocks, state=state, rule=rule, owner=owner)
    return (
        clocks.select_related("pupil", "owner_school", "local_authority", "episode")
        .annotate(breached_first=breached_first())
        .order_by("breached_first", "due_on", "id")
    )


def clocks_in_state(user, state: str) -> int:
    """How many running clocks of the user's worklist are in `state`: what the worklist filtered by it lists."""
    return worklist_clocks(user, state=state).count()


RECENT_NOTIFICATIONS = 8
NOTIFICATIONS_PAGE_SIZE = 25


def _read_by(user) -> Exists:
    return Exists(NotificationRead.objects.filter(notification_id=OuterRef("pk"), user_id=user.pk))


def notifications_for(user) -> QuerySet[Notification]:
    """Every notification to the organisation the user acts for, newest first, each with `is_read`: whether this
    person (not a colleague) has followed it. Another organisation's are never here, whoever reads them."""
    return Notification.objects.visible_to(user).annotate(is_read=_read_by(user))


def recent_notifications(user, *, limit: int = RECENT_NOTIFICATIONS) -> list[Notification]:
    """The newest notifications to the user's organisation, for their home page."""
    return list(notifications_for(user)[:limit])


def unread_notifications(user) -> QuerySet[Notification]:
    # django-stubs checks lookups against the model's fields and cannot see notifications_for's annotation.
    return notifications_for(user).filter(is_read=False)  # type: ignore[misc]


@dataclass(frozen=True)
class NotificationCounts:
    total: int
    unread: int


def notification_counts(user) -> NotificationCounts:
    """How many notifications the user's organisation has, and how many this person has not followed: one query."""
    counts = Notification.objects.visible_to(user).aggregate(
        total=Count("pk"), unread=Count("pk", filter=Q(~_read_by(user)))
    )
    return NotificationCounts(total=counts["total"], unread=counts["unread"])


def notification_for(user, pk: int) -> Notification:
    """One of the user's organisation's notifications; another's is a 404, the same as a missing one."""
    return get_object_or_404(Notification.objects.visible_to(user), pk=pk)


@dataclass
class WorklistRow:
    clock: Clock
    rule_title: str
    owner_name: str
    # Worked out for today, so the page is right even when the sweep has not run yet today; filters and the
    # breached-first order use the stored state the sweep keeps.
    state: str
    days_left: int | None  # school days after today up to the due date; None once overdue
    days_overdue: int | None  # school days after the due date up to today; None while not overdue
    may_record_met: bool = False  # the user can record this duty as met by hand (a governing board's decision)


def worklist_page(user, *, today: datetime.date, page: int | str = 1, **filters: str) -> tuple[Page, list[WorklistRow]]:
    """One page of the worklist, with school days counted in each clock's calendar (read in two queries)."""
    paginator = Paginator(worklist_clocks(user, **filters), WORKLIST_PAGE_SIZE)
    found = paginator.get_page(page)
    return found, worklist_rows(user, list(found.object_list), today=today)


def worklist_rows(user, clocks: list[Clock], *, today: datetime.date) -> list[WorklistRow]:
    """The worklist's rows for these clocks (a page, or every clock for a download): calendars read in two queries."""
    book = CalendarBook(
        {clock.local_authority_id for clock in clocks},
        {clock.episode.school_id for clock in clocks if clock.episode is not None},
    )
    windows = due_soon_days({clock.local_authority_id for clock in clocks})
    rows = []
    for clock in clocks:
        calendar = book.for_school(
            clock.local_authority_id, clock.episode.school_id if clock.episode is not None else None
        )
        overdue = today > clock.due_on
        rows.append(
            WorklistRow(
                clock=clock,
                rule_title=rule_title(clock.rule),
                owner_name=_owner_name(clock),
                state=state_on(
                    due_on=clock.due_on,
                    today=today,
                    calendar=calendar,
                    due_soon_school_days=windows[clock.local_authority_id],
                ),
                days_left=None if overdue else school_days_left(calendar, today, clock.due_on),
                days_overdue=school_days_overdue(calendar, today, clock.due_on) if overdue else None,
                may_record_met=may_record_met(user, clock),
            )
        )
    return rows


def rule_title(slug: str) -> str:
    try:
        return rules.rule_for(slug).title
    except ValueError:
        return slug


def _owner_name(clock: Clock) -> str:
    if clock.owner_school is not None:
        return clock.owner_school.name
    return clock.local_authority.name


# --- Calendars ------------------------------------------------------------------------------------------------


def schools_for_calendars(user) -> QuerySet[School]:
    return School.objects.visible_to(user).order_by("name")


def calendar_rows(user, *, local_authority: LocalAuthority, school: School | None = None):
    """The terms and closures of the LA's own calendar, or of one school's own."""
    terms = TermDates.objects.visible_to(user).filter(local_authority=local_authority)
    closures = Closure.objects.visible_to(user).filter(local_authority=local_authority)
    if school is None:
        terms, closures = terms.filter(school__isnull=True), closures.filter(school__isnull=True)
    else:
        terms, closures = terms.filter(school=school), closures.filter(school=school)
    return list(terms.order_by("first_day")), list(closures.order_by("date"))


def schools_with_own_dates(user, *, local_authority: LocalAuthority) -> QuerySet[School]:
    with_terms = TermDates.objects.visible_to(user).filter(school__isnull=False).values("school_id")
    with_closures = Closure.objects.visible_to(user).filter(school__isnull=False).values("school_id")
    return (
        School.objects.visible_to(user)
        .filter(local_authority=local_authority)
        .filter(Q(pk__in=with_terms) | Q(pk__in=with_closures))
        .order_by("name")
    )


def publication_threshold_of(local_authority_id: int) -> int:
    """The smallest count the LA publishes (LocalPolicy.publication_threshold): its policy's, else the default, read
    without making the policy (insight, which asks, never writes)."""
    found = (
        LocalPolicy.objects.filter(local_authority_id=local_authority_id)
        .values_list("publication_threshold", flat=True)
        .first()
    )
    return found if found is not None else LocalPolicy._meta.get_field("publication_threshold").default
