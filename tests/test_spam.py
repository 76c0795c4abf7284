"""Tests for claimcheck.spam: page labels, signal spans and the score."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.records import SpamResult, SpamSignal
from claimcheck.spam import FULL_STRENGTH_COUNT, SIGNAL_WEIGHTS, SPAM_THRESHOLD, detect_spam, page_score

CORPORA = Path(__file__).parent.parent / "corpora"
DATA = Path(__file__).parent / "data"
SEEDS = {
    "000": CORPORA / "000_4b0f3c6d6a0af338.txt",
    "001": CORPORA / "001_b75484fee7bd1750.txt",
    "002": CORPORA / "002_46f5b2d153c94615.txt",
    "003": CORPORA / "003_39cd055008eb7f57.txt",
    "004": CORPORA / "004_e4db15d9ec7944fb.txt",
}
SIGNAL_NAMES = set(SIGNAL_WEIGHTS)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _assert_valid(text: str, result: SpamResult) -> None:
    assert result.label in ("spam", "ok")
    assert 0.0 <= result.score <= 1.0
    assert (result.label == "spam") == (result.score >= SPAM_THRESHOLD)
    for s in result.signals:
        assert s.name in SIGNAL_NAMES
        assert s.severity in ("high", "medium", "low")
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end].strip() == text[s.start : s.end]


def _quotes(text: str, result: SpamResult, name: str) -> list[str]:
    return [text[s.start : s.end] for s in result.signals if s.name == name]


@pytest.fixture(scope="module")
def seed_000() -> tuple[str, SpamResult]:
    text = _read(SEEDS["000"])
    return text, detect_spam(text)


def test_seed_000_is_spam(seed_000: tuple[str, SpamResult]) -> None:
    text, result = seed_000
    _assert_valid(text, result)
    assert result.label == "spam"
    names = {s.name for s in result.signals}
    assert {"spun_text", "keyword_stuffing", "template_residue", "illicit_price"} <= names


def test_seed_000_signal_spans(seed_000: tuple[str, SpamResult]) -> None:
    text, result = seed_000
    stuffing = _quotes(text, result, "keyword_stuffing")
    assert [q.lower() for q in stuffing] == [
        "the best side of ketamine for depression patient information"
    ] * 3
    template = _quotes(text, result, "template_residue")
    assert "Blog Article" in template and "Report this page" in template
    spun = _quotes(text, result, "spun_text")
    assert "Discovering reduction for depression might be a frustrating practical experience." in spun
    assert any(q.startswith("Second, it can help peaceful a A part of the Mind") for q in spun)
    illicit = {text[s.start : s.end] for s in result.signals if s.name == "illicit_price"}
    assert "$15,000/kg" in illicit and "$28" in illicit
    assert all(s.severity == "high" for s in result.signals if s.name == "illicit_price")


def test_seed_000_spun_sentences_are_mostly_in_the_spun_half(seed_000: tuple[str, SpamResult]) -> None:
    """The page is spun up to the back-and-neck paragraph and clean after the side-effects line."""
    text, result = seed_000
    clean_half = text.index("Ketamine is generally considered safe")
    spun = [s for s in result.signals if s.name == "spun_text"]
    assert len(spun) >= 12
    assert sum(s.start < clean_half for s in spun) >= 0.75 * len(spun)


@pytest.mark.parametrize("seed", ["001", "002", "003", "004"])
def test_other_seeds_are_ok(seed: str) -> None:
    text = _read(SEEDS[seed])
    result = detect_spam(text)
    _assert_valid(text, result)
    assert result.label == "ok", result.score


def test_seed_001_link_farm_lines_are_template_residue_but_page_is_ok() -> None:
    text = _read(SEEDS["001"])
    result = detect_spam(text)
    template = _quotes(text, result, "template_residue")
    assert "Recommended Reading: What Is The Main Cause Of Depression Among The Youth" in template
    assert "Also Check: Can Hormone Imbalance Cause Depression" in template
    assert "You May Like: I Can Feel Myself Slipping Into Depression" in template
    assert result.label == "ok"


def test_honest_page_with_related_news_footer_is_ok() -> None:
    text = _read(DATA / "spam_honest_related_news.txt")
    result = detect_spam(text)
    _assert_valid(text, result)
    assert result.label == "ok"
    assert _quotes(text, result, "template_residue") == ["Related news"]


def test_drug_shop_page_is_spam() -> None:
    text = _read(DATA / "spam_drug_shop.txt")
    result = detect_spam(text)
    _assert_valid(text, result)
    assert result.label == "spam"
    shop = _quotes(text, result, "drug_shop")
    assert "No Prescription" in shop and "bitcoin" in shop
    assert "$12,000/kg" in _quotes(text, result, "illicit_price")


def test_stuffed_page_reports_each_repetition() -> None:
    text = _read(DATA / "spam_stuffed.txt")
    result = detect_spam(text)
    _assert_valid(text, result)
    stuffing = _quotes(text, result, "keyword_stuffing")
    assert len(stuffing) == 5 and {q.lower() for q in stuffing} == {"the best ketamine therapy near me today"}
    assert result.label == "spam"


def test_similar_posts_run_together_with_a_heading() -> None:
    text = _read(SEEDS["002"])
    result = detect_spam(text)
    assert "Similar Posts" in _quotes(text, result, "template_residue")


def test_seed_000_off_topic_paragraph() -> None:
    text = _read(SEEDS["000"])
    off_topic = _quotes(text, detect_spam(text), "off_topic")
    assert any(q.startswith("Back again and neck agony are frequent problems.") for q in off_topic)


def test_template_and_off_topic_alone_never_reach_spam() -> None:
    signals = [SpamSignal("template_residue", i, i + 1, "x", "low") for i in range(10)]
    signals += [SpamSignal("off_topic", i, i + 1, "x") for i in range(10)]
    assert page_score(signals, prose_sentences=100) < SPAM_THRESHOLD


def test_few_spun_sentences_do_not_count() -> None:
    signals = [SpamSignal("spun_text", i, i + 1, "x") for i in range(2)]
    assert page_score(signals, prose_sentences=4) == 0.0


def test_score_grows_with_evidence() -> None:
    one = [SpamSignal("drug_shop", 0, 1, "x")]
    two = [*one, SpamSignal("illicit_price", 2, 3, "x", "high")]
    assert 0 < page_score(one, 10) < page_score(two, 10) <= 1


def test_weights_are_documented_data() -> None:
    assert set(FULL_STRENGTH_COUNT) == SIGNAL_NAMES - {"spun_text"}
    assert all(0 < w < 1 for w in SIGNAL_WEIGHTS.values())


def test_empty_text_is_ok() -> None:
    assert detect_spam("") == SpamResult(label="ok", score=0.0, signals=())


@pytest.mark.parametrize("path", sorted(CORPORA.glob("*.txt")), ids=lambda p: p.name)
def test_signal_offsets_on_corpus_pages(path: Path) -> None:
    text = _read(path)
    _assert_valid(text, detect_spam(text))


@pytest.mark.parametrize(
    "text",
    [
        "$" * 100_000,
        ("Buy ketamine online = $42. The best ketamine for depression patient information here. " * 120_000)[
            :10_000_000
        ],
        "Кетамин помогает. ケタミンは効く。 🙂🙂 Ketamine works fast!! 价格 $40 العلاج 🧪\n" * 20_000,
        "word " * 2_000_000,
    ],
    ids=["dollar-signs", "10mb-single-line", "mixed-scripts-emoji", "10mb-of-words"],
)
def test_hostile_input_is_bounded_and_valid(text: str) -> None:
    result = detect_spam(text)
    _assert_valid(text, result)
    assert len(result.signals) < 10_000
