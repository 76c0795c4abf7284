"""The evidence's vocabulary: the index finds exactly what each term's expression finds in the whole text."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from claimcheck.evidence.base import EvidenceBase, load_evidence
from claimcheck.evidence.vocabulary import _lowered, _names, _read, _term_index, name_targets
from claimcheck.records import Document
from claimcheck.text.segment import segment

ROOT = Path(__file__).parent.parent
TEXTS = [
    "IV ketamine infusions for PTSD, ketamine-assisted therapy and ketamine ketamine ketamine.",
    "Ketamine; KETAMINE: post-traumatic stress disorder (PTSD) and treatment-resistant depression.",
    "Our stem cell injections restore joints; TMS is cleared for depression, deep TMS for OCD.",
    "non-ketamine ketamines xketamine ketamine- -ketamine ketamine_ ketamine.",
    "Nothing here names a treatment.",
    "",
]


@pytest.fixture(scope="module")
def base() -> EvidenceBase:
    return load_evidence(ROOT / "evidence")


def _texts() -> list[str]:
    page = (ROOT / "corpora" / "w07_run_on_clinic.txt").read_text(encoding="utf-8")
    return TEXTS + [unit.text for unit in segment(Document("t", page))]


def test_term_counts_equal_each_expression_run_over_the_whole_text(base: EvidenceBase) -> None:
    for domain in base.treatment_domains.values():
        for terms in (domain.interventions, domain.conditions):
            index = _term_index(tuple(_names(terms)))
            every_term = {term for filed in index.by_first_word.values() for term in filed}
            assert {term.name for term in every_term} == set(terms)
            for text in _texts():
                lowered = _lowered(text)
                expected = Counter({term.name: len(term.pattern.findall(lowered)) for term in every_term})
                assert index.named(_read(text)) == +expected, text


def test_a_name_that_starts_with_no_word_is_looked_for_everywhere() -> None:
    index = _term_index((("plus", ("+plus",)), ("dose", ("dose", "low dose"))))
    (plus,) = index.anywhere
    assert plus.first_words is None
    assert index.named(_read("A +plus and a low dose, a dose.")) == Counter({"plus": 1, "dose": 2})


def test_name_targets_of_text_naming_nothing(base: EvidenceBase) -> None:
    assert name_targets("Nothing here names a treatment.", base) == ()
    assert name_targets("ketamine", base, within=()) == ()
    first, *others = name_targets("ketamine for depression", base)
    assert first.domain == "ketamine" and first.interventions == {"ketamine"}
    assert "depression" in first.conditions
    assert others and all(not targets.interventions for targets in others)


def test_words_are_runs_of_word_characters_and_hyphens() -> None:
    assert _read("Post-traumatic (PTSD), x_y.").words == {"post-traumatic", "ptsd", "x_y"}
    assert re.fullmatch(r"[\w-]+", "treatment-resistant")


def test_a_typographic_apostrophe_names_what_the_ascii_one_does(base: EvidenceBase) -> None:
    ascii_named = name_targets("Hyperbaric oxygen for Alzheimer's disease", base)
    assert ascii_named and name_targets("Hyperbaric oxygen for Alzheimer’s disease", base) == ascii_named
    assert _lowered("Wharton’s Jelly") == "wharton's jelly"
