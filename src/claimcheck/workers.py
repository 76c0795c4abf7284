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
A Dask worker runs tasks in threads, where the SIGALRM timer cannot be used, so pages
checked there have no per-page time budget (the download deadline and the linear hot
paths still hold; see ``pipeline``); start Dask workers with ``--nthreads 1``, since
one process checks one page at a time anyway.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from .errors import ClusterError
from .pipeline import Checker
from .records import Page, Report
from .settings import Settings

DASK_CONNECT_TIMEOUT_S = 10


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
    global _worker
    with _WORKER_LOCK:
        if _worker is None or _worker[0] != spec:
            _worker = (spec, Checker(spec.settings, skip=spec.skip))
        return _worker[1].check_page(page)


def _sender(executor: Executor, spec: CheckerSpec) -> Callable[[Page], Future[Report]]:
    def submit(page: Page) -> Future[Report]:
        return executor.submit(check_in_worker, spec, page)

    return submit


def _done(check: Callable[[Page], Report], page: Page) -> Future[Report]:
    future: Future[Report] = Future()
    future.set_result(check(page))
    return future
