"""Settings for the test suite: the real settings, with safe test defaults filled in."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("CLD_PSEUDONYM_KEY", "test-only-cld-pseudonym-key")

from caremarket.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
STATIC_ROOT = None  # tests serve static files from the finders; nothing is collected
# WhiteNoise looks a static file up when it is asked for, instead of scanning every static
# file (over a thousand, through the finders) when its middleware is created: the test client
# creates the middleware once per Client, so the scan cost 0.13 s a test. The same files are
# served, from the same finders.
WHITENOISE_AUTOREFRESH = True
# Autorefresh would tell browsers to check every file again on every page (max-age 0): a
# browser test's context keeps them for its length instead, as a browser does in production.
WHITENOISE_MAX_AGE = 3600


class _FromTheModels(dict):  # type: ignore[type-arg]
    """Every app "has no migrations": Django makes its tables from the models."""

    def __contains__(self, app_label: object) -> bool:
        return True

    def __getitem__(self, app_label: str) -> None:
        return None


# The SQLite test database is made from the models (as Django's TEST["MIGRATE"] = False
# does) instead of by replaying every migration: replaying them renders the models' states
# hundreds of times, 45 s of CPU at the start of each SQLite pass, for the same schema (the
# columns, foreign keys, indexes and checks of all 203 tables compared on 2026-12-07: only
# the columns' order differs). The migrations are still run in every `make test`: on
# PostgreSQL, the production database, whose schema template `migrate` builds, and
# tests/test_code_quality.py::test_migrations_are_up_to_date proves they match the models.
# CAREMARKET_TEST_MIGRATE=1 replays them on SQLite too.
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and not os.environ.get(  # noqa: F405
    "CAREMARKET_TEST_MIGRATE"
):
    MIGRATION_MODULES = _FromTheModels()
