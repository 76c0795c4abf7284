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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, pairwise
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer

from ..errors import ModelError

MODEL_DIR = Path(__file__).resolve().parents[1] / "data"
MODEL_NAME = "spun_model"

MAX_REMEMBERED_PIECES = 2**14
"""Words (and word n-grams) whose hashed columns are remembered per block (a few MB) before the memory starts afresh."""
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
    found = _phrases_found(PLAIN_WORDS_RE.findall(sentence.lower()), phrases)
    mismatched = len(_AN_CONSONANT_RE.findall(sentence)) + len(_A_VOWEL_RE.findall(sentence))
    capitals = sum(1 for w in words[1:] if w[0].isupper())
    return [
        min(isolated, 3) / 3,
        min(len(_DOUBLE_ARTICLE_RE.findall(sentence)), 2) / 2,
        min(mismatched, 2) / 2,
        min(found, 4) / 4,
        capitals / max(1, len(words) - 1),
    ]


def _phrases_found(plain: list[str], phrases: frozenset[str]) -> int:
    """How many thesaurus phrases occur in the sentence whose plain words are ``plain``.

    A phrase occurs where it stands between spaces in the words joined by spaces. A phrase
    of plain words can only stand where its first word is one of the sentence's words, so
    only the phrases filed under those words are looked for (and every other phrase).
    """
    lowered = f" {' '.join(plain)} "
    by_first_word, others = _filed_phrases(phrases)
    candidates = {phrase for word in set(plain) for phrase in by_first_word.get(word, ())}
    return sum(1 for phrase in (*candidates, *others) if phrase in lowered)


