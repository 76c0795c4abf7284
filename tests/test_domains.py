"""Domain packs: every treatment is data, and the rules read typed fields, never treatment names.

These tests use the deterministic hashing embedder (no MiniLM): the checks they exercise
read typed fields of the entries (approvals, coverage, price units, vulnerable patients,
standards), not the retrieval ranking.
"""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from claimcheck.annotate import annotate
from claimcheck.claims.detect import claim_at
from claimcheck.evidence.base import EvidenceBase, lint_evidence, load_evidence
from claimcheck.evidence.embedding import HashingEmbedder
from claimcheck.records import FLAGGED_VERDICTS, Claim, Document
from claimcheck.verdicts.judge import Judge
from claimcheck.verdicts.matching import EvidenceIndex

ROOT = Path(__file__).parent.parent
EVIDENCE = ROOT / "evidence"
SOURCE = {"citation": "A made-up source for this test only.", "short": "Test 2026", "reviewed": "2026-12-04"}


def judge_for(base: EvidenceBase) -> Judge:
    return Judge(base, EvidenceIndex(HashingEmbedder()).fit(base))


def judge_text(judge: Judge, text: str, kinds: tuple[str, ...]) -> Claim:
    return judge.judge_all([claim_at(text, 0, kinds)], annotate(Document("t", text)))[0]


# --- a domain added through files alone -----------------------------------------------------------


def _entry(entry_id: str, kind: str, statement: str, **fields: object) -> dict[str, object]:
    mark = fields.pop("mark", "verified")
    return {
        "id": entry_id,
        "kind": kind,
        "statement": statement,
        "intervention": "hydration-drip",
        "sources": [{**SOURCE, "verification": mark}],
        **fields,
    }


@pytest.fixture(scope="module")
def hydration_base(tmp_path_factory: pytest.TempPathFactory) -> EvidenceBase:
    """A small IV-hydration domain priced per session, plus the real cross-domain standards."""
    root = tmp_path_factory.mktemp("evidence")
    shutil.copytree(EVIDENCE / "standards", root / "standards")
    folder = root / "hydration"
    folder.mkdir()
    domain = {
        "domain": "hydration",
        "title": "Hydration drips",
        "interventions": {"hydration-drip": {"names": ["hydration drip", "hydration drips"]}},
        "conditions": {"hangover": {"names": ["hangover", "hangovers"]}},
        "price_units": ["session"],
        "vulnerable": {"conditions": ["hangover"]},
    }
    entries = [
        _entry(
            "hyd-price",
            "cost",
            "A hydration drip costs 100 to 250 dollars a session.",
            price={"low": 100, "high": 250, "unit": "USD"},
        ),
        _entry(
            "hyd-not-approved",
            "regulatory",
            "No hydration drip is an FDA-approved treatment for anything.",
            approved=False,
            as_of="2021-10-25",
        ),
        _entry(
            "hyd-hangover",
            "indication",
            "No trial shows that a hydration drip relieves a hangover.",
            condition="hangover",
            indication_status="none",
            mark="verified-secondary",
        ),
    ]
    (folder / "domain.yaml").write_text(yaml.safe_dump(domain), encoding="utf-8")
    (folder / "facts.yaml").write_text(
        yaml.safe_dump({"topic": "facts", "title": "Facts", "entries": entries}), encoding="utf-8"
    )
    assert lint_evidence(root) == []
    return load_evidence(root)


def test_a_domain_added_as_files_gets_price_checks_in_its_own_unit(hydration_base: EvidenceBase) -> None:
    judge = judge_for(hydration_base)
    cheap = judge_text(judge, "A hydration drip costs $20 per session.", ("cost",))
    assert (cheap.verdict, cheap.reasons) == ("contradicted", ("cost_misstatement",))
    assert [ref.id for ref in cheap.evidence] == ["hyd-price"]
    fair = judge_text(judge, "A hydration drip costs $150 per session.", ("cost",))
    assert fair.verdict == "supported"
    per_month = judge_text(judge, "A hydration drip membership costs $20 a month.", ("cost",))
    assert per_month.verdict not in FLAGGED_VERDICTS


def test_a_domain_added_as_files_gets_regulatory_indication_and_severity_flags(
    hydration_base: EvidenceBase,
) -> None:
    judge = judge_for(hydration_base)
    approved = judge_text(judge, "Our hydration drip is FDA approved.", ("regulatory",))
    assert (approved.verdict, approved.reasons, approved.severity) == (
        "contradicted",
        ("regulatory_misstatement",),
        "high",
    )
    cure = judge_text(judge, "Our hydration drip treats hangovers.", ("indication",))
    assert (cure.verdict, cure.reasons) == ("unsupported", ("indication_creep",))
    assert cure.severity == "high", "the domain lists hangover patients as vulnerable"
    assert cure.evidence[0].verification == "verified-secondary"
    assert "secondary sources" in cure.explanation


