"""Every output format: the JSON contract, the journalist's CSV, the audit HTML, ClaimReview, text.

The sample report is hostile on purpose: its page text carries markup, a formula, and
terminal escape sequences, all of which must arrive inert in every format.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from dataclasses import replace
from datetime import date

import pytest

from claimcheck.records import Citation, Claim, EvidenceRef, Meta, Price, Report, SpamResult, SpamSignal
from claimcheck.reports import (
    FORMATS,
    REPORT_DIR_FILES,
    ClaimReviewWriter,
    JsonLinesWriter,
    WriterOptions,
    claim_reviews,
    prices_writer,
    render_html,
    render_text,
    report_from_dict,
    report_to_dict,
    spam_writer,
    spreadsheet_safe,
    terminal_safe,
    to_csv,
    to_jsonl_line,
    write_all,
)

HOSTILE = '<script>alert("x")</script> Ketamine cures 100% & more'
CONTEXT = "Our clinic, est. 2019. "
SUPPORTED = "Ketamine can lift mood within a day."
SHOP = "Buy ketamine powder $1,500 per kg."
TEXT = f"{CONTEXT}{HOSTILE} Call now.\n{SUPPORTED}\n{SHOP}"
COCHRANE = Citation(
    "Dean RL, et al. Cochrane Database Syst Rev 2021.",
    doi="10.1002/14651858.CD011612.pub3",
    pmid="34510411",
    short="Cochrane 2021",
)
SECONDARY = Citation("Example B. A summary.", verification="recalled-not-verified", short="Example 2019")


def _span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def sample_report() -> Report:
    evidence = (EvidenceRef("ket-e-1", "A statement.", 0.8, (COCHRANE, SECONDARY)),)
    hostile = Claim(
        *_span(HOSTILE),
        HOSTILE,
        ("efficacy",),
        strength="direct",
        verdict="overstated",
        reasons=("absolute_language",),
        severity="medium",
        explanation="Absolute <b>language</b>.",
        evidence=evidence,
    )
    formula = Claim(
        *_span("Call now."),
        "Call now.",
        ("efficacy",),
        verdict="contradicted",
        reasons=("number_beyond_evidence",),
        severity="high",
        explanation='=HYPERLINK("http://evil")',
    )
    supported = Claim(*_span(SUPPORTED), SUPPORTED, ("onset",), verdict="supported", evidence=evidence)
    price_start, price_end = _span("$1,500 per kg")
    price = Price(
        price_start, price_end, "$1,500 per kg", "USD", amount=1500.0, item="<i>powder</i>", illicit=True
    )
    signals = (
        SpamSignal("illicit_price", price_start, price_end, "ketamine powder offered for sale", "high"),
        SpamSignal("drug_shop", *_span("Buy ketamine"), "shop language", "medium"),
    )
    return Report(
        "https://clinic.example/k",
        text=TEXT,
        title="<title>Clinic\x1b]0;pwned\x07",
        text_sha256="t" * 64,
        raw_sha256="r" * 64,
        fetched_at="2026-11-30T10:00:00Z",
        final_url="https://clinic.example/ketamine",
        claims=(hostile, formula, supported),
        spam=SpamResult("spam", 0.9, signals),
        prices=(price,),
        meta=Meta("0.1.0", "e" * 64, {"claims": "claim_model.npz sha256:abc"}, {"top_k": 3}),
    )


FAILED = Report("gone.html", error="FetchError: 404 <img src=x onerror=alert(1)>")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_jsonl_line_is_one_line_of_the_contract_and_reads_back() -> None:
    report = sample_report()
    line = to_jsonl_line(report)
    assert "\n" not in line
    data = json.loads(line)
    assert data["claims"][0]["reasons"] == ["absolute_language"]
    assert data["claims"][0]["evidence"][0]["citations"][0]["doi"] == COCHRANE.doi
    assert data["prices"][0]["amount"] == 1500.0
    assert data["spam"]["label"] == "spam"
    assert report_to_dict(report)["meta"]["tool_version"] == "0.1.0"
    assert report_from_dict(data) == report
    assert report_from_dict({**data, "a_key_from_the_future": 1}) == report


# --- HTML ---------------------------------------------------------------------------------------


def test_html_escapes_every_piece_of_page_text() -> None:
    page = render_html([sample_report(), FAILED])
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<i>powder</i>" not in page and "&lt;i&gt;powder&lt;/i&gt;" in page
    assert "<title>Clinic" not in page and "&lt;title&gt;Clinic" in page
    assert "<img src=x" not in page and "<b>language</b>" not in page
    assert not re.search(r"<(script|img|iframe|link|object|embed)\b", page)


def test_html_csp_allows_only_its_own_stylesheet() -> None:
    page = render_html([sample_report()])
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None and "default-src 'none'" in csp.group(1) and "unsafe" not in csp.group(1)
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp.group(1)
    assert " style=" not in page, "a style attribute would be blocked by the CSP"


def test_html_overview_comes_first_with_counts_and_chart() -> None:
    page = render_html([sample_report(), FAILED])
    overview, first_page = page.index("id=overview"), page.index('id="p1"')
    assert overview < first_page
    row = re.search(r'<tr id="ov-p1">(.*?)</tr>', page, re.S)
    assert row is not None
    cells = dict(re.findall(r"data-count=(\w+)>([^<]*)", row.group(1)))
    assert cells == {
        "flagged": "2",
        "high": "1",
        "medium": "1",
        "low": "0",
        "supported": "1",
        "unverified": "0",
        "spam": "0.90 ",
        "illicit": "1",
    }
    assert "<svg class=chart" in row.group(1)
    assert 'id="ov-p2" class=failed' in page and "failed: FetchError: 404 &lt;img" in page
    assert re.search(r"data-total=flagged>2<", page) and re.search(r"data-total=illicit>1<", page)


def test_html_flagged_findings_most_severe_first_highlighted_in_their_paragraph() -> None:
    page = render_html([sample_report()])
    first, second = page.index('id="p1-c1"'), page.index('id="p1-c2"')
    assert page.index("<mark>Call now.</mark>") < second < page.index("<mark>&lt;script&gt;")
    assert first < page.index("<mark>Call now.</mark>")
    finding = page[second : page.index("</article>", second)]
    assert "Our clinic, est. 2019. <mark>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in finding
    assert "</mark> Call now." in finding, "the rest of the paragraph is shown after the claim"
    assert '<a href="https://doi.org/10.1002/14651858.CD011612.pub3"' in finding
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/34510411/"' in finding
    assert "ket-e-1" not in finding, "internal ids are not citations"
    assert "verified: read first-hand" in finding and "not verified" in finding


def test_html_folds_supported_claims_and_shows_spam_and_provenance() -> None:
    page = render_html([sample_report()])
    folded = re.search(
        r"<details class=folded><summary>Supported claims \(1\)</summary>(.*?)</details>", page, re.S
    )
    assert folded is not None and SUPPORTED in folded.group(1)
    assert "<b>drug-shop language</b>" in page and "<mark>Buy ketamine</mark>" in page
    assert "illicit-sale price</b>" not in page, (
        "the illicit price is listed once, not again as a spam signal"
    )
    assert "Illicit-sale prices (1)" in page
    for shown in ("https://clinic.example/ketamine", "2026-11-30T10:00:00Z", "r" * 64, "t" * 64, "e" * 64):
        assert f"<code>{shown}</code>" in page
    assert "claim_model.npz sha256:abc" in page and "@media print" in page


def test_html_links_only_to_https_sources() -> None:
    evil = Citation("Evil 2020 citation text", url="javascript:alert(1)", doi='10.1/x"onmouseover=alert(1)')
    claim = Claim(
        0,
        4,
        "Cure",
        ("efficacy",),
        verdict="overstated",
        severity="low",
        evidence=(EvidenceRef("x", "s", 0.5, (evil,)),),
    )
    page = render_html([Report("a.txt", text="Cure", claims=(claim,))])
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert all(h.startswith(("#", "https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/")) for h in hrefs)
    assert "javascript:" not in page.replace("javascript:alert(1)", "")
    assert "onmouseover=alert" not in re.sub(r'href="[^"]*"', "", page).replace("&quot;onmouseover", "")


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_has_one_row_per_flag_with_page_and_citations() -> None:
    rows = _rows(to_csv([sample_report(), FAILED]))
    assert [r["finding"] for r in rows] == ["claim", "claim", "illicit price", "spam page", "error"]
    hostile = rows[0]
    assert hostile["page_url"] == "https://clinic.example/ketamine" and hostile["site"] == "clinic.example"
    assert hostile["fetched_at"] == "2026-11-30T10:00:00Z" and hostile["raw_sha256"] == "r" * 64
    assert hostile["flagged"] == "yes" and hostile["reasons"] == "absolute language"
    assert (hostile["kinds"], hostile["strength"]) == ("efficacy", "direct")
    assert hostile["citations"] == (
        "Cochrane 2021, doi:10.1002/14651858.CD011612.pub3, PMID 34510411; Example 2019"
    )
    assert "https://pubmed.ncbi.nlm.nih.gov/34510411/" in hostile["links"]
    assert "ket-e-1" not in json.dumps(rows)
    assert rows[2]["price"] == "$1,500 per kg" and rows[2]["item"] == "<i>powder</i>"
    assert rows[3]["reasons"] == "drug-shop language", "the illicit price is not counted twice"
    assert rows[4]["explanation"].startswith("FetchError: 404")


def test_csv_all_claims_and_excel_bom() -> None:
    text = to_csv([sample_report()], WriterOptions(all_claims=True, excel=True))
    assert text.startswith("\ufeffsite,page_url,")
    rows = _rows(text.lstrip("\ufeff"))
    claims = [r for r in rows if r["finding"] == "claim"]
    assert [(r["text"], r["flagged"]) for r in claims][1:] == [("Call now.", "yes"), (SUPPORTED, "no")]


def test_prices_and_spam_tables() -> None:
    prices, spam = io.StringIO(), io.StringIO()
    for factory, stream in ((prices_writer, prices), (spam_writer, spam)):
        write_all(factory(stream, WriterOptions()), [sample_report(), FAILED])
    (price,) = _rows(prices.getvalue())
    assert price["amount"] == "1500" and price["illicit"] == "yes" and price["offer"] == "no"
    signals = _rows(spam.getvalue())
    assert [s["signal"] for s in signals] == ["illicit-sale price", "drug-shop language"]
    assert signals[1]["text"] == "Buy ketamine" and signals[1]["page_score"] == "0.9"


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(lead: str) -> None:
    payload = f'{lead}HYPERLINK("http://evil","x")'
    assert spreadsheet_safe(payload) == "'" + payload
    claim = Claim(0, len(payload), payload, ("efficacy",), verdict="overstated", severity="low")
    (row,) = _rows(to_csv([Report("https://x.example/", text=payload, title=payload, claims=(claim,))]))
    assert row["text"] == "'" + payload and row["title"] == "'" + payload


def test_csv_leaves_ordinary_values_alone() -> None:
    assert spreadsheet_safe("Ketamine = hope") == "Ketamine = hope"
    assert spreadsheet_safe(-3.5) == "-3.5" and spreadsheet_safe(12.0) == "12"
    assert spreadsheet_safe(True) == "yes" and spreadsheet_safe(None) == ""


# --- text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sequence",
    ["\x1b]0;pwned\x07", "\x1b[2J", "\x1b[1A\x1b[K", "\x9b31m", "\u202egnp.exe", "\x00", "\x7f"],
)
def test_text_output_shows_control_characters_as_escapes(sequence: str) -> None:
    text = f"Ketamine works{sequence} for everyone."
    claim = Claim(
        0, len(text), text, ("efficacy",), verdict="overstated", severity="high", explanation=sequence
    )
    rendered = render_text(Report(f"page{sequence}.txt", text=text, title=sequence, claims=(claim,)))
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", rendered)
    assert terminal_safe(sequence).startswith("\\")
    error = render_text(Report("x", error=f"server said {sequence}"))
    assert sequence not in error and terminal_safe(sequence) in error


def test_text_rendering_names_flagged_claims_and_errors() -> None:
    text = render_text(sample_report())
    assert "contradicted (number_beyond_evidence)" in text and "2 flagged" in text
    assert text.index("[high]") < text.index("[medium]")
    assert "illicit-sale signal: $1,500 per kg" in text
    assert "ERROR" in render_text(Report("bad", error="boom"))


# --- ClaimReview --------------------------------------------------------------------------------


def test_claimreview_has_the_required_properties() -> None:
    reviews = claim_reviews(sample_report(), "Health Desk", date(2026, 12, 1))
    assert len(reviews) == 2 and claim_reviews(FAILED, "Health Desk", date(2026, 12, 1)) == []
    review = reviews[1]
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == HOSTILE and review["datePublished"] == "2026-12-01"
    assert review["author"] == {"@type": "Organization", "name": "Health Desk"}
    appearance = review["itemReviewed"]["appearance"]
    assert review["itemReviewed"]["@type"] == "Claim"
    assert appearance["url"] == "https://clinic.example/ketamine"
    assert appearance["lastReviewed"] == "2026-11-30T10:00:00Z"
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating" and rating["alternateName"] == "overstated"
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert review["reviewBody"] == "Absolute <b>language</b>."
    assert review["citation"][0]["url"] == "https://doi.org/10.1002/14651858.CD011612.pub3"


def test_claimreview_writer_writes_one_json_ld_array_and_needs_a_reviewer() -> None:
    stream = io.StringIO()
    write_all(ClaimReviewWriter(stream, WriterOptions(reviewer="Desk")), [sample_report(), FAILED])
    data = json.loads(stream.getvalue())
    assert [r["reviewRating"]["alternateName"] for r in data] == ["contradicted", "overstated"]
    with pytest.raises(ValueError, match="reviewer"):
        ClaimReviewWriter(io.StringIO(), WriterOptions())


# --- the writer interface -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_writes_through_the_one_interface(fmt: str) -> None:
    stream = io.StringIO()
    write_all(FORMATS[fmt](stream, WriterOptions(reviewer="Desk")), [sample_report(), FAILED])
    assert stream.getvalue().strip()
    if fmt in ("json", "claimreview"):
        json.loads(stream.getvalue())
    assert set(REPORT_DIR_FILES) >= {"reports.jsonl", "findings.csv", "prices.csv", "spam.csv", "report.html"}


def test_jsonl_writes_each_report_as_it_arrives() -> None:
    stream = io.StringIO()
    writer = JsonLinesWriter(stream)
    writer.add(sample_report())
    assert json.loads(stream.getvalue())["source"] == "https://clinic.example/k"


def test_extraction_warnings_reach_the_json_and_read_back() -> None:
    report = replace(
        sample_report(), warnings=("the page nests HTML 300 levels deep; its whole text was kept",)
    )
    data = json.loads(to_jsonl_line(report))
    assert data["warnings"] == list(report.warnings)
    assert report_from_dict(data) == report
