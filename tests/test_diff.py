"""Diffs between audits: matching by stable id, then by similar text; and an end-to-end diff of a changed site."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit_site import clinic_pages, page_html, serve
from claimcheck.acquire.crawl import CrawlOptions
from claimcheck.audit import crawl_audit
from claimcheck.cli import main
from claimcheck.pipeline import Checker
from claimcheck.reports.diff import StoredClaim, diff_page, diff_runs, run_claims, to_csv, to_jsonl, to_text
from claimcheck.reports.ids import claim_id
from claimcheck.reports.store import Store

URL = "https://c.example/a"


def claim(text: str, verdict: str = "supported", severity: str | None = None) -> StoredClaim:
    return StoredClaim("c.example", URL, claim_id(text, URL), text, verdict, severity)


def test_same_claims_make_no_changes() -> None:
    page = [claim("Relief within hours."), claim("Safe for everyone.", "overstated", "high")]
    assert diff_page(page, list(page)) == []


def test_verdict_or_severity_change_is_reported_by_id() -> None:
    before = [claim("Safe for everyone.", "overstated", "low")]
    after = [claim("Safe for everyone.", "overstated", "high")]
    (change,) = diff_page(before, after)
    assert (change.change, change.severity_before, change.severity_after) == ("changed", "low", "high")


def test_slight_rewording_is_matched_by_text_similarity() -> None:
    before = [
        claim("On average 75% of patients find relief through ketamine infusion therapy.", "overstated")
    ]
    after = [
        claim("On average, 75% of our patients find relief through ketamine infusion therapy.", "overstated")
    ]
    (change,) = diff_page(before, after)
    assert change.change == "reworded"
    assert change.text_before == before[0].text and change.text == after[0].text


def test_unrelated_claims_are_removed_and_added() -> None:
    before = [claim("Relief within hours."), claim("Relief within hours.")]
    after = [claim("Relief within hours."), claim("Covered by most insurance plans.", "contradicted", "high")]
    changes = diff_page(before, after)
    assert sorted(c.change for c in changes) == ["added", "removed"]
    added = next(c for c in changes if c.change == "added")
    assert (added.verdict_after, added.severity_after, added.verdict_before) == ("contradicted", "high", None)


def test_outputs_text_jsonl_csv() -> None:
    changes = diff_runs({URL: [claim("Old claim here.")]}, {URL: [claim("A wholly new statement.")]})
    assert "site c.example" in to_text(changes) and "1 added, 1 removed" in to_text(changes)
    assert [json.loads(line)["change"] for line in to_jsonl(changes).splitlines()] == ["removed", "added"]
    rows = list(csv.DictReader(io.StringIO(to_csv(changes))))
    assert [row["change"] for row in rows] == ["removed", "added"] and rows[0]["url"] == URL
    assert to_text([]) == "no differences\n"


@pytest.mark.network
@pytest.mark.slow
def test_diff_of_two_audits_of_a_changed_site(checker: Checker, tmp_path: Path) -> None:
    """Two real audits (claims and verdicts on) of a site whose pages changed in between."""
    db = tmp_path / "audit.db"
    options = CrawlOptions(max_pages=20, delay_s=0.0)
    pages = clinic_pages(3)
    with serve(pages) as site, Store(db) as store:
        crawl_audit([site.base], store, checker, options)
        first = run_claims(store, 1)
        changed = "Ketamine infusions relieve depression for most out of 10 patients within one hour."
        pages["/p/1"] = ("text/html", page_html("Treatment page 1", f"Page 1. {changed}", []))
        pages["/p/2"] = ("text/html", page_html("Treatment page 2", "Page 2. Opening hours are 9 to 5.", []))
        crawl_audit([site.base], store, checker, options, resume=False)
        changes = diff_runs(first, run_claims(store, 2))
    assert first, "the test pages yielded no claims"
    by_page: dict[str, set[str]] = {}
    for change in changes:
        by_page.setdefault(change.url.removeprefix(site.base), set()).add(change.change)
    assert set(by_page) <= {"/p/1", "/p/2", "/copy"}, f"unchanged pages reported: {by_page}"
    assert "removed" in by_page["/p/2"]
    assert by_page["/p/1"] & {"reworded", "changed", "added", "removed"}
    result = CliRunner().invoke(main, ["diff", "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == len(changes)
    same = CliRunner().invoke(main, ["diff", "1", "1", "--db", str(db)])
    assert same.stdout == "no differences\n"
    missing = CliRunner().invoke(main, ["diff", "1", "9", "--db", str(db)])
    assert missing.exit_code == 2 and "no run 9" in missing.stderr
