"""The individual placement agreement: a PDF naming the parties, the pupil, the provision, the dates and the money,
rendered without touching the network."""

import datetime
import socket

import pytest
import time_machine

from aphub.duties.models import LocalPolicy
from aphub.funding.models import FundingLine
from aphub.placements.agreement import StaticFilesOnly, agreement_html, agreement_pdf
from tests.factories import (
    EpisodeFactory,
    PlacementFactory,
    ProviderFactory,
    ProvisionFactory,
    PupilFactory,
    SchoolFactory,
    route_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_the_day_it_was_offered():
    with time_machine.travel(datetime.date(2026, 11, 3), tick=False):
        yield


@pytest.fixture
def placement():
    pupil = PupilFactory(first_name="Robin", last_name="Hartley", date_of_birth=datetime.date(2012, 3, 14))
    la = pupil.local_authority
    school = SchoolFactory(local_authority=la, name="Kingsmead School", urn="140123")
    provider = ProviderFactory(
        local_authority=la, legal_name="Greenway Learning Ltd", trading_name="Greenway", ukprn="10012345"
    )
    provision = ProvisionFactory(
        provider=provider,
        local_authority=la,
        name="Greenway Horizons Centre",
        address_line_1="12 Station Road",
        town="Solihull",
        postcode="B91 3QB",
    )
    return PlacementFactory(
        pupil=pupil,
        episode=EpisodeFactory(pupil=pupil, route=route_for(la), school=school),
        provision=provision,
        status="offered",
        planned_end_date=datetime.date(2027, 4, 30),
        annual_cost="18000.00",
        expected_outcomes="Back in full-time mainstream education by the summer term.",
    )


def test_the_agreement_is_a_pdf(placement):
    pdf = agreement_pdf(placement)
    assert pdf.startswith(b"%PDF-")
    assert b"%%EOF" in pdf[-1024:]


def test_the_agreement_names_the_parties_the_pupil_and_the_provision(placement):
    html = agreement_html(placement)
    for text in (
        placement.pupil.local_authority.name,  # the LA commissions a permanent exclusion placement
        "Greenway Learning Ltd, trading as Greenway",
        "UKPRN: 10012345",
        "Robin Hartley",
        f"UPN: {placement.pupil.upn}",
        "Date of birth: 14 March 2012",
        "Kingsmead School (URN 140123)",
        "Greenway Horizons Centre",
        "12 Station Road, Solihull, B91 3QB",
        "Tier 2: time-limited placement",
        "From the 6th day following a permanent exclusion",
        "Dual registration (stays on the school roll)",
        "10 November 2026",
        "30 April 2027",
        "Full time",
        "Back in full-time mainstream education by the summer term.",
        "Safe and feels safe",
        "Social skills, friendships, relationships and community",
        "Keeping children safe in education (KCSIE)",
        "designated safeguarding lead",
        "UK GDPR",
    ):
        assert text in html, text


def test_the_agreement_shows_the_annual_cost_and_the_funding_lines_without_storing_them(placement):
    html = agreement_html(placement)
    assert "£18,000.00" in html
    # 10 November 2026 to 31 March 2027 (142 of 365 days), then 1 to 30 April 2027 (30 of 366).
    for amount in ("£3,890.41", "£3,112.33", "£819.67", "£655.74", "£8,478.15"):
        assert amount in html, amount
    assert not FundingLine.objects.exists()


def test_a_school_commissioner_is_named_with_its_urn(placement):
    school = placement.episode.school
    placement.commissioner, placement.commissioning_school = "school", school
    placement.save()
    html = agreement_html(placement)
    assert "Commissioner (school)" in html and "URN: 140123" in html
    assert html.count("Kingsmead School") >= 3  # commissioner, home school and the top-up payer


def test_a_part_time_placement_gives_its_reason_and_review_date(placement):
    placement.is_full_time = False
    placement.part_time_reason = "Anxiety: building up from mornings only"
    placement.part_time_review_date = datetime.date(2026, 12, 8)
    placement.save()
    html = agreement_html(placement)
    assert "Part time, because: Anxiety: building up from mornings only" in html
    assert "8 December 2026" in html


def test_reviews_follow_the_las_policy(placement):
    LocalPolicy.objects.create(local_authority=placement.pupil.local_authority, review_interval_weeks=4)
    assert "reviewed at least every 4 weeks" in agreement_html(placement)


def test_the_pdf_title_does_not_name_the_child(placement):
    html = agreement_html(placement)
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "Hartley" not in title and str(placement.pk) in title


@pytest.fixture
def connections(monkeypatch) -> list:
    """Every attempt to open a network connection, refused and recorded (WeasyPrint turns errors into warnings)."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_rendering_the_agreement_opens_no_network_connection(placement, connections):
    assert agreement_pdf(placement).startswith(b"%PDF-")
    assert connections == []


REMOTE = '<p>Hi</p><img src="https://tracker.example/pixel.png"><link rel="stylesheet" href="http://cdn.example/a.css">'


def test_our_fetcher_never_follows_a_remote_link(connections):
    from weasyprint import HTML

    HTML(string=REMOTE, base_url="file:///", url_fetcher=StaticFilesOnly()).write_pdf()
    assert connections == []


def test_weasyprints_own_fetcher_would_have_followed_it(connections):
    # The control: without our fetcher the same page tries the network, so the test above can fail.
    from weasyprint import HTML

    HTML(string=REMOTE, base_url="file:///").write_pdf()
    assert connections != []


def test_markup_in_a_providers_text_is_shown_as_text(placement):
    placement.provision.name = 'Greenway <img src="https://tracker.example/pixel.png">'
    placement.provision.save()
    html = agreement_html(placement)
    assert "&lt;img" in html and "<img" not in html


@pytest.mark.parametrize(
    "url",
    [
        "https://tracker.example/pixel.png",
        "http://127.0.0.1:8000/static/dist/app.css",
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "file://evil.example/static/agreement.css",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(ValueError):
        StaticFilesOnly().fetch(url)


def test_the_fetcher_serves_our_static_files(settings, tmp_path):
    (tmp_path / "agreement.css").write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [tmp_path]
    response = StaticFilesOnly().fetch("file:///static/agreement.css")
    assert response.read() == b"body { color: black; }"
