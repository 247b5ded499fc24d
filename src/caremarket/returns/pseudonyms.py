"""Person identifiers in a Client Level Data file: a keyed hash, never the raw reference,
NHS number or name.

HMAC-SHA256 keyed with a per-deployment secret (to become the ``CLD_PSEUDONYM_KEY`` setting),
so the same person gets the same identifier in every quarter's file (DHSC links rows across
returns) but nobody without the key can compute it from a reference or an NHS number.
Pure Python.
"""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(key: str, commissioner_code: str, person_reference: str) -> str:
    """A stable 32-hex-character identifier for one person of one commissioner."""
    if not key:
        raise ValueError("A pseudonymisation key is required (CLD_PSEUDONYM_KEY).")
    message = f"{commissioner_code}:{person_reference}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:32]
