"""Claim–evidence matching: which entries bear on a claim.

What a claim is about comes from the evidence's vocabulary
(:mod:`claimcheck.evidence.vocabulary`, recorded on each unit by the annotation stage),
so a claim about one treatment is only ever compared with that treatment's evidence
(the cross-domain standards are never a claim's domain; the rules cite them directly).
``EvidenceIndex`` then ranks the entries of that domain by meaning (sentence embeddings) and by words (TF-IDF), fused into one score. The meaning score
looks at an entry twice: its whole text, and its closest keyword phrase (keywords hold
the words clinics use, "wear off" or "queasiness", which one long embedding blurs).
Evidence embeddings are computed once and cached on disk, keyed by the evidence hash
and the model fingerprint. Similarities are taken between vectors centred on the mean of
the evidence's own vectors: averaged token embeddings (the static table) all lean one
way, and that shared lean, not meaning, would otherwise fill most of every cosine.
"""

from __future__ import annotations

import logging
import os
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2
from threadpoolctl import ThreadpoolController

from ..claims.lexicon import CueMatch
from ..claims.quantities import DURABILITY_QUALIFIERS, ONSET_QUALIFIERS
from ..errors import NotFittedError
from ..evidence.base import Entry, EvidenceBase, LocatedEntry
from ..evidence.embedding import Embedder
from ..records import AnnotatedDocument, Claim, Unit

log = logging.getLogger(__name__)

DENSE_WEIGHT = 0.4
KEYWORD_WEIGHT = 0.2
"""Share of the meaning score that comes from the entry's closest keyword phrase."""
ANAPHOR = re.compile(r"(?:it|this|these|those|they|such)\b", re.I)
CUE_NEEDS = {  # cue category -> the kind of fact a claim with that cue states
    "kind:safety": "safety",
    "rarity": "safety",
    "kind:regulatory": "regulatory",
    "regulatory_denial": "regulatory",
    "authority_claim": "authority",
    "kind:indication": "indication",
}


@dataclass(frozen=True)
class Candidate:
    """An evidence entry retrieved for a claim, with its fused and component scores."""

    entry: LocatedEntry
    score: float
    dense: float
    lexical: float


def retrieval_queries(claims: Sequence[Claim], document: AnnotatedDocument) -> list[str]:
    """Each claim's words plus what they lean on, for retrieval only.

    A table row ("Queasiness | Brief") means little without its table's first row ("Side
    effect | How long it lasts"), and a sentence that opens with "These" or "It" names its
    subject in the unit before. Both come from the document's units; the checks still
    read the claim's own words.
    """
    units = [annotated.unit for annotated in document.units]
    return [_query(claim, units) for claim in claims]


def _query(claim: Claim, units: Sequence[Unit]) -> str:
    at = bisect_right(units, claim.start, key=lambda unit: unit.start) - 1
    frame = _table_header(units, at) or (units[at - 1].text if at > 0 and ANAPHOR.match(claim.text) else "")
    return f"{frame} {claim.text}" if frame else claim.text


def _table_header(units: Sequence[Unit], at: int) -> str:
    """The first row of the run of table rows that ``units[at]`` belongs to ("" for that row itself, or outside a table)."""
    if at < 0 or units[at].kind != "table_row":
        return ""
    first = at
    while first > 0 and units[first - 1].kind == "table_row":
        first -= 1
    return units[first].text if first < at else ""


def claim_needs(claim: Claim, cues: Sequence[CueMatch]) -> set[str]:
    """The kinds of fact a claim states, read from its numbers and cue words."""
    categories = {c.category for c in cues}
    needs = set()
    if any(q.kind in ("percent", "ratio") and q.qualifier != "offer" for q in claim.quantities):
        needs.add("rate")
    if any(q.kind == "duration" and q.qualifier in ONSET_QUALIFIERS for q in claim.quantities) or (
        "kind:onset" in categories
    ):
        needs.add("onset")
    if any(q.kind == "duration" and q.qualifier in DURABILITY_QUALIFIERS for q in claim.quantities) or (
        "lasting" in categories
    ):
        needs.add("duration")
    if any(q.kind == "money" for q in claim.quantities) or "coverage" in categories:
        needs.add("cost")
    needs |= {need for category, need in CUE_NEEDS.items() if category in categories}
    return needs


