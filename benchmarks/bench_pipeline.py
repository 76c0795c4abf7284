"""Speed and memory of the pipeline on corpora/, with baselines in the same run.

Prints, for the bundled corpus:
  1. one-time costs: loading the claim model, the evidence base and MiniLM, and
     embedding the evidence with a cold vs a warm disk cache;
  2. per-stage time per page (extract, segment, claims, verdicts, spam, prices);
  3. batch throughput: one shared Checker (check_many) against the baseline of a
     fresh Checker per input, which reloads every model each time;
  4. peak resident memory.

Usage: .venv/bin/python benchmarks/bench_pipeline.py [--pages N]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from claimcheck.acquire import Fetcher
from claimcheck.claims import ClaimModel, bundled_model, bundled_model_path, find_claims
from claimcheck.embedding import MiniLMEmbedder, default_embedder
from claimcheck.evidence import load_evidence
from claimcheck.extract import extract
from claimcheck.matching import EvidenceIndex
from claimcheck.pipeline import Checker
from claimcheck.prices import find_prices
from claimcheck.segment import segment
from claimcheck.settings import Settings
from claimcheck.spam import detect_spam
from claimcheck.verdicts import Judge

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent


def timed(action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def fresh_process_check(settings: Settings, source: str) -> None:
    """What one input costs when nothing is shared: every cached model is dropped first."""
    bundled_model.cache_clear()
    default_embedder.cache_clear()
    Checker(replace(settings, cache_dir=Path(tempfile.mkdtemp()))).check(source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages (0: all)")
    args = parser.parse_args()
    pages = sorted(p for p in (ROOT / "corpora").iterdir() if p.suffix in (".txt", ".html"))
    pages = pages[: args.pages] if args.pages else pages
    settings = replace(Settings(), evidence_dir=ROOT / "evidence", cache_dir=Path(tempfile.mkdtemp()))

    print(f"claimcheck benchmark: {len(pages)} pages, {sum(p.stat().st_size for p in pages) / 1024:.0f} KiB")
    print("\n1. one-time costs")
    embedder = MiniLMEmbedder()
    _, t = timed(lambda: embedder.encode(["warm-up"]))
    print(f"   MiniLM load (+ SHA-256 check)   {t * 1000:8.1f} ms")
    model, t = timed(lambda: ClaimModel.load(bundled_model_path(), embedder=embedder))
    print(f"   claim model load                {t * 1000:8.1f} ms")
    base, t = timed(lambda: load_evidence(settings.evidence_path))
    print(f"   evidence load + validate        {t * 1000:8.1f} ms  ({len(base.entries)} entries)")
    _, cold = timed(lambda: EvidenceIndex(embedder, settings.cache_dir).fit(base))
    index, warm = timed(lambda: EvidenceIndex(embedder, settings.cache_dir).fit(base))
    print(f"   index fit, cold cache           {cold * 1000:8.1f} ms")
    print(
        f"   index fit, warm cache           {warm * 1000:8.1f} ms  (baseline: cold, {cold / max(warm, 1e-9):.1f}x)"
    )
    judge = Judge(base, index)

    print("\n2. per-stage time per page (mean, embedding memo cleared first)")
    embedder.clear_memo()
    stages: dict[str, float] = defaultdict(float)
    with Fetcher(settings) as fetcher:
        for page in pages:
            document, t = timed(lambda p=page: extract(fetcher.acquire(str(p))))
            stages["acquire+extract"] += t
            units, t = timed(lambda d=document: segment(d))
            stages["segment"] += t
            claims, t = timed(lambda u=units: find_claims(u, model))
            stages["claims"] += t
            _, t = timed(lambda c=claims, d=document: judge.judge_all(c, d) if c else ())
            stages["verdicts"] += t
            _, t = timed(lambda d=document: detect_spam(d.text))
            stages["spam"] += t
            _, t = timed(lambda d=document: find_prices(d.text))
            stages["prices"] += t
    for name, total in stages.items():
        print(f"   {name:<30}  {total / len(pages) * 1000:8.1f} ms")

    print("\n3. batch throughput (embedding memo cleared first)")
    embedder.clear_memo()
    shared = Checker(settings, claim_model=model, judge=judge)
    _, batch = timed(lambda: list(shared.check_many(str(p) for p in pages)))
    sample = pages[: min(3, len(pages))]
    _, fresh = timed(lambda: [fresh_process_check(settings, str(p)) for p in sample])
    per_fresh = fresh / len(sample)
    per_batch = batch / len(pages)
    print(
        f"   check_many, shared models       {per_batch * 1000:8.1f} ms/page  ({len(pages) / batch:.1f} pages/s)"
    )
    print(
        f"   baseline: nothing shared/input  {per_fresh * 1000:8.1f} ms/page  ({per_fresh / per_batch:.1f}x slower)"
    )

    print("\n4. memory")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"   peak resident set size          {peak_kib / 1024:8.1f} MiB")


if __name__ == "__main__":
    main()
