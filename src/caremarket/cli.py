"""The ``caremarket`` console command.

    caremarket demo [--reset]        build the demo database and print the accounts
    caremarket serve [--demo]        run the web app (gunicorn) on 127.0.0.1:8000
    caremarket allocate ...          the allocation engine (see docs/allocation.md)
    caremarket cld --commissioner devon --quarter 2026Q3   the DHSC Client Level Data return
    caremarket retention [--years N] [--dry-run]            pseudonymise people long out of care
    caremarket <django command> ...  anything manage.py can do (migrate, createsuperuser, ...)

``--demo`` (and the ``demo`` command) fill in what a laptop lacks: a secret key kept in
var/secret_key, console email, cookies over plain http. Production sets these itself.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

DEMO_ENV = {
    "SECURE_COOKIES": "0",
    "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
}


def _var_dir() -> Path:
    default = Path(__file__).resolve().parent.parent.parent / "var"
    path = Path(os.environ.get("CAREMARKET_VAR_DIR", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _demo_environment() -> None:
    for key, value in DEMO_ENV.items():
        os.environ.setdefault(key, value)
    if not os.environ.get("SECRET_KEY"):
        key_file = _var_dir() / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        os.environ["SECRET_KEY"] = key_file.read_text().strip()


def _serve(args: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="caremarket serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--demo", action="store_true", help="laptop defaults (see above)")
    parser.add_argument(
        "--worker",
        type=int,
        default=None,
        metavar="SECONDS",
        help="also run the deadline and email worker every SECONDS (default 30 with --demo)",
    )
    options = parser.parse_args(args)
    if options.worker is None and options.demo:
        options.worker = 30
    if options.demo:
        _demo_environment()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "caremarket.wsgi:application",
        "--bind",
        f"{options.host}:{options.port}",
        "--workers",
        str(options.workers),
        "--access-logfile",
        "-",
        "--timeout",
        "60",
    ]
    print(f"caremarket is running at http://{options.host}:{options.port}/ (Ctrl+C to stop)")
    worker = _start_worker(options.worker) if options.worker else None
    try:
        run()
    finally:
        if worker is not None:
            worker.terminate()
    return 0


def _start_worker(every: int) -> subprocess.Popen[bytes]:
    """The worker is a separate process, as in production: the web app never depends on it,
    it only makes expiries, the awaiting-care list and emails prompt."""
    print(f"The deadline and email worker runs every {every} seconds (emails print here).")
    return subprocess.Popen(  # noqa: S603 - our own console command, fixed arguments
        [sys.executable, "-m", "caremarket.cli", "tick", "--every", str(every)]
    )


ALIASES = {"fee-review": "fee_review"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command in ("help", "-h", "--help"):
        print(__doc__)
        return 0
    if command == "serve":
        return _serve(argv[1:])
    if command == "allocate":
        from caremarket.engine.allocation.cli import main as allocate

        return allocate(argv[1:])
    if command == "demo":
        _demo_environment()
    # Commands spelt as people type them: `caremarket fee-review` runs Django's fee_review.
    argv[0] = ALIASES.get(command, command)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["caremarket", *argv])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
