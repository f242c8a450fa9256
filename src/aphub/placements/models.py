"""A child's journey through AP: episodes (why AP is needed), referrals, panel decisions, placements, attendance,
reviews with outcome scores, exits and follow-ups.

Scoping (aphub.core.scoping) follows the pupil: LA staff see their LA's children; school staff the pupils on their
roll and the placements they commission; provider staff the placements at their provisions (offered or later).
Episodes and panel papers are not shown to providers; referrals are, once a placement is offered to them.
"""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q, QuerySet

from aphub.core.clock import now
from aphub.core.constraints import dates_in_order
from aphub.directory.models import Provision, Term
from aphub.duties.models import EpisodeKind
from aphub.organisations.models import LocalAuthority, Payer, Provider, School, User
from aphub.organisations.scoping import LocalAuthorityScopedQuerySet
from aphub.pupils.models import Pupil

if TYPE_CHECKING:
    from aphub.placements.attendance.queries import Rates


class Commissioner(models.TextChoices):
    LA = "la", "Local authority"
    SCHOOL = "school", "School"
    LA_OR_SCHOOL = "la-or-school", "Local authority or school"


class Registration(models.TextChoices):
    DUAL = "dual", "Dual registration (stays on the school roll)"
    SINGLE = "single", "Single registration (on the AP's roll)"


class Tier(models.TextChoices):
    # DfE SEND and AP improvement plan (2023); 'Arranging alternative provision' (2025).
    TIER_1 = "1", "Tier 1: targeted support in mainstream"
    TIER_2 = "2", "Tier 2: time-limited placement"
    TIER_3 = "3", "Tier 3: transitional placement"


class SettingType(models.TextChoices):
    """The school census AP module's 'type of setting', recorded only for a provider with neither a URN nor a UKPRN:
    the census asks for a URN, else a UKPRN, else this, never two of them (DfE, school census guide, AP placements
    arranged by schools). Labels as the DfE publishes them (school-arranged AP statistics, 2022/23)."""

    ONE_TO_ONE_TUITION = "one-to-one-tuition", "One on one tuition"
    WORK_BASED = "work-based", "Work based placement"
    NON_MAINTAINED_FE = "non-maintained-fe", "Non-maintained further education college"
    OTHER_UNREGISTERED = "other-unregistered", "Other unregistered provider"


class SettingCategory(models.TextChoices):
    """The DfE's categories of setting for school-arranged AP: a URN, else a UKPRN, else one of the census's four
    types of setting (placements.SettingType, same values), as its statistics publish them. "Unknown" is the DfE's
    too; here it is a placement with none of them (an LA placement at an unregistered provider of the directory)."""

    URN = "urn", "Education setting with URN"
    UKPRN = "ukprn", "Registered provider with UKPRN"
    ONE_TO_ONE_TUITION = SettingType.ONE_TO_ONE_TUITION.value, SettingType.ONE_TO_ONE_TUITION.label
    WORK_BASED = SettingType.WORK_BASED.value, SettingType.WORK_BASED.label
    NON_MAINTAINED_FE = SettingType.NON_MAINTAINED_FE.value, SettingType.NON_MAINTAINED_FE.label
    OTHER_UNREGISTERED = SettingType.OTHER_UNREGISTERED.value, SettingType.OTHER_UNREGISTERED.label
    UNKNOWN = "unknown", "Unknown"


class PlacementReason(models.TextChoices):
    """The census AP module's 'primary reason for placement': why the placement was commissioned, not what the
    child needs (a child with a health need who was permanently excluded is placed for the exclusion). Labels as
    the DfE publishes them."""

    BEHAVIOUR = "behaviour", "Off-site placement for behavioural support"
    MENTAL_HEALTH = "mental-health", "Medical condition (mental health need)"
    PHYSICAL_HEALTH = "physical-health", "Medical condition (physical health need)"
    SUSPENSION = "suspension", "Suspension"
    PERMANENT_EXCLUSION = "permanent-exclusion", "Permanent exclusion (where still going through the review process)"
    OTHER = "other", "Other"


