"""Literal prefilters: the strings without which a regular expression cannot match.

Running some fifty cue expressions over every unit of a page costs more than any single
match: most units contain nothing any of them could match. ``required_literals`` reads
an expression's syntax tree once and finds a set of strings at least one of which every
match contains (``\\b(?:is|are)\\s+safe\\b`` needs ``"safe"``); a text that contains none
of them cannot match, so the expression need not run on it. The test is conservative:
where the tree gives no such set (a match could be digits alone, say) there is no
prefilter, and the expression always runs. Results never change, only the work.

Literals are compared in ``fold``-ed form, so that a case-insensitive expression's
``"safe"`` is found in "SAFE" and in every other spelling the ``re`` module would match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

Literals = frozenset[str] | None
"""Strings one of which every match contains (``fold``-ed); None when every text may match."""

CASE_TWINS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
"""The only characters beyond ASCII that a case-insensitive ``re`` literal of ASCII matches
("İ" and "ı" match "i", "ſ" matches "s", the Kelvin sign matches "k"): ``str.lower`` alone
does not turn them into the ASCII letter (a test scans every code point)."""

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}


def fold(text: str) -> str:
    """``text`` in the form literals are looked for in: lower case, case twins made ASCII.

    Every run of characters that a case-insensitive ASCII literal matches becomes that
    literal in lower case, at the same place, so ``literal in fold(text)`` holds wherever
    the literal could match.
    """
    return text.translate(CASE_TWINS).lower()


def required_literals(pattern: re.Pattern[str]) -> Literals:
    """A set of strings at least one of which (``fold``-ed) every match of ``pattern`` contains.

    None when no such set is known. Only ASCII literals count, compared without case
    (so the answer holds whether or not the pattern ignores case).
    """
    return _sequence(sre_parse.parse(pattern.pattern, pattern.flags))


def literals_of(pattern: re.Pattern[str]) -> Literals:
    """``required_literals(pattern)``, read once per expression."""
    return _literals_of(pattern.pattern, pattern.flags)


@cache
def _literals_of(source: str, flags: int) -> Literals:
    """The literals of the expression compiled from ``source`` and ``flags``.

    Remembered by source and flags, which are all a compiled expression is made of: a
    compiled expression, as a key, hashes its whole compiled program at every look-up
    (about a microsecond for the larger ones, and the quantity patterns are looked up for
    every unit of every page), whereas a string keeps its hash.
    """
    return required_literals(re.compile(source, flags))


def prefiltered_finditer(pattern: re.Pattern[str], text: str, folded: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, not even started when ``folded`` (``text`` folded) lacks its literals."""
    if not may_match(literals_of(pattern), folded):
        return iter(())
    return folded_finditer(pattern, text, folded)


