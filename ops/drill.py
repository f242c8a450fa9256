"""`make drill`: back up PostgreSQL while AP Hub writes, restore to a chosen moment, and prove nothing was lost.

On this machine, in a temporary folder it deletes at the end (even on failure):

1. a throwaway PostgreSQL cluster with WAL archiving (archive_command copies each finished WAL file to `archive/`,
   the stand-in for the council's off-site storage) and track_commit_timestamp, so each commit's own timestamp can
   be read back;
2. AP Hub migrated into it and the demo loaded (`aphub migrate`, `aphub demo`);
3. the writer (ops.writer) saving registers and referrals through AP Hub's services, recording each acknowledged
   write in a ledger outside the database;
4. a base backup (pg_basebackup, WAL from the archive) taken while the writer writes, then checked against the archive
   (pg_verifybackup);
5. more writes; then a moment after the backup, between two acknowledged writes: chosen half way through the writes
   after the backup, or given (--target-time); by commit time (recovery_target_time) or by WAL position (--by lsn);
6. the writer stopped, the last WAL file archived, the cluster stopped: the server is "lost";
7. the base backup copied into a new cluster, recovered from the archive to the moment and promoted;
8. every row the ledger names read back: each write acknowledged before the moment is there with the same checksum,
   none after it is, and each table holds the rows it should. Any difference exits 1.

Run as root, the PostgreSQL tools run as the `postgres` user (--os-user), which owns the temporary folder.
"""

import argparse
import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from ops import ledger as ledgers

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "aphub"


class DrillFailed(Exception):
    """A step did not do what it should; the message says which, with the log to read."""


def postgres_bin_dir() -> Path:
    """The newest installed PostgreSQL's binaries: Debian's /usr/lib/postgresql/N/bin, else those on PATH."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name))
    if debian:
        return debian[-1]
    found = shutil.which("pg_ctl")
    if found is None:
        raise DrillFailed("No PostgreSQL found: install it (Debian: apt install postgresql) or pass --bin-dir")
    return Path(found).parent


def free_port(start: int) -> int:
    for port in range(start, start + 100):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise DrillFailed(f"No free port from {start} to {start + 99}")


@dataclass
class Tools:
    """Runs PostgreSQL's programs, as `os_user` when this process is root (the server refuses to run as root)."""

    bin_dir: Path
    os_user: str | None

    def command(self, program: str, *args: str) -> list[str]:
        path = str(self.bin_dir / program) if (self.bin_dir / program).exists() else program
        prefix = ["runuser", "-u", self.os_user, "--"] if self.os_user else []
        return [*prefix, path, *args]

    def run(self, program: str, *args: str, log: Path) -> None:
        with log.open("a") as out:
            done = subprocess.run(self.command(program, *args), stdout=out, stderr=subprocess.STDOUT, check=False)  # noqa: S603
        if done.returncode:
            raise DrillFailed(f"{program} failed (exit {done.returncode}); see {log}:\n{tail(log)}")

    def own(self, *paths: Path) -> None:
        if self.os_user:
            shutil.chown(paths[0], user=self.os_user)
            for path in paths[1:]:
                shutil.chown(path, user=self.os_user)


@dataclass
class Cluster:
    tools: Tools
    data: Path
    port: int
    log: Path
    started: bool = False

    def start(self) -> None:
        self.started = True
        self.tools.run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "600", "start", log=self.ctl_log
        )

    def stop(self, mode: str = "fast") -> None:
        if self.started and (self.data / "postmaster.pid").exists():
            self.tools.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", log=self.ctl_log)
        self.started = False

    @property
    def ctl_log(self) -> Path:
        """What pg_ctl and the other programs print (the server writes its own log, `log`, as the server's user)."""
        return self.log.with_suffix(".ctl.log")

    def configure(self, settings: dict[str, str | int]) -> None:
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n# aphub drill\n")
            for name, value in settings.items():
                conf.write(f"{name} = {quoted(value)}\n")

    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    @contextmanager
    def connect(self, dbname: str = DATABASE) -> Iterator[psycopg.Connection]:
        # UTC, as Django's connections are: a row's text (its checksum) prints its times in the session's zone.
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True, options="-c TimeZone=UTC"
        ) as connection:
            yield connection

    def one(self, sql: str, params: Sequence = ()) -> tuple:
        with self.connect() as connection:
            row = connection.execute(sql, params).fetchone()
        assert row is not None
        return row


