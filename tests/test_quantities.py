"""Parsing the numbers claims rest on."""

from __future__ import annotations

import pytest

from claimcheck.claims.quantities import find_quantities, to_hours


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
        ("Sixty percent of clients", ("Sixty percent", "percent", 60, 60, "%", None)),
        ("seventy-five percent feel better", ("seventy-five percent", "percent", 75, 75, "%", None)),
        ("ninety five per cent of users", ("ninety five per cent", "percent", 95, 95, "%", None)),
        ("from thirty to forty-five percent", ("thirty to forty-five percent", "percent", 30, 45, "%", None)),
        ("one hundred percent natural", ("one hundred percent", "percent", 100, 100, "%", None)),
        ("a 75-percent response", ("75-percent", "percent", 75, 75, "%", None)),
        ("ninety-nine-percent of users", ("ninety-nine-percent", "percent", 99, 99, "%", None)),
        ("rest for forty-five minutes", ("for forty-five minutes", "duration", 45, 45, "minutes", "for")),
        ("twenty-one sessions", ("twenty-one sessions", "count", 21, 21, None, None)),
    ],
)
def test_shapes(text: str, expected: tuple[object, ...]) -> None:
    got = one(text)
    assert got[:2] == expected[:2]
    assert got[2] == pytest.approx(expected[2]) and got[3] == pytest.approx(expected[3])
    assert got[4:] == expected[4:]


def test_unit_ranges_without_numbers() -> None:
    (q,) = find_quantities("the effects last from days to weeks")
    assert (q.text, q.kind, q.qualifier) == ("last from days to weeks", "duration", "last")
    assert to_hours(q) == (24.0, 2 * 168.0)


@pytest.mark.parametrize(
    ("text", "span", "qualifier", "hours"),
    [
        (
            "relief that lasts anywhere from six months to several years",
            "six months to several years",
            "lasts",
            (4380.0, 17520.0),
        ),
        ("responders stayed well for a median of about 18 days", "18 days", "for", (432.0, 432.0)),
    ],
)
def test_a_qualifier_reaches_its_span_past_filler_words(
    text: str, span: str, qualifier: str, hours: tuple[float, float]
) -> None:
    """Between "lasts" or "for" and the span: "anywhere from", "a median of about"; the count before
    the first unit of a unit range counts too ("six months to several years")."""
    (q,) = [q for q in find_quantities(text) if q.kind == "duration"]
    assert q.text.endswith(span) and q.qualifier == qualifier and to_hours(q) == hours


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


@pytest.mark.parametrize(
    ("text", "ratio_text", "value"),
    [
        ("Responders outnumbered non-responders 2:1 versus placebo.", "2:1", 2.0),
        ("Patients were randomised 1:1 to drug or saline.", "1:1", 1.0),
        ("a 3 : 1 ratio of benefit to harm", "3 : 1", 3.0),
        ("the odds were 1:20 against", "1:20", 0.05),
        ("it beat placebo two to one", "two to one", 2.0),
        ("won by a three-to-one margin", "three-to-one margin", 3.0),
        ("a 1 to 3 ratio", "1 to 3 ratio", 1 / 3),
    ],
)
def test_ratios_of_two_quantities(text: str, ratio_text: str, value: float) -> None:
    (q,) = find_quantities(text)
    assert (q.text, q.kind, q.unit) == (ratio_text, "ratio", "times")
    assert q.low == pytest.approx(value) and q.high == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    ["Doors open at 9:15 each day.", "The call is at 2:30 pm.", "relief in one to two weeks"],
)
def test_clock_times_and_ascending_ranges_are_not_ratios(text: str) -> None:
    assert not any(q.kind == "ratio" for q in find_quantities(text))


def test_money_in_other_currencies_and_old_new_pairs() -> None:
    quantities = find_quantities("Geneva: CHF 1'450 per session, was 1 600 CHF, now 1 450 CHF.")
    money = [(q.text, q.low, q.unit, q.qualifier) for q in quantities if q.kind == "money"]
    assert money == [
        ("CHF 1'450 per session", 1450, "CHF", None),
        ("1 600 CHF", 1600, "CHF", None),
        ("1 450 CHF", 1450, "CHF", "offer"),
    ]


def test_a_vague_range_of_units_keeps_its_qualifier() -> None:
    quantity = find_quantities("Improvements persist for several days to weeks after one dose.")[0]
    assert (quantity.text, quantity.qualifier) == ("for several days to weeks", "for")


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("Most patients reach remission within a month.", "Most patients"),
        ("The majority of our clients feel better by the third visit.", "The majority of our clients"),
        ("The most common side effect is nausea.", None),
        ("Most clinics charge about $450.", None),
    ],
)
def test_a_share_of_people_told_in_words_is_more_than_half(text: str, share: str | None) -> None:
    ratios = [q for q in find_quantities(text) if q.kind == "ratio"]
    assert [q.text for q in ratios] == ([share] if share else [])
    assert all(q.low > 50 for q in ratios)


def test_a_spun_percentage_of_patients_is_a_percent() -> None:
    (q,) = find_quantities("as many as 85 percentage of sufferers respond")
    assert (q.kind, q.low, q.unit) == ("percent", 85.0, "%")
    assert not find_quantities("the percentage of patients who respond")


def test_a_share_in_words_is_marked_as_one() -> None:
    (q,) = find_quantities("Most patients feel better")
    assert (q.kind, q.low, q.qualifier) == ("ratio", 51.0, "majority")


@pytest.mark.parametrize(
    "text",
    ["We treat 16- and 17-year-olds only after a second psychiatrist agrees.", "Ask for a second opinion."],
)
def test_an_ordinal_second_and_an_age_are_no_durations(text: str) -> None:
    assert not [q for q in find_quantities(text) if q.kind == "duration"]


def test_a_second_of_time_is_still_a_duration() -> None:
    assert [q.text for q in find_quantities("The sting fades within a second or two.")] == ["within a second"]
