"""The evidence schema, loader, linter and hash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claimcheck.errors import EvidenceError
from claimcheck.evidence.base import evidence_hash, lint_evidence, load_evidence

BROKEN = Path(__file__).parent / "data" / "evidence_broken"
PROJECT_EVIDENCE = Path(__file__).parent.parent / "evidence"


def test_good_fixture_loads_with_lines_and_hash() -> None:
    base = load_evidence(BROKEN / "good")
    assert [e.entry.id for e in base.entries] == ["widget-gloom-response", "widget-gloom-onset"]
    assert base.entries[0].line == 4 and base.entries[1].line == 20
    assert base.content_hash == evidence_hash(BROKEN / "good")
    assert base.get("widget-gloom-onset").entry.onset is not None


@pytest.mark.parametrize(
    ("fixture", "line", "field", "message"),
    [
        ("bad_yaml", 22, None, "not valid YAML"),
        ("missing_source", 13, "entries.0.sources", "at least 1"),
        ("bad_doi", 16, "entries.0.sources.0.doi", "pattern"),
        ("low_high", 10, "entries.0.figures", "greater than high"),
        ("duplicate_id", 4, "id", "duplicate id 'widget-gloom-response'"),
        ("dangling", 4, "related", "no entry with id 'no-such-entry'"),
        ("duplicate_key", 14, "keywords", "duplicate key 'keywords' (first at line 12)"),
    ],
)
def test_broken_fixtures_name_file_line_and_field(
    fixture: str, line: int, field: str | None, message: str
) -> None:
    problems = lint_evidence(BROKEN / fixture)
    assert problems, f"{fixture} should fail lint"
    problem = problems[0]
    assert problem.path.endswith(".yaml")
    assert problem.line == line
    assert problem.field == field
    assert message in str(problem)
    with pytest.raises(EvidenceError):
        load_evidence(BROKEN / fixture)


def test_hash_changes_when_a_file_changes(tmp_path: Path) -> None:
    copy = tmp_path / "ev"
    shutil.copytree(BROKEN / "good", copy)
    before = evidence_hash(copy)
    path = copy / "demo" / "efficacy.yaml"
    path.write_text(path.read_text() + "\n# a comment\n")
    assert evidence_hash(copy) != before


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    problems = lint_evidence(tmp_path / "nowhere")
    assert problems and "not found" in str(problems[0])


def test_project_evidence_base_is_clean_and_large_enough() -> None:
    assert lint_evidence(PROJECT_EVIDENCE) == []
    base = load_evidence(PROJECT_EVIDENCE)
    assert len(base.entries) >= 40
    assert {"ketamine", "tms"} <= set(base.domains)
    for located in base.entries:
        assert located.entry.sources, located.entry.id
        for source in located.entry.sources:
            if source.verification == "recalled-not-verified":
                assert located.entry.verified, f"{located.entry.id} rests only on unverified sources"


def test_one_lint_run_reports_all_seven_planted_problems() -> None:
    problems = lint_evidence(BROKEN / "seven_problems")
    found = {(Path(p.path).name, p.line, p.field) for p in problems}
    assert found == {
        ("efficacy.yaml", 13, "entries.0.sources.0.doi"),
        ("efficacy.yaml", 21, "entries.1.figures"),
        ("efficacy.yaml", 28, "entries.2.kind"),
        ("notes.yaml", 6, None),
        ("safety.yaml", 5, "id"),
        ("safety.yaml", 14, "intervention"),
        ("safety.yaml", 23, "related"),
    }
    assert len(problems) == 7


def test_a_broken_domain_file_does_not_hide_its_topic_files(tmp_path: Path) -> None:
    copy = tmp_path / "ev"
    shutil.copytree(BROKEN / "seven_problems", copy)
    (copy / "demo" / "domain.yaml").write_text("domain: demo\ntitle: no interventions\n")
    problems = lint_evidence(copy)
    assert {Path(p.path).name for p in problems} == {"domain.yaml", "efficacy.yaml", "notes.yaml"}


def test_the_loaded_base_names_the_interventions_the_domain_files_list() -> None:
    """The cue lexicon reads names from the files (``treatment_names``) or from a loaded base
    (``intervention_names``): the same names, in the same order, either way."""
    from claimcheck.evidence.base import load_evidence, treatment_names

    root = Path(__file__).parent.parent / "evidence"
    assert load_evidence(root).intervention_names == treatment_names(root) != ()
