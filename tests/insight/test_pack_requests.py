"""Committee packs made in the background (issue 14, decision 0037): asking records a request and queues the task, so
the request returns at once; the worker makes the file and keeps it privately; the page lists the LA's packs with
their status and a download for ready ones; the same pack is not made twice while one is in hand; a failure reads as
failed and can be asked again; downloads are the LA's staff's only, and every request and download is logged; packs
over 30 days old are swept away."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from aphub.audit.models import AccessLogEntry
from aphub.core.clock import now
from aphub.insight import pack, pack_requests
from aphub.insight.models import PackRequest
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, member

pytestmark = pytest.mark.django_db
URL = "insight:committee-pack"
PACK_LOG = "insight.PackRequest"


@pytest.fixture
def queue_only(settings):
    """The dummy task backend: tasks are queued and never run, as when the worker has not reached them yet."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    return default_task_backend


@pytest.fixture
def quick_making(monkeypatch):
    """The task makes a stand-in file instead of the pack: for tests of what happens around the making (who may
    download, the log, the sweep), which the real pack's seconds of work would only slow."""
    monkeypatch.setattr(pack_requests, "_made", lambda request: (b"PK stand-in", "committee-pack-stand-in"))


def ask(client, django_capture_on_commit_callbacks, *, period: str = "2026", format: str = "xlsx"):
    """Press "Make the pack" as the signed-in user, running what waits for the commit (the enqueue)."""
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse(URL), {"period": period, "format": format})


def ready_pack(user, *, period: str = "2026", format: str = "xlsx") -> PackRequest:
    """A pack of the user's LA asked for and made by the task, as the worker would."""
    asked = pack_requests.ask_for_pack(user=user, period=period, format=format)
    assert pack_requests.make_committee_pack.call(asked.request.pk) == "ready"
    asked.request.refresh_from_db()
    return asked.request


def test_asking_queues_the_pack_and_makes_nothing_in_the_request(
    client, town, queue_only, monkeypatch, django_capture_on_commit_callbacks
):
    def not_here(*args, **kwargs):
        raise AssertionError("the pack was made in the web request")

    monkeypatch.setattr(pack, "committee_pack_for", not_here)
    client.force_login(town.officer)
    response = ask(client, django_capture_on_commit_callbacks, period="2026", format="pdf")
    assert response.status_code == 302 and response["Location"] == reverse(URL)
    (asked,) = PackRequest.objects.all()
    assert (asked.local_authority, asked.period, asked.format, asked.status) == (town.la, "2026", "pdf", "queued")
    assert asked.requested_by == town.officer and not asked.file
    (queued,) = queue_only.results
    assert queued.task.func is pack_requests.make_committee_pack.func and queued.args == [asked.pk]

    page = client.get(reverse(URL)).content.decode()
    assert "The committee pack for 2026/27 (PDF) is being made." in page
    assert "A pack is being made &mdash; refresh this page" in page
    assert "Queued" in page and town.officer.full_name in page
    assert "Download<span" not in page


def test_asking_again_while_one_is_in_hand_gives_the_same_pack(
    client, town, queue_only, django_capture_on_commit_callbacks
):
    client.force_login(town.officer)
    ask(client, django_capture_on_commit_callbacks, format="pdf")
    client.force_login(town.admin)  # the LA's admin, a moment later: the same records, the same pack
    again = ask(client, django_capture_on_commit_callbacks, format="pdf")
    assert PackRequest.objects.count() == 1 and len(queue_only.results) == 1
    assert "already asked for" in client.get(again["Location"]).content.decode()

    PackRequest.objects.update(status=PackRequest.Status.MAKING)
    ask(client, django_capture_on_commit_callbacks, format="pdf")
    assert PackRequest.objects.count() == 1

    ask(client, django_capture_on_commit_callbacks, format="xlsx")  # another format is another pack
    ask(client, django_capture_on_commit_callbacks, period="2026-autumn", format="pdf")  # and another period
    assert PackRequest.objects.count() == 3 and len(queue_only.results) == 3


