"""Objects of side Y for the generated access tests (tests/access/world.py OBJECT_MAKERS): provider P2's
applications, answers, questions and evidence, to LA Y's arrangements, and LA Y's unpublished arrangement."""

import datetime

from aphub.commissioning.models import Application, Clarification, CommercialArrangement

from .makers import answer_everything, make_application, make_arrangement, make_evidence

NEXT_YEAR = datetime.date(2030, 3, 31)


def unpublished_arrangements(world) -> list:
    """LA Y's arrangement still being set up: no provider may see it, so neither its readiness nor its start page."""
    return [
        make_arrangement(
            world.la_y,
            title="Yarrowdale draft dynamic market",
            status=CommercialArrangement.Status.DRAFT,
            published=False,
            kind="dynamic-market",
        )
    ]


def applications(world) -> list:
    """P2's applications to LA Y's arrangements, one in each status (an arrangement each, so each can be open)."""
    made = []
    for status in Application.Status.values:
        arrangement = make_arrangement(world.la_y, title=f"Yarrowdale {status} arrangement")
        application = make_application(world.provider_p2, arrangement, status=Application.Status.DRAFT)
        answer_everything(application, expires_on=NEXT_YEAR, statement="Second Chance's answer")
        application.status = status
        if status != Application.Status.DRAFT:
            application.submitted_at = application.created_at
        application.save()
        if status == Application.Status.CLARIFICATION:
            Clarification.objects.create(
                application=application,
                criterion="registration",
                question="Yarrowdale's question",
                asked_by=world.la_admin_y,
            )
        made.append(application)
    return made


def responses(world) -> list:
    return [response for application in applications(world)[:2] for response in application.responses.all()][:3]


def clarifications(world) -> list:
    return list(Clarification.objects.filter(application__in=applications(world)))


def evidence(world) -> list:
    """P2's evidence: some in an application submitted to LA Y, one in no application at all."""
    submitted = applications(world)[1]
    return [
        *[item for response in submitted.responses.all() for item in response.evidence.all()][:2],
        make_evidence(world.provider_p2, "financial-standing", title="Second Chance accounts"),
    ]
