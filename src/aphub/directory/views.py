"""Directory pages: the public search and provision pages, and the staff pages of the provision lifecycle.

Views parse, call one query or service, and render. Access: the public pages are on the allow-list; every staff
page is `role_required` (wrong role: 403) and fetches the provision through `provisions_visible_to` (another
organisation's provision: 404, the same as a missing one).
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aphub.core.errors import DomainError
from aphub.core.forms.error_summary import error_links
from aphub.core.web.views import form_page, found_or_404, lifecycle_button, service_call
from aphub.organisations.access import role_required
from aphub.organisations.models import FINANCE_OFFICERS, LA_EDITORS, LA_STAFF, PROVIDER_ROLES, SCHOOL_ROLES
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of

from . import public_cache, queries, services
from .forms import (
    ProvisionForm,
    RejectForm,
    SearchForm,
    cost_option_formset,
)
from .models import Provision, Vocabulary
from .permissions import can_add_provision
from .services import Action
from .snapshots import current_proposal

# The finance officer reads the LA's provisions and their costs, and acts on none (decision 0027).
DIRECTORY_STAFF = LA_STAFF | FINANCE_OFFICERS | PROVIDER_ROLES
LA_AND_PROVIDER_EDITORS = LA_EDITORS | PROVIDER_ROLES


# -- Public pages ---------------------------------------------------------------------------------------------


def search(request: HttpRequest) -> HttpResponse:
    if public_cache.cacheable(request) and (page := public_cache.cached_page(request)) is not None:
        return page
    response = _search(request)
    if public_cache.cacheable(request):
        public_cache.keep_page(request, response)
    return response


def _search(request: HttpRequest) -> HttpResponse:
    terms = queries.terms_by_vocabulary()
    data = request.GET
    school_postcode = _school_postcode(request)
    if school_postcode and "postcode" not in data:
        data = data.copy()
        data["postcode"] = school_postcode
    form = SearchForm(
        data,
        terms=terms,
        local_authorities=queries.local_authorities_with_published_provisions(),
        school_postcode=school_postcode,
    )
    # A filter in error is left out, not the whole search: the error summary and the field say what is wrong, and
    # the other filters' results stay in view (a mistyped postcode used to empty the page).
    filters = form.usable_filters()
    try:
        results = _search_results(request, filters)
    except DomainError as error:  # a postcode no geocoder can place: said on the field, the rest still applies
        form.add_error(error.field if error.field in form.fields else None, error.message)
        results = _search_results(request, {**filters, "postcode": ""})
    query = request.GET.copy()
    query.pop("page", None)
    return form_page(
        request,
        "directory/search.html",
        form,
        results=results,
        page_query=query.urlencode(),
        page_range=_page_range(results.page) if results else [],
    )


def _search_results(request: HttpRequest, data: dict) -> queries.SearchResults:
    return queries.search_provisions(
        words=data["words"],
        tiers=data["tier"],
        key_stages=data["key_stage"],
        needs=data["need"],
        delivery_modes=data["delivery_mode"],
        local_authority=data["local_authority"],
        with_vacancies=data["with_vacancies"],
        postcode=data["postcode"],
        within_miles=data["within"] if data["postcode"] else None,
        sort=data["sort"],
        page=request.GET.get("page", 1),
    )


def _school_postcode(request: HttpRequest) -> str:
    """The signed-in school's own postcode, from which its searches measure distance ('' for anyone else)."""
    if not request.user.is_authenticated:
        return ""
    membership = membership_of(request.user)
    if not acts_as(membership, SCHOOL_ROLES) or membership.school is None:
        return ""
    return membership.school.postcode or ""


