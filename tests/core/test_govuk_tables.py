"""core/templatetags/govuk_tables.py: a list's table, or the sentence that says the list is empty."""

from django.template import Context, Template

TABLE = (
    '{% govuk_table "Pupil" caption="Pupils waiting" empty="No one is waiting." %}'
    "{% for name in names %}<tr><td>{{ name }}</td></tr>{% endfor %}"
    "{% endgovuk_table %}"
)


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_a_list_with_no_rows_is_its_empty_sentence_instead_of_a_table():
    assert render(TABLE, names=[]) == '<p class="govuk-body">No one is waiting.</p>'


def test_a_list_with_rows_is_a_table_and_does_not_say_it_is_empty():
    html = render(TABLE, names=["Ada"])
    assert "<td>Ada</td>" in html
    assert '<th scope="col" class="govuk-table__header">Pupil</th>' in html
    assert "Pupils waiting</caption>" in html
    assert "No one is waiting" not in html


def test_a_table_without_an_empty_sentence_stays_a_table_when_it_has_no_rows():
    html = render(TABLE.replace(' empty="No one is waiting."', ""), names=[])
    assert '<table class="govuk-table">' in html and "<tbody" in html


def test_a_table_scrolls_sideways_in_a_region_named_by_its_caption_that_a_keyboard_user_can_focus():
    html = render(TABLE, names=["Ada"])
    assert html.startswith('<div class="app-table-container" role="region" aria-label="Pupils waiting" tabindex="0">')
    assert html.rstrip().endswith("</table>\n</div>")


def test_a_table_without_a_caption_is_a_region_named_by_its_column_headings():
    html = render('{% govuk_table "Pupil" "Days:numeric" "Actions:hidden" %}<tr><td>Ada</td></tr>{% endgovuk_table %}')
    assert 'aria-label="Table: Pupil, Days, Actions"' in html


def test_a_table_written_by_hand_scrolls_in_the_same_named_region():
    html = render('{% scrolling_table name %}<table class="govuk-table"></table>{% endscrolling_table %}', name="Ada")
    assert html == (
        '<div class="app-table-container" role="region" aria-label="Ada" tabindex="0">\n'
        '<table class="govuk-table"></table>\n</div>'
    )
