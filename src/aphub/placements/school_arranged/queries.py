"""Reads for the LA about the providers its schools recorded AP at (issue 12, decision 0026), scoped to the user."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from aphub.directory.models import Provision
from aphub.organisations.models import Provider, User
from aphub.placements.models import Placement

from .services import has_placeholder_name


@dataclass
class RecordedProvider:
    """A provider outside the directory that the LA's schools recorded AP at: its provision in the LA (RECORDED), how
    many placements there are at it and which schools recorded them."""

    provision: Provision
    placeholder: bool  # still called by the name AP Hub made up (or standing for providers a school did not name)
    placements: int
    schools: list[str] = field(default_factory=list)
    may_rename: bool = False  # the page sets it: permissions.can_rename_recorded_provider

    @property
    def provider(self) -> Provider:
        return self.provision.provider


def recorded_providers(user: User) -> list[RecordedProvider]:
    """The LA's recorded providers: those still called by a made-up name first (the LA's to put right), then by name."""
    provisions = list(
        Provision.objects.visible_to(user)
        .filter(status=Provision.Status.RECORDED)
        .select_related("provider", "recorded_by_school")
        .annotate(placement_count=Count("placements", filter=~Q(placements__status=Placement.Status.CANCELLED)))
    )
    schools: dict[int, set[str]] = defaultdict(set)
    recorded_by = (
        Placement.objects.visible_to(user)
        .filter(provision__in=[provision.pk for provision in provisions], commissioning_school__isnull=False)
        .values_list("provision_id", "commissioning_school__name")
        .distinct()
    )
    for provision_id, school in recorded_by:
        schools[provision_id].add(school)
    rows = []
    for provision in provisions:
        named = schools[provision.pk] or (
            {provision.recorded_by_school.name} if provision.recorded_by_school else set()
        )
        rows.append(
            RecordedProvider(
                provision=provision,
                placeholder=has_placeholder_name(provision.provider),
                placements=provision.placement_count,  # type: ignore[attr-defined]
                schools=sorted(named),
            )
        )
    rows.sort(key=lambda row: (not row.placeholder, row.provider.legal_name.casefold(), row.provision.pk))
    return rows


def recorded_provision(user: User, pk: int) -> Provision | None:
    """One of the LA's recorded provisions, with its provider; None for one the user may not see (a 404)."""
    return (
        Provision.objects.visible_to(user)
        .filter(status=Provision.Status.RECORDED, pk=pk)
        .select_related("provider")
        .first()
    )
