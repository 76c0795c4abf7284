"""Verdict rules on hand-built contexts: typed evidence fields decide, no retrieval model runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimcheck.claims.detect import claim_at
from claimcheck.errors import EvidenceError
from claimcheck.evidence.base import EvidenceBase, LocatedEntry, lint_evidence, load_evidence
from claimcheck.evidence.vocabulary import conditions_named, find_targets
from claimcheck.records import Price, Targets
from claimcheck.signals.prices import find_prices
from claimcheck.verdicts.matching import Candidate
from claimcheck.verdicts.rules.context import RULES, ClaimContext, Finding, _phrase_pattern, is_vulnerable
from claimcheck.verdicts.rules.cost import _per_treatment, check_cost
from claimcheck.verdicts.rules.frames import has_the_frame_of
from claimcheck.verdicts.rules.harms import check_harm_rate
from claimcheck.verdicts.rules.indications import check_indications
from claimcheck.verdicts.rules.rates import check_numbers
from claimcheck.verdicts.rules.regulatory import check_regulatory
from claimcheck.verdicts.rules.timing import check_durability

EVIDENCE = Path(__file__).parent.parent / "evidence"


@pytest.fixture(scope="module")
def base() -> EvidenceBase:
    return load_evidence(EVIDENCE)


def context(base: EvidenceBase, text: str, kinds: tuple[str, ...], *candidate_ids: str) -> ClaimContext:
    """A claim's context with the named entries as its candidates and its domain's entries as related."""
    targets = find_targets(text, base)[0]
    domain = base.domains[targets.domain or ""]
    candidates = tuple(Candidate(base.get(i), 1.0, 1.0, 1.0) for i in candidate_ids)
    related = tuple(e for e in base.entries if e.domain == targets.domain)
    claim = claim_at(text, 0, kinds)
    prices = find_prices(text)
    return ClaimContext(claim, claim.cues, targets, domain, candidates, related, base.standards, prices)


def ids(entries: tuple[LocatedEntry, ...]) -> list[str]:
    return [e.entry.id for e in entries]


def test_coverage_is_read_from_the_typed_field(base: EvidenceBase) -> None:
    rarely = context(base, "Most insurance plans cover IV ketamine.", ("cost",), "ket-iv-insurance-coverage")
    [finding] = check_cost(rarely, RULES)
    assert (finding.label, finding.reason, ids(finding.entries)) == (
        "overstated",
        "cost_misstatement",
        ["ket-iv-insurance-coverage"],
    )
    usually = context(base, "Most insurance plans cover Spravato.", ("cost",), "esk-insurance-coverage")
    assert all(f.label == "supported" for f in check_cost(usually, RULES))


def test_coverage_said_of_the_treatment_at_large_must_hold_for_every_form(base: EvidenceBase) -> None:
    both = ("esk-insurance-coverage", "ket-iv-insurance-coverage")
    at_large = context(base, "Ketamine is covered by most major insurance plans.", ("cost",), *both)
    [finding] = check_cost(at_large, RULES)
    assert (finding.label, ids(finding.entries)) == ("overstated", ["ket-iv-insurance-coverage"])
    contrast = context(
        base,
        "Spravato is generally covered by insurance after prior authorization, whereas IV ketamine is paid privately.",
        ("cost",),
        *both,
    )
    assert all(f.label == "supported" for f in check_cost(contrast, RULES))


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Patients who notice dissociation during a ketamine infusion | Under 5%", True),
        ("Fewer than 2% of ketamine patients notice any dissociation.", True),
        ("Dissociation during ketamine infusions is reported by about 41% of patients.", False),
        ("Fewer than 5% of ketamine patients stopped treatment because of dissociation.", False),
        ("Fewer than 30% of ketamine patients notice dissociation.", False),
    ],
)
def test_a_harm_put_far_below_the_measured_share_is_flagged(
    base: EvidenceBase, text: str, flagged: bool
) -> None:
    """A ceiling on a harm ("under 5%") against the entry's typed frequency (dissociation: 41-75%)."""
    ctx = context(base, text, ("safety",), "ket-safety-dissociation")
    findings = check_harm_rate(ctx, RULES)
    assert any(f.label == "overstated" for f in findings) is flagged, findings