# --- Routes ---------------------------------------------------------------------------------------------------


class RouteQuerySet(LocalAuthorityScopedQuerySet):
    local_authority_path = "local_authority_id"

    # Routes say who pays place funding and top-up: the finance officer reads them (decision 0027).
    for_finance_officer = LocalAuthorityScopedQuerySet.for_la_officer

    def for_school_staff(self, membership) -> "RouteQuerySet":
        return self.filter(local_authority_id=membership.school.local_authority_id)


class Route(models.Model):
    """One LA's route into AP: who commissions, who pays place funding and top-up, and the registration.

    Seeded from seed 004 section 7 (placements/data/routes.json); each LA may change its own.
    """

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="routes")
    kind = models.CharField(max_length=30, choices=EpisodeKind.choices)
    name = models.CharField(max_length=200)
    commissioner = models.CharField(max_length=12, choices=Commissioner.choices)
    # Place funding ("lump sum", £10,000 a place a year from the High Needs Block); blank when none applies.
    place_funding_payer = models.CharField(max_length=6, choices=Payer.choices, blank=True)
    top_up_payer = models.CharField(max_length=6, choices=Payer.choices)
    registration = models.CharField(max_length=6, choices=Registration.choices)
    registration_note = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = RouteQuerySet.as_manager()

    class Meta:
        ordering = ["local_authority", "position"]
        constraints = [models.UniqueConstraint(fields=["local_authority", "kind"], name="route_kind_unique_in_la")]

    def __str__(self) -> str:
        return self.name


# --- Episodes -------------------------------------------------------------------------------------------------


class EpisodeQuerySet(LocalAuthorityScopedQuerySet):
    local_authority_path = "pupil__local_authority_id"

    def for_school_staff(self, membership) -> "EpisodeQuerySet":
        return self.filter(pupil__in=Pupil.objects.for_school_staff(membership))


class Episode(models.Model):
    """Why a child needs AP and since when. Recording one starts its statutory clocks (duties app)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"  # the child still needs AP
        CLOSED = "closed", "Closed"  # back in school, moved away or otherwise resolved
        # Recorded in error (the LA withdrew it, with a reason: EpisodeChange); its clocks are withdrawn too.
        WITHDRAWN = "withdrawn", "Withdrawn"

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="episodes")
    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="episodes")
    # The school the child was on the roll of when it began (none when awaiting a school place).
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes")
    # The first day of the exclusion or suspension, the day it became clear, or the day the need arose.
    start_date = models.DateField()
    # Suspensions only: the last day of the suspension (its first is start_date), and the school days from the first
    # to the last as the school calendar counted them when it was recorded (placements.rules). Episodes recorded
    # before the last day was asked have the count only.
    suspension_last_day = models.DateField(null=True, blank=True)
    suspension_school_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Health needs: school days missed so far (the LA must act once 15 or more will be missed).
    days_missed = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=now)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            dates_in_order(
                "start_date", "suspension_last_day", name="episode_suspension_ends_on_or_after_its_first_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.route.get_kind_display()} from {self.start_date.day} {self.start_date:%B %Y}"

    @property
    def kind(self) -> str:
        return self.route.kind

    @property
    def suspension_dates(self) -> str:
        """The suspension's days as the pages show them: its first and last day, then the school days counted."""
        if self.suspension_school_days is None:
            return ""
        days = f"{self.suspension_school_days} school day{'s' if self.suspension_school_days != 1 else ''}"
        first = f"{self.start_date.day} {self.start_date:%B %Y}"
        if self.suspension_last_day is None:
            return f"from {first} ({days})"
        last = self.suspension_last_day
        return f"from {first} to {last.day} {last:%B %Y} ({days})"


