"""The LA's commercial arrangement for AP: dynamic markets, DPSs, open frameworks and approved lists, their lots or
parts, providers' applications with evidence, evaluation with clarifications and two sign-offs, admissions,
contracts, and quality assurance (monitoring visits, actions, complaints).

The criteria each lot asks for are data (commissioning/data/criteria.json, versioned), not code, so a new procurement
round needs no release. Never any pupil data here: OCDS publishes from these tables.
"""

from django.db import models
from django.db.models import Q

from aphub.core.clock import now
from aphub.core.constraints import dates_in_order
from aphub.core.scoping import ScopedQuerySet
from aphub.directory.models import Provision
from aphub.organisations.models import LocalAuthority, Provider, User
from aphub.organisations.scoping import LocalAuthorityScopedQuerySet


class ArrangementKind(models.TextChoices):
    DYNAMIC_MARKET = "dynamic-market", "Dynamic market (Procurement Act 2023)"
    DPS = "dps", "Dynamic purchasing system"
    OPEN_FRAMEWORK = "open-framework", "Open framework"
    APPROVED_LIST = "approved-list", "Approved list"


class ArrangementQuerySet(ScopedQuerySet):
    def for_la_officer(self, membership) -> "ArrangementQuerySet":
        la = membership.local_authority_id
        return self.filter(Q(owner_id=la) | Q(partners=la)).distinct()

    for_la_admin = for_auditor = for_la_officer

    def for_provider_staff(self, membership) -> "ArrangementQuerySet":
        # Providers see what is published (to apply) and what they already applied to.
        return self.filter(
            Q(published_at__isnull=False) | Q(applications__provider_id=membership.provider_id)
        ).distinct()

    def for_school_staff(self, membership) -> "ArrangementQuerySet":
        return self.filter(published_at__isnull=False)

    def published(self) -> "ArrangementQuerySet":
        return self.filter(published_at__isnull=False)


class CommercialArrangement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"  # being set up; not published
        OPEN = "open", "Open for applications"  # providers may apply at any time
        CLOSED = "closed", "Closed to new applications"  # admitted providers keep their place

    owner = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="arrangements")
    # Several councils may share one arrangement (seed 003 discusses shared arrangements).
    partners = models.ManyToManyField(LocalAuthority, blank=True, related_name="shared_arrangements")
    kind = models.CharField(max_length=20, choices=ArrangementKind.choices)
    reference = models.SlugField(max_length=60, unique=True, help_text="For example, elmbridge-ap-dm-2025")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    criteria_version = models.CharField(max_length=20, default="2025-1")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    objects = ArrangementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [dates_in_order("starts_on", "ends_on", name="arrangement_dates_in_order")]

    def __str__(self) -> str:
        return self.title

    @property
    def lot_word(self) -> str:
        """A dynamic market has parts (Procurement Act 2023); the older arrangements have lots."""
        return "part" if self.kind == ArrangementKind.DYNAMIC_MARKET else "lot"


