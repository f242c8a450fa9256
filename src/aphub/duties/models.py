"""School calendars, LA policy, statutory clocks and the reminders they send (DESIGN.md section 3).

Clocks name the pupil, episode and placement they concern by foreign key to those apps' models, as strings:
this app never imports the placements app (dependencies point one way: placements starts and meets clocks
through duties.services; docs/decisions/0022-layers.md).
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When

from aphub.core.clock import now
from aphub.core.scoping import ScopedQuerySet
from aphub.organisations.models import LocalAuthority, Provider, School
from aphub.organisations.scoping import LocalAuthorityScopedQuerySet


class CalendarQuerySet(LocalAuthorityScopedQuerySet):
    local_authority_path = "local_authority_id"

    def for_school_staff(self, membership):
        return self.filter(local_authority_id=membership.school.local_authority_id).filter(
            Q(school__isnull=True) | Q(school_id=membership.school_id)
        )


class TermDates(models.Model):
    """One term of an LA's calendar, or of one school's own calendar when `school` is set (academies often differ).

    A school with any terms of its own uses only its own terms and closures; the others use the LA's.
    """

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="terms")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="terms")
    name = models.CharField(max_length=60, help_text="For example, Autumn 1 2026")
    first_day = models.DateField()
    last_day = models.DateField()

    objects = CalendarQuerySet.as_manager()

    class Meta:
        ordering = ["first_day"]
        verbose_name_plural = "term dates"
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="term_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.first_day} to {self.last_day}"


class Closure(models.Model):
    """A day inside term when school is closed: an INSET day or other closure. Bank holidays are added for England."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="closures")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=100, default="INSET day")

    objects = CalendarQuerySet.as_manager()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"


class LocalPolicy(models.Model):
    """An LA's own rules where the law leaves the number to it. Defaults follow the seeds and common practice."""

    local_authority = models.OneToOneField(LocalAuthority, on_delete=models.CASCADE, related_name="policy")
    due_soon_school_days = models.PositiveSmallIntegerField(
        default=3, help_text="A clock is 'due soon' this many school days before it is due"
    )
    review_interval_weeks = models.PositiveSmallIntegerField(default=6)
    tier_2_planned_weeks = models.PositiveSmallIntegerField(default=20)  # seed 004: 20-week placements
    consecutive_absence_alert = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Alert after this many consecutive sessions of absence",
    )
    follow_up_weeks = models.CharField(max_length=20, default="6,12")
    place_funding_annual = models.DecimalField(max_digits=10, decimal_places=2, default=10000)
    # Education Act 1996 s.463 (as amended by the Education and Skills Act 2008 s.92) as read today: more than
    # this many hours a week is full-time education.
    full_time_hours = models.DecimalField(max_digits=4, decimal_places=1, default=18)
    unregistered_max_weeks = models.PositiveSmallIntegerField(default=12)
    unregistered_max_sessions = models.PositiveSmallIntegerField(default=6)
    # Figures the LA publishes (the committee pack, an FOI answer) withhold counts below this, shown as "c": the
    # DfE's and the ONS's common practice is to withhold counts under 5 of a small group of children, so that no child
    # can be picked out; an LA may choose a higher number (or 1: withhold nothing) under its own disclosure policy.
    publication_threshold = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Published figures withhold counts below this number",
    )

    class Meta:
        verbose_name_plural = "local policies"

    def __str__(self) -> str:
        return f"Policy of {self.local_authority}"

    @property
    def follow_up_intervals(self) -> list[int]:
        return sorted({int(part) for part in self.follow_up_weeks.split(",") if part.strip().isdigit()})


class Owner(models.TextChoices):
    LA = "la", "Local authority"
    SCHOOL = "school", "School"
    COMMISSIONER = "commissioner", "Commissioner"


class ClockState(models.TextChoices):
    """A clock's states (Clock.State); at module level so the worklist's sort key and Clock's constraints name them."""

    OPEN = "open", "Open"  # started, not yet near its due date
    DUE_SOON = "due-soon", "Due soon"  # within the LA's 'due soon' window
    BREACHED = "breached", "Breached"  # due date passed and not met
    MET = "met", "Met"  # a placement (or other action) met the duty
    STOPPED = "stopped", "Stopped"  # no longer applies (episode closed, child moved away)
    # Never applied: the episode that started it was recorded in error and withdrawn (or corrected so that this
    # duty no longer follows from it). Kept for the history; never counted as a duty met or breached.
    WITHDRAWN = "withdrawn", "Withdrawn"


RUNNING_CLOCK_STATES = (ClockState.OPEN, ClockState.DUE_SOON, ClockState.BREACHED)


def breached_first() -> Case:
    """0 for a breached clock, else 1: the worklist's first sort key, and its index's."""
    return Case(When(state=ClockState.BREACHED, then=Value(0)), default=Value(1), output_field=IntegerField())


class EpisodeKind(models.TextChoices):
    """Why a child needs AP (a placements route's kind): the kind decides which statutory clocks an episode starts
    (services._episode_starts), so it lives with the duties, below placements (docs/decisions/0022-layers.md)."""

    PERMANENT_EXCLUSION = "permanent-exclusion", "Permanent exclusion"
    SUSPENSION = "suspension", "Suspension of more than 5 days"
    OFF_SITE_DIRECTION = "off-site-direction", "Off-site direction"
    HEALTH_NEEDS = "health-needs", "Health needs"
    AWAITING_SCHOOL_PLACE = "awaiting-school-place", "Awaiting a school place"
    SHORT_TERM_INTERVENTION = "short-term-intervention", "Short-term assessment or intervention"
    LONG_TERM_AP = "long-term-ap", "Long-term alternative provision"
    PART_TIME_VOCATIONAL = "part-time-vocational", "Part-time vocational or other course"
    OTHER_S19 = "other-s19", "Other section 19 reason"


