"""`make load`'s users: the public, LA officers, schools and providers using AP Hub at once (run by load/run.py).

Each kind of user follows its journey with think time between pages, signed in through /sign-in/ as a person would.
Every request is named "<journey>: <step>" and marked as a page (an HTML page read), a write (a form posted) or a
file (an export downloaded), so load/run.py reports each journey and holds pages to the p95 goal.

What is written and acknowledged (a register saved, an attendance file imported, a referral saved: the redirect the
page sends after the write) is kept, with the keys to find it, and load/run.py counts those in the database after the
run: a write acknowledged but not there is a lost write. Registers and attendance files never write the same marks
twice (each takes a register, a provision's day and session, no other user takes), so the last value acknowledged for
a mark is the one that must be found.

The plan (LOAD_PLAN, made by load/run.py from the database before the run) says who signs in and which children,
registers and days exist; the results (LOAD_RESULTS) are written when the run stops.
"""

from __future__ import annotations

import collections
import http.cookiejar
import json
import os
import random
import time
import urllib.parse

from locust import HttpUser, between, events, task

from load.pages import attendance_file, linked_paths, post_form, register_marks

PLAN: dict = {}
RNG = random.Random()
SAMPLES: list[tuple[str, str, str, float, bool, float]] = []  # (journey, step, kind, milliseconds, succeeded, at)
ACKNOWLEDGED: dict[str, list] = {"marks": [], "referrals": []}
FAILURES: collections.Counter = collections.Counter()
_REGISTER_SLOTS: dict[str, collections.deque] = {}
_UPLOAD_SLOTS: dict[str, collections.deque] = {}
_TO_REFER: dict[str, collections.deque] = {}  # a child has one open referral at a time: each is referred once
_ACCOUNTS: dict[str, collections.deque] = {}  # demo e-mail -> the accounts acting as it, one per user (load/run.py)


@events.init.add_listener
def _read_plan(environment, **_kwargs) -> None:
    with open(os.environ["LOAD_PLAN"], encoding="utf-8") as file:
        PLAN.update(json.load(file))
    # Each register (provision, day, AM) and each file (provider, day, PM) is handed to one user once.
    for provider in PLAN["providers"]:
        _REGISTER_SLOTS[provider["email"]] = collections.deque(provider["registers"])
        _UPLOAD_SLOTS[provider["email"]] = collections.deque(provider["uploads"])
    for school in PLAN["schools"]:
        _TO_REFER[school["email"]] = collections.deque(school["pupils"])
    for email, accounts in PLAN.get("accounts", {}).items():
        _ACCOUNTS[email] = collections.deque(accounts)


@events.request.add_listener
def _sample(request_type, name, response_time, response_length, exception=None, context=None, **_kwargs) -> None:
    journey, _, step = name.partition(": ")
    kind = (context or {}).get("kind", "page")
    SAMPLES.append((journey, step, kind, float(response_time), exception is None, time.time()))
    if exception is not None:
        FAILURES[f"{name}: {exception}"[:300]] += 1


@events.quitting.add_listener
def _write_results(environment, **_kwargs) -> None:
    with open(os.environ["LOAD_RESULTS"], "w", encoding="utf-8") as file:
        json.dump({"samples": SAMPLES, "acknowledged": ACKNOWLEDGED, "failures": dict(FAILURES)}, file)


def _send_secure_cookies_over_http(policy, cookie, request) -> bool:
    return True


# Production cookies are Secure (__Host-): in front of gunicorn, TLS ends at the proxy, which says so with
# X-Forwarded-Proto. The load users talk plain HTTP to gunicorn as that proxy would, so they send Secure cookies back.
# Set on the class, in this process only: requests copies each session's cookies into a new jar (with a new default
# policy) for every request, so a policy set on the session's own jar is never asked.
http.cookiejar.DefaultCookiePolicy.return_ok_secure = _send_secure_cookies_over_http  # type: ignore[method-assign]


