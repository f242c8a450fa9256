"""Referral and AP panel pages.

Views parse, call one service or query, and render. Access: every page is `role_required` (wrong role: 403) and
fetches its referral or meeting through referral_queries (another organisation's: 404, the same as a missing one).
Every page that shows a referral logs a "view" of it and of the child (referrals.record_view).
"""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from aphub.audit.services import log_list_read
from aphub.core.files.exports import download_links, requested_format
from aphub.core.forms.error_summary import error_links
from aphub.core.web.views import found_or_404, opened_or_404, private_attachment, service_call
from aphub.directory.queries import terms_by_vocabulary
from aphub.organisations.access import role_required
from aphub.organisations.models import CASE_READERS, COMMISSIONERS, LA_EDITORS, LA_STAFF
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of
from aphub.placements.exports import REFERRALS, download
from aphub.placements.models import Episode, Referral
from aphub.placements.permissions import can_refer, can_sit_on_panel
from aphub.placements.referrals import queries, services
from aphub.placements.referrals.forms import DecisionForm, DocumentForm, PanelMeetingForm, ReferralForm
from aphub.placements.referrals.services import Action, IncompleteReferral
from aphub.placements.suggestions import suggest_for_referrals, suggest_provisions

REFERRERS = COMMISSIONERS
# Not the finance officer: a referral is the child's case (decision 0027).
READERS = CASE_READERS
SUGGESTIONS_SHOWN = 5
PUPILS_LISTED = 50


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _offer_url(referral: Referral, decision=None) -> str | None:
    """The placement offer page for the approved provision.

    The offer page reads `provision` as its initial choice; `referral` lets it link the placement to this referral,
    which is what shows the referral to the provider offered the place.
    """
    url = reverse("placements:offer", kwargs={"pk": referral.pupil_id})
    query = {"referral": referral.pk}
    if decision is not None and decision.provision_id:
        query["provision"] = decision.provision_id
    return f"{url}?{urlencode(query)}"


def _is_la_staff(request: HttpRequest) -> bool:
    return acts_as(membership_of(request.user), LA_STAFF)


def _referral(request: HttpRequest, pk: int) -> Referral:
    return found_or_404(queries.referral_for_page(request.user, pk), "referral")


# --- Referrals -------------------------------------------------------------------------------------------------


@role_required(READERS)
def referral_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Referral.Status.values:
        status = ""
    if fmt := requested_format(request):
        return download(request, REFERRALS, list(queries.referral_list(request.user, status=status)), fmt)
    referrals = list(queries.referral_list(request.user, status=status)[:500])
    log_list_read(request, referrals, list_name="Referrals list")
    return render(
        request,
        "placements/referrals/list.html",
        {
            "referrals": referrals,
            "status": status,
            "statuses": Referral.Status.choices,
            "can_refer": can_refer(membership_of(request.user)),
            "downloads": download_links(request),
        },
    )


def _form_page(request, *, pupil, form, referral=None, status=200) -> HttpResponse:
    return render(
        request,
        "placements/referrals/form.html",
        {"pupil": pupil, "form": form, "referral": referral, "errors": error_links(form)},
        status=status,
    )


def _sent_referral(request: HttpRequest, episodes: list[Episode]) -> tuple[ReferralForm, Episode | None]:
    """The referral form as sent, and the open episode it chose (None while the form has problems)."""
    form = ReferralForm(request.POST, episodes=episodes, terms=terms_by_vocabulary())
    if not form.is_valid():
        return form, None
    return form, next(e for e in episodes if str(e.pk) == form.cleaned_data["episode"])


@role_required(REFERRERS)
def referral_new(request: HttpRequest) -> HttpResponse:
    pupil_param = request.GET.get("pupil")
    if pupil_param is None:
        words = request.GET.get("q", "")[:100]
        pupils = queries.pupils_to_refer(request.user, words=words, limit=PUPILS_LISTED + 1)
        log_list_read(request, pupils[:PUPILS_LISTED], list_name="Children to refer")
        return render(
            request,
            "placements/referrals/choose_pupil.html",
            {"pupils": pupils[:PUPILS_LISTED], "more": len(pupils) > PUPILS_LISTED, "words": words},
        )
    pk = _int(pupil_param)
    pupil = found_or_404(queries.pupil_for_referral(request.user, pk) if pk is not None else None, "pupil")
    episodes = queries.open_episodes(request.user, pupil)
    if not episodes:
        return render(request, "placements/referrals/no_episode.html", {"pupil": pupil})
    if request.method == "POST":
        form, episode = _sent_referral(request, episodes)
        if episode is not None:
            with service_call(request, form) as call:
                referral = services.create_referral(user=request.user, pupil=pupil, episode=episode, **form.values())
                return call.done(
                    "The referral is saved as a draft. Submit it to the panel when it is complete.",
                    "placements:referral",
                    pk=referral.pk,
                )
        return _form_page(request, pupil=pupil, form=form)
    initial = {"full_time_requested": "yes"}
    if len(episodes) == 1:
        initial["episode"] = str(episodes[0].pk)
    return _form_page(
        request, pupil=pupil, form=ReferralForm(episodes=episodes, terms=terms_by_vocabulary(), initial=initial)
    )


