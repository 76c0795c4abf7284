"""Targets and hybrid retrieval, with the deterministic stand-in embedder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from claimcheck.annotate import annotate
from claimcheck.claims.detect import claim_at
from claimcheck.errors import NotFittedError
from claimcheck.evidence.base import load_evidence
from claimcheck.evidence.embedding import HashingEmbedder
from claimcheck.evidence.vocabulary import find_targets, is_compatible
from claimcheck.records import Document
from claimcheck.verdicts.matching import Candidate, EvidenceIndex, _best, retrieval_queries

EVIDENCE = Path(__file__).parent.parent / "evidence"


@pytest.fixture(scope="module")
def base():  # type: ignore[no-untyped-def]
    return load_evidence(EVIDENCE)


def test_targets_read_domain_interventions_and_conditions(base) -> None:  # type: ignore[no-untyped-def]
    (targets,) = find_targets("IV ketamine infusions for PTSD and treatment-resistant depression", base)
    assert targets.domain == "ketamine"
    assert "iv-ketamine" in targets.interventions
    assert {"ptsd", "trd"} <= targets.conditions
    assert find_targets("Our psilocybin sessions restore joints.", base) == []
    (stem,) = find_targets("Our stem cell injections restore joints.", base)
    assert stem.domain == "stem-cells" and "orthopedic" in stem.conditions
    (tms,) = find_targets("TMS is cleared for depression.", base)
    assert tms.domain == "tms"


def test_compatibility_follows_broader_terms(base) -> None:  # type: ignore[no-untyped-def]
    domain = base.domains["ketamine"]
    assert is_compatible("iv-ketamine", frozenset({"ketamine"}), domain)
    assert is_compatible("ketamine", frozenset({"iv-ketamine"}), domain)
    assert not is_compatible("esketamine-nasal", frozenset({"iv-ketamine"}), domain)
    assert is_compatible(None, frozenset({"ptsd"}), domain)


def test_index_follows_the_estimator_contract(base, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = EvidenceIndex(HashingEmbedder(), cache_dir=tmp_path)
    with pytest.raises(NotFittedError):
        index.search(["ketamine"], [set()])
    assert index.fit(base) is index


def test_search_ranks_within_the_allowed_entries_and_applies_priors(base, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = EvidenceIndex(HashingEmbedder(), cache_dir=tmp_path).fit(base)
    ids = [e.entry.id for e in base.entries]
    allowed = {i for i, e in enumerate(base.entries) if e.domain == "tms"}
    (results,) = index.search(["TMS scalp discomfort and headache"], [allowed], k=3)
    assert len(results) == 3 and all(r.entry.domain == "tms" for r in results)
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    target = ids.index(results[-1].entry.entry.id)
    priors = np.zeros((1, len(ids)))
    priors[0, target] = 10.0
    (boosted,) = index.search(["TMS scalp discomfort and headache"], [allowed], k=3, priors=priors)
    assert boosted[0].entry.entry.id == ids[target]


def test_evidence_embeddings_are_cached_by_evidence_and_model_hash(base, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    EvidenceIndex(HashingEmbedder(), cache_dir=tmp_path).fit(base)
    (cached,) = tmp_path.glob("evidence-*.npy")
    assert base.content_hash[:16] in cached.name
    assert HashingEmbedder().fingerprint in cached.name
    vectors = np.load(cached)
    keywords = sum(len(e.entry.keywords) for e in base.entries)
    assert vectors.shape[0] == len(base.entries) + keywords


class LeaningEmbedder(HashingEmbedder):
    """The stand-in's vectors with one direction shared by every text, as averaged token vectors have."""

    name = "hashing-leaning"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = super().encode(texts) + 5.0 * np.eye(1, self.n_features, 0)
        return np.asarray(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), dtype=np.float32)