class Lot(models.Model):
    arrangement = models.ForeignKey(CommercialArrangement, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Criterion codes from the arrangement's criteria version (commissioning/data/criteria.json).
    criteria = models.JSONField(default=list)
    # An unregistered lot also asks for the DfE national standards for unregistered AP (2025).
    for_unregistered = models.BooleanField(default=False)

    class Meta:
        ordering = ["arrangement", "number"]
        constraints = [models.UniqueConstraint(fields=["arrangement", "number"], name="lot_number_unique")]

    def __str__(self) -> str:
        return f"{self.arrangement.lot_word.capitalize()} {self.number}: {self.title}"


class ApplicationQuerySet(ScopedQuerySet):
    def for_la_officer(self, membership) -> "ApplicationQuerySet":
        la = membership.local_authority_id
        return self.filter(Q(arrangement__owner_id=la) | Q(arrangement__partners=la)).distinct()

    for_la_admin = for_auditor = for_la_officer

    def for_provider_staff(self, membership) -> "ApplicationQuerySet":
        return self.filter(provider_id=membership.provider_id)


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"  # the provider is writing it
        SUBMITTED = "submitted", "Submitted"  # with the LA; the decision clock runs
        CLARIFICATION = "clarification", "Clarification needed"  # back with the provider; the clock pauses
        RECOMMENDED = "recommended", "Waiting for second sign-off"  # one officer recommends; another signs off
        ADMITTED = "admitted", "Admitted"
        REJECTED = "rejected", "Not admitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="applications")
    arrangement = models.ForeignKey(CommercialArrangement, on_delete=models.PROTECT, related_name="applications")
    lots = models.ManyToManyField(Lot, related_name="applications")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # Declarations the provider makes on submitting (text of each in commissioning/data/criteria.json).
    declarations = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Time to decision leaves out time waiting for the provider's clarifications.
    paused_since = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    recommended_outcome = models.CharField(max_length=8, blank=True)  # "admit" or "reject"
    recommended_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recommended_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)  # the provider reads these
    signed_off_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "arrangement"],
                condition=Q(status__in=["draft", "submitted", "clarification", "recommended"]),
                name="one_open_application_per_arrangement",
            ),
            models.CheckConstraint(
                condition=Q(signed_off_by__isnull=True) | ~Q(signed_off_by=models.F("recommended_by")),
                name="application_two_different_officers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} to {self.arrangement}"


class EvidenceQuerySet(ScopedQuerySet):
    def for_provider_staff(self, membership) -> "EvidenceQuerySet":
        return self.filter(provider_id=membership.provider_id)

    def for_la_officer(self, membership) -> "EvidenceQuerySet":
        la = membership.local_authority_id
        # One filter call, so the arrangement and the submission are the same application's: an LA reads evidence
        # only once a provider has sent it, never from a draft.
        return self.filter(
            Q(responses__application__arrangement__owner_id=la) | Q(responses__application__arrangement__partners=la),
            responses__application__submitted_at__isnull=False,
        ).distinct()

    for_la_admin = for_auditor = for_la_officer


class Evidence(models.Model):
    """A document a provider holds once and reuses across applications: a policy, a certificate, a DBS record."""

    class Scan(models.TextChoices):
        PENDING = "pending", "Waiting for the virus check"
        CLEAN = "clean", "Checked"
        INFECTED = "infected", "Refused: the virus check found a problem"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="evidence/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # Insurance cover in pounds, for criteria with a minimum amount.
    cover_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    scan_status = models.CharField(max_length=8, choices=Scan.choices, default=Scan.PENDING)
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=now)
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["criterion", "-uploaded_at"]
        indexes = [models.Index(fields=["expires_on"])]

    def __str__(self) -> str:
        return self.title


class CriterionResponse(models.Model):
    """The provider's answer to one criterion in one application: a statement and the evidence for it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="responses")
    criterion = models.CharField(max_length=60)
    statement = models.TextField(blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="responses")
    updated_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "criterion"], name="one_response_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion} for application {self.application_id}"


class Evaluation(models.Model):
    """An officer's score of one criterion, with the reason; the latest per criterion counts, the rest is history."""

    class Outcome(models.TextChoices):
        MET = "met", "Met"
        NOT_MET = "not-met", "Not met"
        CLARIFICATION = "clarification", "Clarification needed"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evaluations")
    criterion = models.CharField(max_length=60)
    outcome = models.CharField(max_length=14, choices=Outcome.choices)
    reason = models.TextField()
    officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["application", "criterion", "-at", "-id"]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.outcome}"


class Clarification(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="clarifications")
    criterion = models.CharField(max_length=60)
    question = models.TextField()
    asked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=now)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return f"Clarification on {self.criterion}"


