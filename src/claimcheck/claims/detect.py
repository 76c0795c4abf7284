"""Claims: which units are checkable assertions, of what kinds, resting on what numbers.

Each unit becomes a bag of string features: its words and word pairs, the lexicon's
cue categories (spaCy PhraseMatcher), the shapes of its quantities, and its layout
(heading, list item, question). The features are hashed (stateless, so nothing but
the weights needs saving) and scored by scikit-learn logistic regressions: one for
claim / not claim, one per claim kind, and, when the training examples carry verdicts,
one for "an annotator would flag this claim" and one per overstatement reason. The
verdict stage uses that flag score only where its rules find nothing (see
:mod:`claimcheck.verdicts.judge`). ``ClaimModel`` follows the estimator contract:
``fit`` returns ``self``; using it before ``fit`` raises NotFittedError. The fitted
weights are saved as sparse arrays in an ``.npz`` file (no pickle) and shipped in
``claimcheck/data/``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression

from ..errors import ModelError, NotFittedError
from ..evidence.embedding import Embedder, default_embedder
from ..records import (
    CLAIM_KINDS,
    REASONS,
    AnnotatedDocument,
    Claim,
    ClaimKind,
    CueMatch,
    Quantity,
    Reason,
    Unit,
)
from ..signals.money import find_money
from ..text.segment import opens_a_quotation, unquoted
from .lexicon import CLAUSE_BREAK, LEANING, about_the_treated, causal_strength, cue_counts, find_cues
from .quantities import find_quantities

N_FEATURES = 2**18
MODEL_FILE = "claim_model.npz"
WORD = re.compile(r"[a-z][a-z'+-]*|\d+")
MIN_KIND_PROBABILITY = 0.5
CLAIM_C = 3.0
"""Inverse regularisation of the claim / not-claim head (the other heads use ``c``). Chosen by
cross-validation on both sets: from 1 to 3, real-page precision rose 0.642 -> 0.657 at the same
recall (0.879); at 5 recall fell."""
PROMOTION_FLOOR = 0.2
"""The least claim score at which overstating wording makes a unit a claim (``find_claims``). Measured on the
dev set, `corpora/` and `corpora/blind/` together: from no promotion to 0.2, dev overstatement 0.835 -> 0.838,
blind 0.800 -> 0.802, corpora unchanged; at 0.1 the dev figure fell (0.826: menus and service lines)."""
MIN_KIND_EXAMPLES = 2
MIN_REASON_PROBABILITY = 0.5
DENSE_SCALE = 3.0
"""Weight of the unit's (static, unit-length) embedding beside its hashed features."""
FLAG_DENSE_SCALE = 2.5
"""The embedding's weight for the flag and reason heads, which lean more on the claim's words."""
QUOTE_MARKS = ('"', "“", "”")
RESULT_CUES = frozenset(
    {
        "treatment",
        "kind:efficacy",
        "kind:indication",
        "restoration",
        "remission",
        "lasting",
        "testimonial_proof",
    }
)
"""Cue categories by which a patient's review speaks of the treatment or what it did."""
WHOLLY_SAFE = re.compile(
    r"(?<![\"“‘'])(?<!\bfelt )(?<!\bfeel )(?<!\bfeels )(?<!\bfeeling )"
    r"\b(?:completely|totally|100\s?%|perfectly|entirely|absolutely|extremely)\s+safe\b(?![\"”’'])",
    re.I,
)
"""Safety stated without limit, in the page's own words (not in quotation marks, not a feeling)."""
PAST_SPEECH = re.compile(r"(?<!\bthat )\bsaid\b|\b(?:told|heard that)\b", re.I)
"""Speech told of in the past; "That said," is a turn of the argument, no speaker."""
SURVEY_ANSWER = re.compile(
    r"(?:%|\bpercent\b|\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out of)\s+(?:\d+|ten|five|four|three)\b)"
    r"[^.;:!?\"”]{0,60}?\b(?:said|told)\b",
    re.I,
)
"""A share of people who said something ("72% said they were still doing well", "7 in 10 members told us"): a survey's
result, which a page states as its own, not someone's speech (no quotation closes before the verb)."""
PRESENT_SPEECH = re.compile(r"\b(?:says|according to|explains|added|adds)\b", re.I)
_TITLE_WORDS = r"(?:(?:[A-Z][a-z]+|medical|lead|chief|clinical|nurse|director|our)\s+){0,3}"
_CREDENTIAL = r"(?:MD|DO|PhD|PsyD|LMFT|LCSW|LPC|NP|PMHNP|FNP|PA-C|RN|CRNA|DNP|MSN|MBBS|FRCPC|FRANZCP)"
STAFF_BIO = re.compile(
    rf"(?:[A-Z][\w ]{{0,30}}:\s*)?{_TITLE_WORDS}(?:Dr\.?\s+[A-Z][a-z'-]+\s+[A-Z][a-z'-]+|[A-Z][a-z'-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z'-]+){{1,2}},\s*{_CREDENTIAL}\b)"
)
"""A sentence that opens on a practitioner: "Dr. Ana Ruiz, our medical director, ...", "Tam Oyo, LMFT, leads ..."."""
TREATED_PEOPLE = re.compile(
    r"\b(?:of|among)\s+(?:our\s+(?:patients|clients|guests|members|veterans|participants)|(?:patients|clients|guests|members))\b",
    re.I,
)
"""The people a clinic treats (its own, or patients and guests at large): a rate of them is an outcome."""
OUTCOME_RATE = re.compile(r"\b(?:success|response|remission|improvement|recovery|cure)\s+rates?\b", re.I)
NOT_BEFORE = re.compile(r"\b(?:not|never|no)\s+(?:\w+\s+){0,2}$", re.I)
"""A denial just before a phrase ("is not FDA-registered", "was never registered with the FDA")."""
PAYMENT_TERMS = re.compile(
    r"\b(?:cancellations?|late[- ]cancel\w*|no-shows?|deposits?|APR|interest[- ]free|no interest|deferred interest|"
    r"financing|lenders?|refunds?|refunded|refundable|forfeits?|late fees?|installments?|payment plans?|approved credit)\b",
    re.I,
)
"""Words of a provider's terms of payment: cancelling a booking, deposits, refunds, credit and its interest."""
COVERAGE = re.compile(
    r"\b(?:insur\w*|cover(?:s|ed|age)?|reimburs\w*|superbills?|HSA|FSA|Medicare|Medicaid)\b", re.I
)
"""Words of what a payer pays: a coverage statement is a cost claim, whatever terms stand beside it."""
MAX_STAT_WORDS = 6
"""A rate named as an outcome on a line of its own ("97% success rate"): a stat strip's claim."""
USES_LEAD_IN = re.compile(
    r"[^:]{0,60}\b(?:treat\w*|help\w*|conditions?|indications?|uses)\b[^:]{0,30}:", re.I
)
"""A lead-in that introduces what a treatment is for ("Conditions we treat:", "We help with:")."""
MENU_SEPARATOR = re.compile(r"\s+[|·•›»/]\s+")
MIN_MENU_ITEMS = 4
MENU_PAGES = frozenset(
    {"home", "contact", "contact us", "faq", "faqs", "about", "about us", "blog", "book now", "pricing"}
)
"""Menu items nearly every site has: one of them among short items makes a line a menu."""
KEYWORD_SEPARATOR = re.compile(r"\s*[,|·•]\s*")
MIN_KEYWORDS = 5
MAX_KEYWORD_WORDS = 5
PERCENT_NOT_OFF = re.compile(r"%(?!\s*(?:off|discount)\b)", re.I)
"""A percentage that is a result or a share, not a discount ("10% off" stays in a price list)."""
MAX_LISTING_WORDS = 12
"""A line with an amount and at most this many other words, not a sentence, lists a price."""
CLAIM_CUES_BESIDE_PRICES = frozenset({"kind:efficacy"})
"""Cue categories that make a line with a price a claim all the same ("...| $2,400 | remission for most")."""


