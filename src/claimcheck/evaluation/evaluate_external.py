"""Evaluation on public research sets: the parts of claimcheck that text we did not write tests.

``claimcheck eval --external DIR`` reads the labelled sets in ``DIR`` (normally
``../shared/datasets``, beside the checkout) at evaluation time and prints one line per
set. None of these sets is clinic marketing, so each scores only the stage it can test:

- check-worthiness (ClaimBuster, CheckThat! 2020): the claim model, on each sentence as
  a one-unit document, scored as the pipeline scores a unit (``find_claims``);
- claim strength (Yu et al. 2019, 2020): claimcheck's reading of a sentence from its cue
  phrases alone, the claim's causal strength (``none`` < ``correlational`` <
  ``conditional`` < ``direct``) with ``absolute`` above it, against the gold scale
  correlational < conditional causal < direct causal;
- exaggeration (press release vs. paper): the same reading on both sides of a pair;
- claim verdicts (HealthVer): whether that reading tells refuted claims from supported
  ones. HealthFC's claims are questions, which claimcheck never treats as claims, so it
  is not scored.

The sets are for evaluation only (their licences do not fit this package): nothing here
trains on them, and no text of theirs is stored. Hold-out splits are the ones scored.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Literal, TypeVar, get_args

from scipy.stats import kendalltau, spearmanr
from sklearn.metrics import f1_score, roc_auc_score

from ..annotate import annotate_unit
from ..claims.detect import ClaimModel, bundled_model, claim_at, find_claims
from ..errors import ClaimcheckError
from ..records import AnnotatedDocument, Document, Unit
from ..settings import Settings
from ..verdicts.language import wording_flags
from .evaluate import Counts

DEFAULT_LIMIT = 4000
SAMPLE_SEED = 13
T = TypeVar("T")

Strength = Literal["none", "correlational", "conditional", "direct", "absolute"]
STRENGTH_LEVEL: dict[Strength, int] = {strength: level for level, strength in enumerate(get_args(Strength))}
Exaggeration = Literal["exaggerates", "same", "downplays"]
EXAGGERATION_LABELS: tuple[Exaggeration, ...] = ("exaggerates", "same", "downplays")

NO_RELATIONSHIP, CORRELATIONAL, CONDITIONAL_CAUSAL, DIRECT_CAUSAL = 0, 1, 2, 3
YU2019_TO_STRENGTH = {0: NO_RELATIONSHIP, 1: DIRECT_CAUSAL, 2: CONDITIONAL_CAUSAL, 3: CORRELATIONAL}
"""The 2019 file codes 1 direct causal and 3 correlational; the 2020 file and ours the other way."""

PARTS = {
    "claim model": "the bundled claim model on each text as a one-unit document (find_claims; "
    "a claim when its score reaches Settings.min_claim_score; questions and reported speech score 0)",
    "cue certainty": "claimcheck's certainty reading from its cue phrases alone, no model and no evidence: "
    "absolute where the language layer flags absolute language (wording_flags), else the claim's causal "
    "strength (claims.lexicon.causal_strength); none < correlational < conditional < direct < absolute",
}
"""The parts of claimcheck a line can score, printed once below the lines."""


class ExternalDataMissing(ClaimcheckError):
    """The folder of external sets is absent or holds none of them (the command exits 2)."""


@dataclass(frozen=True)
class CheckworthyItem:
    """A sentence or tweet; ``claim`` is CheckThat!'s "contains a factual claim" (None elsewhere)."""

    text: str
    checkworthy: bool
    claim: bool | None = None


@dataclass(frozen=True)
class StrengthItem:
    """A sentence and its gold claim strength: 0 none, 1 correlational, 2 conditional, 3 direct causal."""

    text: str
    strength: int


@dataclass(frozen=True)
class PairItem:
    """A press-release finding, the paper's conclusion it reports, and how the first compares."""

    press_release: str
    abstract: str
    label: Exaggeration


