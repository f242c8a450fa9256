"""Unregistered provision oversight: how near each unregistered provider is to the registration threshold.

The law (Education Act 1996 s.463 and Education and Skills Act 2008 s.92, as amended): an institution that gives
full-time education to 5 or more pupils of compulsory school age, or to 1 such pupil who is looked after or has an
EHC plan, is an independent school and must register. Full time is read today as more than 18 hours a week; the
number is LocalPolicy.full_time_hours of the provider's LA.

The count is of children, not of placements, and across EVERY commissioner: an LA, another LA and each school
buying places separately may each stay below the threshold while together they cross it. That includes the AP a
school arranged itself and recorded (placements.school_arranged: a Placement like any other, docs/decisions/0026),
since the DfE expects schools to tell the LA of every unregistered placement precisely so that it can be counted.
So these reads are not scoped to a user: they return counts only, never a child, and the pages show them as counts
to everyone. The placements that break an LA's own limits are listed only to that LA (the LA of the child), through
Placement.objects.visible_to(user) in aphub/quality/queries.py.

One kind of provider is left out of the count: an `unnamed` one, which a school recorded as a census type of setting
without naming who provides it (one record per school and type). It stands for several unknown providers, so its
children cannot be counted as one institution's; the LA's city-wide view lists those placements for it to chase.

Below the counts, the rules of two lists for the LA's own children (the reads are scoped, in placements.queries):
children in AP on no registered roll, and children whose part-time AP and school time fall short of full-time
education. Each rule is a pure function here, over records the query has read.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q

from aphub.commissioning.models import OversightAlert
from aphub.core.clock import now
from aphub.core.days.dates import long_date
from aphub.core.days.school_years import is_compulsory_school_age
from aphub.duties.models import EpisodeKind, LocalPolicy
from aphub.organisations.models import Membership, Payer, Provider, ProviderQuerySet, Role, School
from aphub.placements.models import Episode, Placement, Registration
from aphub.pupils.models import Enrolment, Pupil

THRESHOLD_PUPILS = 5  # five or more full-time pupils of compulsory school age
WARNING_PUPILS = THRESHOLD_PUPILS - 1  # the LA and the provider hear one pupil before the threshold
DEFAULT_FULL_TIME_HOURS = Decimal(LocalPolicy._meta.get_field("full_time_hours").default)
PENDING_STATES = (Placement.Status.OFFERED, Placement.Status.ACCEPTED)

Level = OversightAlert.Level
LEVEL_ORDER: dict[str | None, int] = {None: 0, Level.WARNING: 1, Level.THRESHOLD: 2}


# --- Counting --------------------------------------------------------------------------------------------------


@dataclass
class ProviderCount:
    """What one unregistered provider's placements add up to, across every commissioner. Counts only."""

    provider_id: int
    full_time_hours: Decimal  # more than this many hours a week is full time (the provider's LA's policy)
    full_time: int = 0  # children of compulsory school age it educates full time now
    looked_after_or_ehcp: int = 0  # of those, looked after or with an EHC plan
    full_time_once_started: int = 0  # with the offered and accepted placements started too
    looked_after_or_ehcp_once_started: int = 0
    local_authority_ids: set[int] = field(default_factory=set)  # LAs whose children it educates full time

    @property
    def level(self) -> str | None:
        if self.full_time >= THRESHOLD_PUPILS or self.looked_after_or_ehcp >= 1:
            return Level.THRESHOLD
        if (
            self.full_time >= WARNING_PUPILS
            or self.full_time_once_started >= THRESHOLD_PUPILS
            or self.looked_after_or_ehcp_once_started >= 1
        ):
            return Level.WARNING
        return None

    @property
    def reasons(self) -> list[str]:
        """Plain sentences for the LA and the provider: numbers, never a child."""
        reasons = []
        if self.full_time >= THRESHOLD_PUPILS:
            reasons.append(
                f"It educates {self.full_time} pupils of compulsory school age full time: "
                f"the threshold is {THRESHOLD_PUPILS}"
            )
        elif self.full_time == WARNING_PUPILS:
            reasons.append(
                f"It educates {self.full_time} pupils of compulsory school age full time: one more reaches the "
                f"threshold of {THRESHOLD_PUPILS}"
            )
        if self.looked_after_or_ehcp:
            reasons.append(
                f"It educates {_pupils(self.looked_after_or_ehcp)} full time who "
                f"{'is' if self.looked_after_or_ehcp == 1 else 'are'} looked after or "
                f"{'has an EHC plan' if self.looked_after_or_ehcp == 1 else 'have EHC plans'}: one such pupil is "
                "enough to need registration"
            )
        if self.full_time < THRESHOLD_PUPILS <= self.full_time_once_started:
            reasons.append(
                f"Placements offered or accepted would bring it to {self.full_time_once_started} full-time pupils"
            )
        if not self.looked_after_or_ehcp and self.looked_after_or_ehcp_once_started:
            reasons.append(
                "A full-time placement offered or accepted is of a pupil who is looked after or has an EHC plan"
            )
        return reasons