def test_a_denied_restriction_cites_the_entry_that_records_it(base: EvidenceBase) -> None:
    ctx = context(base, "Ketamine is not a controlled substance.", ("regulatory",), "ket-fda-anesthetic-1970")
    [finding] = check_regulatory(ctx, RULES)
    assert finding.label == "contradicted" and ids(finding.entries) == ["ket-dea-schedule-iii-1999"]


def test_cleared_device_called_approved_is_a_low_severity_wording_finding(base: EvidenceBase) -> None:
    ctx = context(base, "TMS is FDA approved for depression.", ("regulatory",), "tms-fda-clearance-mdd-2008")
    findings = check_regulatory(ctx, RULES)
    flagged = [f for f in findings if f.label == "overstated"]
    assert [(f.reason, f.severity) for f in flagged] == [("regulatory_misstatement", "low")]
    assert "std-cleared-authorized-approved" in ids(flagged[0].entries)
    cleared = context(
        base, "TMS is FDA cleared for depression.", ("regulatory",), "tms-fda-clearance-mdd-2008"
    )
    assert [f.label for f in check_regulatory(cleared, RULES)] == ["supported"]


def test_approval_for_a_use_no_decision_covers_is_contradicted(base: EvidenceBase) -> None:
    ctx = context(base, "TMS is FDA-cleared for autism.", ("regulatory",), "tms-fda-clearance-mdd-2008")
    [finding] = check_regulatory(ctx, RULES)
    assert (finding.label, finding.reason, finding.severity) == (
        "contradicted",
        "regulatory_misstatement",
        "high",
    )


def test_prices_are_checked_in_the_units_the_domain_quotes(base: EvidenceBase) -> None:
    session = Price(0, 4, "$200", "USD", 200.0, None, None, "tms session", "session", False, False)
    infusion = Price(0, 4, "$200", "USD", 200.0, None, None, "infusion", "infusion", False, False)
    tms, ketamine = base.domains["tms"], base.domains["ketamine"]
    assert _per_treatment(session, tms) and not _per_treatment(infusion, tms)
    assert _per_treatment(infusion, ketamine) and not _per_treatment(session, ketamine)


def test_a_price_in_another_currency_than_the_evidence_is_not_judged_against_it(base: EvidenceBase) -> None:
    in_dollars = context(base, "An IV ketamine infusion costs $25.", ("cost",), "ket-iv-price-per-infusion")
    assert [f.label for f in check_cost(in_dollars, RULES)] == ["contradicted"]
    in_euros = context(base, "An IV ketamine infusion costs €25.", ("cost",), "ket-iv-price-per-infusion")
    assert check_cost(in_euros, RULES) == []


def test_vulnerable_patients_come_from_the_domain(base: EvidenceBase) -> None:
    ketamine, hbot = base.domains["ketamine"], base.domains["hbot"]
    assert is_vulnerable("It helps people with suicidal thoughts.", ketamine)
    assert is_vulnerable("Ideal for treatment-resistant depression.", ketamine)
    assert not is_vulnerable("It helps with mild anxiety.", ketamine)
    assert is_vulnerable("Hyperbaric sessions help children with autism.", hbot)
    assert not is_vulnerable("Hyperbaric sessions help divers.", hbot)


def _write_entry(tmp_path: Path, **fields: str) -> Path:
    root = tmp_path / "evidence"
    (root / "d").mkdir(parents=True)
    (root / "d" / "domain.yaml").write_text("domain: d\ntitle: D\ninterventions: {x: {names: [x]}}\n")
    lines = "".join(f"    {key}: {value}\n" for key, value in fields.items())
    (root / "d" / "t.yaml").write_text(
        "topic: t\ntitle: T\nentries:\n  - id: e-1\n    statement: A statement long enough to pass.\n"
        "    intervention: x\n"
        + lines
        + "    sources:\n      - {citation: A citation long enough, short: Src,"
        " verification: recalled-not-verified, reviewed: 2026-12-04}\n"
    )
    return root


def test_lint_fails_an_entry_marked_surer_than_its_sources(tmp_path: Path) -> None:
    root = _write_entry(tmp_path, kind="efficacy", verification="verified")
    [problem] = lint_evidence(root)
    assert "cannot be surer" in problem.problem


def test_lint_fails_an_undated_regulatory_fact(tmp_path: Path) -> None:
    root = _write_entry(tmp_path, kind="regulatory")
    [problem] = lint_evidence(root)
    assert "as_of" in problem.problem
    with pytest.raises(EvidenceError):
        load_evidence(root)