@dataclass(frozen=True)
class VerdictItem:
    """A claim and whether the evidence refutes it (True) or supports it (False)."""

    claim: str
    refuted: bool


@dataclass(frozen=True)
class SetResult:
    """One set's line of the report: what was scored, on how many items, and the figures."""

    name: str
    task: str
    part: str
    n: int = 0
    metrics: dict[str, float] = field(default_factory=dict)
    baseline: dict[str, float] = field(default_factory=dict)
    """The same figures for a trivial predictor (the majority class, or every item positive)."""
    not_scored: str | None = None

    def line(self) -> str:
        head = f"{self.name:<36} n={self.n:<5} {self.task} [{self.part}]"
        if self.not_scored:
            return f"{head}: not scored: {self.not_scored}"
        figures = "  ".join(f"{k} {v:.3f}" for k, v in self.metrics.items())
        base = "  ".join(f"{k} {v:.3f}" for k, v in self.baseline.items())
        return f"{head}: {figures}" + (f"  (baseline: {base})" if base else "")

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


# --- readers: one per file format, each capped at ``limit`` items ---------------------------------


def read_claimbuster(folder: Path, limit: int = DEFAULT_LIMIT) -> list[CheckworthyItem]:
    """``test.json``: an array of ``{sentence_id, label, text}``, label 1 = check-worthy factual."""
    rows = json.loads((folder / "test.json").read_text("utf-8"))
    return _sample([CheckworthyItem(str(r["text"]), int(r["label"]) == 1) for r in rows], limit)


def read_checkthat(folder: Path, limit: int = DEFAULT_LIMIT) -> list[CheckworthyItem]:
    """``test-gold.tsv``: tweets with ``claim`` and the check-worthiness label (named two ways)."""
    with (folder / "test-gold.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    items = [
        CheckworthyItem(
            r["tweet_text"],
            (r.get("claim_worthiness") or r.get("check_worthiness")) == "1",
            r["claim"] == "1",
        )
        for r in rows
    ]
    return _sample(items, limit)


def read_yu2019(folder: Path, limit: int = DEFAULT_LIMIT) -> list[StrengthItem]:
    """``pubmed_causal_language_use.csv`` (``sentence,label``), recoded to the ordinal scale."""
    rows = _csv_rows(folder / "pubmed_causal_language_use.csv")
    return _sample([StrengthItem(r["sentence"], YU2019_TO_STRENGTH[int(r["label"])]) for r in rows], limit)


def read_yu2020(folder: Path, limit: int = DEFAULT_LIMIT) -> list[StrengthItem]:
    """``annotated_eureka.csv`` (``sentId,sentence,label``), already on the ordinal scale."""
    rows = _csv_rows(folder / "annotated_eureka.csv")
    return _sample([StrengthItem(r["sentence"], int(r["label"])) for r in rows], limit)


def read_insciout(folder: Path, limit: int = DEFAULT_LIMIT) -> list[PairItem]:
    """``insciout_test.jsonl``: one press-release / abstract pair per line with its label."""
    lines = (folder / "insciout_test.jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    items = [
        PairItem(r["press_release_conclusion"], r["abstract_conclusion"], r["exaggeration_label"])
        for r in rows
        if r["exaggeration_label"] in EXAGGERATION_LABELS
    ]
    return _sample(items, limit)


def read_healthver(folder: Path, limit: int = DEFAULT_LIMIT) -> list[VerdictItem]:
    """``healthver_test.csv`` pairs, folded into one item per claim.

    A claim is judged against several abstracts; it counts as refuted when every
    abstract that takes a side refutes it, supported when every one supports it, and is
    left out when they disagree or none takes a side.
    """
    sides: dict[str, set[str]] = {}
    for row in _csv_rows(folder / "healthver_test.csv"):
        if row["label"] != "Neutral":
            sides.setdefault(row["claim"], set()).add(row["label"])
    items = [VerdictItem(claim, labels == {"Refutes"}) for claim, labels in sides.items() if len(labels) == 1]
    return _sample(items, limit)


