"""Segmentation into sentences, headings, list items and table rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.records import Document
from claimcheck.text.segment import segment, sentence_around

CORPORA = Path(__file__).parent.parent / "corpora"


def units_of(text: str) -> list[tuple[str, str]]:
    return [(u.kind, u.text) for u in segment(Document("t", text))]


def test_lines_are_boundaries_and_kinds_are_recognised() -> None:
    text = "Why Ketamine Works\n\nKetamine acts fast. It lasts days.\n• PTSD\n- Chronic pain\nKetamine | 40 minutes | High |\n---|---|---|\n"
    assert units_of(text) == [
        ("heading", "Why Ketamine Works"),
        ("sentence", "Ketamine acts fast."),
        ("sentence", "It lasts days."),
        ("list_item", "PTSD"),
        ("list_item", "Chronic pain"),
        ("table_row", "Ketamine | 40 minutes | High |"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Relief comes fast.Call us today to book.", ["Relief comes fast.", "Call us today to book."]),
        ("It works in 40 minutes!Book now.", ["It works in 40 minutes!", "Book now."]),
        ("Costs about $4.50 per dose.", ["Costs about $4.50 per dose."]),
        ("Dr. Smith says it helps.", ["Dr. Smith says it helps."]),
        (
            "It was licensed in 1970.[4] Raised blood pressure is common.[12][13] It is scheduled.",
            ["It was licensed in 1970.[4]", "Raised blood pressure is common.[12][13]", "It is scheduled."],
        ),
        (
            "Our front desk team brews the best coffee in town \u2615\ufe0f\U0001f389 Every session is monitored by a nurse.",
            [
                "Our front desk team brews the best coffee in town \u2615\ufe0f\U0001f389",
                "Every session is monitored by a nurse.",
            ],
        ),
        (
            "\u2605\u2605\u2605\u2605\u2605 Great staff and a calm room.",
            ["\u2605\u2605\u2605\u2605\u2605 Great staff and a calm room."],
        ),
    ],
)
def test_glued_and_abbreviated_sentences(text: str, expected: list[str]) -> None:
    assert [t for _, t in units_of(text)] == expected


def test_questions_and_colon_lines_are_headings() -> None:
    assert units_of("Is Ketamine Right For You?\nWhat to expect:") == [
        ("heading", "Is Ketamine Right For You?"),
        ("heading", "What to expect:"),
    ]


@pytest.mark.parametrize(
    "text",
    ["word " * 3000, "Intro. " + " ".join(f"word{i}" for i in range(1500))],
    ids=["repeated", "varied"],
)
def test_very_long_run_on_lines_are_capped(text: str) -> None:
    units = segment(Document("t", text))
    assert len(units) > 2 and all(len(u.text) <= 2000 for u in units)
    assert all(text[u.start : u.end] == u.text for u in units)
    assert [u.start for u in units] == sorted({u.start for u in units}), "each piece starts where it is"


@pytest.mark.parametrize("page", sorted(CORPORA.glob("0*.txt")), ids=lambda p: p.name)
def test_offsets_hold_on_every_seed_page(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    units = segment(Document(page.name, text))
    assert len(units) > 10
    for unit in units:
        assert text[unit.start : unit.end] == unit.text
        assert unit.text == unit.text.strip() and unit.text
    starts = [u.start for u in units]
    assert starts == sorted(starts)


def test_a_colon_lead_in_and_its_fragment_items_are_one_list_unit() -> None:
    text = "Our drip helps with:\n- low energy\n- brain fog\n\nIt takes an hour.\n"
    units = segment(Document(source="t", text=text))
    assert [(u.kind, u.text) for u in units] == [
        ("list", "Our drip helps with:\n- low energy\n- brain fog"),
        ("sentence", "It takes an hour."),
    ]
    assert all(text[u.start : u.end] == u.text for u in units)


def test_items_that_are_sentences_or_lack_a_lead_in_stay_apart() -> None:
    sentences = "Why us:\n- Nurses watch every session.\n- Parking is free.\n"
    no_lead_in = "Why choose us\n- nurses on site\n- free parking\n"
    for text in (sentences, no_lead_in):
        kinds = [u.kind for u in segment(Document(source="t", text=text))]
        assert "list" not in kinds and kinds.count("list_item") == 2


def test_items_with_figures_of_their_own_stay_apart() -> None:
    """A price list under a colon heading: each line asserts its own price, so each is a unit."""
    text = "Fees at a glance:\n  • Single session: $350\n  • Package of four: $1,200 (10% off)\n"
    units = segment(Document(source="t", text=text))
    assert [(u.kind, u.text) for u in units] == [
        ("heading", "Fees at a glance:"),
        ("list_item", "Single session: $350"),
        ("list_item", "Package of four: $1,200 (10% off)"),
    ]


def test_a_list_item_of_several_sentences_is_split_like_prose() -> None:
    """The guide annotates claims sentence by sentence, also inside a numbered item."""
    text = "Why choose us:\n  1. We heal the joints. Surgery is destructive. It’s “natural”.\n  2. Fast recovery\n"
    units = segment(Document("t", text))
    assert [(u.kind, u.text) for u in units][1:] == [
        ("sentence", "We heal the joints."),
        ("sentence", "Surgery is destructive."),
        ("sentence", "It’s “natural”."),
        ("list_item", "Fast recovery"),
    ]
    assert all(text[u.start : u.end] == u.text for u in units)


def test_a_line_longer_than_the_sentencizer_takes_is_segmented_in_pieces() -> None:
    text = "word " * 500_000  # 2.5 MB on one line, past spaCy's 2,000,000-character limit
    units = segment(Document("t", text))
    assert units and all(text[u.start : u.end] == u.text for u in units)
    assert units[-1].end == len(text.rstrip())


def test_cells_split_by_a_bar_or_a_tab_are_a_table_row() -> None:
    """The one decision of what a table row is; prices read it from here."""
    assert units_of("Single infusion\t$450\nSeries|$2,400\n") == [
        ("table_row", "Single infusion\t$450"),
        ("table_row", "Series|$2,400"),
    ]


def test_lines_that_lost_their_bullets_still_complete_a_lead_in() -> None:
    """Extracted text often drops the bullets; short fragment lines under a colon are still items."""
    text = (
        "Our infusions may help a range of conditions, such as:\n"
        "Mood: low mood that lingers\n"
        "Chronic Pain\n"
        "Who should not come?\n"
        "Anyone pregnant.\n"
    )
    units = segment(Document("t", text))
    assert [u.kind for u in units] == ["list", "heading", "sentence"]
    assert units[0].text.endswith("Chronic Pain")


def test_figures_and_sentences_after_a_colon_are_not_bare_items() -> None:
    text = "See our cost guide below:\n$400 - $800 per infusion\n$2,400 for six\nWe take cards.\n"
    assert "list" not in [u.kind for u in segment(Document("t", text))]


def test_a_quotation_of_two_sentences_is_one_unit() -> None:
    """A review says its claim across both of its sentences; the guide's span is the quotation."""
    text = '"My knee had given up on me. Six weeks later I was back on the court." - Dee, 41\nA second point. A third.'
    assert [t for _, t in units_of(text)] == [
        '"My knee had given up on me. Six weeks later I was back on the court." -',
        "Dee, 41",
        "A second point.",
        "A third.",
    ]


