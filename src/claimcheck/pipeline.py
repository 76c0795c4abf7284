"""The pipeline: one input in, one Report out, stage by stage.

    acquire -> extract -> annotate -> claims -> verdicts -> spam -> prices -> report

``PIPELINE`` lists the stages after extraction, in order, by name; each is a function
from a ``Work`` (an input on its way: its page, its document, what the stages so far
have added) to the next. ``annotate`` builds the one annotated document (units, cue
phrases, quantities, prices: :mod:`claimcheck.annotate`) that every later stage
reads; ``claims``, ``verdicts``, ``spam`` and ``prices`` can be skipped by name.

``check`` runs it on one input; ``check_many`` streams inputs in order, turning a bad
input into a Report with ``error`` set rather than stopping the batch. Expensive
things (the claim model, the evidence index and its embedding model) load once, on
first use, and are shared by every input of a ``Checker``.

**Isolation.** Whatever goes wrong with one input becomes that input's ``error``,
never the end of the batch. A ``ClaimcheckError`` keeps its own message; any other
exception (a bug, or a library tripping on strange text) is reported with the stage
it came from, its type and its message, and its traceback is logged at DEBUG level
on the ``claimcheck`` logger (``claimcheck check --debug`` prints it).

**Time budget.** Each input gets ``settings.page_timeout_s`` seconds for its own
steps, fetch to report. An interval timer (SIGALRM) raises inside whatever is
running when the time is up, and the input gets a ``PageTimeout`` error naming the
stage it was in. Measured, the timer stops spaCy's tokenizer and a catastrophically
backtracking regex within the second it fires (1.0 s on a 1.0 s timer), so no worker
process is needed: one would have to load MiniLM, the claim model and the evidence
index again (a forked copy of a process holding torch's thread pools is not safe),
for a backstop that should rarely fire, since the hot paths are linear on hostile
text (``segment.tokenizer_safe``, the download deadline in ``netguard``). Loading
the models (once, before the first group) and embedding a group's sentences together
are not charged to any input. Outside a process's main thread (a Dask worker runs
tasks in threads) a timer thread raises the same error in the checking thread between
two of its Python bytecodes instead: that stops every Python-level loop, though not
one long call into C.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import logging
import math
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, partial
from itertools import islice
from pathlib import Path
from types import FrameType
from typing import TypeVar

from .acquire.fetch import Fetcher
from .annotate import annotate
from .claims.detect import ClaimModel, bundled_model, bundled_model_path, find_claims
from .errors import ClaimcheckError, PageTimeout
from .evidence.embedding import Embedder, Warmable
from .records import AnnotatedDocument, Claim, Document, Meta, Offer, Page, Price, Report, SpamResult
from .reports.ids import claim_id
from .settings import Settings
from .signals.offers import find_offers
from .signals.spam import detect_spam
from .signals.spun import MODEL_DIR as SPUN_MODEL_DIR
from .signals.spun import MODEL_NAME as SPUN_MODEL_NAME
from .text.extract import extract
from .verdicts.judge import Judge
from .verdicts.language import overstates_outright
from .version import __version__

T = TypeVar("T")
BATCH_PAGES = 32
"""Pages ``check_many`` embeds together: enough to sort sentences by length, few enough to stream."""
WARM_UP_TEXT = "The infusions relieve depression in 70% of patients within 24 hours for $400."
"""A one-line page checked once per Checker, so models load outside every input's time budget."""

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Work:
    """An input on its way through the stages: its page and document, and what each stage has added."""

    document: Document
    page: Page | None = None
    annotated: AnnotatedDocument | None = None
    claims: tuple[Claim, ...] = ()
    spam: SpamResult = field(default_factory=SpamResult)
    prices: tuple[Price, ...] = ()
    offers: tuple[Offer, ...] = ()

    @property
    def doc(self) -> AnnotatedDocument:
        """The annotated document, for the stages after ``annotate``."""
        if self.annotated is None:
            raise RuntimeError("the annotate stage has not run on this input")
        return self.annotated


Embedding = tuple[Embedder | None, list[str]]
"""An embedder and the texts a stage will embed with it, embedded ahead for a whole group."""


@dataclass(frozen=True)
class Stage:
    """A named step of the pipeline: ``run`` on each input; ``ahead`` says what to embed for a group first."""

    name: str
    run: Callable[[Checker, Work], Work]
    ahead: Callable[[Checker, Sequence[Work]], Embedding] | None = None
    optional: bool = True
    """Whether ``Checker(skip=...)`` (``--skip``) may leave it out."""