def test_a_direction_every_text_shares_does_not_decide_the_meaning_score(base, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plain = EvidenceIndex(HashingEmbedder()).fit(base)
    leaning = EvidenceIndex(LeaningEmbedder()).fit(base)
    np.testing.assert_allclose(leaning.vectors_.mean(axis=0)[0], 0.0, atol=0.05)
    allowed = {i for i, e in enumerate(base.entries) if e.domain == "ketamine"}
    query = ["Ketamine infusions can raise blood pressure during the session"]
    (expected,), (found,) = plain.search(query, [allowed], k=3), leaning.search(query, [allowed], k=3)
    assert [c.entry.entry.id for c in found] == [c.entry.entry.id for c in expected]
    assert found[0].dense - found[-1].dense > 0.05, "the shared lean is gone, the differences remain"


def test_texts_searched_together_score_as_they_do_alone(base) -> None:  # type: ignore[no-untyped-def]
    """Only the domains a text may be matched with are scored, and each text's scores are its own."""
    index = EvidenceIndex(HashingEmbedder()).fit(base)
    by_domain = [{i for i, e in enumerate(base.entries) if e.domain == d} for d in ("ketamine", "tms")]
    texts = ["Ketamine infusions work within hours", "TMS sessions cause mild headaches"]

    def scored(found: list[Candidate]) -> list[tuple[str, float, float]]:
        return [(c.entry.entry.id, round(c.dense, 5), round(c.lexical, 12)) for c in found]

    together = [scored(found) for found in index.search(texts, [*by_domain], k=3)]
    alone = [
        scored(index.search([t], [allowed], k=3)[0]) for t, allowed in zip(texts, by_domain, strict=True)
    ]
    assert together == alone and all(together)
    assert index.search(texts, [set(), set()], k=3) == [[], []]


def test_closest_keyword_phrase_counts_in_the_meaning_score(base, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = [e.entry.id for e in base.entries]
    target = ids.index("esk-safety-nausea-dizziness")
    whole_only = EvidenceIndex(HashingEmbedder(), cache_dir=tmp_path, keyword_weight=0.0).fit(base)
    with_keywords = EvidenceIndex(HashingEmbedder(), cache_dir=tmp_path, keyword_weight=0.5).fit(base)
    ((plain,),) = whole_only.search(["queasiness"], [{target}], k=1)
    ((blended,),) = with_keywords.search(["queasiness"], [{target}], k=1)
    assert blended.dense == pytest.approx(0.5 * plain.dense + 0.5 * 1.0, abs=1e-5)


def queries_of(text: str, *quotes: str) -> list[str]:
    """The retrieval queries of claims quoted from ``text``, read from its annotated document."""
    claims = [claim_at(quote, text.index(quote), ("safety",)) for quote in quotes]
    return retrieval_queries(claims, annotate(Document("t", text)))


def test_retrieval_query_adds_a_table_rows_header() -> None:
    text = "Side effects\nSide effect | How long it lasts\n--- | ---\nQueasiness | Brief\nHeadache | An hour"
    assert queries_of(text, "Headache | An hour", "Side effect | How long it lasts") == [
        "Side effect | How long it lasts Headache | An hour",
        "Side effect | How long it lasts",
    ]


def test_retrieval_query_resolves_a_leading_pronoun_from_the_sentence_before() -> None:
    text = "Most patients feel dizzy or queasy during the infusion. These pass within two hours.\nBook now."
    assert queries_of(text, "These pass within two hours.", "Book now.") == [
        "Most patients feel dizzy or queasy during the infusion. These pass within two hours.",
        "Book now.",
    ]


def test_lexical_rows_are_sklearns_transform_to_the_last_bit(base, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = EvidenceIndex(HashingEmbedder(), cache_dir=tmp_path).fit(base)
    texts = [
        "Ketamine infusions relieve depression in 70% of patients within 24 hours.",
        "ketamine KETAMINE ketamine infusion infusions side effects side effects nausea",
        "",
        "zzz qqq 12345",  # no vocabulary term: an empty row
        "The the and of",  # stop words only
        "Esketamine nasal spray is FDA approved for treatment-resistant depression; TMS is cleared too.",
        "Stem cell injections regenerate cartilage and cure arthritis — relief lasts for years!",
    ]
    for model in index.lexical_:
        ours, sklearns = model.transform(texts), model.vectorizer.transform(texts)
        assert ours.shape == sklearns.shape
        assert ours.indptr.tolist() == sklearns.indptr.tolist()
        assert ours.indices.tolist() == sklearns.indices.tolist()
        assert ours.data.tobytes() == sklearns.data.tobytes()
        scores = (ours @ model.matrix.T).toarray()
        assert scores.tobytes() == (sklearns @ model.matrix.T).toarray().tobytes()


def test_best_positions_are_the_top_scores_lower_position_first_among_equals() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        scores = rng.integers(0, 4, size=30).astype(float) / 3  # many ties
        allowed = set(rng.choice(30, size=int(rng.integers(0, 30)), replace=False).tolist())
        for k in (1, 3, 50):
            assert _best(scores, allowed, k) == sorted(allowed, key=lambda p: (-scores[p], p))[:k]
