"""Cue phrases (``data/lexicon.yaml``) matched with spaCy's PhraseMatcher.

The lexicon is language-level: kind cues, hedges, absolute language, attribution and
calls to action. The claim classifier uses the counts as features; the verdict rules
use the absolute-language and hedge matches. The names of treatments are not in it: the
``treatment`` category gains the intervention names of every domain of the evidence base
(``evidence/<domain>/domain.yaml``, found as :func:`evidence.find_evidence_dir` finds it),
so a new domain's names are treatment cues without a change here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from spacy.matcher import PhraseMatcher

from ..evidence.base import find_evidence_dir, treatment_names
from ..text.segment import sentencizer, tokenizer_safe


@dataclass(frozen=True)
class CueMatch:
    """One cue phrase found in a text: its category and character offsets."""

    category: str
    start: int
    end: int
    text: str


@cache
def _raw_lexicon() -> dict[str, object]:
    data = yaml.safe_load(resources.files("claimcheck").joinpath("data/lexicon.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


@cache
def lexicon() -> dict[str, list[str]]:
    """Categories to phrases; kind cues appear as ``kind:<name>``."""
    raw = dict(_raw_lexicon())
    raw.pop("patterns", None)
    kinds = raw.pop("kinds")
    assert isinstance(kinds, dict)
    categories = {f"kind:{kind}": phrases for kind, phrases in kinds.items()}
    categories.update(raw)
    return _with_treatments(
        {name: [str(phrase) for phrase in phrases] for name, phrases in categories.items()},
        treatment_names(find_evidence_dir()),
    )


def _with_treatments(categories: dict[str, list[str]], names: tuple[str, ...]) -> dict[str, list[str]]:
    """Domain names join ``treatment``; a name a domain now covers leaves ``other_treatments``."""
    covered = {name.lower() for name in names}
    categories["treatment"] = list(dict.fromkeys([*categories["treatment"], *names]))
    categories["other_treatments"] = [p for p in categories["other_treatments"] if p.lower() not in covered]
    return categories


@cache
def cue_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The lexicon's ``patterns``: (category, compiled expression) for phrasing that is a family."""
    patterns = _raw_lexicon().get("patterns") or {}
    assert isinstance(patterns, dict)
    return tuple(
        (category, re.compile(expression, re.I))
        for category, expressions in patterns.items()
        for expression in expressions
    )


@cache
def _matcher() -> PhraseMatcher:
    nlp = sentencizer()
    matcher = PhraseMatcher(nlp.vocab, attr="NORM")
    for category, phrases in lexicon().items():
        matcher.add(category, [nlp.make_doc(phrase) for phrase in phrases])
    return matcher


def find_cues(text: str) -> tuple[CueMatch, ...]:
    """Every cue phrase in ``text`` with its category, in text order."""
    nlp = sentencizer()
    doc = nlp.make_doc(tokenizer_safe(text))
    matches = []
    for match_id, start, end in _matcher()(doc):
        span = doc[start:end]
        category = nlp.vocab.strings[match_id]
        matches.append(
            CueMatch(category, span.start_char, span.end_char, text[span.start_char : span.end_char])
        )
    for category, pattern in cue_patterns():
        matches += [CueMatch(category, m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
    unique = {(m.category, m.start, m.end): m for m in matches}
    return tuple(sorted(unique.values(), key=lambda m: (m.start, m.category, m.end)))


def cue_counts(cues: tuple[CueMatch, ...]) -> Counter[str]:
    return Counter(cue.category for cue in cues)
