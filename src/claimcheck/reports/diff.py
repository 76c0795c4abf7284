"""Diff two audits of the same sites: which claims appeared, disappeared, or changed verdict or severity.

Claims are matched page by page (by URL), first by stable claim id (the same
normalised wording on the same page), then, among what is left, by text similarity,
so that a claim whose wording shifted slightly ("75% of patients" became "over 75%
of patients") is reported as *reworded* rather than as one removal and one addition.
A page present in only one audit contributes all its claims as added or removed.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from typing import Literal

from .ids import normalise_claim_text
from .store import Store

ChangeKind = Literal["added", "removed", "changed", "reworded"]
SIMILAR_ENOUGH = 0.85
"""Text similarity (difflib ratio on normalised text) above which two unmatched claims are the same claim reworded."""
DIFF_COLUMNS = (
    "change",
    "site",
    "url",
    "claim_id",
    "text",
    "verdict_before",
    "verdict_after",
    "severity_before",
    "severity_after",
    "text_before",
)


@dataclass(frozen=True)
class StoredClaim:
    """A claim as the store keeps it, reduced to what a diff compares."""

    site: str
    url: str
    claim_id: str
    text: str
    verdict: str
    severity: str | None


@dataclass(frozen=True)
class ClaimChange:
    """One difference between audit A (before) and audit B (after)."""

    change: ChangeKind
    site: str
    url: str
    claim_id: str
    text: str
    verdict_before: str | None = None
    verdict_after: str | None = None
    severity_before: str | None = None
    severity_after: str | None = None
    text_before: str | None = None


def run_claims(store: Store, run_id: int) -> dict[str, list[StoredClaim]]:
    """A run's claims grouped by page URL, in page order."""
    store.require_run(run_id)
    rows = store.db.query(
        "select pages.site, pages.url, claims.claim_id, claims.text, claims.verdict, claims.severity "
        "from claims join pages on pages.id = claims.page_id where claims.run_id = ? "
        "order by pages.id, claims.ordinal",
        [run_id],
    )
    by_page: dict[str, list[StoredClaim]] = defaultdict(list)
    for row in rows:
        by_page[row["url"]].append(StoredClaim(**row))
    return dict(by_page)


def diff_runs(before: dict[str, list[StoredClaim]], after: dict[str, list[StoredClaim]]) -> list[ClaimChange]:
    """Every change from ``before`` to ``after``, page by page in URL order."""
    changes: list[ClaimChange] = []
    for url in sorted(before.keys() | after.keys()):
        changes += diff_page(before.get(url, []), after.get(url, []))
    return changes


def diff_page(before: Sequence[StoredClaim], after: Sequence[StoredClaim]) -> list[ClaimChange]:
    """Changes on one page: pairs by id, then by similar text; what is left was removed or added."""
    pairs, left, right = _pair_by_id(before, after)
    similar, left, right = _pair_by_text(left, right)
    changes = [change for old, new in pairs + similar if (change := _compare(old, new)) is not None]
    changes += [_one_sided("removed", claim) for claim in left]
    changes += [_one_sided("added", claim) for claim in right]
    return changes


def to_text(changes: Sequence[ClaimChange]) -> str:
    """Readable, grouped by site and page."""
    if not changes:
        return "no differences\n"
    lines: list[str] = []
    site = url = None
    for change in changes:
        if change.site != site:
            site = change.site
            lines.append(f"site {site}")
        if change.url != url:
            url = change.url
            lines.append(f"  {url}")
        lines.append(f"    {_describe(change)}")
    counts: dict[str, int] = defaultdict(int)
    for change in changes:
        counts[change.change] += 1
    lines.append(", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())))
    return "\n".join(lines) + "\n"


def to_jsonl(changes: Iterable[ClaimChange]) -> str:
    return "".join(json.dumps(asdict(change), ensure_ascii=False) + "\n" for change in changes)


def to_csv(changes: Iterable[ClaimChange]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=DIFF_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(asdict(change) for change in changes)
    return buffer.getvalue()


def _pair_by_id(
    before: Sequence[StoredClaim], after: Sequence[StoredClaim]
) -> tuple[list[tuple[StoredClaim, StoredClaim]], list[StoredClaim], list[StoredClaim]]:
    """Pairs with equal ids, in page order (the same sentence twice on a page pairs first with first)."""
    waiting: dict[str, list[StoredClaim]] = defaultdict(list)
    for claim in after:
        waiting[claim.claim_id].append(claim)
    pairs, left = [], []
    for claim in before:
        if waiting[claim.claim_id]:
            pairs.append((claim, waiting[claim.claim_id].pop(0)))
        else:
            left.append(claim)
    matched = {id(new) for _, new in pairs}
    return pairs, left, [claim for claim in after if id(claim) not in matched]


def _pair_by_text(
    before: list[StoredClaim], after: list[StoredClaim]
) -> tuple[list[tuple[StoredClaim, StoredClaim]], list[StoredClaim], list[StoredClaim]]:
    """Greedy best-first pairing of the most similar texts above ``SIMILAR_ENOUGH``."""
    scored = sorted(
        (
            (
                SequenceMatcher(None, normalise_claim_text(old.text), normalise_claim_text(new.text)).ratio(),
                i,
                j,
            )
            for i, old in enumerate(before)
            for j, new in enumerate(after)
        ),
        reverse=True,
    )
    used_before: set[int] = set()
    used_after: set[int] = set()
    pairs = []
    for ratio, i, j in scored:
        if ratio < SIMILAR_ENOUGH:
            break
        if i not in used_before and j not in used_after:
            used_before.add(i)
            used_after.add(j)
            pairs.append((before[i], after[j]))
    rest_before = [claim for i, claim in enumerate(before) if i not in used_before]
    rest_after = [claim for j, claim in enumerate(after) if j not in used_after]
    return pairs, rest_before, rest_after


def _compare(old: StoredClaim, new: StoredClaim) -> ClaimChange | None:
    reworded = old.claim_id != new.claim_id
    if not reworded and (old.verdict, old.severity) == (new.verdict, new.severity):
        return None
    return ClaimChange(
        "reworded" if reworded else "changed",
        new.site,
        new.url,
        new.claim_id,
        new.text,
        old.verdict,
        new.verdict,
        old.severity,
        new.severity,
        old.text if reworded else None,
    )


def _one_sided(kind: Literal["added", "removed"], claim: StoredClaim) -> ClaimChange:
    before = kind == "removed"
    return ClaimChange(
        kind,
        claim.site,
        claim.url,
        claim.claim_id,
        claim.text,
        verdict_before=claim.verdict if before else None,
        verdict_after=None if before else claim.verdict,
        severity_before=claim.severity if before else None,
        severity_after=None if before else claim.severity,
    )


def _describe(change: ClaimChange) -> str:
    def state(verdict: str | None, severity: str | None) -> str:
        return f"{verdict}" + (f"/{severity}" if severity else "")

    before = state(change.verdict_before, change.severity_before)
    after = state(change.verdict_after, change.severity_after)
    text = change.text if len(change.text) <= 140 else change.text[:139] + "…"
    if change.change == "added":
        return f"+ [{after}] {text}"
    if change.change == "removed":
        return f"- [{before}] {text}"
    verdicts = f"{before} -> {after}" if before != after else after
    return f"~ {change.change} [{verdicts}] {text}"
