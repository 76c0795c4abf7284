"""Throughput changes keep behaviour: batched embedding, id-based ranking, streamed reports."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from claimcheck import cli
from claimcheck.claims.detect import ClaimModel, bundled_model_path, claim_at
from claimcheck.evidence.base import load_evidence
from claimcheck.evidence.embedding import MiniLMEmbedder, default_embedder
from claimcheck.pipeline import Checker
from claimcheck.records import Claim, Report, Targets
from claimcheck.reports import WriterOptions, report_to_dict
from claimcheck.settings import Settings
from claimcheck.verdicts.judge import Judge
from claimcheck.verdicts.matching import Candidate, EvidenceIndex
from claimcheck.verdicts.rules.context import ClaimContext

ROOT = Path(__file__).parent.parent
PAGES = {
    "a.txt": "Ketamine infusions relieve depression in 90% of patients within hours.\n\n"
    "Our clinic offers free parking.\n\nEsketamine nasal spray is FDA approved for depression.\n",
    "b.txt": "Spravato works for everyone and the results last forever.\n\n"
    "Call us today to book a consultation.\n",
    "c.txt": "TMS therapy is covered by most insurance plans.\n\n"
    "Side effect | How long it lasts\nHeadache | A day\n",
    "d.txt": "Ketamine is completely safe with no side effects at all.\n",
    "e.txt": "Most patients feel better after one infusion; these results last for months.\n",
}


class CountingEmbedder(MiniLMEmbedder):
    """MiniLM's memo and warming (what a transformer embedder needs) over the static table's
    vectors, so the bundled claim model accepts it; records every batch it is asked to encode."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[list[str]] = []

    @property
    def fingerprint(self) -> str:
        return default_embedder().fingerprint

    def _encode_new(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return default_embedder().encode(texts)


@pytest.fixture
def pages(tmp_path: Path) -> list[str]:
    for name, text in PAGES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [str(tmp_path / name) for name in PAGES]


def counting_checker(batch_pages: int) -> tuple[Checker, CountingEmbedder]:
    embedder = CountingEmbedder()
    base = load_evidence(ROOT / "evidence")
    judge = Judge(base, EvidenceIndex(embedder).fit(base))
    model = ClaimModel.load(bundled_model_path(), embedder=embedder)
    checker = Checker(Settings(evidence_dir=ROOT / "evidence"), model, judge, batch_pages=batch_pages)
    embedder.calls.clear()
    return checker, embedder


def comparable(report: Report) -> dict[str, object]:
    data = report_to_dict(report)
    data.pop("fetched_at")
    return data


def test_check_many_embeds_each_group_in_one_call_and_equals_check(pages: list[str]) -> None:
    checker, embedder = counting_checker(batch_pages=3)
    batched = list(checker.check_many(pages))
    unit_calls = [call for call in embedder.calls if PAGES["a.txt"].split("\n")[0] in call]
    assert len(unit_calls) == 1 and any(PAGES["c.txt"].split("\n")[0] in t for t in unit_calls[0])
    assert len(embedder.calls) <= 4, "at most one call for units and one for queries per group of pages"

    one_by_one, per_page = counting_checker(batch_pages=3)
    singles = [one_by_one.check(page) for page in pages]
    assert len(per_page.calls) >= len(pages)
    assert [comparable(r) for r in batched] == [comparable(r) for r in singles]
    assert any(report.claims for report in batched)


def test_a_failing_input_in_a_group_is_reported_and_the_rest_are_checked(
    pages: list[str], tmp_path: Path
) -> None:
    checker, _ = counting_checker(batch_pages=4)
    reports = list(checker.check_many([pages[0], str(tmp_path / "missing.txt"), pages[1]]))
    assert [r.source for r in reports] == [pages[0], str(tmp_path / "missing.txt"), pages[1]]
    assert reports[1].error and "InputError" in reports[1].error
    assert reports[0].error is None and reports[2].error is None


def test_batched_results_equal_one_page_at_a_time(pages: list[str], checker: Checker) -> None:
    """Whatever the grouping, the real embedder gives each page the same claims and verdicts."""
    batched = list(checker.check_many(pages))
    singles = [checker.check(page) for page in pages]
    for many, one in zip(batched, singles, strict=True):
        assert [(c.start, c.end, c.verdict, c.reasons, c.kinds) for c in many.claims] == [
            (c.start, c.end, c.verdict, c.reasons, c.kinds) for c in one.claims
        ]
        np.testing.assert_allclose([c.score for c in many.claims], [c.score for c in one.claims], atol=2e-4)


def test_ranked_entries_put_candidates_first_once_each() -> None:
    base = load_evidence(ROOT / "evidence")
    related = tuple(base.entries[:6])
    candidates = (Candidate(related[3], 0.9, 0.9, 0.9), Candidate(related[1], 0.8, 0.8, 0.8))
    domain = base.domains[related[0].domain]
    claim: Claim = claim_at("Ketamine helps.", 0, ["efficacy"])
    context = ClaimContext(claim, (), Targets(related[0].domain), domain, candidates, related)
    ranked = context.ranked
    assert ranked[:2] == (related[3], related[1])
    assert [e.entry.id for e in ranked[2:]] == [e.entry.id for e in related if e not in ranked[:2]]
    assert len({e.entry.id for e in ranked}) == len(ranked) == len(related)


def sample_reports() -> list[Report]:
    base = Report(source="page-<1>", text="Cures <b>everything</b>.", title="T & co")
    claim = claim_at("Cures <b>everything</b>.", 0, ["efficacy"])
    flagged = replace(claim, verdict="overstated", reasons=("absolute_language",), severity="high")
    return [replace(base, claims=(flagged,)), Report(source="gone", error="FetchError: 404"), base]


@pytest.mark.parametrize("fmt", ["text", "jsonl", "csv"])
def test_cli_writes_each_report_before_the_next_is_checked(fmt: str, tmp_path: Path) -> None:
    output, folder = tmp_path / f"out.{fmt}", tmp_path / "reports"
    reports = sample_reports()

    def produced() -> Iterator[Report]:
        for i, report in enumerate(reports):
            if i:
                assert output.read_text(encoding="utf-8"), "nothing written before the next report"
                assert reports[i - 1].source in (folder / "reports.jsonl").read_text(encoding="utf-8")
            yield report

    tally = cli._write(produced(), fmt, output, folder, WriterOptions())
    assert tally.exit_code(fail_on_findings=True) == cli.EXIT_INPUT_FAILED
    lines = (folder / "reports.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["source"] for line in lines] == [r.source for r in reports]
    assert "page-&lt;1&gt;" in (folder / "report.html").read_text(encoding="utf-8")


def test_tally_exit_codes_without_keeping_reports() -> None:
    ok, flagged, failed = sample_reports()[2], sample_reports()[0], sample_reports()[1]
    assert tally_of([ok]).exit_code(fail_on_findings=True) == cli.EXIT_OK
    assert tally_of([ok, flagged]).exit_code(fail_on_findings=True) == cli.EXIT_FINDINGS
    assert tally_of([ok, flagged]).exit_code(fail_on_findings=False) == cli.EXIT_OK
    assert tally_of([flagged, failed]).exit_code(fail_on_findings=True) == cli.EXIT_INPUT_FAILED


def tally_of(reports: Sequence[Report]) -> cli._Tally:
    tally = cli._Tally()
    for report in reports:
        tally.add(report)
    return tally