def count_question_claims(folder: Path) -> tuple[int, int]:
    """HealthFC (``Datensatz.csv``): how many claims there are, and how many are phrased as questions."""
    claims = [r["en_claim"].strip() for r in _csv_rows(folder / "Datensatz.csv", encoding="utf-8-sig")]
    return len(claims), sum(claim.endswith("?") for claim in claims)


def _csv_rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def _sample(items: list[T], limit: int) -> list[T]:
    """At most ``limit`` items, drawn with a fixed seed and kept in file order (files are often sorted by label)."""
    if len(items) <= limit:
        return items
    keep = sorted(random.Random(SAMPLE_SEED).sample(range(len(items)), limit))
    return [items[i] for i in keep]


# --- what claimcheck says about a text ------------------------------------------------------------


def read_strength(text: str) -> Strength:
    """claimcheck's certainty reading of a text: absolute where the language layer flags it, else its causal strength.

    "absolute" is :func:`claimcheck.verdicts.language.wording_flags` raising ``absolute_language``
    (an absolute or superlative phrase that is neither negated nor softened); it wins
    over a modal ("may cure" still promises a cure), as in the verdicts. Otherwise the
    reading is the claim's ``strength``, as the pipeline reports it.
    """
    claim = claim_at(text, 0, ())
    flags = wording_flags(claim, claim.cues)
    if any(flag.reason == "absolute_language" for flag in flags):
        return "absolute"
    return claim.strength


def claim_scores(texts: Sequence[str], model: ClaimModel) -> list[float]:
    """The claim model's probability for each text as a one-unit document; 0 where the rules rule it out.

    ``find_claims`` drops questions and reported speech whatever the model says, so
    those score 0, as they would on a page.
    """
    starts = list(accumulate((len(text) + 1 for text in texts), initial=0))
    units = [
        Unit(start, start + len(text), text, "sentence") for start, text in zip(starts, texts, strict=False)
    ]
    document = AnnotatedDocument(Document("texts", "\n".join(texts)), tuple(annotate_unit(u) for u in units))
    score_at = {claim.start: claim.score for claim in find_claims(document, model, min_score=0.0)}
    return [score_at.get(unit.start, 0.0) for unit in units]


# --- scorers: one per task ------------------------------------------------------------------------


def score_checkworthiness(
    name: str, items: Sequence[CheckworthyItem], scores: Sequence[float], threshold: float
) -> SetResult:
    """Claim detection (score ≥ threshold) against the check-worthy label, and AUC of the score.

    Where the set also says whether a text contains a factual claim at all (CheckThat!),
    the same figures are given against that label, the nearer match to claim detection.
    """
    checkworthy = [i.checkworthy for i in items]
    metrics = _detection("", checkworthy, scores, threshold)
    baseline = _detection("", checkworthy, [1.0] * len(items), threshold)
    if items and all(i.claim is not None for i in items):
        claims = [bool(i.claim) for i in items]
        metrics |= _detection("claim ", claims, scores, threshold)
        baseline |= _detection("claim ", claims, [1.0] * len(items), threshold)
    return SetResult(name, "check-worthiness", "claim model", len(items), metrics, baseline)


def score_strength(name: str, items: Sequence[StrengthItem], read: Callable[[str], Strength]) -> SetResult:
    """Rank agreement of the certainty reading with the gold strength, over sentences that state a relationship.

    ``conditional accuracy`` is the plainest test: on conditional-causal ("may increase")
    and direct-causal sentences, is a sentence read as conditional exactly when it is?
    """
    stated = [i for i in items if i.strength != NO_RELATIONSHIP]
    levels = [STRENGTH_LEVEL[read(i.text)] for i in stated]
    gold = [i.strength for i in stated]
    causal = [(level, g) for level, g in zip(levels, gold, strict=True) if g >= CONDITIONAL_CAUSAL]
    read_conditional = STRENGTH_LEVEL["conditional"]
    right = sum((level == read_conditional) == (g == CONDITIONAL_CAUSAL) for level, g in causal)
    conditional = sum(g == CONDITIONAL_CAUSAL for _, g in causal)
    metrics = {
        "spearman": _rank_correlation(spearmanr, levels, gold),
        "kendall": _rank_correlation(kendalltau, levels, gold),
        "conditional accuracy": right / len(causal) if causal else 0.0,
    }
    majority = max(conditional, len(causal) - conditional) / len(causal) if causal else 0.0
    return SetResult(
        name, "claim strength", "cue certainty", len(stated), metrics, {"conditional accuracy": majority}
    )