def _ketamine_creep(base: EvidenceBase, text: str, kinds: tuple[str, ...]) -> list[Finding]:
    """The indication findings for ``text``, a claim of these kinds about ketamine."""
    domain = base.domains["ketamine"]
    targets = Targets("ketamine", frozenset(), conditions_named(text, domain))
    related = tuple(e for e in base.entries if e.domain == "ketamine")
    claim = claim_at(text, 0, kinds)
    ctx = ClaimContext(claim, claim.cues, targets, domain, (), related, base.standards)
    return check_indications(ctx, RULES)


def test_a_condition_named_without_a_treatment_at_work_is_not_indication_creep(base: EvidenceBase) -> None:
    """Epidemiology and side-effect lists name conditions; nothing presents them as treated."""

    def creep(text: str) -> list[Finding]:
        return _ketamine_creep(base, text, ("indication",))

    assert creep("PTSD, anxiety and OCD often run in families.") == []
    assert creep("Clinics now sell unproven infusions for OCD and PTSD.") == []
    assert creep("Reported feelings include:\n- anxiety\n- restlessness\n- low mood") == []
    assert creep("If you try to fix your PTSD with street drugs, you are at a far higher risk of OCD.") == []
    assert creep("For OCD the trials point in different directions, and the largest found no benefit.") == []
    assert creep("In an emergency department, infusions did no better than saline for migraine.") == []
    assert creep("Work on infusions for OCD is at an early stage and the evidence is still thin.") == []
    assert creep("Infusions are not used to manage OCD flare-ups; we refer those patients on.") == []
    assert creep("For migraine, a trial found a low dose of ketamine no better than saline.") == []
    assert creep("Ketamine for OCD is not funded by the public plan, so patients pay privately.") == []
    assert creep("In the largest controlled trial, relief for OCD was gone by the second week.") == []
    assert creep("The first trial for OCD, run in 2013, gave 15 adults one infusion each.") == []
    assert creep("Any antidepressant treatment can tip a person with bipolar disorder into mania.") == []
    assert (
        creep("People with bipolar disorder can have infusions without any risk of triggering mania.") != []
    )
    assert {f.reason for f in creep("Our infusions treat PTSD and OCD.")} == {"indication_creep"}


def test_a_benefit_of_avoiding_surgery_is_no_exclusion(base: EvidenceBase) -> None:
    """ "Patients avoid surgery" is the promise; "should avoid" and "is avoided" exclude patients."""
    promise = "Chelation clears plaque from clogged arteries, so many of our patients avoid bypass surgery."
    assert [f.reason for f in check_indications(context(base, promise, ("efficacy",)), RULES)] == [
        "indication_creep"
    ]
    exclusion = "Patients with clogged arteries should avoid chelation."
    assert check_indications(context(base, exclusion, ("indication",)), RULES) == []


def test_a_condition_named_in_passing_is_not_presented_as_treated(base: EvidenceBase) -> None:
    """Without a word of treating, working or approval, a claim the classifier did not type as
    one about indications or efficacy only names the condition."""

    def creep(text: str) -> list[Finding]:
        return _ketamine_creep(base, text, ("safety",))

    assert creep("Alcohol misuse is not the only source of PTSD after an infusion.") == []
    assert {f.reason for f in creep("A single infusion can break a PTSD cycle.")} == {"indication_creep"}


def test_an_approval_dated_to_a_year_with_no_decision_is_contradicted(base: EvidenceBase) -> None:
    wrong = context(
        base,
        "TMS was cleared by the FDA in 2005 for depression.",
        ("regulatory",),
        "tms-fda-clearance-mdd-2008",
    )
    [finding] = check_regulatory(wrong, RULES)
    assert (finding.label, finding.reason) == ("contradicted", "regulatory_misstatement")
    assert "not 2005" in finding.explanation
    right = context(
        base,
        "TMS was cleared by the FDA in 2008 for depression.",
        ("regulatory",),
        "tms-fda-clearance-mdd-2008",
    )
    assert all(f.label == "supported" for f in check_regulatory(right, RULES))
    unrelated = context(
        base,
        "Since 2005 our clinic has offered FDA-cleared TMS.",
        ("regulatory",),
        "tms-fda-clearance-mdd-2008",
    )
    assert all(f.label != "contradicted" for f in check_regulatory(unrelated, RULES))


