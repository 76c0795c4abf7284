"""End to end: real acquire, extract, spaCy, classifiers, the static embedding and the project's evidence."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import claimcheck
from claimcheck.evaluation.gold import page_set_items
from claimcheck.evidence.embedding import STATIC_NAME, file_sha256, static_model_path
from claimcheck.evidence.vocabulary import name_targets
from claimcheck.pipeline import Checker
from claimcheck.records import CAUSAL_STRENGTHS, FLAGGED_VERDICTS
from claimcheck.reports import report_to_dict

CORPORA = Path(__file__).parent.parent / "corpora"
SEEDS = sorted(CORPORA.glob("0*.txt"))
CLAIM_KEYS = {
    "start",
    "end",
    "text",
    "kinds",
    "quantities",
    "hedged",
    "strength",
    "score",
    "verdict",
    "reasons",
    "severity",
    "evidence",
    "explanation",
    "candidates",
    "flag_score",
    "flag_reasons",
    "id",
    "cues",
}
REPORT_KEYS = {
    "source",
    "title",
    "text",
    "text_sha256",
    "raw_sha256",
    "fetched_at",
    "final_url",
    "error",
    "warnings",
    "claims",
    "spam",
    "prices",
    "offers",
    "meta",
}


def assert_contract(report: claimcheck.Report) -> dict[str, object]:
    data = report_to_dict(report)
    assert set(data) == REPORT_KEYS
    assert data["error"] is None, data["error"]
    text = report.text
    assert all(text[offer.start : offer.end] == offer.text for offer in report.offers)
    for claim in report.claims:
        assert text[claim.start : claim.end] == claim.text
        assert set(report_to_dict(report)["claims"][0]) == CLAIM_KEYS
        assert claim.kinds and claim.verdict in (
            "supported",
            "overstated",
            "contradicted",
            "unsupported",
            "unverified",
        )
        assert claim.strength in CAUSAL_STRENGTHS
        for q in claim.quantities:
            assert text[q.start : q.end] == q.text
        if claim.verdict != "unverified":
            assert claim.evidence, f"{claim.verdict} without evidence: {claim.text}"
            assert all(ref.citations for ref in claim.evidence)
    for price in report.prices:
        assert text[price.start : price.end] == price.text
    for signal in report.spam.signals:
        assert 0 <= signal.start < signal.end <= len(text)
    meta = report.meta
    assert meta is not None and meta.tool_version == claimcheck.__version__
    assert meta.evidence_hash and len(meta.evidence_hash) == 64
    assert meta.models["embedding"] == f"{STATIC_NAME} sha256:{file_sha256(static_model_path())[:16]}"
    return data


@pytest.mark.parametrize("page", SEEDS, ids=lambda p: p.name)
def test_each_seed_page_satisfies_the_contract(checker: Checker, page: Path) -> None:
    report = checker.check(str(page))
    assert_contract(report)
    assert report.text == page.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert len(report.claims) >= 5


def test_a_page_served_over_http(checker: Checker, local_site: str) -> None:
    report = checker.check(f"{local_site}/clinic.html")
    assert_contract(report)
    assert report.fetched_at and report.fetched_at.endswith("Z")
    assert report.title and "Ketamine" in report.title
    texts = [c.text for c in report.claims]
    assert any("90% success rate" in t for t in texts)
    assert any(p.text == "$2,400" for p in report.prices)


def test_bad_inputs_are_recorded_and_the_batch_goes_on(
    checker: Checker, local_site: str, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    big = tmp_path / "big.html"
    big.write_bytes(b"<html><body>" + b"<p>ketamine works</p>" * 1_000_000 + b"</body></html>")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Ketamine works for 75% of patients. Crème brûlée.".encode("latin-1"))
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><p>Ketamine cures depression in 90% of patients<div><b>Call now</p></td>")
    inputs = [
        str(SEEDS[2]),
        f"{local_site}/missing-page.html",
        f"{local_site}/private/page.html",
        "http://127.0.0.1:9/unreachable",
        f"{local_site}/image.png",
        str(empty),
        str(binary),
        str(big),
        str(latin),
        str(broken),
        str(SEEDS[4]),
    ]
    reports = list(checker.check_many(inputs))
    assert [r.source for r in reports] == inputs
    errors = [r.error for r in reports]
    assert errors[0] is None and errors[-1] is None
    assert "404" in errors[1]
    assert "robots.txt" in errors[2]
    assert "FetchError" in errors[3] and "could not connect to http://127.0.0.1:9/unreachable" in errors[3]
    assert "UnsupportedContent" in errors[4]
    assert "empty" in errors[5]
    assert "UnsupportedContent" in errors[6]
    assert "InputTooLarge" in errors[7] and "MB" in errors[7]
    assert errors[8] is None and "Crème brûlée" in reports[8].text
    assert errors[9] is None and "cures depression" in reports[9].text
    assert all(r.meta is not None for r in reports)


def test_same_input_same_report(checker: Checker) -> None:
    first = report_to_dict(checker.check(str(SEEDS[1])))
    second = report_to_dict(checker.check(str(SEEDS[1])))
    assert first.pop("fetched_at") is not None
    second.pop("fetched_at")
    assert first == second


def test_the_objects_loaded_by_the_warm_up_are_frozen_out_of_full_collections(checker: Checker) -> None:
    checker.check(str(SEEDS[0]))
    assert gc.get_freeze_count() > 0


def test_skipping_stages(checker: Checker) -> None:
    quick = Checker(
        checker.settings,
        claim_model=checker.models,
        judge=checker.evidence_judge,
        skip=frozenset({"verdicts", "spam"}),
    )
    report = quick.check(str(SEEDS[2]))
    assert report.claims and all(c.verdict == "unverified" for c in report.claims)
    assert report.spam.signals == ()
    with pytest.raises(ValueError, match="unknown stage"):
        Checker(skip=frozenset({"nonsense"}))


def test_the_runtime_never_imports_training_or_evaluation_code() -> None:
    """The pipeline and the CLI (check, audit) load no claimcheck.train or claimcheck.evaluation module."""
    src = Path(claimcheck.__file__).resolve().parents[1]
    code = (
        "import json, sys; import claimcheck.pipeline, claimcheck.cli, claimcheck.audit; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('claimcheck.'))))"
    )
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    loaded = json.loads(done.stdout)
    assert "claimcheck.pipeline" in loaded
    assert [m for m in loaded if m.startswith(("claimcheck.train", "claimcheck.evaluation"))] == []


def test_checking_a_page_runs_no_transformer(tmp_path: Path) -> None:
    """The static table stands in for MiniLM at run time: no transformer library loads.

    (torch itself is imported by spaCy's thinc whenever it is installed, and stays unused.)
    """
    page = tmp_path / "page.txt"
    page.write_text(
        "Ketamine infusions relieve depression in 70% of patients within hours.\n", encoding="utf-8"
    )
    src = Path(claimcheck.__file__).resolve().parents[1]
    code = (
        "import json, sys; from claimcheck.pipeline import Checker; from claimcheck.settings import Settings; "
        f"from pathlib import Path; r = Checker(Settings(cache_dir=Path({str(tmp_path)!r}))).check({str(page)!r}); "
        "print(json.dumps([r.error, len(r.claims), [m for m in ('sentence_transformers', 'transformers') "
        "if m in sys.modules]]))"
    )
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    root = Path(__file__).parent.parent
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=root
    )
    error, claims, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert error is None and claims == 1
    assert loaded == []


# --- real pages of other treatments ------------------------------------------------------------------

REAL_DEV = Path(__file__).parent.parent.parent / "shared" / "datasets" / "clinic_pages_dev"


@pytest.mark.shared_data
def test_flags_on_real_other_treatment_pages_cite_their_own_domain(checker: Checker) -> None:
    """Issue 16: a flag about stem cells, NAD+ or ozone cites that domain or a standard, never ketamine's evidence."""
    if not REAL_DEV.is_dir():
        pytest.skip(f"{REAL_DEV} is absent: it lives in ../shared beside the checkout (present in CI)")
    base = checker.evidence_judge.base
    pages = [doc for _, doc, gold in page_set_items(REAL_DEV) if gold.genre == "other_treatment_clinic"]
    assert len(pages) >= 5
    cited = 0
    for report in map(checker.check_document, pages):
        for claim in report.claims:
            if claim.verdict not in FLAGGED_VERDICTS or not claim.evidence:
                continue
            domains = {base.by_id[ref.id].domain for ref in claim.evidence} - {"standards"}
            named = {t.domain for t in name_targets(claim.text, base)}
            assert len(domains) <= 1 and (domains <= named or "ketamine" not in domains), claim.text
            cited += 1
    assert cited >= 10
