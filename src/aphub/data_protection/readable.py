"""The access log in words: "Placement at Greenway Farm, started 3 March 2026" for Sam Jones (UPN ...), not
`placements.Placement 12`.

A page of entries is read in a fixed number of queries whatever its length: one per kind of record on the page (each
fetched with its child and what its words need), and one for the children named by list rows. A record that no
longer exists (erased) is still named by its kind and number.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db import models

from aphub.audit.models import AccessLogEntry
from aphub.audit.services import PUPIL_LABEL
from aphub.core.days.dates import long_date
from aphub.placements.models import Placement
from aphub.pupils.models import Pupil

VERB_WORDS = {
    AccessLogEntry.Verb.VIEW: "Viewed",
    AccessLogEntry.Verb.CREATE: "Created",
    AccessLogEntry.Verb.CHANGE: "Changed",
    AccessLogEntry.Verb.EXPORT: "Exported",
    AccessLogEntry.Verb.ERASE: "Erased",
}


@dataclass(frozen=True)
class Child:
    pk: int
    name: str
    upn: str


@dataclass
class ReadableEntry:
    entry: AccessLogEntry
    did: str
    what: str
    children: list[Child] = field(default_factory=list)

    @property
    def role(self) -> str:
        from aphub.organisations.models import Role

        return dict(Role.choices).get(self.entry.role, self.entry.role)


def _on(prefix: str, placement) -> str:
    return f"{prefix} {placement.provision.name}" if placement is not None else prefix


def _placement(obj) -> str:
    started = "started" if obj.status in (Placement.Status.ACTIVE, Placement.Status.ENDED) else "starting"
    return f"Placement at {obj.provision.name}, {started} {long_date(obj.start_date)}"


def _clock(obj) -> str:
    from aphub.duties.queries import rule_title

    return f"Statutory duty: {rule_title(obj.rule)}, due {long_date(obj.due_on)}"


# What each kind of record is called, and the relations its words read (fetched with it, never one by one).
WORDS: dict[str, tuple[Callable[[models.Model], str], tuple[str, ...]]] = {
    PUPIL_LABEL: (lambda obj: "The child's record", ()),
    "pupils.Enrolment": (
        lambda obj: f"School place at {obj.school.name} from {long_date(obj.start_date)}",
        ("school",),
    ),
    "placements.Episode": (
        lambda obj: f"{obj.route.get_kind_display()} from {long_date(obj.start_date)}",
        ("route",),
    ),
    "placements.Referral": (lambda obj: f"Referral to the AP panel ({obj.get_status_display().lower()})", ()),
    "placements.ReferralDocument": (lambda obj: f"Referral document: {obj.title}", ()),
    "placements.PanelDecision": (
        lambda obj: f"Panel decision: {obj.get_outcome_display().lower()}, {long_date(obj.decided_at.date())}",
        (),
    ),
    "placements.Placement": (_placement, ("provision",)),
    "placements.WaitingListEntry": (lambda obj: f"Waiting list for {obj.provision.name}", ("provision",)),
    "placements.AttendanceMark": (
        lambda obj: _on(f"Attendance, {long_date(obj.date)} {obj.get_session_display().lower()}, at", obj.placement),
        ("placement__provision",),
    ),
    "placements.Review": (
        lambda obj: _on(
            f"{obj.get_kind_display()} review, {long_date(obj.held_on)}, of the placement at", obj.placement
        ),
        ("placement__provision",),
    ),
    "placements.FollowUp": (
        lambda obj: _on(f"{obj.weeks_after_exit}-week follow-up after the placement at", obj.placement),
        ("placement__provision",),
    ),
    "duties.Clock": (_clock, ()),
    # The LA's own records it changes (decisions 0026 and 0027): a recorded provider's name, a colleague's role.
    "organisations.Provider": (lambda obj: f"Provider: {obj.display_name}", ()),
    "directory.Provision": (lambda obj: f"Provision: {obj.name}", ()),
    "organisations.User": (lambda obj: f"Account of {obj.full_name} ({obj.email})", ()),
    "organisations.Membership": (
        lambda obj: f"Role of {obj.user.full_name}: {obj.get_role_display()} at {obj.organisation}",
        ("user", "local_authority", "school", "provider"),
    ),
    # The LA's strategy action plan (issue 14): named by its number, as the committee knows it.
    "insight.StrategyAction": (lambda obj: f"Strategy action {obj.number}", ()),
}


@cache
def _lookups_to_pupil() -> dict[str, str]:
    """Record kind -> the foreign-key path from it to its child ("placement__pupil"); found, not listed."""
    from .subject_access import tables_holding_pupil_data

    return {table.label: table.lookup for table in tables_holding_pupil_data()}


@cache
def _models_by_label() -> dict[str, type[models.Model]]:
    # The log keeps any record's kind as its label ("placements.Placement"), so it is read back through the registry
    # of every installed model rather than an import per kind.
    return {model._meta.label: model for model in apps.get_models()}


def _model(label: str) -> type[models.Model] | None:
    return _models_by_label().get(label)


def _pupil_of(obj: models.Model, lookup: str):
    if lookup == "pk":
        return obj
    for step in lookup.split("__"):
        obj = getattr(obj, step, None)
        if obj is None:
            return None
    return obj


def _child(pupil) -> Child:
    return Child(pk=pupil.pk, name=pupil.full_name, upn=pupil.upn)


def _kind_words(label: str) -> str:
    model = _model(label)
    return str(model._meta.verbose_name).capitalize() if model else label


def _records(entries: list[AccessLogEntry]) -> dict[tuple[str, str], tuple[str, Child | None]]:
    """(kind, id) -> (words, child) for every single-record entry, one query per kind of record."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if not entry.is_list and entry.object_id.isdigit():
            wanted.setdefault(entry.object_type, set()).add(int(entry.object_id))
    found: dict[tuple[str, str], tuple[str, Child | None]] = {}
    for label, ids in wanted.items():
        model = _model(label)
        if model is None:
            continue
        words, related = WORDS.get(label, (None, ()))
        lookup = _lookups_to_pupil().get(label)
        select = set(related)
        if lookup and lookup != "pk":
            select.add(lookup)
        for obj in model._default_manager.filter(pk__in=ids).select_related(*select):
            pupil = _pupil_of(obj, lookup) if lookup else None
            text = words(obj) if words else f"{_kind_words(label)} {obj.pk}"
            found[(label, str(obj.pk))] = (text, _child(pupil) if pupil is not None else None)
    return found