def test_the_share_not_helped_implies_the_share_helped(base: EvidenceBase) -> None:
    """ "The 10% who do not respond" promises 90% who do; a group defined by another treatment does not."""
    entry = "ket-iv-series-response-open-label"
    text = "If you are among the 10% of patients who do not respond after six ketamine infusions, we stop."
    [finding] = check_numbers(context(base, text, ("efficacy",), entry), RULES)
    assert (finding.label, finding.reason) == ("overstated", "number_beyond_evidence")
    assert "so 90% who are" in finding.explanation
    other = "50% of our patients who did not respond to TMS went on to respond to ketamine."
    [supported] = check_numbers(context(base, other, ("efficacy",), entry), RULES)
    assert supported.label == "supported"


def test_the_gap_between_boosters_is_how_long_one_dose_is_said_to_last(base: EvidenceBase) -> None:
    entry = "ket-iv-series-relapse-median-18d"
    booster = "After the first series, a ketamine booster every three to four months keeps relief going."
    [finding] = check_durability(context(base, booster, ("durability", "efficacy"), entry), RULES)
    assert (finding.label, finding.reason) == ("overstated", "durability_exaggerated")
    course = "Ketamine relief comes from six infusions over two weeks, then one every two weeks."
    assert check_durability(context(base, course, ("durability", "efficacy"), entry), RULES) == []


@pytest.mark.parametrize(
    "schedule",
    [
        "Ketamine care here means one infusion every weekday for three weeks.",
        "Responders keep their ketamine relief with weekly top-up infusions for at least a month.",
    ],
)
def test_a_schedule_is_no_promise_of_how_long_relief_lasts(base: EvidenceBase, schedule: str) -> None:
    entry = "ket-iv-series-relapse-median-18d"
    assert check_durability(context(base, schedule, ("durability", "efficacy"), entry), RULES) == []


def test_the_learned_flag_may_not_name_what_a_hedge_excuses(base: EvidenceBase) -> None:
    """The rules let "may help PTSD" and "may help repair" pass; the model may not flag them either."""

    def frame(text: str, reason: str) -> bool:
        domain = base.domains["ketamine"]
        claim = claim_at(text, 0, ("efficacy", "indication"))
        targets = Targets("ketamine", frozenset({"ketamine"}), conditions_named(text, domain))
        ctx = ClaimContext(claim, claim.cues, targets, domain, (), (), base.standards)
        return has_the_frame_of(ctx, reason)

    assert frame("Ketamine treats PTSD.", "indication_creep")
    assert not frame("Ketamine may help treat PTSD.", "indication_creep")
    assert frame("Ketamine repairs damaged neurons.", "absolute_language")
    assert not frame("Ketamine may help repair damaged neurons.", "absolute_language")


def test_vulnerable_phrases_are_found_as_each_phrase_alone_would_be(base: EvidenceBase) -> None:
    texts = [
        "For teens and children.",
        "Children's programs.",
        "Pre-children are not kids.",
        "It helps people with suicidal thoughts.",
        "nothing at all",
    ]
    for domain in base.treatment_domains.values():
        phrases = domain.vulnerable.phrases
        pattern = _phrase_pattern(phrases)
        for text in texts + [f"x {p.upper()} y" for p in phrases] + [f"{p}-x" for p in phrases]:
            alone = any(
                re.search(rf"(?<![\w-]){re.escape(p.lower())}(?![\w-])", text.lower()) for p in phrases
            )
            assert (pattern is not None and pattern.search(text.lower()) is not None) == alone, text
    assert _phrase_pattern(()) is None


def test_ranked_entries_are_the_candidates_then_the_other_related_entries(base: EvidenceBase) -> None:
    ctx = context(base, "Ketamine is not a controlled substance.", ("regulatory",), "ket-fda-anesthetic-1970")
    first = [c.entry for c in ctx.candidates]
    rest = [e for e in ctx.related if e.entry.id not in {f.entry.id for f in first}]
    assert list(ctx.ranked) == first + rest
    assert ctx.ranked is ctx.ranked


