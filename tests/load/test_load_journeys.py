"""`make load`'s journeys read the real pages' forms and post them as a browser would; what they write and see
acknowledged is what the lost-writes check then finds. Run against the demo in this process: no locust, no server
(importing locust would patch the test process with gevent)."""

import random
import urllib.parse

import pytest
from django.test import Client

from aphub.demo.build import build_demo
from aphub.organisations.two_factor.services import current_code
from load.pages import attendance_file, forms_of, linked_paths, post_form, register_marks
from load.run import after_every_sign_in, check_writes, make_plan, percentile

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    build_demo()
    return make_plan()


def signed_in(plan: dict, email: str) -> Client:
    """Signed in as locustfile.sign_in does it: the sign-in page's form, filled in and posted."""
    client = Client()
    form = post_form(client.get("/sign-in/").content.decode(), having="password")
    assert form.values["csrfmiddlewaretoken"][0]
    account = plan["accounts"][email][0]  # its own account acting as `email`, as each load user has
    response = client.post("/sign-in/", posted(form.data(username=account, password=plan["password"])))
    assert response.status_code == 302, response.content.decode()[:500]
    form = post_form(client.get("/two-factor/").content.decode(), having="code")
    code = current_code(plan["totp_key_hex"])
    response = client.post("/two-factor/", posted(form.data(code=code)))
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_the_journeys_forms_posted_as_read_write_what_the_lost_writes_check_finds(plan):
    """A provider's register and attendance file, and a school's referral (one test: the demo takes a while to
    build), each posted from its page as the load users post it."""
    provider = plan["providers"][0]
    client = signed_in(plan, provider["email"])
    provision, day = provider["registers"][0]
    path = f"/attendance/?{urllib.parse.urlencode({'provision': provision, 'date': day, 'session': 'AM'})}"
    form = post_form(client.get(path).content.decode(), having="all_present")
    marks = register_marks(form, random.Random(1))
    assert marks, "the register lists the provision's children"
    saved = client.post(form.action, posted(form.data(**marks)))
    assert saved.status_code == 302 and saved["Location"].startswith("/attendance/")

    upload = post_form(client.get("/attendance/upload/").content.decode(), having="file")
    file_day, rows = provider["uploads"][0]
    sent = client.post(
        "/attendance/upload/",
        {**posted(upload.data()), "file": _named(attendance_file(file_day, [(upn, "\\") for upn, _ in rows]))},
    )
    assert sent.status_code == 302, sent.content.decode()[-2000:]

    acknowledged = [[int(name[5:]), day, "AM", code] for name, code in marks.items()]
    acknowledged += [[placement, file_day, "PM", "\\"] for _, placement in rows]
    found = check_writes({"marks": acknowledged, "referrals": []})
    assert found["marks_found"] == found["marks_acknowledged"] == len(acknowledged)
    assert found["lost"] == 0

    # A mark acknowledged but not in the database is counted lost.
    missing = check_writes({"marks": [[acknowledged[0][0], "2001-01-01", "AM", "/"]], "referrals": [0]})
    assert missing["lost"] == 2

    school = plan["schools"][0]
    client = signed_in(plan, school["email"])
    pupil = school["pupils"][0]
    page = client.get(f"/referrals/new/?pupil={pupil}").content.decode()
    form = post_form(page, having="needs_summary")
    changed = {"needs_summary": "Anxious in large groups.", "full_time_requested": "yes"}
    for name in ("episode", "requested_tier"):
        if not form.values.get(name):
            changed[name] = form.choices[name][0]
    saved = client.post(f"/referrals/new/?pupil={pupil}", posted(form.data(**changed)))
    assert saved.status_code == 302, saved.content.decode()[-2000:]
    referral = int(saved["Location"].strip("/").split("/")[-1])
    assert check_writes({"marks": [], "referrals": [referral]})["referrals_found"] == 1

    # The public's search links to the provisions it found, which the public journey then reads.
    search = Client().get(plan["searches"][0]).content.decode()
    assert linked_paths(search, r'href="(/provisions/\d+/)"')


def test_a_form_is_read_as_a_browser_would_send_it():
    page = """<form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
    <select name="s"><option value="">None</option><option value="b" selected>B</option></select>
    <select name="first"><option value="1">One</option><option value="2">Two</option></select>
    <input type="radio" name="r" value="x"><input type="radio" name="r" value="y" checked>
    <input type="checkbox" name="c" value="p"><textarea name="t">
kept</textarea><input type="file" name="f"><button name="go" value="1">Go</button></form>"""
    [form] = forms_of(page)
    assert form.data() == [("csrfmiddlewaretoken", "t"), ("s", "b"), ("first", "1"), ("r", "y"), ("t", "kept")]
    assert form.choices == {"s": ["", "b"], "first": ["1", "2"], "r": ["x", "y"], "c": ["p"]}
    assert form.files == {"f"} and form.buttons == {"go": "1"}
    assert post_form(page, having="go") is not None


def test_percentile_picks_the_nearest_rank():
    assert percentile([float(n) for n in range(1, 101)], 0.95) == 95.0
    assert percentile([], 0.95) == 0.0


def test_the_figures_after_sign_in_take_only_requests_started_once_every_user_had_signed_in():
    # (journey, step, kind, milliseconds, succeeded, finished at): the first request starts at 100.0 s.
    samples = [
        ("sign in", "post", "write", 500.0, True, 100.5),
        ("officer", "worklist", "page", 900.0, True, 101.0),  # started at 100.1, in the sign-in storm
        ("sign in", "home", "page", 200.0, True, 102.0),  # the last user signed in
        ("officer", "worklist", "page", 1500.0, True, 103.0),  # finished after, but started at 101.5: left out
        ("officer", "timeline", "page", 40.0, True, 102.54),  # started at 102.5
    ]
    later, after = after_every_sign_in(samples)
    assert later == [samples[4]]
    assert after == 2.0
    assert after_every_sign_in(samples[1:2]) == (samples[1:2], None)  # no sign-in: every sample counts


def posted(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The form's pairs as the test client takes them (a name sent several times: a list)."""
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def _named(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("attendance.csv", content, content_type="text/csv")
