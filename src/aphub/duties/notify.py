"""Reminders and alerts leave AP Hub here, always through the task queue so a slow mail server never slows a page.

The backend is a settings switch, APHUB_NOTIFY_BACKEND: "email" (Django's EMAIL_BACKEND) or "govuk-notify"
(GOV.UK Notify, with NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID of a template with ((subject)) and ((body))).
Messages never carry a child's sensitive details: a name, what is due and a link to sign in.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


def absolute_url(path: str) -> str:
    """A link for an e-mail: APHUB_BASE_URL (the site's address; development sets its own) before the path.

    E-mail is read outside the service, so a bare path would lead nowhere.
    """
    return getattr(settings, "APHUB_BASE_URL", "").rstrip("/") + path


def notify(*, recipients: Iterable[str], subject: str, body: str) -> int:
    """Queue one message to each recipient; returns how many were queued."""
    addresses = sorted({address.strip().lower() for address in recipients if address and address.strip()})
    for address in addresses:
        send_notification.enqueue(address, subject, body)
    return len(addresses)


@task()
def send_notification(address: str, subject: str, body: str) -> None:
    backend = getattr(settings, "APHUB_NOTIFY_BACKEND", "email")
    if backend == "govuk-notify":
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(settings.NOTIFY_API_KEY)
        client.send_email_notification(
            email_address=address,
            template_id=settings.NOTIFY_TEMPLATE_ID,
            personalisation={"subject": subject, "body": body},
        )
        return
    send_mail(subject, body, None, [address])