def registration_warnings(provider: Provider, count: ProviderCount | None) -> list[str]:
    """How near the provider is to having to register as a school, as warnings for a page: counts, never a child."""
    if count is None:
        return []
    return [f"{provider.display_name} may have to register as a school. {why}" for why in count.reasons]


def _pupils(n: int) -> str:
    return "1 pupil" if n == 1 else f"{n} pupils"


def full_time_hours_by_la(local_authority_ids: Iterable[int | None]) -> dict[int | None, Decimal]:
    """Each LA's full-time hours (LocalPolicy), the default for an LA without a policy or a provider without an LA."""
    ids = {la for la in local_authority_ids if la is not None}
    hours: dict[int | None, Decimal] = {la: DEFAULT_FULL_TIME_HOURS for la in ids}
    hours[None] = DEFAULT_FULL_TIME_HOURS
    for la, value in LocalPolicy.objects.filter(local_authority_id__in=ids).values_list(
        "local_authority_id", "full_time_hours"
    ):
        hours[la] = Decimal(value)
    return hours


def unregistered_providers() -> ProviderQuerySet:
    """The unregistered providers whose children are counted: every one but a school's unnamed type of setting."""
    return Provider.objects.filter(registration_status=Provider.RegistrationStatus.UNREGISTERED, unnamed=False)


def count_unregistered(*, today: datetime.date, provider_ids: Iterable[int] | None = None) -> dict[int, ProviderCount]:
    """provider id -> ProviderCount for every unregistered provider (or those named), in two queries.

    A child is counted once per provider however many placements bring them there: the hours of their running
    placements at the provider are added up (two part-time courses can make full-time education). Children are
    matched by UPN, since two LAs may each keep a record of the same child.
    """
    providers = unregistered_providers()
    if provider_ids is not None:
        providers = providers.filter(pk__in=list(provider_ids))
    la_of = dict(providers.values_list("pk", "local_authority_id"))
    counts = {pk: ProviderCount(provider_id=pk, full_time_hours=DEFAULT_FULL_TIME_HOURS) for pk in la_of}
    if not counts:
        return counts
    hours_by_la = full_time_hours_by_la(la_of.values())
    for pk, la in la_of.items():
        counts[pk].full_time_hours = hours_by_la[la]
    rows = Placement.objects.filter(
        provision__provider_id__in=list(counts),
        status__in=[Placement.Status.ACTIVE, *PENDING_STATES],
    ).values_list(
        "provision__provider_id",
        "pupil__upn",
        "pupil__local_authority_id",
        "pupil__date_of_birth",
        "pupil__looked_after",
        "pupil__sen_status",
        "status",
        "hours_per_week",
    )
    # provider -> UPN -> [active hours, all hours, looked after or EHCP, of compulsory school age, LA ids]
    children: dict[int, dict[str, list]] = defaultdict(dict)
    for provider_id, upn, la_id, born, looked_after, sen, status, hours in rows:
        child = children[provider_id].setdefault(upn, [Decimal(0), Decimal(0), False, False, set()])
        if status == Placement.Status.ACTIVE:
            child[0] += hours
        child[1] += hours
        child[2] = child[2] or looked_after or sen == Pupil.SenStatus.EHC_PLAN
        child[3] = child[3] or is_compulsory_school_age(born, today)
        child[4].add(la_id)
    for provider_id, by_upn in children.items():
        count = counts[provider_id]
        limit = count.full_time_hours
        for active_hours, all_hours, vulnerable, compulsory_age, la_ids in by_upn.values():
            if not compulsory_age:
                continue
            if active_hours > limit:
                count.full_time += 1
                count.looked_after_or_ehcp += vulnerable
                count.local_authority_ids |= la_ids
            if all_hours > limit:
                count.full_time_once_started += 1
                count.looked_after_or_ehcp_once_started += vulnerable
    return counts


