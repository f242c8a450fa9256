"""The issue's 'done when', end to end: a small provider sees what it lacks, applies to two lots, answers a
clarification, is admitted with two sign-offs, its provision takes a placement under the lot, a monitoring visit
rates it amber with actions, its insurance nears expiry and the reminder fires, and the OCDS feed validates."""

import datetime

import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from aphub.commissioning.applications import services as applications
from aphub.commissioning.applications.queries import Readiness, criteria_needed, readiness
from aphub.commissioning.arrangements import services as arrangements
from aphub.commissioning.arrangements.criteria import criteria_set
from aphub.commissioning.evaluation import services as evaluation
from aphub.commissioning.models import Admission, Application, Contract, QAArea
from aphub.commissioning.quality import services as quality
from aphub.duties.services import default_term_dates, load_term_dates
from aphub.organisations.models import Role
from aphub.placements import services as placements
from aphub.quality.services import sweep
from tests.commissioning.test_ocds import assert_valid_package, feed
from tests.factories import (
    EnrolmentFactory,
    LocalAuthorityFactory,
    ProviderFactory,
    ProvisionFactory,
    PupilFactory,
    member,
)

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", PDF, content_type="application/pdf")


def test_a_small_provider_from_readiness_to_a_placement_under_a_lot(client, db):
    with time_machine.travel(datetime.datetime(2026, 11, 10, 10, tzinfo=datetime.UTC), tick=False):
        la = LocalAuthorityFactory(name="Oxbridge County Council")
        load_term_dates(local_authority=la, **default_term_dates())
        officer, admin = member(Role.LA_OFFICER, la), member(Role.LA_ADMIN, la)
        provider = ProviderFactory(
            legal_name="Meadow Skills CIC", local_authority=la, registration_status="unregistered"
        )
        staff = member(Role.PROVIDER_STAFF, provider)
        provision = ProvisionFactory(provider=provider, local_authority=la, places=6, name="Meadow Skills vocational")

        dps = arrangements.create_arrangement(
            user=officer, kind="dps", title="AP dynamic purchasing system", reference="oxbridge-ap-dps",
            starts_on=D(2026, 9, 1),
        )  # fmt: skip
        codes = [c.code for c in criteria_set(dps.criteria_version).criteria if c.applies_to == "all"]
        vocational = arrangements.add_lot(
            user=officer, arrangement=dps, title="Part time and vocational", criteria=codes, for_unregistered=True
        )
        therapeutic = arrangements.add_lot(
            user=officer, arrangement=dps, title="Therapeutic", criteria=codes, for_unregistered=True
        )
        arrangements.publish_arrangement(user=officer, arrangement=dps)

        # Before applying, the readiness checklist names what is missing.
        before = readiness(provider, dps, [vocational, therapeutic])
        assert before and all(item.state == Readiness.MISSING for item in before)
        assert any("insurance" in item.criterion.code for item in before)

        # It applies to two lots with evidence for each criterion and makes the declarations.
        application = applications.start_application(user=staff, arrangement=dps, lots=[vocational, therapeutic])
        for criterion in criteria_needed(provider, [vocational, therapeutic]):
            item = applications.add_evidence(
                user=staff, criterion=criterion.code, title=criterion.evidence[0], file=pdf(criterion.code),
                cover_amount=criterion.minimum_cover,
                expires_on=D(2027, 10, 1) if criterion.expires else None,
            )  # fmt: skip
            applications.save_response(
                user=staff,
                response=application.responses.get(criterion=criterion.code),
                statement="See the attached document.",
                evidence=[item],
            )
        applications.make_declarations(
            user=staff, application=application, codes=[d.code for d in criteria_set(dps.criteria_version).declarations]
        )
        applications.submit_application(user=staff, application=application)

        # The LA asks for clarification; the provider answers; the clock resumes.
        evaluation.score_application(
            user=officer,
            application=application,
            scores=[
                evaluation.Score("financial-standing", "clarification", "Accounts unsigned", "Send signed accounts")
            ],
        )
        application.refresh_from_db()
        assert application.status == Application.Status.CLARIFICATION
        for question in application.clarifications.all():
            applications.answer_clarification(user=staff, clarification=question, answer="Signed accounts attached.")
        applications.answer_clarifications(user=staff, application=application)
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED

        # Two officers: one recommends, another signs off.
        answered = application.responses.values_list("criterion", flat=True)
        evaluation.score_application(
            user=officer,
            application=application,
            scores=[evaluation.Score(code, "met", "In date") for code in answered],
        )
        evaluation.recommend(user=officer, application=application, outcome="admit")
        evaluation.sign_off(user=admin, application=application)
        assert Admission.objects.filter(provider=provider).count() == 2
        contract = Contract.objects.get(provider=provider, arrangement=dps)

        # Its provision takes a placement under the lot.
        pupil = PupilFactory(local_authority=la)
        EnrolmentFactory(pupil=pupil)
        episode = placements.record_episode(
            user=officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3)
        )
        placement = placements.offer_placement(
            user=officer, episode=episode, provision=provision, lot=vocational, start_date=D(2026, 11, 10), tier="2",
            planned_end_date=D(2026, 12, 18),  # within the LA's 12 weeks for an unregistered provider
            sessions_per_week=6, hours_per_week="15", annual_cost="12000", is_full_time=False,
            part_time_reason="Vocational course three days a week", part_time_review_date=D(2026, 12, 1),
        )  # fmt: skip
        assert placement.lot == vocational and contract.reference

        # A monitoring visit rates it amber, with actions.
        visit = quality.schedule_visit(user=officer, provider=provider, scheduled_for=D(2026, 11, 10), reason="routine")
        ratings = {area: ("green", "") for area in QAArea.values}
        ratings["premises"] = ("amber", "Fire doors wedged open")
        quality.record_visit(user=officer, visit=visit, held_on=D(2026, 11, 10), ratings=ratings, overall="amber",
                             summary="Good teaching; premises need attention")  # fmt: skip
        quality.add_action(user=officer, visit=visit, description="Fix the fire doors", owner="Manager",
                           due_on=D(2026, 11, 17))  # fmt: skip
        visit.refresh_from_db()
        assert visit.overall == "amber" and visit.actions.count() == 1

        # The OCDS feed validates and names the provider's awards, with no pupil in it.
        package = feed(client)
        assert_valid_package(package)
        text = str(package)
        assert "Meadow Skills CIC" in text and pupil.last_name not in text and pupil.upn not in text

    # A month before the insurance runs out, the sweep reminds the provider.
    with time_machine.travel(datetime.datetime(2027, 9, 5, 9, tzinfo=datetime.UTC), tick=False):
        mail.outbox.clear()
        sweep()
        reminded = [m for m in mail.outbox if staff.email in m.to]
        assert reminded and any("insurance" in m.subject.lower() or "insurance" in m.body.lower() for m in reminded)
