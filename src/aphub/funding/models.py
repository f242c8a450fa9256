"""Funding lines: who pays what for each placement, pro rata to its dates, split by financial year.

Place funding (the High Needs Block's £10,000 a place a year) and the commissioner's top-up follow the route's
payers (seed 004 section 7). Amounts are Decimal pounds and pence (aphub.core.money). A line names its placement
by a string foreign key: this app never imports the placements app, which calls funding.services.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from aphub.core.clock import now
from aphub.organisations.models import LocalAuthority, School
from aphub.organisations.scoping import LocalAuthorityScopedQuerySet


class FundingLineQuerySet(LocalAuthorityScopedQuerySet["FundingLine"]):
    local_authority_path = "local_authority_id"

    for_finance_officer = LocalAuthorityScopedQuerySet.for_la_officer

    def for_school_staff(self, membership) -> "FundingLineQuerySet":
        return self.filter(payer_school_id=membership.school_id)


class FundingLine(models.Model):
    class Kind(models.TextChoices):
        PLACE_FUNDING = "place-funding", "Place funding"
        TOP_UP = "top-up", "Top-up"

    class Payer(models.TextChoices):
        LA = "la", "Local authority (High Needs Block)"
        SCHOOL = "school", "School"

    placement = models.ForeignKey("placements.Placement", on_delete=models.CASCADE, related_name="funding_lines")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="funding_lines")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    payer = models.CharField(max_length=6, choices=Payer.choices)
    payer_school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Financial year (April to March) the line falls in, as the year it starts: 2026 is 2026-27.
    financial_year = models.PositiveSmallIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    days = models.PositiveSmallIntegerField()
    annual_rate = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    created_at = models.DateTimeField(default=now)

    objects = FundingLineQuerySet.as_manager()

    class Meta:
        ordering = ["placement", "period_start", "kind"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="funding_period_order"),
            models.CheckConstraint(
                condition=~Q(payer="school") | Q(payer_school__isnull=False), name="funding_school_payer_named"
            ),
        ]
        indexes = [models.Index(fields=["local_authority", "financial_year", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} £{self.amount} ({self.period_start} to {self.period_end})"

    @property
    def payer_name(self) -> str:
        """Who pays, as people say it: the school's name, or the LA's High Needs Block."""
        if self.payer == self.Payer.SCHOOL and self.payer_school is not None:
            return self.payer_school.name
        return self.get_payer_display()


# --- Recharges to schools (issue 13; docs/decisions/0031-recharges.md) ----------------------------------------------


class SchoolPaysDecisionQuerySet(LocalAuthorityScopedQuerySet["SchoolPaysDecision"]):
    """The LA's working papers: its staff and finance officer see them; schools and providers none."""

    local_authority_path = "local_authority_id"

    for_finance_officer = LocalAuthorityScopedQuerySet.for_la_officer


class SchoolPaysDecision(models.Model):
    """The LA's finance decision that the school pays a placement's top-up the route would have the LA pay.

    Seed 004 section 7 and its action 2 ("eliminate double funding"): where the LA pays a top-up for a dual-registered
    pupil whose route says the school commissions or pays it (funding.rules.double_funding), the finance officer
    records that the school pays. funding.planning honours it, so the placement's lines are re-planned with the
    school as payer and the LA stops paying. Who, when and why are kept.
    """

    placement = models.OneToOneField(
        "placements.Placement", on_delete=models.CASCADE, related_name="school_pays_decision"
    )
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    decided_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=now)

    objects = SchoolPaysDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.school} pays the top-up of placement {self.placement_id}"


class RechargeStatementQuerySet(LocalAuthorityScopedQuerySet["RechargeStatement"]):
    local_authority_path = "local_authority_id"

    for_finance_officer = LocalAuthorityScopedQuerySet.for_la_officer

    def for_school_staff(self, membership) -> "RechargeStatementQuerySet":
        # A draft is the LA's working paper: a school sees its statements once they are issued to it.
        return self.filter(school_id=membership.school_id).exclude(status=RechargeStatement.Status.DRAFT)


class RechargeStatement(models.Model):
    """What one school owes the LA for one billing term (funding.periods.BILLING_TERMS): the school-paid funding
    lines of the placements the LA arranged, with adjustments (credits) to terms already billed.

    A draft's lines are worked out afresh each time it is read; issuing snapshots them as RechargeLines, so an
    issued statement never changes. Its lifecycle is funding.recharges.services.STATEMENT.
    """

    class Status(models.TextChoices):
        # Worked out live from the funding lines; only the LA sees it.
        DRAFT = "draft", "Draft"
        # Sent to the school with its lines frozen.
        ISSUED = "issued", "Issued"
        # The school says it is wrong, with a reason; the LA answers by re-issuing it.
        DISPUTED = "disputed", "Disputed"
        # The school has paid it.
        PAID = "paid", "Paid"

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="recharge_statements")
    # The billing term, as the academic year it belongs to (2026 is 2026 to 2027) and its name and days.
    academic_year = models.PositiveSmallIntegerField()
    term_name = models.CharField(max_length=20)
    term_start = models.DateField()
    term_end = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField(max_length=40, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    issued_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dispute_reason = models.TextField(blank=True)
    disputed_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disputed_at = models.DateTimeField(null=True, blank=True)
    # The LA's answer to the last dispute, given when it re-issued the statement.
    resolution = models.TextField(blank=True)
    paid_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=now)

    objects = RechargeStatementQuerySet.as_manager()

    class Meta:
        ordering = ["-term_start", "school__name", "pk"]
        constraints = [
            # One statement per school per term: corrections to a billed term go on a later statement as adjustments.
            models.UniqueConstraint(fields=["school", "term_start"], name="one_recharge_statement_per_school_term"),
            models.CheckConstraint(condition=Q(term_end__gte=models.F("term_start")), name="recharge_term_order"),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(number="") & Q(issued_on__isnull=False),
                name="recharge_issued_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term_name} statement for {self.school}"


class RechargeLine(models.Model):
    """One line of an issued statement, snapshotted at issue: a child's placement, the kind of money, the term it
    pays for, the days and the amount. An adjustment to a term billed before (a placement that ended early) has a
    negative amount and days: a credit.

    The child's name and UPN are copied as they were on the statement; the placement is kept as its number (a bill
    outlives a change to the placement) and the child as a key, so reads of it are logged against the child.
    """

    class Kind(models.TextChoices):
        CHARGE = "charge", "Charge"
        ADJUSTMENT = "adjustment", "Adjustment"

    statement = models.ForeignKey(RechargeStatement, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    funding_kind = models.CharField(max_length=14, choices=FundingLine.Kind.choices)
    placement_number = models.PositiveIntegerField()
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="+")
    child_name = models.CharField(max_length=200)
    upn = models.CharField(max_length=13, blank=True)
    provision_name = models.CharField(max_length=200)
    # The billing term this line pays for (the statement's own term for a charge, an earlier one for an adjustment).
    term_name = models.CharField(max_length=20)
    term_start = models.DateField()
    days = models.SmallIntegerField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["statement", "kind", "child_name", "placement_number", "term_start", "funding_kind"]

    def __str__(self) -> str:
        return f"{self.child_name}: {self.term_name} {self.get_funding_kind_display()} £{self.amount}"
