"""Reads of registers and attendance rates, scoped to the user (Model.objects.visible_to).

The attendance rate is the DfE's: sessions attended (present, or at an approved educational activity) over possible
sessions, where a possible session is one marked present, at an approved activity or absent (authorised or not);
codes that are not possible sessions (D, X, Q, Y1-Y7, Z, #) count in neither. Counted in SQL with conditional
aggregates, so a provision with thousands of marks is one query.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from aphub.core.clock import today
from aphub.core.days.school_days import is_weekend, weekdays_back_from
from aphub.directory.models import Provision
from aphub.organisations.models import PROVIDER_ROLES, SCHOOL_ROLES
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of
from aphub.placements.attendance.codes import (
    ABSENCE_CODES,
    ATTENDING_CODES,
    AUTHORISED_CODES,
    SESSIONS,
    UNAUTHORISED_CODES,
)
from aphub.placements.attendance.services import register_states
from aphub.placements.models import AbsenceAlert, AttendanceMark, AttendanceMonth, Placement
from aphub.placements.permissions import registers_taken_by

TENTH = Decimal("0.1")


def percentage(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` as a percentage to one decimal place (half up); None when nothing was possible."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def session_counts(prefix: str = "") -> dict[str, Count]:
    """Conditional aggregates over marks: sessions attended, and absent with and without authority (Rates.of reads
    them); `prefix` reaches the marks through a relation (e.g. "attendance_marks__"). Insight's attendance by
    provider groups by these too, so the dashboards count sessions as the registers' pages do."""
    code = f"{prefix}code__in"
    pk = f"{prefix}pk"
    return {
        "attended": Count(pk, filter=Q(**{code: ATTENDING_CODES})),
        "authorised": Count(pk, filter=Q(**{code: AUTHORISED_CODES})),
        "unauthorised": Count(pk, filter=Q(**{code: UNAUTHORISED_CODES})),
    }


COUNTED = ("attended", "authorised", "unauthorised")
ONE_DAY = datetime.timedelta(days=1)


def _first_of_next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _month_parts(
    date_from: datetime.date, date_to: datetime.date
) -> tuple[tuple[datetime.date, datetime.date] | None, list[tuple[datetime.date, datetime.date]]]:
    """The period split into its whole months (the first and last month's first days, or None when it holds no whole
    month) and the days before and after them."""
    first = date_from if date_from.day == 1 else _first_of_next_month(date_from)
    after_last = _first_of_next_month(date_to) if (date_to + ONE_DAY).day == 1 else date_to.replace(day=1)
    if first >= after_last:
        return None, [(date_from, date_to)]
    edges = [(date_from, first - ONE_DAY), (after_last, date_to)]
    return (first, after_last - ONE_DAY), [(start, end) for start, end in edges if start <= end]


def sessions_counted_by(
    user, date_from: datetime.date, date_to: datetime.date, *by: str, placement_q: Q | None = None
) -> list[dict[str, Any]]:
    """Sessions attended and absent with and without authority from `date_from` to `date_to`, in the user's marks,
    grouped by `by` (paths from a mark, such as "placement__provision__provider_id"); `placement_q` narrows the
    placements through "placement__". Each row holds the values of `by` and the three counts (Rates.of reads them).

    A year's marks are too many to count at each request (700,000 on a large LA), so whole months are read from their
    counts (AttendanceMonth, kept by the database as marks are written), and only the days of a month the period
    covers in part from the marks: the same figures as counting the marks, in a few thousand rows."""
    narrowed = placement_q or Q()
    months, days = _month_parts(date_from, date_to)
    parts: list[QuerySet] = []
    if months is not None:
        parts.append(
            AttendanceMonth.objects.visible_to(user)
            .filter(narrowed, month__range=(months[0], months[1].replace(day=1)))
            .values(*by)
            .annotate(**{name: Sum(name) for name in COUNTED})
            .order_by()
        )
    for start, end in days:
        parts.append(
            AttendanceMark.objects.visible_to(user)
            .filter(narrowed, date__range=(start, end))
            .values(*by)
            .annotate(**session_counts())
            .order_by()
        )
    groups: dict[tuple, dict[str, Any]] = {}
    for part in parts:
        for row in part:
            group = groups.setdefault(tuple(row[path] for path in by), {**{path: row[path] for path in by}})
            for name in COUNTED:
                group[name] = group.get(name, 0) + (row[name] or 0)
    return list(groups.values())


@dataclass(frozen=True)
class Rates:
    attended: int
    authorised: int
    unauthorised: int

    @property
    def possible(self) -> int:
        return self.attended + self.authorised + self.unauthorised

    @property
    def rate(self) -> Decimal | None:
        return percentage(self.attended, self.possible)

    @property
    def authorised_rate(self) -> Decimal | None:
        return percentage(self.authorised, self.possible)

    @property
    def unauthorised_rate(self) -> Decimal | None:
        return percentage(self.unauthorised, self.possible)

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> "Rates":
        return cls(row["attended"] or 0, row["authorised"] or 0, row["unauthorised"] or 0)


