"""The public pages say only what is true: no "UKPRN None", and a bad postcode never hides the other results."""

import pytest
from django.urls import reverse

from tests.factories import ProviderFactory, ProvisionFactory

pytestmark = pytest.mark.django_db


def test_a_provision_page_leaves_out_the_ukprn_row_when_the_provider_has_none(client):
    provision = ProvisionFactory(provider=ProviderFactory(ukprn="", urn=""))
    html = client.get(reverse("directory:provision", args=[provision.pk])).content.decode()
    assert "UKPRN" not in html
    assert "URN" not in html
    assert ">None<" not in html


def test_a_provision_page_shows_the_ukprn_and_urn_the_provider_has(client):
    provision = ProvisionFactory(provider=ProviderFactory(ukprn="10012345", urn="123456"))
    html = client.get(reverse("directory:provision", args=[provision.pk])).content.decode()
    assert "10012345" in html and "123456" in html


@pytest.mark.parametrize(
    ("postcode", "error"),
    [
        ("not a postcode", "Enter a real postcode, like B91 3QB"),
        ("ZE3 9JZ", "We could not find the postcode ZE3 9JZ"),
    ],
)
def test_a_bad_postcode_keeps_the_other_filters_results_beside_its_error(client, postcode, error):
    ProvisionFactory(name="Semh place", term_codes=["ks3", "semh"])
    ProvisionFactory(name="Autism place", term_codes=["ks4", "autism"])
    response = client.get(reverse("directory:search"), {"key_stage": "ks3", "postcode": postcode, "within": "5"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Semh place" in html and "Autism place" not in html
    assert "1 provision found" in html
    summary = html.split('class="govuk-error-summary', 1)[1].split("</div>", 1)[0]
    assert error in summary
    assert 'href="#id_postcode"' in summary
    field = html.split('id="div_id_postcode"', 1)[1].split('id="div_id_within"', 1)[0]
    assert "govuk-form-group--error" in field and "govuk-input--error" in field
    assert error in field.split('class="govuk-error-message"', 1)[1]
