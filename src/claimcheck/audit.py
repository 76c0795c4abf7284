"""Audits: crawl sites (or read a WARC), check every page, and keep everything in the store.

    seeds -> discover (robots.txt, sitemaps) -> frontier in the store
          -> fetch threads (HostGate politeness) -> check in this thread -> store, one transaction per page

Fetching is I/O and runs in a pool of threads, each with its own ``Fetcher``; checking
is CPU and runs in the calling thread, which is also the only one that writes the
store. The frontier lives in the store, so the same command on the same file resumes:
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
from .records import Page, Report
from .reports.store import FrontierItem, PageOutcome, PageStatus, Store

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
) -> AuditSummary:
    """Crawl and check every site of ``seeds`` into ``store``; resumes the unfinished run of the same audit."""
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
    recorder = _Recorder(store, checker, run_id, warc, listener, AuditSummary(run_id, resumed))
    _crawl(recorder, gate, options)
    return recorder.finish(started)


def warc_audit(
    path: Path, store: Store, checker: Checker, *, listener: Listener | None = None, resume: bool = True
) -> AuditSummary:
    """Check every page archived in a WARC into ``store``, exactly as captured; resumable like a crawl."""
    identity = {"from_warc": str(path.resolve()), **_checker_identity(checker)}
    run_id, resumed = store.open_run(identity, identity, checker.meta, resume=resume)
    started = time.monotonic()
    recorder = _Recorder(store, checker, run_id, None, listener, AuditSummary(run_id, resumed))
    for page in read_pages(path, checker.settings):
        url = normalise_url(page.url or page.source) or page.source
        if url not in recorder.known:
            recorder.known.add(url)
            recorder.record(FrontierItem(url, site_key(url), 0), replace(page, source=url), max_depth=-1)
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
    """Turns each fetched page (or fetch failure) into a stored outcome, plus the links it adds."""

    def __init__(
        self,
        store: Store,
        checker: Checker,
        run_id: int,
        warc: WarcArchive | None,
        listener: Listener | None,
        summary: AuditSummary,
    ) -> None:
        self.store, self.checker, self.run_id = store, checker, run_id
        self.warc, self.listener, self.summary = warc, listener, summary
        self.known = store.known_urls(run_id)
        self.hashes = store.page_hashes(run_id)
        self.site_sizes: dict[str, int] = {}

    def record(
        self, item: FrontierItem, fetched: Fetched, *, max_depth: int, max_pages: int = 0
    ) -> list[FrontierItem]:
        """Check and store one page; the new frontier URLs it led to (stored with it)."""
        outcome, page = self._outcome(item, fetched)
        links: list[FrontierItem] = []
        if page is not None and outcome.status == "checked" and item.depth < max_depth:
            room = max_pages - self._site_size(item.site)
            links = follow_links(page_links(page), item.site, item.depth + 1, item.url, self.known, room)
            self.site_sizes[item.site] = self._site_size(item.site) + len(links)
        self.store.save_page(self.run_id, outcome, links)
        self._count(outcome)
        if self.listener is not None:
            self.listener(outcome, len(self.known))
        return links

    def finish(self, started: float) -> AuditSummary:
        self.store.finish_run(self.run_id)
        self.summary.elapsed_s = time.monotonic() - started
        self.summary.pages_in_run = self.store.page_count(self.run_id)
        return self.summary

    def _outcome(self, item: FrontierItem, fetched: Fetched) -> tuple[PageOutcome, Page | None]:
        if isinstance(fetched, ClaimcheckError):
            skipped = isinstance(fetched, RobotsDisallowed | UnsupportedContent)
            report = Report(
                source=item.url, error=f"{type(fetched).__name__}: {fetched}", meta=self.checker.meta
            )
            return PageOutcome(
                item.url, item.site, item.depth, "skipped" if skipped else "error", report
            ), None
        page = fetched
        if self.warc is not None:
            self.warc.write(page)
        original = self.hashes.get(page.sha256)
        if original is not None:
            report = Report(
                source=item.url,
                raw_sha256=page.sha256,
                fetched_at=page.fetched_at,
                final_url=page.final_url,
                meta=self.checker.meta,
            )
            outcome = PageOutcome(
                item.url, item.site, item.depth, "duplicate", report, page.http_status, original
            )
            return outcome, page
        self.hashes[page.sha256] = item.url
        report = self.checker.check_page(page)
        status: PageStatus = "error" if report.error else "checked"
        return PageOutcome(item.url, item.site, item.depth, status, report, page.http_status), page

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
    """Fetch the pending frontier in threads, record each page here as it arrives, until nothing is left."""
    pending = deque(recorder.store.pending(recorder.run_id))
    fetchers = _ThreadFetchers(recorder.checker)
    in_flight: dict[Future[Fetched], FrontierItem] = {}
    with ThreadPoolExecutor(max_workers=options.concurrency, thread_name_prefix="fetch") as pool:
        try:
            while pending or in_flight:
                while pending and len(in_flight) < 2 * options.concurrency:
                    item = pending.popleft()
                    in_flight[pool.submit(_fetch, item, fetchers, gate)] = item
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    item = in_flight.pop(future)
                    links = recorder.record(
                        item, future.result(), max_depth=options.max_depth, max_pages=options.max_pages
                    )
                    pending.extend(links)
        finally:
            for future in in_flight:
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