def test_a_quotation_of_a_few_sentences_is_one_unit_and_a_long_one_is_not() -> None:
    review = '"Best drip bar in town! My migraines stopped after one visit. Staff were lovely. Go!"'
    assert [t for _, t in units_of(review)] == [review]
    sentences = [f"Point number {n} of the speech goes on for a while." for n in range(1, 6)]
    speech = '"' + " ".join(sentences) + '"'
    assert [t for _, t in units_of(speech)] == ['"' + sentences[0], *sentences[1:4], sentences[4] + '"']


def test_a_heading_that_announces_what_is_treated_leads_its_items_without_a_colon() -> None:
    """The guide makes a list of conditions one claim; a page's heading often has no colon."""
    text = "What We Treat\nMigraine\nLong-haul fatigue\nBack pain\n\nOur Team\nDr. Ada Lane\nDr. Ben Ode"
    assert units_of(text)[0] == ("list", "What We Treat\nMigraine\nLong-haul fatigue\nBack pain")
    assert ("heading", "Our Team") in units_of(text)


@pytest.mark.parametrize(
    ("text", "cue", "sentence"),
    [
        ("Shipped in the U.S. and abroad. Order today.", "abroad", "Shipped in the U.S. and abroad"),
        ("We ask first.\nCan I order it here? Yes.", "order", "Can I order it here"),
        ("Dr. Lane treats pain! She uses e.g. infusions.", "Lane", "Dr. Lane treats pain"),
    ],
)
def test_sentence_around_skips_abbreviation_stops_and_leaves_the_end_mark_out(
    text: str, cue: str, sentence: str
) -> None:
    start = text.index(cue)
    lo, hi = sentence_around(text, start, start + len(cue))
    assert text[lo:hi].strip() == sentence