class SignOffReturn(models.Model):
    """A second officer sent a recommendation back to the first, with a note; kept as the history of the sign-offs."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="sign_off_returns")
    recommended_outcome = models.CharField(max_length=8)  # "admit" or "reject", as it was recommended
    recommended_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recommended_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField()
    returned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["returned_at", "id"]

    def __str__(self) -> str:
        return f"Recommendation on application {self.application_id} sent back"


class ContractQuerySet(ScopedQuerySet):
    def for_la_officer(self, membership) -> "ContractQuerySet":
        la = membership.local_authority_id
        return self.filter(Q(arrangement__owner_id=la) | Q(arrangement__partners=la)).distinct()

    for_la_admin = for_auditor = for_la_officer

    def for_provider_staff(self, membership) -> "ContractQuerySet":
        return self.filter(provider_id=membership.provider_id)


class Contract(models.Model):
    """The standard contract an admitted provider holds under one arrangement."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts")
    arrangement = models.ForeignKey(CommercialArrangement, on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(max_length=60, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    signed_on = models.DateField(null=True, blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [models.UniqueConstraint(fields=["provider", "arrangement"], name="one_contract_per_arrangement")]

    def __str__(self) -> str:
        return self.reference


class AdmissionQuerySet(ScopedQuerySet):
    def for_la_officer(self, membership) -> "AdmissionQuerySet":
        la = membership.local_authority_id
        return self.filter(Q(lot__arrangement__owner_id=la) | Q(lot__arrangement__partners=la)).distinct()

    for_la_admin = for_auditor = for_la_officer

    def for_provider_staff(self, membership) -> "AdmissionQuerySet":
        return self.filter(provider_id=membership.provider_id)

    def for_school_staff(self, membership) -> "AdmissionQuerySet":
        return self.filter(lot__arrangement__published_at__isnull=False)

    def eligible(self) -> "AdmissionQuerySet":
        return self.filter(status=Admission.Status.ADMITTED)


class Admission(models.Model):
    """A provider admitted to a lot: its provisions may take placements under it while it stays admitted."""

    class Status(models.TextChoices):
        ADMITTED = "admitted", "Admitted"
        SUSPENDED = "suspended", "Suspended: no new placements"
        REMOVED = "removed", "Removed"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="admissions")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="admissions")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="admissions")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="admissions")
    admitted_on = models.DateField()
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.ADMITTED)
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = AdmissionQuerySet.as_manager()

    class Meta:
        ordering = ["lot", "provider"]
        constraints = [models.UniqueConstraint(fields=["provider", "lot"], name="admitted_once_per_lot")]

    def __str__(self) -> str:
        return f"{self.provider} on {self.lot}"


# --- Quality assurance ----------------------------------------------------------------------------------------


class QAArea(models.TextChoices):
    SAFEGUARDING = "safeguarding", "Safeguarding"
    ATTENDANCE = "attendance", "Attendance"
    TEACHING = "teaching", "Teaching and progress"
    WELLBEING = "wellbeing", "Wellbeing"
    LEADERSHIP = "leadership", "Leadership and management"
    PREMISES = "premises", "Premises, health and safety"


class Rating(models.TextChoices):
    GREEN = "green", "Green: good"
    AMBER = "amber", "Amber: improvements needed"
    RED = "red", "Red: serious concerns"


class VisitQuerySet(LocalAuthorityScopedQuerySet):
    local_authority_path = "local_authority_id"

    def for_provider_staff(self, membership) -> "VisitQuerySet":
        return self.filter(provider_id=membership.provider_id)


class MonitoringVisit(models.Model):
    class Reason(models.TextChoices):
        ROUTINE = "routine", "Routine visit"
        CONCERN = "concern", "After a concern"
        FOLLOW_UP = "follow-up", "Follow-up of actions"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="monitoring_visits")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="monitoring_visits")
    reason = models.CharField(max_length=10, choices=Reason.choices, default=Reason.ROUTINE)
    scheduled_for = models.DateField()
    held_on = models.DateField(null=True, blank=True)
    officer = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    overall = models.CharField(max_length=5, choices=Rating.choices, blank=True)
    summary = models.TextField(blank=True)
    # Why a concern or follow-up visit was planned: the red rating or upheld complaint that called for it.
    scheduled_because = models.CharField(max_length=200, blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_for", "-id"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} to {self.provider} on {self.scheduled_for}"


class VisitRating(models.Model):
    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="ratings")
    area = models.CharField(max_length=12, choices=QAArea.choices)
    rating = models.CharField(max_length=5, choices=Rating.choices)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "area"], name="one_rating_per_area")]

    def __str__(self) -> str:
        return f"{self.area}: {self.rating}"