class ClockQuerySet(LocalAuthorityScopedQuerySet["Clock"]):
    local_authority_path = "local_authority_id"

    def for_school_staff(self, membership) -> "ClockQuerySet":
        from aphub.pupils.models import Pupil

        return self.filter(pupil__in=Pupil.objects.for_school_staff(membership).values("pk"))

    def running(self) -> "ClockQuerySet":
        return self.filter(state__in=Clock.RUNNING_STATES)

    def stop_running(self, on: datetime.date) -> int:
        """Stop those of these clocks that run, as of `on` (the episode closed, the placement ended); how many."""
        return self.running().update(state=Clock.State.STOPPED, stopped_on=on, updated_at=now())


class Clock(models.Model):
    State = ClockState

    RUNNING_STATES = RUNNING_CLOCK_STATES

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="clocks")
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="clocks")
    episode = models.ForeignKey("placements.Episode", on_delete=models.CASCADE, null=True, related_name="clocks")
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, null=True, blank=True, related_name="clocks"
    )
    rule = models.CharField(max_length=40)  # a slug of duties.rules.RULES
    owner = models.CharField(max_length=12, choices=Owner.choices)
    owner_school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    started_on = models.DateField()
    due_on = models.DateField(db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    met_on = models.DateField(null=True, blank=True)
    met_by = models.ForeignKey(
        "placements.Placement", on_delete=models.SET_NULL, null=True, blank=True, related_name="clocks_met"
    )
    met_note = models.CharField(max_length=200, blank=True)
    # The day it stopped applying (episode closed, placement ended or cancelled); kept apart from met_on so a clock
    # that stopped is never counted as a duty met.
    stopped_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    # Not stored: the duty in words, set by the pupil's pages that list clocks (placements.queries.clock_label).
    label: str

    objects = ClockQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["local_authority", "state", "due_on"]),
            # The LA worklist reads its first page in index order and stops at 50, rather than sorting every
            # running clock of the LA (36 ms to 2 ms on the bench's 12,000 running clocks).
            models.Index(
                F("local_authority"),
                breached_first(),
                F("due_on"),
                F("id"),
                name="clock_worklist_order",
                condition=Q(state__in=list(RUNNING_CLOCK_STATES)),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "rule"],
                condition=Q(placement__isnull=True, state__in=list(RUNNING_CLOCK_STATES)),
                name="clock_one_running_per_episode_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} due {self.due_on}"


class Reminder(models.Model):
    """A reminder sent about a clock; one per clock and kind, so sweeping twice never sends twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "due-soon", "Due soon"
        BREACHED = "breached", "Breached"

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    recipients = models.TextField()
    sent_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clock", "kind"], name="reminder_once_per_clock_kind")]

    def __str__(self) -> str:
        return f"{self.kind} reminder for clock {self.clock_id}"


class NotificationQuerySet(ScopedQuerySet["Notification"]):
    """A notification is its recipient organisation's: the LA's officers and admins, the school's or provider's staff.

    Auditors get none: a notification asks someone to act, and an auditor acts on nothing.
    """

    def for_la_officer(self, membership) -> "NotificationQuerySet":
        return self.filter(local_authority_id=membership.local_authority_id)

    for_la_admin = for_la_officer

    def for_school_staff(self, membership) -> "NotificationQuerySet":
        return self.filter(school_id=membership.school_id)

    def for_provider_staff(self, membership) -> "NotificationQuerySet":
        return self.filter(provider_id=membership.provider_id)


class Notification(models.Model):
    """Something an organisation must act on, e-mailed to its people and listed on their home page.

    Like a reminder, it never carries a child's sensitive details: the child's first name and initial, what
    happened and the page to open.
    """

    class Kind(models.TextChoices):
        OFFER_MADE = "offer-made", "Placement offered"  # to the provider of the provision
        OFFER_ANSWERED = "offer-answered", "Offer answered"  # to the commissioner (LA or school)
        REFERRAL_SUBMITTED = "referral-submitted", "Referral submitted"  # to the LA's officers
        PANEL_DECISION = "panel-decision", "Panel decision"  # to the referring school
        PROVISION_DECIDED = "provision-decided", "Provision approved or returned"  # to the provider

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    path = models.CharField(max_length=300)  # the page to act on, within the service
    # The child the subject names (an offer, a referral, a decision), so that a list of notifications is logged as a
    # read of those children (audit.services.log_list_read); none for a provision's approval. Deleted with the child:
    # the subject carries their name.
    pupil = models.ForeignKey(
        "pupils.Pupil", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    created_at = models.DateTimeField(default=now)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["local_authority", "-created_at"]),
            models.Index(fields=["school", "-created_at"]),
            models.Index(fields=["provider", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(local_authority__isnull=False, school__isnull=True, provider__isnull=True)
                    | Q(local_authority__isnull=True, school__isnull=False, provider__isnull=True)
                    | Q(local_authority__isnull=True, school__isnull=True, provider__isnull=False)
                ),
                name="notification_one_recipient_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class NotificationRead(models.Model):
    """A person has followed a notification to its page. Notifications go to an organisation; whether each of its
    people has dealt with one is theirs alone, so a colleague's reading never hides it from you."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications_read")
    read_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notification", "user"], name="notification_read_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"Notification {self.notification_id} read by user {self.user_id}"
