"""Parts of GOV.UK pages that every page would otherwise write out: tables (caption and column headings), summary
list rows, and a button that posts at once."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join, strip_tags
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


def scrolling_container(table: str, label: str) -> SafeString:
    """A table in a region that scrolls sideways on its own, so a wide table on a phone (320 px, WCAG 1.4.10 Reflow)
    does not make the whole page scroll. The region is named and takes focus, so a keyboard user can scroll it with
    the arrow keys and a screen reader says what it holds (axe: scrollable-region-focusable)."""
    return format_html(
        '<div class="app-table-container" role="region" aria-label="{}" tabindex="0">\n{}\n</div>',
        " ".join(strip_tags(label).split()),
        table,
    )


def _region_label(caption: str, columns: list[str]) -> str:
    """The caption names a table's region; a table without one is named by its column headings."""
    if strip_tags(caption).strip():
        return caption
    return "Table: " + ", ".join(_heading(column)[1] for column in columns)


class TableNode(template.Node):
    def __init__(
        self,
        columns: list[template.base.FilterExpression],
        options: dict[str, template.base.FilterExpression],
        caption: template.NodeList | None,
        nodelist: template.NodeList,
    ) -> None:
        self.columns, self.options, self.caption, self.nodelist = columns, options, caption, nodelist

    def render(self, context: template.Context) -> SafeString:
        options = {name: value.resolve(context) for name, value in self.options.items()}
        rows = self.nodelist.render(context)
        empty = options.pop("empty", None)
        if empty is not None and not rows.strip():
            # GOV.UK tables have no empty state: a table with a head and no rows tells a screen reader nothing.
            return format_html('<p class="govuk-body">{}</p>', empty)
        if self.caption is not None:
            options["caption"] = self.caption.render(context)
        classes = " ".join(("govuk-table", options.pop("classes", "")))
        columns = [column.resolve(context) for column in self.columns]
        table = format_html(
            '<table class="{}">\n{}\n<tbody class="govuk-table__body">{}</tbody>\n</table>',
            classes.strip(),
            table_head(*columns, **options),
            rows,
        )
        return scrolling_container(table, _region_label(options.get("caption", ""), columns))


@register.tag
def govuk_table(parser: template.base.Parser, token: template.base.Token) -> TableNode:
    """`{% govuk_table "Pupil" "Days:numeric" caption="Pupils waiting" %}<tr>...</tr>{% endgovuk_table %}`: a GOV.UK
    table with the head that table_head writes (same arguments, and `classes` to add to the table's) around the rows
    of its body. A caption made of more than words (a count, a name) is written first in the body, between
    `{% table_caption %}` and `{% endtable_caption %}`. With `empty="No referrals yet."` a body without rows (its
    `{% for %}` had nothing to list) is that sentence instead of the table."""
    columns, options = [], {}
    for word in token.split_contents()[1:]:
        name, equals, value = word.partition("=")
        if equals and name.isidentifier():
            options[name] = parser.compile_filter(value)
        else:
            columns.append(parser.compile_filter(word))
    caption = None
    nodelist = parser.parse(("table_caption", "endgovuk_table"))
    if parser.next_token().contents == "table_caption":
        caption = parser.parse(("endtable_caption",))
        parser.delete_first_token()
        nodelist = parser.parse(("endgovuk_table",))
        parser.delete_first_token()
    return TableNode(columns, options, caption, nodelist)


class ScrollingTableNode(template.Node):
    def __init__(self, label: template.base.FilterExpression, nodelist: template.NodeList) -> None:
        self.label, self.nodelist = label, nodelist

    def render(self, context: template.Context) -> SafeString:
        return scrolling_container(self.nodelist.render(context), str(self.label.resolve(context)))


@register.tag
def scrolling_table(parser: template.base.Parser, token: template.base.Token) -> ScrollingTableNode:
    """`{% scrolling_table "Attendance by week" %}<table>...</table>{% endscrolling_table %}`: a table written by
    hand, in the same named region that scrolls sideways as govuk_table's tables."""
    words = token.split_contents()
    if len(words) != 2:
        raise template.TemplateSyntaxError("scrolling_table takes the region's name, and its table up to the end tag")
    nodelist = parser.parse(("endscrolling_table",))
    parser.delete_first_token()
    return ScrollingTableNode(parser.compile_filter(words[1]), nodelist)


class SummaryRowNode(template.Node):
    def __init__(self, key: template.base.FilterExpression, nodelist: template.NodeList) -> None:
        self.key, self.nodelist = key, nodelist

    def render(self, context: template.Context) -> SafeString:
        return format_html(
            '<div class="govuk-summary-list__row">\n  <dt class="govuk-summary-list__key">{}</dt>\n'
            '  <dd class="govuk-summary-list__value">{}</dd>\n</div>',
            self.key.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def summary_row(parser: template.base.Parser, token: template.base.Token) -> SummaryRowNode:
    """`{% summary_row "Reference" %}{{ arrangement.reference }}{% endsummary_row %}`: one row (key and value) of a
    GOV.UK summary list."""
    words = token.split_contents()
    if len(words) != 2:
        raise template.TemplateSyntaxError("summary_row takes the row's key, and its value up to endsummary_row")
    nodelist = parser.parse(("endsummary_row",))
    parser.delete_first_token()
    return SummaryRowNode(parser.compile_filter(words[1]), nodelist)


@register.inclusion_tag("components/post_button.html", takes_context=True)
def post_button(
    context: template.Context, words: str, url_name: str, *args: Any, style: str = "", **kwargs: Any
) -> dict:
    """`{% post_button "Submit for approval" "directory:submit" pk=provision.pk style="secondary" %}`: a button that
    posts to that URL (reversed with the other arguments), in a GOV.UK style ("secondary", "warning") if given."""
    return {
        "csrf_token": context.get("csrf_token"),
        "action": reverse(url_name, args=args, kwargs=kwargs),
        "words": words,
        "style": style,
    }