class EpisodeChange(models.Model):
    """The history of an episode recorded in error: each correction (what changed, from what to what) and its
    withdrawal, with who, when and why. Written by placements.services, never edited."""

    class Action(models.TextChoices):
        CORRECTED = "corrected", "Corrected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=10, choices=Action.choices)
    # For a correction: field label -> [before, after], as the timeline shows them.
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField()
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} episode {self.episode_id}"


# --- Referrals and panel --------------------------------------------------------------------------------------


class ReferralQuerySet(LocalAuthorityScopedQuerySet):
    local_authority_path = "pupil__local_authority_id"

    def for_school_staff(self, membership) -> "ReferralQuerySet":
        return self.filter(
            Q(referring_school_id=membership.school_id) | Q(pupil__enrolments__school_id=membership.school_id)
        ).distinct()

    def for_provider_staff(self, membership) -> "ReferralQuerySet":
        # A provider reads the referral once a placement is offered to it, to decide whether to accept.
        return self.filter(
            placements__provision__provider_id=membership.provider_id,
            placements__status__in=Placement.PROVIDER_SEES_STATES,
        ).distinct()


class Referral(models.Model):
    """The standard referral form, from a school or an LA officer, for the AP panel."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"  # being written; only the referrer sees it in lists
        SUBMITTED = "submitted", "Waiting for panel"
        DEFERRED = "deferred", "Deferred by panel"  # back on the next panel's agenda
        APPROVED = "approved", "Approved by panel"
        DECLINED = "declined", "Declined by panel"
        WITHDRAWN = "withdrawn", "Withdrawn"

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="referrals")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="referrals")
    referring_school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    referred_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    requested_tier = models.CharField(max_length=1, choices=Tier.choices)
    needs = models.ManyToManyField(Term, blank=True, related_name="+", limit_choices_to={"vocabulary": "need"})
    needs_summary = models.TextField()
    risks = models.TextField(blank=True)
    tried_so_far = models.TextField("what has been tried")
    child_views = models.TextField("the child's views")
    parent_views = models.TextField("the parents' or carers' views")
    consent_given = models.BooleanField("parent or carer consent to share this referral", default=False)
    consent_by = models.CharField(max_length=200, blank=True)
    preferred_delivery_modes = models.ManyToManyField(
        Term, blank=True, related_name="+", limit_choices_to={"vocabulary": "delivery-mode"}
    )
    full_time_requested = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Referral {self.pk} for {self.pupil}"


class ReferralDocument(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="referrals/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return self.title


class PanelMeetingQuerySet(LocalAuthorityScopedQuerySet):
    local_authority_path = "local_authority_id"


class PanelMeeting(models.Model):
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="panel_meetings")
    date = models.DateField()
    members = models.TextField(help_text="Who sat on the panel, one per line")
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = PanelMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"Panel of {self.date.day} {self.date:%B %Y}"


class PanelDecisionQuerySet(LocalAuthorityScopedQuerySet):
    local_authority_path = "referral__pupil__local_authority_id"

    def for_school_staff(self, membership) -> "PanelDecisionQuerySet":
        return self.filter(referral__in=Referral.objects.for_school_staff(membership))


class PanelDecision(models.Model):
    class Outcome(models.TextChoices):
        APPROVE = "approve", "Approved"
        DECLINE = "decline", "Declined"
        DEFER = "defer", "Deferred"

    class DeclineReason(models.TextChoices):
        # Unmet need: the child needs AP and the panel had nowhere suitable to place them. Sufficiency planning counts
        # these (insight's sufficiency dashboard; seed 004 section 11: a full centre with a waiting list).
        NO_SUITABLE_PLACE = "no-place", "No suitable place available"
        OTHER = "other", "Another reason"

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.PROTECT, related_name="decisions")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    tier = models.CharField(max_length=1, choices=Tier.choices, blank=True)
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    reasons = models.TextField()
    # Why a referral was declined, when the panel said (blank for older declines and for other outcomes).
    decline_reason = models.CharField(max_length=8, choices=DeclineReason.choices, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(default=now)

    objects = PanelDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decline_reason="") | Q(outcome="decline"), name="decline_reason_only_when_declined"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: referral {self.referral_id}"


# --- Placements -----------------------------------------------------------------------------------------------


class PlacementQuerySet(LocalAuthorityScopedQuerySet):
    local_authority_path = "pupil__local_authority_id"

    # The finance officer sees the placements behind the LA's money; the pages leave out what was written about the
    # child's case (pupils.sensitive.reads_case_notes). docs/decisions/0027-finance-officer.md.
    for_finance_officer = LocalAuthorityScopedQuerySet.for_la_officer

    def for_school_staff(self, membership) -> "PlacementQuerySet":
        return self.filter(
            Q(commissioning_school_id=membership.school_id)
            | Q(pupil__in=Pupil.objects.filter(enrolments__school_id=membership.school_id).values("pk"))
        )

    def for_provider_staff(self, membership) -> "PlacementQuerySet":
        return self.filter(provision__provider_id=membership.provider_id, status__in=Placement.PROVIDER_SEES_STATES)

    def holding_a_place(self) -> "PlacementQuerySet":
        return self.filter(status__in=Placement.HOLDING_STATES)


class Placement(models.Model):
    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"  # the commissioner offered it; the place is held
        ACCEPTED = "accepted", "Accepted"  # the provider accepted; starts on start_date
        ACTIVE = "active", "Active"  # the child attends
        ENDED = "ended", "Ended"  # the child left (see destination)
        CANCELLED = "cancelled", "Cancelled"  # withdrawn or declined before it started; the place is freed

    HOLDING_STATES = (Status.OFFERED, Status.ACCEPTED, Status.ACTIVE)
    # The states in which a provider holds, or is offered, the child: its staff see the child and the placement.
    PROVIDER_SEES_STATES = (*HOLDING_STATES, Status.ENDED)
    # The states in which the child is on the provision's roll for the days from start to end (or planned end):
    # accepted, active or ended; an offer not yet accepted holds a place but puts no one on roll.
    ON_ROLL_STATES = (Status.ACCEPTED, Status.ACTIVE, Status.ENDED)

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="placements")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="placements")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="placements")
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="placements")
    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="placements")
    # The lot (or part) of the LA's commercial arrangement the placement is bought under, when it is.
    lot = models.ForeignKey(
        "commissioning.Lot", on_delete=models.PROTECT, null=True, blank=True, related_name="placements"
    )
    commissioner = models.CharField(max_length=6, choices=Payer.choices)
    # Set when a school commissions; the LA commissioner is the pupil's LA.
    commissioning_school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="commissioned_placements"
    )
    tier = models.CharField(max_length=1, choices=Tier.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED, db_index=True)

    start_date = models.DateField()
    planned_end_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    sessions_per_week = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(10)])
    hours_per_week = models.DecimalField(
        max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(40)]
    )
    is_full_time = models.BooleanField(default=True)
    part_time_reason = models.TextField(blank=True)
    part_time_review_date = models.DateField(null=True, blank=True)
    registration = models.CharField(max_length=6, choices=Registration.choices)
    # DfE attendance code the home school records while the child attends here (B or D; K when LA-arranged).
    expected_attendance_code = models.CharField(max_length=2, default="B")
    annual_cost = models.DecimalField(
        "annual cost of the place", max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    # Where the LA has a table of top-up bands (commissioning.TopUpBand), the offer chooses a band, or an exception
    # with its reason, and the top-up is kept here as it was at offer: the annual cost is then place funding plus
    # this (when the route pays place funding), and funding lines take the top-up from here, so neither a band's new
    # amount nor a new place funding rate changes a placement already offered (decision 0030). None where the offer
    # agreed an annual cost instead (an LA with no bands, a school's offer, AP a school recorded).
    annual_top_up = models.DecimalField(
        "annual top-up agreed at offer", max_digits=10, decimal_places=2, null=True, blank=True
    )
    top_up_band = models.ForeignKey(
        "commissioning.TopUpBand", on_delete=models.PROTECT, null=True, blank=True, related_name="placements"
    )
    # Why the offer's top-up is not one of the LA's bands: required then, blank otherwise.
    top_up_exception_reason = models.TextField("reason for a top-up outside the bands", blank=True)
    expected_outcomes = models.TextField(blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    # Why the commissioner offered a place at an unregistered provider past the LA's limits (weeks, sessions a week);
    # required then, blank otherwise (services.offer_placement).
    over_limit_reason = models.TextField("reason for going past the LA's limits", blank=True)
    # AP a school arranged itself and recorded (by page, file or API: placements.school_arranged), at any provider,
    # rather than offered through AP Hub: no provider user answers it, and its status follows its dates. The census
    # AP module's fields: the reason, and the type of setting where the provider has no URN or UKPRN.
    recorded_by_school = models.BooleanField(default=False)
    placement_reason = models.CharField(max_length=20, choices=PlacementReason.choices, blank=True)
    setting_type = models.CharField(max_length=20, choices=SettingType.choices, blank=True)

    # The placement this one follows for the same child (services.placement_followed): a move between tiers is a
    # step up or step down (insight's flows dashboard). None for a child's first placement, or after a long gap.
    follows = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="followed_by", editable=False
    )

    offered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    offered_at = models.DateTimeField(default=now)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    # Exit
    destination = models.CharField(max_length=30, blank=True)  # Destination choices, below
    destination_school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    exit_notes = models.TextField(blank=True)

    # Not stored: set on the placements of a pupil's timeline (queries.timeline_for) for the page, None before the
    # first register.
    attendance: "Rates | None"

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            dates_in_order("start_date", "planned_end_date", name="placement_planned_end_after_start"),
            dates_in_order("start_date", "end_date", name="placement_end_after_start"),
            # A part-time offer needs its reason and review (statutory guidance on part-time timetables); AP a school
            # arranged for part of the week, around the child's time at school, is recorded as the census has it.
            models.CheckConstraint(
                condition=Q(is_full_time=True)
                | Q(recorded_by_school=True)
                | (~Q(part_time_reason="") & Q(part_time_review_date__isnull=False)),
                name="placement_part_time_has_reason_and_review",
            ),
            # A band or an exception (with its reason) sets the top-up, never both, and either keeps its amount.
            models.CheckConstraint(
                condition=Q(top_up_band__isnull=True) | Q(top_up_exception_reason=""),
                name="placement_top_up_band_or_exception",
            ),
            models.CheckConstraint(
                condition=(Q(top_up_band__isnull=True) & Q(top_up_exception_reason=""))
                | Q(annual_top_up__isnull=False),
                name="placement_top_up_kept_with_band_or_exception",
            ),
            models.CheckConstraint(
                condition=Q(recorded_by_school=False) | Q(commissioner=Payer.SCHOOL),
                name="placement_recorded_by_school_is_the_schools",
            ),
            # A school's record is one placement of a pupil at a provision from an entry date: recording it again
            # (the same census file twice) finds it rather than adding a second.
            models.UniqueConstraint(
                fields=["pupil", "provision", "start_date"],
                condition=Q(recorded_by_school=True),
                name="placement_recorded_by_school_once",
            ),
            models.CheckConstraint(
                condition=~Q(commissioner=Payer.SCHOOL) | Q(commissioning_school__isnull=False),
                name="placement_school_commissioner_named",
            ),
            # At most one full-time placement running at a time (services also refuse overlapping dates).
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(is_full_time=True, status="active"), name="placement_one_active_full_time"
            ),
        ]
        indexes = [
            models.Index(fields=["provision", "status"]),
            models.Index(fields=["status", "next_review_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} at {self.provision}"

    @property
    def provider(self) -> Provider:
        return self.provision.provider

    @property
    def top_up_agreed(self) -> str:
        """How the top-up was set at offer: "band", "exception", or "amount" (the annual cost agreed, no bands)."""
        if self.top_up_band_id:
            return "band"
        return "exception" if self.top_up_exception_reason else "amount"

    @property
    def holds_place(self) -> bool:
        return self.status in self.HOLDING_STATES

    def get_destination_display_text(self) -> str:
        return Destination(self.destination).label if self.destination in Destination.values else ""


# --- What the apps below placements read of them (registered in placements/apps.py) -----------------------------


def pupils_commissioned_by_school(membership) -> QuerySet:
    """The children a school commissions AP for: its staff see them (pupils.models.PupilQuerySet)."""
    return Placement.objects.filter(commissioning_school_id=membership.school_id).values("pupil_id")


def pupils_placed_with_provider(membership) -> QuerySet:
    """The children placed with, or offered to, a provider: its staff see them (pupils.models.PupilQuerySet)."""
    return Placement.objects.filter(
        provision__provider_id=membership.provider_id, status__in=Placement.PROVIDER_SEES_STATES
    ).values("pupil_id")


def places_held(provision_ids: list[int]) -> dict[int, int]:
    """Placements offered, accepted or active, by provision id (provisions with none are left out): the directory's
    vacancies (directory.queries.vacancies_for)."""
    # An offer holds its place from the day it is made, even for a later start: it is promised to a child.
    # Counted from the placements table's (provision, status) index alone: COUNT(*) needs no other column, so no
    # placement row is read (10 ms to 4 ms on the bench's 60,000 placements).
    return dict(
        Placement.objects.filter(provision_id__in=provision_ids, status__in=Placement.HOLDING_STATES)
        .values_list("provision_id")
        .annotate(n=Count("*"))
        .values_list("provision_id", "n")
    )


def periods_on_roll(
    provision_ids: list[int], first: datetime.date, last: datetime.date
) -> dict[int, list[tuple[datetime.date, datetime.date | None, datetime.date | None]]]:
    """(start, planned end, end) of each placement at these provisions that may have a pupil on roll between `first`
    and `last`, by provision id: commissioning's occupancy of commissioned places (commissioning.places.queries).

    Placements accepted, active or ended count, the AP a school recorded among them: a school's pupil at a provision
    with commissioned places fills one of them. A cancelled placement never started; an offer not yet accepted holds
    a place (places_held) but puts no pupil on roll."""
    found: dict[int, list[tuple[datetime.date, datetime.date | None, datetime.date | None]]] = {}
    rows = (
        Placement.objects.filter(
            provision_id__in=provision_ids,
            status__in=Placement.ON_ROLL_STATES,
            start_date__lte=last,
        )
        .exclude(end_date__lt=first)
        .order_by("provision_id", "start_date", "pk")
        .values_list("provision_id", "start_date", "planned_end_date", "end_date")
    )
    for provision_id, start_date, planned_end_date, end_date in rows:
        found.setdefault(provision_id, []).append((start_date, planned_end_date, end_date))
    return found


class PlacementChange(models.Model):
    """One line of a placement's change log, in words: who did what and when (offered, answered, started, ended,
    its commissioning school named). The access log says that a record changed; this says how, for the people
    who work on the placement."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=now)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    summary = models.TextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.summary


