"""Literal prefilters: a text without any required literal of an expression has no match of it."""

from __future__ import annotations

import re

import pytest

from claimcheck.claims import quantities
from claimcheck.claims.lexicon import cue_patterns
from claimcheck.signals.offers import _OFFER_RES
from claimcheck.text.literals import (
    CASE_TWINS,
    case_sensitive_twin,
    fold,
    folded_finditer,
    literals_of,
    may_find,
    may_match,
    prefiltered_finditer,
    required_literals,
)


@pytest.mark.parametrize(
    ("expression", "literals"),
    [
        (r"\b(?:is|are)\s+safe\b", {"safe"}),
        (r"\b(?:best|safest)\s+(?:treatment|session)\b", {"treatment", "session"}),
        (r"\bdetox\w*\b|\bflush(?:es)?\b", {"detox", "flush"}),
        (r"(?<!return )\bimmediately\b(?!\s+after)", {"immediately"}),
        (r"\b(?:One|TWO)\s+weeks?\b", {"week"}),
        (r"\b(?:ab)+c", {"ab"}),
        (r"\d+\s*%", {"%"}),
    ],
)
def test_required_literals(expression: str, literals: set[str]) -> None:
    assert required_literals(re.compile(expression, re.I)) == literals


@pytest.mark.parametrize(
    "expression",
    [r"\d+", r"\b(?:safe|\d+)\b", r"(?:safe)?\w+", r"x{0,3}", r"(?=safe)\w+", r"[“”]", r"(?:safe|)"],
)
def test_no_literal_is_required_where_a_match_can_do_without(expression: str) -> None:
    assert required_literals(re.compile(expression, re.I)) is None


def test_fold_finds_what_ignoring_case_matches() -> None:
    pattern = re.compile(r"\bsafe and effective\b", re.I)
    literals = required_literals(pattern)
    for text in ("SAFE AND EFFECTIVE", "Safe and Effective", "\u017fafe and effective"):
        assert pattern.search(text)
        assert may_match(literals, fold(text))
    assert not may_match(literals, fold("safe, and effective"))


def test_case_twins_are_every_character_beyond_ascii_that_matches_an_ascii_letter() -> None:
    beyond_ascii = "".join(chr(c) for c in range(128, 0x110000) if not 0xD800 <= c <= 0xDFFF)
    twins = set(re.findall(r"[a-z]", beyond_ascii, re.I))
    assert twins == {chr(c) for c in CASE_TWINS}
    for twin, letter in CASE_TWINS.items():
        assert re.fullmatch(str(letter), chr(twin), re.I)


def test_every_cue_pattern_match_holds_one_of_its_literals() -> None:
    text = (
        "Ketamine is extremely safe and highly effective, clinically proven, the best treatment, "
        "better than antidepressants; relief within minutes, immediately. Three infusions over two "
        "weeks restore damaged brain connections (n = 40) [3], et al."
    )
    for _category, pattern in cue_patterns():
        literals = required_literals(pattern)
        for match in pattern.finditer(text):
            assert may_match(literals, fold(match.group()))


def test_prefiltered_finditer_skips_only_texts_that_cannot_match() -> None:
    pattern = re.compile(r"\b\d+\s*(?:hours?|days?)\b", re.I)
    for text in ("within 24 HOURS", "3 days or 2 hours", "no units here", "24 weeks"):
        found = [m.span() for m in prefiltered_finditer(pattern, text, fold(text))]
        assert found == [m.span() for m in pattern.finditer(text)]
    assert literals_of(pattern) == {"hour", "day"}


def test_may_find_is_false_only_for_texts_without_a_match() -> None:
    pattern = re.compile(r"\bbuy\b[^.]{0,20}\bonline\b|\bfor sale\b", re.I)
    for text in ("Buy it ONLINE today", "ketamine for sale", "an online clinic", "we never sell", ""):
        if pattern.search(text):
            assert may_find(pattern, fold(text))
    assert not may_find(pattern, fold("we never sell, nor buy"))
    assert may_find(re.compile(r"\d+"), fold("no literal is required"))


def _every_character() -> str:
    return "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)


def test_fold_keeps_every_offset_and_every_character_class() -> None:
    every = _every_character()
    folded = fold(every)
    assert len(folded) == len(every)
    for expression in (r"\w", r"\d", r"\s"):
        pattern = re.compile(expression)
        assert [m.start() for m in pattern.finditer(every)] == [m.start() for m in pattern.finditer(folded)]


def test_fold_turns_no_character_into_one_without_case() -> None:
    """So that an uncased character of an expression meets, in folded text, only itself."""
    every = _every_character()
    changed = {folded for char, folded in zip(every, fold(every), strict=True) if char != folded}
    assert all(char.lower() != char.upper() for char in changed)


def _sample_texts() -> list[str]:
    return [
        "Within 24 HOURS, 3 in 4 PATIENTS felt better; Two-Thirds said so for up to SIX weeks.",
        "ſix \u212aetamine infusions over two weeks: 70%\u201380% respond, 2:1 versus placebo, three-to-one.",
        "Your FIRST session is FREE! 0% APR financing, BOGO on Tuesdays, save up to 20% off.",
        "İn as little as 40 minutes; days to weeks; ıt lasts for months at 9:30 am.",
    ]


def test_a_case_sensitive_twin_finds_what_the_pattern_finds() -> None:
    patterns = [pattern for _, pattern in cue_patterns()]
    patterns += [value for value in vars(quantities).values() if isinstance(value, re.Pattern)]
    patterns += [pattern for _, pattern in _OFFER_RES]
    twins = 0
    for pattern in patterns:
        twins += case_sensitive_twin(pattern) is not None
        for text in _sample_texts():
            expected = [(m.span(), m.groups()) for m in pattern.finditer(text)]
            assert [(m.span(), m.groups()) for m in folded_finditer(pattern, text, fold(text))] == expected
    assert twins > len(patterns) / 2


@pytest.mark.parametrize(
    "expression",
    [r"\bBOGO\b", r"caf\u00e9", r"(?-i:safe)", r"(a)\1", r"[A-Z]+", r"\u017fafe", r"[\u00c0-\u00ff]"],
)
def test_no_twin_where_folding_could_change_the_matches(expression: str) -> None:
    assert case_sensitive_twin(re.compile(expression, re.I)) is None


def test_no_twin_for_a_pattern_that_minds_case_already() -> None:
    assert case_sensitive_twin(re.compile(r"\bsafe\b")) is None
