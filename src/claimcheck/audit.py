"""Audits: crawl sites (or read a WARC), check every page, and keep everything in the store.

    seeds -> discover (robots.txt, sitemaps) -> frontier in the store
          -> fetch threads (HostGate politeness) -> check (a CheckPool) -> store, one transaction per page

Fetching is I/O and runs in a pool of threads, each with its own ``Fetcher``; checking
is CPU and runs in a ``workers.CheckPool``: the calling thread by default, else local
processes or a Dask cluster. The calling thread alone writes the store. Duplicates are
found as pages arrive, so a page whose bytes were seen is never sent to be checked.
The frontier lives in the store, so the same command on the same file resumes:
URLs already done are not fetched again, URLs found but not done are, and nothing is
lost, since a page and the links it adds are committed together.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from .acquire.crawl import (
    CrawlOptions,
    HostGate,
    crawl_fetchers,
    discover,
    follow_links,
    normalise_url,
    page_links,
    site_key,
)
from .acquire.fetch import Fetcher
from .acquire.warc import WarcArchive, read_pages
from .errors import ClaimcheckError, RobotsDisallowed, UnsupportedContent
from .pipeline import Checker
from .records import FrontierItem, Page, Report
from .reports.store import PageOutcome, PageStatus, Store
from .workers import CheckPool, in_process

Fetched = Page | ClaimcheckError
Listener = Callable[[PageOutcome, int], None]
"""Told of each stored page and how many URLs the run knows so far (for progress bars)."""


@dataclass
class AuditSummary:
    """What one invocation did (a resumed run counts only what this invocation added)."""

    run_id: int
    resumed: bool
    checked: int = 0
    duplicates: int = 0
    skipped: int = 0
    errors: int = 0
    elapsed_s: float = 0.0
    pages_in_run: int = 0

    @property
    def pages(self) -> int:
        return self.checked + self.duplicates + self.skipped + self.errors

    def line(self) -> str:
        rate = self.pages / self.elapsed_s if self.elapsed_s > 0 else 0.0
        verb = "resumed" if self.resumed else "ran"
        return (
            f"{verb} run {self.run_id}: {self.pages} pages in {self.elapsed_s:.1f} s ({rate:.1f} pages/s): "
            f"{self.checked} checked, {self.duplicates} duplicates, {self.skipped} skipped, {self.errors} errors; "
            f"{self.pages_in_run} pages stored in the run"
        )


def in_shard(seed: str, shard: tuple[int, int] | None) -> bool:
    """Whether a seed's site belongs to shard ``(i, n)`` (1-based): a stable hash of the site, so lists may be reordered."""
    if shard is None:
        return True
    index, count = shard
    site = site_key(normalise_url(seed) or seed)
    return int(hashlib.sha256(site.encode("utf-8")).hexdigest()[:8], 16) % count == index - 1


def crawl_audit(
    seeds: Sequence[str],
    store: Store,
    checker: Checker,
    options: CrawlOptions,
    *,
    warc: WarcArchive | None = None,
    listener: Listener | None = None,
    resume: bool = True,
    shard: tuple[int, int] | None = None,
    pool: CheckPool | None = None,
) -> AuditSummary:
    """Crawl and check every site of ``seeds`` into ``store``; resumes the unfinished run of the same audit.

    Pages are checked in ``pool`` (``workers.check_pool``), by default in this thread.
    """
    identity = {
        "seeds": sorted(seeds),
        "max_pages": options.max_pages,
        "max_depth": options.max_depth,
        "sitemaps": options.sitemaps,
        "shard": list(shard) if shard else None,
        **_checker_identity(checker),
    }
    config = {**identity, "crawl": asdict(options), "warc": str(warc.path) if warc else None}
    run_id, resumed = store.open_run(config, identity, checker.meta, resume=resume)
    started = time.monotonic()
    gate = HostGate(options.per_host, options.delay_s)
    page_fetcher, xml_fetcher = crawl_fetchers(checker.settings)
    with page_fetcher, xml_fetcher:
        for seed in seeds:
            _seed_site(store, run_id, seed, page_fetcher, xml_fetcher, options)
    for site, delay in store.crawl_delays(run_id).items():
        gate.set_crawl_delay(site, delay)
    summary = AuditSummary(run_id, resumed)
    recorder = _Recorder(
        store,
        checker,
        summary,
        pool or in_process(checker),
        warc=warc,
        listener=listener,
        max_depth=options.max_depth,
        max_pages=options.max_pages,
    )
    _crawl(recorder, gate, options)
    return recorder.finish(started)