class Destination(models.TextChoices):
    SAME_SCHOOL = "same-school", "Back to the same mainstream school"
    NEW_SCHOOL = "new-school", "A new mainstream school"
    SPECIAL_SCHOOL = "special-school", "Special school"
    OTHER_AP = "other-ap", "Other alternative provision"
    POST_16_EDUCATION = "post-16-education", "Post-16 education"
    EMPLOYMENT_TRAINING = "employment-training", "Employment or training"
    NEET = "neet", "Not in education, employment or training"
    MOVED_AWAY = "moved-away", "Moved away"

    @classmethod
    def returns_to_school(cls) -> frozenset[str]:
        return frozenset({cls.SAME_SCHOOL, cls.NEW_SCHOOL, cls.SPECIAL_SCHOOL})


class WaitingListQuerySet(LocalAuthorityScopedQuerySet):
    local_authority_path = "pupil__local_authority_id"

    def for_provider_staff(self, membership) -> "WaitingListQuerySet":
        return self.filter(provision__provider_id=membership.provider_id)

    def for_school_staff(self, membership) -> "WaitingListQuerySet":
        # Schools commission AP for their pupils too, so they see (and manage) their pupils' places in the queue.
        return self.filter(pupil__in=Pupil.objects.for_school_staff(membership).values("pk"))


