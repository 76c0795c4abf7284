"""Throughput and memory of claimcheck against two baselines, measured in one run on the same pages.

For each page set (the corpus in corpora/, and a generated batch of HTML pages whose every
sentence is unique, so no memo or cache can help) it runs, each configuration in a fresh
Python process so that its peak memory is its own:

  extract    trafilatura alone (HTML pages; text pages are just read)
  naive      extract, split into sentences (claimcheck's own segmentation, so the sentences
             are the same), and embed every sentence with the same MiniLM, one page at a
             time, the model loaded once as a real user would
  claimcheck Checker.check_many, models loaded once; its sentence vectors come from the
             static table distilled from that MiniLM, so no transformer runs
  claimcheck-pool  the same in ``--threads`` worker processes (``claimcheck check --workers N``),
             so that it uses the cores the naive pipeline's torch threads use; its peak RSS
             is one worker's (each worker holds its own models), its CPU time that of the
             parent and the workers during the measured run

and prints pages/s, wall and CPU seconds (CPU seconds count the work even on a busy
machine), each stage's share of claimcheck's time, and peak RSS. Then, through the
CLI (`claimcheck check --format jsonl`), the cold start on one page and the peak RSS
at several batch sizes, to show that memory stays flat. Model loading is excluded from
throughput and reported once. Torch's thread count is set (``--threads``) and printed.

Usage: .venv/bin/python benchmarks/bench_pipeline.py [--pages N] [--generated N] [--rss-sizes 100,300,1000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ("extract", "naive", "claimcheck", "claimcheck-pool")
NAIVE_BATCH = 32
"""sentence-transformers' default batch size, which a user who embeds each page would keep."""


# --- one configuration, in its own process ---------------------------------------------------


class StageClock:
    """Exclusive time per stage: time spent in a nested stage counts for that stage only."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.stack: list[tuple[str, float]] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        now = time.perf_counter()
        if self.stack:
            outer, since = self.stack[-1]
            self.seconds[outer] += now - since
        self.stack.append((name, now))
        try:
            yield
        finally:
            _, since = self.stack.pop()
            now = time.perf_counter()
            self.seconds[name] += now - since
            if self.stack:
                self.stack[-1] = (self.stack[-1][0], now)

    def wrap(self, owner: Any, attribute: str, name: str) -> None:
        original = getattr(owner, attribute)

        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.stage(name):
                return original(*args, **kwargs)

        setattr(owner, attribute, timed)


def run_extract(pages: list[Path]) -> dict[str, Any]:
    import trafilatura

    def extract_all() -> None:
        for page in pages:
            text = page.read_text(encoding="utf-8", errors="replace")
            if page.suffix == ".html":
                trafilatura.extract(text)

    return measure(pages, extract_all)


def run_naive(pages: list[Path]) -> dict[str, Any]:
    from claimcheck.acquire.fetch import Fetcher
    from claimcheck.evidence.embedding import minilm_embedder
    from claimcheck.settings import Settings
    from claimcheck.text.extract import extract
    from claimcheck.text.segment import segment

    model = minilm_embedder()._model  # the packaged MiniLM the static table is distilled from, loaded once
    model.encode(["warm-up"])

    def embed_all() -> None:
        with Fetcher(Settings()) as fetcher:
            for page in pages:
                sentences = [u.text for u in segment(extract(fetcher.acquire(str(page))))]
                model.encode(sentences, batch_size=NAIVE_BATCH, normalize_embeddings=True)

    return measure(pages, embed_all)


def run_claimcheck(pages: list[Path]) -> dict[str, Any]:
    from claimcheck import pipeline
    from claimcheck.evidence.embedding import StaticEmbedder
    from claimcheck.pipeline import Checker
    from claimcheck.settings import Settings
    from claimcheck.verdicts import judge

    checker = Checker(Settings(evidence_dir=ROOT / "evidence", cache_dir=Path(tempfile.mkdtemp())))
    checker.models.embedder.encode(["warm-up"])  # type: ignore[union-attr]
    _ = checker.evidence_judge, checker.meta
    clock = StageClock()
    for attribute, name in (
        ("extract", "acquire+extract"),
        ("annotate", "annotate"),
        ("find_claims", "claims"),
        ("detect_spam", "spam"),
        ("find_offers", "prices"),
    ):
        clock.wrap(pipeline, attribute, name)
    clock.wrap(pipeline.Fetcher, "acquire", "acquire+extract")
    clock.wrap(judge.Judge, "judge_all", "verdicts")
    clock.wrap(StaticEmbedder, "encode", "static embedding")
    result = measure(pages, lambda: sum(1 for _ in checker.check_many(str(p) for p in pages)))
    result["stages"] = dict(clock.seconds)
    return result


def run_claimcheck_pool(pages: list[Path], workers: int) -> dict[str, Any]:
    """``claimcheck check --workers N``'s path: pages in N local processes, models loaded once in each."""
    from claimcheck.pipeline import Checker
    from claimcheck.settings import Settings
    from claimcheck.workers import RUN_PAGES, source_pool

    checker = Checker(Settings(evidence_dir=ROOT / "evidence", cache_dir=Path(tempfile.mkdtemp())))
    with source_pool(checker, workers) as check:
        # runs of one page each, several per worker, so that every worker has loaded its models
        sum(1 for _ in check([str(pages[0])] * workers * RUN_PAGES * 2))
        before = children_cpu_s()
        result = measure(pages, lambda: sum(1 for _ in check(str(p) for p in pages)))
        result["cpu_s"] += children_cpu_s() - before
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result


