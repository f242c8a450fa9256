"""The outturn at /funding/: every figure on the page is the sum of the parts its drill-down lists, to the penny, and
the lines add up to the totals; the same figures export to XLSX."""

import csv
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from aphub.core.money import format_money
from aphub.finance.queries import outturn_for
from aphub.funding.models import FundingLine
from aphub.organisations.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db
URL = reverse("finance:outturn")
DRILL_DOWN_LINK = re.compile(r'<a class="govuk-link app-drill-down" href="([^"]+)">([^<]+)</a>')


def pounds(text: str) -> Decimal:
    return Decimal(text.replace("£", "").replace(",", ""))


def drill_down_sum(client, href: str) -> tuple[Decimal, int]:
    """The sum of every part the drill-down lists, all pages, read from its CSV file."""
    response = client.get(unescape(href) + "&format=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    return sum((Decimal(row["Amount"]) for row in rows), Decimal("0.00")), len(rows)


def test_every_figure_on_the_page_is_the_sum_of_its_drill_down(client, borough):
    la, _ = borough
    client.force_login(member(Role.FINANCE_OFFICER, la))
    page = client.get(URL).content.decode()
    links = DRILL_DOWN_LINK.findall(page)
    # Three figures for each of three rows (two lines and "Not in a budget line") and the total, and three a month.
    assert len(links) == 3 * 4 + 3 * 12
    nonzero = 0
    for href, shown in links:
        total, rows = drill_down_sum(client, href)
        assert format_money(total) == shown, href
        # The page shows the same sum above the parts it lists.
        assert f'<strong id="drill-down-total">{shown}</strong>' in client.get(unescape(href)).content.decode()
        nonzero += bool(rows)
    assert nonzero > 20  # the walk met real figures, not only empty ones


def test_lines_add_up_to_the_total_and_months_to_the_year(borough):
    la, _ = borough
    user = member(Role.FINANCE_OFFICER, la)
    outturn = outturn_for(user, financial_year=2026)
    names = [row.name for row in outturn.rows]
    assert names == ["Place funding", "Top-ups: exclusions", "Not in a budget line"]
    for figure in ("actuals", "commitments", "expected"):
        assert sum(getattr(row, figure) for row in outturn.rows) == getattr(outturn.total, figure)
        assert sum(getattr(month, figure) for month in outturn.months) == getattr(outturn.total, figure)
    # Actuals and commitments are the LA-paid lines of the year, nothing more: a school's top-up is not HNB spend.
    paid_by_la = FundingLine.objects.filter(local_authority=la, financial_year=2026, payer="la")
    assert outturn.total.actuals + outturn.total.commitments == sum(line.amount for line in paid_by_la)
    assert FundingLine.objects.filter(local_authority=la, payer="school").exists()
    assert outturn.total.budget == Decimal("70000.00")
    assert outturn.total.variance == outturn.total.budget - outturn.total.forecast
    # Long-term AP's place funding is in no line.
    assert outturn.rows[2].forecast > 0 and outturn.rows[2].budget is None


def test_the_outturn_and_the_months_export_to_xlsx(client, borough):
    la, _ = borough
    user = member(Role.LA_OFFICER, la)
    client.force_login(user)
    outturn = outturn_for(user, financial_year=2026)
    sheet = load_workbook(io.BytesIO(client.get(URL, {"format": "xlsx"}).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == (
        "Budget line",
        "Budget",
        "Actuals to date",
        "Commitments",
        "Expected new placements",
        "Forecast outturn",
    )
    assert rows[-1][0] == "Total"
    assert Decimal(str(rows[-1][5])) == outturn.total.forecast
    assert [Decimal(str(row[2])) for row in rows[1:-1]] == [row.actuals for row in outturn.rows]
    months = list(
        load_workbook(io.BytesIO(client.get(URL, {"format": "xlsx", "table": "months"}).content)).active.iter_rows(
            values_only=True
        )
    )
    assert [row[0] for row in months[1:]][:2] == ["April 2026", "May 2026"]
    assert sum(Decimal(str(row[4])) for row in months[1:]) == outturn.total.forecast


def test_expected_new_placements_follow_the_recent_starts_and_the_page_says_the_rule(client, borough):
    la, _ = borough
    user = member(Role.FINANCE_OFFICER, la)
    client.force_login(user)
    outturn = outturn_for(user, financial_year=2026)
    # Two starts in the last 12 weeks (5 October and 16 November), on covered routes; the April start is too old.
    assert outturn.total.recent_starts == 2
    assert outturn.total.expected > 0
    page = client.get(URL).content.decode()
    assert "last 12 weeks" in page and "average funded length" in page
    # A past year expects nothing new.
    assert outturn_for(user, financial_year=2025).total.expected == 0


def test_a_drill_down_names_children_and_logs_the_read(client, borough):
    la, placements = borough
    user = member(Role.LA_OFFICER, la)
    client.force_login(user)
    response = client.get(reverse("finance:drill-down"), {"year": 2026, "figure": "commitments", "line": "all"})
    assert response.status_code == 200
    from aphub.audit.models import AccessLogEntry

    entry = AccessLogEntry.objects.get(user_id=user.pk, list_name="Outturn drill-down")
    assert str(placements[0].pupil_id) in entry.pupil_ids


def test_another_las_budget_line_or_a_nonsense_figure_is_a_404(client, borough):
    la, _ = borough
    client.force_login(member(Role.FINANCE_OFFICER, la))
    from aphub.finance.models import BudgetLine
    from tests.factories import LocalAuthorityFactory

    other = BudgetLine.objects.create(local_authority=LocalAuthorityFactory(), name="Theirs")
    drill = reverse("finance:drill-down")
    assert client.get(drill, {"figure": "actuals", "line": other.pk}).status_code == 404
    assert client.get(drill, {"figure": "wages", "line": "all"}).status_code == 404
    assert client.get(drill, {"figure": "actuals", "line": "all", "month": "2031-13"}).status_code == 404
    assert client.get(drill, {"figure": "actuals", "line": "all", "year": "abc"}).status_code == 404
