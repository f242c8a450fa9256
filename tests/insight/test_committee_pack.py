"""The committee pack (issue 14): the demo LA's report for Schools Forum or scrutiny, as a PDF of several pages with
a chart for every figure and as a workbook of its tables, naming no child and withholding every count under the LA's
threshold; made by the task worker when an officer asks on its page (tests/insight/test_pack_requests.py tests the
asking), or by `aphub committee-pack`.

The demo's PDF and workbook are made once for the class, by the task as the worker runs it: a PDF of the demo LA
takes WeasyPrint many seconds, and the tests only read it."""

import functools
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from weasyprint import HTML

from aphub.core.clock import today
from aphub.core.days.school_years import school_year_start
from aphub.core.figures import SUPPRESSED
from aphub.core.files.pdf import BASE_URL, StaticFilesOnly
from aphub.duties.services import update_policy
from aphub.insight import pack, pack_requests
from aphub.insight.dashboards import dashboards
from aphub.insight.dashboards.filters import DashboardFilters, period_of
from aphub.insight.models import PackRequest
from aphub.insight.publication import withheld_summary
from aphub.organisations.models import LocalAuthority, Role, User
from aphub.placements.models import Placement
from aphub.pupils.models import Pupil
from tests.built_once import built_once
from tests.factories import PlacementFactory, member

pytestmark = pytest.mark.django_db
OFFICER = "elmbridge.officer@example.org"
DEMO_LA = "990"
TIER_1 = "Tier 1: targeted support in mainstream"
PACK_OWN_QUERIES = 10


def this_year() -> str:
    return str(school_year_start(today()).year)


def tier_1_children(la: LocalAuthority, how_many: int) -> list[Pupil]:
    """Children the test places in tier 1, the only ones there (the demo's tier 1 placements are moved to tier 2 for
    the test), so the pack has a count of the test's choosing to withhold."""
    Placement.objects.filter(pupil__local_authority=la, tier="1").update(tier="2")
    placements = [
        PlacementFactory(
            pupil__local_authority=la,
            pupil__first_name=f"Zephaniah{index}",
            pupil__last_name=f"Quillfeather{index}",
            episode__route__local_authority=la,
            tier="1",
            start_date=today(),
        )
        for index in range(how_many)
    ]
    return [placement.pupil for placement in placements]


@functools.cache
def pdf_text(pdf: bytes) -> str:
    """The PDF's text as laid out on its pages, a line per line of print (pypdf: no system tool needed). Kept per
    PDF: the demo's pack is read by several tests, and laying its text out takes seconds."""
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)