# --- Limits on unregistered placements (LA policy) -------------------------------------------------------------


@dataclass(frozen=True)
class LimitBreach:
    placement: Placement
    problems: tuple[str, ...]


def limit_breaches(placements: Iterable[Placement], *, today: datetime.date) -> list[LimitBreach]:
    """The placements (at unregistered providers) that break their child's LA's limits: weeks from start to the
    planned or actual end (LocalPolicy.unregistered_max_weeks) and sessions a week (unregistered_max_sessions).

    The caller passes placements it may show (scoped to the user) with pupil__local_authority_id loaded.
    """
    placements = list(placements)
    policies = {
        policy.local_authority_id: policy
        for policy in LocalPolicy.objects.filter(
            local_authority_id__in={placement.pupil.local_authority_id for placement in placements}
        )
    }
    default = LocalPolicy()
    breaches = []
    for placement in placements:
        policy = policies.get(placement.pupil.local_authority_id, default)
        problems = []
        end = placement.end_date or placement.planned_end_date
        if end is None:
            problems.append(
                f"No planned end date: unregistered placements may last at most {policy.unregistered_max_weeks} weeks"
            )
        else:
            weeks = Decimal((end - placement.start_date).days + 1) / 7
            if weeks > policy.unregistered_max_weeks:
                problems.append(
                    f"{weeks.quantize(Decimal('0.1')).normalize():f} weeks from start to end: the limit is "
                    f"{policy.unregistered_max_weeks}"
                )
        if placement.sessions_per_week > policy.unregistered_max_sessions:
            problems.append(
                f"{placement.sessions_per_week} sessions a week: the limit is {policy.unregistered_max_sessions}"
            )
        if problems:
            breaches.append(LimitBreach(placement=placement, problems=tuple(problems)))
    return breaches


# --- Alerts (the sweep) ----------------------------------------------------------------------------------------


def _alert_recipients(provider: Provider, count: ProviderCount) -> list[str]:
    la_ids = set(count.local_authority_ids)
    if provider.local_authority_id:
        la_ids.add(provider.local_authority_id)
    memberships = Membership.objects.filter(user__is_active=True).filter(
        Q(role=Role.PROVIDER_STAFF, provider_id=provider.pk) | Q(role=Role.LA_OFFICER, local_authority_id__in=la_ids)
    )
    return sorted(set(memberships.values_list("user__email", flat=True)))


