"""The command line: formats, streams, exit codes and help."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimcheck import cli
from claimcheck.evaluation.evaluate import load_corpus
from claimcheck.evidence.base import load_evidence
from claimcheck.records import FLAGGED_VERDICTS as FLAGGED

ROOT = Path(__file__).parent.parent
SEED = str(ROOT / "corpora" / "002_46f5b2d153c94615.txt")
BROKEN_EVIDENCE = ROOT / "tests" / "data" / "evidence_broken"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("CLAIMCHECK_CACHE", str(tmp_path / "cache"))
    return CliRunner()


def test_jsonl_goes_to_stdout_and_progress_to_stderr(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli.main, ["check", "--format", "jsonl", SEED, str(tmp_path / "missing.txt")])
    assert result.exit_code == cli.EXIT_INPUT_FAILED
    lines = result.stdout.strip().split("\n")
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["source"] == SEED and first["error"] is None and first["claims"]
    assert "no such file" in second["error"].lower()
    assert "[2/2]" in result.stderr


def test_json_array_and_report_dir(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = runner.invoke(cli.main, ["check", "-q", "--format", "json", "--report-dir", str(out), SEED])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["source"] == SEED
    assert {p.name for p in out.iterdir()} == {
        "reports.jsonl",
        "findings.csv",
        "prices.csv",
        "spam.csv",
        "report.html",
    }
    assert (out / "report.html").read_text().count("<h2>") >= 3


def test_fail_on_findings_exit_code(runner: CliRunner) -> None:
    seed = str(ROOT / "corpora" / "001_b75484fee7bd1750.txt")
    result = runner.invoke(cli.main, ["check", "-q", "--format", "csv", "--fail-on-findings", seed])
    assert result.exit_code == cli.EXIT_FINDINGS
    assert result.stdout.startswith("site,page_url,title,fetched_at,finding,")


def test_csv_rows_are_flags_and_claimreview_needs_a_reviewer(runner: CliRunner, tmp_path: Path) -> None:
    refused = runner.invoke(cli.main, ["check", "-q", "--format", "claimreview", SEED])
    assert refused.exit_code == cli.EXIT_USAGE and "--reviewer" in refused.stderr
    out = tmp_path / "reports"
    args = [
        "check",
        "-q",
        "--format",
        "claimreview",
        "--reviewer",
        "Desk",
        "--excel",
        "--report-dir",
        str(out),
    ]
    result = runner.invoke(cli.main, [*args, SEED])
    assert result.exit_code == 0, result.stderr
    (report,) = (json.loads(line) for line in (out / "reports.jsonl").read_text().splitlines())
    flagged = sum(c["verdict"] in FLAGGED for c in report["claims"])
    assert len(json.loads(result.stdout)) == flagged > 0
    assert json.loads((out / "claimreview.json").read_text()) == json.loads(result.stdout)
    table = (out / "findings.csv").read_text(encoding="utf-8")
    assert table.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(table.lstrip("\ufeff"))))
    assert sum(row["finding"] == "claim" for row in rows) == flagged


def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(cli.main, ["check"]).exit_code == cli.EXIT_USAGE
    assert runner.invoke(cli.main, ["check", "--format", "yaml", SEED]).exit_code == cli.EXIT_USAGE
    result = runner.invoke(cli.main, ["check", "--evidence", str(BROKEN_EVIDENCE / "bad_doi"), SEED])
    assert result.exit_code == cli.EXIT_USAGE and "evidence" in result.stderr


def test_rules_only_drops_the_learned_flags_and_is_recorded(runner: CliRunner) -> None:
    def claims(*extra: str) -> tuple[list[dict[str, object]], dict[str, object]]:
        result = runner.invoke(cli.main, ["check", "-q", "--format", "json", *extra, SEED])
        assert result.exit_code == 0, result.stderr
        (report,) = json.loads(result.stdout)
        return report["claims"], report["meta"]["settings"]

    learned, learned_settings = claims()
    rules_only, rules_settings = claims("--rules-only")
    assert learned_settings["learned_flags"] is True and rules_settings["learned_flags"] is False
    assert not any("claim model" in str(c["explanation"]) for c in rules_only)
    assert len(learned) == len(rules_only)
    changed = [(a, b) for a, b in zip(learned, rules_only, strict=True) if a["verdict"] != b["verdict"]]
    assert all("claim model" in str(a["explanation"]) for a, _ in changed)


def test_evidence_summary_counts_each_domains_entries_by_mark(runner: CliRunner) -> None:
    result = runner.invoke(cli.main, ["evidence", "summary"])
    assert result.exit_code == 0, result.stderr
    header, *rows = [line.split("\t") for line in result.stdout.strip().split("\n")]
    assert header[:3] == ["domain", "title", "entries"] and "verified-secondary" in header
    base = load_evidence(ROOT / "evidence")
    for domain, _, entries, *marks in rows:
        assert int(entries) == sum(1 for e in base.entries if e.domain == domain) == sum(map(int, marks))
    assert {row[0] for row in rows} == set(base.domains)
    table = runner.invoke(cli.main, ["evidence", "summary", "--markdown"]).stdout
    assert table.startswith("| domain |") and table.count("\n") == len(rows) + 2


def test_eval_refuses_two_models(runner: CliRunner, tmp_path: Path) -> None:
    model = tmp_path / "m.npz"
    model.write_bytes(b"")
    result = runner.invoke(cli.main, ["eval", "corpora", "--model", str(model), "--shipped-model"])
    assert result.exit_code == cli.EXIT_USAGE
    assert "not both" in result.stderr


def test_evidence_lint_list_and_show(runner: CliRunner, tmp_path: Path) -> None:
    ok = runner.invoke(cli.main, ["evidence", "lint", "evidence"])
    assert ok.exit_code == 0 and "ok:" in ok.stderr
    bad = runner.invoke(cli.main, ["evidence", "lint", str(BROKEN_EVIDENCE / "low_high")])
    assert bad.exit_code == cli.EXIT_USAGE
    assert "efficacy.yaml:10 [entries.0.figures]" in bad.stdout
    seven = runner.invoke(cli.main, ["evidence", "lint", str(BROKEN_EVIDENCE / "seven_problems")])
    groups = seven.stdout.strip().split("\n\n")
    assert [len(group.split("\n")) for group in groups] == [3, 1, 3]
    assert "7 problem(s) in 3 file(s)" in seven.stderr
    listing = runner.invoke(cli.main, ["evidence", "list", "--domain", "tms"])
    assert listing.exit_code == 0 and listing.stdout.strip()
    entry_id = listing.stdout.split("\t", 1)[0]
    shown = runner.invoke(cli.main, ["evidence", "show", entry_id])
    assert json.loads(shown.stdout)["id"] == entry_id
    assert runner.invoke(cli.main, ["evidence", "show", "no-such-id"]).exit_code == cli.EXIT_USAGE


def test_eval_with_the_shipped_model_scores_new_pages_without_cross_validation(
    runner: CliRunner, tmp_path: Path
) -> None:
    corpus = tmp_path / "new-pages"
    corpus.mkdir()
    for name in ("w10_crisis_relief.txt", "w10_crisis_relief.gold.yaml"):
        shutil.copy(ROOT / "corpora" / name, corpus / name)
    result = runner.invoke(cli.main, ["eval", str(corpus), "--shipped-model", "--json"])
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["pages"] == 1 and "no cross-validation" in figures["claim_model"]
    assert figures["claim_detection"]["tp"] > 0 and figures["retrieval_scored"] > 0


def _clinic_and_news_pages(tmp_path: Path) -> Path:
    """A folder with two annotated pages of corpora/: a clinic's and a news story."""
    corpus = tmp_path / "two-genres"
    corpus.mkdir()
    for page in ("w10_crisis_relief", "h02_local_news_boom"):
        for path in ROOT.joinpath("corpora").glob(f"{page}.*"):
            shutil.copy(path, corpus / path.name)
    return corpus


