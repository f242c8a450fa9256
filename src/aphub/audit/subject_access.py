"""Subject access export (UK GDPR Article 15): every row, in every table, that holds one child's data.

The tables are found, not listed: any model with a chain of foreign keys to pupils.Pupil (up to three steps, such
as OutcomeScore -> Review -> Placement -> Pupil) is included, so a table added next year is exported without anyone
remembering to add it here. The access-log rows about those records are added too. Uploaded files are listed by
name and size; their contents are sent separately by the DPO.
"""

from collections import deque
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.forms.models import model_to_dict

from aphub.core.clock import now

from .models import AccessLogEntry, SecurityEvent

MAX_STEPS = 3
LOGS = (AccessLogEntry, SecurityEvent)


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    lookup: str  # e.g. "placement__pupil"

    @property
    def label(self) -> str:
        return self.model._meta.label


def pupil_model() -> type[models.Model]:
    return apps.get_model("pupils", "Pupil")


def _forward_relations(model: type[models.Model]):
    for field in model._meta.get_fields():
        if isinstance(field, models.ForeignKey | models.OneToOneField) and field.concrete:
            yield field


def tables_holding_pupil_data() -> list[Table]:
    """Every model that reaches Pupil through foreign keys, with the shortest lookup from it to the pupil."""
    target = pupil_model()
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
            "record": f"{entry.object_type} {entry.object_id}",
            "verb": entry.verb,
        }
        for entry in AccessLogEntry.objects.filter(
            object_type__in={label for label, _ in touched}, object_id__in={pk for _, pk in touched}
        ).order_by("at", "id")
        if (entry.object_type, entry.object_id) in touched
    ]
    return {
        "subject": {"upn": pupil.upn, "name": f"{pupil.first_name} {pupil.last_name}"},
        "exported_at": now(),
        "tables": tables,
        "access_log": log_rows,
    }