def _alert_message(provider: Provider, count: ProviderCount, level: str) -> tuple[str, str]:
    from django.conf import settings
    from django.urls import reverse

    base = getattr(settings, "APHUB_BASE_URL", "").rstrip("/")
    if level == Level.THRESHOLD:
        subject = f"{provider.display_name} has reached the registration threshold for unregistered AP"
        opening = (
            f"{provider.display_name} is unregistered and now gives full-time education to enough pupils that it "
            "must register as an independent school before it takes more."
        )
    else:
        subject = f"{provider.display_name} is nearing the registration threshold for unregistered AP"
        opening = (
            f"{provider.display_name} is unregistered and is close to the number of full-time pupils at which it "
            "would have to register as an independent school."
        )
    lines = [
        opening,
        "",
        *(f"- {reason}." for reason in count.reasons),
        "",
        f"Full time means more than {count.full_time_hours.normalize():f} hours a week across all its commissioners.",
        "Local authority officers: " + base + reverse("commissioning:quality-oversight"),
        "The provider: " + base + reverse("commissioning:quality-registration"),
    ]
    return subject, "\n".join(lines)


@dataclass
class AlertsRaised:
    raised: int = 0
    cleared: int = 0


def raise_alerts(*, today: datetime.date) -> AlertsRaised:
    """Tell the LA and the provider once when an unregistered provider newly reaches the warning level (and again
    if it goes on to the threshold); clear the alerts of providers that fell back below, so a later rise is told.

    Idempotent and safe to run twice at once: one open alert per provider and level (a unique constraint).
    """
    from aphub.duties.notify import notify

    counts = count_unregistered(today=today)
    open_alerts: dict[int, dict[str, OversightAlert]] = defaultdict(dict)
    for alert in OversightAlert.objects.filter(cleared_at__isnull=True):
        open_alerts[alert.provider_id][alert.level] = alert
    result = AlertsRaised()
    providers = {provider.pk: provider for provider in Provider.objects.filter(pk__in=set(counts) | set(open_alerts))}
    for provider_id in sorted(providers):
        count = counts.get(provider_id)
        level = count.level if count is not None else None
        reached = [lvl for lvl in (Level.WARNING, Level.THRESHOLD) if LEVEL_ORDER[lvl] <= LEVEL_ORDER[level]]
        stale = [alert for lvl, alert in open_alerts[provider_id].items() if lvl not in reached]
        if stale:
            OversightAlert.objects.filter(pk__in=[alert.pk for alert in stale]).update(cleared_at=now())
            result.cleared += len(stale)
        new = [lvl for lvl in reached if lvl not in open_alerts[provider_id]]
        if not new or count is None:
            continue
        provider = providers[provider_id]
        recipients = _alert_recipients(provider, count)
        subject, body = _alert_message(provider, count, new[-1])
        reason = "; ".join(count.reasons)[:300]
        try:
            with transaction.atomic():
                for lvl in new:
                    OversightAlert.objects.create(
                        provider=provider,
                        level=lvl,
                        full_time_pupils=count.full_time,
                        reason=reason,
                        recipients="\n".join(recipients) if lvl == new[-1] else "",
                    )
                notify(recipients=recipients, subject=subject, body=body)
        except IntegrityError:
            continue  # another sweep raised it first
        result.raised += 1
    return result


# --- Children in AP on no registered roll (seed 004, action 1) -------------------------------------------------

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class WhoActs:
    """Who must put a child's education right: the school that commissioned the AP, else the LA."""

    school: School | None  # the commissioning school; None when the LA must act

    @property
    def label(self) -> str:
        return f"{self.school.name} (commissioning school)" if self.school else "The local authority"


def _who_acts(running: list[Placement]) -> WhoActs:
    """The school that commissioned one of the child's running placements, else the LA: the commissioner arranged
    the AP and answers for what it left out. A school that arranged AP for its own pupil keeps them on its roll and
    makes sure of their full-time education (Education Act 2002 s.29A, off-site directions; for a suspension, from
    the sixth day, the Education (Provision of Full-Time Education for Excluded Pupils) (England) Regulations 2007);
    otherwise the LA's duty under Education Act 1996 s.19 applies."""
    schools = sorted(
        (p for p in running if p.commissioner == Payer.SCHOOL and p.commissioning_school_id),
        key=lambda p: (p.start_date, p.pk),
    )
    return WhoActs(school=schools[0].commissioning_school if schools else None)


