"""Gold annotations: loading them and resolving quotes to spans.

Two layouts are read:

- the project's corpus (``corpora/``): ``NAME.txt``/``NAME.html`` beside ``NAME.gold.yaml``
  (format in ``corpora/README.md``);
- the real-page sets of ``../shared/datasets`` (``clinic_pages_dev/``): ``pages/NN.json``
  (``{"url", "category", "text"}``) and ``gold/NN.json`` in the annotation guide's
  section 5 format, where a claim is ``overstated: true|false`` with reasons spelled
  in words and there is no verdict label.

Gold files give spans as quotes so that they survive changes in HTML extraction.
Resolving a quote is whitespace-insensitive; a quote that is missing, or repeated
without an ``occurrence``, is a GoldError naming the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import GoldError
from ..records import CLAIM_KINDS, REASONS, VERDICT_LABELS, Document

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
    verdicts_labelled: bool = True
    """False where gold says only flagged or not (the real-page sets): no verdict accuracy then."""


def is_page_set(folder: str | Path) -> bool:
    """Whether ``folder`` has the real-page set layout (``pages/*.json`` and ``gold/*.json``)."""
    folder = Path(folder)
    return (folder / "pages").is_dir() and (folder / "gold").is_dir()


def page_set_items(folder: str | Path) -> list[tuple[Path, Document, GoldPage]]:
    """Every page of a real-page set with its gold, in name order.

    The text is used exactly as stored (the gold quotes are substrings of it), so no
    extraction runs; the document's source is the page's URL.
    """
    folder = Path(folder)
    items = []
    for page_path in sorted((folder / "pages").glob("*.json")):
        gold_file = folder / "gold" / page_path.name
        if not gold_file.is_file():
            continue
        page = _read_json(page_path)
        document = Document(source=str(page.get("url") or page_path), text=str(page["text"]))
        items.append((page_path, document, load_json_gold(gold_file, document.text, page.get("category"))))
    return items


def load_json_gold(path: Path, text: str, genre: str | None = None) -> GoldPage:
    """A gold file in the annotation guide's section 5 format, resolved against ``text``."""
    data = _read_json(path)
    finder = _QuoteFinder(text, str(path))
    seen: dict[str, int] = {}
    claims = []
    for item in data.get("claims") or ():
        quote = str(item["quote"])
        seen[quote] = seen.get(quote, 0) + 1
        reasons = tuple(_reason_name(str(path), r) for r in item.get("reasons") or ())
        claims.append(
            _claim(
                finder,
                {
                    "quote": quote,
                    "occurrence": seen[quote],
                    "kinds": item.get("kinds") or (),
                    "reasons": reasons,
                    "verdict": "overstated" if item.get("overstated") else None,
                },
                first_if_repeated=True,
            )
        )
    prices = [_price(finder, {**p, "occurrence": 1}) for p in data.get("prices") or ()]
    return GoldPage(
        page=path.stem,
        genre=genre,
        spam_label=None if data.get("spam") is None else ("spam" if data["spam"] else "ok"),
        signals=(),
        prices=tuple(prices),
        claims=tuple(claims),
        verdicts_labelled=False,
    )


def _reason_name(path: str, words: str) -> str:
    """ "number beyond evidence" -> ``number_beyond_evidence``, as the records spell reasons."""
    name = re.sub(r"[^a-z]+", "_", words.lower()).strip("_")
    name = _REASON_ALIASES.get(name, name)
    if name not in REASONS:
        raise GoldError(f"{path}: unknown reason {words!r}; allowed: {', '.join(REASONS)}")
    return name


_REASON_ALIASES = {"absolute_or_superlative_language": "absolute_language"}


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise GoldError(f"{path}: cannot read: {error}") from None
    if not isinstance(data, dict):
        raise GoldError(f"{path}: expected a JSON object")
    return data


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

    def count(self, quote: str) -> int:
        return len(re.findall(_quote_pattern(quote), self.text))

    def find(
        self, quote: str, occurrence: int | None = None, within: tuple[int, int] | None = None
    ) -> tuple[int, int]:
        pattern = _quote_pattern(quote)
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


def _claim(finder: _QuoteFinder, item: dict[str, Any], first_if_repeated: bool = False) -> GoldClaim:
    occurrence = item.get("occurrence")
    if first_if_repeated and occurrence is not None and occurrence > finder.count(item["quote"]):
        occurrence = 1
    start, end = finder.find(item["quote"], occurrence)
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


def _quote_pattern(quote: str) -> str:
    return r"\s+".join(re.escape(word) for word in str(quote).split())


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _check_labels(path: str, quote: str, labels: Any, allowed: tuple[str, ...], what: str) -> None:
    for label in labels:
        if label not in allowed:
            raise GoldError(
                f"{path}: unknown {what} {label!r} for {quote[:60]!r}; allowed: {', '.join(allowed)}"
            )