class WaitingListEntry(models.Model):
    """A child waiting for a place at a full provision; served in order of their statutory due date."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        OFFERED = "offered", "Offered a place"
        REMOVED = "removed", "Removed"

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="waiting_list")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="waiting_list_entries")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    due_date = models.DateField(null=True, blank=True)  # the earliest open statutory clock's due date
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    added_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(default=now)
    # When the child came off the list (offered a place or removed): the days they waited end here.
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = WaitingListQuerySet.as_manager()

    class Meta:
        ordering = [models.F("due_date").asc(nulls_last=True), "added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provision", "pupil"], condition=Q(status="waiting"), name="waiting_once_per_provision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pupil} waiting for {self.provision}"


# --- Attendance -----------------------------------------------------------------------------------------------


class AttendanceQuerySet(LocalAuthorityScopedQuerySet):
    local_authority_path = "placement__pupil__local_authority_id"

    def for_school_staff(self, membership) -> "AttendanceQuerySet":
        return self.filter(placement__in=Placement.objects.for_school_staff(membership))

    def for_provider_staff(self, membership) -> "AttendanceQuerySet":
        return self.filter(placement__provision__provider_id=membership.provider_id)


class AttendanceMark(models.Model):
    """One session's register mark for a placed pupil, in the DfE attendance codes (placements.attendance.codes)."""

    class Session(models.TextChoices):
        AM = "AM", "Morning"
        PM = "PM", "Afternoon"

    # No index of its own: the unique (placement, date, session) constraint leads with it, and every index costs
    # each of the millions of marks a term's registers write.
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="attendance_marks", db_index=False)
    date = models.DateField()
    session = models.CharField(max_length=2, choices=Session.choices)
    code = models.CharField(max_length=2)
    minutes_late = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False)
    recorded_at = models.DateTimeField(default=now)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["date", "session"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "date", "session"], name="attendance_one_mark_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.session} {self.code}"