@functools.cache
def _filed_phrases(phrases: frozenset[str]) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Each phrase with a space either side, filed under its first word when it is plain words; the rest apart.

    Built once per model rather than once per sentence.
    """
    by_first_word: dict[str, list[str]] = {}
    others = []
    for phrase in sorted(phrases):
        words = phrase.split(" ")
        if all(PLAIN_WORDS_RE.fullmatch(word) for word in words):
            by_first_word.setdefault(words[0], []).append(f" {phrase} ")
        else:
            others.append(f" {phrase} ")
    return {word: tuple(filed) for word, filed in by_first_word.items()}, tuple(others)


@functools.cache
def _vectorizer(kind: str) -> HashingVectorizer:
    params = CHAR_VECTORIZER if kind == "char" else WORD_VECTORIZER
    return HashingVectorizer(
        alternate_sign=False, norm="l2", **{**params, "ngram_range": tuple(params["ngram_range"])}
    )


def featurize(sentences: Sequence[str], phrases: frozenset[str]) -> sparse.csr_matrix:
    """Char n-grams, word n-grams and hand features of ``sentences``, side by side.

    The matrix is the one the two ``HashingVectorizer`` blocks and the hand features make
    when stacked with ``sparse.hstack`` (a test compares them bit for bit), built for all
    sentences at once without sklearn's per-call checks: each block's n-grams are put in
    the columns sklearn hashes them to (:class:`_HashedColumns`), counted and scaled to
    unit length, and the stored values are sorted by row and column as CSR keeps them.
    """
    texts = [normalize(s) for s in sentences]
    char_columns, word_columns = _hashed_columns("char"), _hashed_columns("word")
    word_offset = char_columns.n_features
    hand_offset = word_offset + word_columns.n_features
    blocks = (
        char_columns.entries([text.split() for text in texts]),
        word_columns.entries([_word_ngrams(text) for text in texts], word_offset),
        _hand_entries([hand_features(text, phrases) for text in texts], hand_offset),
    )
    rows, columns, values = (np.concatenate(parts) for parts in zip(*blocks, strict=True))
    # Each block is sorted by row and column, and each block's columns follow the one's before:
    # a stable sort by row alone puts every entry in its place.
    order = np.argsort(rows, kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(texts)))])
    return sparse.csr_matrix(
        (values[order], columns[order].astype(np.int32), indptr.astype(np.int32)),
        shape=(len(texts), hand_offset + len(HAND_FEATURES)),
    )


Entries = tuple[np.ndarray, np.ndarray, np.ndarray]
"""The stored values of a sparse matrix: their rows, their columns and the values."""


def _hand_entries(features: list[list[float]], offset: int) -> Entries:
    """The hand features as ``sparse.csr_matrix`` of them stores them: the values that are not zero."""
    matrix = np.array(features, dtype=np.float64).reshape(-1, len(HAND_FEATURES))
    rows, columns = np.nonzero(matrix)
    return rows, columns + offset, matrix[rows, columns]


def _char_wb_ngrams(text: str) -> list[str]:
    """The n-grams sklearn's ``char_wb`` analyzer gives for ``text`` (in the same order).

    Each word, padded with a space either side, gives every run of 2 to 5 characters; a
    padded word no longer than n gives itself once, and no longer n-grams.
    """
    low, high = CHAR_VECTORIZER["ngram_range"]
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            if size <= n:
                grams.append(padded)
                break
            grams += [padded[i : i + n] for i in range(size - n + 1)]
    return grams


_TOKEN_RE = re.compile(WORD_VECTORIZER["token_pattern"])


def _word_ngrams(text: str) -> list[str]:
    """The n-grams sklearn's ``word`` analyzer (``WORD_VECTORIZER``) gives for ``text``, in the same order.

    The text lower-cased and cut into tokens: every token, then every pair of neighbours.
    """
    tokens = _TOKEN_RE.findall(text.lower())
    return tokens + [f"{first} {second}" for first, second in pairwise(tokens)]


class _HashedColumns:
    """The columns sklearn's ``FeatureHasher`` gives the n-grams of each piece of a text, remembered.

    A piece is a word for the char n-grams (``char_wb`` reads each word on its own, so a
    text's n-grams are its words' n-grams) and one word n-gram for the word block. Each
    piece's n-grams are hashed by sklearn the first time the piece is seen; at most
    :data:`MAX_REMEMBERED_PIECES` pieces are kept, then the memory starts afresh.
    """

    def __init__(self, n_features: int, grams: Callable[[str], list[str]]) -> None:
        self.n_features = n_features
        self._grams = grams
        self._hasher = FeatureHasher(n_features, input_type="string", alternate_sign=False)
        self._columns: dict[str, np.ndarray] = {}

    def entries(self, pieces: list[list[str]], offset: int = 0) -> Entries:
        """The rows of ``pieces`` (one list per text) as ``HashingVectorizer`` with l2 norm stores them.

        Each row's count in each column (n-grams that hash alike add up), divided by the
        row's length; columns are shifted by ``offset``, and entries are sorted by row and column.
        """
        every = list(chain.from_iterable(pieces))
        self._remember(every)
        hashed = list(map(self._columns.__getitem__, every))
        columns = np.concatenate(hashed) if hashed else np.zeros(0, dtype=np.int64)
        piece_rows = np.repeat(np.arange(len(pieces)), list(map(len, pieces)))
        rows = np.repeat(piece_rows, list(map(len, hashed)))
        keys, counts = np.unique(rows * self.n_features + columns, return_counts=True)
        rows, columns = np.divmod(keys, self.n_features)
        values = counts.astype(np.float64)
        # Sums of squared whole counts are exact in any order: the norms equal sklearn's.
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(pieces)))
        return rows, columns + offset, values / norms[rows]

    def _remember(self, pieces: Iterable[str]) -> None:
        distinct = set(pieces)
        new = list(distinct.difference(self._columns))
        if not new:
            return
        if len(self._columns) + len(new) > MAX_REMEMBERED_PIECES:
            self._columns.clear()
            new = list(distinct)
        grams = [self._grams(piece) for piece in new]
        # One n-gram per row: each row's one stored entry is that n-gram's column.
        hashed = self._hasher.transform([[gram] for gram in chain.from_iterable(grams)]).indices
        ends = np.cumsum(list(map(len, grams)))
        for piece, columns in zip(new, np.split(hashed.astype(np.int64), ends[:-1]), strict=True):
            self._columns[piece] = columns


@functools.cache
def _hashed_columns(kind: str) -> _HashedColumns:
    grams = _char_wb_ngrams if kind == "char" else _itself
    return _HashedColumns(int(_vectorizer(kind).n_features), grams)


def _itself(gram: str) -> list[str]:
    return [gram]


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
