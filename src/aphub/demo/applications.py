"""Providers' applications to the demo LA's open arrangement, made through the services a provider and an officer
would call, so the demo obeys every rule (file checks, one open application per provider, the state machine).

- Greenway Farm Learning CIC, a small unregistered provider (seed 001: small providers struggle to meet the
  criteria), holds some evidence and has a draft application to two lots: the readiness checklist shows what it
  lacks (no DBS record, insurance below the minimum, a safeguarding lead's certificate expiring soon).
- Vale Inclusion Academy Trust, a registered provider, has submitted a complete application; an officer asked for
  clarification of its insurance, so it waits for the trust's answer with the decision clock paused.

Idempotent: a provider that already applied to the arrangement is left as it is. Dates are relative to today.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from aphub.commissioning.applications import services
from aphub.commissioning.applications.queries import criteria_needed
from aphub.commissioning.arrangements.criteria import criteria_set
from aphub.commissioning.evaluation import services as evaluation
from aphub.commissioning.models import Application, CommercialArrangement, Evidence, Lot
from aphub.core.clock import today
from aphub.organisations.models import LocalAuthority, Provider, Role, User

SMALL_PROVIDER = "Greenway Farm Learning CIC"
REGISTERED_PROVIDER = "Vale Inclusion Academy Trust"


def _pdf(title: str) -> SimpleUploadedFile:
    """A small real PDF with the document's title on its one page."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return SimpleUploadedFile(f"{title}.pdf", body, content_type="application/pdf")


def _staff(provider: Provider) -> User | None:
    return (
        User.objects.filter(memberships__provider=provider, memberships__role=Role.PROVIDER_STAFF, is_active=True)
        .order_by("pk")
        .first()
    )


def _evidence(
    user: User, criterion: str, title: str, *, expires_in_days: int | None = None, cover: str | None = None
) -> Evidence:
    provider_id = user.memberships.get(role=Role.PROVIDER_STAFF).provider_id
    existing = Evidence.objects.filter(provider_id=provider_id, criterion=criterion, title=title).first()
    if existing is not None:
        return existing
    return services.add_evidence(
        user=user,
        criterion=criterion,
        title=title,
        file=_pdf(title),
        cover_amount=Decimal(cover) if cover else None,
        expires_on=today() + datetime.timedelta(days=expires_in_days) if expires_in_days is not None else None,
    )


def _lots(arrangement: CommercialArrangement, *titles: str) -> list[Lot]:
    lots = list(arrangement.lots.filter(title__in=titles))
    return lots or list(arrangement.lots.order_by("number")[:2])


def _greenway_draft(arrangement: CommercialArrangement, user: User) -> Application:
    """Some evidence, a draft to two lots with a few answers written: enough to see what is still missing."""
    registration = _evidence(user, "registration", "Certificate of incorporation (community interest company)")
    policy = _evidence(
        user, "safeguarding-policy", "Safeguarding and child protection policy 2026", expires_in_days=300
    )
    lead = _evidence(user, "safeguarding-lead", "Designated safeguarding lead training certificate", expires_in_days=20)
    insurance = _evidence(
        user,
        "insurance-public-liability",
        "Public liability insurance schedule",
        expires_in_days=200,
        cover="2000000.00",  # below the £5 million minimum: the checklist names it
    )
    application = services.start_application(
        user=user, arrangement=arrangement, lots=_lots(arrangement, "Part time and vocational", "Therapeutic")
    )
    written = {
        "registration": (
            "Greenway Farm Learning is a community interest company (number 09900041) running a working farm "
            "as a place of learning since 2019.",
            [registration],
        ),
        "safeguarding-policy": (
            "Our policy follows Keeping children safe in education and the Elmbridge Vale safeguarding "
            "partnership's procedures. We phone the commissioning school or the LA the same day.",
            [policy],
        ),
        "safeguarding-lead": ("Our founder is the designated safeguarding lead; the farm manager is deputy.", [lead]),
        "insurance-public-liability": ("We are insured with a farm insurer; renewal is in the spring.", [insurance]),
    }
    for response in application.responses.all():
        if response.criterion in written:
            statement, evidence = written[response.criterion]
            services.save_response(user=user, response=response, statement=statement, evidence=evidence)
    services.make_declarations(user=user, application=application, codes=["true-and-complete"])
    return application


def _academy_in_clarification(arrangement: CommercialArrangement, user: User, officer: User | None) -> Application:
    """A complete application, submitted; the officer asks about the employer's liability certificate."""
    application = _complete(arrangement, user, _lots(arrangement, "Face to face full time", "Online"))
    if officer is not None and "insurance-employers-liability" in application.responses.values_list(
        "criterion", flat=True
    ):
        evaluation.score_application(
            user=officer,
            application=application,
            scores=[
                evaluation.Score(
                    criterion="insurance-employers-liability",
                    outcome="clarification",
                    reason="The certificate names the trust's former address.",
                    question=(
                        "The employer's liability certificate shows your former address. Please send the "
                        "certificate issued after your move, or the insurer's endorsement of the new address."
                    ),
                )
            ],
        )
    return application