@dataclass
class Checker:
    """Runs the pipeline with one set of settings and models, reusing them across inputs."""

    settings: Settings = field(default_factory=Settings)
    claim_model: ClaimModel | None = None
    judge: Judge | None = None
    skip: frozenset[str] = frozenset()
    batch_pages: int = BATCH_PAGES
    _warmed_up: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        unknown = set(self.skip) - set(STAGES)
        if unknown:
            raise ValueError(f"unknown stage(s) {sorted(unknown)}; stages are {', '.join(STAGES)}")

    @property
    def stages(self) -> tuple[Stage, ...]:
        """The stages this Checker runs, in order: ``PIPELINE`` less the skipped ones."""
        return tuple(stage for stage in PIPELINE if stage.name not in self.skip)

    def check(self, source: str) -> Report:
        """Check one input. Raises nothing for bad input: the Report carries the error."""
        with Fetcher(self.settings) as fetcher:
            return self._check_group([source], fetcher)[0]

    def check_many(self, sources: Iterable[str]) -> Iterator[Report]:
        """Check inputs in order, sharing one HTTP client and robots.txt cache.

        Inputs go through in groups of ``batch_pages``: the sentences of a whole group are
        embedded in one call to the model, then its claims' retrieval queries in a second,
        and the group's reports are yielded in input order. Reports equal ``check``'s.
        """
        with Fetcher(self.settings) as fetcher:
            for group in _groups(sources, self.batch_pages):
                yield from self._check_group(group, fetcher)

    def check_document(self, document: Document) -> Report:
        """Run the stages after extraction on an already extracted document (errors propagate)."""
        work = Work(document)
        for stage in self.stages:
            work = stage.run(self, work)
        return self._report(work)

    def check_page(self, page: Page) -> Report:
        """Check a page acquired elsewhere (a crawl, a WARC archive), isolated like any other input."""
        self._warm_up()
        budget = _Budget(self.settings.page_timeout_s)
        return self._run_stages([self._guarded(page.source, budget, partial(_extracted, page))], [budget])[0]

    def _check_group(self, sources: Sequence[str], fetcher: Fetcher) -> list[Report]:
        """Check a group of inputs: acquire and extract each, then run the stages over the group."""
        self._warm_up()
        budgets = [_Budget(self.settings.page_timeout_s) for _ in sources]
        group = [
            self._guarded(source, budget, partial(_load, source, fetcher))
            for source, budget in zip(sources, budgets, strict=True)
        ]
        return self._run_stages(group, budgets)

    def _run_stages(self, group: list[Work | Report], budgets: Sequence[_Budget]) -> list[Report]:
        """Each stage in turn over the whole group, then each input's report.

        Every step of one input runs through ``_guarded`` on that input's budget; a stage's
        ``ahead`` (one embedding call for the group's texts) is only a speed-up and never
        fails an input.
        """
        for stage in self.stages:
            if stage.ahead is not None:
                self._warm(partial(stage.ahead, self, _loaded(group)))
            run = partial(stage.run, self)
            group = [self._step(item, budget, run) for item, budget in zip(group, budgets, strict=True)]
        return [self._step(item, budget, self._report) for item, budget in zip(group, budgets, strict=True)]

    def _step(self, item: Work | Report, budget: _Budget, step: Callable[[Work], T]) -> T | Report:
        """The next step for an input still on its way; an input that failed keeps its Report."""
        if isinstance(item, Report):
            return item
        source = item.page.source if item.page is not None else item.document.source
        return self._guarded(source, budget, partial(step, item))

    def _guarded(self, source: str, budget: _Budget, step: Callable[[], T]) -> T | Report:
        """The step's result, on the input's budget, or the Report of its failure (see the module docstring)."""
        try:
            with budget.spend():
                return step()
        except ClaimcheckError as error:
            _LOG.debug("%s failed: %s", source, error)
            return self._failed(source, error)
        except _OutOfTime as expired:
            _LOG.debug("%s ran out of time", source, exc_info=expired)
            message = (
                f"checking {source} took longer than {self.settings.page_timeout_s:g} s (stopped in the "
                f"{stage_of(expired)} stage); the page may be built to slow tools down: "
                "allow more time with --page-timeout to try again"
            )
            return self._failed(source, PageTimeout(message))
        except Exception as error:
            _LOG.debug("internal error on %s", source, exc_info=error)
            return self._failed(source, error, stage_of(error))

    def _warm_up(self) -> None:
        """Load every model and matcher once, by checking ``WARM_UP_TEXT``, outside any time budget.

        Only a speed-up as well: if loading fails, each input's own step meets the same
        failure and reports it.
        """
        if self._warmed_up:
            return
        try:
            self.check_document(Document(source="warm-up", text=WARM_UP_TEXT))
        except Exception:
            _LOG.debug("warm-up failed; each input will report the failure", exc_info=True)
            return
        self._warmed_up = True
        _freeze_loaded_objects()

    def _report(self, work: Work) -> Report:
        document, page = work.document, work.page
        return Report(
            source=document.source,
            text=document.text,
            title=document.title,
            text_sha256=hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
            raw_sha256=page.sha256 if page else None,
            fetched_at=page.fetched_at if page else None,
            final_url=page.final_url if page else None,
            claims=tuple(replace(claim, id=claim_id(claim.text, document.source)) for claim in work.claims),
            spam=work.spam,
            prices=work.prices,
            meta=self.meta,
            warnings=document.warnings,
            offers=work.offers,
        )

    def _failed(self, source: str, error: Exception, stage: str | None = None) -> Report:
        """The report of an input that failed; ``stage`` is given for errors claimcheck did not expect."""
        message = f"{type(error).__name__}: {error}"
        if stage is not None:
            message = (
                f"internal error in the {stage} stage: {message} "
                "(a bug in claimcheck: rerun with --debug for the traceback, and please report it)"
            )
        return Report(source=source, error=message, meta=self.meta)

    @staticmethod
    def _warm(prepare: Callable[[], Embedding]) -> None:
        """Embed texts ahead of use in one call, where the embedder remembers vectors.

        ``prepare`` gives the embedder and the texts. Only a speed-up: any failure here,
        loading the embedder or making the texts included, is left for the stage that
        needs the vectors to report, for its own input alone.
        """
        with suppress(Exception):
            embedder, texts = prepare()
            if texts and isinstance(embedder, Warmable):
                embedder.warm(texts)

    @cached_property
    def models(self) -> ClaimModel:
        return self.claim_model or bundled_model()

    @cached_property
    def evidence_judge(self) -> Judge:
        return self.judge or Judge.from_settings(self.settings)

    @cached_property
    def meta(self) -> Meta:
        claims = _described(bundled_model_path()) if self.claim_model is None else "in-memory ClaimModel"
        models = {"claims": claims, "spun_text": _described(SPUN_MODEL_DIR / f"{SPUN_MODEL_NAME}.npz")}
        evidence_hash = None
        if "verdicts" not in self.skip:
            models.update(self.evidence_judge.model_names())
            evidence_hash = self.evidence_judge.evidence_hash
        return Meta(
            __version__,
            evidence_hash,
            models,
            self.settings.as_report_dict(),
            self.settings.config_sha256,
            self.settings.changed_from_defaults(),
        )