def warc_audit(
    path: Path,
    store: Store,
    checker: Checker,
    *,
    listener: Listener | None = None,
    resume: bool = True,
    pool: CheckPool | None = None,
) -> AuditSummary:
    """Check every page archived in a WARC into ``store``, exactly as captured; resumable like a crawl."""
    identity = {"from_warc": str(path.resolve()), **_checker_identity(checker)}
    run_id, resumed = store.open_run(identity, identity, checker.meta, resume=resume)
    started = time.monotonic()
    pool = pool or in_process(checker)
    recorder = _Recorder(store, checker, AuditSummary(run_id, resumed), pool, listener=listener)
    for page in read_pages(path, checker.settings):
        url = normalise_url(page.url or page.source) or page.source
        if url not in recorder.known:
            recorder.known.add(url)
            recorder.take(FrontierItem(url, site_key(url), 0), replace(page, source=url))
            recorder.settle(pool.slots - 1)
    recorder.settle(0)
    return recorder.finish(started)


def _checker_identity(checker: Checker) -> dict[str, Any]:
    return {"skip": sorted(checker.skip), "settings": checker.settings.as_report_dict()}


def _seed_site(
    store: Store, run_id: int, seed: str, fetcher: Fetcher, xml_fetcher: Fetcher, options: CrawlOptions
) -> None:
    """Discover a site's first URLs once per run; a resumed run finds it seeded and goes on."""
    url = normalise_url(seed)
    if url is not None and store.site_seeded(run_id, site_key(url)):
        return
    start = discover(seed, fetcher, xml_fetcher, options)
    store.seed_site(
        run_id,
        start.site,
        start.seed_url,
        start.items,
        crawl_delay=start.crawl_delay,
        sitemaps=start.sitemaps,
        errors=start.errors,
    )


class _Recorder:
    """Turns each fetched page (or fetch failure) into a stored outcome, plus the links it adds.

    A failure or a duplicate is stored as it arrives (``take``); any other page goes to
    the pool, and is stored when its report is back (``collect``). ``checking`` holds
    the checks in flight. Links are followed up to ``max_depth`` hops (-1: none).
    """

    def __init__(
        self,
        store: Store,
        checker: Checker,
        summary: AuditSummary,
        pool: CheckPool,
        *,
        warc: WarcArchive | None = None,
        listener: Listener | None = None,
        max_depth: int = -1,
        max_pages: int = 0,
    ) -> None:
        self.store, self.checker, self.run_id, self.summary = store, checker, summary.run_id, summary
        self.pool, self.warc, self.listener = pool, warc, listener
        self.max_depth, self.max_pages = max_depth, max_pages
        self.known = store.known_urls(self.run_id)
        self.hashes = store.page_hashes(self.run_id)
        self.site_sizes: dict[str, int] = {}
        self.checking: dict[Future[Report], tuple[FrontierItem, Page]] = {}

    def take(self, item: FrontierItem, fetched: Fetched) -> list[FrontierItem]:
        """Store a failure or a duplicate now, or send the page to be checked; the new frontier URLs stored."""
        if isinstance(fetched, ClaimcheckError):
            return self._save(self._failure(item, fetched))
        if self.warc is not None:
            self.warc.write(fetched)
        original = self.hashes.get(fetched.sha256)
        if original is not None:
            return self._save(self._duplicate(item, fetched, original))
        self.hashes[fetched.sha256] = item.url
        self.checking[self.pool.submit(fetched)] = (item, fetched)
        return []

    def collect(self) -> list[FrontierItem]:
        """Store the pages whose checks are done; the new frontier URLs they led to."""
        links: list[FrontierItem] = []
        for future in [f for f in self.checking if f.done()]:
            item, page = self.checking.pop(future)
            report = future.result()
            status: PageStatus = "error" if report.error else "checked"
            outcome = PageOutcome(item.url, item.site, item.depth, status, report, page.http_status)
            links += self._save(outcome, page)
        return links

    def settle(self, most: int) -> None:
        """Store finished checks until at most ``most`` are in flight (their links are not followed)."""
        while len(self.checking) > most:
            wait(self.checking, return_when=FIRST_COMPLETED)
            self.collect()

    def finish(self, started: float) -> AuditSummary:
        self.store.finish_run(self.run_id)
        self.summary.elapsed_s = time.monotonic() - started
        self.summary.pages_in_run = self.store.page_count(self.run_id)
        return self.summary

    def _save(self, outcome: PageOutcome, page: Page | None = None) -> list[FrontierItem]:
        """Store one page with the links it adds (a checked ``page`` within ``max_depth``), in one transaction."""
        links: list[FrontierItem] = []
        if page is not None and outcome.status == "checked" and outcome.depth < self.max_depth:
            site = outcome.site
            room = self.max_pages - self._site_size(site)
            links = follow_links(page_links(page), site, outcome.depth + 1, outcome.url, self.known, room)
            self.site_sizes[site] = self._site_size(site) + len(links)
        self.store.save_page(self.run_id, outcome, links)
        self._count(outcome)
        if self.listener is not None:
            self.listener(outcome, len(self.known))
        return links

    def _failure(self, item: FrontierItem, error: ClaimcheckError) -> PageOutcome:
        skipped = isinstance(error, RobotsDisallowed | UnsupportedContent)
        report = Report(source=item.url, error=f"{type(error).__name__}: {error}", meta=self.checker.meta)
        return PageOutcome(item.url, item.site, item.depth, "skipped" if skipped else "error", report)

    def _duplicate(self, item: FrontierItem, page: Page, original: str) -> PageOutcome:
        report = Report(
            source=item.url,
            raw_sha256=page.sha256,
            fetched_at=page.fetched_at,
            final_url=page.final_url,
            meta=self.checker.meta,
        )
        return PageOutcome(item.url, item.site, item.depth, "duplicate", report, page.http_status, original)

    def _site_size(self, site: str) -> int:
        if site not in self.site_sizes:
            self.site_sizes[site] = self.store.frontier_count(self.run_id, site)
        return self.site_sizes[site]

    def _count(self, outcome: PageOutcome) -> None:
        if outcome.status == "checked":
            self.summary.checked += 1
        elif outcome.status == "duplicate":
            self.summary.duplicates += 1
        elif outcome.status == "skipped":
            self.summary.skipped += 1
        else:
            self.summary.errors += 1


