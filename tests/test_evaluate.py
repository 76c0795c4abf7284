"""The evaluation harness: its matching rule, and the accuracy floors on the bundled corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claimcheck.evaluation.evaluate import (
    REAL_PAGE_WEIGHT,
    Counts,
    evaluate,
    load_corpus,
    spans_match,
    training_examples,
)
from claimcheck.pipeline import Checker

ROOT = Path(__file__).parent.parent
FLOORS = json.loads((Path(__file__).parent / "data" / "accuracy_floors.json").read_text())
REAL_FLOORS = json.loads((Path(__file__).parent / "data" / "accuracy_floors_real.json").read_text())
BLIND_FLOORS = json.loads((Path(__file__).parent / "data" / "accuracy_floors_blind.json").read_text())
REAL_DEV = ROOT.parent / "shared" / "datasets" / "clinic_pages_dev"


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        ((0, 100), (0, 100), True),
        ((0, 100), (0, 50), True),
        ((0, 100), (0, 49), False),
        ((0, 30), (0, 90), True),
        ((0, 29), (0, 90), False),
        ((0, 10), (20, 30), False),
    ],
)
def test_span_matching_rule(gold: tuple[int, int], predicted: tuple[int, int], expected: bool) -> None:
    assert spans_match(*gold, *predicted) is expected


def test_counts() -> None:
    counts = Counts(tp=8, fp=2, fn=8)
    assert (counts.precision, counts.recall) == (0.8, 0.5)
    assert counts.f1 == pytest.approx(2 * 0.8 * 0.5 / 1.3)
    assert Counts().f1 == 0.0


def lookup(result: dict[str, object], dotted: str) -> float:
    value: object = result
    for part in dotted.split("."):
        assert isinstance(value, dict)
        value = value[part]
    assert isinstance(value, float | int)
    return float(value)


def below_floors(result: dict[str, object], floors: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """The figures under their floors, with both numbers ("_comment" keys are notes, not floors)."""
    return {
        name: (lookup(result, name), float(floor))
        for name, floor in floors.items()
        if not name.startswith("_") and lookup(result, name) < float(floor)
    }


@pytest.mark.slow
def test_accuracy_floors_on_the_corpus(checker: Checker) -> None:
    result = evaluate(ROOT / "corpora", checker.settings, judge=checker.evidence_judge).as_dict()
    assert result["pages"] >= 25
    below = below_floors(result, FLOORS)
    assert not below, f"figures below their floors: {below}"


@pytest.mark.slow
def test_accuracy_floors_on_pages_written_by_others(checker: Checker) -> None:
    """corpora/blind/: the shipped model on pages it was never trained on."""
    result = evaluate(
        ROOT / "corpora" / "blind", checker.settings, judge=checker.evidence_judge, model=checker.models
    ).as_dict()
    assert result["pages"] >= 25
    below = below_floors(result, BLIND_FLOORS)
    assert not below, f"figures below their floors: {below}"


@pytest.mark.slow
@pytest.mark.shared_data
def test_accuracy_floors_on_real_pages(checker: Checker) -> None:
    """The real development set, cross-validated by page, each fold also learning from corpora/."""
    if not REAL_DEV.is_dir():
        pytest.skip(f"{REAL_DEV} is absent: it lives in ../shared beside the checkout (present in CI)")
    result = evaluate(
        REAL_DEV, checker.settings, judge=checker.evidence_judge, also_train_on=[ROOT / "corpora"]
    ).as_dict()
    assert result["pages"] >= 50
    below = below_floors(result, REAL_FLOORS)
    assert not below, f"figures below their floors: {below}"


def test_units_of_real_pages_weigh_more_in_training_than_our_corpus(tmp_path: Path) -> None:
    from test_gold import write_page_set

    gold = {
        "claims": [{"quote": "Infusions are extremely safe for everyone.", "kinds": ["safety"]}],
        "spam": False,
    }
    [real] = load_corpus(write_page_set(tmp_path / "set", gold))
    assert real.real and {e.weight for e in training_examples(real)} == {REAL_PAGE_WEIGHT}
    ours = load_corpus(Path(__file__).parents[1] / "corpora")[0]
    assert not ours.real and {e.weight for e in training_examples(ours)} == {1.0}
