"""Committee packs made in the background (issue 14, decision 0040): pressing "Make the pack" records a PackRequest
and queues `make_committee_pack`; the task queue's worker (`aphub db_worker`) makes the PDF or workbook, which on
the large LA takes tens of seconds of WeasyPrint, and keeps it in the private file storage; the page lists the LA's
packs and serves a ready one through a view that logs each download.

The pack is made as a reader of the LA in the asker's role (pack.reader_for), not as the asker: every officer gets
the same pack for the same period, and sees those an auditor asked for; an officer's pack, which counts children by
their sensitive facts (SEN, need, ethnicity, looked-after status), is not offered to the auditor, who may not read
those (pupils.sensitive). Counts are withheld by the LA's threshold when the pack is made.
"""

import datetime
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django_tasks import task

from aphub.audit.services import log_access
from aphub.core.clock import now
from aphub.core.files import exports, uploads
from aphub.core.permissions import require
from aphub.organisations.models import LA_ROLES, Role, User
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of
from aphub.pupils.sensitive import sensitive_fields_for

from . import pack
from .dashboards.filters import period_of
from .models import PackRequest

logger = logging.getLogger(__name__)

# How long a pack is kept after it was asked for; `aphub sweep-committee-packs` deletes older ones (and their files).
KEPT_DAYS = 30
# A pack still "being made" this long after it started was lost with its worker (stopped or killed mid-build): the
# sweep marks it failed so it can be asked for again. The large LA's pack takes well under a minute.
LOST_AFTER = datetime.timedelta(hours=1)
# What the page says of a pack that failed while being made. The error itself goes to the server's log.
COULD_NOT_MAKE = (
    "Something went wrong while the pack was being made. Ask for it again; if it fails again, tell the service's "
    "administrators."
)
LOST = "The pack was not finished: the service stopped while making it. Ask for it again."
CONTENT_TYPES = {PackRequest.Format.PDF: uploads.PDF, PackRequest.Format.XLSX: exports.CONTENT_TYPES[exports.XLSX]}


@dataclass(frozen=True)
class Asked:
    request: PackRequest
    created: bool  # False when the same period and format was already queued or being made


def _openable(user: User) -> QuerySet[PackRequest]:
    """The packs of the user's LA made in a role that reads no sensitive fact the user may not read."""
    membership = membership_of(user)
    if membership is None or membership.local_authority is None:
        return PackRequest.objects.none()
    readable = sensitive_fields_for(user)
    roles = [
        role
        for role in sorted(LA_ROLES)
        if sensitive_fields_for(pack.reader_for(membership.local_authority, role)) <= readable
    ]
    return PackRequest.objects.visible_to(user).filter(reader_role__in=roles)


def _reader_role(user: User) -> str:
    """The role the user's pack is made as: the officer's for the LA's admins too (they read the same records and the
    same sensitive facts, so one pack serves both), else the user's own."""
    membership = membership_of(user)
    assert membership is not None and membership.local_authority is not None
    for role in (Role.LA_OFFICER, Role.AUDITOR):
        if sensitive_fields_for(pack.reader_for(membership.local_authority, role)) == sensitive_fields_for(user):
            return role
    return membership.role


def recent_packs(user: User) -> QuerySet[PackRequest]:
    """The user's LA's packs of the last KEPT_DAYS days that the user may open, newest first, with who asked."""
    since = now() - datetime.timedelta(days=KEPT_DAYS)
    return _openable(user).filter(requested_at__gte=since).select_related("requested_by")


def pack_for_download(user: User, pk: int) -> PackRequest | None:
    """A ready pack of the user's LA that the user may open, or None (another LA's, one made for a role that reads
    more than the user, one not ready, or none)."""
    return _openable(user).filter(pk=pk, status=PackRequest.Status.READY).first()


