"""Gold loading: the project's corpus layout and the real-page set layout of ../shared/datasets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimcheck.errors import GoldError
from claimcheck.evaluation.gold import is_page_set, page_set_items

TEXT = "Our clinic offers infusions. Infusions are extremely safe for everyone. Each costs $450. Infusions are extremely safe for everyone."


def write_page_set(root: Path, gold: dict[str, object]) -> Path:
    (root / "pages").mkdir(parents=True)
    (root / "gold").mkdir()
    page = {"url": "https://clinic.example/a", "category": "ketamine_clinic", "text": TEXT}
    (root / "pages" / "01.json").write_text(json.dumps(page))
    (root / "gold" / "01.json").write_text(json.dumps(gold))
    return root


def test_page_set_gold_resolves_quotes_reasons_and_spam(tmp_path: Path) -> None:
    quote = "Infusions are extremely safe for everyone."
    gold = {
        "claims": [
            {
                "quote": quote,
                "kinds": ["safety"],
                "overstated": True,
                "reasons": ["absolute or superlative language"],
            },
            {"quote": quote, "kinds": ["safety"], "overstated": True, "reasons": ["number beyond evidence"]},
            {"quote": "Our clinic offers infusions.", "kinds": ["cost"], "overstated": False, "reasons": []},
        ],
        "spam": False,
        "prices": [{"quote": "$450", "amount": 450.0, "currency": "USD", "offer": False, "illicit": False}],
    }
    folder = write_page_set(tmp_path / "set", gold)
    assert is_page_set(folder)
    [(path, document, page)] = page_set_items(folder)
    assert path.name == "01.json" and document.source == "https://clinic.example/a"
    first, second, plain = page.claims
    assert TEXT[first.start : first.end] == quote and second.start > first.start
    assert first.reasons == ("absolute_language",) and first.verdict == "overstated"
    assert plain.verdict is None and not page.verdicts_labelled
    assert page.spam_label == "ok" and page.genre == "ketamine_clinic"
    assert page.prices[0].amount == 450.0


def test_page_set_gold_with_an_unknown_reason_names_the_file(tmp_path: Path) -> None:
    gold = {
        "claims": [
            {"quote": "Our clinic offers infusions.", "kinds": [], "overstated": True, "reasons": ["vibes"]}
        ]
    }
    folder = write_page_set(tmp_path / "set", gold)
    with pytest.raises(GoldError, match=r"01\.json: unknown reason 'vibes'"):
        page_set_items(folder)


def test_corpus_folder_is_not_a_page_set() -> None:
    assert not is_page_set(Path(__file__).parent.parent / "corpora")
