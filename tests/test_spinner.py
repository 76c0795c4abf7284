"""Tests for claimcheck.train.spinner and claimcheck.signals.spun: the spinner, the features, training
and the stored model."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import sparse

from claimcheck import cli
from claimcheck.errors import ModelError
from claimcheck.signals import spun
from claimcheck.signals.spun import HAND_FEATURES, MODEL_DIR, MODEL_NAME, hand_features, load_spun_model
from claimcheck.train.spinner import (
    make_examples,
    paraphrases,
    read_lines,
    read_synonyms,
    spin,
    thesaurus_phrases,
    train_spun_model,
)

ROOT = Path(__file__).parent.parent
TRAINING = ROOT / "training" / "spam"
CLEAN = TRAINING / "clean.txt"
SYNONYMS = TRAINING / "synonyms.txt"
TABLE = {
    "relief": ("reduction", "~aid"),
    "quiet": ("peaceful",),
    "part": ("A part",),
    "long-term": ("long-expression",),
}

#: our own sentences, spun by hand the way the seed pages are.
SPUN = [
    "Discovering reduction for depression could be a discouraging practical experience for Many others.",
    "The medical doctors examined sufferers exposed to long-expression pressure while in the Middle.",
    "It can help peaceful a A part of the Mind which gets trapped in overdrive.",
    "Studies display that facet results are uncommon in sufferers who obtain a unmarried infusion.",
    "Maximum coverage plans cowl the persistent ache remedy, so ask your issuer earlier than reserving.",
    "In clinical preliminaries, grown-ups on the fake treatment saw their circulatory strain ascend less.",
]
CLEAN_SENTENCES = [
    "Finding relief from depression can be a long and discouraging process.",
    "The nurse checks your blood pressure every ten minutes during the infusion.",
    "Our clinic is closed on public holidays and during the last week of December.",
]


def test_spin_substitutes_and_keeps_case() -> None:
    spun = spin("Relief can quiet part of the mind.", random.Random(1), TABLE, rate=1.0, caps_rate=0.0)
    assert spun.startswith(("Reduction", "Aid")) and "peaceful" in spun and "A part" in spun
    assert "~" not in spun


def test_spin_is_deterministic_for_a_seed() -> None:
    table = read_synonyms(SYNONYMS)
    sentence = "Finding relief for depression can be a frustrating experience for many people."
    assert spin(sentence, random.Random(7), table) == spin(sentence, random.Random(7), table)


def test_spin_with_rate_zero_changes_nothing() -> None:
    sentence = "Long-term relief is part of the plan."
    assert spin(sentence, random.Random(0), TABLE, rate=0.0, caps_rate=0.0) == sentence


def test_spin_matches_phrases_longest_first() -> None:
    table = {"side effects": ("Unintended effects",), "side": ("aspect",)}
    assert (
        spin("Few side effects.", random.Random(0), table, rate=1.0, caps_rate=0.0)
        == "Few Unintended effects."
    )


def test_read_synonyms_keeps_marks_and_drops_identity(tmp_path: Path) -> None:
    path = tmp_path / "table.txt"
    path.write_text("# comment\nRelief = reduction | ~aid | relief\n\nquiet = peaceful\n", encoding="utf-8")
    table = read_synonyms(path)
    assert table == {"relief": ("reduction", "~aid"), "quiet": ("peaceful",)}
    assert paraphrases(table) == {"relief": ("~aid",)}
    assert thesaurus_phrases({"in": ("while in", "~inside")}) == frozenset({"while in"})


def test_shipped_training_data_is_large_enough() -> None:
    assert len(read_lines(CLEAN)) >= 300
    assert len(read_synonyms(SYNONYMS)) >= 200


@pytest.mark.parametrize(
    ("sentence", "feature", "value"),
    [
        ("It can help peaceful a A part of the brain.", "double_articles", 0.5),
        ("Ketamine therapy is surely an rising treatment approach.", "article_mismatch", 0.5),
        ("It calls the anti-reward Middle of the brain.", "isolated_capitals", 1 / 3),
        ("A frustrating practical experience for many.", "thesaurus_phrases", 0.25),
        ("The nurse checks your blood pressure.", "isolated_capitals", 0.0),
        ("An hour later, an honest answer came.", "article_mismatch", 0.0),
    ],
)
def test_hand_features(sentence: str, feature: str, value: float) -> None:
    phrases = frozenset({"practical experience"})
    assert hand_features(sentence, phrases)[HAND_FEATURES.index(feature)] == pytest.approx(value)


def test_make_examples_labels_spins_and_paraphrases() -> None:
    sentences = read_lines(CLEAN)[:40]
    texts, labels = make_examples(sentences, random.Random(3), read_synonyms(SYNONYMS))
    assert len(texts) == len(labels) and set(labels) == {0, 1}
    assert all(t in texts for t in sentences)
    assert all(label == 0 for t, label in zip(texts, labels, strict=True) if t in sentences)


def test_stored_model_is_small_plain_arrays_and_loads() -> None:
    npz, meta_path = MODEL_DIR / f"{MODEL_NAME}.npz", MODEL_DIR / f"{MODEL_NAME}.json"
    assert npz.stat().st_size + meta_path.stat().st_size < 2_000_000
    with np.load(npz, allow_pickle=False) as arrays:
        assert set(arrays.files) == {"coef", "intercept"}
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["training"]["held_out"]["seen_synonyms"]["roc_auc"] > 0.9
    model = load_spun_model()
    assert model.coef.shape == (2**17 + 2**16 + len(HAND_FEATURES),)


def test_stored_model_separates_spun_from_clean() -> None:
    model = load_spun_model()
    spun, clean = model.predict_proba(SPUN), model.predict_proba(CLEAN_SENTENCES)
    assert spun.min() > clean.max()
    assert model.predict_proba([]).shape == (0,)


def _copy_model(target: Path) -> None:
    target.mkdir()
    for suffix in (".npz", ".json"):
        shutil.copy(MODEL_DIR / f"{MODEL_NAME}{suffix}", target / f"{MODEL_NAME}{suffix}")


def test_altered_model_fails_its_checksum(tmp_path: Path) -> None:
    _copy_model(tmp_path / "model")
    npz = tmp_path / "model" / f"{MODEL_NAME}.npz"
    npz.write_bytes(npz.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ModelError, match="checksum"):
        load_spun_model(tmp_path / "model")


def test_missing_model_says_how_to_rebuild(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="make train"):
        load_spun_model(tmp_path)


def test_training_is_deterministic_and_round_trips(tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text("\n".join(read_lines(CLEAN)[:80]) + "\n", encoding="utf-8")
    first = train_spun_model(clean, SYNONYMS, tmp_path / "a", seed=5)
    second = train_spun_model(clean, SYNONYMS, tmp_path / "b", seed=5)
    assert first == second
    assert (tmp_path / "a" / f"{MODEL_NAME}.npz").read_bytes() == (
        tmp_path / "b" / f"{MODEL_NAME}.npz"
    ).read_bytes()
    assert set(first["held_out"]) == {"seen_synonyms", "unseen_synonyms"}
    model = load_spun_model(tmp_path / "a")
    assert model.predict_proba(SPUN).mean() > model.predict_proba(CLEAN_SENTENCES).mean()


def test_training_refuses_too_little_data(tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text("One clean sentence.\n", encoding="utf-8")
    with pytest.raises(ModelError, match="too little"):
        train_spun_model(clean, SYNONYMS, tmp_path / "out")


def test_claimcheck_train_trains_the_spun_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "training" / "spam").mkdir(parents=True)
    (tmp_path / "training" / "spam" / "clean.txt").write_text("\n".join(read_lines(CLEAN)[:80]) + "\n")
    shutil.copy(SYNONYMS, tmp_path / "training" / "spam" / "synonyms.txt")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, ["train", "--only", "spun", "--spun-dir", "model"])
    assert result.exit_code == 0, result.stderr
    assert set(json.loads(result.stdout)) == {"seen_synonyms", "unseen_synonyms"}
    assert load_spun_model(tmp_path / "model").predict_proba(SPUN).shape == (len(SPUN),)


def test_claimcheck_train_without_training_data_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, ["train", "--only", "spun", "--spun-dir", "model"])
    assert result.exit_code == 2
    assert "error:" in result.stderr and "clean.txt" in result.stderr


@pytest.mark.parametrize("sentence", ["", "Word", "$$$", "Buy"])
def test_hand_features_of_a_sentence_with_fewer_than_two_words(sentence: str) -> None:
    assert len(hand_features(sentence, frozenset())) == len(HAND_FEATURES)


def test_thesaurus_phrases_leave_out_ordinary_english() -> None:
    table = {"another": ("a different", "a further"), "experience": ("practical experience",)}
    clean = ["She went to a different clinic the next week."]
    assert thesaurus_phrases(table, clean) == frozenset({"a further", "practical experience"})


REAL_SPINNER_STYLES = {
    # an article read as an abbreviation, split compounds, archaic senses
    "thesaurus": (
        [
            "Ketamine is associate degree anesthetic that has been used in surgery for decades.",
            "Talk to your well being care supplier before you begin any new remedy for melancholy.",
        ],
        [
            "Ketamine is an anesthetic that has been used in surgery for decades.",
            "If she had gone to a different clinic, she might have been given a different dose.",
        ],
    ),
    # the stock choices of sentence-by-sentence spinners ("as of late", "on the off chance that")
    "sentence-by-sentence": (
        [
            "As of late, specialists have utilized ketamine imbuement for individuals battling gloom.",
            "On the off chance that you are battling sorrow, our facility can assist inside days.",
        ],
        [
            "Recently, doctors have used ketamine infusions for people struggling with depression.",
            "If you are struggling with depression, our clinic can help within days.",
        ],
    ),
}


@pytest.mark.parametrize("style", sorted(REAL_SPINNER_STYLES))
def test_real_spinner_substitution_types_are_caught(style: str) -> None:
    """Sentences of our own in the manner of real spinners score spun; their plain versions stay clean."""
    spun, clean = REAL_SPINNER_STYLES[style]
    model = load_spun_model()
    assert model.predict_proba(spun).min() > 0.7 > model.predict_proba(clean).max()


def _sklearn_features(sentences: list[str], phrases: frozenset[str]) -> sparse.csr_matrix:
    """What ``featurize`` computes, the plain way: sklearn's vectorizers and ``sparse.hstack``."""
    texts = [spun.normalize(s) for s in sentences]
    hand = np.array([spun.hand_features(t, phrases) for t in texts], dtype=np.float64)
    blocks = [
        spun._vectorizer("char").transform(texts),
        spun._vectorizer("word").transform(texts),
        sparse.csr_matrix(hand.reshape(-1, len(HAND_FEATURES))),
    ]
    return sparse.hstack(blocks, format="csr")


