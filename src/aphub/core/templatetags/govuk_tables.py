"""The head of a GOV.UK table (caption and column headings), which every list page would otherwise write out."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, SafeString, mark_safe

register = template.Library()

# A caption is hidden (read by screen readers only) unless the page shows it as a heading of size m or s.
CAPTION_CLASSES = {"": "govuk-visually-hidden", "m": "govuk-table__caption--m", "s": "govuk-table__caption--s"}
HEADER_CLASSES = {"": "govuk-table__header", "numeric": "govuk-table__header govuk-table__header--numeric"}


def _heading(column: str) -> tuple[str, str]:
    """A column as (class, its words): "Pupils:numeric" is right-aligned, "Actions:hidden" is for screen readers."""
    words, kind = column, ""
    for suffix in (":numeric", ":hidden"):
        if column.endswith(suffix):
            words, kind = column.removesuffix(suffix), suffix[1:]
    # Template string literals are safe, and stay so once their suffix is cut off.
    words = mark_safe(words) if isinstance(column, SafeData) else words  # noqa: S308
    if kind == "hidden":
        return HEADER_CLASSES[""], format_html('<span class="govuk-visually-hidden">{}</span>', words)
    return HEADER_CLASSES[kind], words


@register.simple_tag
def table_head(*columns: str, caption: str = "", caption_size: str = "") -> SafeString:
    """`{% table_head "Pupil" "Days:numeric" caption="Pupils waiting" caption_size="m" %}`: the caption (if any)
    and the `thead` of a GOV.UK table, one column heading (scope col) for each argument."""
    headings = format_html_join(
        "\n", '    <th scope="col" class="{}">{}</th>', (_heading(column) for column in columns)
    )
    head = format_html(
        '<thead class="govuk-table__head">\n  <tr class="govuk-table__row">\n{}\n  </tr>\n</thead>', headings
    )
    if not caption:
        return head
    return format_html(
        '<caption class="govuk-table__caption {}">{}</caption>\n{}', CAPTION_CLASSES[caption_size], caption, head
    )