@dataclass(frozen=True)
class Example:
    """A unit with its gold labels, for training."""

    text: str
    unit_kind: str
    is_claim: bool
    kinds: tuple[str, ...] = ()
    context: str = ""
    flagged: bool = False
    """The gold verdict is overstated, contradicted or unsupported."""
    reasons: tuple[str, ...] = ()
    weight: float = 1.0
    """How much the example counts in training (a real page's units count more than our written corpus's)."""


@dataclass(frozen=True)
class UnitScores:
    """The model's probabilities for each unit, one array entry per unit.

    ``flag`` and ``reasons`` are empty for a model trained without verdicts.
    """

    claim: np.ndarray
    kinds: dict[str, np.ndarray]
    flag: np.ndarray | None
    reasons: dict[str, np.ndarray]


def unit_contexts(units: Sequence[Unit]) -> list[str]:
    """For each unit, what frames it: the heading above a list item or table row, or a header-row mark;
    for a sentence that opens with a pronoun, the unit it leans on.

    A bare list item ("PTSD") is a claim under "Conditions we treat" and not under "Our team";
    "It is superior to nasal sprays" is a claim after "IV ketamine reaches the brain at once".
    """
    contexts, heading, previous = [], "", None
    for unit in units:
        if unit.kind == "heading":
            heading = unit.text
        context = ""
        if unit.kind in ("list_item", "table_row"):
            context = heading
            if unit.kind == "table_row" and (previous is None or previous.kind != "table_row"):
                context = f"{heading} <first-row>"
        elif previous is not None and LEANING.match(unit.text):
            context = previous.text
        contexts.append(context)
        previous = unit
    return contexts


