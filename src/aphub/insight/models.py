"""What insight keeps of its own: the DfE's published figures an LA loaded, to set its own figures beside, the LA's
published yearly series to forecast (PublishedSeries), and the LA's strategy action plan (StrategyAction).

The city-wide view itself keeps nothing: it reads placements live (insight.queries). The DfE publishes school-arranged
AP once a year (from the school census AP module) by LA: placements by type of setting, and pupils by placement
reason and type of setting. An LA admin loads the files (insight.services.load_published_figures); each row of the
LA's own becomes one PublishedFigure, found again by what it measures, so loading a file twice changes nothing.
"""

from django.db import models
from django.db.models import Q

from aphub.core.clock import now
from aphub.core.days.school_years import academic_year_label
from aphub.core.scoping import ScopedQuerySet
from aphub.organisations.models import LocalAuthority, Role, User
from aphub.organisations.scoping import LocalAuthorityScopedQuerySet
from aphub.placements.models import PlacementReason, SettingCategory

# A figure's "all of them" row: the DfE's Total, for a setting or a reason.
TOTAL = "total"
SETTINGS_AND_TOTAL = [*SettingCategory.choices, (TOTAL, "Total")]
REASONS_AND_TOTAL = [*PlacementReason.choices, (TOTAL, "Total")]


class Measure(models.TextChoices):
    PLACEMENTS_BY_SETTING = "placements-by-setting", "School-arranged placements by type of setting"
    PUPILS_BY_REASON = "pupils-by-reason", "Pupils in school-arranged AP by placement reason and type of setting"


class PublishedFigureQuerySet(ScopedQuerySet["PublishedFigure"]):
    def for_la_officer(self, membership) -> "PublishedFigureQuerySet":
        return self.filter(local_authority_id=membership.local_authority_id)

    for_la_admin = for_auditor = for_la_officer
    # Schools and providers see none: the comparison is the LA's.


class PublishedFigure(models.Model):
    """One published number for one LA: a measure, in an academic year, for a type of setting (and, for pupils by
    reason, a placement reason). `value` is None where the DfE suppressed it (`suppressed_as` keeps its symbol)."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    # As the file gives them: the ONS code (E10000030) and the DfE's three-digit LA number (936).
    new_la_code = models.CharField(max_length=9, blank=True)
    old_la_code = models.CharField(max_length=3, blank=True)
    # The DfE's time period, e.g. 202223 for the academic year 2022/23; the year it starts, 2022, for choosing.
    time_period = models.CharField(max_length=6)
    year_starting = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=30, choices=Measure.choices)
    setting = models.CharField(max_length=20, choices=SETTINGS_AND_TOTAL)
    reason = models.CharField(max_length=20, choices=REASONS_AND_TOTAL, blank=True)  # pupils by reason only
    value = models.PositiveIntegerField(null=True, blank=True)
    suppressed_as = models.CharField(max_length=5, blank=True)  # "x", "c"... or "" where the value was blank
    source_file = models.CharField(max_length=200)
    loaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    loaded_at = models.DateTimeField(default=now)

    objects = PublishedFigureQuerySet.as_manager()

    class Meta:
        ordering = ["-year_starting", "measure", "setting", "reason"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "time_period", "measure", "setting", "reason"],
                name="published_figure_once",
            ),
            models.CheckConstraint(
                condition=Q(measure=Measure.PUPILS_BY_REASON) | Q(reason=""), name="published_figure_reason_for_pupils"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}, {self.time_period}: {self.value}"

    @property
    def suppressed(self) -> bool:
        return self.value is None


# --- The strategy action plan (issue 14) ------------------------------------------------------------------------


class StrategyActionQuerySet(LocalAuthorityScopedQuerySet["StrategyAction"]):
    """The LA's officers, admins and auditor read its plan; schools, providers and finance officers none."""

    local_authority_path = "local_authority_id"


class StrategyAction(models.Model):
    """One action of the LA's AP strategy, as its committee follows it: who owns it, when it is due, where it stands
    (its status, and its RAG rating: red, amber or green) and the evidence for that, kept up to date by officers.

    An LA starts from its strategy's own actions (seed 004, Solihull's AP commissioning strategy, section 14: ten;
    data/strategy_actions.toml) or adds its own. The committee pack (issue 14) reports the plan as it stands."""

    class Status(models.TextChoices):
        NOT_STARTED = "not-started", "Not started"
        IN_PROGRESS = "in-progress", "In progress"
        DONE = "done", "Done"

    class Rag(models.TextChoices):
        # The committee's rating of the action against its due date and aim: off track, at risk, on track (or done).
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    title = models.TextField()
    owner = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=11, choices=Status.choices, default=Status.NOT_STARTED)
    # Blank until someone rates it: a new action has no rating yet, which is not the same as green.
    rag = models.CharField("RAG rating", max_length=5, choices=Rag.choices, blank=True)
    evidence = models.TextField(blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(default=now)

    objects = StrategyActionQuerySet.as_manager()

    class Meta:
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "number"], name="strategy_action_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="strategy_action_number_positive"),
        ]

    def __str__(self) -> str:
        return f"Action {self.number}: {self.title}"