def _listed_children(entries: list[AccessLogEntry]) -> dict[int, Child]:
    ids = {pk for entry in entries if entry.is_list for pk in entry.listed_pupil_ids}
    if not ids:
        return {}
    return {pupil.pk: _child(pupil) for pupil in Pupil._default_manager.filter(pk__in=ids)}


def list_words(entry: AccessLogEntry) -> str:
    count = entry.count_shown
    page = f", page {entry.page_number}" if entry.page_number else ""
    return f"{entry.list_name}{page}: {count} {'child' if count == 1 else 'children'}"


OUTSIDE = "A child outside your local authority"


def _hide_unseen(reader, records: dict, listed: dict[int, Child]) -> None:
    """A reader is told the names only of children they may see. The log shows what the LA's own people did, and a
    provider working for two councils may have opened another council's child: that child stays unnamed here."""
    named = {child.pk for _, child in records.values() if child} | set(listed)
    if not named:
        return
    seen = set(Pupil.objects.visible_to(reader, erased=True).filter(pk__in=named).values_list("pk", flat=True))
    for key, (text, child) in records.items():
        if child and child.pk not in seen:
            records[key] = (text, Child(pk=child.pk, name=OUTSIDE, upn=""))
    for pk in set(listed) - seen:
        listed[pk] = Child(pk=pk, name=OUTSIDE, upn="")


def readable(entries: Iterable[AccessLogEntry], *, reader=None) -> list[ReadableEntry]:
    """The entries in words, each with the child (or, for a list, the children) it was about; with a `reader`, only
    the children that reader may see are named."""
    entries = list(entries)
    records = _records(entries)
    listed = _listed_children(entries)
    if reader is not None:
        _hide_unseen(reader, records, listed)
    rows = []
    for entry in entries:
        did = VERB_WORDS.get(entry.verb, entry.verb)
        if entry.is_list:
            children = [
                listed.get(pk) or Child(pk=pk, name="A child no longer held", upn="") for pk in entry.listed_pupil_ids
            ]
            rows.append(ReadableEntry(entry, did, list_words(entry), children))
            continue
        text, child = records.get(
            (entry.object_type, entry.object_id),
            (f"{_kind_words(entry.object_type)} {entry.object_id} (no longer held)", None),
        )
        rows.append(ReadableEntry(entry, did, text, [child] if child else []))
    return rows
