"""Gold annotations: loading ``corpora/*.gold.yaml`` and resolving quotes to spans.

Gold files give spans as quotes (see ``corpora/README.md``) so that they survive
changes in HTML extraction. Resolving a quote is whitespace-insensitive; a quote that
is missing, or repeated without an ``occurrence``, is a GoldError naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import GoldError
from .records import CLAIM_KINDS, REASONS, VERDICT_LABELS

PAGE_SUFFIXES = (".txt", ".html", ".htm")
GOLD_SUFFIX = ".gold.yaml"


@dataclass(frozen=True)
class GoldClaim:
    start: int
    end: int
    text: str
    kinds: tuple[str, ...]
    hedged: bool = False
    verdict: str | None = None
    reasons: tuple[str, ...] = ()
    severity: str | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoldPrice:
    start: int
    end: int
    text: str
    amount: float | None
    low: float | None
    high: float | None
    currency: str | None
    item: str | None
    unit: str | None
    offer: bool
    illicit: bool


@dataclass(frozen=True)
class GoldSignal:
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class GoldPage:
    """A page's gold annotation, resolved against its extracted text."""

    page: str
    genre: str | None
    spam_label: str | None
    signals: tuple[GoldSignal, ...]
    prices: tuple[GoldPrice, ...]
    claims: tuple[GoldClaim, ...]


def corpus_pages(folder: str | Path) -> list[Path]:
    """The input pages of a corpus folder that have a gold file, in name order."""
    folder = Path(folder)
    pages = [p for p in sorted(folder.iterdir()) if p.suffix in PAGE_SUFFIXES]
    return [p for p in pages if gold_path(p).is_file()]


def gold_path(page: Path) -> Path:
    return page.with_name(page.stem + GOLD_SUFFIX)


def load_gold(page: Path, text: str) -> GoldPage:
    """Load the gold file of ``page`` and resolve its quotes in ``text``."""
    path = gold_path(page)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise GoldError(f"{path}: cannot read gold file: {error}") from None
    finder = _QuoteFinder(text, str(path))
    spam = data.get("spam") or {}
    return GoldPage(
        page=str(data.get("page", page.name)),
        genre=data.get("genre"),
        spam_label=spam.get("label"),
        signals=tuple(_signal(finder, s) for s in spam.get("signals") or ()),
        prices=tuple(_price(finder, p) for p in data.get("prices") or ()),
        claims=tuple(_claim(finder, c) for c in data.get("claims") or ()),
    )


class _QuoteFinder:
    def __init__(self, text: str, path: str) -> None:
        self.text, self.path = text, path

    def find(
        self, quote: str, occurrence: int | None = None, within: tuple[int, int] | None = None
    ) -> tuple[int, int]:
        pattern = r"\s+".join(re.escape(word) for word in str(quote).split())
        lo, hi = within or (0, len(self.text))
        hits = [(m.start() + lo, m.end() + lo) for m in re.finditer(pattern, self.text[lo:hi])]
        if not hits:
            raise GoldError(f"{self.path}: quote not found in the extracted text: {quote[:80]!r}")
        if occurrence is None and len(hits) > 1:
            raise GoldError(f"{self.path}: quote occurs {len(hits)} times; add occurrence: {quote[:80]!r}")
        index = (occurrence or 1) - 1
        if index >= len(hits):
            raise GoldError(f"{self.path}: occurrence {occurrence} of {quote[:60]!r} not found")
        return hits[index]


def _claim(finder: _QuoteFinder, item: dict[str, Any]) -> GoldClaim:
    start, end = finder.find(item["quote"], item.get("occurrence"))
    kinds = tuple(item.get("kinds") or ())
    _check_labels(finder.path, item["quote"], kinds, CLAIM_KINDS, "kind")
    _check_labels(finder.path, item["quote"], item.get("reasons") or (), REASONS, "reason")
    verdict = item.get("verdict")
    if verdict is not None:
        _check_labels(finder.path, item["quote"], (verdict,), VERDICT_LABELS, "verdict")
    return GoldClaim(
        start=start,
        end=end,
        text=finder.text[start:end],
        kinds=kinds,
        hedged=bool(item.get("hedged", False)),
        verdict=verdict,
        reasons=tuple(item.get("reasons") or ()),
        severity=item.get("severity"),
        evidence=tuple(item.get("evidence") or ()),
    )


def _price(finder: _QuoteFinder, item: dict[str, Any]) -> GoldPrice:
    within = finder.find(item["context"], item.get("occurrence")) if item.get("context") else None
    start, end = finder.find(item["quote"], None if within else item.get("occurrence"), within)
    return GoldPrice(
        start=start,
        end=end,
        text=finder.text[start:end],
        amount=_float(item.get("amount")),
        low=_float(item.get("low")),
        high=_float(item.get("high")),
        currency=item.get("currency"),
        item=item.get("item"),
        unit=item.get("unit"),
        offer=bool(item.get("offer", False)),
        illicit=bool(item.get("illicit", False)),
    )


def _signal(finder: _QuoteFinder, item: dict[str, Any]) -> GoldSignal:
    start, end = finder.find(item["quote"], item.get("occurrence"))
    return GoldSignal(str(item["name"]), start, end)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _check_labels(path: str, quote: str, labels: Any, allowed: tuple[str, ...], what: str) -> None:
    for label in labels:
        if label not in allowed:
            raise GoldError(
                f"{path}: unknown {what} {label!r} for {quote[:60]!r}; allowed: {', '.join(allowed)}"
            )