def test_a_testimonial_cites_the_cross_domain_standard_in_any_domain(hydration_base: EvidenceBase) -> None:
    judge = judge_for(hydration_base)
    story = judge_text(
        judge,
        "I had a terrible hangover and one hydration drip fixed it, it worked for me!",
        ("testimonial",),
    )
    assert "testimonial_as_proof" in story.reasons
    assert "std-testimonials-not-evidence" in {ref.id for ref in story.evidence}


# --- the real domains: the brief's commonest overstated pattern, and a careful sentence ---------------


@pytest.fixture(scope="module")
def judge() -> Judge:
    return judge_for(load_evidence(EVIDENCE))


PATTERNS = [
    # (domain, overstated claim, its kinds, expected reason, careful claim, its kinds)
    (
        "tms",
        "Our FDA-approved TMS therapy treats depression.",
        ("regulatory", "indication"),
        "regulatory_misstatement",
        "TMS has been FDA-cleared since 2008 for adults whose depression did not improve on an antidepressant.",
        ("regulatory",),
    ),
    (
        "tms",
        "TMS is FDA approved for PTSD and chronic pain.",
        ("regulatory", "indication"),
        "regulatory_misstatement",
        "Deep TMS was authorized by the FDA for OCD in 2018.",
        ("regulatory",),
    ),
    (
        "stem-cells",
        "Our FDA-approved stem cell therapy repairs worn knees.",
        ("regulatory", "efficacy"),
        "regulatory_misstatement",
        "Small trials of stem cell injections for knee arthritis show modest pain relief; they are not FDA-approved.",
        ("regulatory", "efficacy"),
    ),
    (
        "stem-cells",
        "For the first time we can use your own cells to treat pain.",
        ("efficacy", "indication"),
        "indication_creep",
        "Small trials injecting a patient’s own cells into arthritic knees found modest pain relief.",
        ("efficacy",),
    ),
    (
        "stem-cells",
        "Stem cell injections treat autism and Parkinson's disease.",
        ("indication",),
        "indication_creep",
        "FDA has approved cord blood transplant cells only for disorders of blood production.",
        ("regulatory",),
    ),
    (
        "iv-therapy",
        "Our NAD+ infusions reverse aging.",
        ("indication", "efficacy"),
        "indication_creep",
        "No study has shown that NAD+ infusions reverse aging.",
        ("indication",),
    ),
    (
        "hbot",
        "FDA-approved hyperbaric oxygen therapy for autism.",
        ("regulatory", "indication"),
        "regulatory_misstatement",
        "Hyperbaric chambers are FDA-cleared for non-healing diabetic foot ulcers.",
        ("regulatory",),
    ),
    (
        "ozone-chelation",
        "Ozone therapy kills viruses and clears infections.",
        ("indication", "efficacy"),
        "indication_creep",
        "Federal rules describe ozone as a toxic gas with no known medical use.",
        ("regulatory",),
    ),
    (
        "ozone-chelation",
        "Chelation therapy clears clogged arteries and prevents heart attacks.",
        ("indication", "efficacy"),
        "indication_creep",
        "Evidence for chelation after a heart attack is mixed: one trial was marginal and a second found no benefit.",
        ("efficacy",),
    ),
    (
        "peptides",
        "BPC-157 is an FDA-approved peptide.",
        ("regulatory",),
        "regulatory_misstatement",
        "BPC-157 is not FDA-approved, and its evidence for tendon healing comes mostly from animal studies.",
        ("regulatory", "efficacy"),
    ),
]


@pytest.mark.parametrize(("domain", "bold", "bold_kinds", "reason", "careful", "careful_kinds"), PATTERNS)
def test_each_domain_flags_its_common_overstatement_and_passes_a_careful_sentence(
    judge: Judge,
    domain: str,
    bold: str,
    bold_kinds: tuple[str, ...],
    reason: str,
    careful: str,
    careful_kinds: tuple[str, ...],
) -> None:
    flagged = judge_text(judge, bold, bold_kinds)
    assert flagged.verdict in FLAGGED_VERDICTS, flagged.explanation
    assert reason in flagged.reasons, (flagged.reasons, flagged.explanation)
    own = {e.entry.id for e in judge.base.entries if e.domain in (domain, "standards")}
    cited = {ref.id for ref in flagged.evidence}
    assert cited and cited <= own, cited
    assert all(ref.verification in ("verified", "verified-secondary") for ref in flagged.evidence)
    passed = judge_text(judge, careful, careful_kinds)
    assert passed.verdict not in FLAGGED_VERDICTS, (passed.verdict, passed.reasons, passed.explanation)


