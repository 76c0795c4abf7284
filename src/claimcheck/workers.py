"""Where an audit's pages are checked: in this process, in local worker processes, or on a Dask cluster.

An audit hands each fetched page to a ``CheckPool`` and gets back a future of its
Report; fetching, duplicate detection and every store write stay with the caller.
The three pools differ only in where ``Checker.check_page`` runs:

    in_process       the calling thread (the default; the per-page time budget holds)
    --workers N      N local processes, started with "spawn": a forked copy of a
                     process holding torch's thread pools is not safe
    --dask ADDRESS   the workers of a Dask cluster (``claimcheck[dask]``)

A worker builds its Checker from the caller's settings and skipped stages (a
``CheckerSpec``, sent with every page: it is small) on its first page and keeps it, so
models load once per worker process. Reports are the same wherever they are made.
A Dask worker runs tasks in threads, where the SIGALRM timer cannot be used; there a
timer thread enforces the per-page time budget instead (it stops Python-level work, not
one long call into C; see ``pipeline``). Start Dask workers with ``--nthreads 1``, since
one process checks one page at a time anyway.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from .acquire.fetch import STDIN
from .errors import ClusterError
from .pipeline import Checker
from .records import Page, Report
from .settings import Settings

DASK_CONNECT_TIMEOUT_S = 10
RUN_PAGES = 8
"""Inputs a worker checks in one go: enough to batch their sentences, few enough to share out a small batch."""
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class CheckerSpec:
    """What a worker needs to build a Checker equal to the caller's: settings and skipped stages."""

    settings: Settings
    skip: frozenset[str]

    @classmethod
    def of(cls, checker: Checker) -> CheckerSpec:
        """The spec of ``checker``; a Checker with models passed in cannot be rebuilt elsewhere."""
        if checker.claim_model is not None or checker.judge is not None:
            raise ValueError("a Checker given its own claim model or judge can only check in this process")
        return cls(checker.settings, checker.skip)


@dataclass(frozen=True)
class CheckPool:
    """Checks pages somewhere; ``submit`` returns a future of the page's Report."""

    submit: Callable[[Page], Future[Report]]
    slots: int
    """Pages worth having in flight at once: enough to keep every worker busy."""


@contextmanager
def check_pool(checker: Checker, *, workers: int = 1, scheduler: str | None = None) -> Iterator[CheckPool]:
    """The pool for ``--workers``/``--dask``: Dask when ``scheduler`` is given, processes when ``workers > 1``."""
    if scheduler is not None:
        with dask_pool(CheckerSpec.of(checker), scheduler) as pool:
            yield pool
    elif workers > 1:
        with process_pool(CheckerSpec.of(checker), workers) as pool:
            yield pool
    else:
        yield in_process(checker)


def in_process(checker: Checker) -> CheckPool:
    """Check each page in the calling thread as it is submitted (its future is already done)."""
    return CheckPool(partial(_done, checker.check_page), slots=1)


@contextmanager
def process_pool(spec: CheckerSpec, workers: int) -> Iterator[CheckPool]:
    """``workers`` local processes, each checking with its own Checker."""
    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        yield CheckPool(_sender(executor, spec), slots=2 * workers)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


@contextmanager
def dask_pool(spec: CheckerSpec, scheduler: str) -> Iterator[CheckPool]:
    """The workers of the Dask cluster whose scheduler is at ``scheduler`` (e.g. ``tcp://host:8786``)."""
    distributed = import_distributed()
    try:
        client = distributed.Client(scheduler, timeout=DASK_CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {scheduler} ({error}); start one with `dask scheduler` "
            f"and workers with `dask worker {scheduler} --nthreads 1`"
        ) from None
    with client:
        executor = client.get_executor(pure=False)
        threads = sum(client.nthreads().values())
        yield CheckPool(_sender(executor, spec), slots=2 * max(threads, 1))


def import_distributed() -> Any:
    """``dask.distributed``, imported only when ``--dask`` is used; a ClusterError naming the extra if absent."""
    try:
        import distributed
    except ImportError:
        raise ClusterError(
            "--dask needs Dask's distributed scheduler, which is not installed: "
            "pip install 'claimcheck[dask]' (on the client and on every worker)"
        ) from None
    return distributed


_WORKER_LOCK = threading.Lock()
_worker: tuple[CheckerSpec, Checker] | None = None


def check_in_worker(spec: CheckerSpec, page: Page) -> Report:
    """Check ``page`` with this process's Checker for ``spec``, built on its first page.

    The lock makes a worker that runs tasks in several threads (a Dask worker started
    without ``--nthreads 1``) safe: one Checker, one page at a time.
    """
    with _WORKER_LOCK:
        return _worker_checker(spec).check_page(page)


def _worker_checker(spec: CheckerSpec) -> Checker:
    """This process's Checker for ``spec``, built on first use (call with ``_WORKER_LOCK`` held)."""
    global _worker
    if _worker is None or _worker[0] != spec:
        _worker = (spec, Checker(spec.settings, skip=spec.skip))
    return _worker[1]


@contextmanager
def source_pool(
    checker: Checker, workers: int, run_pages: int = RUN_PAGES
) -> Iterator[Callable[[Iterable[str]], Iterator[Report]]]:
    """A function that checks inputs in ``workers`` local processes, reports in input order.

    Each worker fetches and checks a run of ``run_pages`` inputs with ``check_many``
    (so batching across pages still pays), and at most two runs per worker are in
    flight: memory stays flat however long the batch. Stdin ("-") is read here, by
    the one process that has it. Workers live, models loaded, until the block ends.
    """
    spec = CheckerSpec.of(checker)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:

        def check(sources: Iterable[str]) -> Iterator[Report]:
            pending: deque[Future[list[Report]]] = deque()
            for run in _runs(sources, run_pages):
                if run == [STDIN]:
                    pending.append(_done(lambda inputs: list(checker.check_many(inputs)), run))
                else:
                    pending.append(executor.submit(check_sources_in_worker, spec, run))
                if len(pending) >= 2 * workers:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()

        yield check


def check_sources(checker: Checker, sources: Iterable[str], workers: int) -> Iterator[Report]:
    """Reports of ``sources`` in input order, checked in ``workers`` local processes (``check --workers``)."""
    with source_pool(checker, workers) as check:
        yield from check(sources)


def check_sources_in_worker(spec: CheckerSpec, sources: list[str]) -> list[Report]:
    """Fetch and check a run of inputs with this process's Checker for ``spec``."""
    with _WORKER_LOCK:
        return list(_worker_checker(spec).check_many(sources))


def _runs(sources: Iterable[str], size: int) -> Iterator[list[str]]:
    """Runs of up to ``size`` inputs; stdin is a run of its own."""
    run: list[str] = []
    for source in sources:
        if source == STDIN:
            if run:
                yield run
            yield [STDIN]
            run = []
            continue
        run.append(source)
        if len(run) == size:
            yield run
            run = []
    if run:
        yield run


def _sender(executor: Executor, spec: CheckerSpec) -> Callable[[Page], Future[Report]]:
    def submit(page: Page) -> Future[Report]:
        return executor.submit(check_in_worker, spec, page)

    return submit


def _done(check: Callable[[T], R], item: T) -> Future[R]:
    future: Future[R] = Future()
    future.set_result(check(item))
    return future