@role_required(REFERRERS)
def referral_edit(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    if Action.EDIT not in services.allowed_actions(request.user, referral):
        messages.error(request, "You can only change a draft referral that you made.")
        return redirect("placements:referral", pk=referral.pk)
    episodes = queries.open_episodes(request.user, referral.pupil)
    if referral.episode_id not in {e.pk for e in episodes}:
        episodes = [referral.episode, *episodes]
    if request.method == "POST":
        form, episode = _sent_referral(request, episodes)
        if episode is not None:
            with service_call(request, form) as call:
                services.update_referral(user=request.user, referral=referral, episode=episode, **form.values())
                return call.done("Your changes are saved.", "placements:referral", pk=referral.pk)
        return _form_page(request, pupil=referral.pupil, form=form, referral=referral)
    services.record_view(user=request.user, referral=referral, path=request.path)
    form = ReferralForm(episodes=episodes, terms=terms_by_vocabulary(), initial=ReferralForm.initial_from(referral))
    return _form_page(request, pupil=referral.pupil, form=form, referral=referral)


def _detail_page(request, referral, *, upload_form=None, problems=None, status=200) -> HttpResponse:
    services.record_view(user=request.user, referral=referral, path=request.path)
    allowed = services.allowed_actions(request.user, referral)
    upload_form = upload_form or DocumentForm()
    errors = error_links(upload_form) if upload_form.is_bound else []
    if problems:
        edit = reverse("placements:referral-edit", kwargs={"pk": referral.pk})
        errors = [{"href": f"{edit}#{_problem_anchor(field)}", "text": text} for field, text in problems] + errors
    show_suggestions = _is_la_staff(request) and referral.status in (
        Referral.Status.SUBMITTED,
        Referral.Status.DEFERRED,
    )
    decisions = queries.decisions_shown(request.user, referral)
    can_offer = services.may_offer_placement(request.user, referral)
    return render(
        request,
        "placements/referrals/detail.html",
        {
            "referral": referral,
            "pupil": referral.pupil,
            "episode": queries.episode_shown(request.user, referral),
            "decisions": decisions,
            "documents": list(referral.documents.all()),
            "allowed": {action.value for action in allowed},
            "upload_form": upload_form,
            "errors": errors,
            "suggestions": suggest_provisions(referral=referral, limit=SUGGESTIONS_SHOWN) if show_suggestions else [],
            "offer_url": _offer_url(referral, _approval(decisions)) if can_offer else None,
        },
        status=status,
    )


def _approval(decisions):
    return next((d for d in decisions if d.outcome == d.Outcome.APPROVE), None)


def _problem_anchor(field: str) -> str:
    if field == "consent_given":
        return "id_consent_given"
    return f"id_{field}"


@role_required(READERS)
@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _referral(request, pk))


def _submitted(request: HttpRequest, referral: Referral) -> str:
    """What happens next, promising no meeting that is not scheduled (submitted referrals wait for any panel)."""
    next_panel = queries.next_panel_date(request.user, referral)
    if next_panel is None:
        return (
            "The referral is sent to the AP panel. No panel meeting is scheduled yet. "
            "The local authority will schedule the panel, and the referral will be on its agenda."
        )
    return (
        "The referral is sent to the AP panel. "
        f"The next panel meets on {next_panel.day} {next_panel:%B %Y}, and the referral is on its agenda."
    )


def _lifecycle_view(operation, success):
    """`success` is the sentence shown after the change, or a function of the request and referral that says it."""

    @role_required(REFERRERS)
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        referral = _referral(request, pk)
        with service_call(request):
            try:
                operation(user=request.user, referral=referral)
            except IncompleteReferral as error:
                return _detail_page(request, referral, problems=error.problems)
            messages.success(request, success(request, referral) if callable(success) else success)
        return redirect("placements:referral", pk=referral.pk)

    view.__name__ = operation.__name__
    return view


referral_submit = _lifecycle_view(services.submit_referral, _submitted)
referral_withdraw = _lifecycle_view(services.withdraw_referral, "The referral is withdrawn.")


