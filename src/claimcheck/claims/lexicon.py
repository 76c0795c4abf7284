"""Cue phrases (``data/lexicon.yaml``) matched with spaCy's PhraseMatcher.

The lexicon is language-level: kind cues, hedges, absolute language, attribution and
calls to action. The claim classifier uses the counts as features; the verdict rules
use the absolute-language and hedge matches. Its ``causal_strength`` section is no
cue: :func:`causal_strength` reads it on each claim's text (how strongly, not whether,
a claim is made). The names of treatments are not in it: the
``treatment`` category gains the intervention names of every domain of the evidence base
(``evidence/<domain>/domain.yaml``, found as :func:`evidence.find_evidence_dir` finds it),
so a new domain's names are treatment cues without a change here.

The annotation stage (:mod:`claimcheck.annotate`) matches every unit of a page in one
call to :func:`unit_cues`; claims carry their matches, so nothing later matches again.
Offsets are offsets into the document, like every other span.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import cache, lru_cache
from importlib import resources
from itertools import accumulate

import yaml
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..evidence.base import find_evidence_dir, treatment_names
from ..records import CausalStrength, CueMatch, Unit
from ..signals.substances import substances
from ..text.literals import Literals, fold, folded_finditer, may_match, required_literals
from ..text.segment import sentencizer, tokenizer_safe

__all__ = ["CueMatch", "causal_strength", "cue_counts", "cue_patterns", "find_cues", "lexicon", "unit_cues"]


@cache
def _raw_lexicon() -> dict[str, object]:
    data = yaml.safe_load(resources.files("claimcheck").joinpath("data/lexicon.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


CLAUSE_BREAK = re.compile(r"[;:!?](?=\s|$)|,\s+(?:so|and|but|because|yet)\b|\s[–—]\s", re.I)
"""What ends a clause, and with it the reach of a hedge. A relative clause does not: in "regrowing synapses
helps the brain change, which may help it shift out of depression" the hedge qualifies what it follows. Nor
does a full stop inside one unit, which is an abbreviation's ("Dr. Lee says it may help")."""


def clause_around(text: str, at: int) -> tuple[int, int]:
    """The bounds of the clause that holds offset ``at``: from the last :data:`CLAUSE_BREAK` before it to
    the next one after it."""
    start = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, at)), default=0)
    end = next((m.start() for m in CLAUSE_BREAK.finditer(text, at)), len(text))
    return start, end


PEOPLE_NOUNS = frozenset(
    {"patients", "people", "those", "clients", "individuals", "adults", "veterans", "anyone"}
)
"""Words for the people a treatment is for: a relative clause about them describes who is treated."""


def about_the_treated(text: str, start: int, at: int, cues: Sequence[CueMatch], words_between: int) -> bool:
    """Whether offset ``at`` stands in a relative clause about a condition or the people who have it.

    ``text`` starts at offset ``start``; the clause's pronoun comes at most ``words_between``
    words before ``at``. "The anxiety that often comes with depression", "depression that two
    antidepressants have failed to shift" and "patients who did not improve" describe who is
    treated: a hedge or a negation there does not qualify what the claim says of the treatment.
    """
    clause = re.search(
        rf"(\w[\w-]*)\s+(?:that|which|who|whose)\s+(?:[\w-]+\s+){{0,{words_between}}}$",
        text[: at - start],
        re.I,
    )
    if clause is None:
        return False
    word_end = start + clause.end(1)
    return clause.group(1).lower() in PEOPLE_NOUNS or any(
        c.category == "kind:indication" and c.end == word_end for c in cues
    )


LEANING = re.compile(r"\s*(?:it|this|these|they|that|its|their)\b", re.I)
"""A sentence that opens with a pronoun leans on the unit before it for what it is about."""
COMPARISON_FOIL = re.compile(
    r"\b(?:unlike|compared (?:to|with)|in contrast to|as opposed to|rather than|instead of|than)\b[^,.;:]*",
    re.I,
)
"""What a claim is compared with ("Unlike ketamine, ...", "... safer than ketamine"): not what it is about."""


