"""Targets and hybrid retrieval, with the deterministic stand-in embedder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from claimcheck.embedding import HashingEmbedder
from claimcheck.errors import NotFittedError
from claimcheck.evidence import load_evidence
from claimcheck.matching import EvidenceIndex, find_targets, is_compatible

EVIDENCE = Path(__file__).parent.parent / "evidence"


@pytest.fixture(scope="module")
def base():  # type: ignore[no-untyped-def]
    return load_evidence(EVIDENCE)


def test_targets_read_domain_interventions_and_conditions(base) -> None:  # type: ignore[no-untyped-def]
    (targets,) = find_targets("IV ketamine infusions for PTSD and treatment-resistant depression", base)
    assert targets.domain == "ketamine"
    assert "iv-ketamine" in targets.interventions
    assert {"ptsd", "trd"} <= targets.conditions
    assert find_targets("Our stem cell injections restore joints.", base) == []
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
    assert vectors.shape[0] == len(base.entries)
