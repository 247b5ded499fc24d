"""Dependency and code scanning in the suite (issue 15): bandit over ``src``, pip-audit over
``constraints.txt`` and ``npm audit`` over the front-end packages.

bandit runs offline and always. The two audits need their vulnerability services
(pypi.org's JSON API or OSV, and registry.npmjs.org's bulk advisory endpoint): when the
service cannot be reached, or answers for none of the packages, the test is skipped with the
reason, never passed silently. A known HIGH (or CRITICAL) vulnerability fails it.
These are ``checks`` (static gates, ``tests/conftest.py``).
"""

from __future__ import annotations

import json
import shutil
import subprocess  # nosec B404 - runs the project's own scanners with fixed arguments
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FAILING = {"MEDIUM", "HIGH"}


def _tool(name: str) -> str:
    found = BIN / name
    if not found.exists():
        pytest.skip(f"{name} is not installed: pip install -e '.[dev]' (it is a dev extra)")
    return str(found)


def _run(*argv: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # nosec B603 - fixed argument list, no shell
        argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def failing_findings(report: dict[str, Any]) -> list[str]:
    """bandit's findings that fail the suite: MEDIUM or HIGH severity with at least MEDIUM
    confidence (those justified with ``# nosec`` are not in the report at all)."""
    return [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in report.get("results", [])
        if r["issue_severity"] in FAILING and r["issue_confidence"] in FAILING
    ]


def test_bandit_finds_nothing_of_medium_or_high_severity_in_src() -> None:
    done = _run(_tool("bandit"), "--ini", ".bandit", "-q", "-r", "src", "-f", "json")
    report = json.loads(done.stdout)
    assert not report.get("errors"), report["errors"]
    assert report["metrics"]["_totals"]["loc"] > 10_000  # it really read the source
    found = failing_findings(report)
    assert not found, "\n".join(found)


def test_the_bandit_gate_fails_on_a_medium_finding() -> None:
    """The filter above is not vacuous: a pickle load (B301, MEDIUM) would fail it."""
    report = {
        "results": [
            {
                "filename": "x.py",
                "line_number": 1,
                "test_id": "B301",
                "issue_text": "pickle",
                "issue_severity": "MEDIUM",
                "issue_confidence": "HIGH",
            },
            {
                "filename": "y.py",
                "line_number": 2,
                "test_id": "B311",
                "issue_text": "random",
                "issue_severity": "LOW",
                "issue_confidence": "HIGH",
            },
        ]
    }
    assert failing_findings(report) == ["x.py:1 B301 pickle"]


def high_vulnerabilities(report: dict[str, Any]) -> tuple[list[str], int]:
    """pip-audit's JSON: (the vulnerabilities found, how many packages were audited). pip-audit
    does not grade severity, so any known vulnerability in a pinned package counts."""
    audited = [d for d in report.get("dependencies", []) if "skip_reason" not in d]
    found = [
        f"{d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v.get('fix_versions', []))})"
        for d in audited
        for v in d.get("vulns", [])
    ]
    return found, len(audited)


def test_pip_audit_finds_no_known_vulnerability_in_the_pinned_dependencies() -> None:
    done = _run(
        _tool("pip-audit"),
        "-r",
        "constraints.txt",
        "--no-deps",
        "--disable-pip",
        "--progress-spinner",
        "off",
        "-f",
        "json",
    )
    try:
        report = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    if not report.get("dependencies"):
        pytest.skip(f"the vulnerability service was unreachable: {done.stderr.strip()[-300:]}")
    found, audited = high_vulnerabilities(report)
    if audited == 0:
        reason = report["dependencies"][0].get("skip_reason", "")
        pytest.skip(f"the vulnerability service answered for no package ({reason})")
    assert not found, "\n".join(found)


def npm_high(report: dict[str, Any]) -> list[str]:
    """``npm audit --json``: the advisories of HIGH or CRITICAL severity."""
    return [
        f"{name}: {v.get('severity')}"
        for name, v in report.get("vulnerabilities", {}).items()
        if v.get("severity") in {"high", "critical"}
    ]


def test_npm_audit_finds_no_high_vulnerability_in_the_front_end_packages() -> None:
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed")
    done = _run(npm, "audit", "--audit-level=high", "--json", timeout=120)
    try:
        report = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    if "error" in report or "vulnerabilities" not in report:
        message = report.get("message") or done.stderr.strip()[-300:]
        pytest.skip(f"the npm advisory service was unreachable: {message}")
    found = npm_high(report)
    assert not found, "\n".join(found)


def test_the_audit_gates_count_what_they_should() -> None:
    pip_report = {
        "dependencies": [
            {"name": "a", "version": "1", "vulns": [{"id": "GHSA-1", "fix_versions": ["2"]}]},
            {"name": "b", "version": "1", "vulns": []},
            {"name": "c", "skip_reason": "Dependency not found on PyPI"},
        ]
    }
    assert high_vulnerabilities(pip_report) == (["a 1: GHSA-1 (fixed in 2)"], 2)
    npm_report = {"vulnerabilities": {"x": {"severity": "high"}, "y": {"severity": "low"}}}
    assert npm_high(npm_report) == ["x: high"]
