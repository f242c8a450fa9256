"""Rules of law and of LA policy that start a clock, one named object per clock of DESIGN.md section 3.

Each rule answers one question: given the day of the event that starts the clock and the school calendar that
applies, on which day is the duty due? `due_date(slug, event_date, calendar)` is the pure entry point; the
services store its answer on a `Clock` and the worklists and the sweep count school days to it.

Two ways of counting school days are used, and they differ on purpose:

- "from the sixth school day" (exclusions, suspensions): the first day of the exclusion is day 1, so the duty is
  due on the 6th school day counting that day; an exclusion that starts on a non-school day makes the next school
  day day 1 (Education Act 1996 s.579: a "school day" is a day on which the school has a session).
- "within N school days of" an event (governing board review, Fair Access): the day of the event is not counted;
  the first school day after it is day 1 and the duty is due on day N. This is the ordinary way a period "within"
  a number of days is read, and it is the reading DfE's exclusion guidance uses for the board's 15 days.

A "school day" is a day of the `aphub.core.days.school_days.SchoolCalendar`: a weekday in term that is not an INSET day
or an England bank holiday.
"""

import datetime
from typing import ClassVar

from aphub.core.days.school_days import SchoolCalendar

from .models import Owner


class Rule:
    """A duty with a due date. Subclasses say how the due date follows from the event."""

    slug: ClassVar[str]
    # What is due, in words an officer or a parent would use (worklists, reminders).
    title: ClassVar[str]
    # Who must act, unless the service starting the clock says otherwise (a school commissioner, say).
    owner: ClassVar[str]
    # Where the rule comes from, short enough for a page.
    source: ClassVar[str]
    # True when a placement that starts meets the duty (education clocks), false for reviews and policy dates.
    met_by_placement: ClassVar[bool] = False
    # True when the due date is counted in school days of a calendar.
    counts_school_days: ClassVar[bool] = False

    def due_date(self, event_date: datetime.date, calendar: SchoolCalendar) -> datetime.date:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<Rule {self.slug}>"


class FromNthSchoolDay(Rule):
    """Due on the n-th school day counting the event's own day as day 1 (the next school day when it is not one)."""

    nth_day: ClassVar[int]
    counts_school_days = True

    def due_date(self, event_date: datetime.date, calendar: SchoolCalendar) -> datetime.date:
        return calendar.nth_school_day(event_date, self.nth_day)


class WithinSchoolDays(Rule):
    """Due on the n-th school day after the event; the event's own day is not counted."""

    school_days: ClassVar[int]
    counts_school_days = True

    def due_date(self, event_date: datetime.date, calendar: SchoolCalendar) -> datetime.date:
        return calendar.nth_school_day(event_date + datetime.timedelta(days=1), self.school_days)


class OnTheDay(Rule):
    """Due on the day given: the duty is to act at once, or the date is one a placement or a review set."""

    def due_date(self, event_date: datetime.date, calendar: SchoolCalendar) -> datetime.date:
        return event_date


class PermanentExclusion(FromNthSchoolDay):
    """Education Act 1996 s.19(3A) and (3AA), with The Education (Provision of Full-Time Education for Excluded
    Pupils) (England) Regulations 2007: the LA must arrange suitable full-time education for a permanently excluded
    pupil from the sixth school day of the exclusion. DfE 'Suspension and permanent exclusion' guidance: the first
    day of the exclusion counts as day 1.
    """

    slug = "permanent-exclusion"
    title = "Full-time education from the 6th school day of a permanent exclusion"
    owner = Owner.LA
    source = "Education Act 1996 s.19(3A) and (3AA); Excluded Pupils Regulations 2007"
    met_by_placement = True
    nth_day = 6


class Suspension(FromNthSchoolDay):
    """Education and Inspections Act 2006 s.100 with The Education (Provision of Full-Time Education for Excluded
    Pupils) (England) Regulations 2007: for a suspension (fixed-period exclusion) of more than five consecutive
    school days the school's governing board must arrange suitable full-time education from the sixth school day.
    DfE 'Suspension and permanent exclusion' guidance: the first day of the suspension counts as day 1.
    """

    slug = "suspension"
    title = "Full-time education from the 6th school day of a suspension"
    owner = Owner.SCHOOL
    source = "Education and Inspections Act 2006 s.100; Excluded Pupils Regulations 2007"
    met_by_placement = True
    nth_day = 6


class HealthNeeds(OnTheDay):
    """Education Act 1996 s.19(1) and DfE 'Arranging education for children who cannot attend school because of
    health needs' (2023): the LA should arrange suitable education as soon as it is clear that a child will miss
    15 or more school days, consecutive or cumulative, because of their health.

    Our reading: the episode's start date is the day it became clear, and the guidance gives no further grace, so
    the clock is due on that day. It shows as due at once, and as breached from the next day until a placement
    meets it. The 15 days are the trigger for the duty, not a period to wait.
    """

    slug = "health-needs"
    title = "Education arranged once it is clear a child will miss 15 school days through ill health"
    owner = Owner.LA
    source = "Education Act 1996 s.19(1); DfE health needs guidance (2023)"
    met_by_placement = True


