"""The LA's table of top-up bands (issue 13): its finance officers, admins and officers add, change and retire
bands, every problem at once; auditors read it; another LA's bands are never shown; the table downloads as XLSX."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from aphub.commissioning.bands import services
from aphub.commissioning.bands.limits import ANNUAL_AMOUNT, CODE
from aphub.commissioning.models import TopUpBand
from aphub.core.errors import DomainError, NotPermitted
from aphub.organisations.models import Role
from tests.error_summary import assert_all_at_once
from tests.factories import LocalAuthorityFactory, ProvisionFactory, TopUpBandFactory, member

pytestmark = pytest.mark.django_db

TABLE = reverse("commissioning:top-up-bands")
NEW = reverse("commissioning:top-up-band-new")


@pytest.fixture
def la():
    return LocalAuthorityFactory(name="Elmbridge Vale Council")


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.LA_ADMIN, Role.LA_OFFICER])
def test_those_who_set_the_las_money_or_commission_add_a_band(client, la, role):
    client.force_login(member(role, la))
    response = client.post(NEW, {"code": " c ", "label": "Enhanced", "annual_amount": "£7,250.00", "scope": ""})
    assert response.status_code == 302
    band = TopUpBand.objects.get()
    assert (band.local_authority, band.code, band.annual_amount) == (la, "C", Decimal("7250.00"))
    assert band.provision is None and band.lot is None and band.active


def test_an_auditor_reads_the_table_but_cannot_change_it(client, la):
    TopUpBandFactory(local_authority=la, code="A", label="Standard")
    auditor = member(Role.AUDITOR, la)
    client.force_login(auditor)
    page = client.get(TABLE).content.decode()
    assert "Standard" in page and "Add a band" not in page
    assert client.get(NEW).status_code == 403
    with pytest.raises(NotPermitted):
        services.add_band(user=auditor, code="B", label="Enhanced", annual_amount=Decimal("1.00"))


def test_schools_and_providers_do_not_see_the_table(client, la):
    from tests.factories import ProviderFactory, SchoolFactory

    for user in (
        member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la)),
        member(Role.PROVIDER_STAFF, ProviderFactory()),
    ):
        client.force_login(user)
        assert client.get(TABLE).status_code == 403


def test_another_las_bands_are_not_shown_nor_changed(client, la):
    theirs = TopUpBandFactory(local_authority=LocalAuthorityFactory(), code="A", label="Ashcombe standard")
    client.force_login(member(Role.FINANCE_OFFICER, la))
    assert "Ashcombe standard" not in client.get(TABLE).content.decode()
    assert client.get(reverse("commissioning:top-up-band-edit", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("commissioning:top-up-band-retire", kwargs={"pk": theirs.pk})).status_code == 404
    assert TopUpBand.objects.get(pk=theirs.pk).active


def test_every_problem_of_a_band_is_shown_at_once(client, la):
    TopUpBandFactory(local_authority=la, code="A")
    client.force_login(member(Role.LA_OFFICER, la))
    response = client.post(NEW, {"code": "A!", "label": "", "annual_amount": "lots", "scope": ""})
    assert response.status_code == 400
    assert_all_at_once(response.content.decode(), [CODE, "Enter the band's name", ANNUAL_AMOUNT])
    # A well-formed band whose code is taken in its scope is refused by the service, on its field.
    taken = client.post(NEW, {"code": "a", "label": "Again", "annual_amount": "10", "scope": ""})
    assert_all_at_once(taken.content.decode(), ["There is already a band A for every provision"])


def test_the_same_code_may_be_used_for_a_provision_and_for_every_provision(la):
    officer = member(Role.LA_OFFICER, la)
    provision = ProvisionFactory(local_authority=la, name="Brook House")
    services.add_band(user=officer, code="A", label="Standard", annual_amount=Decimal("4000"))
    own = services.add_band(user=officer, code="A", label="Brook", annual_amount=Decimal("4500"), provision=provision)
    assert own.scope == "Brook House"
    with pytest.raises(DomainError, match="not both"):
        services.add_band(
            user=officer, code="B", label="Both", annual_amount=Decimal("1"), provision=provision,
            lot=_lot_of(la),
        )  # fmt: skip


def _lot_of(la):
    import datetime

    from aphub.commissioning.models import CommercialArrangement, Lot

    arrangement = CommercialArrangement.objects.create(
        owner=la, kind="dps", reference="elmbridge-bands", title="Elmbridge AP", starts_on=datetime.date(2025, 9, 1)
    )
    return Lot.objects.create(arrangement=arrangement, number=1, title="Tuition", criteria=["registration"])


def test_a_band_may_not_be_for_another_las_provision(la):
    theirs = ProvisionFactory(local_authority=LocalAuthorityFactory())
    with pytest.raises(DomainError, match="Choose a provision in the council's directory"):
        services.add_band(
            user=member(Role.LA_ADMIN, la), code="A", label="X", annual_amount=Decimal("1"), provision=theirs
        )


def test_a_band_is_changed_and_retired_after_confirmation_and_kept_for_the_record(client, la):
    band = TopUpBandFactory(local_authority=la, code="B", label="Enhanced", annual_amount=Decimal("8000.00"))
    client.force_login(member(Role.FINANCE_OFFICER, la))
    edit = reverse("commissioning:top-up-band-edit", kwargs={"pk": band.pk})
    assert 'value="8000.00"' in client.get(edit).content.decode()
    client.post(edit, {"code": "B", "label": "Enhanced", "annual_amount": "8400", "scope": ""})
    band.refresh_from_db()
    assert band.annual_amount == Decimal("8400.00")

    retire = reverse("commissioning:top-up-band-retire", kwargs={"pk": band.pk})
    question = client.get(retire).content.decode()
    assert "Are you sure you want to retire band B?" in question
    band.refresh_from_db()
    assert band.active  # asking changes nothing
    assert client.post(retire).status_code == 302
    band.refresh_from_db()
    assert not band.active and band.retired_at is not None
    page = client.get(TABLE).content.decode()
    assert "Retired bands" in page and "Enhanced" in page


def test_the_table_downloads_as_xlsx(client, la):
    TopUpBandFactory(local_authority=la, code="A", label="Standard", annual_amount=Decimal("4000.00"))
    TopUpBandFactory(local_authority=la, code="B", label="Enhanced", annual_amount=Decimal("8000.50"))
    client.force_login(member(Role.FINANCE_OFFICER, la))
    response = client.get(TABLE + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:4] == ("Code", "Name", "For", "Annual top-up")
    assert [row[:4] for row in rows[1:]] == [
        ("A", "Standard", "Every provision", 4000),
        ("B", "Enhanced", "Every provision", 8000.5),
    ]
