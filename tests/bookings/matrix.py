"""Who may use each bookings route: merged into tests/test_access_matrix.py's MATRIX.

url name -> (path function, expected status by role); the helpers and role maps are those of
tests/test_access_matrix.py (import them from tests.access_roles).
"""

from __future__ import annotations

from collections.abc import Callable

MATRIX: dict[str, tuple[Callable[[], str], dict[str, int]]] = {}
