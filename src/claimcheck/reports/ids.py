"""Stable claim ids: the same wording on the same page gets the same id in every audit.

An id is a hash of the claim's normalised text and the page's source URL (or path).
Audit diffs match claims across runs by it, and the store indexes it, so a claim can
be followed from one audit of a site to the next.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

CLAIM_ID_HEX = 16
"""64 bits of SHA-256: collisions need about four billion claims on one audit."""

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-"})


def normalise_claim_text(text: str) -> str:
    """Claim text as ids see it: Unicode-compatible forms, case-folded, quotes and dashes plain, spaces collapsed.

    Re-extraction of the same page can differ in exactly these ways (a curly quote
    becomes straight, a line break becomes a space) without the claim changing.
    """
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _SPACE.sub(" ", folded).strip()


def claim_id(text: str, source: str) -> str:
    """The stable id of a claim with this wording on the page at ``source`` (a URL or a path)."""
    key = f"{source}\x1f{normalise_claim_text(text)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:CLAIM_ID_HEX]