def _crawl(recorder: _Recorder, gate: HostGate, options: CrawlOptions) -> None:
    """Fetch the pending frontier in threads and check pages in the pool, storing each here when done.

    New fetches wait while the pool has all the pages it can use, so pages never pile up
    in memory when checking is slower than fetching.
    """
    pending = deque(recorder.store.pending(recorder.run_id))
    fetchers = _ThreadFetchers(recorder.checker)
    fetching: dict[Future[Fetched], FrontierItem] = {}
    with ThreadPoolExecutor(max_workers=options.concurrency, thread_name_prefix="fetch") as threads:
        try:
            while pending or fetching or recorder.checking:
                while (
                    pending
                    and len(fetching) < 2 * options.concurrency
                    and len(recorder.checking) < recorder.pool.slots
                ):
                    item = pending.popleft()
                    fetching[threads.submit(_fetch, item, fetchers, gate)] = item
                in_flight: list[Future[Any]] = [*fetching, *recorder.checking]
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in (f for f in done if f in fetching):
                    pending.extend(recorder.take(fetching.pop(future), future.result()))
                pending.extend(recorder.collect())
        finally:
            leftover: list[Future[Any]] = [*fetching, *recorder.checking]
            for future in leftover:
                future.cancel()
    fetchers.close()


def _fetch(item: FrontierItem, fetchers: _ThreadFetchers, gate: HostGate) -> Fetched:
    with gate.slot(item.site):
        try:
            return fetchers.get().acquire(item.url)
        except ClaimcheckError as error:
            return error


class _ThreadFetchers:
    """One ``Fetcher`` per fetch thread (a Fetcher is not thread-safe), all closed at the end."""

    def __init__(self, checker: Checker) -> None:
        self.settings = checker.settings
        self._local = threading.local()
        self._all: list[Fetcher] = []
        self._lock = threading.Lock()

    def get(self) -> Fetcher:
        fetcher: Fetcher | None = getattr(self._local, "fetcher", None)
        if fetcher is None:
            fetcher = Fetcher(self.settings)
            self._local.fetcher = fetcher
            with self._lock:
                self._all.append(fetcher)
        return fetcher

    def close(self) -> None:
        with self._lock:
            for fetcher in self._all:
                fetcher.close()


def read_sites_file(path: Path) -> list[str]:
    """One URL per line; blank lines and ``#`` comments ignored."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