def unit_features(
    text: str, unit_kind: str, cues: Sequence[CueMatch], quantities: Sequence[Quantity], context: str = ""
) -> list[str]:
    """The string features of one unit (and of the heading that frames it)."""
    words = WORD.findall(text.lower())
    features = [f"w={w}" for w in words]
    features += [f"h={w}" for w in WORD.findall(context.lower())]
    features += [f"b={a}_{b}" for a, b in pairwise(words)]
    features += [f"layout={unit_kind}", f"len={min(len(words) // 5, 8)}"]
    for category, count in cue_counts(tuple(cues)).items():
        features += [f"cue={category}", f"cue={category}:{min(count, 3)}"]
    features += sorted({f"qty={q.kind}" for q in quantities})
    stripped = text.strip()
    if stripped.endswith("?"):
        features.append("question")
    if stripped[:1] in "\"“'":
        features.append("quoted")
    elif any(mark in stripped for mark in '"“”'):
        features.append("has_quote")
    if words and words[0] in {
        "call",
        "contact",
        "book",
        "schedule",
        "click",
        "learn",
        "request",
        "visit",
        "read",
    }:
        features.append("imperative")
    if not words:
        features.append("empty")
    return features


class ClaimModel:
    """Claim detection and kind typing over hashed unit features, plus sentence embeddings.

    With an ``embedder`` the unit's embedding (scaled by ``dense_scale``) joins the hashed
    features; a model trained with one embedder refuses to load with another.
    """

    def __init__(
        self,
        c: float = 1.0,
        n_features: int = N_FEATURES,
        embedder: Embedder | None = None,
        dense_scale: float = DENSE_SCALE,
        flag_dense_scale: float = FLAG_DENSE_SCALE,
        claim_c: float = CLAIM_C,
    ) -> None:
        self.c = c
        self.claim_c = claim_c
        self.n_features = n_features
        self.embedder = embedder
        self.dense_scale = dense_scale
        self.flag_dense_scale = flag_dense_scale

    def fit(self, examples: Sequence[Example]) -> ClaimModel:
        matrix = self._matrix([_example_features(e) for e in examples], [e.text for e in examples])
        labels = np.array([e.is_claim for e in examples], dtype=int)
        weights = np.array([e.weight for e in examples])
        self.claim_weights_ = _fit_logistic(matrix, labels, self.claim_c, weights)
        claims = [i for i, e in enumerate(examples) if e.is_claim]
        kind_heads = {
            kind: self._fit_head(matrix, claims, [kind in examples[i].kinds for i in claims])
            for kind in CLAIM_KINDS
        }
        self.kind_weights_: dict[str, tuple[np.ndarray, float]] = {
            kind: head for kind, head in kind_heads.items() if head is not None
        }
        flag_matrix = self._with_dense_scale(matrix, self.flag_dense_scale)
        self.flag_weights_ = self._fit_head(flag_matrix, claims, [examples[i].flagged for i in claims])
        flagged = [i for i in claims if examples[i].flagged] if self.flag_weights_ else []
        reason_heads = {
            r: self._fit_head(flag_matrix, flagged, [r in examples[i].reasons for i in flagged])
            for r in REASONS
        }
        self.reason_weights_: dict[str, tuple[np.ndarray, float]] = {
            r: self._folded(head, self.flag_dense_scale)
            for r, head in reason_heads.items()
            if head is not None
        }
        if self.flag_weights_ is not None:
            self.flag_weights_ = self._folded(self.flag_weights_, self.flag_dense_scale)
        return self

    def _with_dense_scale(self, matrix: sparse.csr_matrix, scale: float) -> sparse.csr_matrix:
        """``matrix`` with its embedding columns weighted by ``scale`` instead of ``dense_scale``."""
        columns = np.ones(matrix.shape[1])
        columns[self.n_features :] = scale / self.dense_scale
        return (matrix @ sparse.diags(columns)).tocsr()

    def _folded(self, head: tuple[np.ndarray, float], scale: float) -> tuple[np.ndarray, float]:
        """Weights fitted with the embedding at ``scale``, for the matrix ``predict`` builds (at ``dense_scale``).

        So every head reads one matrix, whatever weight its embedding had in training.
        """
        weights, bias = head
        folded = weights.copy()
        folded[self.n_features :] *= scale / self.dense_scale
        return folded, bias

    def _fit_head(
        self, matrix: sparse.csr_matrix, rows: list[int], labels: list[bool]
    ) -> tuple[np.ndarray, float] | None:
        """One logistic head on ``rows``; None unless the labels hold enough positives and a negative."""
        y = np.array(labels, dtype=int)
        if not MIN_KIND_EXAMPLES <= y.sum() < len(rows):
            return None
        return _fit_logistic(matrix[rows], y, self.c)

    def predict(self, features: Sequence[list[str]], texts: Sequence[str]) -> UnitScores:
        """Every head's probabilities for each unit (its features and text)."""
        if not hasattr(self, "claim_weights_"):
            raise NotFittedError("ClaimModel is not fitted: call fit(examples) or ClaimModel.load(path)")
        matrix = self._matrix(features, texts)
        return UnitScores(
            claim=_probability(matrix, *self.claim_weights_),
            kinds={kind: _probability(matrix, *weights) for kind, weights in self.kind_weights_.items()},
            flag=_probability(matrix, *self.flag_weights_) if self.flag_weights_ else None,
            reasons={r: _probability(matrix, *weights) for r, weights in self.reason_weights_.items()},
        )

    def save(self, path: str | Path) -> None:
        arrays: dict[str, np.ndarray] = {}
        heads: dict[str, tuple[np.ndarray, float]] = {
            "claim": self.claim_weights_,
            **self.kind_weights_,
            **{f"reason-{r}": weights for r, weights in self.reason_weights_.items()},
        }
        if self.flag_weights_:
            heads["flag"] = self.flag_weights_
        for name, (weights, bias) in heads.items():
            nonzero = np.flatnonzero(weights)
            arrays[f"{name}.index"] = nonzero.astype(np.int32)
            arrays[f"{name}.value"] = weights[nonzero].astype(np.float32)
            arrays[f"{name}.bias"] = np.array([bias], dtype=np.float64)
        params = {
            "c": self.c,
            "claim_c": self.claim_c,
            "n_features": self.n_features,
            "n_columns": len(self.claim_weights_[0]),
            "dense_scale": self.dense_scale,
            "flag_dense_scale": self.flag_dense_scale,
            "embedder": self.embedder.fingerprint if self.embedder else None,
            "kinds": sorted(self.kind_weights_),
            "flag": self.flag_weights_ is not None,
            "reasons": sorted(self.reason_weights_),
        }
        arrays["params"] = np.frombuffer(json.dumps(params).encode(), dtype=np.uint8)
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: str | Path, embedder: Embedder | None = None) -> ClaimModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                params = json.loads(bytes(data["params"]).decode())
                _check_embedder(path, params.get("embedder"), embedder)
                scale = params.get("dense_scale", DENSE_SCALE)
                model = cls(
                    params["c"],
                    params["n_features"],
                    embedder,
                    scale,
                    params.get("flag_dense_scale", scale),
                    claim_c=params.get("claim_c", params["c"]),
                )
                columns = params.get("n_columns", model.n_features)
                model.claim_weights_ = _dense(data, "claim", columns)
                model.kind_weights_ = {k: _dense(data, k, columns) for k in params["kinds"]}
                model.flag_weights_ = _dense(data, "flag", columns) if params.get("flag") else None
                model.reason_weights_ = {
                    r: _dense(data, f"reason-{r}", columns) for r in params.get("reasons", [])
                }
        except (OSError, KeyError, ValueError) as error:
            raise ModelError(
                f"cannot load claim model {path}: {error}; retrain it with `make train`"
            ) from None
        return model

    def _matrix(self, features: Sequence[list[str]], texts: Sequence[str]) -> sparse.csr_matrix:
        hasher = FeatureHasher(n_features=self.n_features, input_type="string", alternate_sign=False)
        hashed = hasher.transform(features)
        if self.embedder is None:
            return hashed.tocsr()
        dense = self.embedder.encode(list(texts)) * self.dense_scale
        return sparse.hstack([hashed, sparse.csr_matrix(dense)]).tocsr()


