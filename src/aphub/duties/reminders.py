"""Who is told about a clock, and what the message says.

Recipients follow the clock's owner: the LA's officers for the LA's clocks; the owning school's staff for a school's
clocks; for a commissioner's clocks, the commissioning school's staff when a school commissioned, else the LA's
officers. A school-owned clock with no school named falls back to the LA's officers, so no reminder goes nowhere.

A message names the child by first name and the initial of the last name only, says what is due and when, and gives
the path of the child's record to open after signing in. It never carries the UPN, date of birth, address or any
sensitive fact (SEN, health, safeguarding): e-mail leaves the service and may be read on a shared screen.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from aphub.core.days.dates import long_date
from aphub.organisations.models import Membership, Payer, Role

from .models import Clock, Owner, Reminder
from .notify import absolute_url
from .rules import rule_for


def _school_for(clock: Clock) -> int | None:
    """The school whose staff hear about this clock, or None for the LA's officers."""
    if clock.owner == Owner.SCHOOL:
        return clock.owner_school_id
    if clock.owner == Owner.COMMISSIONER:
        placement = clock.placement
        if placement is not None and placement.commissioner == Payer.SCHOOL:
            return placement.commissioning_school_id or clock.owner_school_id
        return clock.owner_school_id
    return None


def recipients_for(clocks: Iterable[Clock]) -> dict[int, list[str]]:
    """clock id -> e-mail addresses, read in one query for all the clocks."""
    clocks = list(clocks)
    schools = {clock.pk: _school_for(clock) for clock in clocks}
    la_ids = {clock.local_authority_id for clock in clocks}
    school_ids = {school for school in schools.values() if school is not None}
    officers: dict[int, set[str]] = defaultdict(set)
    staff: dict[int, set[str]] = defaultdict(set)
    memberships = Membership.objects.filter(user__is_active=True).filter(
        Q(role=Role.LA_OFFICER, local_authority_id__in=la_ids) | Q(role=Role.SCHOOL_STAFF, school_id__in=school_ids)
    )
    for role, la_id, school_id, email in memberships.values_list(
        "role", "local_authority_id", "school_id", "user__email"
    ):
        if role == Role.LA_OFFICER:
            officers[la_id].add(email)
        else:
            staff[school_id].add(email)
    return {
        clock.pk: sorted(
            staff[schools[clock.pk]] if schools[clock.pk] is not None else officers[clock.local_authority_id]
        )
        for clock in clocks
    }


def record_path(clock: Clock) -> str:
    """Where to look: the child's timeline, or the worklist while that page does not exist."""
    try:
        path = reverse("placements:pupil", kwargs={"pk": clock.pupil_id})
    except NoReverseMatch:
        path = reverse("duties:worklist")
    return absolute_url(path)


def short_name(pupil) -> str:
    """First name and the initial of the last name: enough to recognise the child, too little to identify them."""
    initial = (pupil.last_name or "").strip()[:1].upper()
    return f"{pupil.first_name} {initial}." if initial else pupil.first_name


def message_for(clock: Clock, *, kind: str, today: datetime.date) -> tuple[str, str]:
    rule = rule_for(clock.rule)
    name = short_name(clock.pupil)
    due = long_date(clock.due_on)
    if kind == Reminder.Kind.BREACHED:
        subject = f"Overdue: {rule.title} for {name}"
        when = f"This was due on {clock.due_on:%A} {due} and is not yet met."
    else:
        subject = f"Due soon: {rule.title} for {name}"
        when = "This is due today." if clock.due_on == today else f"This is due on {clock.due_on:%A} {due}."
    service = getattr(settings, "APHUB_SERVICE_NAME", "AP Hub")
    body = "\n\n".join(
        [
            f"{rule.title}, for {name}.",
            when,
            f"The rule: {rule.source}.",
            f"Sign in to {service} to see the child's record and act: {record_path(clock)}",
            f"You get this message because your organisation is responsible for this duty in {service}.",
        ]
    )
    return subject, body
