"""Provisions (services) in the public AP directory, their terms, cost options and postcode points."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from aphub.core.clock import now
from aphub.organisations.models import LocalAuthority, Provider, School, User
from aphub.organisations.scoping import LocalAuthorityScopedQuerySet


class Vocabulary(models.TextChoices):
    TIER = "tier", "Tier"
    DELIVERY_MODE = "delivery-mode", "Delivery mode"
    KEY_STAGE = "key-stage", "Key stage"
    NEED = "need", "Needs supported"


# Codes are stable identifiers used in URLs, the API and ORUK taxonomy terms; labels are what users read.
# Tiers follow the DfE SEND and AP improvement plan (2023) and 'Arranging alternative provision' (2025).
TERMS: dict[str, list[tuple[str, str]]] = {
    Vocabulary.TIER: [
        ("tier-1", "Tier 1: targeted support in mainstream school"),
        ("tier-2", "Tier 2: time-limited placement"),
        ("tier-3", "Tier 3: transitional placement"),
    ],
    Vocabulary.DELIVERY_MODE: [
        ("on-site", "On site"),
        ("outreach", "Outreach into schools"),
        ("online", "Online"),
        ("one-to-one-tuition", "One-to-one tuition"),
        ("vocational", "Vocational"),
        ("therapeutic", "Therapeutic"),
        ("hospital-medical", "Hospital or medical"),
    ],
    Vocabulary.KEY_STAGE: [
        ("ks1", "Key stage 1 (ages 5 to 7)"),
        ("ks2", "Key stage 2 (ages 7 to 11)"),
        ("ks3", "Key stage 3 (ages 11 to 14)"),
        ("ks4", "Key stage 4 (ages 14 to 16)"),
        ("post-16", "Post-16"),
    ],
    Vocabulary.NEED: [
        ("semh", "Social, emotional and mental health (SEMH)"),
        ("autism", "Autism"),
        ("slcn", "Speech, language and communication needs (SLCN)"),
        ("medical-mental-health", "Medical and mental health needs"),
        ("mld", "Moderate learning difficulty"),
        ("spld", "Specific learning difficulty"),
        ("sensory-physical", "Sensory or physical needs"),
        ("behaviour", "Behaviour that challenges"),
        ("anxiety-ebsa", "Anxiety and emotionally based school avoidance"),
        ("young-parents", "Young parents and pregnancy"),
    ],
}


class Term(models.Model):
    vocabulary = models.CharField(max_length=20, choices=Vocabulary.choices)
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["vocabulary", "position"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "code"], name="term_code_unique")]

    def __str__(self) -> str:
        return self.label


class ProvisionQuerySet(LocalAuthorityScopedQuerySet["Provision"]):
    """Staff scoping (aphub.core.scoping). The public reads published provisions through queries.py instead."""

    local_authority_path = "local_authority_id"  # their LA's directory

    # The finance officer pays for places at the LA's provisions and reads their costs (decision 0027).
    for_finance_officer = LocalAuthorityScopedQuerySet.for_la_officer

    def for_provider_staff(self, membership) -> "ProvisionQuerySet":
        return self.filter(provider_id=membership.provider_id)  # their own, in any status

    # No for_school_staff: schools use the public directory like everyone else.


class Provision(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"  # provider is writing it; not public
        SUBMITTED = "submitted", "Waiting for LA approval"  # first version awaits an LA officer
        PUBLISHED = "published", "Published"  # public; later edits wait in pending_changes
        ARCHIVED = "archived", "Archived"  # gone from search and the API
        # A provider outside the directory that a school recorded AP at (placements.school_arranged): never public,
        # never offered through AP Hub, there so the placement, its attendance and the LA's picture have a place.
        RECORDED = "recorded", "Recorded by a school (not in the directory)"

    class AttendancePattern(models.TextChoices):
        FULL_TIME = "full-time", "Full time"
        PART_TIME = "part-time", "Part time"
        EITHER = "either", "Full or part time"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="provisions")
    # The LA whose directory lists it and whose officers approve it.
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="provisions")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # For a RECORDED provision: the school that first recorded AP there.
    recorded_by_school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    name = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, help_text="One sentence for search results")
    description = models.TextField(blank=True)
    terms = models.ManyToManyField(Term, blank=True, related_name="provisions")
    age_min = models.PositiveSmallIntegerField(validators=[MinValueValidator(4), MaxValueValidator(25)])
    age_max = models.PositiveSmallIntegerField(validators=[MinValueValidator(4), MaxValueValidator(25)])
    attendance_pattern = models.CharField(max_length=10, choices=AttendancePattern.choices)
    sessions_offered = models.CharField(
        max_length=300, blank=True, help_text="For example, Monday to Friday, 9am to 3pm"
    )
    typical_duration_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    admissions_criteria = models.TextField(blank=True)
    exit_criteria = models.TextField(blank=True)
    places = models.PositiveIntegerField(default=0)

    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    latitude = models.FloatField(null=True, blank=True)  # geometry, not money: float is right here
    longitude = models.FloatField(null=True, blank=True)

    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    how_to_refer = models.TextField(blank=True)

    # Moderated edits: a provider's change to a published provision waits here until an LA officer approves it.
    pending_changes = models.JSONField(null=True, blank=True)
    pending_submitted_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    # When the first version was sent for approval: the approval queue is served oldest first.
    submitted_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)
    published_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The last approval of either a first version or a set of pending changes (published_at stays the first one).
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = ProvisionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(age_min__lte=models.F("age_max")), name="provision_age_range"),
        ]
        indexes = [
            models.Index(fields=["status", "local_authority"]),
            # Distance search narrows by a latitude/longitude bounding box before the exact haversine in Python.
            models.Index(fields=["latitude", "longitude"], name="provision_lat_lon"),
        ]

    def __str__(self) -> str:
        return self.name


class CostOption(models.Model):
    class Unit(models.TextChoices):
        PER_SESSION = "session", "per session"
        PER_HOUR = "hour", "per hour"
        PER_DAY = "day", "per day"
        PER_WEEK = "week", "per week"
        PER_TERM = "term", "per term"
        PER_PLACE_PER_YEAR = "year", "per place per year"

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="cost_options")
    label = models.CharField(max_length=120, help_text="For example, Full-time place")
    amount = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    unit = models.CharField(max_length=10, choices=Unit.choices)

    class Meta:
        ordering = ["amount"]

    def __str__(self) -> str:
        return f"{self.label}: £{self.amount} {self.get_unit_display()}"


class PostcodePoint(models.Model):
    """One postcode's centroid, from the shipped demo lookup or a loaded ONS Postcode Directory."""

    postcode = models.CharField(max_length=8, primary_key=True)  # normalised, e.g. "B91 3QB"
    latitude = models.FloatField()
    longitude = models.FloatField()

    def __str__(self) -> str:
        return self.postcode