class VisitAction(models.Model):
    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="Who will do it, for example the provider's head of centre")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField(blank=True)
    # Only the LA closes an action; the provider says what it has done in its own note for the LA to check.
    done_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    provider_note = models.TextField(blank=True)
    provider_noted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class Complaint(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="complaints")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="complaints")
    received_on = models.DateField()
    summary = models.TextField(help_text="What the complaint is about; no child's name")
    upheld = models.BooleanField(null=True)
    closed_on = models.DateField(null=True, blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"Complaint about {self.provider} on {self.received_on}"


class QualityPolicy(models.Model):
    """An LA's own numbers for quality assurance, beside its LocalPolicy (duties) so each app owns its settings."""

    local_authority = models.OneToOneField(LocalAuthority, on_delete=models.CASCADE, related_name="quality_policy")
    routine_visits_per_year = models.PositiveSmallIntegerField(
        default=2, help_text="Routine monitoring visits each admitted provider gets in a year"
    )
    concern_visit_working_days = models.PositiveSmallIntegerField(
        default=20, help_text="A red rating or an upheld complaint calls for a visit within this many working days"
    )

    class Meta:
        verbose_name_plural = "quality policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(routine_visits_per_year__lte=12, concern_visit_working_days__gte=1),
                name="quality_policy_numbers_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"Quality policy of {self.local_authority}"


class EvidenceReminder(models.Model):
    """One reminder stage sent about one piece of evidence, so the nightly sweep never sends a stage twice."""

    class Stage(models.TextChoices):
        DAYS_30 = "30-days", "30 days before it expires"
        DAYS_7 = "7-days", "7 days before it expires"
        EXPIRED = "expired", "Expired"

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=7, choices=Stage.choices)
    # Empty when a later stage was sent first (the sweep was not run in time): the stage is passed, not sent.
    recipients = models.TextField(blank=True)
    sent_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evidence", "stage"], name="evidence_reminder_once_per_stage")]

    def __str__(self) -> str:
        return f"{self.stage} reminder for evidence {self.evidence_id}"


class OversightAlert(models.Model):
    """An unregistered provider reached a level of the registration threshold; open until it falls below it.

    One open alert per provider and level, so the sweep tells the LA and the provider once each time it is reached.
    Counts only: never a child.
    """

    class Level(models.TextChoices):
        WARNING = "warning", "Nearing the registration threshold"
        THRESHOLD = "threshold", "At the registration threshold"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="oversight_alerts")
    level = models.CharField(max_length=9, choices=Level.choices)
    full_time_pupils = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=300)
    recipients = models.TextField(blank=True)
    raised_at = models.DateTimeField(default=now)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "level"], condition=Q(cleared_at__isnull=True), name="oversight_alert_open_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.provider}"


class TopUpBandQuerySet(LocalAuthorityScopedQuerySet["TopUpBand"]):
    local_authority_path = "local_authority_id"

    # The finance officer sets the bands with the LA's officers (FINANCE_READERS read them).
    for_finance_officer = LocalAuthorityScopedQuerySet.for_la_officer

    def active(self) -> "TopUpBandQuerySet":
        return self.filter(active=True)


