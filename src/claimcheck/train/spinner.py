"""Training the spun-text model: a synonym-substituting spinner, and the fit on its output.

Rather than list the phrases article spinners produce, claimcheck learns them:
:func:`spin` turns clean sentences (``training/spam/clean.txt``) into spun ones using a
thesaurus table (``training/spam/synonyms.txt``), and :func:`train_spun_model` fits
the model of :mod:`claimcheck.signals.spun` on them and saves it as plain arrays.
Reached through ``claimcheck train``.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

from ..errors import ModelError
from ..signals.spun import (
    CHAR_VECTORIZER,
    COMMON_WORDS,
    HAND_FEATURES,
    MODEL_DIR,
    MODEL_NAME,
    PLAIN_WORDS_RE,
    WORD_VECTORIZER,
    SpunModel,
    featurize,
)

Table = dict[str, tuple[str, ...]]

TRAINING_DIR = Path("training/spam")
DEFAULT_CLEAN_PATH = TRAINING_DIR / "clean.txt"
DEFAULT_SYNONYMS_PATH = TRAINING_DIR / "synonyms.txt"
FORMAT_VERSION = 1
NATURAL_MARK = "~"

SPIN_RATES = (0.15, 0.65)
"""Range of substitution rates sampled for each generated sentence."""
CAPS_RATE = 0.04
VARIANTS_PER_SENTENCE = 3
MIN_BROKEN_EDITS = 2
PARAPHRASE_RATE = 0.5
HELD_OUT_SHARE = 0.2
REGULARIZATION_C = 4.0

_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*|[^A-Za-z]+")


def read_lines(path: Path) -> list[str]:
    """The non-blank lines of a training file, ``#`` comments skipped."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_synonyms(path: Path = DEFAULT_SYNONYMS_PATH) -> Table:
    """A thesaurus table: lines ``source = choice | ~choice``, keyed by lower-case source.

    Choices keep their ``~`` mark (an ordinary paraphrase, see :func:`paraphrases`).
    """
    table: Table = {}
    for line in read_lines(path):
        source, _, choices = line.partition("=")
        source = source.strip().lower()
        alts = tuple(
            c.strip() for c in choices.split("|") if c.strip().lstrip("~").lower() not in ("", source)
        )
        if source and alts:
            table[source] = alts
    return table


def paraphrases(table: Table) -> Table:
    """The ``~``-marked choices only: rewording that reads fine, used to augment clean text."""
    natural = {key: tuple(c for c in alts if c.startswith(NATURAL_MARK)) for key, alts in table.items()}
    return {key: alts for key, alts in natural.items() if alts}


def thesaurus_phrases(table: Table, clean: Sequence[str] = ()) -> frozenset[str]:
    """The multi-word idiom-breaking choices of a table, lower-cased (a hand feature).

    A choice that also occurs in the ``clean`` sentences ("a different", "a lot of") is
    ordinary English somewhere, so its mere presence is no evidence of spinning: it is
    left out, and only the char and word n-grams may learn the contexts where it breaks idiom.
    """
    found = {
        alt.lower()
        for alts in table.values()
        for alt in alts
        if " " in alt and not alt.startswith(NATURAL_MARK)
    }
    clean_text = " ".join(f" {' '.join(PLAIN_WORDS_RE.findall(s.lower()))} " for s in clean)
    return frozenset(p for p in found if f" {p} " not in clean_text)


def spin(
    sentence: str, rng: random.Random, table: Table, rate: float = 0.4, caps_rate: float = CAPS_RATE
) -> str:
    """Rewrite ``sentence`` the way a thesaurus spinner does.

    Each phrase of ``table`` found in the sentence (longest first, up to three words) is
    replaced with probability ``rate`` by one of its choices; other common words are
    capitalised with probability ``caps_rate`` when they are not sentence-initial.
    """
    return _rewrite(sentence, rng, table, rate, caps_rate)[0]


def _rewrite(
    sentence: str, rng: random.Random, table: Table, rate: float, caps_rate: float
) -> tuple[str, int]:
    """:func:`spin`, also counting the idiom-breaking edits (unmarked choices, capitals)."""
    tokens = _TOKEN_RE.findall(sentence)
    out: list[str] = []
    broken = i = 0
    while i < len(tokens):
        size, key = _phrase_at(tokens, i, table)
        if size and rng.random() < rate:
            choice = rng.choice(table[key])
            broken += not choice.startswith(NATURAL_MARK)
            out.append(_match_case(tokens[i], choice.lstrip(NATURAL_MARK)))
            i += size
            continue
        token = tokens[i]
        if out and token.islower() and token in COMMON_WORDS and rng.random() < caps_rate:
            token = token.capitalize()
            broken += 1
        out.append(token)
        i += 1
    return "".join(out), broken


def _phrase_at(tokens: Sequence[str], i: int, table: Table) -> tuple[int, str]:
    """The longest table phrase starting at word token ``i``, as (tokens spanned, key)."""
    if not tokens[i][:1].isalpha():
        return 0, ""
    for words in (3, 2, 1):
        span = tokens[i : i + 2 * words - 1]
        if len(span) < 2 * words - 1 or any(sep != " " for sep in span[1::2]):
            continue
        key = " ".join(span[0::2]).lower().replace("’", "'")
        if key in table:
            return len(span), key
    return 0, ""


