"""The annotated document: found once per page, offsets into the document, read by every later stage."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claimcheck.annotate import annotate
from claimcheck.claims import detect, lexicon
from claimcheck.claims.lexicon import find_cues
from claimcheck.claims.quantities import find_quantities
from claimcheck.evidence import vocabulary
from claimcheck.pipeline import PIPELINE, STAGES, Checker
from claimcheck.records import Document
from claimcheck.settings import SKIPPABLE_STAGES
from claimcheck.signals import prices
from claimcheck.text import segment

PAGE = Path(__file__).parent.parent / "corpora" / "w07_run_on_clinic.txt"


def test_every_annotation_is_a_span_of_the_document() -> None:
    document = Document("t", PAGE.read_text(encoding="utf-8"))
    annotated = annotate(document)
    text = document.text
    assert annotated.units and annotated.prices
    for a in annotated.units:
        assert text[a.unit.start : a.unit.end] == a.unit.text
        spans = [*a.cues, *a.quantities, *a.prices]
        assert all(text[s.start : s.end] == s.text for s in spans)
        assert all(a.unit.start <= s.start and s.end <= a.unit.end for s in spans)
    assert all(text[p.start : p.end] == p.text for p in annotated.prices)


def test_unit_annotations_equal_what_each_unit_alone_gives() -> None:
    """Cue phrases are matched unit by unit; the quantities read the page's prices."""
    annotated = annotate(Document("t", PAGE.read_text(encoding="utf-8")))
    for a in annotated.units:
        assert a.cues == find_cues(a.unit.text, a.unit.start)
        alone = [(q.start, q.end, q.kind, q.low, q.high) for q in find_quantities(a.unit.text, a.unit.start)]
        assert [(q.start, q.end, q.kind, q.low, q.high) for q in a.quantities] == alone


def test_the_pipeline_is_a_list_of_named_stages() -> None:
    assert [stage.name for stage in PIPELINE] == ["annotate", "claims", "verdicts", "spam", "prices"]
    assert STAGES == ("claims", "verdicts", "spam", "prices") == SKIPPABLE_STAGES  # the CLI's --skip choices
    quick = Checker(skip=frozenset({"verdicts", "spam"}))
    assert [stage.name for stage in quick.stages] == ["annotate", "claims", "prices"]


def _count_calls(monkeypatch: pytest.MonkeyPatch, function: Callable[..., Any]) -> list[int]:
    """Count the calls of ``function`` through every claimcheck module that imported it."""
    calls = [0]

    @functools.wraps(function)
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return function(*args, **kwargs)

    for name, module in list(sys.modules.items()):
        if name.startswith("claimcheck"):
            for attribute, value in list(vars(module).items()):
                if value is function:
                    monkeypatch.setattr(module, attribute, counted)
    return calls


def test_each_fact_is_found_once_per_page(checker: Checker, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sentences, prices, cue phrases and targets are found once per page; later stages read them.

    ``segment`` is the sentence splitter of the pipeline (spaCy's sentencizer); spam and
    prices read its units. ``name_targets`` reads each unit and the page once (through
    ``find_targets`` for the page), and the verdict stage reads what it found for each claim.
    """
    checker.check(str(PAGE))  # warm up (the Checker checks a page of its own once)
    detect.is_price_listing.cache_clear()
    counts = {
        "segment": _count_calls(monkeypatch, segment.segment),
        "find_prices": _count_calls(monkeypatch, prices.find_prices),
        "unit_cues": _count_calls(monkeypatch, lexicon.unit_cues),
        "find_cues": _count_calls(monkeypatch, lexicon.find_cues),
        "name_targets": _count_calls(monkeypatch, vocabulary.name_targets),
    }
    report = checker.check(str(PAGE))
    found = {name: calls[0] for name, calls in counts.items()}
    units = len(segment.segment(Document(str(PAGE), report.text)))
    assert report.error is None and report.claims and report.prices
    assert any(claim.verdict != "unverified" for claim in report.claims)
    assert found == {
        "segment": 1,
        "find_prices": 1,
        "unit_cues": 1,
        "find_cues": 0,
        "name_targets": units + 1,
    }
