"""Parsing the numbers claims rest on."""

from __future__ import annotations

import pytest

from claimcheck.quantities import find_quantities, to_hours


def one(text: str) -> tuple[str, str, float, float, str | None, str | None]:
    quantities = find_quantities(text)
    assert len(quantities) == 1, quantities
    q = quantities[0]
    assert text[q.start : q.end] == q.text
    return q.text, q.kind, q.low, q.high, q.unit, q.qualifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in about 60 to 75 percent of patients", ("60 to 75 percent", "percent", 60, 75, "%", None)),
        ("reduce pain by 70%–80% fast", ("70%–80%", "percent", 70, 80, "%", None)),
        ("on average 75% of patients", ("75%", "percent", 75, 75, "%", None)),
        ("3 in 4 clients feel better", ("3 in 4", "ratio", 75, 75, "%", None)),
        ("two-thirds of people respond", ("two-thirds", "ratio", 200 / 3, 200 / 3, "%", None)),
        ("relief within 40 minutes", ("within 40 minutes", "duration", 40, 40, "minutes", "within")),
        (
            "depression-free for up to 16 weeks",
            ("for up to 16 weeks", "duration", 16, 16, "weeks", "for up to"),
        ),
        (
            "relief in as little as 40 minutes",
            ("in as little as 40 minutes", "duration", 40, 40, "minutes", "in as little as"),
        ),
        ("within 30 to 40 minutes", ("within 30 to 40 minutes", "duration", 30, 40, "minutes", "within")),
        ("six infusions were given", ("six infusions", "count", 6, 6, None, None)),
    ],
)
def test_shapes(text: str, expected: tuple[object, ...]) -> None:
    got = one(text)
    assert got[:2] == expected[:2]
    assert got[2] == pytest.approx(expected[2]) and got[3] == pytest.approx(expected[3])
    assert got[4:] == expected[4:]


def test_unit_ranges_without_numbers() -> None:
    (q,) = find_quantities("the effects last from days to weeks")
    assert q.text == "days to weeks" and q.kind == "duration"
    assert to_hours(q) == (24.0, 2 * 168.0)


def test_money_comes_from_the_price_parser() -> None:
    quantities = find_quantities("An infusion costs about $25, or $150 to $200 for six.")
    money = [q for q in quantities if q.kind == "money"]
    assert [(q.text, q.low, q.high, q.unit) for q in money] == [
        ("$25", 25, 25, "USD"),
        ("$150 to $200", 150, 200, "USD"),
    ]


def test_offsets_shift_with_the_unit_start() -> None:
    (q,) = find_quantities("about 75% respond", offset=100)
    assert (q.start, q.end) == (106, 109)


def test_durations_convert_to_hours() -> None:
    (q,) = find_quantities("within 2 days")
    assert to_hours(q) == (48.0, 48.0)


def test_no_numbers_no_quantities() -> None:
    assert find_quantities("Ketamine is an anesthetic.") == ()