def causal_strength(text: str) -> CausalStrength:
    """How strongly ``text`` states a relationship (see ``records.CausalStrength``).

    An association wins over the verbs around it ("associated with reduced pain" states
    no cause); a modal makes a cause conditional ("may reduce pain").
    """
    stated = {family for family, pattern in _strength_patterns().items() if pattern.search(text)}
    if "correlation" in stated:
        return "correlational"
    if "causal" not in stated:
        return "none"
    return "conditional" if "modal" in stated else "direct"


@cache
def _strength_patterns() -> dict[str, re.Pattern[str]]:
    """The lexicon's ``causal_strength`` families, each one case-insensitive expression."""
    families = _raw_lexicon()["causal_strength"]
    assert isinstance(families, dict)
    return {
        family: re.compile("|".join(f"(?:{e})" for e in expressions), re.I)
        for family, expressions in families.items()
    }


Treatments = tuple[str, ...] | None
"""The intervention names the ``treatment`` cue knows: an evidence base's (``EvidenceBase.intervention_names``),
or None for those of the default evidence folder (:func:`evidence.find_evidence_dir`)."""


def lexicon(treatments: Treatments = None) -> dict[str, list[str]]:
    """Categories to phrases; kind cues appear as ``kind:<name>``."""
    return _lexicon(_treatment_names(treatments))


@cache
def generic_treatment_words() -> frozenset[str]:
    """The lexicon's own words for a treatment ("infusion", "therapy"), without any domain's names."""
    return frozenset(phrase.lower() for phrase in lexicon(())["treatment"])


def _treatment_names(treatments: Treatments) -> tuple[str, ...]:
    return _default_treatment_names() if treatments is None else treatments


@cache
def _default_treatment_names() -> tuple[str, ...]:
    return treatment_names(find_evidence_dir())


@lru_cache(maxsize=8)
def _lexicon(treatments: tuple[str, ...]) -> dict[str, list[str]]:
    raw = dict(_raw_lexicon())
    raw.pop("patterns", None)
    raw.pop("causal_strength", None)
    kinds = raw.pop("kinds")
    assert isinstance(kinds, dict)
    categories = {f"kind:{kind}": phrases for kind, phrases in kinds.items()}
    categories.update(raw)
    return _with_treatments(
        {name: [str(phrase) for phrase in phrases] for name, phrases in categories.items()}, treatments
    )


def _with_treatments(categories: dict[str, list[str]], names: tuple[str, ...]) -> dict[str, list[str]]:
    """Domain names join ``treatment``; the drugs of the substance list join ``other_treatments``
    (a claim about semaglutide is not one about the page's ketamine); a name a domain covers
    leaves ``other_treatments``."""
    covered = {name.lower() for name in names}
    categories["treatment"] = list(dict.fromkeys([*categories["treatment"], *names]))
    others = [*categories["other_treatments"], *substances().names]
    categories["other_treatments"] = list(dict.fromkeys(p for p in others if p.lower() not in covered))
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


PrefilteredPattern = tuple[str, re.Pattern[str], Literals]
"""A cue pattern's category and expression, with the literals every match of it contains."""


@cache
def _prefiltered_patterns() -> tuple[PrefilteredPattern, ...]:
    return tuple((category, pattern, required_literals(pattern)) for category, pattern in cue_patterns())


def _patterns_for(folded: str) -> tuple[PrefilteredPattern, ...]:
    """The cue patterns that may match somewhere in ``folded`` (a page's ``fold``-ed units, say)."""
    return tuple(p for p in _prefiltered_patterns() if may_match(p[2], folded))


@lru_cache(maxsize=8)
def _matcher(treatments: tuple[str, ...]) -> PhraseMatcher:
    nlp = sentencizer()
    matcher = PhraseMatcher(nlp.vocab, attr="NORM")
    for category, phrases in _lexicon(treatments).items():
        matcher.add(category, [nlp.make_doc(phrase) for phrase in phrases])
    return matcher