class GoverningBoardReview(WithinSchoolDays):
    """The School Discipline (Pupil Exclusions and Reviews) (England) Regulations 2012 and DfE 'Suspension and
    permanent exclusion' guidance: the governing board must consider the reinstatement of a permanently excluded
    pupil (or one suspended for more than 15 school days in a term) within 15 school days of receiving notice of the
    exclusion. Notice is given without delay, so the clock starts on the exclusion's first day, which is not counted.
    """

    slug = "governing-board-review"
    title = "Governing board considers reinstatement within 15 school days"
    owner = Owner.SCHOOL
    source = "Exclusions and Reviews Regulations 2012; DfE exclusion guidance"
    school_days = 15


class FairAccess(WithinSchoolDays):
    """School Admissions Code (2021) paragraphs 3.9 to 3.15 and DfE 'Fair access protocols' guidance (2021): a
    child without a school place who is referred under the LA's Fair Access protocol should be allocated a place
    within 20 school days. The referral day is not counted.
    """

    slug = "fair-access"
    title = "School place allocated within 20 school days (Fair Access)"
    owner = Owner.LA
    source = "School Admissions Code 2021; Fair Access protocols guidance"
    met_by_placement = True
    school_days = 20


class PlacementReview(OnTheDay):
    """LA policy (LocalPolicy.review_interval_weeks, e.g. every 6 weeks) and DfE 'Arranging alternative provision'
    (2025): placements are reviewed regularly, and each review sets the date of the next. Due on that date.
    """

    slug = "placement-review"
    title = "Placement review"
    owner = Owner.COMMISSIONER
    source = "LA policy; DfE 'Arranging alternative provision' (2025)"


class PlannedEnd(OnTheDay):
    """LA policy (LocalPolicy.tier_2_planned_weeks, e.g. 20 weeks) and the DfE tiers of AP (SEND and AP improvement
    plan, 2023): a time-limited placement ends, or is decided again, by its planned end date. Due on that date.
    """

    slug = "planned-end"
    title = "Planned end of the placement: end it or decide again"
    owner = Owner.COMMISSIONER
    source = "LA policy; SEND and AP improvement plan (2023)"


class PartTimeReview(OnTheDay):
    """DfE 'Working together to improve school attendance' (2024) and 'Alternative provision' statutory guidance
    (2013): a part-time arrangement is a temporary exception, with a time limit and a date to review it; LA policy
    caps its weeks and sessions. Due on the review date the placement set.
    """

    slug = "part-time-review"
    title = "Review of a part-time arrangement"
    owner = Owner.COMMISSIONER
    source = "DfE attendance guidance (2024); AP statutory guidance (2013); LA policy"


PERMANENT_EXCLUSION = PermanentExclusion()
SUSPENSION = Suspension()
HEALTH_NEEDS = HealthNeeds()
GOVERNING_BOARD_REVIEW = GoverningBoardReview()
FAIR_ACCESS = FairAccess()
PLACEMENT_REVIEW = PlacementReview()
PLANNED_END = PlannedEnd()
PART_TIME_REVIEW = PartTimeReview()

RULES: dict[str, Rule] = {
    rule.slug: rule
    for rule in (
        PERMANENT_EXCLUSION,
        SUSPENSION,
        HEALTH_NEEDS,
        GOVERNING_BOARD_REVIEW,
        FAIR_ACCESS,
        PLACEMENT_REVIEW,
        PLANNED_END,
        PART_TIME_REVIEW,
    )
}

# Clocks whose due date a placement sets; started and reset by the placement services.
PLACEMENT_RULES: tuple[str, ...] = (PLACEMENT_REVIEW.slug, PLANNED_END.slug, PART_TIME_REVIEW.slug)
# Clocks a placement meets by starting: the child is in education.
EDUCATION_RULES: tuple[str, ...] = tuple(slug for slug, rule in RULES.items() if rule.met_by_placement)


def rule_for(slug: str) -> Rule:
    """The rule named `slug`; ValueError naming it when there is none."""
    try:
        return RULES[slug]
    except KeyError:
        known = ", ".join(RULES)
        raise ValueError(f"There is no duty rule {slug!r}; the rules are {known}") from None


def due_date(rule: str, event_date: datetime.date, calendar: SchoolCalendar) -> datetime.date:
    """The day the duty `rule` (a slug) is due, for an event on `event_date`, counted in `calendar`.

    Raises ValueError for an unknown slug, and (from the calendar) when its terms end before the due date.
    """
    return rule_for(rule).due_date(event_date, calendar)