def _on_roll(enrolments: list[Enrolment], today: datetime.date) -> bool:
    return any(e.start_date <= today and (e.end_date is None or e.end_date >= today) for e in enrolments)


def _left_roll(enrolments: list[Enrolment], today: datetime.date) -> Enrolment | None:
    """The school roll the child was last on, when they have left every one."""
    ended = [e for e in enrolments if e.end_date is not None and e.end_date < today]
    return max(ended, key=lambda e: (e.end_date, e.pk), default=None)


def _by_pupil(records: Iterable) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for record in records:
        grouped[record.pupil_id].append(record)
    return grouped


@dataclass(frozen=True)
class OnNoRoll:
    """A child in AP whom no registered school or provider holds on its roll."""

    pupil: Pupil
    placements: tuple[Placement, ...]  # the running ones, all at unregistered providers
    last_roll: Enrolment | None  # the school roll they left, if AP Hub knows one
    since: datetime.date  # the first day they were in AP on no registered roll
    who: WhoActs

    @property
    def should_be_dual(self) -> bool:
        """A running placement says the child stays on the school's roll (dual registration), yet no roll holds
        them: the school's enrolment ended, or was never recorded."""
        return any(p.registration == Registration.DUAL for p in self.placements)


def on_no_registered_roll(
    placements: Iterable[Placement], enrolments: Iterable[Enrolment], *, today: datetime.date
) -> list[OnNoRoll]:
    """Seed 004, action 1: "every child in AP on the roll of a registered provider that oversees their education".

    `placements` are the running (active) placements of the children to judge, every one of each child's; and
    `enrolments` all those children's school enrolments. A child is listed when, on `today`, they are:
    - of compulsory school age (a school roll is for them; Education Act 1996 s.8);
    - in AP: at least one placement running;
    - at no registered provider: every running placement is at an unregistered provider (a registered school,
      PRU, AP academy, independent school or FE college holds the child on its own roll, which is the point);
    - on no school roll: no enrolment at a school (single registration, or the main or subsidiary roll of a dual
      registration) that has started and not ended. A placement recorded as dual registration does not put the
      child on a roll by itself: the school's enrolment does, and its absence is what the list is for.
    Nobody then oversees their education as a registered provider must. `since` is the later of the first running
    placement's start and the day after the last school roll ended. Who must act: the commissioning school (it
    arranged the AP for its pupil, and keeps them on its roll), else the LA (_who_acts).
    """
    rolls = _by_pupil(enrolments)
    found = []
    for running in _by_pupil(placements).values():
        pupil = running[0].pupil
        if not is_compulsory_school_age(pupil.date_of_birth, today):
            continue
        if any(p.provision.provider.registration_status != Provider.RegistrationStatus.UNREGISTERED for p in running):
            continue
        enrolled = rolls.get(pupil.pk, [])
        if _on_roll(enrolled, today):
            continue
        left = _left_roll(enrolled, today)
        started = min(p.start_date for p in running)
        found.append(
            OnNoRoll(
                pupil=pupil,
                placements=tuple(sorted(running, key=lambda p: (p.start_date, p.pk))),
                last_roll=left,
                since=max(started, left.end_date + ONE_DAY) if left and left.end_date else started,
                who=_who_acts(running),
            )
        )
    return sorted(found, key=lambda row: (row.since, row.pupil.last_name.lower(), row.pupil.pk))


# --- Part-time AP and school time short of full-time education -------------------------------------------------

FULL_TIME_SESSIONS = 10  # a morning and an afternoon, five days a week (placements.limits)
# The kinds of episode in which a child on a school roll still goes to school for the rest of the week: AP is part
# of their week, not instead of school. In any other (suspended, excluded, too ill to attend, awaiting a school
# place, long-term AP or another s.19 reason) AP is their whole education.
ATTENDS_SCHOOL_KINDS = frozenset(
    {EpisodeKind.OFF_SITE_DIRECTION, EpisodeKind.PART_TIME_VOCATIONAL, EpisodeKind.SHORT_TERM_INTERVENTION}
)