def _page_range(page) -> list[int | None]:
    """Page numbers for the GOV.UK pagination component; None stands for an ellipsis."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


def provision(request: HttpRequest, pk: int) -> HttpResponse:
    found = found_or_404(queries.public_provision(pk), "provision")
    return render(request, "directory/provision.html", _provision_context(found))


def _provision_context(provision: Provision) -> dict:
    by_vocabulary: dict[str, list] = {vocabulary: [] for vocabulary in Vocabulary.values}
    for term in provision.terms.all():
        by_vocabulary[term.vocabulary].append(term)
    return {
        "provision": provision,
        "provider": provision.provider,
        "vacancies": queries.vacancies_for([provision])[provision.pk],
        "tiers": by_vocabulary[Vocabulary.TIER],
        "key_stages": by_vocabulary[Vocabulary.KEY_STAGE],
        "needs": by_vocabulary[Vocabulary.NEED],
        "delivery_modes": by_vocabulary[Vocabulary.DELIVERY_MODE],
    }


# -- Staff pages ----------------------------------------------------------------------------------------------


@role_required(DIRECTORY_STAFF)
def manage(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    provisions = queries.provisions_visible_to(request.user).select_related("provider").order_by("name", "pk")
    is_provider = acts_as(membership, PROVIDER_ROLES)
    return render(
        request,
        "directory/manage.html",
        {
            "is_provider": is_provider,
            "can_add": can_add_provision(membership),
            "provisions": list(provisions),
            "queue": [] if is_provider else queries.approval_queue(request.user),
            # The LA's staff decide what waits for approval; the finance officer only reads the list.
            "shows_queue": acts_as(membership, LA_STAFF),
        },
    )


def _visible_provision(request: HttpRequest, pk: int) -> Provision:
    return get_object_or_404(
        queries.provisions_visible_to(request.user).select_related("provider", "local_authority", "approved_by"),
        pk=pk,
    )


def _edit_page(request, *, form, formset, provision=None, status=200) -> HttpResponse:
    return render(
        request,
        "directory/provision_form.html",
        {
            "form": form,
            "formset": formset,
            "provision": provision,
            "errors": error_links(form, formset) if (form.errors or formset.total_error_count()) else [],
        },
        status=status,
    )


def _costs_from(formset) -> list[dict]:
    return [option for form in formset if (option := form.option()) is not None]


def _add_service_error(form: ProvisionForm, formset, error: DomainError) -> None:
    """Each of the service's messages on its field: the terms under the tier question, a cost's on the cost rows."""
    for each in error.errors:
        field = {"terms": "tier"}.get(each.field or "", each.field)
        if field == "cost_options":
            formset.forms[0].add_error("label", each.message)
        elif field in form.fields:
            form.add_error(field, each.message)
        else:
            form.add_error(None, each.message)


@role_required(PROVIDER_ROLES)
def create(request: HttpRequest) -> HttpResponse:
    terms = queries.terms_by_vocabulary()
    if request.method == "POST":
        form = ProvisionForm(request.POST, terms=terms)
        formset = cost_option_formset(data=request.POST)
        if form.is_valid() and formset.is_valid():
            with service_call(request, on_error=lambda error: _add_service_error(form, formset, error)) as call:
                made = services.create_provision(
                    user=request.user,
                    values=form.values(),
                    term_codes=form.term_codes(),
                    cost_options=_costs_from(formset),
                )
                return call.done(
                    f"{made.name} is saved as a draft. Submit it for approval when it is ready.",
                    "directory:review",
                    pk=made.pk,
                )
        return _edit_page(request, form=form, formset=formset)
    form = ProvisionForm(terms=terms, initial={"attendance_pattern": Provision.AttendancePattern.FULL_TIME})
    return _edit_page(request, form=form, formset=cost_option_formset())


@role_required(PROVIDER_ROLES)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    provision = _visible_provision(request, pk)
    if Action.EDIT not in services.allowed_actions(request.user, provision):
        messages.error(request, "You cannot change this provision while it is waiting for approval or archived.")
        return redirect("directory:review", pk=provision.pk)
    terms = queries.terms_by_vocabulary()
    if request.method == "POST":
        form = ProvisionForm(request.POST, terms=terms)
        formset = cost_option_formset(data=request.POST)
        if form.is_valid() and formset.is_valid():
            with service_call(request, on_error=lambda error: _add_service_error(form, formset, error)):
                updated = services.update_provision(
                    user=request.user,
                    provision=provision,
                    values=form.values(),
                    term_codes=form.term_codes(),
                    cost_options=_costs_from(formset),
                )
                if updated.status == Provision.Status.DRAFT:
                    messages.success(request, "Your changes are saved.")
                elif updated.pending_changes:
                    messages.success(
                        request,
                        "Your changes are sent to the local authority for approval. "
                        "The directory shows the published version until they are approved.",
                    )
                else:
                    messages.success(request, "No changes are waiting for approval: this is the published version.")
                return redirect("directory:review", pk=updated.pk)
        return _edit_page(request, form=form, formset=formset, provision=provision)
    proposal = current_proposal(provision)
    form = ProvisionForm(terms=terms, initial=ProvisionForm.initial_from(proposal, terms))
    return _edit_page(
        request, form=form, formset=cost_option_formset(initial=proposal["cost_options"]), provision=provision
    )


def _review_page(request: HttpRequest, provision: Provision, reject_form=None, status=200) -> HttpResponse:
    allowed = services.allowed_actions(request.user, provision)
    reject_form = reject_form or RejectForm()
    return render(
        request,
        "directory/review.html",
        {
            "provision": provision,
            "rows": queries.proposed_changes(provision),
            "allowed": {action.value for action in allowed},
            "has_pending": bool(provision.pending_changes),
            "reject_form": reject_form,
            "errors": error_links(reject_form) if reject_form.errors else [],
            "is_provider": acts_as(membership_of(request.user), PROVIDER_ROLES),
        },
        status=status,
    )


@role_required(DIRECTORY_STAFF)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, _visible_provision(request, pk))


def _lifecycle_view(operation, roles: frozenset[str], success: str):
    """A button on the provision's review page that moves it through the lifecycle; `success` names it {moved.name}."""
    view = lifecycle_button(
        operation, find=_visible_provision, keyword="provision", said=success, to="directory:review"
    )
    return role_required(roles)(view)