def _match_case(original: str, replacement: str) -> str:
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def save_model(model: SpunModel, out_dir: Path, report: dict[str, Any]) -> Path:
    """Write ``spun_model.npz`` (weights) and ``spun_model.json`` (parameters, checksum, figures)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    npz_path = out_dir / f"{MODEL_NAME}.npz"
    np.savez_compressed(npz_path, coef=model.coef.astype(np.float32), intercept=np.float32(model.intercept))
    meta = {
        "format_version": FORMAT_VERSION,
        "char_vectorizer": CHAR_VECTORIZER,
        "word_vectorizer": WORD_VECTORIZER,
        "hand_features": list(HAND_FEATURES),
        "thesaurus_phrases": sorted(model.phrases),
        "threshold": model.threshold,
        "sha256": hashlib.sha256(npz_path.read_bytes()).hexdigest(),
        "training": report,
    }
    (out_dir / f"{MODEL_NAME}.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
    return npz_path


def make_examples(sentences: Sequence[str], rng: random.Random, table: Table) -> tuple[list[str], list[int]]:
    """Labelled examples from clean sentences.

    Clean (label 0): each sentence, and a paraphrase of it using only ``~`` choices.
    Spun (label 1): variants with at least :data:`MIN_BROKEN_EDITS` idiom-breaking edits.
    """
    natural = paraphrases(table)
    texts: list[str] = []
    labels: list[int] = []
    for sentence in sentences:
        reworded = spin(sentence, rng, natural, rate=PARAPHRASE_RATE, caps_rate=0.0)
        for clean in dict.fromkeys((sentence, reworded)):
            texts.append(clean)
            labels.append(0)
        for _ in range(VARIANTS_PER_SENTENCE):
            spun, broken = _rewrite(sentence, rng, table, rng.uniform(*SPIN_RATES), CAPS_RATE)
            if broken >= MIN_BROKEN_EDITS:
                texts.append(spun)
                labels.append(1)
    return texts, labels


def fit_spun_model(texts: Sequence[str], labels: Sequence[int], phrases: frozenset[str]) -> SpunModel:
    """Fit the logistic regression (balanced classes, fixed solver: deterministic)."""
    classifier = LogisticRegression(
        C=REGULARIZATION_C, class_weight="balanced", solver="liblinear", max_iter=5000
    )
    classifier.fit(featurize(texts, phrases), np.asarray(labels))
    return SpunModel(classifier.coef_[0].astype(np.float64), float(classifier.intercept_[0]), phrases)


def score_model(model: SpunModel, texts: Sequence[str], labels: Sequence[int]) -> dict[str, float]:
    """Accuracy, precision, recall, F1 (spun class) and ROC AUC on labelled sentences."""
    proba = model.predict_proba(texts)
    predicted = (proba >= model.threshold).astype(int)
    truth = np.asarray(labels)
    return {
        "examples": len(truth),
        "accuracy": round(float((predicted == truth).mean()), 4),
        "precision": round(float(precision_score(truth, predicted, zero_division=0)), 4),
        "recall": round(float(recall_score(truth, predicted, zero_division=0)), 4),
        "f1": round(float(f1_score(truth, predicted, zero_division=0)), 4),
        "roc_auc": round(float(roc_auc_score(truth, proba)), 4),
    }


def _halves(table: Table, rng: random.Random) -> tuple[Table, Table]:
    keys = sorted(table)
    rng.shuffle(keys)
    cut = len(keys) // 2
    return {k: table[k] for k in keys[:cut]}, {k: table[k] for k in keys[cut:]}


def evaluate_held_out(sentences: Sequence[str], table: Table, seed: int) -> dict[str, dict[str, float]]:
    """Figures on sentences kept out of training, with seen and with unseen synonyms.

    ``unseen_synonyms`` trains on spins from one half of the table and tests on spins
    from the other half: how well the model finds substitutions it was never shown.
    """
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    cut = int(len(order) * HELD_OUT_SHARE)
    test = [sentences[i] for i in order[:cut]]
    train = [sentences[i] for i in order[cut:]]
    phrases = thesaurus_phrases(table, train)
    model = fit_spun_model(*make_examples(train, random.Random(seed + 1), table), phrases)
    figures = {"seen_synonyms": score_model(model, *make_examples(test, random.Random(seed + 2), table))}
    seen, unseen = _halves(table, random.Random(seed + 3))
    half_model = fit_spun_model(
        *make_examples(train, random.Random(seed + 4), seen), thesaurus_phrases(seen, train)
    )
    figures["unseen_synonyms"] = score_model(
        half_model, *make_examples(test, random.Random(seed + 5), unseen)
    )
    return figures


def train_spun_model(
    clean_path: Path = DEFAULT_CLEAN_PATH,
    synonyms_path: Path = DEFAULT_SYNONYMS_PATH,
    out_dir: Path = MODEL_DIR,
    seed: int = 13,
) -> dict[str, Any]:
    """Train on spins of the clean sentences, save the model, and return its figures.

    Deterministic for given files and ``seed``. The held-out figures come from models
    fitted on 80% of the sentences; the saved model is then fitted on all of them.
    """
    sentences, table = read_lines(clean_path), read_synonyms(synonyms_path)
    if len(sentences) < 50 or len(table) < 20:
        raise ModelError(
            f"too little training data: {len(sentences)} sentences, {len(table)} thesaurus entries"
        )
    report: dict[str, Any] = {
        "seed": seed,
        "clean_sentences": len(sentences),
        "thesaurus_entries": len(table),
        "clean_sha256": hashlib.sha256(clean_path.read_bytes()).hexdigest(),
        "synonyms_sha256": hashlib.sha256(synonyms_path.read_bytes()).hexdigest(),
        "held_out": evaluate_held_out(sentences, table, seed),
    }
    texts, labels = make_examples(sentences, random.Random(seed), table)
    report["train_examples"] = len(texts)
    save_model(fit_spun_model(texts, labels, thesaurus_phrases(table, sentences)), out_dir, report)
    return report