def _complete(arrangement: CommercialArrangement, user: User, lots: list[Lot]) -> Application:
    """Every criterion answered with in-date evidence, every declaration made, submitted."""
    application = services.start_application(user=user, arrangement=arrangement, lots=lots)
    provider = application.provider
    for criterion in criteria_needed(provider, lots):
        item = _evidence(
            user,
            criterion.code,
            f"{criterion.evidence[0]} ({provider.display_name})",
            expires_in_days=400 if criterion.expires else None,
            cover=str(criterion.minimum_cover) if criterion.minimum_cover is not None else None,
        )
        services.save_response(
            user=user,
            response=application.responses.get(criterion=criterion.code),
            statement=f"{provider.display_name} meets this: see the attached {criterion.evidence[0].lower()}.",
            evidence=[item],
        )
    services.make_declarations(
        user=user,
        application=application,
        codes=[d.code for d in criteria_set(arrangement.criteria_version).declarations],
    )
    return services.submit_application(user=user, application=application)


def _admitted_with_a_placement(arrangement: CommercialArrangement, la: LocalAuthority, officer: User, admin: User):
    """A third provider admitted with two sign-offs, and a child's placement bought under its lot."""
    from aphub.directory.models import Provision
    from aphub.placements import services as placements
    from aphub.placements.models import Episode

    provision = (
        Provision.objects.filter(local_authority=la, status=Provision.Status.PUBLISHED, places__gt=2)
        .exclude(provider__legal_name__in=[SMALL_PROVIDER, REGISTERED_PROVIDER])
        .filter(provider__memberships__role=Role.PROVIDER_STAFF)
        .order_by("pk")
        .first()
    )
    if provision is None or Application.objects.filter(provider=provision.provider, arrangement=arrangement).exists():
        return None
    user = _staff(provision.provider)
    lot = arrangement.lots.order_by("number").first()
    application = _complete(arrangement, user, [lot])
    evaluation.score_application(
        user=officer,
        application=application,
        scores=[
            evaluation.Score(criterion=code, outcome="met", reason="Evidence in date and complete.")
            for code in application.responses.values_list("criterion", flat=True)
        ],
    )
    evaluation.recommend(user=officer, application=application, outcome="admit")
    evaluation.sign_off(user=admin, application=application)
    _first_visit(provision.provider, officer)
    # Its insurance renews next month: the sweep's 30-day reminder is due (aphub sweep-commissioning).
    Evidence.objects.filter(provider=provision.provider, criterion="insurance-public-liability").update(
        expires_on=today() + datetime.timedelta(days=25)
    )
    episode = (
        Episode.objects.filter(pupil__local_authority=la, status=Episode.Status.OPEN, route__kind="permanent-exclusion")
        .exclude(placements__isnull=False)
        .exclude(pupil__waiting_list_entries__isnull=False)
        .order_by("start_date", "pk")
        .first()
    )
    if episode is not None:
        placements.offer_placement(
            user=officer, episode=episode, provision=provision, lot=lot, start_date=today(), tier="2",
            sessions_per_week=10, hours_per_week=Decimal("25"), annual_cost=Decimal("19500.00"),
            over_limit_reason="Farm-based learning the child has asked for; registration is being applied for",
        )  # fmt: skip
    return application


def _first_visit(provider: Provider, officer: User) -> None:
    """The first monitoring visit after admission finds things to improve: amber, with actions."""
    from aphub.commissioning.models import QAArea
    from aphub.commissioning.quality import services as quality

    visit = quality.schedule_visit(
        user=officer,
        provider=provider,
        scheduled_for=today(),
        reason="routine",
        because="First visit after admission to the DPS",
    )
    ratings = {area: ("green", "") for area in QAArea.values}
    ratings["attendance"] = ("amber", "Attendance 84% this half-term, below the 90% the contract expects.")
    ratings["premises"] = ("amber", "Two fire doors were wedged open during the visit.")
    quality.record_visit(
        user=officer,
        visit=visit,
        held_on=today(),
        ratings=ratings,
        overall="amber",
        summary="Safe, caring provision with good teaching; attendance and fire safety need attention.",
    )
    for description, owner, days in (
        ("Send the LA a weekly attendance report with follow-up of each absence.", "Head of centre", 14),
        ("Fit hold-open devices linked to the fire alarm, or keep the doors closed.", "Business manager", 7),
    ):
        quality.add_action(
            user=officer,
            visit=visit,
            description=description,
            owner=owner,
            due_on=today() + datetime.timedelta(days=days),
        )


def build_demo_applications(la: LocalAuthority) -> dict[str, int]:
    """Applications of the demo providers to the LA's open, published arrangement; nothing when it has none."""
    arrangement = (
        CommercialArrangement.objects.filter(
            owner=la, status=CommercialArrangement.Status.OPEN, published_at__isnull=False
        )
        .order_by("starts_on", "pk")
        .first()
    )
    if arrangement is None:
        return {}
    officer = (
        User.objects.filter(memberships__local_authority=la, memberships__role=Role.LA_OFFICER, is_active=True)
        .order_by("pk")
        .first()
    )
    steps = {
        SMALL_PROVIDER: lambda user: _greenway_draft(arrangement, user),
        REGISTERED_PROVIDER: lambda user: _academy_in_clarification(arrangement, user, officer),
    }
    for name, build in steps.items():
        provider = Provider.objects.filter(legal_name=name).first()
        user = _staff(provider) if provider is not None else None
        if user is None or Application.objects.filter(provider=provider, arrangement=arrangement).exists():
            continue
        build(user)
    admin = (
        User.objects.filter(memberships__local_authority=la, memberships__role=Role.LA_ADMIN, is_active=True)
        .order_by("pk")
        .first()
    )
    if officer is not None and admin is not None:
        _admitted_with_a_placement(arrangement, la, officer, admin)
    return {
        "applications": Application.objects.filter(arrangement=arrangement).count(),
        "evidence documents": Evidence.objects.filter(provider__local_authority=la).count(),
    }
