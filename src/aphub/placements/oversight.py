"""Unregistered provision oversight: how near each unregistered provider is to the registration threshold.

The law (Education Act 1996 s.463 and Education and Skills Act 2008 s.92, as amended): an institution that gives
full-time education to 5 or more pupils of compulsory school age, or to 1 such pupil who is looked after or has an
EHC plan, is an independent school and must register. Full time is read today as more than 18 hours a week; the
number is LocalPolicy.full_time_hours of the provider's LA.

The count is of children, not of placements, and across EVERY commissioner: an LA, another LA and each school
buying places separately may each stay below the threshold while together they cross it. So these reads are not
scoped to a user: they return counts only, never a child, and the pages show them as counts to everyone. The
placements that break an LA's own limits are listed only to that LA (the LA of the child), through
Placement.objects.visible_to(user) in aphub/quality/queries.py.
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
from aphub.core.days.school_years import is_compulsory_school_age
from aphub.duties.models import LocalPolicy
from aphub.organisations.models import Membership, Provider, ProviderQuerySet, Role
from aphub.placements.models import Placement
from aphub.pupils.models import Pupil

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
    return Provider.objects.filter(registration_status=Provider.RegistrationStatus.UNREGISTERED)


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
