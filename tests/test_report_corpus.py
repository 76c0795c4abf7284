"""The reports over the whole bundled corpus: every flag shown, linked and counted once."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest

from claimcheck.pipeline import Checker
from claimcheck.records import Report
from claimcheck.reports import render_html, to_csv
from claimcheck.reports.views import citations, flagged_claims, illicit_prices

CORPORA = Path(__file__).parent.parent / "corpora"


@pytest.fixture(scope="module")
def corpus_reports(checker: Checker) -> list[Report]:
    pages = sorted(str(p) for p in CORPORA.iterdir() if p.suffix in (".txt", ".html"))
    reports = list(checker.check_many(pages))
    assert len(reports) >= 50 and not [r.error for r in reports if r.error]
    return reports


def test_every_flagged_claim_is_highlighted_with_a_link_for_each_doi_and_pmid(
    corpus_reports: list[Report],
) -> None:
    dom = lxml.html.fromstring(render_html(corpus_reports))
    checked = 0
    for i, report in enumerate(corpus_reports, start=1):
        claims = flagged_claims(report)
        for j, claim in enumerate(claims, start=1):
            finding = dom.get_element_by_id(f"p{i}-c{j}")
            assert finding.xpath("string(.//mark)") == claim.text, (report.source, claim.start)
            hrefs = {unquote(h) for h in finding.xpath(".//a/@href")}
            for source in citations(claim):
                if source.doi:
                    assert f"https://doi.org/{source.doi}" in hrefs, (report.source, source.doi)
                if source.pmid:
                    assert f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/" in hrefs, source.pmid
            checked += 1
        assert not dom.xpath(f"//*[@id='p{i}-c{len(claims) + 1}']"), "no finding beyond the flagged ones"
    assert checked > 100


def test_the_csv_has_one_row_per_flag(corpus_reports: list[Report]) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(corpus_reports))))
    by_kind = {kind: [r for r in rows if r["finding"] == kind] for kind in {r["finding"] for r in rows}}
    assert len(by_kind["claim"]) == sum(len(flagged_claims(r)) for r in corpus_reports)
    assert len(by_kind["illicit price"]) == sum(len(illicit_prices(r)) for r in corpus_reports) > 0
    assert len(by_kind["spam page"]) == sum(r.spam.label == "spam" for r in corpus_reports) > 0
    assert set(by_kind) == {"claim", "illicit price", "spam page"}
    keys = [(r["source"], r["finding"], r["start"], r["end"]) for r in rows]
    assert len(keys) == len(set(keys)), "a flag appears twice"
    assert all(r["flagged"] == "yes" and r["page_url"] and r["raw_sha256"] for r in rows)