class AttendanceMonth(models.Model):
    """A placement's register marks in one calendar month, counted as the attendance rates count them
    (placements.attendance.queries.session_counts): sessions attended, absent with and without authority, and every
    mark (sessions that are not possible ones included).

    Written only by the database: triggers on AttendanceMark (migration 0004) add and take away each mark as it is
    written, changed or deleted, by any writer (the register page, the API, the attendance file's COPY, the demo and
    bench loaders, a shell), so the counts are always those of the marks. Read where a year's marks are too many to
    count at each request: insight's attendance by provider (docs/decisions/0037)."""

    # No index of its own: the unique (placement, month) constraint leads with it.
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="attendance_months", db_index=False)
    month = models.DateField()  # the first day of the month
    marks = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)
    authorised = models.PositiveIntegerField(default=0)
    unauthorised = models.PositiveIntegerField(default=0)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["placement", "month"], name="attendance_month_once")]

    def __str__(self) -> str:
        return f"{self.month:%B %Y}: {self.attended} of {self.attended + self.authorised + self.unauthorised}"


class AbsenceAlert(models.Model):
    """An absence alert once sent: a register corrected and then put back never sends the same alert twice."""

    class Kind(models.TextChoices):
        NO_REASON = "no-reason", "Absent with no reason yet (code N)"
        RUN = "run", "Absences in a row"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="absence_alerts")
    kind = models.CharField(max_length=9, choices=Kind.choices)
    # The session the alert is about: the N mark itself, or the first session of the run of absences.
    date = models.DateField()
    session = models.CharField(max_length=2, choices=AttendanceMark.Session.choices)
    sent_at = models.DateTimeField(default=now)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["date", "session"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "kind", "date", "session"], name="absence_alert_sent_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date} {self.session}"


