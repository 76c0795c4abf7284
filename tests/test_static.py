"""Distilling the static table (train/static.py), on stand-in token outputs so no transformer runs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from claimcheck.evidence.embedding import StaticEmbedder, file_sha256, minilm_tokenizer_path
from claimcheck.train import static


def test_pca_keeps_the_largest_components_with_fixed_signs() -> None:
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(500, 6)) * np.array([9.0, 5.0, 3.0, 1.0, 0.5, 0.1])
    projected = static._pca(rows, 3)
    assert projected.shape == (500, 3)
    variances = projected.var(axis=0)
    assert list(variances) == sorted(variances, reverse=True)
    np.testing.assert_allclose(variances, [81, 25, 9], rtol=0.2)
    np.testing.assert_array_equal(projected, static._pca(-rows, 3)), "the sign of the data does not matter"


def test_sif_weights_lower_frequent_tokens() -> None:
    weights = static._sif_weights(30_000, 1e-4)
    assert np.all(np.diff(weights) > 0) and 0 < weights[0] < weights[-1] < 1


def test_a_distilled_table_loads_and_records_its_recipe(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    vocabulary = 30_522
    rows = np.random.default_rng(1).normal(size=(vocabulary, 24)).astype(np.float32)
    monkeypatch.setattr(static, "_token_outputs", lambda: rows)
    path = static.distill_static(tmp_path / "table.npz", dimensions=8)
    with np.load(path, allow_pickle=False) as data:
        params = json.loads(bytes(data["params"]).decode())
        assert data["table"].dtype == np.int8 and data["table"].shape == (vocabulary, 8)
    assert params["dimensions"] == 8 and params["tokenizer_sha256"] == file_sha256(minilm_tokenizer_path())
    embedder = StaticEmbedder(path)
    vectors = embedder.encode(["Ketamine relieves depression.", "KETAMINE relieves   Depression."])
    assert embedder.fingerprint == file_sha256(path) and vectors.shape == (2, 8)
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-6), "MiniLM's tokenizer lowercases"