@dataclass(frozen=True)
class ShortOfFullTime:
    """A child whose part-time AP and time at school add up to fewer than 10 sessions a week."""

    pupil: Pupil
    placements: tuple[Placement, ...]  # the running ones, all part time
    ap_sessions: int
    school_sessions: int
    why_not_at_school: str  # why the child is at school for none of the week
    since: datetime.date
    who: WhoActs

    @property
    def shortfall(self) -> int:
        return FULL_TIME_SESSIONS - self.ap_sessions - self.school_sessions


def short_of_full_time(
    placements: Iterable[Placement],
    enrolments: Iterable[Enrolment],
    open_episodes: Iterable[Episode],
    *,
    today: datetime.date,
) -> list[ShortOfFullTime]:
    """Children of compulsory school age whose running part-time AP, with the time they are at school, falls short of
    full-time education (10 sessions a week: 'Arranging alternative provision', 2025, and the statutory guidance on
    part-time timetables: a reduced week is temporary, reviewed, and never the default).

    `placements` are the running (active) placements of the children to judge, every one of each child's;
    `enrolments` all their school enrolments; `open_episodes` their open episodes. For each child:
    - a running full-time placement is full-time education: not listed;
    - AP sessions are the sessions a week of their running placements, added up;
    - school sessions: a child on a school roll (an enrolment running today) whose every episode, of the running
      placements and any other open one, is of a kind in which they still attend school (off-site direction,
      part-time vocational course, short-term intervention) is at school for the rest of the week, 10 minus the AP
      sessions; a child suspended, excluded, awaiting a place, too ill to attend (health needs), in long-term AP or
      on no school roll is at school for none;
    - listed when AP and school sessions are under 10, with the shortfall in sessions.
    `since` is the first day it was so: the later of the first running placement's start and the day the child
    stopped going to school (the start of the earliest open episode that keeps them out, or the day after their
    school roll ended). Who must act: the commissioning school, else the LA (_who_acts).
    """
    rolls = _by_pupil(enrolments)
    episodes = _by_pupil(open_episodes)
    found = []
    for running in _by_pupil(placements).values():
        pupil = running[0].pupil
        if any(p.is_full_time for p in running) or not is_compulsory_school_age(pupil.date_of_birth, today):
            continue
        ap_sessions = sum(p.sessions_per_week for p in running)
        if ap_sessions >= FULL_TIME_SESSIONS:
            continue
        enrolled = rolls.get(pupil.pk, [])
        keeping_out = sorted(
            {
                episode
                for episode in [*(p.episode for p in running), *episodes.get(pupil.pk, [])]
                if episode.route.kind not in ATTENDS_SCHOOL_KINDS
            },
            key=lambda e: (e.start_date, e.pk),
        )
        started = min(p.start_date for p in running)
        if not _on_roll(enrolled, today):
            left = _left_roll(enrolled, today)
            off_roll_from = left.end_date + ONE_DAY if left is not None and left.end_date is not None else None
            why = f"Not on a school roll since {long_date(off_roll_from)}" if off_roll_from else "Not on a school roll"
            out_since = off_roll_from or started
        elif keeping_out:
            why = keeping_out[0].route.get_kind_display()
            out_since = keeping_out[0].start_date
        else:
            continue  # at school for the rest of the week: full time
        found.append(
            ShortOfFullTime(
                pupil=pupil,
                placements=tuple(sorted(running, key=lambda p: (p.start_date, p.pk))),
                ap_sessions=ap_sessions,
                school_sessions=0,
                why_not_at_school=why,
                since=max(started, out_since),
                who=_who_acts(running),
            )
        )
    return sorted(found, key=lambda row: (-row.shortfall, row.since, row.pupil.last_name.lower(), row.pupil.pk))