FEATURE_SENTENCES = [
    *SPUN,
    *CLEAN_SENTENCES,
    "",
    "a",
    "I  x\ty\n",
    "Ab-cd's “quoted” café—naïve ſafe text, 70% of 1,200 patients; a an the the.",
    "A frustrating practical experience for many; back again again, top quality.",
]


@pytest.mark.parametrize("remembered", [spun.MAX_REMEMBERED_PIECES, 5])
def test_featurize_equals_sklearn_bit_for_bit(monkeypatch: pytest.MonkeyPatch, remembered: int) -> None:
    monkeypatch.setattr(spun, "MAX_REMEMBERED_PIECES", remembered)
    phrases = load_spun_model().phrases
    sentences = FEATURE_SENTENCES + read_lines(CLEAN)[:60]
    for batch in (sentences, sentences[:1], sentences[3:9]):
        ours, theirs = spun.featurize(batch, phrases), _sklearn_features(batch, phrases)
        assert ours.shape == theirs.shape
        assert np.array_equal(ours.indptr, theirs.indptr)
        assert np.array_equal(ours.indices, theirs.indices)
        assert np.array_equal(ours.data, theirs.data)
    assert spun.featurize([], phrases).shape == (0, ours.shape[1])


def test_char_ngrams_are_sklearns() -> None:
    analyzer = spun._vectorizer("char").build_analyzer()
    for sentence in FEATURE_SENTENCES:
        text = spun.normalize(sentence)
        assert spun._char_wb_ngrams(text) == analyzer(text)


def test_word_ngrams_are_sklearns() -> None:
    analyzer = spun._vectorizer("word").build_analyzer()
    for sentence in [*FEATURE_SENTENCES, "ÉCOLE Straße İstanbul it's well-known -x- _a_"]:
        text = spun.normalize(sentence)
        assert spun._word_ngrams(text) == analyzer(text)


def test_thesaurus_phrases_are_counted_once_each_wherever_they_stand() -> None:
    phrases = load_spun_model().phrases | {"odd phrase!", "back again"}
    for sentence in [*FEATURE_SENTENCES, "An odd phrase! Back again, back again."]:
        plain = spun.PLAIN_WORDS_RE.findall(spun.normalize(sentence).lower())
        lowered = f" {' '.join(plain)} "
        assert spun._phrases_found(plain, phrases) == sum(1 for p in phrases if f" {p} " in lowered)
