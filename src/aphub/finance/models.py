"""The High Needs Block's budget: lines the LA defines, what each covers, its amount per financial year, and the
year's HNB allocation for context.

A budget line covers pairs of (kind of money, route kind): place funding or top-up (funding.FundingLine.Kind, or
place funding for commissioned places, kept for the commissioned places' own lines) paid on one of the LA's routes
(duties.EpisodeKind, a route's kind). Each pair is in at most one line of an LA, so every pound of LA-paid funding
lands in one line or in none ("Not in a budget line"): the outturn's lines add up to its total.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from aphub.duties.models import EpisodeKind
from aphub.funding.models import FundingLine
from aphub.organisations.models import LocalAuthority
from aphub.organisations.scoping import LocalAuthorityScopedQuerySet


class MoneyKind(models.TextChoices):
    """What kind of money a budget line covers: a funding line's kind, or commissioned places' place funding."""

    PLACE_FUNDING = FundingLine.Kind.PLACE_FUNDING.value, "Place funding"
    TOP_UP = FundingLine.Kind.TOP_UP.value, "Top-up"
    # Place funding per commissioned place (not per placement), paid by the LA (its PRUs): commissioning.places.
    # A place is bought for every route, so this kind is covered on no route in particular (EVERY_ROUTE).
    COMMISSIONED_PLACE_FUNDING = "commissioned-place-funding", "Commissioned place funding"


# The route kind of a cover of commissioned place funding: a commissioned place serves every route.
EVERY_ROUTE = ""


class BudgetLineQuerySet(LocalAuthorityScopedQuerySet["BudgetLine"]):
    local_authority_path = "local_authority_id"
    for_finance_officer = LocalAuthorityScopedQuerySet.for_la_officer


class BudgetLine(models.Model):
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="budget_lines")
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["local_authority", "order", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "name"], name="budget_line_name_unique_in_la"),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetCover(models.Model):
    """One (kind of money, route kind) pair a budget line covers; the LA is repeated so the database keeps each pair
    in at most one line of the LA."""

    budget_line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="covers")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=MoneyKind.choices)
    # Empty (EVERY_ROUTE) for commissioned place funding, and only for it.
    route_kind = models.CharField(max_length=30, choices=EpisodeKind.choices, blank=True)

    class Meta:
        ordering = ["budget_line", "kind", "route_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "kind", "route_kind"], name="budget_cover_in_one_line_of_la"
            ),
            models.CheckConstraint(
                condition=Q(kind=MoneyKind.COMMISSIONED_PLACE_FUNDING, route_kind=EVERY_ROUTE)
                | (~Q(kind=MoneyKind.COMMISSIONED_PLACE_FUNDING) & ~Q(route_kind=EVERY_ROUTE)),
                name="budget_cover_commissioned_places_on_every_route",
            ),
        ]

    def __str__(self) -> str:
        if self.route_kind == EVERY_ROUTE:
            return f"{self.get_kind_display()}: every route"
        return f"{self.get_kind_display()}: {self.get_route_kind_display()}"


class BudgetAmountQuerySet(LocalAuthorityScopedQuerySet["BudgetAmount"]):
    local_authority_path = "budget_line__local_authority_id"
    for_finance_officer = LocalAuthorityScopedQuerySet.for_la_officer


class BudgetAmount(models.Model):
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="amounts")
    # The financial year (April to March) as the year it starts: 2026 is 2026-27.
    financial_year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])

    objects = BudgetAmountQuerySet.as_manager()

    class Meta:
        ordering = ["budget_line", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["budget_line", "financial_year"], name="budget_amount_once_a_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.budget_line} {self.financial_year}: £{self.amount}"


class HighNeedsAllocationQuerySet(LocalAuthorityScopedQuerySet["HighNeedsAllocation"]):
    local_authority_path = "local_authority_id"
    for_finance_officer = LocalAuthorityScopedQuerySet.for_la_officer


class HighNeedsAllocation(models.Model):
    """The year's High Needs Block allocation (DSG), for context: AP is one part of what it pays for."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    financial_year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])

    objects = HighNeedsAllocationQuerySet.as_manager()

    class Meta:
        ordering = ["local_authority", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "financial_year"], name="hnb_allocation_once_a_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="hnb_allocation_not_negative"),
        ]

    def __str__(self) -> str:
        return f"High Needs Block {self.financial_year}: £{self.amount}"