def _check_embedder(path: str | Path, trained_with: str | None, given: Embedder | None) -> None:
    if trained_with is None:
        return
    if given is None or given.fingerprint != trained_with:
        found = given.fingerprint[:16] if given else "none"
        raise ModelError(
            f"claim model {path} was trained with embedder {trained_with[:16]}, not {found}; "
            "load it with that embedder or retrain with `make train`"
        )


def find_claims(
    document: AnnotatedDocument,
    model: ClaimModel,
    min_score: float = 0.5,
    overstates: Callable[[Unit, Sequence[CueMatch]], bool] | None = None,
) -> tuple[Claim, ...]:
    """The units the model scores as claims, typed, with their cue phrases, quantities and hedging.

    ``overstates`` (the verdict stage's language layer, given by the pipeline) promotes a unit the model
    scores at least :data:`PROMOTION_FLOOR` but below ``min_score``: wording that overstates outright
    ("Vital signs are monitored throughout, ensuring safety and efficacy.") asserts something of a treatment.
    """
    annotated = document.units
    if not annotated:
        return ()
    units = [a.unit for a in annotated]
    features = [
        unit_features(a.unit.text, a.unit.kind, a.cues, a.quantities, context)
        for a, context in zip(annotated, unit_contexts(units), strict=True)
    ]
    scores = model.predict(features, [u.text for u in units])
    claims = []
    for i, a in enumerate(annotated):
        unit = a.unit
        review = tells_a_patients_result(unit, a.cues)
        if scores.claim[i] < min_score and not (
            review
            or states_a_treatment_rate(unit, a.cues, a.quantities)
            or says_a_life_was_saved(unit, a.cues)
            or lists_a_benefit(unit, a.cues)
            or calls_it_wholly_safe(unit)
            or offers_a_registration(unit, a.cues)
            or (overstates is not None and scores.claim[i] >= PROMOTION_FLOOR and overstates(unit, a.cues))
        ):
            continue
        if not_a_claim(unit.text, a.cues, unit.start):
            continue
        kinds = _kinds({kind: float(p[i]) for kind, p in scores.kinds.items()})
        if review and "testimonial" not in kinds:
            kinds = (*kinds, "testimonial")
        flag_score: float | None = None
        flag_reasons: tuple[Reason, ...] = ()
        if scores.flag is not None:
            flag_score = round(float(scores.flag[i]), 4)
            flag_reasons = _reasons({r: float(p[i]) for r, p in scores.reasons.items()})
        claims.append(
            Claim(
                unit.start,
                unit.end,
                unit.text,
                kinds,
                a.quantities,
                _hedged(unit.text, unit.start, a.cues),
                causal_strength(unit.text),
                round(float(scores.claim[i]), 4),
                flag_score=flag_score,
                flag_reasons=flag_reasons,
                cues=a.cues,
            )
        )
    return tuple(claims)