def entry_offers(entry: Entry, conditions: frozenset[str]) -> set[str]:
    """The kinds of fact an entry can answer."""
    offers = {
        name
        for name, value in (("rate", entry.figures), ("onset", entry.onset), ("duration", entry.duration))
        if value
    }
    if entry.kind in ("cost", "safety", "regulatory", "authority"):
        offers.add(entry.kind)
    if entry.kind == "indication" and entry.condition in conditions:
        offers.add("indication")
    return offers


class EvidenceIndex:
    """Hybrid dense + lexical retrieval over the evidence base (estimator-shaped)."""

    def __init__(
        self,
        embedder: Embedder,
        cache_dir: str | Path | None = None,
        dense_weight: float = DENSE_WEIGHT,
        keyword_weight: float = KEYWORD_WEIGHT,
    ):
        self.embedder = embedder
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.dense_weight = dense_weight
        self.keyword_weight = keyword_weight

    def fit(self, base: EvidenceBase) -> EvidenceIndex:
        self.base_ = base
        documents = [_entry_document(located) for located in base.entries]
        keywords = [(i, k) for i, located in enumerate(base.entries) for k in located.entry.keywords]
        owners = np.array([i for i, _ in keywords], dtype=np.int64)
        # The entries that have keywords, and where each one's (contiguous) keywords start.
        self.keyword_groups_ = np.unique(owners, return_index=True)
        vectors = self._embed_evidence(documents + [k for _, k in keywords], base.content_hash)
        self.centre_ = vectors.mean(axis=0) if len(vectors) else np.zeros(vectors.shape[1:])
        vectors = _centred(vectors, self.centre_)
        self.vectors_, self.keyword_vectors_ = vectors[: len(documents)], vectors[len(documents) :]
        self.lexical_ = [
            _fit_lexical([documents[p] for p in positions], positions) for positions in _by_domain(base)
        ]
        return self

    def search(
        self,
        texts: Sequence[str],
        allowed: Sequence[AbstractSet[int]],
        k: int = 3,
        priors: np.ndarray | None = None,
    ) -> list[list[Candidate]]:
        """Top-``k`` candidates for each text among the entry positions it is allowed.

        ``priors`` (texts × entries) is added to the fused score: the caller's knowledge of which
        entries can answer the claim at all (a rate needs an entry with figures, say).
        """
        if not hasattr(self, "vectors_"):
            raise NotFittedError("EvidenceIndex is not fitted: call fit(evidence_base) first")
        if not texts:
            return []
        queries = _centred(self.embedder.encode(list(texts)), self.centre_)
        with _blas().limit(
            limits=1, user_api="blas"
        ):  # a product this small only keeps a second thread spinning
            dense = self._dense(queries)
        lexical = np.zeros((len(texts), len(self.base_.entries)))
        for model in self.lexical_:
            rows = [i for i, entries in enumerate(allowed) if not entries.isdisjoint(model.positions)]
            if rows:  # a domain no text may be matched with is not scored
                scores = model.transform([texts[i] for i in rows]) @ model.matrix.T
                lexical[np.ix_(rows, model.positions)] = scores.toarray()
        fused = self.dense_weight * dense + (1 - self.dense_weight) * lexical
        if priors is not None:
            fused = fused + priors
        return [self._top(fused[i], dense[i], lexical[i], allowed[i], k) for i in range(len(texts))]

    def _dense(self, queries: np.ndarray) -> np.ndarray:
        """Similarity to each entry's whole text, blended with its closest keyword phrase."""
        whole: np.ndarray = queries @ self.vectors_.T
        owners, firsts = self.keyword_groups_
        if not len(owners):
            return whole
        closest = whole.copy()
        closest[:, owners] = np.maximum.reduceat(queries @ self.keyword_vectors_.T, firsts, axis=1)
        return (1 - self.keyword_weight) * whole + self.keyword_weight * closest

    def _top(
        self, fused: np.ndarray, dense: np.ndarray, lexical: np.ndarray, allowed: AbstractSet[int], k: int
    ) -> list[Candidate]:
        positions = _best(fused, allowed, k)
        entries = self.base_.entries
        return [
            Candidate(entries[p], round(float(fused[p]), 4), float(dense[p]), float(lexical[p]))
            for p in positions
        ]

    def _embed_evidence(self, texts: list[str], evidence_hash: str) -> np.ndarray:
        path = self._cache_path(evidence_hash)
        if path is not None and path.is_file():
            cached: np.ndarray = np.load(path, allow_pickle=False)
            if cached.shape[0] == len(texts):
                return cached
        vectors = self.embedder.encode(texts)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                # Written aside, then renamed: worker processes sharing the cache never read half a file.
                aside = path.with_name(f"{path.stem}.{os.getpid()}.partial.npy")
                np.save(aside, vectors, allow_pickle=False)
                os.replace(aside, path)
            except OSError as error:
                log.warning("could not cache evidence embeddings at %s: %s", path, error)
        return vectors

    def _cache_path(self, evidence_hash: str) -> Path | None:
        if self.cache_dir is None:
            return None
        model = re.sub(r"[^A-Za-z0-9]+", "-", self.embedder.fingerprint)[:40]
        return self.cache_dir / f"evidence-{evidence_hash[:16]}-{model}-v2.npy"


@cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def _centred(vectors: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """``vectors`` less ``centre``, back to unit length (a vector equal to the centre becomes zeros)."""
    shifted = vectors - centre
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    return np.asarray(shifted / np.where(norms > 0, norms, 1.0), dtype=np.float32)


def _by_domain(base: EvidenceBase) -> list[list[int]]:
    """Entry positions grouped by domain (a claim is only ever ranked against one domain's entries)."""
    groups: dict[str, list[int]] = {}
    for position, located in enumerate(base.entries):
        groups.setdefault(located.domain, []).append(position)
    return list(groups.values())


@dataclass(frozen=True)
class LexicalModel:
    """One domain's TF-IDF model: the fitted vectorizer, its entries' rows, and their positions in the base."""

    vectorizer: TfidfVectorizer
    matrix: csr_matrix
    positions: list[int]
    analyze: Callable[[str], list[str]]
    """The vectorizer's analyzer (lower-casing, tokens, stop words, word pairs), built once."""

    def transform(self, texts: Sequence[str]) -> csr_matrix:
        """``vectorizer.transform(texts)``: the same matrix, float for float, without sklearn's per-call checks.

        sklearn validates its input and fitted state on every call, which took most of the
        time on a page's few claims. The steps are its own, in its order: each text's counts
        of vocabulary terms, in column order; 1 + log of each (sublinear tf); times the term's
        idf; each row scaled to unit length by the routine sklearn's ``normalize`` uses.
        """
        vocabulary = self.vectorizer.vocabulary_
        indptr, indices, counts = [0], [], []
        for text in texts:
            found = Counter(vocabulary[term] for term in self.analyze(text) if term in vocabulary)
            for column in sorted(found):
                indices.append(column)
                counts.append(found[column])
            indptr.append(len(indices))
        data = np.log(np.array(counts, dtype=np.float64)) + 1.0
        data *= self.vectorizer.idf_[np.array(indices, dtype=np.intp)]
        rows = csr_matrix(
            (data, np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int32)),
            shape=(len(texts), len(vocabulary)),
        )
        inplace_csr_row_normalize_l2(rows)
        return rows


def _fit_lexical(documents: list[str], positions: list[int]) -> LexicalModel:
    """A TF-IDF model of one domain's entries: word weights learned within the domain, so adding
    another domain leaves this one's ranking unchanged."""
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english")
    matrix = vectorizer.fit_transform(documents)
    return LexicalModel(vectorizer, matrix, positions, vectorizer.build_analyzer())


def _entry_document(located: LocatedEntry) -> str:
    entry = located.entry
    parts = [entry.statement, entry.kind, entry.intervention.replace("-", " ")]
    parts += [p.replace("-", " ") for p in (entry.condition, entry.outcome, entry.timepoint) if p]
    parts += entry.keywords
    return ". ".join(parts)


def _best(scores: np.ndarray, allowed: AbstractSet[int], k: int) -> list[int]:
    """The ``k`` allowed positions with the highest scores, the lower position first among equals.

    ``sorted(allowed, key=lambda p: (-scores[p], p))[:k]``, with the scores read from the
    array in one step rather than one numpy scalar per position per comparison key.
    """
    positions = sorted(allowed)
    values = scores[positions].tolist() if positions else []
    ranked = sorted(range(len(positions)), key=lambda i: -values[i])
    return [positions[i] for i in ranked[:k]]
