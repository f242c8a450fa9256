"""Pupils (by UPN), their school enrolments and the sensitive facts only some roles may read.

Scoping (aphub.core.scoping): LA staff see the children of their LA; school staff the pupils on their roll (now
or before: a school that excluded a child still owes its governing board review); provider staff the pupils
placed with them or offered to them. Placements live in the placements app, which sits above this one
(docs/decisions/0022-layers.md): it tells this app at start-up which children those are (`register_placed_pupils`).
"""

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from aphub.core.clock import now
from aphub.core.constraints import dates_in_order
from aphub.organisations.models import LocalAuthority, School, User
from aphub.organisations.scoping import LocalAuthorityScopedQuerySet

# membership -> the ids of the pupils it sees through placements (a subquery, `.values("pupil_id")`).
PlacedPupils = Callable[[Any], QuerySet]
_placed_pupils: dict[str, PlacedPupils] = {}


def register_placed_pupils(*, commissioned_by_school: PlacedPupils, placed_with_provider: PlacedPupils) -> None:
    """Called once by the placements app (placements/apps.py), as organisations gives core its membership resolver.
    Until then a school sees only the children on its roll and a provider none: deny rather than guess."""
    _placed_pupils["school"] = commissioned_by_school
    _placed_pupils["provider"] = placed_with_provider


class PupilQuerySet(LocalAuthorityScopedQuerySet["Pupil"]):
    local_authority_path = "local_authority_id"

    # The finance officer names the LA's children by name and UPN beside the money (funding lines, a placement's
    # cost) to reconcile and bill; the pupils' pages stay closed to the role (CASE_READERS) and it sees none of their
    # sensitive fields (sensitive.py). docs/decisions/0027-finance-officer.md.
    for_finance_officer = LocalAuthorityScopedQuerySet.for_la_officer

    def for_school_staff(self, membership) -> "PupilQuerySet":
        seen = Q(pk__in=Enrolment.objects.filter(school_id=membership.school_id).values("pupil_id"))
        commissioned = _placed_pupils.get("school")
        if commissioned:
            seen |= Q(pk__in=commissioned(membership))
        return self.filter(seen)

    def for_provider_staff(self, membership) -> "PupilQuerySet":
        placed = _placed_pupils.get("provider")
        return self.filter(pk__in=placed(membership)) if placed else self.none()

    def visible_to(self, user, *, erased: bool = False) -> "PupilQuerySet":
        # An erased record (aphub.data_protection.erasure) is an anonymous row kept for the statistics: nobody opens,
        # lists or finds it as a child's record again, whatever their role. Only the access log asks for them
        # (`erased=True`), to say "Erased record" where it once named the child.
        seen = super().visible_to(user)
        return seen if erased else seen.filter(erased_at__isnull=True)


