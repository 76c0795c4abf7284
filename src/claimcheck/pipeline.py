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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from . import __version__
from .acquire import Fetcher
from .claims import ClaimModel, bundled_model, bundled_model_path, find_claims
from .errors import ClaimcheckError
from .extract import extract
from .prices import find_prices
from .records import Document, Meta, Report
from .segment import segment
from .settings import Settings
from .spam import detect_spam
from .spinner import MODEL_DIR as SPUN_MODEL_DIR
from .spinner import MODEL_NAME as SPUN_MODEL_NAME
from .verdicts import Judge

STAGES = ("claims", "verdicts", "spam", "prices")


@dataclass
class Checker:
    """Runs the pipeline with one set of settings and models, reusing them across inputs."""

    settings: Settings = field(default_factory=Settings)
    claim_model: ClaimModel | None = None
    judge: Judge | None = None
    skip: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        unknown = set(self.skip) - set(STAGES)
        if unknown:
            raise ValueError(f"unknown stage(s) {sorted(unknown)}; stages are {', '.join(STAGES)}")

    def check(self, source: str) -> Report:
        """Check one input. Raises nothing for bad input: the Report carries the error."""
        with Fetcher(self.settings) as fetcher:
            return self._check(source, fetcher)

    def check_many(self, sources: Iterable[str]) -> Iterator[Report]:
        """Check inputs in order, sharing one HTTP client and robots.txt cache."""
        with Fetcher(self.settings) as fetcher:
            for source in sources:
                yield self._check(source, fetcher)

    def check_document(self, document: Document) -> Report:
        """Run the stages after extraction on an already extracted document."""
        units = segment(document)
        claims = (
            () if "claims" in self.skip else find_claims(units, self.models, self.settings.min_claim_score)
        )
        if claims and "verdicts" not in self.skip:
            claims = self.evidence_judge.judge_all(claims, document)
        return Report(
            source=document.source,
            text=document.text,
            title=document.title,
            text_sha256=hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
            claims=claims,
            spam=detect_spam(document.text) if "spam" not in self.skip else Report(source="").spam,
            prices=() if "prices" in self.skip else find_prices(document.text),
            meta=self.meta,
        )

    def _check(self, source: str, fetcher: Fetcher) -> Report:
        try:
            page = fetcher.acquire(source)
            report = self.check_document(extract(page))
        except ClaimcheckError as error:
            return Report(source=source, error=f"{type(error).__name__}: {error}", meta=self.meta)
        return replace(report, raw_sha256=page.sha256, fetched_at=page.fetched_at, final_url=page.final_url)

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


def _described(path: Path) -> str:
    """A model file's name and the start of its SHA-256, as reports record it."""
    return f"{path.name} sha256:{hashlib.sha256(path.read_bytes()).hexdigest()[:16]}"
