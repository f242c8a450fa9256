"""Setting the budget: lines and their amounts on a page (every problem at once), from a CSV or XLSX file (accepted
whole or refused whole, bad rows named), and the year's High Needs Block allocation."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from aphub.finance.models import BudgetAmount, BudgetCover, BudgetLine, HighNeedsAllocation
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, member

from .conftest import budget_line

pytestmark = pytest.mark.django_db
NEW = reverse("finance:budget-line-new")
IMPORT = reverse("finance:budget-import")


@pytest.fixture
def la():
    return LocalAuthorityFactory()


def test_a_finance_officer_adds_a_budget_line_with_its_years_budget(client, la):
    client.force_login(member(Role.FINANCE_OFFICER, la))
    response = client.post(
        f"{NEW}?year=2026",
        {
            "name": "Top-ups: exclusions",
            "order": "10",
            "covers": ["top-up|permanent-exclusion", "top-up|suspension"],
            "amount": "£125,000.50",
        },
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(local_authority=la)
    assert {(c.kind, c.route_kind) for c in line.covers.all()} == {
        ("top-up", "permanent-exclusion"),
        ("top-up", "suspension"),
    }
    assert BudgetAmount.objects.get(budget_line=line, financial_year=2026).amount == Decimal("125000.50")
    page = client.get(reverse("finance:budget"), {"year": 2026}).content.decode()
    assert "Top-ups: exclusions" in page and "£125,000.50" in page


def test_a_pair_already_in_another_line_and_every_other_problem_are_said_at_once(client, la):
    budget_line(la, "Exclusions", [("top-up", "permanent-exclusion")])
    client.force_login(member(Role.LA_ADMIN, la))
    response = client.post(
        f"{NEW}?year=2026",
        {"name": "Exclusions", "order": "10", "covers": ["top-up|permanent-exclusion"], "amount": "1000"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is already a budget line called ‘Exclusions’" in page
    assert "Top-up: Permanent exclusion is already in the budget line ‘Exclusions’" in page
    assert BudgetLine.objects.count() == 1


def test_the_form_says_every_problem_it_finds_itself(client, la):
    client.force_login(member(Role.LA_ADMIN, la))
    response = client.post(f"{NEW}?year=2026", {"name": "", "order": "x", "amount": "lots"})
    page = response.content.decode()
    assert response.status_code == 400
    for message in (
        "Enter the budget line&#x27;s name",
        "Enter the line&#x27;s order",
        "Choose at least one kind of money and route",
        "Enter the budget as an amount in pounds",
    ):
        assert message in page


def test_an_officer_reads_the_budget_but_cannot_change_it(client, la):
    line = budget_line(la, "Exclusions", [("top-up", "permanent-exclusion")], "1000")
    client.force_login(member(Role.LA_OFFICER, la))
    assert client.get(reverse("finance:budget")).status_code == 200
    assert client.get(NEW).status_code == 403
    assert client.get(reverse("finance:budget-line", kwargs={"pk": line.pk})).status_code == 403


def test_changing_a_line_moves_its_pairs_and_sets_the_years_amount(client, la):
    line = budget_line(la, "Exclusions", [("top-up", "permanent-exclusion")], "1000", year=2026)
    client.force_login(member(Role.LA_ADMIN, la))
    url = reverse("finance:budget-line", kwargs={"pk": line.pk})
    assert "Exclusions" in client.get(f"{url}?year=2026").content.decode()
    response = client.post(
        f"{url}?year=2027", {"name": "Exclusions", "order": "5", "covers": ["place-funding|permanent-exclusion"]}
    )
    assert response.status_code == 302
    assert list(BudgetCover.objects.values_list("kind", flat=True)) == ["place-funding"]
    # The 2027 budget was left empty: none set for 2027, 2026's kept.
    assert list(BudgetAmount.objects.values_list("financial_year", flat=True)) == [2026]


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_budget_imports_from_xlsx(client, la):
    kept = budget_line(la, "Outreach", [("top-up", "short-term-intervention")], "9000")
    client.force_login(member(Role.FINANCE_OFFICER, la))
    content = _xlsx(
        [
            ("Budget line", "Kind of money", "Route", "Budget"),
            ("Top-ups: exclusions", "Top-up", "Permanent exclusion", 250000),
            ("Place funding", "Place funding", "permanent-exclusion", 120000.5),
            ("Place funding", "place funding", "Awaiting a school place", None),
        ]
    )
    response = client.post(f"{IMPORT}?year=2026", {"file": SimpleUploadedFile("budget.xlsx", content)})
    assert response.status_code == 302
    amounts = dict(BudgetAmount.objects.values_list("budget_line__name", "amount"))
    assert amounts == {
        "Outreach": Decimal("9000.00"),
        "Top-ups: exclusions": Decimal("250000.00"),
        "Place funding": Decimal("120000.50"),
    }
    assert BudgetCover.objects.filter(budget_line__name="Place funding").count() == 2
    assert BudgetLine.objects.filter(pk=kept.pk).exists()


def test_a_file_with_bad_rows_imports_nothing_and_names_each(client, la):
    budget_line(la, "Outreach", [("top-up", "short-term-intervention")], "9000")
    client.force_login(member(Role.FINANCE_OFFICER, la))
    content = (
        b"Budget line,Kind of money,Route,Budget\n"
        b"Exclusions,Top-up,Permanent exclusion,250000\n"
        b"Exclusions,Wages,Permanent exclusion,\n"
        b"Other,Top-up,Permanent exclusion,\n"
        b"Exclusions,Top-up,Suspension,9\n"
        b"Short,Top-up,Short-term assessment or intervention,\n"
    )
    response = client.post(f"{IMPORT}?year=2026", {"file": SimpleUploadedFile("budget.csv", content)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "nothing was imported" in page
    assert "The kind of money must be one of" in page  # row 3
    assert "Top-up: Permanent exclusion is also on line 2" in page  # row 4
    assert "The budget of ‘Exclusions’ is 250000 on another row" in page  # row 5
    assert BudgetLine.objects.count() == 1


def test_a_pair_kept_by_a_line_the_file_does_not_name_refuses_the_file(client, la):
    budget_line(la, "Outreach", [("top-up", "short-term-intervention")], "9000")
    client.force_login(member(Role.FINANCE_OFFICER, la))
    content = b"Budget line,Kind of money,Route,Budget\nShort,Top-up,Short-term assessment or intervention,10\n"
    response = client.post(f"{IMPORT}?year=2026", {"file": SimpleUploadedFile("budget.csv", content)})
    assert response.status_code == 400
    assert "is already in the budget line ‘Outreach’" in response.content.decode()
    assert BudgetLine.objects.count() == 1


def test_the_years_high_needs_allocation_is_set_and_shown(client, la):
    client.force_login(member(Role.FINANCE_OFFICER, la))
    url = reverse("finance:allocation")
    assert client.post(f"{url}?year=2026", {"amount": "nonsense"}).status_code == 400
    assert client.post(f"{url}?year=2026", {"amount": "48,500,000"}).status_code == 302
    assert HighNeedsAllocation.objects.get(local_authority=la, financial_year=2026).amount == Decimal("48500000.00")
    assert "£48,500,000.00" in client.get(reverse("finance:outturn"), {"year": 2026}).content.decode()


def test_commissioned_place_funding_is_chosen_once_for_every_route(client, la):
    client.force_login(member(Role.FINANCE_OFFICER, la))
    page = client.get(f"{NEW}?year=2026").content.decode()
    assert page.count('value="commissioned-place-funding|') == 1
    assert "Commissioned place funding: every route" in page
    response = client.post(
        f"{NEW}?year=2026", {"name": "PRU places", "order": "5", "covers": ["commissioned-place-funding|"]}
    )
    assert response.status_code == 302
    assert [(c.kind, c.route_kind) for c in BudgetCover.objects.all()] == [("commissioned-place-funding", "")]
    # Per route it is no choice: a commissioned place serves every route.
    response = client.post(
        f"{NEW}?year=2026",
        {"name": "Other", "order": "6", "covers": ["commissioned-place-funding|permanent-exclusion"]},
    )
    assert response.status_code == 400


def test_a_budget_file_gives_commissioned_place_funding_with_no_route(client, la):
    client.force_login(member(Role.FINANCE_OFFICER, la))
    content = (
        "Budget line,Kind of money,Route,Budget\n"
        "PRU places,Commissioned place funding,,320000\n"
        "Wrong,Commissioned place funding,Permanent exclusion,1\n"
    )
    response = client.post(
        f"{IMPORT}?year=2026", {"file": SimpleUploadedFile("budget.csv", content.encode(), "text/csv")}
    )
    assert "Commissioned place funding is for every route: leave its route empty" in response.content.decode()
    assert not BudgetLine.objects.exists()
    response = client.post(
        f"{IMPORT}?year=2026",
        {
            "file": SimpleUploadedFile(
                "budget.csv", content.splitlines()[0].encode() + b"\n" + content.splitlines()[1].encode(), "text/csv"
            )
        },
    )
    assert [(c.kind, c.route_kind) for c in BudgetCover.objects.all()] == [("commissioned-place-funding", "")]
