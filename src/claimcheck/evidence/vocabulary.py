"""The evidence's vocabulary: which treatments and conditions a text names.

Each domain's ``domain.yaml`` lists the words for its interventions and conditions
(with broader terms: "esketamine" under "ketamine"). ``name_targets`` reads a text with
them; the annotation stage records the result for every unit and for the page, so the
verdict stage knows what each claim is about without reading the text again.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

from ..records import Targets
from .base import Domain, EvidenceBase, Term


def name_targets(
    text: str, base: EvidenceBase, within: Collection[str] | None = None, treatments_only: bool = False
) -> tuple[Targets, ...]:
    """One Targets per treatment domain the text names anything of.

    Domains whose interventions the text names come first, most-mentioned first; then
    the domains of which it names only conditions (none with ``treatments_only``).
    ``within`` limits the search to these domains (a unit names no treatment its page
    does not).
    """
    read = _read(text)
    index = _vocabulary_index(base)
    hits = read.words & index.first_words
    if not hits and not index.unbounded:  # many units name nothing: one look at their words tells
        return ()
    found: list[tuple[int, Targets]] = []
    for domain, intervention_terms, condition_terms in index.domains:
        if within is not None and domain not in within:
            continue
        interventions = intervention_terms.named_among(read, hits)
        if treatments_only and not interventions:
            continue
        conditions = condition_terms.named_among(read, hits)
        if interventions or conditions:
            mentions = sum(interventions.values())
            found.append((mentions, Targets(domain, frozenset(interventions), frozenset(conditions))))
    found.sort(key=lambda pair: -pair[0])
    return tuple(targets for _, targets in found)


def find_targets(text: str, base: EvidenceBase) -> list[Targets]:
    """One Targets per domain whose interventions the text names, most-mentioned domain first."""
    return list(name_targets(text, base, treatments_only=True))


def treated(named: tuple[Targets, ...]) -> list[Targets]:
    """The targets that name an intervention (``name_targets`` puts them first)."""
    return [targets for targets in named if targets.interventions]


def conditions_named(text: str, domain: Domain) -> frozenset[str]:
    return conditions_named_of(text, domain.conditions)


def interventions_named(text: str, domain: Domain) -> frozenset[str]:
    return conditions_named_of(text, domain.interventions)


def conditions_named_of(text: str, conditions: Mapping[str, Term]) -> frozenset[str]:
    """The conditions of these that the text names (each term is read on its own, so any subset of a
    domain's conditions is named exactly as in the whole)."""
    return frozenset(_named_terms(_lowered(text), conditions))


def is_compatible(term: str | None, named: frozenset[str], domain: Domain) -> bool:
    """True when an entry's term is one the claim names, or broader or narrower than one."""
    if term is None or not named:
        return True
    return any(term in lineage(domain, n) or n in lineage(domain, term) for n in named)


WORD = re.compile(r"[\w-]+")
r"""A run of the characters a name may not touch at either end (``(?<![\w-])``, ``(?![\w-])``).

A name found in a text therefore begins one such run of the text, and its first word is
that run whole: a text none of whose runs is a name's first word does not name it.
"""


@dataclass(frozen=True)
class _Read:
    """A text lower-cased, with its ``WORD`` runs: read once for every term."""

    lowered: str
    words: frozenset[str]
    _starts: dict[str, list[int]] = field(default_factory=dict, compare=False, repr=False)

    def starts(self, word: str) -> list[int]:
        """Where the runs that are ``word`` start, in text order (looked for once per word).

        Only the first words of the names the text may hold are asked for, so the text is
        searched for those few words rather than every run of it filed.
        """
        if word not in self.words:
            return []
        known = self._starts.get(word)
        if known is None:
            known = self._starts[word] = _run_starts(word, self.lowered)
        return known


def _run_starts(word: str, text: str) -> list[int]:
    """Where the runs (``WORD``) of ``text`` that are ``word`` (itself a run) start, whole.

    The expression begins with the word itself, so ``re`` jumps from one occurrence of it
    to the next instead of trying every position; an occurrence that ends a run but does
    not start one ("ketamine" in "esketamine") is dropped here. Such an occurrence never
    hides a run that is the word: both would share a character of the word, which the
    run cannot be preceded by.
    """
    return [
        start
        for start in (found.start() for found in _ending_run(word).finditer(text))
        if start == 0 or not _RUN_CHARACTER.match(text, start - 1)
    ]


_RUN_CHARACTER = re.compile(r"[\w-]")


@lru_cache(maxsize=4096)
def _ending_run(word: str) -> re.Pattern[str]:
    """An expression that finds ``word`` where it ends a run (``WORD``) of a text."""
    return re.compile(rf"{re.escape(word)}(?![\w-])")


APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
"""Typographic apostrophes, read as the ASCII one the vocabulary is written with ("Alzheimer’s")."""


def _lowered(text: str) -> str:
    """``text`` lower-cased with one apostrophe: the same length, so offsets hold."""
    return text.lower().translate(APOSTROPHES)


def _read(text: str) -> _Read:
    lowered = _lowered(text)
    return _Read(lowered, frozenset(WORD.findall(lowered)))


def _named_terms(lowered: str, terms: Mapping[str, Term]) -> Counter[str]:
    return _term_index(tuple(_names(terms))).named(_read(lowered))


def _names(terms: Mapping[str, Term]) -> list[tuple[str, tuple[str, ...]]]:
    return [(name, term.names) for name, term in terms.items()]


@dataclass(frozen=True, eq=False)
class _Term:
    """A term: its id and one expression for all its names (lower-cased, longest first).

    Terms compare and hash by identity: an index builds each once, and a term filed under
    several first words is one object, so identity tells terms apart as their values would,
    without hashing every field (the compiled expression's whole program among them) at each
    look-up.
    """

    name: str
    pattern: re.Pattern[str]
    first_words: tuple[str, ...] | None
    """The first word of each name: a match can only begin where a run of the text is one of
    these. None when a name starts with no word (then the expression reads the whole text)."""

    def count(self, text: _Read) -> int:
        """How many times the text names the term: ``len(pattern.findall(text.lowered))``.

        The expression is tried only where ``findall`` could find it, at the runs that are
        first words of the names, in text order and past the end of the last match.
        """
        if self.first_words is None:
            return len(self.pattern.findall(text.lowered))
        candidates = sorted(start for word in self.first_words for start in text.starts(word))
        count, end = 0, 0
        for start in candidates:
            if start < end:
                continue
            match = self.pattern.match(text.lowered, start)
            if match:
                count, end = count + 1, match.end()
        return count


@dataclass(frozen=True)
class _TermIndex:
    """Terms filed under the first word of each of their names."""

    by_first_word: dict[str, tuple[_Term, ...]]
    anywhere: tuple[_Term, ...] = ()
    """Terms with a name that starts with no word at all (tried on every text)."""
    first_words: frozenset[str] = frozenset()
    """The keys of ``by_first_word``, as a set: a small set of words is tested against it fast."""

    def named_among(self, text: _Read, hits: frozenset[str]) -> Counter[str]:
        """``named(text)``, knowing ``hits``: the text's words that are the first word of some name.

        A text none of whose hits starts a name of these terms names none of them (unless a
        name starts with no word): that one look spares reading the text for every term index.
        """
        if not self.anywhere and self.first_words.isdisjoint(hits):
            return Counter()
        return self.named(text)

    def named(self, text: _Read) -> Counter[str]:
        """How often the text names each term it names."""
        candidates = dict.fromkeys(self.anywhere)
        for word in text.words & self.by_first_word.keys():
            candidates.update(dict.fromkeys(self.by_first_word[word]))
        counts: Counter[str] = Counter()
        for term in candidates:
            hits = term.count(text)
            if hits:
                counts[term.name] += hits
        return counts


@cache
def _term_index(names: tuple[tuple[str, tuple[str, ...]], ...]) -> _TermIndex:
    """Each term with one expression for its names, filed by the first word of each name."""
    by_first_word: dict[str, list[_Term]] = {}
    anywhere: list[_Term] = []
    for name, synonyms in names:
        words = tuple(dict.fromkeys(_lowered(w) for w in sorted(synonyms, key=len, reverse=True)))
        alternatives = "|".join(map(re.escape, words))
        pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
        firsts = [WORD.match(word) for word in words]
        first_words = tuple(dict.fromkeys(first.group() for first in firsts if first))
        if not all(firsts):
            anywhere.append(_Term(name, pattern, None))
            continue
        term = _Term(name, pattern, first_words)
        for word in first_words:
            by_first_word.setdefault(word, []).append(term)
    return _TermIndex(
        {word: tuple(terms) for word, terms in by_first_word.items()},
        tuple(anywhere),
        frozenset(by_first_word),
    )


@dataclass(frozen=True)
class _VocabularyIndex:
    """An evidence base's treatment domains, each with the index of its interventions and of its conditions."""

    domains: tuple[tuple[str, _TermIndex, _TermIndex], ...]
    first_words: frozenset[str]
    """The first word of every name of every term."""
    unbounded: bool
    """Whether some name starts with no word (then any text may name something)."""


_VOCABULARY_INDEXES: dict[int, tuple[EvidenceBase, _VocabularyIndex]] = {}


def _vocabulary_index(base: EvidenceBase) -> _VocabularyIndex:
    """The index of ``base``'s vocabulary, built once per evidence base (a loaded base never changes).

    Kept by the base's identity (it holds dictionaries, so it cannot be hashed); the entry
    holds the base itself, so the identity stays its own.
    """
    known = _VOCABULARY_INDEXES.get(id(base))
    if known is not None and known[0] is base:
        return known[1]
    domains = tuple(
        (name, _term_index(tuple(_names(d.interventions))), _term_index(tuple(_names(d.conditions))))
        for name, d in base.treatment_domains.items()
    )
    indexes = [terms for _, interventions, conditions in domains for terms in (interventions, conditions)]
    first_words = frozenset(word for terms in indexes for word in terms.by_first_word)
    index = _VocabularyIndex(domains, first_words, unbounded=any(terms.anywhere for terms in indexes))
    _VOCABULARY_INDEXES[id(base)] = (base, index)
    return index


def lineage(domain: Domain, term: str) -> set[str]:
    """The term and every broader term above it."""
    vocabulary = {**domain.interventions, **domain.conditions}
    found: set[str] = set()
    current: str | None = term
    while current is not None and current not in found:
        found.add(current)
        parent = vocabulary.get(current)
        current = parent.broader if parent is not None else None
    return found
