"""The public-set report: readers, scorers and `claimcheck eval --external`.

Every fixture is written here in the sets' file formats with sentences of our own; the
sets themselves are read only by the tests marked ``shared_data``, which skip where
../shared/datasets is absent.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimcheck import cli
from claimcheck.claims.detect import ClaimModel, Example
from claimcheck.evaluation import evaluate_external as ext

ROOT = Path(__file__).parent.parent
SHARED_SETS = ROOT.parent / "shared" / "datasets"

CHECKWORTHY = [
    ("The county hired forty new nurses in the spring.", 1),
    ("Unemployment in the valley fell to six percent.", 1),
    ("Thank you all for being here tonight.", 0),
    ("Let me finish my answer, please.", 0),
]
TWEETS = [
    ("Hand gel sales tripled in our town this week.", 1, 1),
    ("Stay safe, friends!", 0, 0),
    ("The clinic on Main Street says it has run out of test kits.", 1, 0),
]
YU2019 = [  # this file's coding: 0 none, 1 direct causal, 2 conditional causal, 3 correlational
    ("Walking daily lowers resting heart rate.", 1),
    ("Walking daily may lower resting heart rate.", 2),
    ("Daily walking was associated with a lower resting heart rate.", 3),
    ("Participants were recruited from two towns.", 0),
]
YU2020 = [  # ordinal coding: 0 none, 1 correlational, 2 conditional causal, 3 direct causal
    ("Green tea drinkers sleep longer, survey finds", 1),
    ("Green tea might improve sleep", 2),
    ("Green tea improves sleep", 3),
    ("A survey of tea habits was published today", 0),
]
PAIRS = [
    ("Reading aloud boosts vocabulary in toddlers.", "Reading aloud may help vocabulary.", "exaggerates"),
    ("Reading aloud may help vocabulary.", "Reading aloud may help vocabulary.", "same"),
    ("Reading aloud might aid vocabulary.", "Reading aloud raised vocabulary scores.", "downplays"),
]
HEALTHVER = [  # claim, label: one claim refuted, one supported, one with both sides, one neutral only
    ("Warm baths wash the flu out of the body completely.", "Refutes"),
    ("Warm baths wash the flu out of the body completely.", "Neutral"),
    ("Sleep may help recovery from a cold.", "Supports"),
    ("Sleep may help recovery from a cold.", "Supports"),
    ("Zinc shortens colds.", "Supports"),
    ("Zinc shortens colds.", "Refutes"),
    ("Masks come in many colours.", "Neutral"),
]
HEALTHFC_CLAIMS = ["Can ginger ease travel sickness?", "Does honey soothe a sore throat?", "Salt cures gout."]


def write_sets(root: Path) -> Path:
    """Tiny copies of each set's file format, in our own words."""
    (root / "claimbuster").mkdir(parents=True)
    rows = [{"sentence_id": i, "label": label, "text": text} for i, (text, label) in enumerate(CHECKWORTHY)]
    (root / "claimbuster" / "test.json").write_text(json.dumps(rows), "utf-8")
    (root / "checkthat2020_covid_tweets").mkdir()
    _write_tsv(
        root / "checkthat2020_covid_tweets" / "test-gold.tsv",
        ["topic_id", "tweet_id", "tweet_url", "tweet_text", "claim", "claim_worthiness"],
        [
            ["covid-19", str(i), f"https://x.example/{i}", t, str(c), str(w)]
            for i, (t, c, w) in enumerate(TWEETS)
        ],
    )
    _write_csv(
        root / "yu2019_causal_language_pubmed" / "pubmed_causal_language_use.csv",
        ["sentence", "label"],
        YU2019,
    )
    _write_csv(
        root / "yu2020_press_release_claim_strength" / "annotated_eureka.csv",
        ["sentId", "sentence", "label"],
        [(f"1-w-{i}-title", text, label) for i, (text, label) in enumerate(YU2020)],
    )
    (root / "sci_exaggeration_press_releases").mkdir()
    lines = [
        json.dumps(
            {
                "original_file_id": str(i),
                "press_release_conclusion": pr,
                "press_release_strength": 0,
                "abstract_conclusion": ab,
                "abstract_strength": 0,
                "exaggeration_label": label,
            }
        )
        for i, (pr, ab, label) in enumerate(PAIRS)
    ]
    (root / "sci_exaggeration_press_releases" / "insciout_test.jsonl").write_text(
        "\n".join(lines) + "\n", "utf-8"
    )
    _write_csv(
        root / "healthver" / "healthver_test.csv",
        ["id", "evidence", "claim", "label", "topic_ip", "question"],
        [
            (str(i), "An abstract,\nwith a comma and a newline.", c, lab, "1", "q")
            for i, (c, lab) in enumerate(HEALTHVER)
        ],
    )
    _write_csv(
        root / "healthfc" / "Datensatz.csv",
        ["en_claim", "label"],
        [(claim, "1") for claim in HEALTHFC_CLAIMS],
        encoding="utf-8-sig",
    )
    return root