def test_fda_approved_for_a_cleared_device_cites_what_cleared_means(judge: Judge) -> None:
    claim = judge_text(judge, "Our FDA-approved TMS therapy treats depression.", ("regulatory",))
    assert claim.severity == "low", "the use is a cleared one: only the status word is wrong"
    assert "std-cleared-authorized-approved" in {ref.id for ref in claim.evidence}


def test_fda_registered_is_flagged_with_the_standard_whatever_the_treatment(judge: Judge) -> None:
    for text in (
        "All of our stem cells are processed in an FDA-registered laboratory.",
        "Our BPC-157 comes from an FDA-registered pharmacy.",
    ):
        claim = judge_text(judge, text, ("regulatory",))
        assert "authority_misappropriation" in claim.reasons, (text, claim.reasons)
        assert "std-fda-registered-not-approved" in {ref.id for ref in claim.evidence}


def test_no_claim_is_judged_by_another_domains_entries(judge: Judge) -> None:
    claim = judge_text(judge, "Stem cell therapy cures depression in 95% of patients.", ("efficacy",))
    domains = {judge.base.get(ref.id).domain for ref in (*claim.evidence, *claim.candidates)}
    assert domains <= {"stem-cells", "standards"}


# --- the evidence base itself ---------------------------------------------------------------------


def test_each_new_domain_and_the_standards_have_at_least_eight_marked_entries() -> None:
    base = load_evidence(EVIDENCE)
    for domain in ("tms", "stem-cells", "iv-therapy", "hbot", "ozone-chelation", "peptides", "standards"):
        entries = [e.entry for e in base.entries if e.domain == domain]
        assert len(entries) >= 8, domain
        assert all(e.verification is not None for e in entries if e.id.split("-")[0] != "tms"), domain
    assert set(base.standards) >= {"substantiation", "testimonials", "approval-terms", "registration"}


# --- the grep gate -----------------------------------------------------------------------------------


def _treatment_names() -> set[str]:
    names: set[str] = set()
    for path in EVIDENCE.glob("*/domain.yaml"):
        domain = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not domain.get("cross_domain"):
            names |= {str(n).lower() for term in domain["interventions"].values() for n in term["names"]}
    return names


def _code_words(path: Path) -> Iterator[tuple[int, str]]:
    """Identifiers and string literals of a module, without docstrings and comments."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node.lineno, node.value
        elif isinstance(node, ast.Name | ast.FunctionDef | ast.ClassDef | ast.Attribute | ast.arg):
            name = getattr(node, "id", None) or getattr(node, "name", None) or getattr(node, "attr", None)
            yield node.lineno, str(getattr(node, "arg", None) or name).replace("_", " ")


def test_no_treatment_name_appears_in_the_code() -> None:
    """Treatment knowledge is data (evidence/<domain>/, src/claimcheck/data/); code names no treatment."""
    names = _treatment_names()
    assert {"ketamine", "esketamine", "spravato", "tms", "nad+", "stem cell", "ozone", "hyperbaric"} <= names
    pattern = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + r")(?![\w-])",
        re.I,
    )
    found = [
        f"{path.relative_to(ROOT)}:{line}: {match.group()!r}"
        for path in sorted((ROOT / "src").rglob("*.py"))
        for line, text in _code_words(path)
        if (match := pattern.search(text))
    ]
    assert not found, "\n".join(found)


def test_a_domain_added_as_files_names_its_treatments_in_the_cue_phrases(tmp_path: Path) -> None:
    """The ``treatment`` cue knows the interventions of the evidence base in use (``--evidence``),
    not only those of the default evidence folder."""
    folder = tmp_path / "evidence" / "zorb"
    folder.mkdir(parents=True)
    (folder / "domain.yaml").write_text(
        "domain: zorb\ntitle: Zorb\ninterventions: {zorbatide: {names: [zorbatide]}}\n"
    )
    base = load_evidence(tmp_path / "evidence")
    document = Document("page", "Zorbatide cures hangovers.")
    with_base = [c.text for c in annotate(document, base).units[0].cues if c.category == "treatment"]
    default = [c.text for c in annotate(document).units[0].cues if c.category == "treatment"]
    assert with_base == ["Zorbatide"] and default == []