def quoted(value: str | int) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def tail(path: Path, lines: int = 15) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def size_of(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def say(message: str) -> None:
    print(f"drill: {message}", flush=True)


@dataclass
class Figures:
    lines: list[str] = field(default_factory=list)

    def add(self, name: str, value: str) -> None:
        self.lines.append(f"  {name:<34} {value}")


@dataclass
class Run:
    """One drill: its folder, clusters and writer, and what it measured."""

    args: argparse.Namespace
    tools: Tools
    work: Path
    source: Cluster
    restored: Cluster
    archive: Path
    backup: Path
    ledger_path: Path
    stop_path: Path
    writer: subprocess.Popen | None = None
    figures: Figures = field(default_factory=Figures)

    # --- the steps ---------------------------------------------------------------------------------------------

    def set_up_source(self) -> None:
        self.tools.run(
            "initdb", "-D", str(self.source.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C",
            log=self.work / "initdb.log",
        )  # fmt: skip
        self.source.configure(
            {
                "port": self.source.port,
                "listen_addresses": "127.0.0.1",
                "unix_socket_directories": str(self.work),
                "wal_level": "replica",
                "archive_mode": "on",
                # The PostgreSQL manual's example: never overwrite a file already archived.
                "archive_command": f"test ! -f {self.archive}/%f && cp %p {self.archive}/%f",
                "track_commit_timestamp": "on",
            }
        )
        self.source.start()
        with self.source.connect("postgres") as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")

    def aphub(self, *args: str, log: Path, cluster: Cluster | None = None) -> None:
        with log.open("a") as out:
            done = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "aphub.manage", *args], env=self.app_env(cluster), cwd=ROOT, stdout=out,
                stderr=subprocess.STDOUT, check=False,
            )  # fmt: skip
        if done.returncode:
            raise DrillFailed(f"aphub {' '.join(args)} failed (exit {done.returncode}); see {log}:\n{tail(log)}")

    def app_env(self, cluster: Cluster | None = None) -> dict[str, str]:
        paths = [str(ROOT), str(ROOT / "src"), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        return {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(paths),
            "DJANGO_SETTINGS_MODULE": "aphub.settings.production",
            "SECRET_KEY": "drill-only-not-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": (cluster or self.source).url(),
            "APHUB_VAR_DIR": str(self.work / "var"),
            "LOG_LEVEL": "WARNING",
        }

    def start_writer(self) -> None:
        log = (self.work / "writer.log").open("a")
        self.writer = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "ops.writer", str(self.ledger_path), str(self.stop_path)],
            env=self.app_env(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.wait_for_writes(self.args.writes_before_backup)

    def acknowledged(self) -> int:
        if not self.ledger_path.exists():
            return 0
        return sum(1 for line in self.ledger_path.read_text().splitlines() if line.startswith('{"number"'))

    def wait_for_writes(self, count: int) -> None:
        deadline = time.monotonic() + 300
        while self.acknowledged() < count:
            self.check_writer()
            if time.monotonic() > deadline:
                raise DrillFailed(f"The writer acknowledged fewer than {count} writes in 5 minutes")
            time.sleep(0.2)

    def check_writer(self) -> None:
        if self.writer is not None and self.writer.poll() is not None:
            log = self.work / "writer.log"
            raise DrillFailed(f"The writer stopped (exit {self.writer.returncode}); see {log}:\n{tail(log)}")

    def now(self) -> datetime.datetime:
        (moment,) = self.source.one("SELECT clock_timestamp()")
        return moment

    def base_backup(self) -> tuple[datetime.datetime, datetime.datetime]:
        """pg_basebackup while the writer writes, its WAL left to the archive (-X none: the server waits until the
        backup's last WAL file is archived before it answers), then checked against the archive."""
        started_db, started = self.now(), time.monotonic()
        self.tools.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.source.port), "-U", "postgres", "-D", str(self.backup),
            "-X", "none", "--checkpoint=fast", "--label=aphub-drill", log=self.work / "basebackup.log",
        )  # fmt: skip
        seconds = time.monotonic() - started
        ended_db = self.now()
        self.check_writer()
        self.tools.run(
            "pg_verifybackup", f"--wal-directory={self.archive}", str(self.backup), log=self.work / "basebackup.log"
        )
        self.figures.add("base backup", f"{megabytes(size_of(self.backup))} in {seconds:.1f} s, verified")
        return started_db, ended_db

    def keep_writing(self, backup_ended: datetime.datetime) -> datetime.datetime | None:
        """Write on for --write-after seconds, and past the given moment if there is one (which this returns)."""
        target = self.args.target_time
        if isinstance(target, datetime.timedelta):
            target = backup_ended + target
        if target is not None and target <= backup_ended:
            raise DrillFailed(
                f"--target-time {target.isoformat()} is before the base backup ended ({backup_ended.isoformat()}): "
                "a restore from this backup cannot stop earlier"
            )
        deadline = time.monotonic() + self.args.write_after
        while time.monotonic() < deadline or (target is not None and self.now() <= target + ONE_SECOND):
            self.check_writer()
            time.sleep(0.2)
        return target

    def stop_writer(self) -> None:
        assert self.writer is not None
        self.stop_path.touch()
        try:
            code = self.writer.wait(timeout=120)
        except subprocess.TimeoutExpired as late:
            raise DrillFailed("The writer did not stop within 2 minutes of being asked") from late
        if code:
            self.check_writer()

    def archive_last_wal(self) -> int:
        """Switch to a new WAL file so the one holding the last writes is archived, and wait for the archiver."""
        (last,) = self.source.one("SELECT pg_walfile_name(pg_switch_wal())")
        deadline = time.monotonic() + 120
        while True:
            archived, failed = self.source.one("SELECT last_archived_wal, failed_count FROM pg_stat_archiver")
            if failed:
                raise DrillFailed(f"archive_command failed {failed} times; see {self.source.log}")
            if archived is not None and archived >= last:
                break
            if time.monotonic() > deadline:
                raise DrillFailed(f"WAL file {last} was not archived within 2 minutes")
            time.sleep(0.2)
        files = [path for path in self.archive.iterdir() if path.is_file()]
        self.figures.add("WAL archived", f"{len(files)} files, {megabytes(sum(p.stat().st_size for p in files))}")
        return len(files)

    def restore(self, moment: ledgers.Moment) -> float:
        """Copy the base backup into a new cluster, recover it from the archive to the moment, and promote it."""
        started = time.monotonic()
        data = self.restored.data
        # Its port is chosen now, not at the start: another drill may have taken that one meanwhile.
        self.restored.port = free_port(self.args.port + 1)
        data.mkdir(mode=0o700)
        self.tools.own(data)
        self.tools.run("cp", "-a", f"{self.backup}/.", str(data), log=self.restored.ctl_log)
        target: dict[str, str | int]
        if moment.lsn is not None:
            target = {"recovery_target_lsn": ledgers.lsn_text(moment.lsn), "recovery_target_inclusive": "off"}
        else:
            assert moment.time is not None
            target = {"recovery_target_time": moment.time.isoformat(sep=" "), "recovery_target_inclusive": "on"}
        self.restored.configure(
            {
                "port": self.restored.port,
                "unix_socket_directories": str(self.work),
                # The restored copy must never write into the archive it recovers from.
                "archive_mode": "off",
                "restore_command": f"cp {self.archive}/%f %p",
                **target,
                "recovery_target_action": "promote",
            }
        )
        (data / "recovery.signal").touch()
        self.tools.own(data / "recovery.signal")
        self.restored.start()
        deadline = time.monotonic() + 600
        while self.restored.one("SELECT pg_is_in_recovery()")[0]:
            if time.monotonic() > deadline:
                raise DrillFailed(
                    f"The restored cluster was still recovering after 10 minutes; see {self.restored.log}"
                )
            time.sleep(0.2)
        return time.monotonic() - started

    def read_back(self, cluster: Cluster, ledger: ledgers.Ledger) -> tuple[dict[ledgers.RowKey, str], dict[str, int]]:
        ids: dict[str, list[int]] = {}
        for write in ledger.writes:
            for row in write.rows:
                ids.setdefault(row.table, []).append(row.id)
        rows: dict[ledgers.RowKey, str] = {}
        counts: dict[str, int] = {}
        with cluster.connect() as connection:
            for table in ledgers.ledger_tables(ledger):
                # Table names come from the ledger the writer wrote from the models' own db_table, never from input.
                (counts[table],) = connection.execute(f"SELECT count(*) FROM {table}").fetchone() or (0,)  # noqa: S608
                found = connection.execute(
                    f"SELECT id, md5(t::text) FROM {table} t WHERE id = ANY(%s)",  # noqa: S608
                    [sorted(set(ids.get(table, [])))],
                ).fetchall()
                rows.update({(table, row_id): checksum for row_id, checksum in found})
        return rows, counts

    def recovery_stop(self) -> str:
        for line in self.restored.log.read_text(errors="replace").splitlines():
            if "recovery stopping" in line:
                return line.split("LOG:", 1)[-1].strip()
        return "(no recovery stop in the log)"

    # --- the drill ---------------------------------------------------------------------------------------------

    def drill(self) -> int:
        began = time.monotonic()
        say(f"throwaway cluster on 127.0.0.1:{self.source.port} in {self.work}, WAL archived to {self.archive}")
        self.set_up_source()
        say("migrating AP Hub and loading the demo")
        self.aphub("migrate", "--noinput", log=self.work / "migrate.log")
        self.aphub("demo", log=self.work / "demo.log")
        self.figures.add("set-up (initdb, migrate, demo)", f"{time.monotonic() - began:.0f} s")
        say("writer started: registers and referrals through AP Hub's services")
        self.start_writer()
        say("base backup while the writer writes")
        backup_started, backup_ended = self.base_backup()
        say(f"writing on for {self.args.write_after} s after the backup")
        target = self.keep_writing(backup_ended)
        self.stop_writer()
        archived = self.archive_last_wal()
        ledger = ledgers.read(self.ledger_path)
        during = sum(backup_started < write.committed_at <= backup_ended for write in ledger.writes)
        self.figures.lines.insert(2, f"  {'writes during the base backup':<34} {during}")

        # The ledger and the checksums agree with the source as it was left, before anything is restored.
        everything = ledgers.Moment(time=datetime.datetime.max.replace(tzinfo=datetime.UTC))
        source_rows, source_counts = self.read_back(self.source, ledger)
        if ledgers.compare(ledgers.expected(ledger, everything), source_rows, source_counts):
            raise DrillFailed("The ledger does not match the source database itself: the drill cannot judge a restore")
        self.source.stop()
        say(f"source cluster stopped (lost); {archived} WAL files in the archive")

        if target is not None:
            moment = ledgers.Moment(time=target)
        else:
            moment = ledgers.pick_moment(ledger.writes, after=backup_ended, by=self.args.by)
        chosen = moment.describe()
        say(f"restoring to {'WAL position' if moment.lsn is not None else 'commit time'} {chosen}")
        restore_seconds = self.restore(moment)
        want = ledgers.expected(ledger, moment)
        restored_rows, restored_counts = self.read_back(self.restored, ledger)
        mismatches = ledgers.compare(want, restored_rows, restored_counts)
        # The control: judged against every write instead, the same restore must fail, or the judgement is blind.
        control = ledgers.compare(ledgers.expected(ledger, everything), restored_rows, restored_counts)
        if want.writes_after and not control:
            raise DrillFailed("Judged against every write, the restore still passed: the comparison cannot tell")
        # AP Hub itself reads the restored database: every migration is recorded as applied.
        self.aphub("migrate", "--check", log=self.work / "restored-app.log", cluster=self.restored)

        kinds = Counter(write.kind for write in ledger.writes)
        self.figures.add(
            "acknowledged writes", f"{len(ledger.writes)} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})"
        )
        self.figures.add(
            "moment", f"{'recovery_target_lsn' if moment.lsn is not None else 'recovery_target_time'} {chosen}"
        )
        self.figures.add("writes before / after the moment", f"{want.writes_before} / {want.writes_after}")
        replayed = sum(moment.before(write) and write.committed_at > backup_ended for write in ledger.writes)
        self.figures.add("of those before, after the backup", f"{replayed} (restored from the archived WAL alone)")
        self.figures.add("rows checked", f"{len(want.rows)} present with their checksums, {len(want.absent)} absent")
        self.figures.add(
            "rows per table, restored/expected",
            ", ".join(f"{table} {restored_counts.get(table)}/{count}" for table, count in sorted(want.counts.items())),
        )
        self.figures.add("control", f"judged against every write instead: {len(control)} differences, as it must")
        self.figures.add("restore (copy, recover, promote)", f"{restore_seconds:.1f} s")
        self.figures.add("recovery", self.recovery_stop())
        self.figures.add("AP Hub on the restored database", "aphub migrate --check: every migration applied")
        self.figures.add("the whole drill", f"{time.monotonic() - began:.0f} s")
        print("\n".join(["drill: figures", *self.figures.lines]))
        if mismatches:
            for mismatch in mismatches[:50]:
                say(f"MISMATCH {mismatch.table} id {mismatch.row_id}: {mismatch.problem}")
            say(f"FAILED: {len(mismatches)} differences from the ledger")
            return 1
        lost = sum(1 for key, checksum in want.rows.items() if restored_rows.get(key) != checksum)
        late = sum(1 for key in want.absent if key in restored_rows)
        say(f"{lost} acknowledged writes lost; {late} writes after the moment restored; every count matches")
        return 0

    def clean_up(self) -> None:
        if self.writer is not None and self.writer.poll() is None:
            self.writer.kill()
            self.writer.wait()
        for cluster in (self.restored, self.source):
            try:
                cluster.stop("immediate")
            except DrillFailed as failed:
                say(f"could not stop the cluster in {cluster.data}: {failed}")
        if self.args.keep:
            say(f"kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


ONE_SECOND = datetime.timedelta(seconds=1)


def moment_argument(value: str) -> datetime.datetime | datetime.timedelta:
    """A time with its zone, or +SECONDS after the base backup ends."""
    if value.startswith("+"):
        try:
            return datetime.timedelta(seconds=float(value[1:]))
        except ValueError as wrong:
            raise argparse.ArgumentTypeError("give +SECONDS, e.g. +5") from wrong
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as wrong:
        raise argparse.ArgumentTypeError("give a time such as 2026-12-03T19:05:00+00:00, or +SECONDS") from wrong
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give the time zone, e.g. 2026-12-03T19:05:00+00:00")
    return moment


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make drill", description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin-dir", type=Path, help="PostgreSQL's programs (default: the newest installed)")
    parser.add_argument("--port", type=int, default=54329, help="the first port to try (default 54329)")
    parser.add_argument("--os-user", default="postgres", help="run PostgreSQL as this user when run as root")
    parser.add_argument(
        "--by", choices=("time", "lsn"), default="time", help="restore to a commit time or WAL position"
    )
    parser.add_argument(
        "--target-time",
        type=moment_argument,
        help="the moment to restore to: a time with its zone, after the base backup ends, or +SECONDS after it ends "
        "(default: half way through the writes after the backup)",
    )
    parser.add_argument("--writes-before-backup", type=int, default=50, help="writes before the backup starts")
    parser.add_argument("--write-after", type=float, default=10, help="seconds of writes after the backup")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (for a failed drill's logs)")
    args = parser.parse_args(argv)
    if args.target_time is not None and args.by == "lsn":
        parser.error("--target-time restores by time; leave out --by lsn")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # A terminated drill cleans up as an interrupted one does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="aphub-drill-"))
    run: Run | None = None
    try:
        os_user = args.os_user if os.geteuid() == 0 else None
        tools = Tools(args.bin_dir or postgres_bin_dir(), os_user)
        archive = work / "archive"
        archive.mkdir()
        tools.own(work, archive)
        source_port = free_port(args.port)
        run = Run(
            args=args,
            tools=tools,
            work=work,
            source=Cluster(tools, work / "source", source_port, work / "source.log"),
            restored=Cluster(tools, work / "restored", 0, work / "restored.log"),  # its port: when it is restored
            archive=archive,
            backup=work / "backup",
            ledger_path=work / "ledger.jsonl",
            stop_path=work / "stop",
        )
        return run.drill()
    except (DrillFailed, LookupError) as failed:  # LookupError: no such --os-user
        say(f"FAILED: {failed}")
        return 1
    finally:
        if run is not None:
            run.clean_up()
        elif not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
