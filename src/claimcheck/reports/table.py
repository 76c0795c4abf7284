"""Tables for people with spreadsheets: findings, prices and spam signals as CSV.

``findings.csv`` has one row per flag: a flagged claim (every claim with
``all_claims``), an illicit-sale price (once, though the spam detector also counts
it), a page judged spam, or an input that failed. Each row says where it was found
(page URL, title, when, the SHA-256 of the bytes) and rests on citations a reader can
look up (short name with DOI and PMID), never on internal evidence ids. Values are
plain: ``yes``/``no``, lists joined with "; ".

Page text is untrusted, and a spreadsheet runs a cell that starts with ``=``, ``+``,
``-`` or ``@`` as a formula: ``spreadsheet_safe`` prefixes such cells with ``'``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

from ..records import Claim, Price, Report
from .base import WriterOptions
from .views import (
    citation_links,
    citation_summary,
    citations,
    illicit_prices,
    is_flagged,
    page_url,
    reason_label,
    signal_label,
    signal_spans,
    site,
)

Row = dict[str, object]

PAGE_COLUMNS = ("site", "page_url", "title", "fetched_at")
PROVENANCE_COLUMNS = ("raw_sha256", "text_sha256", "source")
FINDING_COLUMNS = (
    *PAGE_COLUMNS,
    "finding",
    "flagged",
    "severity",
    "verdict",
    "reasons",
    "kinds",
    "strength",
    "text",
    "explanation",
    "citations",
    "links",
    "price",
    "item",
    "spam_score",
    "start",
    "end",
    *PROVENANCE_COLUMNS,
)
PRICE_COLUMNS = (
    *PAGE_COLUMNS,
    "price",
    "amount",
    "low",
    "high",
    "currency",
    "item",
    "unit",
    "offer",
    "illicit",
    "start",
    "end",
    *PROVENANCE_COLUMNS,
)
SPAM_COLUMNS = (
    *PAGE_COLUMNS,
    "page_label",
    "page_score",
    "signal",
    "severity",
    "detail",
    "text",
    "start",
    "end",
    *PROVENANCE_COLUMNS,
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
SPAM_TEXT_LIMIT = 300
UTF8_BOM = "\ufeff"


def spreadsheet_safe(value: object) -> str:
    """A cell value as text a spreadsheet shows rather than runs.

    ``True``/``False`` become ``yes``/``no``, ``None`` an empty cell, whole floats
    lose their ``.0``; text that a spreadsheet would read as a formula gets a leading
    ``'``, which spreadsheets hide and treat as "this is text".
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def findings_rows(report: Report, *, all_claims: bool = False) -> Iterator[Row]:
    """One row per flag on this page (per claim with ``all_claims``), or one row for a failed input."""
    if report.error:
        yield {**_page(report), "finding": "error", "explanation": report.error}
        return
    for claim in report.claims:
        if all_claims or is_flagged(claim):
            yield {**_page(report), **_claim_row(claim)}
    for price in illicit_prices(report):
        yield {**_page(report), **_illicit_row(price)}
    if report.spam.label == "spam":
        yield {**_page(report), **_spam_page_row(report)}


def price_rows(report: Report) -> Iterator[Row]:
    """Every price found on the page."""
    for price in report.prices:
        yield {
            **_page(report),
            "price": price.text,
            "amount": price.amount,
            "low": price.low,
            "high": price.high,
            "currency": price.currency,
            "item": price.item,
            "unit": price.unit,
            "offer": price.offer,
            "illicit": price.illicit,
            "start": price.start,
            "end": price.end,
        }


def spam_rows(report: Report) -> Iterator[Row]:
    """Every spam signal, with the text it covers."""
    for signal in report.spam.signals:
        yield {
            **_page(report),
            "page_label": report.spam.label,
            "page_score": round(report.spam.score, 2),
            "signal": signal_label(signal.name),
            "severity": signal.severity,
            "detail": signal.detail,
            "text": _clip(report.text[signal.start : signal.end], SPAM_TEXT_LIMIT),
            "start": signal.start,
            "end": signal.end,
        }


class CsvWriter:
    """A CSV table with a header, one batch of rows per report, written as each arrives."""

    def __init__(
        self,
        stream: TextIO,
        columns: tuple[str, ...],
        rows: Callable[[Report], Iterable[Row]],
        *,
        excel: bool = False,
    ) -> None:
        self.stream, self.rows = stream, rows
        if excel:
            stream.write(UTF8_BOM)
        self.writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
        self.writer.writeheader()

    def add(self, report: Report) -> None:
        for row in self.rows(report):
            self.writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


def findings_writer(stream: TextIO, options: WriterOptions) -> CsvWriter:
    def rows(report: Report) -> Iterator[Row]:
        return findings_rows(report, all_claims=options.all_claims)

    return CsvWriter(stream, FINDING_COLUMNS, rows, excel=options.excel)


def prices_writer(stream: TextIO, options: WriterOptions) -> CsvWriter:
    return CsvWriter(stream, PRICE_COLUMNS, price_rows, excel=options.excel)


def spam_writer(stream: TextIO, options: WriterOptions) -> CsvWriter:
    return CsvWriter(stream, SPAM_COLUMNS, spam_rows, excel=options.excel)


def to_csv(reports: Iterable[Report], options: WriterOptions | None = None) -> str:
    """The findings table of ``reports`` as one string."""
    buffer = io.StringIO()
    writer = findings_writer(buffer, options or WriterOptions())
    for report in reports:
        writer.add(report)
    return buffer.getvalue()


def _page(report: Report) -> Row:
    return {
        "site": site(report),
        "page_url": page_url(report),
        "title": report.title,
        "fetched_at": report.fetched_at,
        "raw_sha256": report.raw_sha256,
        "text_sha256": report.text_sha256,
        "source": report.source,
    }


def _claim_row(claim: Claim) -> Row:
    sources = citations(claim)
    return {
        "finding": "claim",
        "flagged": is_flagged(claim),
        "severity": claim.severity,
        "verdict": claim.verdict,
        "reasons": "; ".join(reason_label(r) for r in claim.reasons),
        "kinds": "; ".join(claim.kinds),
        "strength": claim.strength,
        "text": claim.text,
        "explanation": claim.explanation,
        "citations": "; ".join(citation_summary(c) for c in sources),
        "links": "; ".join(link.url for c in sources for link in citation_links(c)),
        "start": claim.start,
        "end": claim.end,
    }


def _illicit_row(price: Price) -> Row:
    return {
        "finding": "illicit price",
        "flagged": True,
        "severity": "high",
        "reasons": signal_label("illicit_price"),
        "text": price.text,
        "explanation": f"{price.item or 'a drug'} offered for sale at {price.text}"
        + (f" per {price.unit}" if price.unit else ""),
        "price": price.text,
        "item": price.item,
        "start": price.start,
        "end": price.end,
    }


def _spam_page_row(report: Report) -> Row:
    counts = Counter(signal_label(s.name) for s in signal_spans(report))
    return {
        "finding": "spam page",
        "flagged": True,
        "severity": "medium",
        "reasons": "; ".join(f"{name} ×{n}" if n > 1 else name for name, n in counts.items()),
        "explanation": f"the page reads as machine-made filler (spam score {report.spam.score:.2f})",
        "spam_score": round(report.spam.score, 2),
    }


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
