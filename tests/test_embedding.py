"""The real embedding model: offline load, checksum, and vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from claimcheck.errors import ModelError
from claimcheck.evidence.embedding import (
    MINILM_SHA256,
    HashingEmbedder,
    MiniLMEmbedder,
    default_embedder,
    verify_weights,
)


def test_minilm_loads_offline_and_embeds() -> None:
    vectors = default_embedder().encode(
        ["Ketamine relieves depression.", "Ketamine eases depression.", "Buy tyres"]
    )
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert default_embedder().fingerprint.startswith(MINILM_SHA256)


def test_wrong_checksum_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="expected"):
        MiniLMEmbedder(expected_sha256="0" * 64).encode(["x"])
    fake = tmp_path / "model.safetensors"
    fake.write_bytes(b"not weights")
    with pytest.raises(ModelError, match="SHA-256"):
        verify_weights(fake, MINILM_SHA256)
    with pytest.raises(ModelError, match="not found"):
        verify_weights(tmp_path / "missing.safetensors", MINILM_SHA256)


def test_construction_does_no_io() -> None:
    embedder = MiniLMEmbedder(model_dir="/nonexistent")
    assert embedder.name.endswith("all-MiniLM-L6-v2")


def test_stand_in_is_deterministic() -> None:
    first = HashingEmbedder().encode(["same text"])
    second = HashingEmbedder().encode(["same text"])
    np.testing.assert_array_equal(first, second)