def folded_finditer(pattern: re.Pattern[str], text: str, folded: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, found in ``folded`` (``text`` folded) where that finds the same.

    A case-insensitive pattern is run on ``folded`` without ignoring case where that finds
    the same matches (:func:`case_sensitive_twin`); each match is then read again at its
    place in ``text``, so that its groups hold the text as written.
    """
    twin = case_sensitive_twin(pattern)
    if twin is None:
        return pattern.finditer(text)
    return _matches_at(pattern, text, (found.start() for found in twin.finditer(folded)))


def _matches_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    for start in starts:
        match = pattern.match(text, start)
        assert match is not None, "a twin's match is the pattern's own"
        yield match


def case_sensitive_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` without IGNORECASE, to run on ``fold``-ed text; None where that could match otherwise.

    ``re`` ignoring case tries every letter of an expression against both cases, and skips
    no alternative by its first letter; on a text already folded, the same expression
    matching case-sensitively runs markedly faster. It finds the same matches, at the same
    places, when every letter it names is one ``fold`` leaves alone (lower-case ASCII: an
    upper-case "B" would meet only "b" in the folded text) and no part of it changes the
    flags or refers back to a group; ``fold`` keeps every offset and every character's
    class (word, digit, space), and turns each character that would match an ASCII letter
    ignoring case into that letter (tests check both over every code point). Characters
    beyond ASCII are allowed only where they have no case.
    """
    return _case_sensitive_twin(pattern.pattern, pattern.flags)


@cache
def _case_sensitive_twin(source: str, flags: int) -> re.Pattern[str] | None:
    """The twin of the expression compiled from ``source`` and ``flags``, remembered by them (see ``_literals_of``)."""
    if not flags & re.IGNORECASE or flags & (re.ASCII | re.LOCALE):
        return None
    if not _folds_alike(sre_parse.parse(source, flags)):
        return None
    return re.compile(source, flags & ~re.IGNORECASE)


def _folds_alike(items: Iterable[tuple[object, object]]) -> bool:
    """Whether every node of a parsed expression matches a folded text as it matches the text, ignoring case."""
    return all(_node_folds_alike(op, argument) for op, argument in items)


_PLAIN_NODES = {sre_constants.ANY, sre_constants.AT, sre_constants.CATEGORY, sre_constants.NEGATE}


def _node_folds_alike(op: object, argument: Any) -> bool:
    if op in _PLAIN_NODES:
        return True
    if op in (sre_constants.LITERAL, sre_constants.NOT_LITERAL):
        return _uncased_when_folded(argument)
    if op is sre_constants.RANGE:
        low, high = argument
        return all(_uncased_when_folded(code) for code in range(low, high + 1))
    if op is sre_constants.IN:
        return _folds_alike(argument)
    if op is sre_constants.BRANCH:
        return all(_folds_alike(alternative) for alternative in argument[1])
    if op is sre_constants.SUBPATTERN:
        _group, add_flags, del_flags, items = argument
        return not add_flags and not del_flags and _folds_alike(items)
    if op in _REPEATS:
        return _folds_alike(argument[2])
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return _folds_alike(argument[1])
    if op is sre_constants.ATOMIC_GROUP:
        return _folds_alike(argument)
    return False  # a back reference, a conditional group, anything not known to be safe


def _uncased_when_folded(code: int) -> bool:
    """Whether the character is one ``fold`` leaves as it is and that ignoring case matches only itself
    or what ``fold`` turns into it: lower-case ASCII, or a character without case."""
    char = chr(code)
    if code < 128:
        return not char.isupper()
    return char.lower() == char == char.upper() and fold(char) == char


def may_find(pattern: re.Pattern[str], folded: str) -> bool:
    """False only when ``folded`` (a text ``fold``-ed) lacks every literal ``pattern`` requires: it holds no match.

    Runs ahead of a whole-page scan, where one test of a few literals saves a pass of the
    expression over every position of the page.
    """
    return may_match(literals_of(pattern), folded)


def may_match(literals: Literals, folded: str) -> bool:
    """False only when ``folded`` (a ``fold``-ed text) lacks every required literal: no match is possible."""
    return literals is None or any(map(folded.__contains__, literals))


def _sequence(items: Iterable[tuple[object, object]]) -> Literals:
    """What a sequence of nodes requires: the most selective requirement of any of its parts.

    Each part of a sequence must match, so any one part's requirement is the sequence's;
    consecutive literal characters make one string.
    """
    options: list[Literals] = []
    run: list[str] = []
    for op, argument in items:
        if op is sre_constants.LITERAL and isinstance(argument, int) and argument < 128:
            run.append(chr(argument).lower())
            continue
        if run:
            options.append(frozenset(["".join(run)]))
            run = []
        options.append(_node(op, argument))
    if run:
        options.append(frozenset(["".join(run)]))
    known = [option for option in options if option is not None]
    if not known:
        return None
    return max(known, key=lambda option: (min(map(len, option)), -len(option)))


def _node(op: object, argument: object) -> Literals:
    """What one node that is not an ASCII literal requires (None for anything that may match without text)."""
    if op is sre_constants.SUBPATTERN:
        assert isinstance(argument, tuple)
        return _sequence(argument[-1])
    if op is sre_constants.ATOMIC_GROUP:
        assert isinstance(argument, Iterable)
        return _sequence(argument)
    if op is sre_constants.BRANCH:
        assert isinstance(argument, tuple)
        alternatives = [_sequence(alternative) for alternative in argument[1]]
        if any(alternative is None for alternative in alternatives):
            return None
        return frozenset().union(*(a for a in alternatives if a is not None))
    if op in _REPEATS:
        assert isinstance(argument, tuple)
        least, _most, item = argument
        return _sequence(item) if least >= 1 else None
    return None