def test_most_patients_is_held_only_against_shares_of_patients_helped(base: EvidenceBase) -> None:
    """ "Most patients" counts people helped; a relative reduction in cardiac events counts no one."""
    energy = context(
        base, "Most patients feel more energy after chelation therapy.", ("efficacy",), "chel-tact-2013"
    )
    assert check_numbers(energy, RULES) == []
    figure = context(base, "Chelation therapy cuts heart attacks by 60%.", ("efficacy",), "chel-tact-2013")
    assert [f.label for f in check_numbers(figure, RULES)] == ["overstated"]


def test_a_routine_told_of_most_patients_states_no_rate(base: EvidenceBase) -> None:
    routine = context(base, "After a ketamine infusion most patients go home and rest.", ("efficacy",))
    assert not has_the_frame_of(routine, "number_beyond_evidence")
    benefit = context(base, "Most patients feel relief after one infusion of ketamine.", ("efficacy",))
    assert has_the_frame_of(benefit, "number_beyond_evidence")


def test_two_approvals_in_two_clauses_are_judged_each_on_its_own(base: EvidenceBase) -> None:
    text = (
        "Esketamine nasal spray was approved for treatment-resistant depression in 2019, "
        "and IV ketamine for depression is also FDA-approved."
    )
    ctx = context(
        base, text, ("regulatory",), "esk-fda-approval-trd-2019", "ket-iv-not-fda-approved-depression"
    )
    assert {f.label for f in check_regulatory(ctx, RULES)} == {"supported", "contradicted"}
    only = context(
        base,
        "IV ketamine is used off-label: the FDA approved it as an anesthetic, and the only ketamine medicine "
        "approved for depression is the esketamine nasal spray.",
        ("regulatory",),
        "esk-fda-approval-trd-2019",
        "ket-iv-not-fda-approved-depression",
    )
    assert all(f.label == "supported" for f in check_regulatory(only, RULES))


def test_approved_diagnoses_of_a_payer_are_no_device_status(base: EvidenceBase) -> None:
    payer = context(
        base,
        "Insurance covers hyperbaric oxygen therapy only for approved diagnoses such as diabetic foot ulcers.",
        ("cost", "regulatory"),
        "hbot-cleared-indications-2021",
    )
    assert all(f.label != "overstated" for f in check_regulatory(payer, RULES))
    status = context(
        base,
        "FDA-approved conditions we treat with hyperbaric oxygen therapy: diabetic foot ulcers.",
        ("regulatory",),
        "hbot-cleared-indications-2021",
    )
    assert [f.reason for f in check_regulatory(status, RULES) if f.label == "overstated"] == [
        "regulatory_misstatement"
    ]


def test_a_limit_on_what_was_approved_that_names_none_of_ours_is_not_judged(base: EvidenceBase) -> None:
    text = "The only stem cell products the FDA has approved are made from umbilical cord blood."
    ctx = context(base, text, ("regulatory",))
    assert all(f.label != "contradicted" for f in check_regulatory(ctx, RULES))


def test_a_discount_is_no_rate(base: EvidenceBase) -> None:
    ctx = context(base, "Members save 20% on every ketamine infusion.", ("cost", "efficacy"))
    assert check_numbers(ctx, RULES) == [] and not has_the_frame_of(ctx, "number_beyond_evidence")


@pytest.mark.parametrize(
    "text",
    [
        "Remission came in 41% of the ketamine group and 45% of the ECT group in that trial of ketamine.",
        "Ketamine beat placebo by 9 percentage points (95% CI 2 to 16) in the pooled ketamine trials.",
        "Of 213 patients starting ketamine infusions, 198 (93%) completed all six.",
        "After their ketamine infusions, 96% of our patients would recommend us to a friend.",
    ],
)
def test_a_trial_reported_arm_by_arm_or_a_completion_share_is_no_promised_rate(
    base: EvidenceBase, text: str
) -> None:
    ctx = context(base, text, ("efficacy",))
    assert check_numbers(ctx, RULES) == [] and not has_the_frame_of(ctx, "number_beyond_evidence")


def test_some_plans_reimbursing_part_is_no_coverage_promise(base: EvidenceBase) -> None:
    text = "Some out-of-network plans reimburse part of the cost of ketamine infusions, but many pay nothing."
    assert all(f.label != "overstated" for f in check_cost(context(base, text, ("cost",)), RULES))