def test_the_worker_makes_the_pack_and_the_page_offers_it(client, town, django_capture_on_commit_callbacks):
    client.force_login(town.officer)
    ask(client, django_capture_on_commit_callbacks, period="2026-autumn", format="xlsx")  # immediate backend
    (made,) = PackRequest.objects.all()
    assert made.status == "ready" and made.size == len(made.file.read()) > 0
    assert made.started_at is not None and made.finished_at >= made.started_at
    assert made.file.name.startswith("committee-packs/")  # the private storage; no public URL serves it

    page = client.get(reverse(URL)).content.decode()
    download = reverse("insight:committee-pack-download", kwargs={"pk": made.pk})
    assert "Ready" in page and f'href="{download}"' in page and "refresh this page" not in page
    response = client.get(download)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        f'attachment; filename="committee-pack-{town.la.la_code}-autumn-term-2026-27.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert workbook.sheetnames[0] == "About this pack"


def test_asking_and_downloading_are_logged(client, town, quick_making, django_capture_on_commit_callbacks):
    client.force_login(town.officer)
    ask(client, django_capture_on_commit_callbacks)
    (made,) = PackRequest.objects.all()
    asked = AccessLogEntry.objects.get(object_type=PACK_LOG, verb="create")
    assert (asked.object_id, asked.user_email, asked.path) == (str(made.pk), town.officer.email, reverse(URL))

    client.force_login(town.admin)
    path = reverse("insight:committee-pack-download", kwargs={"pk": made.pk})
    client.get(path)
    client.get(path)
    downloads = AccessLogEntry.objects.filter(object_type=PACK_LOG, object_id=str(made.pk), verb="export")
    assert [(entry.user_email, entry.path) for entry in downloads] == [(town.admin.email, path)] * 2


