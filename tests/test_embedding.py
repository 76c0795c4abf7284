"""The real embedding models: the static table the pipeline uses, and MiniLM it is distilled from."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from claimcheck.errors import ModelError
from claimcheck.evidence import embedding
from claimcheck.evidence.embedding import (
    MINILM_SHA256,
    STATIC_NAME,
    HashingEmbedder,
    MiniLMEmbedder,
    StaticEmbedder,
    default_embedder,
    file_sha256,
    minilm_embedder,
    static_model_path,
    verify_weights,
)

SENTENCES = ["Ketamine relieves depression.", "Ketamine eases depression.", "Buy tyres"]


def test_the_pipeline_embeds_with_the_static_table() -> None:
    embedder = default_embedder()
    assert isinstance(embedder, StaticEmbedder) and embedder.name == STATIC_NAME
    assert embedder.fingerprint == file_sha256(static_model_path())


def test_static_vectors_are_unit_length_and_keep_meaning() -> None:
    vectors = default_embedder().encode(SENTENCES)
    assert vectors.shape == (3, default_embedder().dimensions) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_static_vectors_do_not_depend_on_the_batch() -> None:
    embedder = default_embedder()
    together = embedder.encode([*SENTENCES, "", "   "])
    alone = np.stack([_fresh(embedder, [text])[0] for text in [*SENTENCES, "", "   "]])
    np.testing.assert_array_equal(together, alone)
    assert not together[3:].any(), "a text without tokens has no direction"
    assert embedder.encode([]).shape == (0, embedder.dimensions)
    np.testing.assert_array_equal(embedder.encode(["dose \ud800 here"]), embedder.encode(["dose ? here"]))


def test_rows_summed_a_few_texts_at_a_time_equal_one_sum_over_the_whole_batch() -> None:
    """The grouping only keeps the rows in cache: every bit of every sum is the same."""
    table = np.random.default_rng(0).standard_normal((50, 8)).astype(np.float32)
    lengths = [0, 1, 3, 40, 0, 7, 120, 2] * 9
    encodings = [[(7 * i + j) % 50 for j in range(length)] for i, length in enumerate(lengths)]
    tokens = np.array([t for ids in encodings for t in ids])
    starts = (np.cumsum(lengths) - lengths)[np.array(lengths) > 0]
    whole = np.zeros((len(encodings), 8), dtype=np.float32)
    whole[np.array(lengths) > 0] = np.add.reduceat(table[tokens], starts, axis=0)
    step = embedding.STATIC_CHUNK_TEXTS
    chunked = np.concatenate(
        [embedding._summed_rows(table, encodings[i : i + step]) for i in range(0, len(encodings), step)]
    )
    assert len(encodings) > step
    np.testing.assert_array_equal(chunked, whole)


def _fresh(embedder: StaticEmbedder, texts: list[str]) -> np.ndarray:
    """The vectors ``embedder`` encodes for ``texts`` with nothing remembered."""
    embedder.clear_memo()
    return embedder.encode(texts)


def test_remembered_static_vectors_are_the_ones_encoding_gives() -> None:
    embedder = default_embedder()
    texts = [*SENTENCES, "Ketamine relieves depression within hours for most patients.", SENTENCES[0]]
    alone = np.stack([_fresh(embedder, [text])[0] for text in texts])
    first = _fresh(embedder, texts[:2])
    mixed = embedder.encode(texts)  # two remembered, two new, one repeated
    assert mixed.dtype == np.float32
    np.testing.assert_array_equal(mixed, alone)
    np.testing.assert_array_equal(first, alone[:2])


def test_the_static_memo_keeps_the_most_recently_encoded_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedding, "STATIC_MEMO_SIZE", 2)
    embedder = StaticEmbedder()
    embedder.encode(["one dose", "two doses", "three doses"])
    embedder.encode(["two doses"])
    assert list(embedder._memo) == ["two doses", "three doses"]


def test_static_table_agrees_with_minilm_on_what_is_similar() -> None:
    """The distilled table ranks pairs of sentences roughly as MiniLM does."""
    pairs = [
        ("Ketamine infusions relieve depression.", "Ketamine eases depressive symptoms."),
        ("Ketamine infusions relieve depression.", "Free parking is available on site."),
        ("Side effects fade within hours.", "Nausea and dizziness wear off quickly."),
        ("Side effects fade within hours.", "Call us to book a consultation."),
    ]
    texts = [t for pair in pairs for t in pair]
    for embedder in (default_embedder(), minilm_embedder()):
        vectors = embedder.encode(texts)
        similarity = [float(vectors[i] @ vectors[i + 1]) for i in range(0, len(texts), 2)]
        assert similarity[0] > similarity[1] and similarity[2] > similarity[3], embedder.name


def test_static_construction_does_no_io() -> None:
    embedder = StaticEmbedder("/nonexistent/table.npz", "/nonexistent/tokenizer.json")
    assert embedder.name == STATIC_NAME


def test_a_corrupt_static_table_is_a_model_error(tmp_path: Path) -> None:
    broken = tmp_path / "table.npz"
    broken.write_bytes(b"not a table")
    with pytest.raises(ModelError, match="train --only static"):
        StaticEmbedder(broken).encode(["x"])


def test_a_tokenizer_other_than_the_distilled_ones_is_refused(tmp_path: Path) -> None:
    table = tmp_path / "table.npz"
    shutil.copy(static_model_path(), table)
    other = tmp_path / "tokenizer.json"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(ModelError, match="not the one"):
        StaticEmbedder(table, other).encode(["x"])


def test_minilm_loads_offline_and_embeds() -> None:
    vectors = minilm_embedder().encode(SENTENCES)
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert minilm_embedder().fingerprint.startswith(MINILM_SHA256)


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