def tells_a_patients_result(unit: Unit, cues: Sequence[CueMatch]) -> bool:
    """Whether a sentence is a patient's review of the treatment: a quotation (after any rating stars), in
    the first person, naming the treatment, a condition or a result ("★★★★★ "My anxiety is basically gone.
    Wish I'd found them years ago.""). A claim whatever the model scores (the guide: a testimonial); a
    review of the staff or the parking names none of them."""
    categories = {c.category for c in cues}
    return (
        unit.kind == "sentence"
        and opens_a_quotation(unit.text)
        and "first_person" in categories
        and bool(categories & RESULT_CUES)
    )


def says_a_life_was_saved(unit: Unit, cues: Sequence[CueMatch]) -> bool:
    """Whether a sentence says a treatment (named, leaned on with a pronoun, or told of by a patient) saves
    or saved a life ("Ketamine saves lives.", "This treatment is saving her life."): a claim whatever the
    model scores (on `corpora/`, `corpora/blind/` and the dev set every such sentence that is not reported
    speech is a gold claim, and a flagged one). Not "seat belts save lives"."""
    categories = {c.category for c in cues}
    about_a_treatment = (
        bool(categories & {"treatment", "first_person"}) or LEANING.match(unit.text) is not None
    )
    return "life_saved" in categories and about_a_treatment