@role_required(REFERRERS)
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        with service_call(request, form) as call:
            services.upload_document(
                user=request.user, referral=referral, title=form.cleaned_data["title"], file=form.cleaned_data["file"]
            )
            return call.done(
                f"{form.cleaned_data['title']} is added to the referral.", "placements:referral", pk=referral.pk
            )
    return _detail_page(request, referral, upload_form=form)


@role_required(READERS)
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = found_or_404(queries.document_for_download(request.user, pk), "document")
    handle = opened_or_404(document.file)
    services.record_download(user=request.user, document=document, path=request.path)
    extension = services.EXTENSIONS.get(document.content_type, "")
    name = re.sub(r"[^A-Za-z0-9]+", "-", document.title).strip("-")[:80] or "document"
    return private_attachment(handle, filename=f"{name}{extension}", content_type=document.content_type)


# --- Panel -----------------------------------------------------------------------------------------------------


@role_required(LA_STAFF)
def panel_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "placements/panel/list.html",
        {
            "meetings": list(queries.meetings_visible_to(request.user)[:200]),
            "can_arrange": can_sit_on_panel(membership_of(request.user)),
        },
    )


@role_required(LA_EDITORS)
def panel_new(request: HttpRequest) -> HttpResponse:
    form = PanelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            meeting = services.create_panel_meeting(
                user=request.user, date=form.cleaned_data["date"], members=form.cleaned_data["members"]
            )
            return call.done(
                f"The panel meeting of {meeting.date:%-d %B %Y} is arranged.", "placements:panel-meeting", pk=meeting.pk
            )
    return render(request, "placements/panel/form.html", {"form": form, "errors": error_links(form)})


def _agenda_page(request, meeting, *, bound: DecisionForm | None = None, bound_for: int | None = None) -> HttpResponse:
    referrals = queries.agenda(request.user, meeting)
    for referral in referrals:
        services.record_view(user=request.user, referral=referral, path=request.path)
    suggestions = suggest_for_referrals(referrals=referrals, limit=SUGGESTIONS_SHOWN)
    can_decide = can_sit_on_panel(membership_of(request.user))
    provisions = list(queries.provisions_for_decision(request.user, meeting)) if can_decide else []
    items = []
    for referral in referrals:
        found = suggestions.get(referral.pk, [])
        form = None
        if can_decide:
            if bound is not None and bound_for == referral.pk:
                form = bound
            else:
                form = _decision_form(referral, provisions, found)
        items.append({"referral": referral, "suggestions": found, "form": form})
    decisions = queries.decisions_at(request.user, meeting)
    for decision in decisions:
        decision.offer_url = (
            _offer_url(decision.referral, decision)
            if can_decide
            and decision.outcome == decision.Outcome.APPROVE
            and decision.referral.status == Referral.Status.APPROVED
            else None
        )
    return render(
        request,
        "placements/panel/meeting.html",
        {
            "meeting": meeting,
            "items": items,
            "decisions": decisions,
            "can_decide": can_decide,
            "errors": error_links(bound) if bound is not None else [],
        },
    )


def _decision_form(referral, provisions, suggestions, data=None) -> DecisionForm:
    return DecisionForm(
        data,
        prefix=f"referral-{referral.pk}",
        provisions=provisions,
        suggested_ids=[s.provision.pk for s in suggestions],
        initial={"tier": referral.requested_tier},
    )


def _meeting(request: HttpRequest, pk: int):
    return found_or_404(queries.meeting_for_page(request.user, pk), "panel meeting")


@role_required(LA_STAFF)
@require_GET
def panel_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return _agenda_page(request, _meeting(request, pk))


@role_required(LA_EDITORS)
@require_POST
def panel_decide(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    referral_pk = _int(request.POST.get("referral"))
    referral = queries.agenda_referral(request.user, meeting, referral_pk) if referral_pk is not None else None
    if referral is None:
        messages.error(request, "That referral is not waiting for this panel. It may have been decided already.")
        return redirect("placements:panel-meeting", pk=meeting.pk)
    provisions = list(queries.provisions_for_decision(request.user, meeting))
    found = suggest_provisions(referral=referral, limit=SUGGESTIONS_SHOWN)
    form = _decision_form(referral, provisions, found, data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        provision = next((p for p in provisions if str(p.pk) == data["provision"]), None)
        with service_call(request, form) as call:
            decision = services.record_decision(
                user=request.user,
                meeting=meeting,
                referral=referral,
                outcome=data["outcome"],
                reasons=data["reasons"],
                tier=data["tier"],
                provision=provision,
                weeks=data["weeks"],
                decline_reason=data["decline_reason"],
            )
            return call.done(
                f"{decision.get_outcome_display()}: the referral for {referral.pupil.full_name} is recorded.",
                "placements:panel-meeting",
                pk=meeting.pk,
            )
    return _agenda_page(request, meeting, bound=form, bound_for=referral.pk)
