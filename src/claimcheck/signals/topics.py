"""Subjects web spam splices into pages it does not own, from ``data/spam_topics.yaml``.

Hacked clinic sites and parasite SEO pages carry paragraphs on gambling, payday loans or
essay writing between the page's own paragraphs (annotation guide §3, off-topic
insertions). Which subjects spam favours, and what words mark a paragraph as the page's
own, is domain knowledge, so it is a data file, read lazily on first use, parsed with
``yaml.safe_load`` and validated: an empty list, an empty term or an unknown key is an
error naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DATA_FILE = "data/spam_topics.yaml"


class TopicList(BaseModel):
    """The file's schema."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_terms: int = Field(ge=1)
    page_subject: list[str] = Field(min_length=1)
    spam_subjects: dict[str, list[str]] = Field(min_length=1)

    @field_validator("page_subject")
    @classmethod
    def _page_terms(cls, value: list[str]) -> list[str]:
        _check_terms(value)
        return value

    @field_validator("spam_subjects")
    @classmethod
    def _subject_terms(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for terms in value.values():
            if not terms:
                raise ValueError("a spam subject needs at least one term")
            _check_terms(terms)
        return value


def _check_terms(terms: list[str]) -> None:
    if any(not term.strip() for term in terms):
        raise ValueError("empty term")


@dataclass(frozen=True)
class SpamTopics:
    """The page's own subject and each spam subject, as one whole-word pattern each."""

    min_terms: int
    page_subject: re.Pattern[str]
    spam_subjects: dict[str, re.Pattern[str]]

    def spam_terms(self, text: str) -> dict[str, frozenset[str]]:
        """For each spam subject, the distinct terms of it that ``text`` uses (lower case)."""
        found = {
            subject: frozenset(" ".join(m.group().lower().split()) for m in pattern.finditer(text))
            for subject, pattern in self.spam_subjects.items()
        }
        return {subject: terms for subject, terms in found.items() if terms}


def parse_topics(source: str, path: str = DATA_FILE) -> SpamTopics:
    """Validate the YAML text of a topic list; a problem is a ValueError naming ``path``."""
    try:
        parsed = TopicList.model_validate(yaml.safe_load(source) or {})
    except (yaml.YAMLError, ValidationError) as error:
        raise ValueError(f"{path}: invalid spam topic list: {error}") from None
    return SpamTopics(
        parsed.min_terms,
        _whole_words(parsed.page_subject),
        {subject: _whole_words(terms) for subject, terms in parsed.spam_subjects.items()},
    )


def _whole_words(terms: list[str]) -> re.Pattern[str]:
    """One case-insensitive pattern for the terms, longest first; a space in a term matches any spacing."""
    ordered = sorted({term.strip().lower() for term in terms}, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, term.split())) for term in ordered)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I)


@cache
def spam_topics() -> SpamTopics:
    """The bundled topic list, read and validated once."""
    source = resources.files("claimcheck").joinpath(DATA_FILE).read_text("utf-8")
    return parse_topics(source)
