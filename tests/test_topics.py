"""The spam topic list: the subjects web spam splices into pages, read from data."""

from __future__ import annotations

import pytest

from claimcheck.signals.topics import parse_topics, spam_topics


def test_bundled_topics_find_whole_terms_of_each_subject() -> None:
    topics = spam_topics()
    terms = topics.spam_terms("Claim free  spins at our casino; a payday loan in minutes. Slotted times.")
    assert terms == {"gambling": frozenset({"free spins", "casino"}), "lending": frozenset({"payday loan"})}
    assert topics.page_subject.search("Our clinic treats depression")
    assert not topics.page_subject.search("Spin the reels tonight")


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("min_terms: 3\npage_subject: [a]\nspam_subjects: {x: []}\n", "at least one term"),
        ("min_terms: 3\npage_subject: ['  ']\nspam_subjects: {x: [b]}\n", "empty term"),
        ("min_terms: 0\npage_subject: [a]\nspam_subjects: {x: [b]}\n", "invalid spam topic list"),
        ("min_terms: 3\npage_subject: [a]\nspam_subjects: {x: [b]}\nnotes: y\n", "invalid spam topic list"),
        ("page_subject: [\n", "invalid spam topic list"),
    ],
)
def test_a_malformed_topic_list_is_an_error_naming_the_file(source: str, problem: str) -> None:
    with pytest.raises(ValueError, match=f"test.yaml.*{problem}|{problem}"):
        parse_topics(source, "test.yaml")
