"""``caremarket tick``: one pass of the due work (for cron); ``--every N`` to keep going."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from caremarket.brokerage.services.worker import tick
from caremarket.core import worker


class Command(BaseCommand):
    help = (
        "Expire offers past their deadline, move unplaced referrals to awaiting care, send email,"
        " and run every app's due work (queued imports, ...)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=int, default=0, help="Repeat every N seconds until stopped (a worker)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            done = vars(tick()) | worker.run_all()
            if any(done.values()) or not options["every"]:
                self.stdout.write(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in done.items()))
            if not options["every"]:
                return
            time.sleep(options["every"])