# --- Reviews, outcomes and follow-up --------------------------------------------------------------------------


class OutcomeArea(models.TextChoices):
    # Seed 003 (Oxfordshire): the outcomes alternative provision should deliver.
    SAFE = "safe", "Safe and feels safe"
    WELLBEING = "wellbeing", "Emotional health and wellbeing, including resilience"
    ENGAGEMENT = "engagement", "Engagement in learning"
    PATHWAY = "pathway", "Pathway back to mainstream school or on to post-16"
    PROGRESS = "progress", "Progress in learning"
    SOCIAL = "social", "Social skills, friendships, relationships and community"


class ReviewQuerySet(LocalAuthorityScopedQuerySet):
    local_authority_path = "placement__pupil__local_authority_id"

    def for_school_staff(self, membership) -> "ReviewQuerySet":
        return self.filter(placement__in=Placement.objects.for_school_staff(membership))

    def for_provider_staff(self, membership) -> "ReviewQuerySet":
        return self.filter(placement__in=Placement.objects.for_provider_staff(membership))


class Review(models.Model):
    class Kind(models.TextChoices):
        START = "start", "Start of placement"
        REVIEW = "review", "Review"
        EXIT = "exit", "Exit"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    held_on = models.DateField()
    pupil_voice = models.TextField("the child's voice")
    parent_view = models.TextField("the parents' or carers' view", blank=True)
    summary = models.TextField(blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    written_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    written_at = models.DateTimeField(default=now)

    # Not stored: set by review_queries.reviews_of for the page, the scores in the outcome areas' order.
    area_scores: list["OutcomeScore"]

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on.day} {self.held_on:%B %Y}"