class _AphubUser(HttpUser):
    abstract = True
    journey = ""
    email = ""

    def on_start(self) -> None:
        origin = "https://" + urllib.parse.urlsplit(self.host).netloc
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + "/"})
        if self.email:
            # Its own account acting as self.email: each code is taken once per account (load/run.py).
            sign_in(self, _ACCOUNTS[self.email].popleft(), PLAN["password"])

    def page(self, step: str, path: str, *, expect: str = "<h1", journey: str = "") -> str:
        """GET an HTML page; a failure unless it answers 200 with `expect` in it. Returns its text ("" on failure)."""
        name = f"{journey or self.journey}: {step}"
        with self.client.get(path, name=name, catch_response=True, context={"kind": "page"}) as response:
            if response.status_code != 200 or expect not in response.text:
                response.failure(f"{response.status_code} without {expect!r}")
                return ""
            if response.history and urllib.parse.urlsplit(response.url).path == "/sign-in/":
                response.failure("sent to sign in")
                return ""
            return response.text

    def file(self, step: str, path: str, content_type: str) -> bool:
        name = f"{self.journey}: {step}"
        with self.client.get(path, name=name, catch_response=True, context={"kind": "file"}) as response:
            if response.status_code != 200 or content_type not in response.headers.get("Content-Type", ""):
                response.failure(f"{response.status_code} {response.headers.get('Content-Type')}")
                return False
            return True

    def write(self, step: str, path: str, data, *, expect_location: str, files=None) -> str | None:
        """POST a form; acknowledged when it answers 302 to a path starting `expect_location` (the page's success
        redirect). Returns that location, or None (a failure)."""
        name = f"{self.journey}: {step}"
        with self.client.post(
            path,
            data=data,
            files=files,
            name=name,
            allow_redirects=False,
            catch_response=True,
            context={"kind": "write"},
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not urllib.parse.urlsplit(location).path.startswith(expect_location):
                response.failure(f"{response.status_code} to {location!r}: {_problem(response.text)}")
                return None
            return location


def sign_in(user: _AphubUser, email: str, password: str) -> None:
    """Sign in as a person does: the sign-in page, then its form posted. Every signed-in journey starts here, so a
    second step (e.g. a one-time code) is added in this one place."""
    page = user.page("sign in", "/sign-in/", journey="sign in")
    if not page:
        return
    form = post_form(page, having="password")
    user.journey, journey = "sign in", user.journey
    try:
        signed_in = user.write(
            "post", form.action or "/sign-in/", form.data(username=email, password=password), expect_location="/"
        )
        if signed_in:
            signed_in = enter_code(user)
        if signed_in:
            user.page("home", signed_in)  # where signing in lands: the user's home page
    finally:
        user.journey = journey


def enter_code(user: _AphubUser) -> str | None:
    """The second step of signing in: the code page, and the code the account's authenticator app shows now."""
    from django_otp.oath import TOTP  # pure RFC 6238; no Django settings needed

    page = user.page("code", "/two-factor/")
    if not page:
        return None
    form = post_form(page, having="code")
    code = f"{TOTP(bytes.fromhex(PLAN['totp_key_hex'])).token():06d}"
    return user.write("post", form.action or "/two-factor/", form.data(code=code), expect_location="/")


def _problem(html: str) -> str:
    """The first error message on a page that refused a form (the GOV.UK error summary), for the failure's name."""
    marker = 'govuk-error-summary__list">'
    at = html.find(marker)
    if at < 0:
        return html[:120].replace("\n", " ")
    text = html[at + len(marker) : at + len(marker) + 400]
    return " ".join(text.replace("<", " <").split())[:200]


class PublicSearch(_AphubUser):
    """A parent or a professional searching the directory, then reading a provision it found."""

    weight = 20
    journey = "public search"
    wait_time = between(3, 10)

    @task
    def search(self) -> None:
        page = self.page("search", random.choice(PLAN["searches"]))
        provisions = linked_paths(page, r'href="(/provisions/\d+/)"')
        if provisions and random.random() < 0.5:
            time.sleep(random.uniform(1, 4))
            self.page("provision", random.choice(provisions))


class Officer(_AphubUser):
    """An LA officer working the worklist and reading children's timelines."""

    weight = 12
    journey = "officer"
    wait_time = between(2, 8)

    def on_start(self) -> None:
        self.email = PLAN["officer"]
        super().on_start()

    @task(4)
    def worklist(self) -> None:
        self.page("worklist", "/duties/worklist/")

    @task(2)
    def worklist_filtered(self) -> None:
        self.page("worklist filtered", "/duties/worklist/?" + random.choice(PLAN["worklist_filters"]))

    @task(4)
    def timeline(self) -> None:
        self.page("pupil timeline", random.choice(PLAN["timelines"]))


class Exports(_AphubUser):
    """An officer downloading the lists they report from: the breached clocks as CSV, active placements as XLSX."""

    weight = 2
    journey = "exports"
    wait_time = between(10, 20)

    def on_start(self) -> None:
        self.email = PLAN["officer"]
        super().on_start()

    @task
    def worklist_csv(self) -> None:
        self.file("worklist csv", "/duties/worklist/?state=breached&format=csv", "text/csv")

    @task
    def placements_xlsx(self) -> None:
        self.file("placements xlsx", "/placements/?status=active&format=xlsx", "spreadsheetml")


class School(_AphubUser):
    """A school's staff referring a child to the AP panel: the children, the form, saved as a draft."""

    weight = 6
    journey = "school referral"
    wait_time = between(5, 15)

    def on_start(self) -> None:
        self.school = random.choice(PLAN["schools"])
        self.email = self.school["email"]
        super().on_start()

    @task
    def refer(self) -> None:
        to_refer = _TO_REFER[self.email]
        if not self.page("choose child", "/referrals/new/") or not to_refer:
            return
        pupil = to_refer.popleft()
        time.sleep(random.uniform(1, 3))
        page = self.page("referral form", f"/referrals/new/?pupil={pupil}")
        if not page:
            return
        form = post_form(page, having="needs_summary")
        time.sleep(random.uniform(2, 6))  # writing the form
        changed = {
            "needs_summary": "Anxiety about school since Year 7; masks in class, struggles with transitions.",
            "tried_so_far": "Part-time timetable, a key adult, pastoral support plan.",
            "child_views": "Wants a smaller place to learn.",
            "full_time_requested": "yes",
        }
        for name in ("episode", "requested_tier"):
            if not form.values.get(name) and form.choices.get(name):
                changed[name] = form.choices[name][0]
        location = self.write(
            "save", f"/referrals/new/?pupil={pupil}", form.data(**changed), expect_location="/referrals/"
        )
        if location:
            referral = urllib.parse.urlsplit(location).path.strip("/").split("/")[-1]
            if referral.isdigit():
                ACKNOWLEDGED["referrals"].append(int(referral))
            self.page("referral", location)


class Provider(_AphubUser):
    """A provider's staff taking registers through the day and sending an attendance file from their MIS."""

    weight = 10
    journey = "provider register"
    wait_time = between(5, 15)

    def on_start(self) -> None:
        self.provider = random.choice(PLAN["providers"])
        self.email = self.provider["email"]
        super().on_start()

    @task(3)
    def register(self) -> None:
        self.journey = "provider register"
        slots = _REGISTER_SLOTS[self.email]
        if not slots:
            self.page("register", "/attendance/")
            return
        provision, day = slots.popleft()
        path = f"/attendance/?{urllib.parse.urlencode({'provision': provision, 'date': day, 'session': 'AM'})}"
        page = self.page("register", path)
        if not page:
            return
        form = post_form(page, having="all_present")
        marks = register_marks(form, RNG)
        time.sleep(random.uniform(2, 6))  # marking
        location = self.write("save", form.action or path, form.data(**marks), expect_location="/attendance/")
        if location:
            ACKNOWLEDGED["marks"].extend([int(name[5:]), day, "AM", code] for name, code in marks.items())
            self.page("register saved", location)

    @task(1)
    def upload(self) -> None:
        self.journey = "provider upload"
        page = self.page("upload page", "/attendance/upload/")
        slots = _UPLOAD_SLOTS[self.email]
        if not page or not slots:
            return
        day, rows = slots.popleft()
        form = post_form(page, having="file")
        marked = [(upn, placement, random.choice(["\\", "\\", "\\", "I", "O"])) for upn, placement in rows]
        files = {
            "file": (
                f"attendance-{day}.csv",
                attendance_file(day, [(upn, code) for upn, _, code in marked]),
                "text/csv",
            )
        }
        sent = self.write(
            "send",
            form.action or "/attendance/upload/",
            form.data(),
            expect_location="/attendance/upload/",
            files=files,
        )
        if sent:
            ACKNOWLEDGED["marks"].extend([placement, day, "PM", code] for _, placement, code in marked)
            self.page("imported", "/attendance/upload/")
