"""Distilling the static embedding from the packaged MiniLM (``claimcheck train --only static``).

model2vec's recipe, written out here so that it runs on the installed transformers
(model2vec's distiller pins an older one) and reads nothing from a model hub:

1. every token of MiniLM's vocabulary goes through the model alone, as
   ``[CLS] token [SEP]``, and the mean of the three output vectors is that token's row;
2. PCA (an eigendecomposition of the covariance, signs fixed so the result is
   deterministic) keeps ``dimensions`` components;
3. each row is weighted by SIF, ``a / (a + p)``, with the token's probability ``p``
   estimated by Zipf's law from its rank in the vocabulary, so frequent tokens count less;
4. rows are stored as int8 with one float scale each.

The result is ``claimcheck/data/minilm_static.npz`` with the recipe, MiniLM's weights
hash and its tokenizer's hash in a JSON ``params`` array (no pickle). It depends on
MiniLM alone, not on any corpus, so a plain ``claimcheck train`` leaves it; after
rebuilding it, retrain the claim model (whose dense features it computes).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..evidence.embedding import (
    MINILM_NAME,
    MINILM_SHA256,
    STATIC_NAME,
    file_sha256,
    minilm_embedder,
    minilm_tokenizer_path,
    static_model_path,
)

DIMENSIONS = 256
SIF_COEFFICIENT = 1e-4
BATCH = 2048


def distill_static(output: str | Path | None = None, dimensions: int = DIMENSIONS) -> Path:
    """Distil the static table from the packaged MiniLM and save it (default: the bundled file)."""
    rows = _token_outputs()
    table = _pca(rows, dimensions) * _sif_weights(len(rows), SIF_COEFFICIENT)[:, None]
    scale = np.maximum(np.abs(table).max(axis=1), 1e-12) / 127.0
    quantized = np.round(table / scale[:, None]).astype(np.int8)
    params = {
        "name": STATIC_NAME,
        "source": MINILM_NAME,
        "source_sha256": MINILM_SHA256,
        "tokenizer_sha256": file_sha256(minilm_tokenizer_path()),
        "recipe": "model2vec: mean of [CLS] token [SEP] outputs, PCA, SIF (Zipf ranks), int8 rows",
        "dimensions": dimensions,
        "sif_coefficient": SIF_COEFFICIENT,
    }
    path = Path(output) if output is not None else static_model_path()
    with path.open("wb") as handle:
        np.savez_compressed(
            handle,
            table=quantized,
            scale=scale.astype(np.float32),
            params=np.frombuffer(json.dumps(params, sort_keys=True).encode(), dtype=np.uint8),
        )
    return path


def _token_outputs() -> np.ndarray:
    """MiniLM's mean output for each vocabulary token on its own, one row per token id."""
    import torch

    model = minilm_embedder()._model
    transformer, tokenizer = model[0].auto_model, model.tokenizer
    size = len(tokenizer.get_vocab())
    rows = np.zeros((size, transformer.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, size, BATCH):
            ids = torch.arange(start, min(start + BATCH, size))
            cls, sep = (
                torch.full_like(ids, token) for token in (tokenizer.cls_token_id, tokenizer.sep_token_id)
            )
            framed = torch.stack([cls, ids, sep], dim=1)
            output = transformer(input_ids=framed, attention_mask=torch.ones_like(framed)).last_hidden_state
            rows[start : start + len(ids)] = output.mean(dim=1).numpy()
    return rows


def _pca(rows: np.ndarray, dimensions: int) -> np.ndarray:
    """The rows projected on their ``dimensions`` principal components, each component's sign fixed."""
    centred = (rows - rows.mean(axis=0)).astype(np.float64)
    _, vectors = np.linalg.eigh(centred.T @ centred / (len(rows) - 1))
    projected = centred @ vectors[:, ::-1][:, :dimensions]
    largest = np.abs(projected).argmax(axis=0)
    signs: np.ndarray = np.sign(projected[largest, np.arange(dimensions)])
    return np.asarray(projected * signs)


def _sif_weights(size: int, coefficient: float) -> np.ndarray:
    inverse_rank = 1.0 / np.arange(2, size + 2)
    probability = inverse_rank / inverse_rank.sum()
    return np.asarray(coefficient / (coefficient + probability))
