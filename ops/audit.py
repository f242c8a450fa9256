"""`make audit`: which pinned packages have known vulnerabilities, in the Python locks and the npm tree.

pip-audit (from .venv-audit, its own lock) checks each requirements/*.lock exactly as pinned, without resolving or
installing anything; `npm audit` checks package-lock.json. Both ask a vulnerability database on the internet (PyPI's
JSON API or OSV for pip-audit, the npm registry's advisories for npm). A database that does not answer is reported as
such, never as "no known vulnerabilities": pip-audit itself prints that line for a package it could not look up.

Exit status: 0 every pin was checked and none is known to be vulnerable; 1 a known-vulnerable pin (listed); 2 some
pins could not be checked (a database did not answer) and none of those checked is known to be vulnerable.
See docs/decisions/0039-dependency-audit.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = ROOT / ".venv-audit" / "bin" / "pip-audit"
LOCKS = ("build", "run", "test", "load", "audit")

CLEAN, VULNERABLE, UNCHECKED = 0, 1, 2


@dataclass
class Finding:
    """What one source (a lock, or the npm tree) gave: its vulnerable pins and what could not be checked."""

    source: str
    checked: int = 0
    vulnerable: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.vulnerable:
            said = f"{len(self.vulnerable)} known-vulnerable pin{'s' if len(self.vulnerable) != 1 else ''}"
        elif self.checked:
            said = f"{self.checked} pins checked, none known to be vulnerable"
        else:
            said = "nothing checked"
        if self.unchecked:
            said += f"; NOT CHECKED: {'; '.join(self.unchecked)}"
        return f"{self.source}: {said}"


def pip_audit_finding(lock: Path, service: str) -> Finding:
    finding = Finding(str(lock.relative_to(ROOT)))
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        run = subprocess.run(  # noqa: S603 (our own venv's pip-audit, on our own lock files)
            [
                str(PIP_AUDIT),
                "--requirement",
                str(lock),
                "--disable-pip",  # the lock is complete and hashed: read it, install nothing
                "--require-hashes",
                "--vulnerability-service",
                service,
                "--progress-spinner",
                "off",
                "--format",
                "json",
                "--output",
                str(report),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if not report.exists():
            # pip-audit stops with a traceback when the database cannot be reached at all.
            last = (run.stderr.strip().splitlines() or ["no output"])[-1]
            finding.unchecked.append(f"pip-audit could not query {service} ({last[:200]})")
            return finding
        answer = json.loads(report.read_text())
    for dependency in answer.get("dependencies", []):
        name = dependency["name"] + (f"=={dependency['version']}" if "version" in dependency else "")
        if "skip_reason" in dependency:
            # PyPI's JSON API did not answer for it: pip-audit still prints "No known vulnerabilities found".
            finding.unchecked.append(name)
            continue
        finding.checked += 1
        for vulnerability in dependency.get("vulns", []):
            fixed = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed release yet"
            finding.vulnerable.append(f"{name}: {vulnerability['id']} (fixed in {fixed})")
    if len(finding.unchecked) > 3:
        finding.unchecked = [f"{len(finding.unchecked)} packages ({service} did not answer for them)"]
    return finding


def npm_audit_finding() -> Finding:
    """The whole npm tree: its packages are all build tools (devDependencies), so --omit=dev would check nothing."""
    finding = Finding("package-lock.json")
    # npm from PATH, as `make assets` runs it.
    command = ["npm", "audit", "--json"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603, S607
    try:
        answer = json.loads(run.stdout)
    except json.JSONDecodeError:
        answer = {"message": (run.stderr.strip().splitlines() or ["no output"])[-1]}
    if "vulnerabilities" not in answer or "metadata" not in answer:
        finding.unchecked.append(f"the npm registry's advisories did not answer ({answer.get('message', '?')[:200]})")
        return finding
    finding.checked = int(answer["metadata"].get("dependencies", {}).get("total", 0))
    for name, vulnerability in sorted(answer["vulnerabilities"].items()):
        finding.vulnerable.append(f"{name} {vulnerability.get('range', '')}: {vulnerability.get('severity', '?')}")
    return finding


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make audit", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--service", choices=("pypi", "osv"), default="pypi", help="pip-audit's vulnerability database (default pypi)"
    )
    arguments = parser.parse_args(argv)
    findings = [pip_audit_finding(ROOT / "requirements" / f"{name}.lock", arguments.service) for name in LOCKS]
    findings.append(npm_audit_finding())
    for finding in findings:
        print(finding.summary())
        for line in finding.vulnerable:
            print(f"  {line}")
    if any(finding.vulnerable for finding in findings):
        print("Known-vulnerable pins: upgrade them (make lock LOCK_ARGS=--upgrade; npm install the fixed release).")
        return VULNERABLE
    if any(finding.unchecked for finding in findings):
        print(
            "NOT AUDITED: a vulnerability database could not be reached, so some pins were not checked. "
            "This is not a clean result; run make audit again where PyPI's JSON API (or OSV) and the npm registry's "
            "advisories answer."
        )
        return UNCHECKED
    print("Every pin checked: none is known to be vulnerable.")
    return CLEAN


if __name__ == "__main__":
    sys.exit(main())
