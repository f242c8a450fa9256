"""Reads of commissioned places: the places of a year with their funding, how full they were, and the place funding
that falls in a financial year (place_funding_for, for the outturn and the Schools Forum pack). Every read starts
from `CommissionedPlaces.objects.visible_to(user)`: the LA's officers, admins, auditors and finance officers see their
own LA's, nobody else any. Counts and money only: no child is named, so nothing here is a read of a child's record.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from aphub.commissioning.models import CommissionedPlaces, PlacePayer
from aphub.core.clock import today
from aphub.directory.models import Provision
from aphub.duties.models import LocalPolicy
from aphub.funding.periods import academic_year_of
from aphub.organisations.models import FINANCE_READERS, User
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of

from .occupancy import CensusCount, PeriodOnRoll, YearOccupancy, academic_year_bounds, occupancy_of_year
from .place_funding import FinancialYearShare, place_funding, split_across_financial_years

# --- What commissioning reads of placements, handed over by placements/apps.py (docs/decisions/0022-layers.md) ---

PeriodsOnRoll = Callable[
    [list[int], datetime.date, datetime.date],
    dict[int, list[tuple[datetime.date, datetime.date | None, datetime.date | None]]],
]
_periods_on_roll: PeriodsOnRoll | None = None


def register_periods_on_roll(periods: PeriodsOnRoll) -> None:
    global _periods_on_roll
    _periods_on_roll = periods


def periods_on_roll(
    provision_ids: list[int], first: datetime.date, last: datetime.date
) -> dict[int, list[PeriodOnRoll]]:
    """The periods pupils are on roll at these provisions between `first` and `last`, by provision id."""
    if _periods_on_roll is None:
        raise RuntimeError("The placements app has not registered how pupils on roll are read.")
    found = _periods_on_roll(provision_ids, first, last)
    return {
        provision_id: [
            PeriodOnRoll(start_date=start, planned_end_date=planned, end_date=end) for start, planned, end in rows
        ]
        for provision_id, rows in found.items()
    }


# --- Years, provisions and rates --------------------------------------------------------------------------------


def current_academic_year() -> int:
    return academic_year_of(today())


def academic_years_for(user: User) -> list[int]:
    """The academic years to choose from: five back, this one and the next, and any year with places set."""
    current = current_academic_year()
    years = set(range(current - 5, current + 2))
    years.update(CommissionedPlaces.objects.visible_to(user).values_list("academic_year", flat=True).distinct())
    return sorted(years)


def _local_authority_id(user: User) -> int | None:
    membership = membership_of(user)
    return membership.local_authority_id if acts_as(membership, FINANCE_READERS) else None


def provisions_for_places(user: User) -> QuerySet[Provision]:
    """The provisions of the user's LA's directory at which it may commission places, by name.

    Read through the LA rather than Provision.visible_to, which gives a finance officer no directory: here a
    provision is only named beside its places and their money, which the LA's finance readers all see."""
    local_authority_id = _local_authority_id(user)
    if local_authority_id is None:
        return Provision.objects.none()
    return (
        Provision.objects.filter(local_authority_id=local_authority_id)
        .exclude(status=Provision.Status.RECORDED)
        .select_related("provider")
        .order_by("name", "pk")
    )


def provision_for_places(user: User, pk: int) -> Provision | None:
    return provisions_for_places(user).filter(pk=pk).first()


def default_rate_for(user: User) -> Decimal:
    """The LA's place funding a place (its policy, £10,000 unless it set another)."""
    rate = (
        LocalPolicy.objects.filter(local_authority_id=_local_authority_id(user))
        .values_list("place_funding_annual", flat=True)
        .first()
    )
    return rate if rate is not None else Decimal(LocalPolicy._meta.get_field("place_funding_annual").get_default())


def commissioned_places_for(user: User, *, academic_year: int) -> QuerySet[CommissionedPlaces]:
    return (
        CommissionedPlaces.objects.visible_to(user)
        .filter(academic_year=academic_year)
        .select_related("provision", "provision__provider")
    )


def commissioned_places_of(user: User, provision: Provision, academic_year: int) -> CommissionedPlaces | None:
    return CommissionedPlaces.objects.visible_to(user).filter(provision=provision, academic_year=academic_year).first()


# --- Place funding and occupancy of a year ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlacesInYear:
    """One provision's commissioned places of a year: their funding, its financial years and how full they were."""

    commissioned: CommissionedPlaces
    occupancy: YearOccupancy
    shares: tuple[FinancialYearShare, FinancialYearShare]

    @property
    def provision(self) -> Provision:
        return self.commissioned.provision

    @property
    def funding(self) -> Decimal:
        return self.occupancy.funding