def pdf_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def charts_laid_out(html: str) -> int:
    """The SVG charts WeasyPrint lays out on the pack's pages (what goes into the PDF), counted box by box."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).render()

    def svgs(box) -> int:
        found = int(type(getattr(box, "replacement", None)).__name__ == "SVGImage")
        return found + sum(svgs(child) for child in getattr(box, "children", []))

    return sum(svgs(page._page_box) for page in document.pages)


def lines_of(text: str) -> set[str]:
    return {" ".join(line.split()) for line in text.splitlines() if line.strip()}


def workbook_sheets(content: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


def made_by_the_worker(user: User, period: str, format: str) -> bytes:
    """The pack asked for as on the page and made by the task as the worker runs it: the file it kept."""
    asked = pack_requests.ask_for_pack(user=user, period=period, format=format)
    assert pack_requests.make_committee_pack.call(asked.request.pk) == "ready"
    asked.request.refresh_from_db()
    with asked.request.file.open("rb") as kept:
        return kept.read()


@pytest.fixture(scope="class")
def demo_packs(django_db_setup, django_db_blocker):
    """The demo, with two children of the test's in tier 1 (a count to withhold), and its pack for this year made
    once by the worker's task as a PDF and as a workbook; with the charts WeasyPrint lays out in the pack's HTML."""
    from aphub.demo.build import build_demo

    def build() -> dict:
        build_demo()
        tier_1_children(LocalAuthority.objects.get(la_code=DEMO_LA), 2)
        officer = User.objects.get(email=OFFICER)
        made = pack.committee_pack_for(officer, period=this_year())
        return {
            "pdf": made_by_the_worker(officer, this_year(), "pdf"),
            "xlsx": made_by_the_worker(officer, this_year(), "xlsx"),
            "charts": charts_laid_out(pack.pack_html(made)),
        }

    yield from built_once(django_db_blocker, build)


@pytest.mark.usefixtures("demo_packs")
class TestTheDemoPack:
    @pytest.fixture
    def la(self) -> LocalAuthority:
        return LocalAuthority.objects.get(la_code=DEMO_LA)

    @pytest.fixture
    def officer(self, client) -> User:
        user = User.objects.get(email=OFFICER)
        client.force_login(user)
        return user

    def test_the_pack_is_a_pdf_of_several_pages_with_the_chart_of_every_figure(self, la, officer, demo_packs):
        made = pack.committee_pack_for(officer, period=this_year())
        drawn = [figure for figure in made.figures if figure.svg]
        assert len(drawn) == len(made.figures) >= 3  # the cohort's tiers and spend by line and by month at least
        assert demo_packs["charts"] == len(drawn)
        pdf = demo_packs["pdf"]
        assert pdf.startswith(b"%PDF") and pdf_pages(pdf) >= 4  # cover, contents, a page a section
        text = pdf_text(pdf)
        assert la.name in text and made.label in text and "Counts under 5 are shown as c" in text
        assert "Page 2 of" in text
        contents = lines_of(text)
        for section in made.sections:
            assert any(line.startswith(f"{section.title} ..") for line in contents), section.title

    @pytest.mark.skipif(
        len(dashboards()) < 4, reason="the flows, timeliness, outcomes, spend, sufficiency and forecast dashboards"
    )
    def test_the_pack_has_at_least_five_charts_once_the_dashboards_are_registered(self, demo_packs):
        assert demo_packs["charts"] >= 5

    def test_the_pack_names_no_child(self, la, demo_packs):
        text = pdf_text(demo_packs["pdf"])
        sheets = workbook_sheets(demo_packs["xlsx"]).values()
        cells = " ".join(str(cell) for rows in sheets for row in rows for cell in row)
        pupils = list(Pupil.objects.filter(local_authority=la))
        assert len(pupils) > 10
        for pupil in pupils:
            born = pupil.date_of_birth
            for identifier in (
                f"{pupil.first_name} {pupil.last_name}",
                pupil.upn,
                born.isoformat(),
                f"{born:%d/%m/%Y}",
                f"{born.day} {born:%B %Y}",
            ):
                assert identifier not in text and identifier not in cells, identifier

    def test_every_count_under_the_threshold_is_withheld_in_the_workbook_and_the_pdf(self, officer, demo_packs):
        start, end, label, year = period_of(this_year())
        filters = DashboardFilters(start=start, end=end, label=label, academic_year=year)
        unpublished = [figure for dashboard in dashboards().values() for figure in dashboard.build(officer, filters)]
        small = [
            (figure, row[0], figure.table.headings[column])
            for figure in unpublished
            for row in figure.table.rows
            for column, value in enumerate(row)
            if figure.table.is_count_column(column) and isinstance(value, int) and 0 < value < 5
        ]
        assert (TIER_1, "In the period") in [(row, heading) for _, row, heading in small]  # the test's two children

        made = pack.committee_pack_for(officer, period=this_year())
        sheets = workbook_sheets(demo_packs["xlsx"])
        # Two dashboards may use the same key (each is unique on its own page): the pack's figures are found by title.
        published = {figure.title: figure for figure in made.figures}
        for figure, row_label, heading in small:
            table = published[figure.title].table
            assert (
                table.rows[[row[0] for row in table.rows].index(row_label)][table.headings.index(heading)] == SUPPRESSED
            )
        # Every count column of every sheet holds no whole number from 1 to 4: each is "c" or bigger, or zero.
        assert list(sheets)[0] == "About this pack"
        for figure, (title, rows) in zip(made.figures, list(sheets.items())[1:], strict=False):
            assert rows[0] == tuple(figure.table.headings), title
            for row in rows[1:]:
                for column, value in enumerate(row):
                    if figure.table.is_count_column(column):
                        assert not (isinstance(value, int) and 0 < value < 5), (title, row)
        assert ("Tier 1: targeted support in mainstream", "c") in [
            tuple(row[:2]) for row in sheets[sheet_of(made, "by-tier")][1:]
        ]

        # The PDF shows each withheld table row as published, and the chart has no bar labelled with the count.
        pdf = pdf_text(demo_packs["pdf"])
        text = lines_of(pdf)
        assert any(line.startswith(f"{TIER_1} c") for line in text)
        # Each withheld row is in the PDF by its label, and the PDF writes a "c" for every withheld cell (a long
        # label or a wide table wraps, so rows are not matched line by line).
        flowing = " ".join(pdf.split())
        withheld = 0
        for figure in made.figures:
            for row in figure.table.shown_rows():
                withheld += row[1:].count("c")
                if "c" in row[1:]:
                    assert row[0].split()[0] in flowing, row
        assert flowing.split().count("c") >= withheld > 0
        by_tier = next(figure for figure in made.figures if figure.key == "by-tier")
        assert '<desc class="value">2</desc>' not in by_tier.svg
        # "69 children in AP" would give the 2 away beside 67 in tier 2: the summary says what is withheld instead.
        assert by_tier.summary == withheld_summary(5)

    def test_a_higher_threshold_in_the_las_policy_withholds_more(self, la, officer):
        tier_1_children(la, 6)
        before = workbook_sheets(made_by_the_worker(officer, this_year(), "xlsx"))
        update_policy(user=member(Role.LA_ADMIN, la), local_authority=la, values={"publication_threshold": 10})
        after = workbook_sheets(made_by_the_worker(officer, this_year(), "xlsx"))
        sheet = next(title for title in before if title.startswith("Children in AP by tier"))
        # The tier table's first count is the period's: the test's six children, then "c" under a threshold of 10.
        assert (TIER_1, 6) in [row[:2] for row in before[sheet]]
        assert (TIER_1, "c") in [row[:2] for row in after[sheet]]
        assert "Counts under 10 are shown as c" in " ".join(
            str(cell) for row in after["About this pack"] for cell in row
        )

    def test_money_is_not_withheld(self, la, officer):
        made = pack.committee_pack_for(officer, period=this_year())
        spend = next(figure for figure in made.figures if figure.key == "spend-against-budget")
        assert spend.table.money and all(value is not SUPPRESSED for row in spend.table.rows for value in row)
        assert "£" in spend.summary
        # Its words stay too: "spent to 3 December" is a date and money, no count of children.
        by_month = next(figure for figure in made.figures if figure.key == "spend-by-month")
        assert " spent to " in by_month.summary

    def test_the_command_writes_the_pack_for_an_la_and_a_year(self, la, tmp_path: Path):
        year = int(this_year())
        out = tmp_path / "pack.pdf"
        call_command("committee-pack", "--la", DEMO_LA, "--period", f"{year}-{(year + 1) % 100:02d}", "--out", str(out))
        assert out.read_bytes().startswith(b"%PDF") and pdf_pages(out.read_bytes()) >= 4
        assert la.name in pdf_text(out.read_bytes())
        workbook = tmp_path / "pack.xlsx"
        call_command(
            "committee-pack",
            "--la",
            DEMO_LA,
            "--period",
            f"{year}-{(year + 1) % 100:02d}",
            "--term",
            "autumn",
            "--out",
            str(workbook),
        )
        assert "About this pack" in workbook_sheets(workbook.read_bytes())


def sheet_of(made, key: str) -> str:
    from aphub.core.files.exports import sheet_title

    taken: list[str] = ["About this pack"]
    for figure in made.figures:
        taken.append(sheet_title(figure.title, taken=taken))
        if figure.key == key:
            return taken[-1]
    raise KeyError(key)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--la", "999", "--period", "2025-26"], "No local authority has the LA code '999'"),
        (["--la", "{la}", "--period", "2025-27"], "2025-27 is not an academic year"),
        (["--la", "{la}", "--period", "2025"], "Give the period as an academic year like 2025-26"),
        (["--la", "{la}", "--period", "twenty"], "Give the period as an academic year"),
        (["--la", "{la}", "--period", "2025-26", "--out", "/no/such/folder/pack.pdf"], "There is no folder"),
        (["--la", "{la}", "--period", "2025-26", "--out", "{tmp}/pack.docx"], "a .pdf or .xlsx file"),
        (["--period", "2025-26"], "the following arguments are required: --la"),
    ],
)
def test_the_command_refuses_bad_arguments(arguments, message, tmp_path):
    la = LocalAuthority.objects.create(name="Elmford Borough Council", la_code="871", gss_code="E06000999")
    given = [argument.format(la=la.la_code, tmp=tmp_path) for argument in arguments]
    if "--out" not in given:
        given += ["--out", str(tmp_path / "pack.pdf")]
    with pytest.raises(CommandError, match=message):
        call_command("committee-pack", *given)
    assert not (tmp_path / "pack.pdf").exists()


@pytest.mark.parametrize("role", [Role.SCHOOL_STAFF, Role.PROVIDER_STAFF, Role.FINANCE_OFFICER])
def test_schools_and_providers_are_refused_the_pack(client, town, role):
    user = {
        Role.SCHOOL_STAFF: town.school_a_staff,
        Role.PROVIDER_STAFF: town.p1_staff,
        Role.FINANCE_OFFICER: member(Role.FINANCE_OFFICER, town.la),
    }[role]
    client.force_login(user)
    assert client.get(reverse("insight:committee-pack")).status_code == 403
    for format in ("pdf", "xlsx"):
        asked = client.post(reverse("insight:committee-pack"), {"period": "2026", "format": format})
        assert asked.status_code == 403
    assert not PackRequest.objects.exists()


def test_the_page_offers_the_pack_for_a_period_and_explains_a_bad_one(client, town):
    client.force_login(town.officer)
    page = client.get(reverse("insight:committee-pack"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Make the pack (PDF)" in body and "Make the pack (XLSX)" in body
    assert "Counts under 5 are shown as c" in body and "Spend against budget" in body
    assert "No pack has been asked for in the last 30 days" in body
    bad = client.post(reverse("insight:committee-pack"), {"period": "1999", "format": "pdf"})
    assert bad.status_code == 400 and "Choose a period from the list" in bad.content.decode()
    assert not PackRequest.objects.exists()


def test_the_pack_takes_a_bounded_number_of_queries(town, django_assert_max_num_queries):
    """The dashboards' own (each bounded by its tests) and a fixed few of its own, however many children: the LA's
    threshold and finance's outturn (budget lines, amounts, allocation, funding lines, commissioned places)."""
    for _ in range(3):
        PlacementFactory(pupil__local_authority=town.la, episode__route__local_authority=town.la, tier="1")
    start, end, label, year = period_of("2026")
    filters = DashboardFilters(start=start, end=end, label=label, academic_year=year)
    with CaptureQueriesContext(connection) as dashboards_own:
        for dashboard in dashboards().values():
            dashboard.build(town.officer, filters)
    with django_assert_max_num_queries(len(dashboards_own.captured_queries) + PACK_OWN_QUERIES):
        pack.committee_pack_for(town.officer, period="2026")
