"""Serialisation and rendering: the JSON contract, the table, and escaping of untrusted text."""

from __future__ import annotations

import csv
import io
import json

from claimcheck.records import Citation, Claim, EvidenceRef, Meta, Price, Report, SpamResult, SpamSignal
from claimcheck.report import render_html, render_text, report_to_dict, to_csv, to_jsonl_line

HOSTILE = '<script>alert("x")</script> Ketamine cures 100% & more'


def sample_report() -> Report:
    text = HOSTILE + "\nOnly $25!"
    claim = Claim(
        0,
        len(HOSTILE),
        HOSTILE,
        ("efficacy",),
        verdict="overstated",
        reasons=("absolute_language",),
        severity="medium",
        explanation="Absolute <b>language</b>.",
        evidence=(EvidenceRef("e-1", "A statement.", 0.8, (Citation("Cite 2020", doi="10.1/x"),)),),
    )
    price = Price(len(HOSTILE) + 6, len(text) - 1, "$25", "USD", amount=25.0, item="<i>pill</i>")
    spam = SpamResult("spam", 0.9, (SpamSignal("template_residue", 0, 8, "<tag>"),))
    return Report(
        "x.html", text=text, title="<title>", claims=(claim,), spam=spam, prices=(price,), meta=Meta("0.1.0")
    )


def test_jsonl_line_is_one_line_of_the_contract() -> None:
    line = to_jsonl_line(sample_report())
    assert "\n" not in line
    data = json.loads(line)
    assert data["claims"][0]["reasons"] == ["absolute_language"]
    assert data["claims"][0]["evidence"][0]["citations"][0]["doi"] == "10.1/x"
    assert data["prices"][0]["amount"] == 25.0
    assert data["spam"]["label"] == "spam"
    assert report_to_dict(sample_report())["meta"]["tool_version"] == "0.1.0"


def test_html_escapes_every_piece_of_page_text() -> None:
    page = render_html([sample_report(), Report("bad", error="<img src=x onerror=alert(1)>")])
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<i>pill</i>" not in page and "<title>" not in page.split("</title>", 1)[1]
    assert "<img src=x" not in page
    assert "Content-Security-Policy" in page


def test_csv_has_one_row_per_finding_and_error_rows() -> None:
    rows = list(
        csv.DictReader(io.StringIO(to_csv([sample_report(), Report("gone", error="FetchError: 404")])))
    )
    assert [r["finding"] for r in rows] == ["claim", "price", "spam:template_residue", "error"]
    assert rows[0]["evidence"] == "e-1" and rows[1]["item"] == "<i>pill</i>"


def test_text_rendering_names_flagged_claims_and_errors() -> None:
    text = render_text(sample_report())
    assert "overstated (absolute_language)" in text and "1 flagged" in text
    assert "ERROR" in render_text(Report("bad", error="boom"))
