"""Spun text at run time: the features of a sentence and the stored classifier that scores them.

Article spinners rewrite a page word by word from a thesaurus, with no sense of idiom:
"relief" becomes "reduction", "long-term" becomes "long-expression", "quiet" becomes
"peaceful" even where it is a verb. :class:`SpunModel` is a logistic regression on
hashed character and word n-grams plus a few hand features (capitalised common words
mid-sentence, doubled articles, "a"/"an" before the wrong sound, multi-word thesaurus
choices); :mod:`claimcheck.signals.spam` uses it to flag spun sentences.

The model is stored as plain arrays (``data/spun_model.npz``) beside a JSON file with
the vectorizer parameters, the thesaurus phrases, a checksum of the arrays and the
training figures; no pickle. It is trained by :mod:`claimcheck.train.spinner`
(``claimcheck train``), which this module never imports.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from ..errors import ModelError

MODEL_DIR = Path(__file__).resolve().parents[1] / "data"
MODEL_NAME = "spun_model"

SPUN_THRESHOLD = 0.5
"""Probability at which the training figures count a sentence as spun."""

#: Words a spinner's thesaurus entries capitalise. A capital on one of these inside a
#: lower-case run is a spinner's mark, not a name.
_COMMON_WORDS_TEXT = """
    a an the and or but which that this these those who what where when with from for of in on at by to
    as is are was were be been would could should may might can will just also many much more most part
    mind middle main side back again life style risk free plenty other others some every each all health
    care body brain center heart head time day week month year way help work use people person best
    better good great new old long short high low small large big first last next few own same added
    benefits unintended effects command expense price tag completely ready reside dying imagine
    construct strategies electrical power restoration get well moreover additionally furthermore
"""
COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())
HAND_FEATURES = (
    "isolated_capitals",
    "double_articles",
    "article_mismatch",
    "thesaurus_phrases",
    "capital_ratio",
)
CHAR_VECTORIZER: dict[str, Any] = {
    "analyzer": "char_wb",
    "ngram_range": [2, 5],
    "n_features": 2**17,
    "lowercase": False,
}
WORD_VECTORIZER: dict[str, Any] = {
    "analyzer": "word",
    "ngram_range": [1, 2],
    "n_features": 2**16,
    "lowercase": True,
    "token_pattern": r"(?u)\b\w[\w'-]*\b",
}

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")
PLAIN_WORDS_RE = re.compile(r"[\w'-]+")
_DOUBLE_ARTICLE_RE = re.compile(r"\b(?:a|an|the)\s+(?:a|an|the)\b", re.IGNORECASE)
_AN_CONSONANT_RE = re.compile(r"\ban\s+(?!h(?:our|onest|eir|onou?r))[b-df-hj-np-tv-z]\w")
_A_VOWEL_RE = re.compile(r"\ba\s+(?!one\b|once\b|eu)[aeio]\w")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def normalize(sentence: str) -> str:
    """Straighten quotes and collapse spaces so that typography does not pass for style."""
    return " ".join(sentence.translate(_QUOTES).split())


def hand_features(sentence: str, phrases: frozenset[str]) -> list[float]:
    """The :data:`HAND_FEATURES` of one normalised sentence, each scaled to [0, 1]."""
    words = _WORD_RE.findall(sentence)
    following = [*words[2:], "x"][: max(0, len(words) - 1)]
    isolated = sum(
        1
        for prev, word, nxt in zip(words[:-1], words[1:], following, strict=True)
        if word[0].isupper()
        and word[1:].islower()
        and word.lower() in COMMON_WORDS
        and prev.islower()
        and nxt.islower()
    )
    lowered = f" {' '.join(PLAIN_WORDS_RE.findall(sentence.lower()))} "
    found = sum(1 for p in _spaced(phrases) if p in lowered)
    mismatched = len(_AN_CONSONANT_RE.findall(sentence)) + len(_A_VOWEL_RE.findall(sentence))
    capitals = sum(1 for w in words[1:] if w[0].isupper())
    return [
        min(isolated, 3) / 3,
        min(len(_DOUBLE_ARTICLE_RE.findall(sentence)), 2) / 2,
        min(mismatched, 2) / 2,
        min(found, 4) / 4,
        capitals / max(1, len(words) - 1),
    ]


@functools.cache
def _spaced(phrases: frozenset[str]) -> tuple[str, ...]:
    """Each phrase with a space either side, built once per model rather than once per sentence."""
    return tuple(f" {p} " for p in phrases)


@functools.cache
def _vectorizer(kind: str) -> HashingVectorizer:
    params = CHAR_VECTORIZER if kind == "char" else WORD_VECTORIZER
    return HashingVectorizer(
        alternate_sign=False, norm="l2", **{**params, "ngram_range": tuple(params["ngram_range"])}
    )


def featurize(sentences: Sequence[str], phrases: frozenset[str]) -> sparse.csr_matrix:
    """Char n-grams, word n-grams and hand features of ``sentences``, side by side."""
    texts = [normalize(s) for s in sentences]
    hand = np.array([hand_features(t, phrases) for t in texts], dtype=np.float64).reshape(
        -1, len(HAND_FEATURES)
    )
    blocks = [
        _vectorizer("char").transform(texts),
        _vectorizer("word").transform(texts),
        sparse.csr_matrix(hand),
    ]
    return sparse.hstack(blocks, format="csr")


@dataclass(frozen=True)
class SpunModel:
    """A fitted linear spun-text model: weights over :func:`featurize`'s columns."""

    coef: np.ndarray
    intercept: float
    phrases: frozenset[str]
    threshold: float = SPUN_THRESHOLD

    def predict_proba(self, sentences: Sequence[str]) -> np.ndarray:
        """The probability that each sentence is spun."""
        if not sentences:
            return np.zeros(0)
        margin = featurize(sentences, self.phrases) @ self.coef + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-margin)), dtype=np.float64)


@functools.cache
def load_spun_model(model_dir: Path = MODEL_DIR) -> SpunModel:
    """Load the stored model once; raise :class:`ModelError` if it is missing or altered."""
    npz_path, json_path = model_dir / f"{MODEL_NAME}.npz", model_dir / f"{MODEL_NAME}.json"
    try:
        meta = json.loads(json_path.read_text(encoding="utf-8"))
        blob = npz_path.read_bytes()
    except (OSError, ValueError) as exc:
        raise ModelError(f"spun-text model unreadable in {model_dir} ({exc}); run `make train`") from exc
    if hashlib.sha256(blob).hexdigest() != meta.get("sha256"):
        raise ModelError(f"{npz_path} does not match the checksum in {json_path}; run `make train`")
    if (meta.get("char_vectorizer"), meta.get("word_vectorizer")) != (CHAR_VECTORIZER, WORD_VECTORIZER):
        raise ModelError(
            f"{json_path} was trained with other features than this version uses; run `make train`"
        )
    with np.load(npz_path) as arrays:
        coef = arrays["coef"].astype(np.float64)
        intercept = float(arrays["intercept"])
    return SpunModel(coef, intercept, frozenset(meta["thesaurus_phrases"]), float(meta["threshold"]))