def lists_a_benefit(unit: Unit, cues: Sequence[CueMatch]) -> bool:
    """Whether a list item opens with a verb that promises a result ("- Sharpens memory and focus within
    hours", "- Melts belly fat while you sleep"): a predicate whose subject is the treatment its heading or
    lead-in names, so a claim whatever the model scores (the model reads such short items as fragments).
    Not "- Ships within 24 hours" nor "- Results in as little as one infusion", whose first word promises
    nothing. Not a sentence: one without a subject is as often a product's ("Melts under the tongue in
    minutes.") or a buyer's ("Works great, upgraded to a bigger yard.")."""
    return unit.kind == "list_item" and any(
        cue.category == "benefit_verb" and cue.start == unit.start for cue in cues
    )


def calls_it_wholly_safe(unit: Unit) -> bool:
    """Whether a sentence calls something wholly safe in its own voice ("With this protocol, the treatment is
    completely safe.", "Our adult program is 100% safe."): a claim whatever the model scores (on `corpora/`,
    `corpora/blind/` and the dev set, every such unit is a gold claim but those quoting others' words, a
    feeling, or a heading). Not "ads promised it was \"100% safe\"" nor "I felt totally safe"."""
    return unit.kind in ("sentence", "list_item", "line") and WHOLLY_SAFE.search(unit.text) is not None


def offers_a_registration(unit: Unit, cues: Sequence[CueMatch]) -> bool:
    """Whether a unit offers a registration or a trial listing in its own words ("Manufactured in an
    FDA-registered facility", "Our knee protocol is also registered on ClinicalTrials.gov"): a claim whatever the
    model scores (on `corpora/` and `corpora/blind/`, every such unit is a gold claim but those quoting others or
    denying it); the guide's standards hold that a registration is no approval. Not ""FDA-registered" only means a
    company filed paperwork" nor "is not FDA-registered"."""
    outside_quotes = unquoted(unit.text)
    return unit.kind != "heading" and any(
        cue.category == "registration"
        and cue.text in outside_quotes
        and not NOT_BEFORE.search(unit.text, 0, cue.start - unit.start)
        for cue in cues
    )


def states_a_treatment_rate(unit: Unit, cues: Sequence[CueMatch], quantities: Sequence[Quantity]) -> bool:
    """Whether a sentence gives a rate of a treatment's benefit ("may help up to 80% of people"), a
    clinic's outcome ("90% of our guests go home without depression") or a stat strip's line ("97%
    success rate"): a claim whatever the model scores, however hedged (on `corpora/` and the dev set,
    61 of the 63 sentences with a rate, a treatment and a word of benefit are gold claims; the other
    two are reported speech, never a claim)."""
    categories = {c.category for c in cues}
    rate = any(q.kind in ("percent", "ratio") for q in quantities)
    return (
        unit.kind != "list"
        and rate
        and (
            {"treatment", "kind:efficacy"} <= categories
            or {"kind:indication", "kind:efficacy"} <= categories
            or bool(TREATED_PEOPLE.search(unit.text))
            or (len(unit.text.split()) <= MAX_STAT_WORDS and OUTCOME_RATE.search(unit.text) is not None)
        )
    )


def claim_at(text: str, start: int, kinds: Sequence[str], hedged: bool | None = None) -> Claim:
    """A claim built from a known span (a gold quote, a test sentence) rather than found by the model.

    ``hedged`` defaults to what the lexicon's hedge cues say, as for found claims.
    """
    cues = find_cues(text, start)
    if hedged is None:
        hedged = _hedged(text, start, cues)
    quantities = find_quantities(text, start)
    strength = causal_strength(text)
    return Claim(start, start + len(text), text, tuple(kinds), quantities, hedged, strength, cues=cues)  # type: ignore[arg-type]


