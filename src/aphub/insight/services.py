"""Loading the DfE's published figures of school-arranged AP for the user's LA: the whole file checked first
(insight.dfe.read_figures names every bad line), then every figure of the LA's written, or none. Likewise the LA's
published yearly series (its permanent exclusions, say) for the forecast dashboard (load_published_series).

A figure is found again by its LA, academic year, measure, setting and reason: loading the same file twice changes
nothing, and a corrected file (the DfE revises its figures) changes only the figures that differ.
"""

from dataclasses import dataclass, field

from django.db import transaction

from aphub.audit.services import log_access, log_access_many
from aphub.core.clock import now
from aphub.core.errors import Problems
from aphub.core.forms.validators import at_most, check_required
from aphub.core.model_fields import max_length
from aphub.core.permissions import require
from aphub.organisations.models import LocalAuthority, User
from aphub.organisations.queries import membership_of

from .dashboards import figures_changed
from .dfe import FigureRow, read_figures
from .models import Measure, PublishedFigure, PublishedSeries
from .permissions import can_load_published_figures, can_load_published_series
from .published_series import read_la_series
from .queries import academic_year_label

# What a file may change on a figure it finds again.
FIGURE_FIELDS = ("value", "suppressed_as", "new_la_code", "old_la_code")


@dataclass
class LoadOutcome:
    measure: str
    created: list[PublishedFigure] = field(default_factory=list)
    changed: list[PublishedFigure] = field(default_factory=list)
    unchanged: list[PublishedFigure] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{Measure(self.measure).label}, {', '.join(self.periods)}: {len(self.created)} figures new, "
            f"{len(self.changed)} changed, {len(self.unchanged)} unchanged"
        )


def load_published_figures(*, user: User, content: bytes, file_name: str) -> LoadOutcome:
    """Load the user's LA's figures from one of the DfE's files (dfe.py); raises ImportRejected, writing nothing,
    when any line of the LA's is bad, when the header is not the DfE's, or when the file has no figure of the LA's."""
    membership = membership_of(user)
    require(can_load_published_figures(membership), "Only the local authority's admins load published figures")
    assert membership is not None and membership.local_authority is not None
    local_authority: LocalAuthority = membership.local_authority
    measure, rows = read_figures(content, local_authority)
    outcome = LoadOutcome(measure=measure, periods=sorted({row.time_period for row in rows}))
    source = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    with transaction.atomic():
        existing = {
            (figure.time_period, figure.measure, figure.setting, figure.reason): figure
            for figure in PublishedFigure.objects.select_for_update().filter(
                local_authority=local_authority, measure=measure, time_period__in=outcome.periods
            )
        }
        for row in rows:
            figure = existing.get(row.key)
            if figure is None:
                outcome.created.append(_new_figure(row, local_authority, user, source))
            elif any(getattr(figure, name) != getattr(row, name) for name in FIGURE_FIELDS):
                for name in FIGURE_FIELDS:
                    setattr(figure, name, getattr(row, name))
                figure.source_file, figure.loaded_by, figure.loaded_at = source, user, now()
                outcome.changed.append(figure)
            else:
                outcome.unchanged.append(figure)
        PublishedFigure.objects.bulk_create(outcome.created)
        PublishedFigure.objects.bulk_update(
            outcome.changed, [*FIGURE_FIELDS, "source_file", "loaded_by", "loaded_at"], batch_size=500
        )
        log_access_many(user=user, objs=outcome.created, verb="create")
        log_access_many(user=user, objs=outcome.changed, verb="change")
    return outcome


def _new_figure(row: FigureRow, local_authority: LocalAuthority, user: User, source: str) -> PublishedFigure:
    return PublishedFigure(
        local_authority=local_authority,
        new_la_code=row.new_la_code,
        old_la_code=row.old_la_code,
        time_period=row.time_period,
        year_starting=row.year_starting,
        measure=row.measure,
        setting=row.setting,
        reason=row.reason,
        value=row.value,
        suppressed_as=row.suppressed_as,
        source_file=source,
        loaded_by=user,
    )


# --- The LA's published DfE series (issue 14) ----------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesLoaded:
    series: PublishedSeries
    replaced: bool
    rows: int

    def __str__(self) -> str:
        years = self.series.years
        return (
            f"{self.series.measure}, {academic_year_label(years[0])} to {academic_year_label(years[-1])} "
            f"({len(years)} years from {self.rows} rows of the file)"
            + (", replacing the one loaded before" if self.replaced else "")
        )


SERIES_NAME_LENGTH = max_length(PublishedSeries, "measure")
SERIES_NAME = at_most(SERIES_NAME_LENGTH, "The name")
SERIES_NAME_MISSING = "Enter a name for the series"


def load_published_series(
    *, user: User, content: bytes, file_name: str, measure: str, value: str, period: str, where: dict[str, str]
) -> SeriesLoaded:
    """Keep the user's LA's yearly series of `value` from one of the DfE's files (published_series.read_la_series) as
    its published series `measure`, replacing one of the same name (case aside). Raises ImportRejected, keeping
    nothing, when any of the LA's lines is bad or the file has none of them. The change is in the access log."""
    membership = membership_of(user)
    require(can_load_published_series(membership), "Only the local authority's officers and admins load series")
    assert membership is not None and membership.local_authority is not None
    local_authority: LocalAuthority = membership.local_authority
    problems = Problems()
    measure = check_required(
        problems, SERIES_NAME, " ".join(measure.split()), field="measure", missing=SERIES_NAME_MISSING
    )
    problems.raise_any()
    found = read_la_series(content, local_authority, value=value, period=period, where=where)
    fields = {
        "measure": measure,
        "value_column": value.strip(),
        "rows_chosen": "; ".join(f"{column}={text}" for column, text in where.items())[:500],
        "source_file": file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200],
        "points": [[year, number] for year, number in found.points],
        "uploaded_by": user,
        "uploaded_at": now(),
    }
    with transaction.atomic():
        series = (
            PublishedSeries.objects.select_for_update()
            .filter(local_authority=local_authority, measure__iexact=fields["measure"])
            .first()
        )
        replaced = series is not None
        if series is None:
            series = PublishedSeries.objects.create(local_authority=local_authority, **fields)
        else:
            for name, given in fields.items():
                setattr(series, name, given)
            series.save()
        log_access(user=user, obj=series, verb="change" if replaced else "create")
    figures_changed(local_authority.pk)
    return SeriesLoaded(series=series, replaced=replaced, rows=found.rows)
