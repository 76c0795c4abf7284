"""Cue phrases: the character offsets of phrase matches, and what the language layer reads from them."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from claimcheck.claims.detect import claim_at
from claimcheck.claims.lexicon import (
    _char_span,
    _default_treatment_names,
    _matcher,
    causal_strength,
    find_cues,
)
from claimcheck.evidence.base import duplicate_keys
from claimcheck.text.segment import sentencizer, tokenizer_safe


def test_char_span_is_the_span_of_the_tokens() -> None:
    corpora = Path(__file__).parent.parent / "corpora"
    texts = [p.read_text(encoding="utf-8")[:20_000] for p in sorted(corpora.glob("*.txt"))[:6]]
    matched = 0
    for text in [*texts, "It’s  FDA-approved,\tand 100% safe!"]:
        doc = sentencizer().make_doc(tokenizer_safe(text))
        for _, start, end in _matcher(_default_treatment_names())(doc):
            span = doc[start:end]
            assert _char_span(doc, start, end) == (span.start_char, span.end_char)
            matched += 1
        for start in range(0, len(doc), 7):
            for end in range(start + 1, min(len(doc), start + 4) + 1):
                assert _char_span(doc, start, end) == (doc[start:end].start_char, doc[start:end].end_char)
    assert matched


@pytest.mark.parametrize(
    ("text", "strength"),
    [
        ("Ketamine infusions reduce suicidal thoughts.", "direct"),
        ("NAD+ drips may boost energy in older adults.", "conditional"),
        ("Low vitamin D is associated with worse mood.", "correlational"),
        ("Smokers were more likely to relapse.", "correlational"),
        ("Higher doses were linked to faster relief.", "correlational"),
        ("The clinic is open on Saturdays.", "none"),
    ],
)
def test_causal_strength_reads_how_strongly_a_relationship_is_stated(text: str, strength: str) -> None:
    assert causal_strength(text) == strength


def test_a_claim_carries_its_causal_strength() -> None:
    assert claim_at("Esketamine may lower relapse rates.", 0, ("efficacy",)).strength == "conditional"


def test_the_lexicon_repeats_no_key() -> None:
    """YAML keeps the last of two equal keys without a word: a second pattern family of one name would replace the first."""
    source = resources.files("claimcheck").joinpath("data/lexicon.yaml").read_text("utf-8")
    assert duplicate_keys(yaml.compose(source, Loader=yaml.SafeLoader)) == []


@pytest.mark.parametrize(
    ("text", "lasting"),
    [
        ("Our clients enjoy lasting effects after a single drip.", True),
        ("Some clients get longer-lasting effects with later sessions.", False),
        ("Long-term effects of the peptide are unknown.", False),
    ],
)
def test_lasting_benefit_is_a_promise_not_a_comparison(text: str, lasting: bool) -> None:
    assert ("lasting" in {cue.category for cue in find_cues(text)}) is lasting


def test_a_condition_kept_away_is_a_benefit_and_a_room_felt_far_away_is_not() -> None:
    def efficacy(text: str) -> list[str]:
        return [c.text for c in find_cues(text) if c.category == "kind:efficacy"]

    assert efficacy("Monthly drips keep colds, flu and COVID away.") == ["keep colds, flu and COVID away"]
    assert efficacy("The room felt far away.") == []


def test_symptoms_coming_back_limit_a_story_and_a_person_coming_back_changed_does_not() -> None:
    def limits(text: str) -> list[str]:
        return [c.text for c in find_cues(text) if c.category == "limited_result"]

    assert limits("A month on, the fog started creeping back.") == ["fog started creeping back"]
    assert limits("My mood barely moved.") == ["barely moved"]
    assert limits("I came back from the retreat a different person.") == []
    assert limits("My stress test came back normal.") == []