def test_eval_reports_overstatement_per_genre_of_page(runner: CliRunner, tmp_path: Path) -> None:
    corpus = _clinic_and_news_pages(tmp_path)
    figures = json.loads(runner.invoke(cli.main, ["eval", str(corpus), "--shipped-model", "--json"]).stdout)
    by_genre = figures["overstatement_by_genre"]
    assert set(by_genre) == {"clinic", "news"}
    for count in ("tp", "fp", "fn"):
        assert sum(genre[count] for genre in by_genre.values()) == figures["overstatement"][count]
    table = runner.invoke(cli.main, ["eval", str(corpus), "--shipped-model"]).stdout
    assert "on clinic pages" in table and "on news pages" in table


@pytest.mark.parametrize(
    "command", [["--help"], ["check", "--help"], ["eval", "--help"], ["evidence", "lint", "--help"]]
)
def test_help_teaches_with_examples(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(cli.main, command)
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_python_dash_m_runs_the_same_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "claimcheck", "evidence", "summary"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("domain\ttitle\tentries")


def test_check_help_documents_exit_codes(runner: CliRunner) -> None:
    text = runner.invoke(cli.main, ["check", "--help"]).stdout
    for code in ("0 all checked", "1 some input failed", "2 usage", "3 findings"):
        assert code in " ".join(text.split())


def test_readme_documents_every_command() -> None:
    readme = (ROOT / "README.md").read_text()
    for command in (
        "claimcheck check",
        "claimcheck eval",
        "claimcheck evidence lint",
        "claimcheck evidence list",
        "claimcheck evidence show",
        "make demo",
        "make test",
        "make train",
    ):
        assert command in readme, command


def test_stdin_input(runner: CliRunner) -> None:
    result = runner.invoke(
        cli.main,
        ["check", "-q", "--format", "jsonl", "-"],
        input="Ketamine is FDA-approved for depression.\n",
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["text"].startswith("Ketamine is FDA-approved")


def test_copying_evidence_elsewhere_works(runner: CliRunner, tmp_path: Path) -> None:
    copy = tmp_path / "ev"
    shutil.copytree(ROOT / "evidence", copy)
    result = runner.invoke(cli.main, ["check", "-q", "--format", "jsonl", "--evidence", str(copy), SEED])
    assert result.exit_code == 0, result.stderr


def test_a_config_file_changes_results_with_a_trace_and_the_command_line_wins(
    runner: CliRunner, tmp_path: Path
) -> None:
    config = tmp_path / "strict.toml"
    config.write_text("max_redirects = 2\n[rules]\nlearned_flag_threshold = 1.01\n", encoding="utf-8")
    result = runner.invoke(
        cli.main, ["check", "-q", "--format", "json", "--config", str(config), "--max-redirects", "4", SEED]
    )
    assert result.exit_code == 0, result.stderr
    (report,) = json.loads(result.stdout)
    meta = report["meta"]
    assert meta["config_changed"] == {"max_redirects": 4, "rules.learned_flag_threshold": 1.01}
    assert meta["settings"]["rules"]["learned_flag_threshold"] == 1.01
    assert not any("claim model" in str(c["explanation"]) for c in report["claims"])
    default = json.loads(runner.invoke(cli.main, ["check", "-q", "--format", "json", SEED]).stdout)[0]["meta"]
    assert default["config_changed"] == {} and default["config_sha256"] != meta["config_sha256"]


def test_a_misspelt_config_key_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "typo.toml"
    config.write_text("[rules]\nlearned_flag_treshold = 0.9\n", encoding="utf-8")
    result = runner.invoke(cli.main, ["check", "--config", str(config), SEED])
    assert result.exit_code == cli.EXIT_USAGE and "learned_flag_treshold" in result.stderr


def test_train_only_static_distils_the_table_and_trains_nothing_else(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from claimcheck.train import claims, spinner, static

    calls: list[str] = []
    monkeypatch.setattr(static, "distill_static", lambda: calls.append("static") or tmp_path / "t.npz")
    monkeypatch.setattr(claims, "train_claim_model", lambda *a: calls.append("claims"))
    monkeypatch.setattr(spinner, "train_spun_model", lambda **k: calls.append("spun"))
    result = runner.invoke(cli.main, ["train", "--only", "static"])
    assert result.exit_code == 0, result.stderr
    assert calls == ["static"] and "saved static embedding" in result.stderr


def test_the_cli_and_the_package_import_without_the_pipelines_libraries() -> None:
    """``claimcheck --help`` and ``evidence lint`` start in a fraction of a second: spaCy, torch and
    scikit-learn load only when a command checks pages."""
    probe = "import sys, claimcheck, claimcheck.cli; print(sorted({'spacy', 'torch', 'sklearn'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    lazy = subprocess.run(
        [sys.executable, "-c", "import claimcheck; print(claimcheck.Checker.__module__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert lazy.stdout.strip() == "claimcheck.pipeline"


def test_eval_lists_every_disagreement_with_the_gold(runner: CliRunner, tmp_path: Path) -> None:
    """The --errors file accounts for every miss and false alarm the figures count, each quoted with its offsets."""
    corpus = _clinic_and_news_pages(tmp_path)
    errors = tmp_path / "out" / "errors.jsonl"
    result = runner.invoke(
        cli.main, ["eval", str(corpus), "--shipped-model", "--json", "--errors", str(errors)]
    )
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)
    rows = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    kinds = Counter(row["kind"] for row in rows)
    detection, overstatement = figures["claim_detection"], figures["overstatement"]
    assert kinds["extra_claim"] == detection["fp"] and kinds["missed_claim"] == detection["fn"]
    flagged_extra = sum(1 for r in rows if r["kind"] == "extra_claim" and r["verdict"] in FLAGGED)
    flagged_missed = sum(1 for r in rows if r["kind"] == "missed_claim" and r["gold_flagged"])
    assert kinds["false_flag"] + flagged_extra == overstatement["fp"]
    assert kinds["missed_flag"] + flagged_missed == overstatement["fn"]
    texts = {page.path.name: page.document.text for page in load_corpus(corpus)}
    for row in rows:
        assert row["corpus"] == str(corpus) and row["text"] == texts[row["page"]][row["start"] : row["end"]]
    assert sum(kinds.values()) > 0


def test_eval_errors_needs_annotated_pages(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli.main, ["eval", "--external", str(tmp_path), "--errors", str(tmp_path / "e.jsonl")]
    )
    assert result.exit_code == cli.EXIT_USAGE and "--external" in result.stderr
