"""Checking an audit's pages elsewhere: local processes (--workers) and Dask (--dask) store what one process stores."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit_site import clinic_pages, page_html, serve
from claimcheck.acquire.crawl import CrawlOptions
from claimcheck.audit import crawl_audit
from claimcheck.cli import main
from claimcheck.pipeline import STAGES, Checker
from claimcheck.records import Report
from claimcheck.reports.store import Store
from claimcheck.settings import Settings
from claimcheck.workers import CheckerSpec, dask_pool

ROOT = Path(__file__).resolve().parents[1]
QUICK = CrawlOptions(max_pages=50, max_depth=3, delay_s=0.0, concurrency=4)
SKIP_ALL = [arg for stage in STAGES for arg in ("--skip", stage)]


def small_site() -> dict[str, tuple[str, bytes]]:
    """Four clinic pages and the home page, with no two pages alike: which twin is checked would vary."""
    pages = clinic_pages(4)
    pages["/copy"] = (pages["/"][0], page_html("Prices", "One infusion costs $400; six cost $2,100.", []))
    return pages


def stored_reports(db: Path) -> dict[str, tuple[str, Report]]:
    """Each stored page's status and report, without the fetch time (the one thing two crawls differ in)."""
    with Store(db) as store:
        [run] = store.runs()
        return {o.url: (o.status, replace(o.report, fetched_at=None)) for o in store.outcomes(run.id)}


def audit_args(base: str, db: Path, *more: str) -> list[str]:
    return ["audit", base, "--db", str(db), "--delay", "0", "--allow-private", "-q", *more]


@pytest.mark.network
def test_workers_store_what_one_process_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMCHECK_CACHE", str(tmp_path / "cache"))
    evidence = ["--evidence", str(ROOT / "evidence")]
    runner = CliRunner()
    with serve(small_site()) as site:
        one = runner.invoke(main, audit_args(site.base, tmp_path / "one.db", *evidence))
        two = runner.invoke(main, audit_args(site.base, tmp_path / "two.db", *evidence, "--workers", "2"))
    assert one.exit_code == 0, one.output
    assert two.exit_code == 0, two.output
    alone, pooled = stored_reports(tmp_path / "one.db"), stored_reports(tmp_path / "two.db")
    assert sum(len(report.claims) for _, report in alone.values()) >= 4, "the site has claims to compare"
    assert any(claim.verdict for _, report in alone.values() for claim in report.claims)
    assert pooled == alone


@pytest.mark.network
def test_dask_cluster_stores_what_one_process_stores(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    settings = Settings(evidence_dir=ROOT / "evidence", cache_dir=tmp_path / "cache", allow_private=True)
    with serve(small_site()) as site:
        with Store(tmp_path / "one.db") as store:
            crawl_audit([site.base], store, Checker(settings), QUICK)
        cluster = distributed.LocalCluster(
            n_workers=2, processes=False, threads_per_worker=1, dashboard_address=None
        )
        with cluster, dask_pool(CheckerSpec(settings, frozenset()), cluster.scheduler_address) as pool:
            assert pool.slots == 4
            with Store(tmp_path / "dask.db") as store:
                crawl_audit([site.base], store, Checker(settings), QUICK, pool=pool)
    assert stored_reports(tmp_path / "dask.db") == stored_reports(tmp_path / "one.db")


def test_dask_without_the_extra_names_it_and_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now raises ImportError
    db = tmp_path / "audit.db"
    result = CliRunner().invoke(
        main, audit_args("https://clinic.example/", db, "--dask", "tcp://127.0.0.1:8786", *SKIP_ALL)
    )
    assert result.exit_code == 2, result.output
    assert "pip install 'claimcheck[dask]'" in result.stderr
    assert not db.exists(), "the store was opened before the cluster"


def test_workers_and_dask_together_are_a_usage_error(tmp_path: Path) -> None:
    args = audit_args(
        "https://clinic.example/", tmp_path / "a.db", "--workers", "2", "--dask", "tcp://s:8786"
    )
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "not both" in result.stderr


def test_a_checker_with_models_passed_in_stays_in_process(checker: Checker) -> None:
    with pytest.raises(ValueError, match="only check in this process"):
        CheckerSpec.of(checker)
    assert CheckerSpec.of(Checker(checker.settings)) == CheckerSpec(checker.settings, frozenset())


def test_check_with_workers_writes_what_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMCHECK_CACHE", str(tmp_path / "cache"))
    pages = sorted(str(p) for p in (ROOT / "corpora").glob("w0*.txt"))
    missing = str(tmp_path / "gone.txt")
    inputs = [*pages[:3], missing, *pages[3:]]
    command = ["check", "-q", "--format", "jsonl", "--evidence", str(ROOT / "evidence"), *inputs]
    runner = CliRunner()
    one = runner.invoke(main, command)
    two = runner.invoke(main, [*command, "--workers", "2"])
    assert one.exit_code == two.exit_code == 1, "the missing file fails alone; the rest are checked"

    def reports(output: str) -> list[dict[str, object]]:
        return [
            {k: v for k, v in json.loads(line).items() if k != "fetched_at"} for line in output.splitlines()
        ]

    alone, pooled = reports(one.stdout), reports(two.stdout)
    assert [r["source"] for r in pooled] == inputs
    assert sum(len(r["claims"]) for r in alone) >= 5  # type: ignore[arg-type]
    assert pooled == alone
