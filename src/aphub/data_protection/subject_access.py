"""Subject access export (UK GDPR Article 15): every row, in every table, that holds one child's data.

The tables are found, not listed: any model with a chain of foreign keys to pupils.Pupil (up to three steps, such
as OutcomeScore -> Review -> Placement -> Pupil) is included, so a table added next year is exported without anyone
remembering to add it here. The access-log rows about those records are added too. Uploaded files are listed by
name and size; their contents are sent separately by the DPO.
"""

import datetime
from collections import deque
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.apps import apps
from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone

from aphub.audit.models import AccessLogEntry, SecurityEvent
from aphub.core.clock import now
from aphub.pupils.models import Pupil

MAX_STEPS = 3
LOGS = (AccessLogEntry, SecurityEvent)


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    lookup: str  # e.g. "placement__pupil"

    @property
    def label(self) -> str:
        return self.model._meta.label


def _forward_relations(model: type[models.Model]):
    for field in model._meta.get_fields():
        if isinstance(field, models.ForeignKey | models.OneToOneField) and field.concrete:
            yield field


def tables_holding_pupil_data() -> list[Table]:
    """Every model that reaches Pupil through foreign keys, with the shortest lookup from it to the pupil."""
    target = Pupil
    found = [Table(target, "pk")]
    for model in apps.get_models():
        if model is target or model in LOGS:
            continue
        # Breadth first, so the shortest chain wins (Placement.pupil rather than Placement.episode.pupil).
        queue = deque([(model, "", 0)])
        seen = {model}
        while queue:
            current, prefix, steps = queue.popleft()
            if steps == MAX_STEPS:
                continue
            hit = None
            for field in _forward_relations(current):
                if field.related_model is target:
                    hit = f"{prefix}{field.name}"
                    break
            if hit:
                found.append(Table(model, hit))
                break
            for field in _forward_relations(current):
                related = field.related_model
                if related not in seen and related._meta.app_label not in ("organisations", "auth", "contenttypes"):
                    seen.add(related)
                    queue.append((related, f"{prefix}{field.name}__", steps + 1))
    return found


def _row(obj: models.Model) -> dict:
    data = model_to_dict(obj)
    data["id"] = obj.pk
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.FileField):
            stored = getattr(obj, field.name)
            data[field.name] = stored.name if stored else ""
        elif field.choices and getattr(obj, field.name) not in (None, ""):
            data[f"{field.name}_label"] = str(getattr(obj, f"get_{field.name}_display")())
    for name, value in list(data.items()):
        if isinstance(value, list):  # many-to-many: keep readable labels
            data[name] = [str(item) for item in value]
    return data


def export_pupil(pupil: models.Model) -> dict:
    """The child's data as JSON-ready dicts, table by table, plus who saw or changed each record."""
    tables: dict[str, list[dict]] = {}
    touched: set[tuple[str, str]] = set()
    for table in tables_holding_pupil_data():
        rows = table.model._default_manager.filter(**{table.lookup: pupil.pk}).order_by("pk")
        tables[table.label] = [_row(obj) for obj in rows]
        touched.update((table.label, str(obj["id"])) for obj in tables[table.label])
    log_rows = [
        {
            "at": entry.at,
            "who": entry.user_email,
            "role": entry.role,
            "organisation": entry.organisation,
            # A list names other children too: the export says which list, never who else was on it.
            "record": entry.list_name if entry.is_list else f"{entry.object_type} {entry.object_id}",
            "what": what,
            "verb": entry.verb,
        }
        for entry, what in _access_history(pupil)
    ]
    return {
        "subject": {"upn": pupil.upn, "name": f"{pupil.first_name} {pupil.last_name}"},
        "exported_at": now(),
        "tables": tables,
        "access_log": log_rows,
    }


def _access_history(pupil: models.Model) -> list[tuple[AccessLogEntry, str]]:
    """Every access-log entry about the child's records or naming them on a list, oldest first, each in words."""
    from .queries import about_children
    from .readable import list_words, readable

    entries = AccessLogEntry.objects.filter(about_children([pupil.pk])).order_by("at", "id")
    return [(row.entry, list_words(row.entry) if row.entry.is_list else row.what) for row in readable(entries)]


# -- The document a parent reads --------------------------------------------------------------------------------

