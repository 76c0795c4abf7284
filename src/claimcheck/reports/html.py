"""The audit report: one self-contained HTML page a regulator or journalist can read and file.

It opens with an overview (per page: claims by verdict and severity, spam score,
illicit prices, a small bar chart), then each page's flagged findings, most severe
first, each shown inside its paragraph of page text with the reasons, the
explanation and the citations as links. Supported and unverified claims are folded
away; the provenance of every page (URL, fetch time, hashes, tool and evidence
versions, models) closes its section.

Page text is untrusted. Everything that comes from a page, a server or the evidence
base goes through ``_e`` (HTML escaping, quotes included); the only links written are
https DOI/PubMed URLs and the evidence base's own http(s) URLs; ids are made here,
never taken from a page. The Content-Security-Policy allows nothing but the page's
own stylesheet (by hash): no script, image, font, frame or request of any kind, and
the page needs none (the chart is inline SVG, the folding is ``<details>``).
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable
from typing import TextIO

from ..records import VERDICT_LABELS, Claim, Price, Report, SpamSignal
from .base import WriterOptions
from .views import (
    citation_links,
    citation_name,
    citations,
    flagged_claims,
    illicit_prices,
    page_url,
    passage,
    reason_label,
    severity_counts,
    signal_label,
    signal_spans,
    verdict_counts,
    verification_mark,
)

VERDICT_COLOURS = {
    "contradicted": "#8e0000",
    "overstated": "#d0421b",
    "unsupported": "#e89a2c",
    "unverified": "#9aa0a6",
    "supported": "#2e7d32",
}
CHART_WIDTH, CHART_HEIGHT = 220, 14
FOLDED_VERDICTS = ("supported", "unverified")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_html(reports: Iterable[Report]) -> str:
    """The whole audit report as one HTML page."""
    reports = list(reports)
    pages = [(f"p{i}", report) for i, report in enumerate(reports, start=1)]
    scale = max((len(r.claims) for r in reports), default=0)
    body = "\n".join(
        [
            _header(reports),
            _contents(pages),
            _overview(pages, scale),
            *(_page_section(anchor, report) for anchor, report in pages),
        ]
    )
    return PAGE.format(csp=content_security_policy(), style=STYLE, body=body)


def content_security_policy() -> str:
    """Nothing may load or run; only the page's own stylesheet applies (pinned by its hash).

    Made from constants only (no page text), and free of ``"`` and ``<``, so it goes into
    the ``content`` attribute as it is.
    """
    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


class HtmlWriter:
    """Keeps each report and writes the page on ``close``: the overview needs the whole batch."""

    def __init__(self, stream: TextIO, options: WriterOptions | None = None) -> None:
        self.stream = stream
        self.reports: list[Report] = []

    def add(self, report: Report) -> None:
        self.reports.append(report)

    def close(self) -> None:
        self.stream.write(render_html(self.reports))
        self.stream.flush()


def _header(reports: list[Report]) -> str:
    checked = [r for r in reports if not r.error]
    flagged = sum(len(flagged_claims(r)) for r in checked)
    high = sum(severity_counts(r)["high"] for r in checked)
    spam = sum(r.spam.label == "spam" for r in checked)
    illicit = sum(len(illicit_prices(r)) for r in checked)
    meta = next((r.meta for r in reports if r.meta), None)
    made = (
        f"<p class=made>Made with claimcheck {_e(meta.tool_version)}; evidence base "
        f"<code>{_e((meta.evidence_hash or 'none')[:16])}</code>. Offsets count characters of the "
        "extracted text; each page's provenance closes its section.</p>"
        if meta
        else ""
    )
    return (
        "<header><h1>claimcheck audit report</h1>"
        f"<p class=lede id=totals><span data-total=pages>{len(reports)}</span> pages "
        f"({len(reports) - len(checked)} failed) · <span data-total=flagged>{flagged}</span> flagged claims "
        f"(<span data-total=high>{high}</span> high severity) · <span data-total=spam>{spam}</span> spam pages · "
        f"<span data-total=illicit>{illicit}</span> illicit-sale prices</p>{made}</header>"
    )


def _contents(pages: list[tuple[str, Report]]) -> str:
    items = "".join(
        f'<li><a href="#{anchor}">{_e(_title(report))}</a> <small>{_e(_page_status(report))}</small></li>'
        for anchor, report in pages
    )
    return f'<nav aria-label="Contents"><h2>Contents</h2><ol><li><a href="#overview">Overview</a></li>{items}</ol></nav>'


def _page_status(report: Report) -> str:
    if report.error:
        return "failed"
    return f"{len(flagged_claims(report))} flagged"


def _overview(pages: list[tuple[str, Report]], scale: int) -> str:
    head = "".join(
        f"<th>{label}</th>"
        for label in (
            "Page",
            "Flagged",
            "High",
            "Medium",
            "Low",
            "Supported",
            "Unverified",
            "Spam score",
            "Illicit prices",
            "Claims by verdict",
        )
    )
    rows = "\n".join(_overview_row(anchor, report, scale) for anchor, report in pages)
    legend = " ".join(
        f'<span class=key><svg width=10 height=10 aria-hidden=true><rect width=10 height=10 fill="{colour}"/></svg> {verdict}</span>'
        for verdict, colour in VERDICT_COLOURS.items()
    )
    return (
        "<section id=overview><h2>Overview</h2><table class=overview><thead><tr>"
        f"{head}</tr></thead><tbody>{rows}</tbody></table><p class=legend>{legend}</p></section>"
    )


def _overview_row(anchor: str, report: Report, scale: int) -> str:
    link = f'<td><a href="#{anchor}">{_e(_title(report))}</a><br><small>{_e(page_url(report))}</small></td>'
    if report.error:
        return f'<tr id="ov-{anchor}" class=failed>{link}<td colspan=9 class=error>failed: {_e(report.error)}</td></tr>'
    verdicts, severities = verdict_counts(report), severity_counts(report)
    spam = f"{report.spam.score:.2f}" + (" <b>spam</b>" if report.spam.label == "spam" else "")
    cells = [
        ("flagged", len(flagged_claims(report))),
        ("high", severities["high"]),
        ("medium", severities["medium"]),
        ("low", severities["low"]),
        ("supported", verdicts["supported"]),
        ("unverified", verdicts["unverified"]),
    ]
    numbers = "".join(f"<td class=num data-count={key}>{value}</td>" for key, value in cells)
    return (
        f'<tr id="ov-{anchor}">{link}{numbers}<td class=num data-count=spam>{spam}</td>'
        f"<td class=num data-count=illicit>{len(illicit_prices(report))}</td>"
        f"<td>{_chart(verdicts, scale)}</td></tr>"
    )


def _chart(verdicts: dict[str, int], scale: int) -> str:
    """A stacked bar of claims by verdict; bars of all pages share one scale."""
    x, parts = 0.0, []
    for verdict, colour in VERDICT_COLOURS.items():
        count = verdicts.get(verdict, 0)
        if not count:
            continue
        width = CHART_WIDTH * count / max(scale, 1)
        parts.append(
            f'<rect x="{x:.1f}" width="{width:.1f}" height="{CHART_HEIGHT}" fill="{colour}">'
            f"<title>{verdict}: {count}</title></rect>"
        )
        x += width
    summary = ", ".join(f"{verdicts.get(v, 0)} {v}" for v in VERDICT_LABELS)
    return (
        f'<svg class=chart width="{CHART_WIDTH}" height="{CHART_HEIGHT}" role=img '
        f'aria-label="{_e(summary)}">{"".join(parts)}</svg>'
    )


def _page_section(anchor: str, report: Report) -> str:
    heading = f"<h2>{_e(_title(report))}</h2><p class=url>{_e(page_url(report))}</p>"
    if report.error:
        body = f"<p class=error>This input could not be checked: {_e(report.error)}</p>"
        return f'<section class=page id="{anchor}">{heading}{body}{_provenance(report)}</section>'
    parts = [
        heading,
        _summary(report),
        _flagged(anchor, report),
        _illicit(report),
        _spam(report),
        _prices(report),
        *(_folded(report, verdict) for verdict in FOLDED_VERDICTS),
        _provenance(report),
    ]
    return f'<section class=page id="{anchor}">{"".join(parts)}</section>'


def _summary(report: Report) -> str:
    verdicts = verdict_counts(report)
    counts = ", ".join(f"{n} {verdict}" for verdict, n in verdicts.items() if n)
    return (
        f"<p class=summary>{len(report.claims)} claims ({_e(counts or 'none')}); "
        f"spam: {_e(report.spam.label)} ({report.spam.score:.2f}); {len(report.prices)} prices.</p>"
    )


def _flagged(anchor: str, report: Report) -> str:
    claims = flagged_claims(report)
    if not claims:
        return "<h3>Flagged claims (0)</h3><p>No claim on this page was flagged.</p>"
    articles = "\n".join(_finding(f"{anchor}-c{i}", report, c) for i, c in enumerate(claims, start=1))
    return f"<h3>Flagged claims ({len(claims)})</h3>{articles}"


def _finding(anchor: str, report: Report, claim: Claim) -> str:
    severity = claim.severity or "unrated"
    reasons = ", ".join(reason_label(r) for r in claim.reasons)
    model = f" · claim-model flag score {claim.flag_score:.2f}" if claim.flag_score is not None else ""
    return (
        f'<article class="finding {_e(severity)}" id="{anchor}">'
        f"<h4><span class=badge>{_e(severity)}</span> {_e(claim.verdict)}"
        + (f" — {_e(reasons)}" if reasons else "")
        + "</h4>"
        f"<blockquote class=context>{_in_context(report.text, claim.start, claim.end)}</blockquote>"
        f"<p class=explanation>{_e(claim.explanation)}</p>"
        f"{_citations(claim)}"
        f"<p class=where>characters {claim.start}–{claim.end} · kinds: {_e(', '.join(claim.kinds) or '-')}"
        f"{model}</p></article>"
    )


def _in_context(text: str, start: int, end: int) -> str:
    shown = passage(text, start, end)
    return f"{_e(shown.before)}<mark>{_e(shown.marked)}</mark>{_e(shown.after)}"


def _citations(claim: Claim) -> str:
    sources = citations(claim)
    if not sources:
        return ""
    items = []
    for source in sources:
        mark, meaning = verification_mark(source.verification)
        links = " ".join(
            f'<a href="{_e(link.url)}" rel="noreferrer noopener">{_e(link.label)}</a>'
            for link in citation_links(source)
        )
        items.append(
            f'<li><span class=check title="{_e(meaning)}">{_e(mark)}</span> '
            + (f"<b>{_e(source.short)}</b> " if source.short else "")
            + f"{_e(source.citation)} {links} "
            f"<small>({_e(meaning)})</small></li>"
        )
    return f"<ul class=cites>{''.join(items)}</ul>"


def _illicit(report: Report) -> str:
    prices = illicit_prices(report)
    if not prices:
        return ""
    rows = "".join(
        f"<tr><td>{_e(p.text)}</td><td>{_e(p.item or '')}</td><td>{_e(p.unit or '')}</td>"
        f"<td>{_in_context(report.text, p.start, p.end)}</td></tr>"
        for p in prices
    )
    return (
        f"<h3>Illicit-sale prices ({len(prices)})</h3><table class=illicit><thead><tr><th>Price</th>"
        f"<th>Item</th><th>Per</th><th>Where on the page</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _spam(report: Report) -> str:
    signals = signal_spans(report)
    heading = f"Spam: {_e(report.spam.label)} (score {report.spam.score:.2f})"
    if not signals:
        return f"<h3>{heading}</h3><p>No spam signal.</p>"
    items = "".join(_signal(report, s) for s in signals)
    listing = f"<ul class=signals>{items}</ul>"
    if report.spam.label == "spam":
        return f"<h3>{heading}</h3>{listing}"
    return (
        f"<h3>{heading}</h3><details><summary>{len(signals)} weak signals "
        f"(not enough to call the page spam)</summary>{listing}</details>"
    )


def _signal(report: Report, signal: SpamSignal) -> str:
    return (
        f"<li><b>{_e(signal_label(signal.name))}</b> <small>({_e(signal.severity)}; {_e(signal.detail)})</small>"
        f"<blockquote class=context>{_in_context(report.text, signal.start, signal.end)}</blockquote></li>"
    )


def _prices(report: Report) -> str:
    if not report.prices:
        return ""
    rows = "".join(_price_row(p) for p in report.prices)
    return (
        f"<details><summary>All prices ({len(report.prices)})</summary><table class=prices><thead><tr>"
        "<th>Price</th><th>Item</th><th>Per</th><th>Offer</th><th>Illicit-sale signal</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></details>"
    )


def _price_row(price: Price) -> str:
    return (
        f"<tr><td>{_e(price.text)}</td><td>{_e(price.item or '')}</td><td>{_e(price.unit or '')}</td>"
        f"<td>{'yes' if price.offer else 'no'}</td><td>{'<b>yes</b>' if price.illicit else 'no'}</td></tr>"
    )


def _folded(report: Report, verdict: str) -> str:
    claims = [c for c in report.claims if c.verdict == verdict]
    if not claims:
        return ""
    items = "".join(
        f"<li>{_e(c.text)}<br><small>{_e(c.explanation)}"
        + (f" ({_e('; '.join(citation_name(s) for s in citations(c)))})" if citations(c) else "")
        + "</small></li>"
        for c in claims
    )
    return f"<details class=folded><summary>{verdict.capitalize()} claims ({len(claims)})</summary><ul>{items}</ul></details>"


def _provenance(report: Report) -> str:
    rows = [
        ("Input", report.source),
        ("Final URL", report.final_url or "—"),
        ("Fetched at", report.fetched_at or "— (a local file or stdin)"),
        ("SHA-256 of the bytes", report.raw_sha256 or "—"),
        ("SHA-256 of the text", report.text_sha256 or "—"),
    ]
    if report.meta:
        rows += [
            ("Tool version", f"claimcheck {report.meta.tool_version}"),
            ("Evidence base (SHA-256)", report.meta.evidence_hash or "—"),
            *((f"Model: {name}", value) for name, value in report.meta.models.items()),
            ("Settings", "; ".join(f"{k} = {v}" for k, v in report.meta.settings.items()) or "—"),
        ]
    items = "".join(f"<dt>{_e(name)}</dt><dd><code>{_e(value)}</code></dd>" for name, value in rows)
    return f"<h3>Provenance</h3><dl class=provenance>{items}</dl>"


def _title(report: Report) -> str:
    return report.title or report.source


STYLE = """
:root{--ink:#1d1d1f;--muted:#5f6368;--line:#dadce0;--high:#8e0000;--medium:#b3470c;--low:#8a6d00}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);max-width:72rem;margin:2rem auto;padding:0 1rem}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid var(--line);padding-bottom:.2rem;margin-top:2.5rem}
h4{margin:.2rem 0 .4rem}small,.made,.where,.url{color:var(--muted)}.url{word-break:break-all;margin-top:-.6rem}
.lede{font-size:1.1rem}nav ol{columns:2;padding-left:1.5rem}
table{border-collapse:collapse;width:100%}th,td{border-top:1px solid var(--line);padding:.35rem .5rem;vertical-align:top;text-align:left}
th{font-size:.85rem;color:var(--muted);font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
.overview small{word-break:break-all}.legend .key{margin-right:1rem;white-space:nowrap}
.finding{border-left:4px solid var(--line);padding:.2rem 0 .2rem 1rem;margin:1rem 0}
.finding.high{border-color:var(--high)}.finding.medium{border-color:var(--medium)}.finding.low{border-color:var(--low)}
.badge{display:inline-block;font-size:.75rem;text-transform:uppercase;letter-spacing:.05em;padding:0 .4rem;border-radius:3px;background:#eee}
.high .badge{background:var(--high);color:#fff}.medium .badge{background:var(--medium);color:#fff}.low .badge{background:#f3e5ab}
blockquote.context{margin:.4rem 0;padding:.4rem .8rem;background:#f8f9fa;border-radius:4px;white-space:pre-wrap}
mark{background:#ffe08a;padding:0 .1rem}.cites{padding-left:1.2rem}.check{font-weight:700;color:#2e7d32}
.error{color:var(--high)}dl.provenance{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.provenance dd{margin:0;word-break:break-all}summary{cursor:pointer;margin:.6rem 0}
@media print{
body{margin:0;max-width:none;font-size:10.5pt}nav,.legend{display:none}
section.page{break-before:page}.finding,tr,dl.provenance{break-inside:avoid}
a[href^="http"]::after{content:" <" attr(href) ">";font-size:.8em;color:var(--muted)}
mark,.badge,.chart rect{print-color-adjust:exact;-webkit-print-color-adjust:exact}
}
"""

PAGE = """<!doctype html>
<html lang=en><head><meta charset=utf-8>
<meta name=viewport content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name=referrer content=no-referrer>
<title>claimcheck audit report</title>
<style>{style}</style></head><body>
{body}
</body></html>
"""