@cache
def _freeze_loaded_objects() -> None:
    """Leave the objects alive after the first warm-up out of the cycle collector's full passes, once per process.

    They are the loaded models, matchers and tables, which last as long as the process.
    A full pass walks every object the collector tracks, some 380,000 once they are
    loaded, and these passes took about 5% of the CPU time of checking pages;
    ``gc.freeze`` moves the objects alive now to a generation no pass walks. Objects
    that die later are still freed (by reference counting); only reference cycles among
    the frozen ones would outlive them, so a full collection first frees the garbage
    cycles of the moment (the host program's too) rather than freezing them.
    """
    gc.collect()
    gc.freeze()


# --- the stages -------------------------------------------------------------------------------


def _load(source: str, fetcher: Fetcher) -> Work:
    return _extracted(fetcher.acquire(source))


def _extracted(page: Page) -> Work:
    return Work(extract(page), page)


def _annotate(checker: Checker, work: Work) -> Work:
    vocabulary = None if "verdicts" in checker.skip else checker.evidence_judge.base
    return replace(work, annotated=annotate(work.document, vocabulary))


def _find_claims(checker: Checker, work: Work) -> Work:
    claims = find_claims(work.doc, checker.models, checker.settings.min_claim_score, overstates_outright)
    return replace(work, claims=claims)


def _unit_texts(checker: Checker, group: Sequence[Work]) -> Embedding:
    return checker.models.embedder, [a.unit.text for work in group for a in work.doc.units]


def _judge(checker: Checker, work: Work) -> Work:
    if not work.claims:
        return work
    return replace(work, claims=checker.evidence_judge.judge_all(work.claims, work.doc))


def _query_texts(checker: Checker, group: Sequence[Work]) -> Embedding:
    if not any(work.claims for work in group):
        return None, []
    judge = checker.evidence_judge
    return judge.index.embedder, [q for work in group for q in judge.queries(work.claims, work.doc)]