def score_exaggeration(name: str, items: Sequence[PairItem], read: Callable[[str], Strength]) -> SetResult:
    """Exaggeration direction: the press release read stronger, the same, or weaker than the paper."""
    predicted = [_direction(read(i.press_release), read(i.abstract)) for i in items]
    gold = [i.label for i in items]
    metrics = {
        "accuracy": _accuracy(predicted, gold),
        "macro-F1": _macro_f1(predicted, gold),
    }
    majority = max(EXAGGERATION_LABELS, key=gold.count)
    always = [majority] * len(gold)
    baseline = {"accuracy": _accuracy(always, gold), "macro-F1": _macro_f1(always, gold)}
    return SetResult(name, "exaggeration direction", "cue certainty", len(items), metrics, baseline)


def score_refuted_language(
    name: str, items: Sequence[VerdictItem], read: Callable[[str], Strength]
) -> SetResult:
    """Does stronger wording go with refuted claims? AUC of the reading, and the absolute rate in each group."""
    levels = [STRENGTH_LEVEL[read(i.claim)] for i in items]
    refuted = [i.refuted for i in items]
    absolute = STRENGTH_LEVEL["absolute"]
    metrics = {
        "AUC refuted": _auc(refuted, levels),
        "absolute|refuted": _rate([lv == absolute for lv, r in zip(levels, refuted, strict=True) if r]),
        "absolute|supported": _rate([lv == absolute for lv, r in zip(levels, refuted, strict=True) if not r]),
    }
    return SetResult(
        name, "refuted vs supported claims", "cue certainty", len(items), metrics, {"AUC refuted": 0.5}
    )


def _detection(
    name: str, gold: Sequence[bool], scores: Sequence[float], threshold: float
) -> dict[str, float]:
    counts = Counts()
    for is_gold, score in zip(gold, scores, strict=True):
        found = score >= threshold
        counts.tp += is_gold and found
        counts.fp += found and not is_gold
        counts.fn += is_gold and not found
    return {
        f"{name}P": counts.precision,
        f"{name}R": counts.recall,
        f"{name}F1": counts.f1,
        f"{name}AUC": _auc(gold, scores),
    }


def _direction(press_release: Strength, abstract: Strength) -> Exaggeration:
    difference = STRENGTH_LEVEL[press_release] - STRENGTH_LEVEL[abstract]
    return "exaggerates" if difference > 0 else "downplays" if difference < 0 else "same"


def _auc(gold: Sequence[bool], scores: Sequence[float]) -> float:
    """ROC AUC; 0.5 (chance) where one class is missing and the figure is undefined."""
    if len(set(gold)) < 2:
        return 0.5
    return float(roc_auc_score(list(gold), list(scores)))


def _rank_correlation(test: Callable[..., object], xs: Sequence[int], ys: Sequence[int]) -> float:
    """Spearman's ρ or Kendall's τ-b; 0 where either side is constant and the figure is undefined."""
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        return 0.0
    return float(test(xs, ys).statistic)  # type: ignore[attr-defined]


def _accuracy(predicted: Sequence[str], gold: Sequence[str]) -> float:
    return sum(p == g for p, g in zip(predicted, gold, strict=True)) / len(gold) if gold else 0.0


def _macro_f1(predicted: Sequence[str], gold: Sequence[str]) -> float:
    if not gold:
        return 0.0
    return float(
        f1_score(gold, predicted, labels=list(EXAGGERATION_LABELS), average="macro", zero_division=0)
    )