@dataclass
class PlacesTotals:
    places: int = 0
    funding: Decimal = Decimal("0.00")
    shares: list[Decimal] = field(default_factory=lambda: [Decimal("0.00"), Decimal("0.00")])
    on_roll_at_census: list[int] = field(default_factory=list)
    empty_at_census: list[int] = field(default_factory=list)
    over_at_census: list[int] = field(default_factory=list)
    average_on_roll: Decimal = Decimal("0.0")
    average_empty: Decimal = Decimal("0.0")
    value_of_occupied: Decimal = Decimal("0.00")
    cost_of_empty: Decimal = Decimal("0.00")
    paid_by_la: Decimal = Decimal("0.00")
    paid_by_dfe: Decimal = Decimal("0.00")

    def add(self, row: PlacesInYear) -> None:
        occupancy = row.occupancy
        self.places += occupancy.places
        self.funding += row.funding
        self.shares = [total + share.amount for total, share in zip(self.shares, row.shares, strict=True)]
        counts: list[CensusCount] = occupancy.at_census
        if not self.on_roll_at_census:
            self.on_roll_at_census = [0] * len(counts)
            self.empty_at_census = [0] * len(counts)
            self.over_at_census = [0] * len(counts)
        for i, count in enumerate(counts):
            self.on_roll_at_census[i] += count.on_roll
            self.empty_at_census[i] += count.empty
            self.over_at_census[i] += count.over
        self.average_on_roll += occupancy.average_on_roll
        self.average_empty += occupancy.average_empty
        self.value_of_occupied += occupancy.value_of_occupied
        self.cost_of_empty += occupancy.cost_of_empty
        if row.commissioned.payer == PlacePayer.LA:
            self.paid_by_la += row.funding
        else:
            self.paid_by_dfe += row.funding


@dataclass(frozen=True)
class PlacesReport:
    academic_year: int
    rows: list[PlacesInYear]
    totals: PlacesTotals


def places_and_occupancy_for(user: User, *, academic_year: int) -> PlacesReport:
    """Each provision's commissioned places of the academic year, with their place funding split across financial
    years, the pupils on roll at the census days and day by day (to the placements' planned ends for days to come),
    and what the empty places cost."""
    commissioned = list(commissioned_places_for(user, academic_year=academic_year))
    first, last = academic_year_bounds(academic_year)
    periods = periods_on_roll([row.provision_id for row in commissioned], first, last) if commissioned else {}
    totals = PlacesTotals()
    rows = []
    for places in commissioned:
        occupancy = occupancy_of_year(
            academic_year=academic_year,
            places=places.places,
            rate_per_place=places.rate_per_place,
            periods=periods.get(places.provision_id, []),
        )
        row = PlacesInYear(
            commissioned=places,
            occupancy=occupancy,
            shares=split_across_financial_years(academic_year, occupancy.funding),
        )
        totals.add(row)
        rows.append(row)
    return PlacesReport(academic_year=academic_year, rows=rows, totals=totals)


# --- For the outturn and the Schools Forum pack -----------------------------------------------------------------


@dataclass(frozen=True)
class PlaceFundingInYear:
    """A provision's place funding falling in one financial year, by who pays it."""

    provision: Provision
    paid_by_la: Decimal
    paid_by_dfe: Decimal

    @property
    def total(self) -> Decimal:
        return self.paid_by_la + self.paid_by_dfe


@dataclass(frozen=True)
class PlaceFundingShare:
    """One provision's commissioned places of one academic year, and the part of their funding that falls in a
    financial year (its months, first and last day): what the outturn counts and drills down to."""

    commissioned: CommissionedPlaces
    funding: Decimal  # the academic year's: places x rate
    share: FinancialYearShare

    @property
    def provision(self) -> Provision:
        return self.commissioned.provision


def place_funding_shares_for(user: User, financial_year: int) -> list[PlaceFundingShare]:
    """The commissioned places whose funding falls in the financial year starting in April of `financial_year`: 7/12
    of the academic year starting that September and 5/12 of the one that started the September before, split as
    `split_across_financial_years` splits them, so the financial years add up to the academic years to the penny.
    By provision name, then academic year."""
    rows = (
        CommissionedPlaces.objects.visible_to(user)
        .filter(academic_year__in=[financial_year - 1, financial_year])
        .select_related("provision", "provision__provider")
        .order_by("provision__name", "provision_id", "academic_year")
    )
    found = []
    for row in rows:
        funding = place_funding(row.places, row.rate_per_place)
        share = next(
            share
            for share in split_across_financial_years(row.academic_year, funding)
            if share.financial_year == financial_year
        )
        found.append(PlaceFundingShare(commissioned=row, funding=funding, share=share))
    return found


def commissioned_years_for(user: User) -> set[tuple[int, int]]:
    """(provision id, academic year) of every provision and year whose place funding is by commissioned places."""
    return set(CommissionedPlaces.objects.visible_to(user).values_list("provision_id", "academic_year"))


def place_funding_for(user: User, financial_year: int) -> list[PlaceFundingInYear]:
    """Each provision's place funding in the financial year (place_funding_shares_for), paid by the LA (its PRUs) or
    by the DfE directly (AP academies and free schools), by provision name."""
    found: dict[int, dict] = {}
    for row in place_funding_shares_for(user, financial_year):
        entry = found.setdefault(
            row.provision.pk,
            {"provision": row.provision, PlacePayer.LA: Decimal("0.00"), PlacePayer.DFE: Decimal("0.00")},
        )
        entry[row.commissioned.payer] += row.share.amount
    return [
        PlaceFundingInYear(
            provision=entry["provision"], paid_by_la=entry[PlacePayer.LA], paid_by_dfe=entry[PlacePayer.DFE]
        )
        for entry in found.values()
    ]
