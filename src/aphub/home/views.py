from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aphub.audit.services import log_list_read
from aphub.duties.queries import notification_counts, recent_notifications
from aphub.organisations.access import signed_in_required
from aphub.organisations.navigation import other_pages_for
from aphub.organisations.queries import membership_of, own_memberships

from .panels import registers_due, work_for


@signed_in_required
def home(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    if membership is None:
        return render(request, "organisations/no_membership.html", status=403)
    notifications = recent_notifications(request.user)
    # "What's new" names children (first name and initial): it is a list of children, logged as one like the others.
    log_list_read(request, [each for each in notifications if each.pupil_id], list_name="Home page: what's new")
    return render(
        request,
        "organisations/home.html",
        {
            "membership": membership,
            "can_switch": own_memberships(request.user).count() > 1,
            "work": work_for(request.user, membership),
            "registers_due": registers_due(request.user, membership),
            "notifications": notifications,
            "notification_counts": notification_counts(request.user),
            "other_pages": other_pages_for(membership),
        },
    )
