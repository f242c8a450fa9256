"""`{% figure_svg figure %}`: a core.figures.Figure's SVG, its style sheet given the page's CSP nonce (django-csp), so
the chart is styled under a policy that allows no inline style otherwise. `{% figure_table figure %}`: the table of the
same figures under it."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def figure_svg(context, figure) -> SafeString:
    request = context.get("request")
    # str(), not truth: django-csp's lazy nonce is falsy until it is first read.
    nonce = str(request.csp_nonce) if request is not None and hasattr(request, "csp_nonce") else ""
    # The SVG is pygal's, from our own numbers and escaped labels (core.figures), never from a user's markup.
    return mark_safe(figure.svg_with_nonce(nonce))  # noqa: S308


NUMERIC_CELL = '<td class="govuk-table__cell govuk-table__cell--numeric">'


@register.simple_tag
def figure_table(figure) -> SafeString:
    """The GOV.UK table of a figure's figures: its caption, the column headings, then a row heading and numeric cells
    a row; a row saying so when there is nothing to show. Written in one pass rather than by a template loop over each
    cell, which took a third of the sufficiency dashboard's time for its day-by-day table's 1,800 cells (make bench)."""
    table = figure.table
    headings = "".join(
        f'<th scope="col" class="govuk-table__header{" govuk-table__header--numeric" if index else ""}">'
        f"{conditional_escape(heading)}</th>"
        for index, heading in enumerate(table.headings)
    )
    rows = [
        f'\n      <tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{conditional_escape(row[0])}'
        f"</th>{''.join(f'{NUMERIC_CELL}{conditional_escape(cell)}</td>' for cell in row[1:])}</tr>\n      "
        for row in table.shown_rows()
    ] or [
        f'\n      <tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{len(table.headings)}">'
        "Nothing to show for these filters.</td></tr>\n      "
    ]
    caption = conditional_escape(table.caption)
    return mark_safe(  # noqa: S308 (every heading, cell and the caption escaped above)
        '<table class="govuk-table govuk-!-font-size-16">\n'
        '    <caption class="govuk-table__caption govuk-table__caption--s">'
        f"{caption}: the figures in the chart</caption>\n"
        '    <thead class="govuk-table__head">\n'
        f'      <tr class="govuk-table__row">{headings}</tr>\n'
        "    </thead>\n"
        '    <tbody class="govuk-table__body">\n'
        f"      {''.join(rows)}\n"
        "    </tbody>\n"
        "  </table>"
    )