class TopUpBand(models.Model):
    """One row of the LA's table of top-up bands (seed 004: the top-up is the commissioner's, on top of place
    funding): an annual amount chosen on the offer instead of a free amount (placements.services.check_offer).

    A band is for one provision, for the providers admitted to one lot, or, with neither, for every provision of the
    LA. A band in use is retired, never deleted (placements point at it, PROTECT), so a past placement keeps the band
    it was offered at; the placement keeps the amount at offer too (Placement.annual_top_up), so changing a band's
    amount changes only the offers made after it (decision 0030).
    """

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="top_up_bands")
    code = models.CharField(max_length=10, help_text="For example, A")
    label = models.CharField(max_length=200)
    annual_amount = models.DecimalField("annual top-up", max_digits=10, decimal_places=2)
    provision = models.ForeignKey(
        Provision, on_delete=models.PROTECT, null=True, blank=True, related_name="top_up_bands"
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="top_up_bands")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=now)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = TopUpBandQuerySet.as_manager()

    class Meta:
        ordering = ["code", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(provision__isnull=True) | Q(lot__isnull=True), name="top_up_band_one_scope_at_most"
            ),
            models.CheckConstraint(condition=Q(annual_amount__gte=0), name="top_up_band_amount_not_negative"),
            # One band of a code in each scope at a time; a retired band's code may be used again.
            models.UniqueConstraint(
                fields=["local_authority", "code"],
                condition=Q(active=True, provision__isnull=True, lot__isnull=True),
                name="top_up_band_code_once_la_wide",
            ),
            models.UniqueConstraint(
                fields=["local_authority", "code", "provision"],
                condition=Q(active=True, provision__isnull=False),
                name="top_up_band_code_once_per_provision",
            ),
            models.UniqueConstraint(
                fields=["local_authority", "code", "lot"],
                condition=Q(active=True, lot__isnull=False),
                name="top_up_band_code_once_per_lot",
            ),
        ]

    def __str__(self) -> str:
        return f"Band {self.code}: {self.label}"

    @property
    def scope(self) -> str:
        """What the band is for, in the words of the band table."""
        if self.provision_id:
            return str(self.provision.name)
        if self.lot_id:
            return str(self.lot)
        return "Every provision"


# --- Commissioned places (commissioning/places/) ---------------------------------------------------------------


class PlacePayer(models.TextChoices):
    """Who pays a provision's place funding. The ESFA (for the DfE) pays AP academies and AP free schools their place
    funding directly, deducted from the LA's high needs block; the LA pays its own pupil referral units and any other
    place it funds (DfE, High needs funding: operational guide, "place funding")."""

    DFE = "dfe", "The DfE (ESFA), directly"
    LA = "la", "The local authority"


class CommissionedPlacesQuerySet(LocalAuthorityScopedQuerySet["CommissionedPlaces"]):
    local_authority_path = "local_authority_id"

    # The LA's finance officers read and set its place funding (organisations.models.FINANCE_READERS/EDITORS).
    for_finance_officer = LocalAuthorityScopedQuerySet.for_la_officer


class CommissionedPlaces(models.Model):
    """The places an LA commissions at one provision for one academic year, and their place funding: paid whether a
    child fills the place or not, so empty places are a cost (seed 004 section 11: 217 places, 71 empty in January).
    Counts and money only: never a child."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="commissioned_places")
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="commissioned_places")
    # The academic year (September to August) as the year it starts: 2026 is 2026 to 2027.
    academic_year = models.PositiveSmallIntegerField()
    # Pre-16 places. Post-16 places are funded through the 16 to 19 formula, not at this rate: not recorded here.
    places = models.PositiveIntegerField()
    # The LA's rate (duties LocalPolicy.place_funding_annual, £10,000 by default) unless this provision's differs.
    rate_per_place = models.DecimalField(max_digits=10, decimal_places=2)
    payer = models.CharField(max_length=3, choices=PlacePayer.choices)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(default=now)

    objects = CommissionedPlacesQuerySet.as_manager()

    class Meta:
        ordering = ["academic_year", "provision__name", "id"]
        verbose_name_plural = "commissioned places"
        constraints = [
            models.UniqueConstraint(
                fields=["provision", "academic_year"], name="commissioned_places_once_per_provision_and_year"
            ),
            models.CheckConstraint(condition=Q(rate_per_place__gte=0), name="commissioned_places_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.places} places at {self.provision} in {self.academic_year} to {self.academic_year + 1}"
