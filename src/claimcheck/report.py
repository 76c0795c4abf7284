"""Reports: the JSON contract, a findings table, and readable text and HTML.

``report_to_dict`` is the contract other tools depend on (extend it, don't break it).
Page text is untrusted: every HTML output escapes it, and nothing from a page is ever
written into markup unescaped.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from .records import FLAGGED_VERDICTS, Claim, Report

TABLE_COLUMNS = (
    "source",
    "finding",
    "start",
    "end",
    "text",
    "kinds",
    "verdict",
    "severity",
    "reasons",
    "evidence",
    "explanation",
    "amount",
    "low",
    "high",
    "currency",
    "item",
    "unit",
    "offer",
    "illicit",
)


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON values, in the documented key order."""
    return {
        "source": report.source,
        "title": report.title,
        "text": report.text,
        "text_sha256": report.text_sha256,
        "raw_sha256": report.raw_sha256,
        "fetched_at": report.fetched_at,
        "final_url": report.final_url,
        "error": report.error,
        "claims": [_claim_dict(claim) for claim in report.claims],
        "spam": asdict(report.spam),
        "prices": [asdict(price) for price in report.prices],
        "meta": asdict(report.meta) if report.meta else None,
    }


def to_jsonl_line(report: Report) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, sort_keys=False)


def findings_rows(report: Report) -> Iterable[dict[str, Any]]:
    """One table row per claim, price and spam signal (or one row for a failed input)."""
    if report.error:
        yield {"source": report.source, "finding": "error", "explanation": report.error}
        return
    for claim in report.claims:
        yield {
            "source": report.source,
            "finding": "claim",
            "start": claim.start,
            "end": claim.end,
            "text": claim.text,
            "kinds": ";".join(claim.kinds),
            "verdict": claim.verdict,
            "severity": claim.severity or "",
            "reasons": ";".join(claim.reasons),
            "evidence": ";".join(ref.id for ref in claim.evidence),
            "explanation": claim.explanation,
        }
    for price in report.prices:
        row = {"source": report.source, "finding": "price", **asdict(price)}
        row.pop("text")
        yield {**row, "text": price.text}
    for signal in report.spam.signals:
        yield {
            "source": report.source,
            "finding": f"spam:{signal.name}",
            "start": signal.start,
            "end": signal.end,
            "text": report.text[signal.start : signal.end][:300],
            "severity": signal.severity,
            "explanation": signal.detail,
        }


def to_csv(reports: Iterable[Report]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TABLE_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for report in reports:
        writer.writerows(findings_rows(report))
    return buffer.getvalue()


def render_text(report: Report) -> str:
    """A short human-readable summary of one report, for terminals."""
    if report.error:
        return f"{report.source}\n  ERROR {report.error}\n"
    flagged = [c for c in report.claims if c.verdict in FLAGGED_VERDICTS]
    lines = [
        f"{report.source}" + (f" — {report.title}" if report.title else ""),
        f"  {len(report.claims)} claims, {len(flagged)} flagged; spam: {report.spam.label} "
        f"({report.spam.score:.2f}); {len(report.prices)} prices",
    ]
    for claim in flagged:
        lines.append(
            f"  [{claim.severity or '-'}] {claim.verdict} ({', '.join(claim.reasons)}) @{claim.start}-{claim.end}"
        )
        lines.append(f"      “{_clip(claim.text, 160)}”")
        if claim.explanation:
            lines.append(f"      {_clip(claim.explanation, 300)}")
    illicit = [p for p in report.prices if p.illicit]
    for price in illicit:
        lines.append(f"  [high] illicit-sale signal: {price.text} for {price.item or '?'}")
    return "\n".join(lines) + "\n"


def render_html(reports: Iterable[Report]) -> str:
    """A self-contained HTML report; all page text is escaped."""
    body = "\n".join(_report_html(report) for report in reports)
    return HTML_PAGE.format(body=body)


def _report_html(report: Report) -> str:
    title = html.escape(report.title or report.source)
    if report.error:
        return f"<section><h2>{title}</h2><p class=error>{html.escape(report.error)}</p></section>"
    rows = "\n".join(_claim_row(claim) for claim in report.claims)
    prices = "\n".join(
        f"<tr><td>{html.escape(p.text)}</td><td>{html.escape(p.item or '')}</td><td>{html.escape(p.unit or '')}</td>"
        f"<td>{'offer' if p.offer else ''}</td><td>{'<b>illicit</b>' if p.illicit else ''}</td></tr>"
        for p in report.prices
    )
    meta = html.escape(json.dumps(asdict(report.meta), ensure_ascii=False) if report.meta else "")
    return (
        f"<section><h2>{title}</h2><p class=source>{html.escape(report.source)} · spam: "
        f"{html.escape(report.spam.label)} ({report.spam.score:.2f})</p>"
        f"<table><tr><th>verdict</th><th>claim</th><th>why</th></tr>{rows}</table>"
        f"<h3>Prices</h3><table><tr><th>price</th><th>item</th><th>unit</th><th></th><th></th></tr>{prices}</table>"
        f"<details><summary>meta</summary><pre>{meta}</pre></details></section>"
    )


def _claim_row(claim: Claim) -> str:
    cites = "; ".join(f"{ref.id}" for ref in claim.evidence)
    return (
        f"<tr class={html.escape(claim.verdict)}><td>{html.escape(claim.verdict)}<br><small>"
        f"{html.escape(claim.severity or '')} {html.escape(', '.join(claim.reasons))}</small></td>"
        f"<td>{html.escape(claim.text)}<br><small>[{claim.start}–{claim.end}] {html.escape(', '.join(claim.kinds))}"
        f"</small></td><td>{html.escape(claim.explanation)}<br><small>{html.escape(cites)}</small></td></tr>"
    )


def _claim_dict(claim: Claim) -> dict[str, Any]:
    data = asdict(claim)
    data["kinds"] = list(claim.kinds)
    data["reasons"] = list(claim.reasons)
    return data


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


HTML_PAGE = """<!doctype html>
<html lang=en><head><meta charset=utf-8><title>claimcheck report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
body{{font:15px/1.4 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse;width:100%}}td,th{{border-top:1px solid #ddd;padding:.4rem;vertical-align:top;text-align:left}}
tr.overstated td:first-child,tr.contradicted td:first-child,tr.unsupported td:first-child{{color:#a40000;font-weight:600}}
tr.supported td:first-child{{color:#22662b}}.error{{color:#a40000}}small{{color:#555}}
</style></head><body><h1>claimcheck report</h1>
{body}
</body></html>
"""


@dataclass(frozen=True)
class Layout:
    """A report format written one report at a time, so a batch is never held in memory.

    Writing ``head``, each report's ``item`` (``separator`` between two), then ``tail``
    gives the same text as the whole-batch functions above.
    """

    item: Callable[[Report], str]
    head: str = ""
    separator: str = ""
    tail: str = ""


def _csv_rows(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TABLE_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writerows(findings_rows(report))
    return buffer.getvalue()


_HTML_HEAD, _HTML_TAIL = (part.format() for part in HTML_PAGE.split("{body}"))

LAYOUTS: dict[str, Layout] = {
    "text": Layout(render_text),
    "jsonl": Layout(lambda report: to_jsonl_line(report) + "\n"),
    "json": Layout(to_jsonl_line, head="[", separator=",\n", tail="]\n"),
    "csv": Layout(_csv_rows, head=",".join(TABLE_COLUMNS) + "\n"),
    "html": Layout(_report_html, head=_HTML_HEAD, separator="\n", tail=_HTML_TAIL),
}