def _period(marks: QuerySet, date_from: datetime.date | None, date_to: datetime.date | None) -> QuerySet:
    if date_from is not None:
        marks = marks.filter(date__gte=date_from)
    if date_to is not None:
        marks = marks.filter(date__lte=date_to)
    return marks


def attendance_summary(
    placement: Placement, *, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> dict:
    """Sessions and rate of one placement: possible, present, authorised, unauthorised, rate (Decimal % or None).

    The caller has fetched `placement` through Placement.objects.visible_to(user), as every page does.
    """
    marks = _period(AttendanceMark.objects.filter(placement=placement), date_from, date_to)
    rates = Rates.of(marks.aggregate(**session_counts()))
    return {
        "possible": rates.possible,
        "present": rates.attended,
        "authorised": rates.authorised,
        "unauthorised": rates.unauthorised,
        "rate": rates.rate,
    }


def rates_by_placement(placements: Iterable[Placement]) -> dict[int, Rates]:
    """Attendance rates of placements the caller has already read through Placement.objects.visible_to(user)."""
    rows = (
        AttendanceMark.objects.filter(placement_id__in=[placement.pk for placement in placements])
        .values("placement_id")
        .annotate(**session_counts())
        .order_by()
    )
    return {row["placement_id"]: Rates.of(row) for row in rows}


def recent_marks(placement: Placement, days: int = 10) -> list[dict]:
    """The last `days` weekdays up to today that fall inside the placement, newest first:
    [{"date": date, "AM": AttendanceMark | None, "PM": AttendanceMark | None}, ...]."""
    last = min(today(), placement.end_date) if placement.end_date else today()
    weekdays = list(islice(weekdays_back_from(last, placement.start_date), days))
    if not weekdays:
        return []
    marks = AttendanceMark.objects.filter(placement=placement, date__range=(weekdays[-1], weekdays[0]))
    by_key = {(mark.date, mark.session): mark for mark in marks}
    return [{"date": day, **{session: by_key.get((day, session)) for session in SESSIONS}} for day in weekdays]


def marks_for(user, placement: Placement) -> QuerySet[AttendanceMark]:
    """A placement's marks the user may read, newest first."""
    return (
        AttendanceMark.objects.visible_to(user)
        .filter(placement=placement)
        .select_related("recorded_by")
        .order_by("-date", "-session")
    )


def placement_for(user, pk: int) -> Placement:
    """A placement the user may see (404 otherwise), with what its attendance pages show."""
    return get_object_or_404(
        Placement.objects.visible_to(user).select_related("pupil", "provision__provider"),
        pk=pk,
    )


# --- Registers (provider staff, and schools for the AP they recorded at providers without users) --------------

# How long a provision whose placements have all ended stays in a school's choice of registers: a month, to enter
# the last weeks' attendance the provider sends.
RECENTLY_ENDED_DAYS = 28


def registrable_placements(user) -> QuerySet[Placement]:
    """The placements the user marks on registers (`permissions.can_take_register_of`), in the states a register
    lists, on any date."""
    membership = membership_of(user)
    return registers_taken_by(membership, Placement.objects.visible_to(user)).filter(
        status__in=register_states(membership)
    )


def _running_on(placements: QuerySet[Placement], day: datetime.date) -> QuerySet[Placement]:
    return placements.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


def register_provisions(user) -> QuerySet[Provision]:
    """The provisions whose registers the user takes: their provider's, for provider staff; for school staff, those
    where their school recorded AP that is running or ended in the last RECENTLY_ENDED_DAYS (at a provider with no
    users in AP Hub); none for anyone else (the LA reads registers, it does not take them)."""
    membership = membership_of(user)
    if acts_as(membership, PROVIDER_ROLES):
        return Provision.objects.visible_to(user).order_by("name", "pk")
    if not acts_as(membership, SCHOOL_ROLES):
        return Provision.objects.none()
    since = today() - datetime.timedelta(days=RECENTLY_ENDED_DAYS)
    recent = registrable_placements(user).filter(start_date__lte=today()).exclude(end_date__lt=since)
    return Provision.objects.filter(pk__in=recent.values("provision_id")).order_by("name", "pk")


def register_placements(user, provision: Provision, day: datetime.date) -> QuerySet[Placement]:
    """The pupils on a provision's register for `day` that the user marks: placements there running that day."""
    return (
        _running_on(registrable_placements(user).filter(provision=provision), day)
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name", "pk")
    )


def register_marks(user, placements: list[Placement], day: datetime.date, session: str) -> dict[int, AttendanceMark]:
    """The marks already recorded for these placements in this session, by placement id."""
    marks = AttendanceMark.objects.visible_to(user).filter(placement__in=placements, date=day, session=session)
    return {mark.placement_id: mark for mark in marks}


def session_marks(user, provision: Provision, day: datetime.date, session: str) -> list[AttendanceMark]:
    """One session's marks at a provision that the user may read, by pupil name."""
    return list(
        AttendanceMark.objects.visible_to(user)
        .filter(placement__provision=provision, date=day, session=session)
        .select_related("placement__pupil")
        .order_by("placement__pupil__last_name", "placement__pupil__first_name", "placement_id")
    )


@dataclass(frozen=True)
class RegisterDue:
    """A register of today not yet taken: some pupil on it has no mark for the session."""

    provision: Provision
    session: str
    unmarked: int


def registers_not_taken(user, day: datetime.date) -> list[RegisterDue]:
    """The provider's registers of `day`, morning and afternoon, that still miss a mark, in provision order.

    None at weekends (registers are taken on school days). Three queries, however many provisions and pupils.
    """
    if is_weekend(day):
        return []
    provisions = list(register_provisions(user))
    if not provisions:
        return []
    on_register = _running_on(registrable_placements(user).filter(provision__in=provisions), day)
    pupils_by_provision: dict[int, set[int]] = {}
    for placement_id, provision_id in on_register.values_list("pk", "provision_id"):
        pupils_by_provision.setdefault(provision_id, set()).add(placement_id)
    marked: dict[tuple[int, str], set[int]] = {}
    marks = AttendanceMark.objects.visible_to(user).filter(placement__in=on_register.values("pk"), date=day)
    for placement_id, provision_id, session in marks.values_list("placement_id", "placement__provision_id", "session"):
        marked.setdefault((provision_id, session), set()).add(placement_id)
    due = []
    for provision in provisions:
        placements = pupils_by_provision.get(provision.pk, set())
        for session in SESSIONS:
            unmarked = len(placements - marked.get((provision.pk, session), set()))
            if unmarked:
                due.append(RegisterDue(provision, session, unmarked))
    return due


# --- Absences (LA staff and schools) --------------------------------------------------------------------------

# "Recent" absence alerts: today and the six days before, so last week's school days are always in view.
RECENT_ALERT_DAYS = 7


def recent_absence_alerts(user, *, on: datetime.date | None = None) -> QuerySet[AbsenceAlert]:
    """Absence alerts about sessions of the last RECENT_ALERT_DAYS days (today included), newest first."""
    before = (on or today()) - datetime.timedelta(days=RECENT_ALERT_DAYS)
    return (
        AbsenceAlert.objects.visible_to(user)
        .filter(date__gt=before)
        .select_related("placement__pupil", "placement__provision")
        .order_by("-date", "-session", "-pk")
    )


def absences_on(user, day: datetime.date) -> QuerySet[AttendanceMark]:
    """The absence marks (authorised or not) of `day`, by pupil name: who was not there today."""
    return (
        AttendanceMark.objects.visible_to(user)
        .filter(date=day, code__in=ABSENCE_CODES)
        .select_related("placement__pupil", "placement__provision")
        .order_by("placement__pupil__last_name", "placement__pupil__first_name", "placement_id", "session")
    )


# --- Rates (LA officers, commissioners, providers) ------------------------------------------------------------


@dataclass(frozen=True)
class ProvisionRates:
    provision_id: int
    name: str
    provider: str
    pupils: int
    rates: Rates


def provision_rates(
    user, *, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> list[ProvisionRates]:
    """Each provision with marks the user may read, with its rates over the period; best attendance last."""
    marks = _period(AttendanceMark.objects.visible_to(user), date_from, date_to)
    rows = (
        marks.values(
            "placement__provision_id",
            "placement__provision__name",
            "placement__provision__provider__legal_name",
            "placement__provision__provider__trading_name",
        )
        .annotate(pupils=Count("placement__pupil_id", distinct=True), **session_counts())
        .order_by("placement__provision__name", "placement__provision_id")
    )
    return [
        ProvisionRates(
            provision_id=row["placement__provision_id"],
            name=row["placement__provision__name"],
            provider=row["placement__provision__provider__trading_name"]
            or row["placement__provision__provider__legal_name"],
            pupils=row["pupils"],
            rates=Rates.of(row),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class PlacementRates:
    placement: Placement
    rates: Rates


def placement_rates(
    user,
    provision_id: int,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[PlacementRates]:
    """The user's visible placements at one provision that have marks in the period, with their rates."""
    mark_filter = Q()
    if date_from is not None:
        mark_filter &= Q(attendance_marks__date__gte=date_from)
    if date_to is not None:
        mark_filter &= Q(attendance_marks__date__lte=date_to)
    prefix = "attendance_marks__"
    counts = {
        name: Count(f"{prefix}pk", filter=aggregate.filter & mark_filter)
        for name, aggregate in session_counts(prefix).items()
    }
    placements = (
        Placement.objects.visible_to(user)
        .filter(provision_id=provision_id)
        .select_related("pupil")
        .annotate(attended=counts["attended"], authorised=counts["authorised"], unauthorised=counts["unauthorised"])
        .order_by("pupil__last_name", "pupil__first_name", "pk")
    )
    found = [PlacementRates(p, Rates(p.attended, p.authorised, p.unauthorised)) for p in placements]
    return [row for row in found if row.rates.possible]


def provision_with_placements(user, provision_id: int) -> Provision | None:
    """A provision at which the user may see some placement, else None (their page answers 404)."""
    if not Placement.objects.visible_to(user).filter(provision_id=provision_id).exists():
        return None
    return Provision.objects.select_related("provider").filter(pk=provision_id).first()