submit = _lifecycle_view(
    services.submit_provision, PROVIDER_ROLES, "{moved.name} is sent to the local authority for approval."
)
approve = _lifecycle_view(
    services.approve_provision, LA_EDITORS, "{moved.name} is approved and published in the directory."
)
_archive_now = _lifecycle_view(
    services.archive_provision,
    LA_AND_PROVIDER_EDITORS,
    "{moved.name} is archived. It no longer appears in the directory.",
)


@role_required(LA_AND_PROVIDER_EDITORS)
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "are you sure" and says what will change; the POST from that page archives the provision."""
    if request.method == "POST":
        return _archive_now(request, pk)
    provision = _visible_provision(request, pk)
    if Action.ARCHIVE not in services.allowed_actions(request.user, provision):
        messages.error(request, f"{provision.name} cannot be archived now.")
        return redirect("directory:review", pk=provision.pk)
    changes = [f"{provision.name} no longer appears in the public directory or its Open Referral UK data."]
    if provision.pending_changes:
        changes.append("The changes waiting for approval are dropped.")
    held = queries.places_held([provision.pk]).get(provision.pk, 0)
    if held:
        children = "1 child holds a place" if held == 1 else f"{held} children hold places"
        changes.append(f"{children} there (offered, accepted or active). Their placements do not change.")
    changes.append("It can be restored later as a draft, which needs approval again before it is public.")
    return render(
        request,
        "components/confirm.html",
        {
            "heading": f"Are you sure you want to archive {provision.name}?",
            "caption": provision.provider.display_name,
            "changes": changes,
            "action": request.path,
            "button": f"Yes, archive {provision.name}",
            "back": reverse("directory:review", kwargs={"pk": provision.pk}),
        },
    )


restore = _lifecycle_view(
    services.restore_provision,
    LA_AND_PROVIDER_EDITORS,
    "{moved.name} is restored as a draft. It needs approval before it is public.",
)


@role_required(LA_EDITORS)
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    provision = _visible_provision(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _review_page(request, provision, reject_form=form)

    def said(error: DomainError) -> None:  # about the reason: beside it; anything else: in a banner on the review
        if error.field == "reason":
            form.add_error("reason", error.message)
        else:
            messages.error(request, error.message)

    with service_call(request, on_error=said) as call:
        services.reject_provision(user=request.user, provision=provision, reason=form.cleaned_data["reason"])
        return call.done(f"{provision.name} is returned to the provider with your reason.", reverse("directory:manage"))
    if form.errors:
        return _review_page(request, provision, reject_form=form)
    return redirect("directory:review", pk=provision.pk)