def _write_csv(path: Path, header: list[str], rows: list, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _write_tsv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.write_text("\n".join("\t".join(row) for row in [header, *rows]) + "\n", "utf-8")


def tiny_model() -> ClaimModel:
    """A claim model without embeddings, fitted on a few sentences of our own: fast and deterministic."""
    claims = ["Nurses rose by forty percent.", "Prices fell to six dollars.", "Sales tripled this week."]
    other = ["Thank you all.", "Please let me finish.", "Stay safe, friends!"]
    return ClaimModel().fit(
        [Example(t, "sentence", True) for t in claims] + [Example(t, "sentence", False) for t in other]
    )


@pytest.fixture
def sets(tmp_path: Path) -> Path:
    return write_sets(tmp_path / "datasets")


def test_readers_parse_each_format(sets: Path) -> None:
    assert [i.checkworthy for i in ext.read_claimbuster(sets / "claimbuster")] == [True, True, False, False]
    tweets = ext.read_checkthat(sets / "checkthat2020_covid_tweets")
    assert [(i.claim, i.checkworthy) for i in tweets] == [(True, True), (False, False), (True, False)]
    assert [i.strength for i in ext.read_yu2019(sets / "yu2019_causal_language_pubmed")] == [3, 2, 1, 0]
    assert [i.strength for i in ext.read_yu2020(sets / "yu2020_press_release_claim_strength")] == [1, 2, 3, 0]
    assert [i.label for i in ext.read_insciout(sets / "sci_exaggeration_press_releases")] == [
        "exaggerates",
        "same",
        "downplays",
    ]
    verdicts = {i.claim: i.refuted for i in ext.read_healthver(sets / "healthver")}
    assert verdicts == {HEALTHVER[0][0]: True, HEALTHVER[2][0]: False}
    assert ext.count_question_claims(sets / "healthfc") == (3, 2)


def test_checkthat_reader_takes_the_train_files_label_name(tmp_path: Path) -> None:
    folder = tmp_path / "checkthat"
    folder.mkdir()
    header = ["topic_id", "tweet_id", "tweet_url", "tweet_text", "claim", "check_worthiness"]
    _write_tsv(folder / "test-gold.tsv", header, [["covid-19", "1", "u", 'A "quoted" tweet.', "1", "1"]])
    [item] = ext.read_checkthat(folder)
    assert item.checkworthy and item.text == 'A "quoted" tweet.'


def test_sample_caps_deterministically_and_keeps_file_order() -> None:
    items = list(range(100))
    first = ext._sample(items, 10)
    assert len(first) == 10 and first == sorted(first) and first == ext._sample(items, 10)
    assert first != items[:10]
    assert ext._sample(items, 500) == items


@pytest.mark.parametrize(
    ("text", "strength"),
    [
        ("This tonic may lower blood pressure in some people.", "conditional"),
        ("Cold showers raise alertness.", "direct"),
        ("Coffee drinking is associated with fewer headaches.", "correlational"),
        ("Night-shift nurses were more likely to report poor sleep.", "correlational"),
        ("The clinic opened in 2019.", "none"),
        ("Our drops cure insomnia for good.", "absolute"),
        ("This guaranteed method might help.", "absolute"),
        ("Our drops are not a cure for insomnia.", "direct"),  # a denied cure is not absolute
    ],
)
def test_read_strength(text: str, strength: str) -> None:
    assert ext.read_strength(text) == strength


def reader(mapping: dict[str, ext.Strength]) -> Callable[[str], ext.Strength]:
    return mapping.__getitem__


def test_strength_rank_agreement_and_conditional_accuracy() -> None:
    items = [ext.StrengthItem(t, s) for t, s in [("c", 1), ("k", 2), ("d", 3), ("none", 0)]]
    monotone = ext.score_strength("s", items, reader({"c": "none", "k": "direct", "d": "absolute"}))
    assert monotone.n == 3
    assert monotone.metrics["spearman"] == pytest.approx(1.0)
    assert monotone.metrics["kendall"] == pytest.approx(1.0)
    assert monotone.metrics["conditional accuracy"] == 0.5  # the conditional sentence was read as direct
    inverted = ext.score_strength("s", items, reader({"c": "absolute", "k": "conditional", "d": "direct"}))
    assert inverted.metrics["conditional accuracy"] == 1.0
    assert inverted.metrics["spearman"] == pytest.approx(-0.5)
    assert inverted.baseline["conditional accuracy"] == 0.5


def test_exaggeration_direction_from_both_readings() -> None:
    items = [
        ext.PairItem("strong", "weak", "exaggerates"),
        ext.PairItem("weak", "weak", "same"),
        ext.PairItem("weak", "strong", "same"),
        ext.PairItem("weak", "strong", "downplays"),
    ]
    result = ext.score_exaggeration("x", items, reader({"strong": "absolute", "weak": "conditional"}))
    assert result.metrics["accuracy"] == 0.75
    assert result.metrics["macro-F1"] == pytest.approx((1 + 2 / 3 + 2 / 3) / 3)
    assert result.baseline["accuracy"] == 0.5


def test_checkworthiness_counts_and_auc() -> None:
    items = [
        ext.CheckworthyItem(str(i), gold, claim)
        for i, (gold, claim) in enumerate([(1, 1), (1, 1), (0, 1), (0, 0)])
    ]
    result = ext.score_checkworthiness("c", items, [0.9, 0.3, 0.6, 0.1], threshold=0.5)
    assert (result.metrics["P"], result.metrics["R"], result.metrics["F1"]) == (0.5, 0.5, 0.5)
    assert result.metrics["AUC"] == 0.75
    assert result.metrics["claim P"] == 1.0 and result.metrics["claim R"] == pytest.approx(2 / 3)
    assert result.baseline["R"] == 1.0 and result.baseline["AUC"] == 0.5
    without_claim_label = ext.score_checkworthiness("c", [ext.CheckworthyItem("a", True)], [0.9], 0.5)
    assert "claim P" not in without_claim_label.metrics


def test_refuted_language_rates() -> None:
    items = [ext.VerdictItem("a", True), ext.VerdictItem("b", True), ext.VerdictItem("c", False)]
    result = ext.score_refuted_language(
        "h", items, reader({"a": "absolute", "b": "direct", "c": "conditional"})
    )
    assert result.metrics == {"AUC refuted": 1.0, "absolute|refuted": 0.5, "absolute|supported": 0.0}


def test_every_set_gets_a_line(sets: Path) -> None:
    results = ext.evaluate_external(sets, model=tiny_model)
    assert [r.name for r in results] == [name for name, _ in ext.SETS]
    by_name = {r.name: r for r in results}
    assert by_name["healthfc"].not_scored and "2 of 3" in by_name["healthfc"].not_scored
    assert all(r.metrics for r in results if r.name != "healthfc")
    assert by_name["claimbuster"].n == 4 and by_name["yu2019_causal_language_pubmed"].n == 3
    report = ext.render(results)
    assert len(report.splitlines()) == len(ext.SETS) + 1 + len(ext.PARTS)
    assert "[claim model]" in report and "not scored:" in report


def test_a_missing_set_is_a_not_scored_line(sets: Path) -> None:
    for path in (sets / "healthver").iterdir():
        path.unlink()
    (sets / "healthver").rmdir()
    results = {r.name: r for r in ext.evaluate_external(sets, model=tiny_model)}
    assert "absent" in str(results["healthver"].not_scored)


def test_missing_root_or_no_sets_raise(tmp_path: Path) -> None:
    with pytest.raises(ext.ExternalDataMissing, match="absent"):
        ext.evaluate_external(tmp_path / "nowhere")
    with pytest.raises(ext.ExternalDataMissing, match="none of"):
        ext.evaluate_external(tmp_path)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_cli_exits_2_when_the_sets_are_absent(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli.main, ["eval", "--external", str(tmp_path / "nowhere")])
    assert result.exit_code == cli.EXIT_USAGE
    assert "absent" in result.stderr and not result.stdout


def test_cli_json_and_text(runner: CliRunner, sets: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ext, "bundled_model", tiny_model)
    as_json = runner.invoke(cli.main, ["eval", "--external", str(sets), "--json", "--limit", "2"])
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.stdout)
    assert {r["name"] for r in rows} == {name for name, _ in ext.SETS}
    assert next(r for r in rows if r["name"] == "claimbuster")["n"] == 2
    text = runner.invoke(cli.main, ["eval", "--external", str(sets)])
    assert text.exit_code == 0 and "healthfc" in text.stdout and "scoring claimbuster" in text.stderr


def test_cli_limit_default_is_the_modules() -> None:
    [limit] = [p for p in cli.eval_command.params if p.name == "limit"]
    assert limit.default == ext.DEFAULT_LIMIT


@pytest.mark.shared_data
@pytest.mark.skipif(
    not SHARED_SETS.is_dir(), reason=f"{SHARED_SETS} is absent (the public sets live in ../shared)"
)
def test_real_sets_score_every_set_they_can() -> None:
    results = {r.name: r for r in ext.evaluate_external(SHARED_SETS, limit=40)}
    assert set(results) == {name for name, _ in ext.SETS}
    assert results["healthfc"].not_scored
    for name, result in results.items():
        if name == "healthfc":
            continue
        assert result.n > 0 and result.not_scored is None, name
        assert all(-1.0 <= value <= 1.0 for value in result.metrics.values()), name
