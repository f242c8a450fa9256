"""A figure's table under its chart (`{% figure_table %}`) is the markup the template loop over each cell wrote, to the
byte: the same caption, headings, row headings, numeric cells, "c" for a withheld count, escaping, and the row saying
there is nothing to show. The tag only writes it faster (the sufficiency dashboard's day-by-day table)."""

from decimal import Decimal

import pytest
from django.template import engines

from aphub.core.figures import SUPPRESSED, Table, bar_figure

# The table as components/figure.html wrote it with Django's template loops, before the tag.
CELL_BY_CELL = """<table class="govuk-table govuk-!-font-size-16">
    <caption class="govuk-table__caption govuk-table__caption--s">{{ figure.table.caption }}: the figures in the chart</caption>
    <thead class="govuk-table__head">
      <tr class="govuk-table__row">{% for heading in figure.table.headings %}<th scope="col" class="govuk-table__header{% if not forloop.first %} govuk-table__header--numeric{% endif %}">{{ heading }}</th>{% endfor %}</tr>
    </thead>
    <tbody class="govuk-table__body">
      {% for row in figure.table.shown_rows %}
      <tr class="govuk-table__row">{% for cell in row %}{% if forloop.first %}<th scope="row" class="govuk-table__header">{{ cell }}</th>{% else %}<td class="govuk-table__cell govuk-table__cell--numeric">{{ cell }}</td>{% endif %}{% endfor %}</tr>
      {% empty %}
      <tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{{ figure.table.headings|length }}">Nothing to show for these filters.</td></tr>
      {% endfor %}
    </tbody>
  </table>"""  # noqa: E501


def rendered(source: str, figure) -> str:
    return engines["django"].from_string(source).render({"figure": figure})


def placements_by_provider():
    return bar_figure(
        "by-provider",
        'Placements by provider <"Oak & Ash">, 2025/26',
        "Most at Oak & Ash.",
        ["Oak & Ash <Centre>", "Saturn's Centre", "Elm"],
        {"Placements": [1200, SUPPRESSED, None], "Spend": [Decimal("1234.5"), Decimal("-20"), Decimal("3")]},
        category_heading="Provider & site",
    )


@pytest.mark.parametrize(
    "figure",
    [
        placements_by_provider(),
        bar_figure("empty", "Nothing yet", "None.", [], {"Placements": []}, category_heading="Provider"),
    ],
    ids=["figures", "nothing to show"],
)
def test_the_table_tag_writes_what_the_template_loop_wrote(figure):
    assert rendered("{% load figures %}{% figure_table figure %}", figure) == rendered(CELL_BY_CELL, figure)


def test_money_tables_show_pounds_and_pence_and_escape_every_word():
    figure = placements_by_provider()
    money = Table(figure.table.caption, figure.table.headings, figure.table.rows, money=True)
    html = rendered("{% load figures %}{% figure_table figure %}", type("F", (), {"table": money})())
    assert html == rendered(CELL_BY_CELL, type("F", (), {"table": money})())
    assert "£1,234.50" in html and "−£20.00" in html and ">c</td>" in html
    assert "Oak &amp; Ash &lt;Centre&gt;" in html and "<Centre>" not in html
