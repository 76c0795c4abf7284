"""schema.org ClaimReview JSON-LD: each flagged claim as a review a fact-checking platform can ingest.

One ``ClaimReview`` per flagged claim: the claim as written (``claimReviewed``), where
it appeared and when claimcheck read it (``itemReviewed``: a ``Claim`` whose
``appearance`` is the page, with ``lastReviewed`` set to the fetch time), the rating on
schema.org's 1 (false) to 5 (true) scale with our verdict as ``alternateName``, the
explanation, and the sources as ``citation``. A review needs someone who stands behind
it, so the author is whoever ``--reviewer`` names; claimcheck is named as the tool.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any, TextIO

from ..version import __version__
from ..records import Citation, Claim, Report
from .base import WriterOptions
from .views import citation_links, citation_name, citations, flagged_claims, page_url, reason_label

SCHEMA = "https://schema.org"
RATINGS = {
    "contradicted": (1, "Contradicted by the evidence"),
    "overstated": (2, "Overstates the evidence"),
    "unsupported": (2, "Not supported by the evidence"),
}
"""schema.org rating values (1 = false … 5 = true) and the wording shown for each flagged verdict."""


def claim_reviews(report: Report, reviewer: str, published: date) -> list[dict[str, Any]]:
    """One ClaimReview object per flagged claim of ``report`` (none for a failed input)."""
    if report.error:
        return []
    return [_review(report, claim, reviewer, published) for claim in flagged_claims(report)]


class ClaimReviewWriter:
    """A JSON-LD array of ClaimReview objects, written report by report."""

    def __init__(self, stream: TextIO, options: WriterOptions) -> None:
        if not options.reviewer:
            raise ValueError("ClaimReview needs a reviewer: the person or organisation behind the reviews")
        self.stream, self.reviewer = stream, options.reviewer
        self.published = options.published or datetime.now(UTC).date()
        self.count = 0

    def add(self, report: Report) -> None:
        for review in claim_reviews(report, self.reviewer, self.published):
            text = json.dumps(review, ensure_ascii=False, indent=2)
            self.stream.write(("[\n" if self.count == 0 else ",\n") + text)
            self.count += 1
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        self.stream.flush()


def _review(report: Report, claim: Claim, reviewer: str, published: date) -> dict[str, Any]:
    value, wording = RATINGS.get(claim.verdict, (3, claim.verdict))
    reasons = "; ".join(reason_label(r) for r in claim.reasons)
    appearance: dict[str, Any] = {"@type": "WebPage", "url": page_url(report)}
    if report.title:
        appearance["name"] = report.title
    if report.fetched_at:
        appearance["lastReviewed"] = report.fetched_at
    return {
        "@context": SCHEMA,
        "@type": "ClaimReview",
        "datePublished": published.isoformat(),
        "author": {"@type": "Organization", "name": reviewer},
        "claimReviewed": claim.text,
        "itemReviewed": {"@type": "Claim", "appearance": appearance},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": claim.verdict,
            "name": wording,
            "ratingExplanation": reasons or wording,
        },
        "reviewBody": claim.explanation,
        "citation": [_citation(c) for c in citations(claim)],
        "isBasedOn": {
            "@type": "SoftwareApplication",
            "name": "claimcheck",
            "softwareVersion": report.meta.tool_version if report.meta else __version__,
        },
    }


def _citation(source: Citation) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "ScholarlyArticle", "name": citation_name(source)}
    if source.short:
        work["description"] = source.citation
    links = citation_links(source)
    if links:
        work["url"] = links[0].url
        work["sameAs"] = [link.url for link in links]
    identifiers = [f"doi:{source.doi}"] if source.doi else []
    identifiers += [f"pmid:{source.pmid}"] if source.pmid else []
    if identifiers:
        work["identifier"] = identifiers
    return work
