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