def children_cpu_s() -> float:
    """CPU seconds used so far by this process's live children (Linux /proc; NaN elsewhere).

    The pool's workers stay alive, so ``getrusage(RUSAGE_CHILDREN)`` cannot see them yet;
    their CPU time during the measured run is read from /proc before and after it.
    """
    proc = Path("/proc")
    if not proc.is_dir():
        return float("nan")
    ticks, me = 0, str(os.getpid())
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we read
        if fields[1] == me:  # fields after the name: state, ppid, ..., utime (12th), stime (13th)
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(pages: list[Path], work: Callable[[], object]) -> dict[str, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"pages": len(pages), "wall_s": wall, "cpu_s": cpu, "peak_rss_mib": peak_rss_mib()}


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_main(config: str, list_file: Path, threads: int) -> None:
    import torch

    torch.set_num_threads(threads)
    pages = [Path(line) for line in list_file.read_text().splitlines()]
    runs = {
        "extract": run_extract,
        "naive": run_naive,
        "claimcheck": run_claimcheck,
        "claimcheck-pool": partial(run_claimcheck_pool, workers=threads),
    }
    result = runs[config](pages)
    result["torch_threads"] = torch.get_num_threads()
    print(json.dumps(result))


# --- the driver ----------------------------------------------------------------------------------