def _rate(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


# --- the report -----------------------------------------------------------------------------------


def evaluate_external(
    root: Path,
    limit: int = DEFAULT_LIMIT,
    model: Callable[[], ClaimModel] | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> list[SetResult]:
    """One result per known set under ``root``, in a fixed order; a missing folder is a "not scored" line.

    ``model`` gives the claim model (default: the bundled one), called only when a
    check-worthiness set is present. Raises ExternalDataMissing when ``root`` is absent
    or holds none of the sets.
    """
    load_model = model or bundled_model
    if not root.is_dir():
        raise ExternalDataMissing(f"{root} is absent (the public sets live in ../shared/datasets)")
    present = [name for name, _ in SETS if (root / name).is_dir()]
    if not present:
        raise ExternalDataMissing(f"{root} holds none of the public sets ({', '.join(n for n, _ in SETS)})")
    results = []
    for name, scorer in SETS:
        folder = root / name
        if not folder.is_dir():
            results.append(SetResult(name, "-", "-", not_scored=f"{folder} is absent"))
            continue
        progress(f"scoring {name}")
        results.append(scorer(name, folder, limit, load_model))
    return results


SetScorer = Callable[[str, Path, int, Callable[[], ClaimModel]], SetResult]


def _claimbuster(name: str, folder: Path, limit: int, model: Callable[[], ClaimModel]) -> SetResult:
    return _checkworthiness(name, read_claimbuster(folder, limit), model)


def _checkthat(name: str, folder: Path, limit: int, model: Callable[[], ClaimModel]) -> SetResult:
    return _checkworthiness(name, read_checkthat(folder, limit), model)


def _checkworthiness(name: str, items: list[CheckworthyItem], model: Callable[[], ClaimModel]) -> SetResult:
    scores = claim_scores([i.text for i in items], model())
    return score_checkworthiness(name, items, scores, Settings().min_claim_score)


def _yu2019(name: str, folder: Path, limit: int, _: Callable[[], ClaimModel]) -> SetResult:
    return score_strength(name, read_yu2019(folder, limit), read_strength)


def _yu2020(name: str, folder: Path, limit: int, _: Callable[[], ClaimModel]) -> SetResult:
    return score_strength(name, read_yu2020(folder, limit), read_strength)


def _insciout(name: str, folder: Path, limit: int, _: Callable[[], ClaimModel]) -> SetResult:
    return score_exaggeration(name, read_insciout(folder, limit), read_strength)


def _healthver(name: str, folder: Path, limit: int, _: Callable[[], ClaimModel]) -> SetResult:
    return score_refuted_language(name, read_healthver(folder, limit), read_strength)


def _healthfc(name: str, folder: Path, limit: int, _: Callable[[], ClaimModel]) -> SetResult:
    total, questions = count_question_claims(folder)
    reason = (
        f"{questions} of {total} claims are questions (does X help against Y?), which claimcheck never "
        "treats as claims, and the verdicts rest on fact-checkers' evidence that claimcheck's evidence base lacks"
    )
    return SetResult(name, "claim verdicts", "verdict stage", total, not_scored=reason)


SETS: tuple[tuple[str, SetScorer], ...] = (
    ("claimbuster", _claimbuster),
    ("checkthat2020_covid_tweets", _checkthat),
    ("yu2019_causal_language_pubmed", _yu2019),
    ("yu2020_press_release_claim_strength", _yu2020),
    ("sci_exaggeration_press_releases", _insciout),
    ("healthver", _healthver),
    ("healthfc", _healthfc),
)
"""Every set the report knows, in print order, with the function that scores its folder."""


def render(results: Sequence[SetResult]) -> str:
    """The report as text: one line per set, then what each bracketed part means."""
    parts = dict.fromkeys(r.part for r in results if r.part in PARTS)
    legend = [f"[{part}] {PARTS[part]}" for part in parts]
    return "\n".join([*(r.line() for r in results), "", *legend])