def test_a_pack_that_cannot_be_made_shows_failed_and_can_be_asked_again(
    client, town, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("a figure that cannot be drawn")

    monkeypatch.setattr(pack, "committee_pack_for", broken)
    client.force_login(town.officer)
    response = ask(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    (failed,) = PackRequest.objects.all()
    assert failed.status == "failed" and failed.failure_reason == pack_requests.COULD_NOT_MAKE and not failed.file
    page = client.get(reverse(URL))
    body = page.content.decode()
    assert page.status_code == 200 and "Failed" in body and "Ask for it again" in body
    assert "a figure that cannot be drawn" not in body  # the error is the administrators', in the server's log
    assert client.get(reverse("insight:committee-pack-download", kwargs={"pk": failed.pk})).status_code == 404

    monkeypatch.undo()
    ask(client, django_capture_on_commit_callbacks)
    assert [made.status for made in PackRequest.objects.all()] == ["ready", "failed"]


def test_the_task_makes_each_pack_once(town, quick_making):
    made = ready_pack(town.officer)
    name = made.file.name
    assert pack_requests.make_committee_pack.call(made.pk) == "not queued"
    made.refresh_from_db()
    assert made.file.name == name


@pytest.mark.parametrize("who", ["another LA's officer", "school staff", "provider staff", "finance officer"])
def test_only_the_las_own_staff_download_its_pack(client, town, quick_making, who):
    made = ready_pack(town.officer)
    user, status = {
        "another LA's officer": (member(Role.LA_OFFICER, LocalAuthorityFactory()), 404),
        "school staff": (town.school_a_staff, 403),
        "provider staff": (town.p1_staff, 403),
        "finance officer": (member(Role.FINANCE_OFFICER, town.la), 403),
    }[who]
    client.force_login(user)
    assert client.get(reverse("insight:committee-pack-download", kwargs={"pk": made.pk})).status_code == status
    page = client.get(reverse(URL))
    if status == 403:
        assert page.status_code == 403
    else:  # another LA's officer sees the page, without this LA's pack
        assert "No pack has been asked for" in page.content.decode()
    assert not AccessLogEntry.objects.filter(object_type=PACK_LOG, verb="export").exists()


def test_the_auditor_opens_only_packs_without_the_childrens_sensitive_facts(client, town, quick_making):
    """An officer's pack counts children by SEN, need, ethnicity and looked-after status, which the auditor may not
    read (pupils.sensitive); the auditor's own pack is made as the auditor reads, and the officers may open it."""
    auditor = member(Role.AUDITOR, town.la)
    officers = ready_pack(town.officer)
    auditors = ready_pack(auditor)
    assert (officers.reader_role, auditors.reader_role) == (Role.LA_OFFICER, Role.AUDITOR)
    client.force_login(auditor)
    assert client.get(reverse("insight:committee-pack-download", kwargs={"pk": officers.pk})).status_code == 404
    assert client.get(reverse("insight:committee-pack-download", kwargs={"pk": auditors.pk})).status_code == 200
    assert [made.pk for made in pack_requests.recent_packs(auditor)] == [auditors.pk]
    client.force_login(town.admin)
    assert client.get(reverse("insight:committee-pack-download", kwargs={"pk": auditors.pk})).status_code == 200
    assert {made.pk for made in pack_requests.recent_packs(town.admin)} == {officers.pk, auditors.pk}


def test_the_pack_is_made_as_a_reader_in_the_askers_role(town, monkeypatch):
    readers = []

    def made_as(reader, *, period):
        readers.append((reader.membership.role, reader.membership.local_authority, reader.pk))
        raise RuntimeError("stop here")

    monkeypatch.setattr(pack, "committee_pack_for", made_as)
    for user in (town.officer, member(Role.AUDITOR, town.la)):
        asked = pack_requests.ask_for_pack(user=user, period="2026", format="xlsx")
        pack_requests.make_committee_pack.call(asked.request.pk)
    assert readers == [(Role.LA_OFFICER, town.la, None), (Role.AUDITOR, town.la, None)]  # never a saved user


def test_a_pack_not_ready_is_not_downloaded(client, town, queue_only):
    queued = pack_requests.ask_for_pack(user=town.officer, period="2026", format="pdf").request
    client.force_login(town.officer)
    assert client.get(reverse("insight:committee-pack-download", kwargs={"pk": queued.pk})).status_code == 404


def test_a_button_that_is_not_pdf_or_xlsx_is_refused_with_a_message(client, town, queue_only):
    client.force_login(town.officer)
    response = client.post(reverse(URL), {"period": "2026", "format": "docx"})
    assert response.status_code == 400
    assert "Choose to make the pack as a PDF or as a spreadsheet (XLSX)" in response.content.decode()
    assert not PackRequest.objects.exists()


def test_the_sweep_deletes_packs_over_30_days_old_with_their_files_and_fails_lost_ones(town, quick_making):
    old, kept = ready_pack(town.officer), ready_pack(town.officer, period="2026-autumn")
    storage, old_file = old.file.storage, old.file.name
    PackRequest.objects.filter(pk=old.pk).update(requested_at=now() - datetime.timedelta(days=31))
    PackRequest.objects.filter(pk=kept.pk).update(requested_at=now() - datetime.timedelta(days=29))
    lost = pack_requests.ask_for_pack(user=town.officer, period="2026-spring", format="pdf").request
    PackRequest.objects.filter(pk=lost.pk).update(status="making", started_at=now() - datetime.timedelta(hours=2))

    out = io.StringIO()
    call_command("sweep-committee-packs", stdout=out)
    assert out.getvalue().strip() == "Committee packs: 1 over 30 days old deleted, 1 lost mid-build failed"
    assert set(PackRequest.objects.values_list("pk", flat=True)) == {kept.pk, lost.pk}
    assert not storage.exists(old_file) and storage.exists(kept.file.name)
    lost.refresh_from_db()
    assert lost.status == "failed" and lost.failure_reason == pack_requests.LOST

    call_command("sweep-committee-packs", stdout=out)  # again: nothing more to do
    assert PackRequest.objects.count() == 2