@pytest.mark.parametrize(
    "text",
    [
        "The provincial plan does not cover ketamine infusions, though a few workplace plans reimburse some of it.",
        "Your plan may reimburse the assessment, but ketamine infusions themselves are rarely covered.",
    ],
)
def test_payment_set_beside_a_denied_one_is_no_coverage_promise(base: EvidenceBase, text: str) -> None:
    assert all(f.label != "overstated" for f in check_cost(context(base, text, ("cost",)), RULES))
    promise = "Most insurance plans reimburse ketamine infusions."
    assert [f.reason for f in check_cost(context(base, promise, ("cost",)), RULES)] == ["cost_misstatement"]


@pytest.mark.parametrize(
    "text",
    [
        "Spravato is the only FDA-approved ketamine product for depression.",
        "Clinics use generic ketamine, which is approved as an anesthetic but not for depression.",
        "We give no IV ketamine; Spravato is the only form of ketamine the FDA has approved for depression.",
    ],
)
def test_an_approval_stated_with_its_limit_is_not_contradicted(base: EvidenceBase, text: str) -> None:
    ctx = context(
        base, text, ("regulatory",), "esk-fda-approval-trd-2019", "ket-iv-not-fda-approved-depression"
    )
    assert all(f.label != "contradicted" for f in check_regulatory(ctx, RULES))


def test_the_learned_flag_may_call_a_testimonial_only_a_patients_story(base: EvidenceBase) -> None:
    clinician = context(
        base, "Research on IM ketamine is thin, so I consider it a second choice.", ("efficacy",)
    )
    assert not has_the_frame_of(clinician, "testimonial_as_proof")
    patient = context(base, "After my third ketamine infusion I finally felt like myself.", ("efficacy",))
    assert has_the_frame_of(patient, "testimonial_as_proof")
    for limited in (
        "Three weeks after my last ketamine infusion the fog started creeping back.",
        "Ten sessions of TMS and my mood barely moved.",
        "Ten minutes into my ketamine infusion the room felt far away.",
    ):
        assert not has_the_frame_of(context(base, limited, ("efficacy",)), "testimonial_as_proof"), limited


def test_a_lenders_approval_is_no_regulators(base: EvidenceBase) -> None:
    text = "IV ketamine for depression: financing from $299/month with approved credit."
    ctx = context(base, text, ("cost",), "ket-iv-not-fda-approved-depression")
    assert check_regulatory(ctx, RULES) == []


def test_a_measure_of_the_substance_is_no_rate_for_the_learned_flag(base: EvidenceBase) -> None:
    ctx = context(base, "IV ketamine gives 100% absorption because it skips the gut.", ("efficacy",))
    assert not has_the_frame_of(ctx, "number_beyond_evidence")


def test_coverage_said_of_another_drug_beside_a_self_paid_treatment_is_no_promise(base: EvidenceBase) -> None:
    text = "Our Botox for headaches is usually covered by insurance; ketamine treatments are self-pay."
    assert all(f.label != "overstated" for f in check_cost(context(base, text, ("cost",)), RULES))


def test_an_approval_denied_of_two_treatments_at_once_is_not_contradicted(base: EvidenceBase) -> None:
    text = "Neither generic IV ketamine nor Spravato (esketamine nasal spray) is FDA-approved for bipolar depression."
    ctx = context(
        base, text, ("regulatory",), "ket-iv-not-fda-approved-depression", "esk-fda-approval-trd-2019"
    )
    assert all(f.label != "contradicted" for f in check_regulatory(ctx, RULES))


@pytest.mark.parametrize(
    "text",
    [
        "The FDA has approved only one kind of stem cell product, made from cord blood, for blood disorders.",
        "A judge ruled that the clinic's stem cell mixture was a drug requiring FDA approval.",
        "Stem cell shots sold without approval have blinded patients.",
    ],
)
def test_approval_limited_required_or_lacking_is_no_status_claimed(base: EvidenceBase, text: str) -> None:
    ctx = context(
        base, text, ("regulatory",), "sc-only-cord-blood-approved", "sc-unapproved-products-need-approval"
    )
    assert all(f.label != "contradicted" for f in check_regulatory(ctx, RULES))


def test_cleared_rather_than_approved_states_the_status_rightly(base: EvidenceBase) -> None:
    text = "TMS devices are cleared rather than approved, and only for a few uses."
    ctx = context(base, text, ("regulatory",), "tms-fda-clearance-mdd-2008")
    assert all(f.label != "overstated" for f in check_regulatory(ctx, RULES))