def find_cues(text: str, offset: int = 0, treatments: Treatments = None) -> tuple[CueMatch, ...]:
    """Every cue phrase in ``text`` with its category, in text order; offsets are shifted by ``offset``."""
    folded = fold(text)
    matcher = _matcher(_treatment_names(treatments))
    doc = sentencizer().make_doc(tokenizer_safe(text))
    return _cues(matcher, doc, text, offset, folded, _patterns_for(folded))


def unit_cues(units: Sequence[Unit], treatments: Treatments = None) -> tuple[tuple[CueMatch, ...], ...]:
    """The cue phrases of each unit, with offsets into the document: one pass of the matcher over a page.

    Each unit is matched on its own, as :func:`find_cues` matches a text, so that no phrase
    runs from one unit into the next. A cue pattern runs only on the units that hold one
    of its required literals (:mod:`claimcheck.text.literals`), and not at all on a page
    that holds none.
    """
    nlp = sentencizer()
    matcher = _matcher(_treatment_names(treatments))
    folded = [fold(unit.text) for unit in units]
    return tuple(
        _cues(matcher, nlp.make_doc(tokenizer_safe(unit.text)), unit.text, unit.start, unit_folded, patterns)
        for unit, unit_folded, patterns in zip(units, folded, _patterns_by_unit(folded), strict=True)
    )


def _patterns_by_unit(folded: Sequence[str]) -> list[list[PrefilteredPattern]]:
    """For each of a page's units (``fold``-ed), the cue patterns that may match in it, in lexicon order.

    Each pattern's literals are looked for once in the whole page, and each place found
    is traced to its unit, rather than every unit being searched for every literal.
    """
    page = "\n".join(folded)
    unit_starts = list(accumulate((len(text) + 1 for text in folded[:-1]), initial=0))
    holding: list[list[PrefilteredPattern]] = [[] for _ in folded]
    for pattern in _prefiltered_patterns():
        literals = pattern[2]
        if literals is None:
            places: Iterable[int] = range(len(folded))
        else:
            found = (at for literal in literals for at in _places(page, literal))
            places = sorted({bisect_right(unit_starts, at) - 1 for at in found})
        for place in places:
            holding[place].append(pattern)
    return holding


def _places(text: str, literal: str) -> Iterator[int]:
    """Where ``literal`` starts in ``text``, overlapping places included."""
    at = text.find(literal)
    while at != -1:
        yield at
        at = text.find(literal, at + 1)


def _cues(
    matcher: PhraseMatcher,
    doc: Doc,
    text: str,
    offset: int,
    folded: str,
    patterns: Sequence[PrefilteredPattern],
) -> tuple[CueMatch, ...]:
    """The phrase matches in ``doc`` (``text`` tokenized) and the pattern matches in ``text``.

    ``folded`` is ``text`` ``fold``-ed; of ``patterns``, only those whose literals it holds run.
    """
    strings = sentencizer().vocab.strings
    matches = []
    for match_id, start, end in matcher(doc):
        start_char, end_char = _char_span(doc, start, end)
        matches.append(
            CueMatch(strings[match_id], offset + start_char, offset + end_char, text[start_char:end_char])
        )
    for category, pattern, literals in patterns:
        if may_match(literals, folded):
            matches += [
                CueMatch(category, offset + m.start(), offset + m.end(), m.group())
                for m in folded_finditer(pattern, text, folded)
            ]
    unique = {(m.category, m.start, m.end): m for m in matches}
    return tuple(sorted(unique.values(), key=lambda m: (m.start, m.category, m.end)))


def _char_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Where tokens ``start:end`` of ``doc`` begin and end in its text: ``doc[start:end]``'s
    ``start_char`` and ``end_char``, read from the two end tokens without building the span."""
    last = doc[end - 1]
    return doc[start].idx, last.idx + len(last)


def cue_counts(cues: tuple[CueMatch, ...]) -> Counter[str]:
    return Counter(cue.category for cue in cues)
