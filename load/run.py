"""`make load`: AP Hub's production stack on this machine, under 50 people at once, measured; it stops by itself.

What runs, all on 127.0.0.1: gunicorn serving aphub.wsgi with the production settings (aphub.settings.production,
given a throwaway SECRET_KEY and ALLOWED_HOSTS=127.0.0.1; TLS would end at a proxy in front, which the load users
stand in for with X-Forwarded-Proto: https, so SECURE_SSL_REDIRECT is off), the database task worker (db_worker:
absence alerts and reminders, mailed to its log), and PostgreSQL. Then locust, headless, drives the users of
load/locustfile.py: public searches, an LA officer's worklist and children's timelines, exports, schools making
referrals, providers taking registers and sending attendance files.

The database: `aphub_load`, made afresh on the local server as a copy of `aphub_bench` (the large LA that `make bench`
loads: 20,000 pupils, 60,000 placements, 3,000,000 marks) when that exists, else loaded with the bench's loader
(bench.run.load_data, sized by --pupils/--placements/--marks). It is migrated, written to by the run, and dropped at
the end (--keep keeps it). `aphub_bench` itself is only ever read, as the template of the copy.

The report: for each journey and each of its steps, requests, errors and p50/p95/p99 milliseconds (as locust timed
them: from the request sent to the response read); the p95 of page requests against the goal (300 ms); throughput;
the machine's load average; and the writes: each register, attendance file and referral the users had acknowledged
(the page's success redirect), looked for in the database afterwards. It exits 1 when any request failed or any
acknowledged write is missing. Details, and the logs of gunicorn, the worker and locust, are under var/load/.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE_P95_GOAL_MS = 300.0
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432"
TEMPLATE_DATABASE = "aphub_bench"
LOAD_DATABASE = "aphub_load"
REGISTER_DAYS = 40  # school days back from today whose registers the providers take
TIMELINE_PUPILS = 300
# At the end of the run each user finishes the task it is in, so a request in flight is answered, not cut off (and
# counted failed): on a busy machine a task (pages with think time between) can take a minute.
STOP_SECONDS = 90


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="load", description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    # Users started a second: 2 starts the 50 within 25 s. Each sign-in is four requests and a password check
    # (Argon2, memory-hard by design); 10 a second puts 50 sign-ins into 5 s on 2 cores, and every page behind them
    # queues (page p95 477 ms in that storm against 82 ms at 2 a second, on this machine, quiet: make load's note in
    # issue 15). The report gives the figures once every user has signed in apart as well.
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started a second (10: a sign-in storm)")
    parser.add_argument("--run-time", default="2m", help="locust's --run-time, e.g. 2m or 90s")
    # Sync workers for a 2-core machine, as gunicorn's documentation suggests: (2 x cores) + 1.
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1, help="more than 1: gthread workers with this many threads")
    parser.add_argument("--template", default=TEMPLATE_DATABASE, help="the database copied when it exists")
    parser.add_argument("--database", default=LOAD_DATABASE)
    parser.add_argument("--pupils", type=int, default=20_000, help="when loading without the template")
    parser.add_argument("--placements", type=int, default=60_000)
    parser.add_argument("--marks", type=int, default=3_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the load database after the run")
    return parser.parse_args(argv)


def stack_env(database: str) -> dict[str, str]:
    """The environment of every process of the stack: production settings, for 127.0.0.1."""
    var = ROOT / "var" / "load"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aphub.settings.production",
        "SECRET_KEY": os.environ.get("LOAD_SECRET_KEY", "load-only-not-secret-" + "k" * 40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{LOCAL_POSTGRES}/{database}",
        "APHUB_VAR_DIR": str(var),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "LOG_LEVEL": "WARNING",
        # This worktree's code, whichever checkout the virtualenv was installed from; the repository for bench/.
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }


# --- The database ------------------------------------------------------------------------------------------------


def _admin():
    import psycopg

    return psycopg.connect(f"{LOCAL_POSTGRES}/postgres", connect_timeout=5, autocommit=True)


def fresh_database(args: argparse.Namespace, env: dict[str, str]) -> str:
    """Drop and make the load database: a copy of the template when the server has it, else loaded. Says which."""
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        has_template = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.template]).fetchone()
        if has_template:
            # CREATE DATABASE ... TEMPLATE fails while anyone else is connected to the template: try again.
            for attempt in range(60):
                try:
                    admin.execute(f'CREATE DATABASE "{args.database}" TEMPLATE "{args.template}"')
                    break
                except Exception as error:  # psycopg.errors.ObjectInUse
                    if "being accessed by other users" not in str(error) or attempt == 59:
                        raise
                    time.sleep(5)
        else:
            admin.execute(f'CREATE DATABASE "{args.database}"')
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    if has_template:
        return f"a copy of {args.template}"
    _run(
        env,
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from bench.run import load_data; import sys; "
            f"print(load_data({args.pupils}, {args.placements}, {args.marks}), file=sys.stderr)",
        ],
    )
    return f"loaded by bench.run.load_data ({args.pupils} pupils, {args.placements} placements, {args.marks} marks)"


def drop_database(name: str) -> None:
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(env: dict[str, str], command: list[str]) -> None:
    subprocess.run(command, env=env, cwd=ROOT, check=True)  # noqa: S603 (our own commands, no shell)


def manage(env: dict[str, str], *arguments: str) -> None:
    _run(env, [sys.executable, "-m", "aphub.manage", *arguments])


# --- The plan: who signs in and what they may take, read from the database -------------------------------------


def make_plan(users: int = 50) -> dict:
    """What the users need to know before they start, as a person would know it: their sign-in, the searches, the
    children an officer opens, the children a school refers (those with an open episode), and the registers and
    files each provider sends (a provision's pupils on a day, by UPN)."""
    from aphub.core.clock import today
    from aphub.core.days.school_days import previous_weekday
    from aphub.demo.build import DEMO_PASSWORD, SIGN_INS
    from aphub.organisations.models import Role, User
    from aphub.placements.attendance import queries
    from aphub.placements.attendance.services import check_register_date
    from aphub.placements.models import Episode
    from aphub.pupils.models import Pupil
    from bench.run import OFFICER_EMAIL, search_requests, timeline_requests, worklist_requests

    rng = random.Random(2026)
    plan: dict = {
        "password": DEMO_PASSWORD,
        "officer": OFFICER_EMAIL,
        "searches": [f"{path}?{query}" for path, query in search_requests()],
        "worklist_filters": [query for _path, query in worklist_requests(filtered=True)],
        "timelines": [path for path, _query in timeline_requests(count=TIMELINE_PUPILS)],
        "schools": [],
        "providers": [],
    }
    days = []
    day = today()
    while len(days) < REGISTER_DAYS:
        day = previous_weekday(day)
        days.append(day)
    for email, _name, role, _organisation in SIGN_INS:
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        if role == Role.SCHOOL_STAFF:
            # Children with an open episode and no referral yet: a child has one open referral at a time.
            pupils = (
                Pupil.objects.visible_to(user)
                .filter(episodes__status=Episode.Status.OPEN)
                .exclude(referrals__isnull=False)
                .distinct()
            )
            ids = list(pupils.order_by("pk").values_list("pk", flat=True)[:200])
            if ids:
                plan["schools"].append({"email": email, "pupils": ids})
        elif role == Role.PROVIDER_STAFF:
            provider = _provider_plan(user, days, queries, check_register_date)
            if provider["registers"] or provider["uploads"]:
                plan["providers"].append({"email": email, **provider})
    plan["accounts"], plan["totp_key_hex"] = _one_account_per_user(
        [plan["officer"], *(s["email"] for s in plan["schools"]), *(p["email"] for p in plan["providers"])], users
    )
    for provider in plan["providers"]:
        rng.shuffle(provider["registers"])
        rng.shuffle(provider["uploads"])
    if not plan["schools"] or not plan["providers"] or not plan["timelines"]:
        raise SystemExit(f"The database has no children to refer, registers to take or timelines to read: {plan}")
    return plan


# Two-factor sign-in (decision 0042) takes each code once per account and 30-second step, so 50 users sharing the
# demo's few accounts would refuse each other's codes: each simulated user signs in with its own account, a copy of a
# demo account (the same organisation, role and password) made in the load database with a known key.
LOAD_TOTP_KEY = "APHUBLOADAPHUBLOADAPHUBLOADAPHUB"


def _one_account_per_user(emails: list[str], users: int) -> tuple[dict[str, list[str]], str]:
    """For each demo e-mail, `users` accounts acting as it ("load-7.elmbridge.officer@example.org"); and the key."""
    import base64

    from aphub.organisations.models import Membership, User
    from aphub.organisations.two_factor.services import add_authenticator

    accounts: dict[str, list[str]] = {}
    for email in dict.fromkeys(emails):
        original = User.objects.get(email=email)
        membership = original.memberships.order_by("pk").first()
        accounts[email] = []
        for n in range(users):
            copy_email = f"load-{n}.{email}"
            user, made = User.objects.get_or_create(
                email=copy_email, defaults={"full_name": original.full_name, "password": original.password}
            )
            if made:
                Membership.objects.create(
                    user=user,
                    role=membership.role,
                    local_authority=membership.local_authority,
                    school=membership.school,
                    provider=membership.provider,
                )
                add_authenticator(user=user, key_base32=LOAD_TOTP_KEY)
            accounts[email].append(copy_email)
    return accounts, base64.b32decode(LOAD_TOTP_KEY).hex()


def _provider_plan(user, days, queries, check_register_date) -> dict:
    """Registers (provision, day; taken for the morning) and files (day, their rows; for the afternoon): each a
    different set of marks, so no two users write the same mark."""
    from collections import Counter

    from aphub.core.errors import DomainError

    registers, uploads = [], []
    provisions = list(queries.register_provisions(user))
    for day in days:
        rows = []
        for provision in provisions:
            try:
                check_register_date(day, provision)
            except DomainError:
                continue
            placed = list(queries.register_placements(user, provision, day).values_list("pupil__upn", "pk"))
            if placed:
                registers.append([provision.pk, day.isoformat()])
                rows += placed
        # A pupil with two placements at this provider that day cannot be marked by UPN alone: left out of the file.
        twice = {upn for upn, count in Counter(upn for upn, _ in rows).items() if count > 1}
        rows = [[upn, pk] for upn, pk in rows if upn not in twice]
        if rows:
            uploads.append([day.isoformat(), rows])
    return {"registers": registers, "uploads": uploads}


# --- The stack ---------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """A process of the stack in a process group of its own (so stopping it stops its children), logging to `log`."""
    with open(log, "wb") as out:
        return subprocess.Popen(  # noqa: S603 (our own commands, no shell)
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_serving(url: str, gunicorn: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if gunicorn.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {gunicorn.returncode}): see var/load/gunicorn.log")
        try:
            with urllib.request.urlopen(f"{url}/sign-in/", timeout=5) as response:  # noqa: S310 (our own server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer within {seconds} s: see var/load/gunicorn.log")


# --- The figures -------------------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * share // 1))
    return round(ordered[int(rank) - 1], 1)


def timings(samples: list) -> dict:
    times = [sample[3] for sample in samples]
    return {
        "requests": len(samples),
        "errors": sum(1 for sample in samples if not sample[4]),
        "p50_ms": percentile(times, 0.50),
        "p95_ms": percentile(times, 0.95),
        "p99_ms": percentile(times, 0.99),
    }


def after_every_sign_in(samples: list) -> tuple[list, float | None]:
    """The samples that started once every user had signed in, and how many seconds into the run that was.

    Signing in costs each user four requests and a password check (Argon2, memory-hard by design), and locust
    starts the users within seconds of each other, so the first seconds of a run can be a sign-in storm that a
    council's day, whose staff arrive over an hour, does not have. Both figures are printed: the whole run's and
    this one's. A sample is (journey, step, kind, milliseconds, succeeded, finished at); it started at its finish
    less its time.
    """
    signed_in = [sample[5] for sample in samples if sample[0] == "sign in" and len(sample) > 5]
    if not signed_in:
        return samples, None
    last = max(signed_in)
    first = min(sample[5] - sample[3] / 1000 for sample in samples if len(sample) > 5)
    later = [sample for sample in samples if len(sample) > 5 and sample[5] - sample[3] / 1000 > last]
    return later, round(last - first, 1)


def journey_figures(samples: list) -> dict:
    """Per journey, its timings over every request, its pages' p95, and each step's timings."""
    figures: dict = {}
    for journey in sorted({sample[0] for sample in samples}):
        own = [sample for sample in samples if sample[0] == journey]
        pages = [sample for sample in own if sample[2] == "page"]
        figures[journey] = {
            **timings(own),
            "pages_p95_ms": percentile([sample[3] for sample in pages], 0.95) if pages else None,
            "steps": {
                f"{step} ({kind})": timings([s for s in own if s[1] == step and s[2] == kind])
                for step, kind in sorted({(sample[1], sample[2]) for sample in own})
            },
        }
    return figures


def check_writes(acknowledged: dict) -> dict:
    """Each acknowledged mark (its last acknowledged code) and referral, looked for in the database."""
    from django.db.models import Q

    from aphub.placements.models import AttendanceMark, Referral

    expected = {}
    for placement_id, day, session, code in acknowledged["marks"]:
        expected[(placement_id, datetime.date.fromisoformat(day), session)] = code
    found = {}
    keys = list(expected)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        where = Q()
        for placement_id, day, session in chunk:
            where |= Q(placement_id=placement_id, date=day, session=session)
        for row in AttendanceMark.objects.filter(where).values_list("placement_id", "date", "session", "code"):
            found[row[:3]] = row[3]
    marks_found = sum(1 for key, code in expected.items() if found.get(key) == code)
    referrals = set(acknowledged["referrals"])
    referrals_found = Referral.objects.filter(pk__in=referrals).count()
    return {
        "marks_acknowledged": len(expected),
        "marks_found": marks_found,
        "referrals_acknowledged": len(referrals),
        "referrals_found": referrals_found,
        "lost": (len(expected) - marks_found) + (len(referrals) - referrals_found),
    }


def report_text(report: dict) -> str:
    lines = [
        f"make load: {report['users']} users for {report['run_seconds']} s against gunicorn "
        f"({report['gunicorn']}) on {report['database']}",
        f"{'journey / step':<44} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}",
    ]
    for journey, figures in report["journeys"].items():
        lines.append(_row(journey, figures))
        lines += [_row(f"  {step}", step_figures) for step, step_figures in figures["steps"].items()]
    pages = report["pages"]
    writes = report["writes"]
    lines += [
        f"pages: {pages['requests']} requests, p50 {pages['p50_ms']} ms, p95 {pages['p95_ms']} ms "
        f"(goal under {PAGE_P95_GOAL_MS:.0f} ms: {'met' if pages['p95_ms'] < PAGE_P95_GOAL_MS else 'NOT met'}), "
        f"p99 {pages['p99_ms']} ms",
    ]
    steady = report.get("pages_after_sign_in")
    if steady and steady["requests"]:
        lines.append(
            f"pages once every user had signed in ({report['signed_in_after_s']} s into the run): "
            f"{steady['requests']} requests, p50 {steady['p50_ms']} ms, p95 {steady['p95_ms']} ms (goal under "
            f"{PAGE_P95_GOAL_MS:.0f} ms: {'met' if steady['p95_ms'] < PAGE_P95_GOAL_MS else 'NOT met'}), "
            f"p99 {steady['p99_ms']} ms"
        )
    lines += [
        f"all requests: {report['requests']}, errors: {report['errors']}, throughput {report['requests_per_second']} "
        "requests/s",
        f"writes: marks {writes['marks_found']} found of {writes['marks_acknowledged']} acknowledged, referrals "
        f"{writes['referrals_found']} of {writes['referrals_acknowledged']}; lost: {writes['lost']}",
        f"load average (1, 5, 15 min) before {report['load_average_before']}, after {report['load_average_after']} "
        f"on {report['cpus']} CPUs (a shared machine is slower: other work counts in these figures)",
    ]
    for failure, count in sorted(report["failures"].items(), key=lambda pair: -pair[1])[:10]:
        lines.append(f"  failed {count}x: {failure}")
    return "\n".join(lines)


def _row(name: str, figures: dict) -> str:
    return (
        f"{name[:44]:<44} {figures['requests']:>8} {figures['errors']:>6} {figures['p50_ms']:>8} "
        f"{figures['p95_ms']:>8} {figures['p99_ms']:>8}"
    )


# --- The run ---------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    var = ROOT / "var" / "load"
    var.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    env = stack_env(args.database)
    for log in ("gunicorn.log", "gunicorn-access.log", "worker.log", "locust.log"):
        (var / log).unlink(missing_ok=True)
    os.environ.update({name: value for name, value in env.items() if name != "PYTHONPATH"})
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

    print(f"load: making {args.database} ...", file=sys.stderr)
    database = fresh_database(args, env)
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    import django

    django.setup()
    from django.db import connections

    plan = make_plan(args.users)
    plan_path, results_path = var / f"plan-{stamp}.json", var / f"results-{stamp}.json"
    plan_path.write_text(json.dumps(plan))
    connections.close_all()

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    gunicorn_args = ["--workers", str(args.workers)]
    if args.threads > 1:
        gunicorn_args += ["--worker-class", "gthread", "--threads", str(args.threads)]
    served = f"{args.workers} " + (f"gthread workers x {args.threads} threads" if args.threads > 1 else "sync workers")
    gunicorn = start(
        [
            sys.executable, "-m", "gunicorn", "aphub.wsgi:application", "--bind", f"127.0.0.1:{port}",
            *gunicorn_args, "--preload", "--no-control-socket", "--timeout", "60",
            "--access-logfile", str(var / "gunicorn-access.log"),
        ],
        env,
        var / "gunicorn.log",
    )  # fmt: skip
    # --preload: the application is imported once, before the workers fork, so none of them answers its first
    # request seconds late. --no-control-socket: several stacks on one machine would share its one default path.
    worker = None
    try:
        wait_until_serving(url, gunicorn)
        worker = start([sys.executable, "-m", "aphub.manage", "db_worker", "--no-reload"], env, var / "worker.log")
        locust_env = {
            **env,
            "LOAD_PLAN": str(plan_path),
            "LOAD_RESULTS": str(results_path),
            # locust may be installed beside the app (make load installs requirements/load.lock) or elsewhere.
            "PYTHONPATH": os.pathsep.join(filter(None, [env["PYTHONPATH"], os.environ.get("LOCUST_PYTHONPATH")])),
        }
        before = tuple(round(value, 2) for value in os.getloadavg())
        print(f"load: {args.users} users for {args.run_time} against {url} ...", file=sys.stderr)
        started = time.monotonic()
        with open(var / "locust.log", "wb") as log:
            subprocess.run(  # noqa: S603 (our own command, no shell)
                [
                    sys.executable, "-m", "locust", "-f", str(ROOT / "load" / "locustfile.py"), "--headless",
                    "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", args.run_time,
                    "--stop-timeout", str(STOP_SECONDS), "--host", url, "--only-summary",
                ],
                env=locust_env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=False,
            )  # fmt: skip
        run_seconds = round(time.monotonic() - started, 1)
        after = tuple(round(value, 2) for value in os.getloadavg())
    finally:
        if worker is not None:
            stop(worker)
        stop(gunicorn)

    if not results_path.exists():
        print("load: locust wrote no results: see var/load/locust.log", file=sys.stderr)
        return 1
    results = json.loads(results_path.read_text())
    samples = results["samples"]
    pages = [sample for sample in samples if sample[2] == "page"]
    later, signed_in_after = after_every_sign_in(samples)
    report = {
        "stamp": stamp,
        "database": database,
        "gunicorn": served,
        "users": args.users,
        "run_seconds": run_seconds,
        "requests": len(samples),
        "errors": sum(1 for sample in samples if not sample[4]),
        "requests_per_second": round(len(samples) / run_seconds, 1) if run_seconds else None,
        "pages": timings(pages),
        "pages_after_sign_in": timings([sample for sample in later if sample[2] == "page"]),
        "signed_in_after_s": signed_in_after,
        "journeys": journey_figures(samples),
        "writes": check_writes(results["acknowledged"]),
        "failures": results["failures"],
        "load_average_before": before,
        "load_average_after": after,
        "cpus": os.cpu_count(),
    }
    connections.close_all()
    if not args.keep:
        drop_database(args.database)
    (var / f"load-{stamp}.json").write_text(json.dumps(report, indent=2))
    print(report_text(report))
    return 1 if report["errors"] or report["writes"]["lost"] else 0


if __name__ == "__main__":
    sys.exit(main())
