"""`make audit` (ops.audit) tells a known-vulnerable pin (exit 1) from a database that did not answer (exit 2), and
says "none known to be vulnerable" (exit 0) only when every pin was checked. pip-audit and npm are stood in for by
scripts that answer as the real ones do, as the databases are on the internet."""

import json
import os
import stat

import pytest

from ops import audit


def stand_in(path, body: str):
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


@pytest.fixture
def tools(tmp_path, monkeypatch):
    """Stand-ins for pip-audit (writes `pip.json` to its --output) and npm (prints `npm.json`)."""
    pip_audit = stand_in(
        tmp_path / "pip-audit",
        f'while [ "$1" != "--output" ]; do shift; done; [ -f {tmp_path}/pip.json ] && cp {tmp_path}/pip.json "$2"\n'
        f"[ -f {tmp_path}/pip.json ] || echo 'ConnectionError: api.osv.dev' >&2\n",
    )
    stand_in(tmp_path / "npm", f"cat {tmp_path}/npm.json\n")
    monkeypatch.setattr(audit, "PIP_AUDIT", pip_audit)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    return tmp_path


def answers(folder, pip=None, npm=None):
    if pip is not None:
        (folder / "pip.json").write_text(json.dumps(pip))
    (folder / "npm.json").write_text(json.dumps(npm))


NPM_CLEAN = {"vulnerabilities": {}, "metadata": {"dependencies": {"total": 13}}}
PIP_CLEAN = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}], "fixes": []}


def test_every_pin_checked_and_none_vulnerable_is_clean(tools, capsys):
    answers(tools, pip=PIP_CLEAN, npm=NPM_CLEAN)
    assert audit.main([]) == audit.CLEAN
    assert "none is known to be vulnerable" in capsys.readouterr().out


def test_a_known_vulnerable_pin_is_listed_with_its_fix(tools, capsys):
    vulnerable = {
        "dependencies": [
            {"name": "django", "version": "5.2.1", "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"]}]}
        ]
    }
    answers(tools, pip=vulnerable, npm=NPM_CLEAN)
    assert audit.main([]) == audit.VULNERABLE
    assert "django==5.2.1: PYSEC-2025-1 (fixed in 5.2.2)" in capsys.readouterr().out


def test_a_vulnerable_npm_package_is_listed(tools, capsys):
    npm = {
        "vulnerabilities": {"sass": {"severity": "high", "range": "<1.100.0"}},
        "metadata": {"dependencies": {"total": 13}},
    }
    answers(tools, pip=PIP_CLEAN, npm=npm)
    assert audit.main([]) == audit.VULNERABLE
    assert "sass <1.100.0: high" in capsys.readouterr().out


def test_packages_pypi_did_not_answer_for_are_not_called_clean(tools, capsys):
    # pip-audit's own summary for this report is "No known vulnerabilities found", with exit status 0.
    skipped = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}], "fixes": []}
    answers(tools, pip=skipped, npm=NPM_CLEAN)
    assert audit.main([]) == audit.UNCHECKED
    out = capsys.readouterr().out
    assert "NOT CHECKED: django" in out and "NOT AUDITED" in out
    assert "none is known to be vulnerable" not in out


def test_unreachable_databases_are_reported_as_such(tools, capsys):
    npm_refused = {"message": "405 Method Not Allowed - POST .../advisories/bulk", "error": {"summary": ""}}
    answers(tools, pip=None, npm=npm_refused)
    assert audit.main([]) == audit.UNCHECKED
    out = capsys.readouterr().out
    assert "pip-audit could not query pypi (ConnectionError: api.osv.dev)" in out
    assert "the npm registry's advisories did not answer (405 Method Not Allowed" in out