def ask_for_pack(*, user: User, period: str, format: str, path: str = "") -> Asked:
    """Record that `user` asked for their LA's pack for `period` (a PeriodForm choice) as `format` ("pdf" or "xlsx")
    and queue its making once the request is saved; while the same period and format is queued or being made, give
    that request instead of making the pack twice. Logged as a creation of the request (audit app)."""
    membership = membership_of(user)
    require(acts_as(membership, LA_ROLES), "Only the local authority's staff make its committee pack")
    assert membership is not None and membership.local_authority_id is not None
    format = PackRequest.Format(format)
    _, _, label, _ = period_of(period)
    same = {
        "local_authority_id": membership.local_authority_id,
        "period": period,
        "format": format,
        "reader_role": _reader_role(user),
    }
    in_hand = PackRequest.objects.filter(**same, status__in=[PackRequest.Status.QUEUED, PackRequest.Status.MAKING])
    found = in_hand.first()
    if found is not None:
        return Asked(found, created=False)
    try:
        with transaction.atomic():
            made = PackRequest.objects.create(**same, period_label=label, requested_by=user)
            log_access(user=user, obj=made, verb="create", path=path)
            transaction.on_commit(lambda: make_committee_pack.enqueue(made.pk))
    except IntegrityError:
        # Someone asked for the same pack a moment earlier (pack_request_one_in_hand): theirs is the one to wait for.
        found = in_hand.first()
        if found is None:  # theirs was made in between: ask again
            return ask_for_pack(user=user, period=period, format=format, path=path)
        return Asked(found, created=False)
    return Asked(made, created=True)


def record_download(*, user: User, request: PackRequest, path: str) -> None:
    """A pack left the system: logged as an export of the pack (it names no child, so no child's record is read)."""
    log_access(user=user, obj=request, verb="export", path=path)


@task()
def make_committee_pack(request_id: int) -> str:
    """Make the pack of PackRequest `request_id` and keep it; mark it failed, with a reason to read, if it cannot be
    made. Runs once per request: a request no longer queued (made already, or swept) is left alone."""
    with transaction.atomic():
        claimed = PackRequest.objects.filter(pk=request_id, status=PackRequest.Status.QUEUED).update(
            status=PackRequest.Status.MAKING, started_at=now()
        )
    if not claimed:
        return "not queued"
    request = PackRequest.objects.select_related("local_authority").get(pk=request_id)
    try:
        content, file_name = _made(request)
        request.file.save(f"{file_name}-{request.pk}.{request.format}", ContentFile(content), save=False)
    except Exception:
        # Whatever went wrong (a figure that cannot be drawn, the storage full), the officer reads "failed" and may
        # ask again, rather than waiting on a pack that never comes; the administrators read the traceback.
        logger.exception("Committee pack %s could not be made", request_id)
        PackRequest.objects.filter(pk=request_id).update(
            status=PackRequest.Status.FAILED, failure_reason=COULD_NOT_MAKE, finished_at=now()
        )
        return "failed"
    request.file_name = f"{file_name}.{request.format}"
    request.size = len(content)
    request.status = PackRequest.Status.READY
    request.finished_at = now()
    request.save(update_fields=["file", "file_name", "size", "status", "finished_at"])
    return "ready"


def _made(request: PackRequest) -> tuple[bytes, str]:
    """The pack's bytes and its file name (without the extension)."""
    made = pack.committee_pack_for(pack.reader_for(request.local_authority, request.reader_role), period=request.period)
    if request.format == PackRequest.Format.PDF:
        return pack.pack_pdf(made), made.file_name
    return exports.workbook_bytes(pack.pack_sheets(made)), made.file_name


@dataclass(frozen=True)
class Swept:
    deleted: int
    lost: int

    def summary(self) -> str:
        return f"Committee packs: {self.deleted} over {KEPT_DAYS} days old deleted, {self.lost} lost mid-build failed"


def sweep_packs() -> Swept:
    """Delete packs asked for over KEPT_DAYS days ago, with their files, and mark failed those a stopped worker left
    being made. Idempotent: run it daily from cron (`aphub sweep-committee-packs`)."""
    lost = PackRequest.objects.filter(status=PackRequest.Status.MAKING, started_at__lt=now() - LOST_AFTER).update(
        status=PackRequest.Status.FAILED, failure_reason=LOST, finished_at=now()
    )
    old = list(PackRequest.objects.filter(requested_at__lt=now() - datetime.timedelta(days=KEPT_DAYS)))
    for request in old:
        if request.file.name:
            request.file.delete(save=False)
        request.delete()
    return Swept(deleted=len(old), lost=lost)
