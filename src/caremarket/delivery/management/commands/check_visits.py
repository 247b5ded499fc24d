"""``caremarket check_visits``: every visit's references exist (``delivery.integrity``).

Exit status 1 when any visit names a commissioner, provider, person, agreement, planned
visit or pay run that is not there; run it after any repair by SQL or partial restore.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from caremarket.delivery.integrity import orphaned_visits


class Command(BaseCommand):
    help = "Check that every visit's references exist."

    def handle(self, *args: Any, **options: Any) -> None:
        found = orphaned_visits()
        broken = {name: count for name, count in found.items() if count}
        if broken:
            listed = ", ".join(f"{count} name a missing {name}" for name, count in broken.items())
            raise CommandError(f"Visits with broken references: {listed}.")
        self.stdout.write(f"Every visit's references exist ({', '.join(found)} checked).")