def _hedged(text: str, start: int, cues: Sequence[CueMatch]) -> bool:
    """Whether a hedge qualifies the claim's main assertion: it stands in the first clause.

    "Chelation clears plaque from arteries, so many patients avoid surgery" asserts its first
    clause outright; the hedge ("many patients") qualifies only the consequence.
    """
    first = CLAUSE_BREAK.search(text)
    main_end = start + (first.start() if first else len(text))
    return any(
        cue.category == "hedges"
        and cue.start < main_end
        and not about_the_treated(text, start, cue.start, cues, 0)
        for cue in cues
    )


def not_a_claim(text: str, cues: tuple[CueMatch, ...] | None = None, start: int = 0) -> bool:
    """The annotation rules that hold whatever the classifier says.

    A question asserts nothing; a price list line ("Single infusion: $450") is a price,
    not a cost claim (the guide keeps cost claims for general statements); reported speech (a quotation attributed to someone,
    or "..., Dr. X said") is the speaker's claim, not the page's, but not speech told inside a patient's quotation
    (""My surgeon said I needed a new knee. Four months later I walked the trail."") nor a survey's answer ("72%
    said they were still doing well"). ``cues`` are the text's
    cue phrases, offsets counted from ``start`` (the text's place in its document); they
    are found here when not given.
    """
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    if stripped.endswith("?") or is_price_listing(stripped, cues, start + lead):
        return True
    quoted = any(mark in stripped for mark in QUOTE_MARKS)
    spoken = unquoted(stripped) if opens_a_quotation(stripped) else stripped
    if (PAST_SPEECH.search(spoken) and not SURVEY_ANSWER.search(stripped)) or (
        quoted and PRESENT_SPEECH.search(stripped)
    ):
        return True
    if is_a_keyword_line(stripped) or is_navigation(stripped):
        return True
    cues = find_cues(text, start) if cues is None else cues
    return states_payment_terms(stripped, cues) or is_a_staff_bio(stripped, cues)


def states_payment_terms(text: str, cues: Sequence[CueMatch]) -> bool:
    """A unit of the provider's terms of payment ("a $150 late-cancellation fee applies", "6 months no interest
    on purchases of $200 or more", "We do not refund treatment because it did not help"): the guide's claims are
    about a treatment, and none of these says what care does or what insurance pays. On `corpora/`, the blind
    sets and the dev set, 181 of the 186 such units without a word of coverage are no gold claim (the others:
    patients' stories of a surgery cancelled)."""
    return (
        PAYMENT_TERMS.search(text) is not None
        and COVERAGE.search(text) is None
        and not any(c.category in ("kind:efficacy", "testimonial_proof") for c in cues)
    )


def is_a_keyword_line(text: str) -> bool:
    """A run of search phrases ("Tags: ketamine clinic, ketamine near me, best ketamine doctors, ..."):
    at least :data:`MIN_KEYWORDS` short fragments between commas, no sentence's full stop, and one word
    in half of them. A list of conditions ("depression, anxiety, PTSD, OCD, chronic pain") repeats none,
    and one introduced as what is treated ("Conditions we treat: Depression • Bipolar depression • ...")
    is a claim whatever it repeats."""
    if text.endswith(".") or "\n" in text or USES_LEAD_IN.match(text):
        return False
    fragments = [f.lower().split() for f in KEYWORD_SEPARATOR.split(text) if f.strip()]
    if len(fragments) < MIN_KEYWORDS or any(len(f) > MAX_KEYWORD_WORDS for f in fragments):
        return False
    counts = Counter(word for fragment in fragments for word in set(fragment))
    return max(counts.values()) * 2 >= len(fragments)


def is_navigation(text: str) -> bool:
    """A site's menu ("Home · NAD+ Brain Reset · Addiction Recovery · Pricing · FAQ · Contact"): short items
    between separators, one of them a page every site has. The guide leaves navigation out of claims."""
    items = [item.strip().lower() for item in MENU_SEPARATOR.split(text) if item.strip()]
    return len(items) >= MIN_MENU_ITEMS and any(item in MENU_PAGES for item in items)


def is_a_staff_bio(text: str, cues: Sequence[CueMatch]) -> bool:
    """A sentence about a named practitioner ("Lead nurse Sam Park, RN, spent eleven years in an ER"), with
    no word of a treatment's result: the annotation guide leaves staff bios out of claims."""
    return STAFF_BIO.match(text) is not None and not any(c.category == "kind:efficacy" for c in cues)


