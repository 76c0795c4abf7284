"""Audit throughput on a generated local site, politeness off.

Prints, for a site of N pages served on 127.0.0.1 (the test site of tests/audit_site.py):
  1. crawl + extract + store with every check stage skipped (what fetching costs);
  2. crawl + every stage (claims, verdicts, spam, prices) on the first M pages;
  3. the store's size per 1,000 pages for each.

Usage: .venv/bin/python benchmarks/bench_audit.py [--pages 1000] [--check-pages 100]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from claimcheck.acquire.crawl import CrawlOptions
from claimcheck.audit import crawl_audit
from claimcheck.pipeline import STAGES, Checker
from claimcheck.records import Document
from claimcheck.reports.store import Store
from claimcheck.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from audit_site import clinic_pages, serve


def measure(label: str, pages: int, checker: Checker, folder: Path) -> None:
    db = folder / f"{label}.db"
    options = CrawlOptions(max_pages=pages + 10, max_depth=pages, delay_s=0.0, per_host=8, concurrency=8)
    with serve(clinic_pages(pages)) as site, Store(db) as store:
        started = time.perf_counter()
        summary = crawl_audit([site.base], store, checker, options, resume=False)
        elapsed = time.perf_counter() - started
    size = sum(path.stat().st_size for path in folder.glob(f"{label}.db*"))
    per_thousand = size / summary.pages_in_run * 1000 / 1e6
    print(
        f"{label:<28} {summary.pages_in_run:>5} pages in {elapsed:6.1f} s: "
        f"{summary.pages_in_run / elapsed:6.1f} pages/s; store {per_thousand:.1f} MB per 1,000 pages"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--check-pages", type=int, default=100)
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    settings = Settings(evidence_dir=root / "evidence", allow_private=True)  # the test site is on 127.0.0.1
    with tempfile.TemporaryDirectory() as folder:
        measure("fetch+extract+store", args.pages, Checker(settings, skip=frozenset(STAGES)), Path(folder))
        checker = Checker(settings)  # models load on first use: warm them outside the timing
        checker.check_document(Document("warm-up", "Ketamine relieves depression in 70% of patients."))
        measure("fetch+check (all stages)", args.check_pages, checker, Path(folder))


if __name__ == "__main__":
    main()
