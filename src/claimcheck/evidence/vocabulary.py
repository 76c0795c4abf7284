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
from functools import cache

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
    lowered = text.lower()
    if not _any_name(base.term_names).search(lowered):  # most units name nothing: one scan tells
        return ()
    found: list[tuple[int, Targets]] = []
    for domain in base.treatment_domains.values():
        if within is not None and domain.domain not in within:
            continue
        interventions = _named_terms(lowered, domain.interventions, domain.domain)
        if treatments_only and not interventions:
            continue
        conditions = _named_terms(lowered, domain.conditions, domain.domain)
        if interventions or conditions:
            mentions = sum(interventions.values())
            found.append((mentions, Targets(domain.domain, frozenset(interventions), frozenset(conditions))))
    found.sort(key=lambda pair: -pair[0])
    return tuple(targets for _, targets in found)


def find_targets(text: str, base: EvidenceBase) -> list[Targets]:
    """One Targets per domain whose interventions the text names, most-mentioned domain first."""
    return list(name_targets(text, base, treatments_only=True))


def treated(named: tuple[Targets, ...]) -> list[Targets]:
    """The targets that name an intervention (``name_targets`` puts them first)."""
    return [targets for targets in named if targets.interventions]


def conditions_named(text: str, domain: Domain) -> frozenset[str]:
    return frozenset(_named_terms(text.lower(), domain.conditions, domain.domain))


def is_compatible(term: str | None, named: frozenset[str], domain: Domain) -> bool:
    """True when an entry's term is one the claim names, or broader or narrower than one."""
    if term is None or not named:
        return True
    return any(term in lineage(domain, n) or n in lineage(domain, term) for n in named)


def _named_terms(lowered: str, terms: Mapping[str, Term], domain: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    names = tuple(_names(terms))
    if not _any_term(domain, names).search(lowered):
        return counts
    for name, words, pattern in _term_patterns(domain, names):
        # A name can only match where its words occur: the substring test skips most expressions.
        if any(word in lowered for word in words):
            hits = len(pattern.findall(lowered))
            if hits:
                counts[name] += hits
    return counts


def _names(terms: Mapping[str, Term]) -> list[tuple[str, tuple[str, ...]]]:
    return [(name, term.names) for name, term in terms.items()]


@cache
def _term_patterns(
    domain: str, names: tuple[tuple[str, tuple[str, ...]], ...]
) -> list[tuple[str, tuple[str, ...], re.Pattern[str]]]:
    """Each term's name, its words in lower case and one expression for them."""
    patterns = []
    for name, words in names:
        lowered = tuple(w.lower() for w in sorted(words, key=len, reverse=True))
        alternatives = "|".join(map(re.escape, lowered))
        patterns.append((name, lowered, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")))
    return patterns


@cache
def _any_term(domain: str, names: tuple[tuple[str, tuple[str, ...]], ...]) -> re.Pattern[str]:
    """One expression for every name of every term: most texts name none, and one scan tells."""
    words = sorted({w.lower() for _, synonyms in names for w in synonyms}, key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, words))})(?![\w-])")


@cache
def _any_name(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, names))})(?![\w-])")


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
