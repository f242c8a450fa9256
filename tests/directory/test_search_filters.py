"""The public search's filters are written by hand (directory/_search_filters.html) for speed, and must stay the markup
crispy-forms-gds draws for every other form: the same inputs, ids, labels, hints, ticks, selections and error
messages, each error tied to its input, in every state a search can be in."""

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test.html import parse_html

from aphub.core.forms.fields import form_helper
from aphub.directory import queries
from aphub.directory.forms import SearchForm
from tests.factories import LocalAuthorityFactory, ProvisionFactory

pytestmark = pytest.mark.django_db


def crispy_filters(form: SearchForm) -> str:
    """The filters as crispy-forms-gds draws them: the layout the search form used before they were hand-written."""
    from crispy_forms_gds.layout import Field, Fixed, Size

    helper = form_helper(
        Field.text("words", label_size=Size.SMALL),
        Field.select("local_authority"),
        Field.checkboxes("tier", legend_size=Size.SMALL, small=True),
        Field.checkboxes("key_stage", legend_size=Size.SMALL, small=True),
        Field.checkboxes("need", legend_size=Size.SMALL, small=True),
        Field.checkboxes("delivery_mode", legend_size=Size.SMALL, small=True),
        Field.checkbox("with_vacancies", small=True),
        Field.text("postcode", label_size=Size.SMALL, field_width=Fixed.TEN),
        Field.select("within"),
        Field.select("sort"),
    )
    html = Template("{% load crispy_forms_tags %}{% crispy form helper %}").render(
        Context({"form": form, "helper": helper})
    )
    # crispy-forms-gds starts a fieldset's list of error ids with a space; the list means the same without it.
    return html.replace('aria-describedby=" ', 'aria-describedby="')


def search_form(query: str, school_postcode: str = "") -> SearchForm:
    form = SearchForm(
        QueryDict(query),
        terms=queries.terms_by_vocabulary(),
        local_authorities=queries.local_authorities_with_published_provisions(),
        school_postcode=school_postcode,
    )
    form.usable_filters()
    return form


@pytest.mark.parametrize(
    ("query", "school_postcode"),
    [
        ("", ""),
        ("words=centre&tier=tier-2&key_stage=ks3&need=semh&need=autism&postcode=B91 3QB&within=10&sort=distance", ""),
        ("local_authority={la}&within=25&sort=name&with_vacancies=on&delivery_mode=on-site", ""),
        ("with_vacancies=false&words=a%3Cb%22c", ""),
        # Every filter that can be in error at once: a postcode, a distance, a sort, a tier and an LA not on the list.
        ("words=x&postcode=zz&within=7&sort=x&tier=nope&tier=tier-1&local_authority=999999", ""),
        ("words=" + "w" * 201, ""),
        ("sort=distance", ""),
        # A school searches from its own postcode: the label names it and a hint says it can be changed.
        ("postcode=B91 3QB", "B91 3QB"),
        ("sort=distance&postcode=", "B91 3QB"),
        ("postcode=zz", "B91 3QB"),
    ],
)
def test_the_hand_written_filters_are_the_markup_crispy_forms_gds_draws(query, school_postcode):
    la = LocalAuthorityFactory(name="Ashcombe Moor Council")
    ProvisionFactory(local_authority=la)
    form = search_form(query.format(la=la.pk), school_postcode)
    assert parse_html(render_to_string("directory/_search_filters.html", {"form": form})) == parse_html(
        crispy_filters(form)
    )


def test_the_filters_offer_the_terms_as_they_are_now():
    """Nothing of the filters is kept between searches: a term added to a vocabulary is a checkbox at once."""
    from aphub.directory.models import Term, Vocabulary

    before = render_to_string("directory/_search_filters.html", {"form": search_form("")})
    Term.objects.create(vocabulary=Vocabulary.NEED, code="new-need", label="A need added today", position=99)
    after = render_to_string("directory/_search_filters.html", {"form": search_form("need=new-need")})
    assert "A need added today" not in before
    assert 'value="new-need" checked="checked"' in after