def in_fresh_process(config: str, pages: list[Path], threads: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(str(p) for p in pages))
    command = [sys.executable, __file__, "--child", config, "--list", handle.name, "--threads", str(threads)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=child_env(threads))
    if done.returncode:
        raise SystemExit(f"{config} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_env(threads: int) -> dict[str, str]:
    return {**os.environ, "OMP_NUM_THREADS": str(threads), "TOKENIZERS_PARALLELISM": "false"}


def cli_run(pages: list[Path], threads: int, cache_dir: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of `claimcheck check --format jsonl` on these pages."""
    command = [sys.executable, "-c", "from claimcheck.cli import main; main()", "check", "-q"]
    command += ["--format", "jsonl", "-o", os.devnull, *map(str, pages)]
    env = {
        **child_env(threads),
        "CLAIMCHECK_CACHE": str(cache_dir),
        "CLAIMCHECK_EVIDENCE": str(ROOT / "evidence"),
    }
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in (0, 1, 3):
            errors.seek(0)
            raise SystemExit(f"claimcheck check failed on {len(pages)} pages: {errors.read()[-2000:]!r}")
    return wall, usage.ru_maxrss / 1024


def report_set(title: str, pages: list[Path], threads: int) -> None:
    size = sum(p.stat().st_size for p in pages) / 1024
    print(f"\n{title}: {len(pages)} pages, {size:.0f} KiB")
    results = {config: in_fresh_process(config, pages, threads) for config in CONFIGS}
    print(f"   {'configuration':<16} {'pages/s':>9} {'wall s':>8} {'CPU s':>8} {'peak RSS':>10}")
    for config, r in results.items():
        rate = r["pages"] / r["wall_s"]
        print(
            f"   {config:<16} {rate:9.2f} {r['wall_s']:8.1f} {r['cpu_s']:8.1f} {r['peak_rss_mib']:7.0f} MiB"
        )
    naive, extract = results["naive"]["wall_s"], results["extract"]["wall_s"]
    for config in ("claimcheck", "claimcheck-pool"):
        ours, ours_cpu = results[config]["wall_s"], results[config]["cpu_s"]
        cpu = f", {results['naive']['cpu_s'] / ours_cpu:.2f}x (CPU)" if ours_cpu == ours_cpu else ""
        print(
            f"   {config} vs naive: {naive / ours:.2f}x faster (wall){cpu}; vs extraction alone: "
            f"{extract / ours:.4f} of its throughput (1/{ours / extract:.0f})"
        )
    stages = results["claimcheck"]["stages"]
    total = sum(stages.values())
    shares = ", ".join(f"{name} {s / total:.0%}" for name, s in sorted(stages.items(), key=lambda kv: -kv[1]))
    print(f"   claimcheck time by stage: {shares}")
    print(f"   torch threads: {results['claimcheck']['torch_threads']}")


def generated_pages(count: int, folder: Path, seed: int = 7) -> list[Path]:
    """HTML clinic pages of corpus-like length whose sentences never repeat (numbers, names, order vary)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    pages = []
    for n in range(count):
        path = folder / f"generated-{n:05d}.html"
        path.write_text(_generated_html(n, rng), encoding="utf-8")
        pages.append(path)
    return pages


TREATMENTS = ("ketamine infusions", "esketamine nasal spray", "TMS sessions", "IV ketamine therapy")
CONDITIONS = ("depression", "PTSD", "anxiety", "chronic pain", "OCD", "treatment-resistant depression")
TOWNS = ("Ashford", "Brookvale", "Cedar Falls", "Dunmore", "Elm Ridge", "Fairhaven", "Glenwood", "Harlow")
TEMPLATES = (
    "At {clinic} in {town}, {pct}% of the {n} patients we treated in {year} said their {condition} eased.",
    "The {treatment} at {clinic} help most people with {condition} within {k} hours of the first visit.",
    "{clinic} has offered {treatment} in {town} since {year}, with {n} sessions given so far.",
    "Relief from {condition} can last {k} months after a series of {j} {treatment} at {clinic}.",
    "A doctor at {clinic} reviews every new patient's history before the first of {j} appointments.",
    "Many of the {n} clients of {clinic} with {condition} had tried {j} medications before.",
    "The {treatment} at {clinic} are FDA approved for {condition} and safe for nearly everyone.",
    "Free parking is available at {clinic} on {town} Road, and the waiting room opens at {k}:30.",
    "Side effects such as nausea or dizziness fade within {k} hours for {pct}% of people at {clinic}.",
    "{clinic} accepts {j} insurance plans and offers payment plans from ${price} a month.",
    "Book a consultation with the {clinic} nurses; {n2} new patients joined us in {year}.",
    "Studies show {treatment} at {clinic} work up to {j} times faster than pills for {condition}.",
    "The {j} clinicians of {clinic} have {n2} years of combined experience with {condition}.",
    "Your first {treatment} appointment at {clinic} takes about {k}0 minutes, including monitoring.",
)


def _generated_html(n: int, rng: random.Random) -> str:
    clinic = (
        f"{rng.choice(('Calm', 'Bright', 'New', 'Clear'))} {rng.choice(('Mind', 'Path', 'Day'))} Clinic {n}"
    )
    paragraphs = []
    for section in range(rng.randint(5, 8)):
        sentences = [
            rng.choice(TEMPLATES).format(
                clinic=clinic,
                town=rng.choice(TOWNS),
                pct=rng.randint(40, 99),
                n=rng.randint(20, 5000),
                n2=rng.randint(2, 900),
                year=rng.randint(2012, 2025),
                condition=rng.choice(CONDITIONS),
                treatment=rng.choice(TREATMENTS),
                k=rng.randint(2, 9),
                j=rng.randint(2, 12),
                price=rng.randint(49, 990),
            )
            for _ in range(rng.randint(4, 9))
        ]
        body = " ".join(sentences[:-2])
        items = "".join(f"<li>{s}</li>" for s in sentences[-2:])
        paragraphs.append(f"<h2>{clinic}: part {section + 1}</h2><p>{body}</p><ul>{items}</ul>")
    prices = "".join(
        f"<tr><td>{t}</td><td>${rng.randint(300, 900)}</td></tr>" for t in rng.sample(TREATMENTS, 2)
    )
    return (
        f"<html><head><title>{clinic}</title></head><body><nav>Home | About</nav><main>"
        f"<h1>{clinic} in {rng.choice(TOWNS)}</h1>{''.join(paragraphs)}"
        f"<table><tr><th>Treatment</th><th>Price</th></tr>{prices}</table></main>"
        f"<footer>© {clinic}</footer></body></html>"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=0, help="only the first N corpus pages (0: all)")
    parser.add_argument("--generated", type=int, default=1000, help="size of the generated batch (0: none)")
    parser.add_argument("--rss-sizes", default="100,300,1000", help="CLI batch sizes for the memory check")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="torch threads")
    parser.add_argument("--child", choices=CONFIGS, help=argparse.SUPPRESS)
    parser.add_argument("--list", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child, args.list, args.threads)
        return

    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    print(f"claimcheck benchmark: {os.cpu_count()} CPUs, torch threads set to {args.threads}")
    corpus = sorted(p for p in (ROOT / "corpora").iterdir() if p.suffix in (".txt", ".html"))
    report_set("corpora/", corpus[: args.pages] if args.pages else corpus, args.threads)
    work = Path(tempfile.mkdtemp(prefix="claimcheck-bench-"))
    sizes = [int(s) for s in args.rss_sizes.split(",") if s]
    generated = generated_pages(max([1, args.generated, *sizes]), work / "pages")  # the cold start reads one
    if args.generated:
        report_set("generated batch", generated[: args.generated], args.threads)

    print("\nCLI (`claimcheck check --format jsonl`, a fresh process each)")
    cache = work / "cache"
    wall, rss = cli_run(generated[:1], args.threads, cache)
    print(f"   first run, one page (embeds the evidence) {wall:7.1f} s   peak RSS {rss:5.0f} MiB")
    wall, rss = cli_run(generated[:1], args.threads, cache)
    print(f"   cold start, one page            {wall:7.1f} s   peak RSS {rss:5.0f} MiB")
    for size in sizes:
        wall, rss = cli_run(generated[:size], args.threads, cache)
        print(f"   {size:>5} pages                     {wall:7.1f} s   peak RSS {rss:5.0f} MiB")


if __name__ == "__main__":
    main()
