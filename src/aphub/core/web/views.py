"""What every page that runs a service does with its outcome, written once."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aphub.core.errors import DomainError, NotPermitted
from aphub.core.forms.error_summary import error_links
from aphub.core.forms.fields import add_domain_error

Found = TypeVar("Found")


def found_or_404(found: Found | None, what: str) -> Found:
    """What a page's query found, or a 404 "No such <what>": one the user may not see is the same as a missing one."""
    if found is None:
        raise Http404(f"No such {what}")
    return found


def opened_or_404(stored: FieldFile) -> IO[bytes]:
    """A stored file opened to send; one missing from the storage is a 404 (before its download is logged)."""
    try:
        return stored.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("The file is missing") from error


def private_attachment(handle: IO[bytes], *, filename: str, content_type: str) -> FileResponse:
    """An opened stored file as a download that no shared cache keeps: a child's papers, or a pack not published
    until its committee meets."""
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


class ServiceCall:
    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def done(self, message: str, to: Any, *args: Any, **kwargs: Any) -> HttpResponseRedirect:
        """Say what was done (a GOV.UK success banner) and go on to `to`, as `redirect(to, *args, **kwargs)`."""
        messages.success(self.request, message)
        return redirect(to, *args, **kwargs)


@contextmanager
def service_call(
    request: HttpRequest,
    form: forms.Form | None = None,
    *,
    field_for: Callable[[str | None], str | None] | None = None,
    on_error: Callable[[DomainError], None] | None = None,
) -> Iterator[ServiceCall]:
    """Run a service for a page: a refusal (NotPermitted, from any app) is a 403; any other DomainError is shown and
    the rest of the block is skipped, so the view goes on to render its form again.

    Where the error is shown: on `form` (every problem of a DomainErrors, against its field: `add_domain_error`, with
    `field_for` mapping the service's field names to the form's), else through `on_error`, else as an error banner
    (a button with no form of its own).

        if request.method == "POST" and form.is_valid():
            with service_call(request, form) as call:
                made = services.add_lot(user=request.user, arrangement=arrangement, **form.cleaned_data)
                return call.done(f"{made} is added.", "commissioning:arrangement-manage", pk=arrangement.pk)
        return render(request, "commissioning/lot.html", {"form": form})

    A service's own error that a page answers differently (an incomplete referral shows its gaps) is caught inside
    the block, before it reaches here.
    """
    try:
        yield ServiceCall(request)
    except NotPermitted:
        raise  # a 403: NotPermitted is also Django's PermissionDenied (not shown on the form below)
    except DomainError as error:
        if form is not None:
            add_domain_error(form, error, field_for=field_for)
        elif on_error is not None:
            on_error(error)
        else:
            messages.error(request, error.message)


PAGE_SIZE = 50


def paginate(request: HttpRequest, items: Any) -> Any:
    """The page of `items` the request asks for (?page=), PAGE_SIZE to a page: the lists of placements and pupils."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The list's filters as a query string, for its page links."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)  # a page link never downloads a file
    return query.urlencode()


def form_page(
    request: HttpRequest, template: str, form: forms.BaseForm, *, status: int = 200, **context: Any
) -> HttpResponse:
    """A page of one form: the form, its error summary (empty until the form has errors) and the page's context."""
    return render(request, template, {**context, "form": form, "errors": error_links(form)}, status=status)


def lifecycle_button(
    operation: Callable[..., Any],
    *,
    find: Callable[[HttpRequest, int], Any],
    keyword: str,
    said: str,
    to: str,
) -> Callable[[HttpRequest, int], HttpResponse]:
    """The POST-only view behind a button that moves one record through its lifecycle (publish, approve, archive).

    It finds the record (`find(request, pk)`, a 404 for one the user may not see), runs
    `operation(user=..., <keyword>=record)` and goes back to the record's page `to` saying `said`, which may name the
    moved record's fields (`"{moved.name} is approved."`); a refusal is an error banner on that page. The app wraps it
    in its `role_required`; the view is named after the service.
    """

    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        found = find(request, pk)
        with service_call(request) as call:
            moved = operation(user=request.user, **{keyword: found})
            return call.done(said.format(moved=moved), to, pk=found.pk)
        return redirect(to, pk=found.pk)

    view.__name__ = operation.__name__
    return view
