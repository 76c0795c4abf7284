"""The evidence's vocabulary: the index finds exactly what each term's expression finds in the whole text."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from claimcheck.evidence.base import EvidenceBase, load_evidence
from claimcheck.evidence.vocabulary import (
    WORD,
    _lowered,
    _names,
    _read,
    _term_index,
    _vocabulary_index,
    conditions_named,
    conditions_named_of,
    name_targets,
)
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


def test_named_among_equals_named_for_every_term_index(base: EvidenceBase) -> None:
    index = _vocabulary_index(base)
    for text in _texts():
        read = _read(text)
        hits = read.words & index.first_words
        for _, interventions, conditions in index.domains:
            for terms in (interventions, conditions):
                assert terms.first_words == frozenset(terms.by_first_word)
                assert terms.named_among(read, hits) == terms.named(read), text


def test_name_targets_of_every_unit_equal_the_expressions_run_over_it(base: EvidenceBase) -> None:
    """What the prefilters skip names nothing: each domain's terms counted by their whole expressions."""
    for text in _texts():
        lowered = _lowered(text)
        expected = []
        for name, domain in base.treatment_domains.items():
            named = []
            for terms in (domain.interventions, domain.conditions):
                index = _term_index(tuple(_names(terms)))
                every = {term for filed in index.by_first_word.values() for term in filed} | set(
                    index.anywhere
                )
                named.append({term.name for term in every if term.pattern.search(lowered)})
            if named[0] or named[1]:
                expected.append((name, named[0], named[1]))
        found = [(t.domain, set(t.interventions), set(t.conditions)) for t in name_targets(text, base)]
        assert sorted(found, key=str) == sorted(expected, key=str), text


def test_conditions_named_of_a_subset_are_the_subset_of_those_named(base: EvidenceBase) -> None:
    for domain in base.treatment_domains.values():
        some = dict(list(domain.conditions.items())[::2])
        for text in _texts():
            assert conditions_named_of(text, some) == conditions_named(text, domain) & set(some), text


def test_starts_are_where_the_runs_that_are_the_word_start() -> None:
    texts = [
        "ketamine-ketamine ketamine ketamines -ketamine ketamine_x ketamine.",
        "esketamine ketamine xketamine",
    ]
    for text in [*_texts(), *texts]:
        read = _read(text)
        runs: dict[str, list[int]] = {}
        for run in WORD.finditer(read.lowered):
            runs.setdefault(run.group(), []).append(run.start())
        for word in [*runs, "ketamine", "absent-word"]:
            assert read.starts(word) == runs.get(word, []), (text, word)
