"""A short readable summary per report, for terminals.

Page text is untrusted and a terminal obeys escape sequences: a page could set the
window title, clear the screen or rewrite earlier lines. Every string that comes from
a page (or from a server, in an error message) is passed through ``terminal_safe``,
which shows control characters as visible escapes instead of sending them.
"""

from __future__ import annotations

from typing import TextIO

from ..records import Report
from .base import WriterOptions
from .views import flagged_claims, illicit_prices

_BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
"""Embeddings, overrides and isolates: they reorder what is displayed after them."""
_SPACES = {ord("\n"): " ", ord("\t"): " ", ord("\r"): " "}
_ESCAPES = {
    code: _SPACES.get(code, f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *_BIDI_CONTROLS)
}


def terminal_safe(text: str) -> str:
    r"""``text`` with C0/C1 controls, DEL and bidi overrides shown as ``\x1b``-style escapes.

    Newlines, tabs and carriage returns become spaces: each field is shown on one line.
    """
    return text.translate(_ESCAPES)


def render_text(report: Report) -> str:
    """A short human-readable summary of one report, safe to print to a terminal."""
    safe = terminal_safe
    if report.error:
        return f"{safe(report.source)}\n  ERROR {safe(report.error)}\n"
    flagged = flagged_claims(report)
    lines = [
        safe(report.source) + (f" — {safe(report.title)}" if report.title else ""),
        f"  {len(report.claims)} claims, {len(flagged)} flagged; spam: {report.spam.label} "
        f"({report.spam.score:.2f}); {len(report.prices)} prices; offers without an amount: {len(report.offers)}",
    ]
    for claim in flagged:
        reasons = ", ".join(claim.reasons)
        lines.append(f"  [{claim.severity or '-'}] {claim.verdict} ({reasons}) @{claim.start}-{claim.end}")
        lines.append(f"      “{_clip(safe(claim.text), 160)}”")
        if claim.explanation:
            lines.append(f"      {_clip(safe(claim.explanation), 300)}")
    for price in illicit_prices(report):
        lines.append(f"  [high] illicit-sale signal: {safe(price.text)} for {safe(price.item or '?')}")
    return "\n".join(lines) + "\n"


class TextWriter:
    """The terminal summary, written as each report arrives."""

    def __init__(self, stream: TextIO, options: WriterOptions | None = None) -> None:
        self.stream = stream

    def add(self, report: Report) -> None:
        self.stream.write(render_text(report))
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