def _detect_spam(checker: Checker, work: Work) -> Work:
    units = [annotated.unit for annotated in work.doc.units]
    spam = detect_spam(work.document.text, work.doc.prices, units, checker.settings.spam)
    return replace(work, spam=spam)


def _prices(checker: Checker, work: Work) -> Work:
    return replace(work, prices=work.doc.prices, offers=find_offers(work.document.text))


PIPELINE: tuple[Stage, ...] = (
    Stage("annotate", _annotate, optional=False),
    Stage("claims", _find_claims, ahead=_unit_texts),
    Stage("verdicts", _judge, ahead=_query_texts),
    Stage("spam", _detect_spam),
    Stage("prices", _prices),
)
"""The stages after extraction, in the order they run."""
STAGES = tuple(stage.name for stage in PIPELINE if stage.optional)
"""The stages that can be skipped (``Checker(skip=...)``, ``--skip``)."""


def check(source: str, settings: Settings | None = None) -> Report:
    """Check one input (URL, .html/.txt file, or "-" for stdin) and return its Report."""
    return Checker(settings or Settings()).check(source)


def check_many(sources: Iterable[str], settings: Settings | None = None) -> Iterator[Report]:
    """Check many inputs in order; a bad input yields a Report with ``error`` set."""
    return Checker(settings or Settings()).check_many(sources)


def _loaded(group: Sequence[Work | Report]) -> list[Work]:
    return [item for item in group if isinstance(item, Work)]


def _groups(items: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(items)
    while group := list(islice(iterator, size)):
        yield group


class _OutOfTime(BaseException):
    """Raised by the timer inside whatever runs: a BaseException, so ``except Exception`` cannot swallow it."""


class _Budget:
    """Seconds left for one input; ``spend`` runs a block on the timer and charges the time it took."""

    def __init__(self, seconds: float) -> None:
        self.left = seconds

    @contextmanager
    def spend(self) -> Iterator[None]:
        if self.left <= 0:
            raise _OutOfTime
        started = time.monotonic()
        try:
            with _time_limit(self.left):
                yield
        finally:
            self.left -= time.monotonic() - started


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise ``_OutOfTime`` in the running code after ``seconds``.

    In a process's main thread an interval timer (SIGALRM) does it; in any other thread
    (a Dask worker's task, a web server's request) a timer thread raises it in this one.
    """
    if math.isinf(seconds):
        yield
    elif hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        with _alarm(seconds):
            yield
    else:
        with _thread_timer(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _thread_timer(seconds: float) -> Iterator[None]:
    """After ``seconds``, raise ``_OutOfTime`` in the calling thread (``PyThreadState_SetAsyncExc``).

    The exception arrives between two Python bytecodes of this thread, so it stops
    Python-level work (spaCy's tokenizer loop, the stages' own loops) but not one long
    call into C; the linear hot paths keep those calls short. The lock keeps the timer
    from raising once the block is left.
    """
    target, lock, active = threading.get_ident(), threading.Lock(), [True]

    def expire() -> None:
        with lock:
            if active[0]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(target), ctypes.py_object(_OutOfTime)
                )

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            active[0] = False
        timer.cancel()


_STAGE_NAMES = {"fetch": "acquire", "detect": "claims", "judge": "verdicts", "offers": "prices"}
"""Modules whose name is not the name of the stage they run, as ``stage_of`` reports it."""


def stage_of(error: BaseException) -> str:
    """The stage ``error`` came from: the claimcheck module this one last called into.

    Walking the traceback from here inwards, each frame that follows a frame of this
    module is a call out of the pipeline; the last such call names the stage
    (``acquire``, ``extract``, ``annotate``, ``claims``, ``verdicts``, ``spam``,
    ``prices``). Anything else, such as a library called from here, is ``pipeline``.
    """
    stage, after_pipeline = "pipeline", False
    for frame, _line in traceback.walk_tb(error.__traceback__):
        module = str(frame.f_globals.get("__name__", ""))
        if module == __name__:
            after_pipeline = True
        elif after_pipeline:
            name = module.rpartition(".")[2]
            stage = _STAGE_NAMES.get(name, name) if module.startswith("claimcheck.") else "pipeline"
            after_pipeline = False
    return stage


def _described(path: Path) -> str:
    """A model file's name and the start of its SHA-256, as reports record it."""
    return f"{path.name} sha256:{hashlib.sha256(path.read_bytes()).hexdigest()[:16]}"