@lru_cache(maxsize=4096)
def is_price_listing(text: str, cues: tuple[CueMatch, ...] | None = None, start: int = 0) -> bool:
    """Whether every line of ``text`` (past a lead-in ending with a colon) is an item with its price.

    ``cues`` are the text's cue phrases, offsets counted from ``start``; found here when not given.
    """
    cues = find_cues(text, start) if cues is None else cues
    lines = [(lo, line) for lo, line in _lines(text, start) if line.strip()]
    if len(lines) > 1 and lines[0][1].rstrip().endswith(":"):
        lines = lines[1:]
    return bool(lines) and all(_lists_a_price(line, _cues_in(cues, lo, lo + len(line))) for lo, line in lines)


def _lines(text: str, start: int) -> Iterator[tuple[int, str]]:
    """The lines of ``text`` (as ``str.splitlines`` cuts them) with their offsets from ``start``."""
    for line in text.splitlines(keepends=True):
        yield start, line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        start += len(line)


def _cues_in(cues: tuple[CueMatch, ...], start: int, end: int) -> list[CueMatch]:
    return [cue for cue in cues if start <= cue.start and cue.end <= end]


def _lists_a_price(line: str, cues: Sequence[CueMatch]) -> bool:
    # The cheap tests first: most lines are sentences, and reading their money is the slow part.
    if line.rstrip().endswith(".") or PERCENT_NOT_OFF.search(line):
        return False
    if any(cue.category in CLAIM_CUES_BESIDE_PRICES for cue in cues) or not find_money(line):
        return False
    if " | " in line:
        return any(find_money(cell) and _words_beside_amounts(cell) <= 3 for cell in line.split("|"))
    return _words_beside_amounts(line) <= MAX_LISTING_WORDS


def _words_beside_amounts(line: str) -> int:
    amounts = find_money(line)
    rest = line
    for money in reversed(amounts):
        rest = rest[: money.start] + " " + rest[money.end :]
    return len(WORD.findall(rest.lower()))


def bundled_model() -> ClaimModel:
    """The claim model shipped with the package, with the shared static embedder (loaded once)."""
    return ClaimModel.load(str(bundled_model_path()), embedder=default_embedder())


def bundled_model_path() -> Path:
    return Path(str(resources.files("claimcheck").joinpath(f"data/{MODEL_FILE}")))


def _kinds(probabilities: dict[str, float]) -> tuple[ClaimKind, ...]:
    """Every kind above the threshold, or the single most likely kind."""
    chosen = tuple(k for k in CLAIM_KINDS if probabilities.get(k, 0.0) >= MIN_KIND_PROBABILITY)
    if chosen or not probabilities:
        return chosen
    return (max(CLAIM_KINDS, key=lambda k: probabilities.get(k, 0.0)),)


def _reasons(probabilities: dict[str, float]) -> tuple[Reason, ...]:
    """The likely reasons, most likely first; at least the single most likely one."""
    ranked = sorted((r for r in REASONS if r in probabilities), key=lambda r: -probabilities[r])
    likely = tuple(r for r in ranked if probabilities[r] >= MIN_REASON_PROBABILITY)
    return likely or tuple(ranked[:1])


def _example_features(example: Example) -> list[str]:
    text = example.text
    return unit_features(text, example.unit_kind, find_cues(text), find_quantities(text), example.context)


def _fit_logistic(
    matrix: sparse.csr_matrix, labels: np.ndarray, c: float, weights: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    if labels.min() == labels.max():
        return np.zeros(matrix.shape[1]), 10.0 if labels[0] else -10.0
    estimator = LogisticRegression(C=c, max_iter=2000, class_weight="balanced", solver="liblinear")
    estimator.fit(matrix, labels, sample_weight=weights)
    return estimator.coef_.ravel().copy(), float(estimator.intercept_[0])


def _probability(matrix: sparse.csr_matrix, weights: np.ndarray, bias: float) -> np.ndarray:
    logits = matrix @ weights + bias
    return np.asarray(1.0 / (1.0 + np.exp(-logits)))


def _dense(data: np.lib.npyio.NpzFile, name: str, n_features: int) -> tuple[np.ndarray, float]:
    weights = np.zeros(n_features)
    weights[data[f"{name}.index"]] = data[f"{name}.value"]
    return weights, float(data[f"{name}.bias"][0])