class Pupil(models.Model):
    class Sex(models.TextChoices):
        # DfE school census codes.
        FEMALE = "F", "Female"
        MALE = "M", "Male"

    class SenStatus(models.TextChoices):
        # DfE school census SEN provision codes.
        NONE = "N", "No special educational needs"
        SEN_SUPPORT = "K", "SEN support"
        EHC_PLAN = "E", "Education, health and care plan"

    class PrimaryNeed(models.TextChoices):
        # DfE school census SEN type codes (primary need), for a child with SEN support or an EHC plan.
        SPLD = "SPLD", "Specific learning difficulty"
        MLD = "MLD", "Moderate learning difficulty"
        SLD = "SLD", "Severe learning difficulty"
        PMLD = "PMLD", "Profound and multiple learning difficulty"
        SEMH = "SEMH", "Social, emotional and mental health"
        SLCN = "SLCN", "Speech, language and communication needs"
        HI = "HI", "Hearing impairment"
        VI = "VI", "Visual impairment"
        MSI = "MSI", "Multi-sensory impairment"
        PD = "PD", "Physical disability"
        ASD = "ASD", "Autistic spectrum disorder"
        OTH = "OTH", "Other difficulty or disability"
        NSA = "NSA", "SEN support but no specialist assessment of type of need"

    class Ethnicity(models.TextChoices):
        # DfE school census ethnicity codes (the main list), as a school or parent records them.
        WBRI = "WBRI", "White - British"
        WIRI = "WIRI", "White - Irish"
        WIRT = "WIRT", "Traveller of Irish heritage"
        WROM = "WROM", "Gypsy / Roma"
        WOTH = "WOTH", "Any other white background"
        MWBC = "MWBC", "White and Black Caribbean"
        MWBA = "MWBA", "White and Black African"
        MWAS = "MWAS", "White and Asian"
        MOTH = "MOTH", "Any other mixed background"
        AIND = "AIND", "Indian"
        APKN = "APKN", "Pakistani"
        ABAN = "ABAN", "Bangladeshi"
        AOTH = "AOTH", "Any other Asian background"
        BCRB = "BCRB", "Black Caribbean"
        BAFR = "BAFR", "Black - African"
        BOTH = "BOTH", "Any other Black background"
        CHNE = "CHNE", "Chinese"
        OOTH = "OOTH", "Any other ethnic group"
        REFU = "REFU", "Refused"
        NOBT = "NOBT", "Information not yet obtained"

    class Safeguarding(models.TextChoices):
        NONE = "none", "None recorded"
        CHILD_IN_NEED = "cin", "Child in need"
        CHILD_PROTECTION = "cp", "Child protection plan"

    # The LA responsible for the child (home LA): the one whose s.19 duty applies.
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="pupils")
    upn = models.CharField("UPN", max_length=13)
    upn_is_temporary = models.BooleanField("temporary UPN", default=False)
    uln = models.CharField("ULN", max_length=10, blank=True)  # Unique Learner Number, from age 14
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    # Blank only for a child first met in a school's census AP return, which does not carry it (services.record_pupil).
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    free_school_meals = models.BooleanField(default=False)

    # Sensitive (DESIGN.md section 5): shown only to roles in pupils.sensitive.
    sen_status = models.CharField("SEN status", max_length=1, choices=SenStatus.choices, default=SenStatus.NONE)
    # Blank where the child has no SEN, or the need is not recorded yet; insight counts those as "not recorded".
    primary_need = models.CharField(max_length=4, choices=PrimaryNeed.choices, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, blank=True)
    medical_needs = models.TextField(blank=True)
    looked_after = models.BooleanField(default=False)
    safeguarding = models.CharField(
        "child in need or protection", max_length=4, choices=Safeguarding.choices, default=Safeguarding.NONE
    )

    created_at = models.DateTimeField(default=now)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # When the record's personal data was erased at the end of its retention period (data_protection.erasure); the
    # row stays, anonymous, so that the counts made from it (cohort, flows, outcomes) do not change.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Read and written only where pupils.sensitive allows.
    SENSITIVE_FIELDS = ("sen_status", "primary_need", "ethnicity", "medical_needs", "looked_after", "safeguarding")

    objects = PupilQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            # A UPN is national, but each LA keeps its own record of a child: one per LA.
            models.UniqueConstraint(fields=["local_authority", "upn"], name="pupil_upn_unique_in_la"),
        ]
        indexes = [models.Index(fields=["local_authority", "last_name", "first_name"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.upn})"

    @property
    def full_name(self) -> str:
        if self.erased_at is not None:
            return "Erased record"
        return f"{self.preferred_name or self.first_name} {self.last_name}"


# The census's major ethnic groups, each with its codes (DfE, "Schools, pupils and their characteristics": the
# statistics group the codes so). A blank ethnicity is one not yet obtained, counted with the refused.
ETHNIC_GROUPS: dict[str, tuple[str, ...]] = {
    "White": ("WBRI", "WIRI", "WIRT", "WROM", "WOTH"),
    "Mixed": ("MWBC", "MWBA", "MWAS", "MOTH"),
    "Asian": ("AIND", "APKN", "ABAN", "AOTH"),
    "Black": ("BCRB", "BAFR", "BOTH"),
    "Chinese": ("CHNE",),
    "Other": ("OOTH",),
    "Refused or not obtained": ("REFU", "NOBT", ""),
}


class EnrolmentQuerySet(LocalAuthorityScopedQuerySet["Enrolment"]):
    local_authority_path = "pupil__local_authority_id"

    def for_school_staff(self, membership) -> "EnrolmentQuerySet":
        return self.filter(school_id=membership.school_id)

    def for_provider_staff(self, membership) -> "EnrolmentQuerySet":
        return self.filter(pupil__in=Pupil.objects.for_provider_staff(membership))


class Enrolment(models.Model):
    class Registration(models.TextChoices):
        # DfE school census enrolment status codes.
        SINGLE = "C", "Single registration"
        MAIN = "M", "Main (dual registration)"
        SUBSIDIARY = "S", "Subsidiary (dual registration)"

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="enrolments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="enrolments")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    registration = models.CharField(max_length=1, choices=Registration.choices, default=Registration.SINGLE)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [dates_in_order("start_date", "end_date", name="enrolment_dates_in_order")]

    def __str__(self) -> str:
        return f"{self.pupil} at {self.school}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None
