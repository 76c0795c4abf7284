"""The pipeline: one input in, one Report out, stage by stage.

    acquire -> extract -> segment -> claims -> verdicts
                                  -> spam
                                  -> prices

``check`` runs it on one input; ``check_many`` streams inputs in order, turning a bad
input into a Report with ``error`` set rather than stopping the batch. Expensive
things (the claim model, the evidence index and its embedding model) load once, on
first use, and are shared by every input of a ``Checker``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from itertools import islice
from pathlib import Path
from typing import TypeVar

from . import __version__
from .acquire import Fetcher
from .claims import ClaimModel, bundled_model, bundled_model_path, find_claims
from .embedding import Embedder, Warmable
from .errors import ClaimcheckError
from .extract import extract
from .ids import claim_id
from .prices import find_prices
from .records import Claim, Document, Meta, Page, Report, Unit
from .segment import segment
from .settings import Settings
from .spam import detect_spam
from .spinner import MODEL_DIR as SPUN_MODEL_DIR
from .spinner import MODEL_NAME as SPUN_MODEL_NAME
from .verdicts import Judge

T = TypeVar("T")
STAGES = ("claims", "verdicts", "spam", "prices")
BATCH_PAGES = 32
"""Pages ``check_many`` embeds together: enough to sort sentences by length, few enough to stream."""


@dataclass(frozen=True)
class _Loaded:
    """An input of a ``check_many`` group on its way through the stages."""

    page: Page
    document: Document
    units: Sequence[Unit]
    claims: tuple[Claim, ...] = ()


@dataclass
class Checker:
    """Runs the pipeline with one set of settings and models, reusing them across inputs."""

    settings: Settings = field(default_factory=Settings)
    claim_model: ClaimModel | None = None
    judge: Judge | None = None
    skip: frozenset[str] = frozenset()
    batch_pages: int = BATCH_PAGES

    def __post_init__(self) -> None:
        unknown = set(self.skip) - set(STAGES)
        if unknown:
            raise ValueError(f"unknown stage(s) {sorted(unknown)}; stages are {', '.join(STAGES)}")

    def check(self, source: str) -> Report:
        """Check one input. Raises nothing for bad input: the Report carries the error."""
        with Fetcher(self.settings) as fetcher:
            return self._check(source, fetcher)

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
        """Run the stages after extraction on an already extracted document."""
        claims = self._claims(segment(document))
        return self._report(document, self._judged(claims, document))

    def check_page(self, page: Page) -> Report:
        """Check a page acquired elsewhere (a crawl, a WARC archive); a failure is carried in the Report."""
        try:
            report = self.check_document(extract(page))
        except ClaimcheckError as error:
            return self._failed(page.source, error)
        return _with_provenance(report, page)

    def _check(self, source: str, fetcher: Fetcher) -> Report:
        try:
            page = fetcher.acquire(source)
        except ClaimcheckError as error:
            return self._failed(source, error)
        return self.check_page(page)

    def _check_group(self, sources: Sequence[str], fetcher: Fetcher) -> list[Report]:
        """Check a group of inputs, embedding their units, then their queries, one call each."""
        group = [self._guarded(source, partial(self._load, source, fetcher)) for source in sources]
        if "claims" not in self.skip:
            self._warm(self.models.embedder, [u.text for item in _loaded(group) for u in item.units])
        group = [self._step(item, self._with_claims) for item in group]
        if "verdicts" not in self.skip and any(item.claims for item in _loaded(group)):
            judge = self.evidence_judge
            queries = [q for item in _loaded(group) for q in judge.queries(item.claims, item.document)]
            self._warm(judge.index.embedder, queries)
        return [self._step(item, self._finish) for item in group]

    def _load(self, source: str, fetcher: Fetcher) -> _Loaded:
        page = fetcher.acquire(source)
        document = extract(page)
        return _Loaded(page, document, segment(document))

    def _with_claims(self, item: _Loaded) -> _Loaded:
        return replace(item, claims=self._claims(item.units))

    def _finish(self, item: _Loaded) -> Report:
        report = self._report(item.document, self._judged(item.claims, item.document))
        return _with_provenance(report, item.page)

    def _step(self, item: _Loaded | Report, step: Callable[[_Loaded], T]) -> T | Report:
        """The next step for an input still on its way; an input that failed keeps its Report."""
        if isinstance(item, Report):
            return item
        return self._guarded(item.page.source, partial(step, item))

    def _guarded(self, source: str, step: Callable[[], T]) -> T | Report:
        """The step's result, or the Report of its failure (a bad input never stops the batch)."""
        try:
            return step()
        except ClaimcheckError as error:
            return self._failed(source, error)

    def _claims(self, units: Sequence[Unit]) -> tuple[Claim, ...]:
        if "claims" in self.skip:
            return ()
        return find_claims(units, self.models, self.settings.min_claim_score)

    def _judged(self, claims: tuple[Claim, ...], document: Document) -> tuple[Claim, ...]:
        if claims and "verdicts" not in self.skip:
            return self.evidence_judge.judge_all(claims, document)
        return claims

    def _report(self, document: Document, claims: tuple[Claim, ...]) -> Report:
        return Report(
            source=document.source,
            text=document.text,
            title=document.title,
            text_sha256=hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
            claims=tuple(replace(claim, id=claim_id(claim.text, document.source)) for claim in claims),
            spam=detect_spam(document.text) if "spam" not in self.skip else Report(source="").spam,
            prices=() if "prices" in self.skip else find_prices(document.text),
            meta=self.meta,
        )

    def _failed(self, source: str, error: ClaimcheckError) -> Report:
        return Report(source=source, error=f"{type(error).__name__}: {error}", meta=self.meta)

    @staticmethod
    def _warm(embedder: Embedder | None, texts: list[str]) -> None:
        """Embed ``texts`` ahead of use in one call, where the embedder remembers vectors.

        Only a speed-up: a failure here is left for the stage that needs the vectors to report.
        """
        if texts and isinstance(embedder, Warmable):
            with suppress(ClaimcheckError):
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


def check(source: str, settings: Settings | None = None) -> Report:
    """Check one input (URL, .html/.txt file, or "-" for stdin) and return its Report."""
    return Checker(settings or Settings()).check(source)


def check_many(sources: Iterable[str], settings: Settings | None = None) -> Iterator[Report]:
    """Check many inputs in order; a bad input yields a Report with ``error`` set."""
    return Checker(settings or Settings()).check_many(sources)


def _loaded(group: Sequence[_Loaded | Report]) -> list[_Loaded]:
    return [item for item in group if isinstance(item, _Loaded)]


def _groups(items: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(items)
    while group := list(islice(iterator, size)):
        yield group


def _with_provenance(report: Report, page: Page) -> Report:
    return replace(report, raw_sha256=page.sha256, fetched_at=page.fetched_at, final_url=page.final_url)


def _described(path: Path) -> str:
    """A model file's name and the start of its SHA-256, as reports record it."""
    return f"{path.name} sha256:{hashlib.sha256(path.read_bytes()).hexdigest()[:16]}"
