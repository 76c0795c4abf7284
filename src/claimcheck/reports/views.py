"""What every report format derives from a `Report` the same way.

A finding reads the same in the HTML page, the CSV and the ClaimReview output: the
same order (most severe first), the same plain labels for reasons and signals, the
same citation links. Labels are data, so a new reason needs a line here, not code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from ..records import FLAGGED_VERDICTS, VERDICT_LABELS, Citation, Claim, Price, Report, SpamSignal

SEVERITY_ORDER = ("high", "medium", "low")

REASON_LABELS = {
    "number_beyond_evidence": "number beyond the evidence",
    "absolute_language": "absolute language",
    "onset_exaggerated": "onset exaggerated",
    "durability_exaggerated": "durability exaggerated",
    "indication_creep": "indication creep (a use the evidence does not establish)",
    "regulatory_misstatement": "regulatory status misstated",
    "authority_misappropriation": "authority borrowed",
    "testimonial_as_proof": "testimonial offered as proof",
    "cost_misstatement": "cost misstated",
}
SIGNAL_LABELS = {
    "spun_text": "spun (machine-reworded) text",
    "keyword_stuffing": "keyword stuffing",
    "template_residue": "template or link-farm residue",
    "off_topic": "off-topic paragraph",
    "drug_shop": "drug-shop language",
    "illicit_price": "illicit-sale price",
}
VERIFICATION_LABELS = {
    "verified": ("✓", "verified: read first-hand"),
    "verified-secondary": ("✓", "verified through a secondary source"),
    "recalled-not-verified": ("?", "not verified: recalled, to be checked"),
}
PARAGRAPH_LIMIT = 900
"""Characters of context shown around a claim whose paragraph is longer than this."""


@dataclass(frozen=True)
class Link:
    """A citation identifier and where a reader can open it."""

    label: str
    url: str


def reason_label(reason: str) -> str:
    return REASON_LABELS.get(reason, reason.replace("_", " "))


def signal_label(name: str) -> str:
    return SIGNAL_LABELS.get(name, name.replace("_", " "))


def verification_mark(verification: str) -> tuple[str, str]:
    """A one-character mark and its meaning, for a citation's verification status."""
    return VERIFICATION_LABELS.get(verification, ("?", verification))


def page_url(report: Report) -> str:
    """Where the page lives: the URL redirects ended at, else the input as given."""
    return report.final_url or report.source


def site(report: Report) -> str:
    """The host name of a URL input; the input itself for files and stdin."""
    url = page_url(report)
    host = urlsplit(url).hostname if url.startswith(("http://", "https://")) else None
    return host or report.source


def is_flagged(claim: Claim) -> bool:
    return claim.verdict in FLAGGED_VERDICTS


def flagged_claims(report: Report) -> list[Claim]:
    """Flagged claims, most severe first, then in text order."""
    flagged = [claim for claim in report.claims if is_flagged(claim)]
    return sorted(flagged, key=lambda c: (_severity_rank(c.severity), c.start))


def illicit_prices(report: Report) -> list[Price]:
    return [price for price in report.prices if price.illicit]


def verdict_counts(report: Report) -> dict[str, int]:
    """Claims per verdict, every verdict present (zero where none)."""
    counts = Counter(claim.verdict for claim in report.claims)
    return {verdict: counts[verdict] for verdict in VERDICT_LABELS}


def severity_counts(report: Report) -> dict[str, int]:
    """Flagged claims per severity, every severity present."""
    counts = Counter(str(claim.severity) for claim in report.claims if is_flagged(claim))
    return {severity: counts[severity] for severity in SEVERITY_ORDER}


def citations(claim: Claim) -> list[Citation]:
    """The distinct sources a verdict rests on, in the order the evidence gives them."""
    seen: dict[str, Citation] = {}
    for ref in claim.evidence:
        for citation in ref.citations:
            seen.setdefault(citation.doi or citation.pmid or citation.citation, citation)
    return list(seen.values())


def citation_name(citation: Citation) -> str:
    return citation.short or citation.citation


def citation_links(citation: Citation) -> list[Link]:
    """DOI, PubMed and web links of a source; only http(s) URLs, so none can run code."""
    links = []
    if citation.doi:
        links.append(Link(f"doi:{citation.doi}", "https://doi.org/" + quote(citation.doi, safe="/:;()._-")))
    if citation.pmid and citation.pmid.isdigit():
        links.append(Link(f"PMID {citation.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{citation.pmid}/"))
    if citation.url and citation.url.startswith(("https://", "http://")):
        links.append(Link("web", citation.url))
    return links


def citation_summary(citation: Citation) -> str:
    """One line naming a source and its identifiers: "Cochrane 2021, doi:10.1002/…, PMID 345"."""
    ids = [link.label for link in citation_links(citation) if link.label != "web"]
    return ", ".join([citation_name(citation), *ids])


def signal_spans(report: Report) -> list[SpamSignal]:
    """Spam signals in text order, without those that repeat an illicit price listed on its own."""
    prices = {(p.start, p.end) for p in illicit_prices(report)}
    signals = [
        s for s in report.spam.signals if not (s.name == "illicit_price" and (s.start, s.end) in prices)
    ]
    return sorted(signals, key=lambda s: (s.start, s.end))


@dataclass(frozen=True)
class Passage:
    """A span shown inside the paragraph of page text around it."""

    before: str
    marked: str
    after: str


def passage(text: str, start: int, end: int, limit: int = PARAGRAPH_LIMIT) -> Passage:
    """The paragraph (line of extracted text) holding ``text[start:end]``, clipped around it."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi == -1 else hi
    room = max(0, limit - (end - start)) // 2
    before, after = text[lo:start], text[end:hi]
    if len(before) > room:
        before = "…" + before[len(before) - room :]
    if len(after) > room:
        after = after[:room] + "…"
    return Passage(before, text[start:end], after)


def _severity_rank(severity: str | None) -> int:
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)
