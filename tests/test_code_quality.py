"""The gates CI holds the code to, run as tests so `make test` is the one command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, env=env)


@pytest.mark.parametrize(
    "command",
    [
        ("ruff", "check", "."),
        ("ruff", "format", "--check", "."),
        ("mypy",),
        ("lint-imports",),
    ],
    ids=["ruff-lint", "ruff-format", "mypy-engine", "import-linter"],
)
def test_gate(command: tuple[str, ...]) -> None:
    result = _run(str(BIN / command[0]), *command[1:])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_engine_imports_without_django() -> None:
    code = (
        "import sys, caremarket.engine.postcodes, caremarket.engine.pricing, "
        "caremarket.engine.terms; assert 'django' not in sys.modules, sorted(sys.modules)"
    )
    result = _run(sys.executable, "-c", code)
    assert result.returncode == 0, result.stderr


def test_migrations_are_up_to_date() -> None:
    result = _run(str(BIN / "caremarket"), "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
