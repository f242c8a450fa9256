"""Review and follow-up pages. Views parse, call one query or service, and render.

Access: every page is `role_required`; placements and follow-ups are fetched through the scoped queries (another
organisation's: 404, the same as a missing one); writing is the services' decision (NotPermitted: 403).
Every page that shows a child's reviews or follow-up logs a "view"; the lists of names (follow-ups due, overdue
reviews) are worklists, not a child's record, and log nothing per row (as the duties worklist).
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from aphub.audit.services import log_access, log_list_read
from aphub.core.clock import today
from aphub.core.files.exports import download_links, requested_format
from aphub.core.permissions import require
from aphub.core.web.views import form_page, service_call
from aphub.organisations.access import role_required
from aphub.organisations.models import COMMISSIONERS, LA_STAFF, PROVIDER_ROLES, SCHOOL_ROLES
from aphub.organisations.queries import membership_of
from aphub.placements.exports import FOLLOW_UPS, OVERDUE_REVIEWS, download
from aphub.placements.models import Destination, Placement, Review
from aphub.placements.permissions import can_record_follow_up, can_record_review
from aphub.placements.reviews import queries, services
from aphub.placements.reviews.forms import FollowUpForm, ReviewForm

READERS = LA_STAFF | SCHOOL_ROLES | PROVIDER_ROLES
WRITERS = COMMISSIONERS | PROVIDER_ROLES

KIND_NAMES = {Review.Kind.START: "start review", Review.Kind.REVIEW: "review", Review.Kind.EXIT: "exit review"}
KIND_TITLES = {
    Review.Kind.START: "Record a start review",
    Review.Kind.REVIEW: "Record a review",
    Review.Kind.EXIT: "Record an exit review",
}


def _back_link(placement: Placement) -> tuple[str, str]:
    return reverse("placements:placement", kwargs={"pk": placement.pk}), "Placement"


def _destination_label(value: str) -> str:
    return Destination(value).label if value in Destination.values else value


def _placement(request: HttpRequest, pk: int) -> Placement:
    return get_object_or_404(queries.placements_visible_to(request.user), pk=pk)


@role_required(READERS)
def reviews(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    shown = queries.reviews_of(request.user, placement)
    log_access(user=request.user, obj=placement, verb="view", path=request.path)
    for review in shown:
        log_access(user=request.user, obj=review, verb="view", path=request.path)
    return render(
        request,
        "placements/reviews/list.html",
        {
            "placement": placement,
            "reviews": shown,
            "progress": queries.outcome_progress(placement),
            "has_scores": bool(shown),
            "kinds": [(kind, KIND_TITLES[kind]) for kind in services.kinds_allowed(request.user, placement)],
            "back_link": _back_link(placement),
            "destination_label": _destination_label(placement.destination),
            "today": today(),
        },
    )


def _default_kind(request: HttpRequest, placement: Placement) -> str:
    allowed = services.kinds_allowed(request.user, placement)
    asked = request.GET.get("kind", "")
    if asked in Review.Kind.values:
        return asked
    return allowed[0] if allowed else Review.Kind.REVIEW


@role_required(WRITERS)
def record_review(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    require(
        can_record_review(membership_of(request.user), placement),
        "Only the provider and the commissioner of this placement can record its reviews.",
    )
    kind = _default_kind(request, placement)
    problem = services.kind_problem(placement, kind)
    if problem:
        messages.error(request, problem)
        return redirect("placements:reviews", pk=placement.pk)
    interval = services.policy_for(placement.pupil.local_authority).review_interval_weeks
    form = ReviewForm(
        request.POST if request.method == "POST" else None, kind=kind, interval_weeks=interval, placement=placement
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            with service_call(request, form, field_for=form.field_for) as call:
                review = services.record_review(
                    user=request.user,
                    placement=placement,
                    kind=kind,
                    held_on=data["held_on"],
                    scores=form.scores(),
                    pupil_voice=data["pupil_voice"],
                    parent_view=data["parent_view"],
                    summary=data["summary"],
                    next_review_due=data.get("next_review_due"),
                )
                saved = f"The {KIND_NAMES[review.kind]} is saved."
                if review.next_review_due:
                    due = review.next_review_due
                    saved += f" The next review is due on {due.day} {due:%B %Y}."
                return call.done(saved, "placements:reviews", pk=placement.pk)
    else:
        log_access(user=request.user, obj=placement, verb="view", path=request.path)
    return form_page(
        request, "placements/reviews/form.html", form, placement=placement, kind=kind, title=KIND_TITLES[kind]
    )


@role_required(WRITERS)
def overdue_reviews(request: HttpRequest) -> HttpResponse:
    if fmt := requested_format(request):
        return download(request, OVERDUE_REVIEWS, list(queries.overdue_reviews_for(request.user)), fmt)
    placements = list(queries.overdue_reviews_for(request.user)[:500])
    log_list_read(request, placements, list_name="Overdue reviews")
    return render(
        request,
        "placements/reviews/overdue.html",
        {"placements": placements, "today": today(), "downloads": download_links(request)},
    )


@role_required(COMMISSIONERS)
def follow_ups(request: HttpRequest) -> HttpResponse:
    fmt = requested_format(request)
    due = queries.follow_ups_due_for(request.user)
    due = list(due if fmt else due[:500])
    if not fmt:
        log_list_read(request, due, list_name="Follow-ups due")
    rows = [{"follow_up": follow_up, "state": queries.follow_up_state(follow_up)} for follow_up in due]
    if fmt:
        return download(request, FOLLOW_UPS, rows, fmt, records=due)
    return render(
        request,
        "placements/reviews/follow_ups.html",
        {"rows": rows, "downloads": download_links(request)},
    )


@role_required(COMMISSIONERS)
def record_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(queries.follow_ups_visible_to(request.user), pk=pk)
    require(
        can_record_follow_up(membership_of(request.user), follow_up),
        "Only the local authority and the child's school can record this follow-up.",
    )
    form = FollowUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            with service_call(request, form, field_for=lambda field: field if field == "lasted" else None) as call:
                services.record_follow_up(
                    user=request.user,
                    follow_up=follow_up,
                    lasted=form.cleaned_data["lasted"],
                    notes=form.cleaned_data["notes"],
                )
                return call.done(
                    f"The follow-up for {follow_up.placement.pupil.full_name} is saved.", "placements:follow-ups"
                )
    else:
        log_access(user=request.user, obj=follow_up, verb="view", path=request.path)
    return form_page(
        request,
        "placements/reviews/follow_up_form.html",
        form,
        follow_up=follow_up,
        placement=follow_up.placement,
        state=queries.follow_up_state(follow_up),
    )