class OutcomeScore(models.Model):
    """One outcome area scored 1 (serious concern) to 5 (thriving) at a review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    area = models.CharField(max_length=12, choices=OutcomeArea.choices)
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["review", "area"]
        constraints = [
            models.UniqueConstraint(fields=["review", "area"], name="outcome_score_once_per_area"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="outcome_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.score}"


class FollowUpQuerySet(LocalAuthorityScopedQuerySet):
    local_authority_path = "placement__pupil__local_authority_id"

    def for_school_staff(self, membership) -> "FollowUpQuerySet":
        # The new school a child moved to checks whether the move lasted, before it has enrolled them here.
        return self.filter(
            Q(placement__in=Placement.objects.for_school_staff(membership))
            | Q(placement__destination_school_id=membership.school_id)
        )


class FollowUp(models.Model):
    """Did the return to school last? Checked at 6 and 12 weeks after exit (LA policy)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="follow_ups")
    weeks_after_exit = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    checked_on = models.DateField(null=True, blank=True)
    lasted = models.BooleanField(null=True)
    notes = models.TextField(blank=True)
    checked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    # Not stored: set on a pupil's timeline (queries.timeline_for) for the page, as review_queries.follow_up_state.
    state: str

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "weeks_after_exit"], name="follow_up_once_per_interval")
        ]

    def __str__(self) -> str:
        return f"Follow-up {self.weeks_after_exit} weeks after exit"