# --- The LA's published DfE series, forecast beside its own history (issue 14) -------------------------------------


class PublishedSeriesQuerySet(LocalAuthorityScopedQuerySet["PublishedSeries"]):
    """The LA's officers, admins and auditor read its series; schools, providers and finance officers none."""

    local_authority_path = "local_authority_id"


class PublishedSeries(models.Model):
    """A yearly series the DfE publishes for the LA (its permanent exclusions, say), picked from one of the DfE's
    files by its LA codes or name and forecast on the forecast dashboard beside the LA's own history.

    `points` are the years in order, oldest first, each `[year it starts, value]`: consecutive years, the value None
    where the DfE suppressed it (`c`, `x`, `z`) or gave none. Loading the same measure again replaces the series."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=100)  # the name the LA gives it, e.g. "Permanent exclusions"
    value_column = models.CharField(max_length=100)  # the file's column of values, e.g. perm_excl
    rows_chosen = models.CharField(max_length=500, blank=True)  # the filters, e.g. "school_type=Total"
    source_file = models.CharField(max_length=200)
    points = models.JSONField()
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(default=now)

    objects = PublishedSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "pk"]
        verbose_name_plural = "published series"
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "measure"], name="published_series_measure_once")
        ]

    def __str__(self) -> str:
        return self.measure

    @property
    def years(self) -> list[int]:
        return [int(year) for year, _ in self.points]

    @property
    def values(self) -> list[float | None]:
        return [None if value is None else float(value) for _, value in self.points]

    @property
    def span(self) -> str:
        """The academic years it covers, as the DfE names them: 2006/07 to 2016/17."""
        return f"{academic_year_label(self.years[0])} to {academic_year_label(self.years[-1])}"


# --- Committee packs made in the background (issue 14) -----------------------------------------------------------


class PackRequestQuerySet(LocalAuthorityScopedQuerySet["PackRequest"]):
    """The LA's officers, admins and auditor see the LA's packs (whoever asked); schools, providers and finance
    officers none, as they are refused the pack itself."""

    local_authority_path = "local_authority_id"


class PackRequest(models.Model):
    """One committee pack an LA's staff asked for: its period and format, who asked and when, and where its making
    stands. The task queue makes it (insight.tasks.make_committee_pack) so no web request waits for WeasyPrint; the
    file is kept in the private file storage (never under a public URL) and served only through
    insight:committee-pack-download. `aphub sweep-committee-packs` deletes packs 30 days after they were asked for.

    While one is queued or being made, asking again for the same period and format (by a reader in the same role)
    gives the same request (the
    constraint below makes that hold when two officers press the button at once)."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        MAKING = "making", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=20)  # the period's choice: "2025" (2025/26) or "2025-autumn"
    period_label = models.CharField(max_length=40)  # as the pack names it: "2025/26", "Autumn term 2025/26"
    format = models.CharField(max_length=4, choices=Format.choices)
    # The asker's role: the pack is made as a reader in that role (insight.pack.reader_for), so it holds only the
    # figures that role may see (an auditor's none by a child's sensitive facts), and is offered to those who may.
    reader_role = models.CharField(max_length=20, choices=Role.choices)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.QUEUED)
    # Why a pack failed, in words an officer can act on; the traceback goes to the server's log, never the page.
    failure_reason = models.CharField(max_length=300, blank=True)
    file = models.FileField(upload_to="committee-packs/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=120, blank=True)  # the name it downloads as, without a folder
    size = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(default=now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PackRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "period", "format", "reader_role"],
                condition=Q(status__in=["queued", "making"]),
                name="pack_request_one_in_hand",
            ),
        ]

    def __str__(self) -> str:
        return f"Committee pack {self.period_label} ({self.get_format_display()})"

    @property
    def in_hand(self) -> bool:
        """Queued or being made: the page asks the reader to refresh it."""
        return self.status in (self.Status.QUEUED, self.Status.MAKING)