# Each table's heading and a sentence saying what it is, in the words a parent would use. A table not named here is
# still in the document, under its own name: nothing is left out because nobody wrote it a sentence.
SECTIONS: dict[str, tuple[str, str]] = {
    "pupils.Pupil": ("About the child", "The details we hold about who the child is."),
    "pupils.Enrolment": ("Schools", "The schools the child has been on the roll of."),
    "placements.Episode": (
        "Why alternative provision was needed",
        "Each exclusion, health need or other reason recorded for the child. Recording one starts the legal duties "
        "listed further down.",
    ),
    "placements.Referral": ("Referrals to the alternative provision panel", "What the school or council asked for."),
    "placements.ReferralDocument": (
        "Documents sent with referrals",
        "Listed by name and size. Copies of the documents themselves are sent with this export.",
    ),
    "placements.PanelDecision": ("The panel's decisions", "What the panel decided about each referral, and why."),
    "placements.Placement": ("Placements", "Where the child was offered or given a place, when, and on what terms."),
    "placements.WaitingListEntry": ("Waiting lists", "Places the child waited for."),
    "placements.AttendanceMark": ("Attendance", "The attendance mark recorded for each morning or afternoon."),
    "placements.AttendanceMonth": (
        "Attendance by month",
        "The sessions attended and missed in each month of a placement, counted from the attendance marks.",
    ),
    "placements.AbsenceAlert": ("Absence alerts", "Messages sent when the child was absent without a reason."),
    "placements.Review": ("Reviews", "Reviews of each placement, including what the child and parents said."),
    "placements.OutcomeScore": ("Outcome scores", "The scores given at each review."),
    "placements.FollowUp": ("Follow-ups after a placement ended", "Checks on whether the child's next step lasted."),
    "duties.Clock": (
        "Legal duties and their deadlines",
        "The deadlines the law sets for the council or school to act, and whether they were met.",
    ),
    "duties.Reminder": ("Reminders about those duties", "Reminders sent to staff before a deadline."),
    "funding.FundingLine": ("Funding", "What was paid for the child's placements, and by whom."),
}
COMPACT = {
    "placements.AttendanceMark",
    "placements.AttendanceMonth",
    "placements.AbsenceAlert",
    "placements.OutcomeScore",
}
HIDDEN_FIELDS = {"id"}


@dataclass
class Section:
    heading: str
    about: str
    compact: bool
    columns: list[str] = dataclass_field(default_factory=list)
    records: list[list[tuple[str, str]]] = dataclass_field(default_factory=list)


def _attendance_code(code: str) -> str:
    from aphub.placements.attendance.codes import BY_CODE

    known = BY_CODE.get(code)
    return known.label if known else code


# Codes that mean nothing to a parent, said in words (the DfE attendance codes: "/" is "/ – Present").
FIELD_WORDS = {("placements.AttendanceMark", "code"): _attendance_code}


def _words(obj: models.Model, model_field: models.Field) -> str:
    value = getattr(obj, model_field.name)
    if value is None or value == "":
        return ""
    if explain := FIELD_WORDS.get((obj._meta.label, model_field.name)):
        return explain(value)
    if model_field.choices:
        return str(getattr(obj, f"get_{model_field.name}_display")())
    if isinstance(model_field, models.FileField):
        return value.name
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        return f"{local.day} {local:%B %Y, %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _label(model_field: models.Field) -> str:
    return str(model_field.verbose_name)[:1].upper() + str(model_field.verbose_name)[1:]


def readable_export(pupil: models.Model) -> dict:
    """The export as a document: a section per table in plain words, then who saw or changed the records.

    Every field that holds a value is shown, with its label; the child's own id, and the link from each record back
    to the child, are left out as they say nothing to a reader. Related records are named (a provision's name, a
    school's name), fetched with the rows, not one by one.
    """
    sections = []
    for table in tables_holding_pupil_data():
        heading, about = SECTIONS.get(table.label, (str(table.model._meta.verbose_name_plural).capitalize(), ""))
        to_child = table.lookup.split("__")[0]
        shown = [
            model_field
            for model_field in table.model._meta.concrete_fields
            if model_field.name not in HIDDEN_FIELDS and not (table.lookup != "pk" and model_field.name == to_child)
        ]
        related = [f.name for f in shown if isinstance(f, models.ForeignKey | models.OneToOneField)]
        many = [f.name for f in table.model._meta.many_to_many]
        rows = (
            table.model._default_manager.filter(**{table.lookup: pupil.pk})
            .select_related(*related)
            .prefetch_related(*many)
            .order_by("pk")
        )
        section = Section(heading, about, compact=table.label in COMPACT, columns=[_label(f) for f in shown])
        for obj in rows:
            pairs = [(_label(f), _words(obj, f)) for f in shown]
            pairs += [
                (_label(table.model._meta.get_field(name)), ", ".join(str(item) for item in getattr(obj, name).all()))
                for name in many
            ]
            section.records.append(pairs if section.compact else [(label, text) for label, text in pairs if text])
        sections.append(section)
    history = [
        {
            "at": entry.at,
            "organisation": entry.organisation,
            "role": dict(_roles()).get(entry.role, entry.role),
            "did": _verb_words().get(entry.verb, entry.verb),
            "what": what,
        }
        for entry, what in _access_history(pupil)
    ]
    return {"pupil": pupil, "prepared_at": now(), "sections": sections, "history": history}


def _roles():
    from aphub.organisations.models import Role

    return Role.choices


def _verb_words() -> dict[str, str]:
    from .readable import VERB_WORDS

    return VERB_WORDS


def subject_access_pdf(pupil: models.Model) -> bytes:
    from django.template.loader import render_to_string

    from aphub.core.files.pdf import html_to_pdf

    return html_to_pdf(render_to_string("audit/subject_access_pdf.html", {"export": readable_export(pupil)}))
