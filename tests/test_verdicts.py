"""Verdicts on the seed pages (the acceptance cases) and on single claims."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from claimcheck.annotate import annotate
from claimcheck.claims.detect import claim_at
from claimcheck.evidence.vocabulary import find_targets, is_compatible, name_targets
from claimcheck.pipeline import Checker
from claimcheck.records import FLAGGED_VERDICTS, Claim, Document, Report, Targets
from claimcheck.verdicts.judge import RULES, Judge
from claimcheck.verdicts.matching import claim_needs, entry_offers

CORPORA = Path(__file__).parent.parent / "corpora"


@pytest.fixture(scope="module")
def seed_reports(checker: Checker) -> dict[str, Report]:
    return {p.name[:3]: checker.check(str(p)) for p in sorted(CORPORA.glob("0*.txt"))}


def covering(report: Report, phrase: str) -> Claim:
    start = report.text.index(phrase)
    end = start + len(phrase)
    for claim in report.claims:
        if claim.start <= start and end <= claim.end:
            return claim
    raise AssertionError(f"no claim covers {phrase!r}")


@pytest.mark.parametrize(
    ("seed", "phrase", "reasons"),
    [
        ("001", "on average 75% of patients find relief", {"number_beyond_evidence"}),
        ("001", "one of the safest, most widely used anesthetics in the world", {"absolute_language"}),
        (
            "001",
            "within 30 to 40 minutes in about 60 to 75 percent of patients",
            {"number_beyond_evidence", "onset_exaggerated"},
        ),
        ("001", "reduce pain symptoms by 70% to 80% in the first hour alone", {"number_beyond_evidence"}),
        ("001", "World-renowned institutions have confirmed the efficacy", {"authority_misappropriation"}),
        ("001", "IV Ketamine for Depression, PTSD, Chronic Pain, Lyme and More", {"indication_creep"}),
    ],
)
def test_seed_overstatements_are_flagged_with_reason_and_citations(
    seed_reports: dict[str, Report], seed: str, phrase: str, reasons: set[str]
) -> None:
    claim = covering(seed_reports[seed], phrase)
    assert claim.verdict in FLAGGED_VERDICTS, (claim.verdict, claim.explanation)
    assert reasons & set(claim.reasons), claim.reasons
    assert claim.severity in ("high", "medium", "low")
    assert claim.explanation
    if claim.verdict != "unsupported":
        assert claim.evidence and all(ref.citations for ref in claim.evidence)


@pytest.mark.parametrize(
    ("seed", "phrase"),
    [
        ("002", "was first approved for use in humans by the Food and Drug Administration (FDA) in 1970"),
        ("000", "is the FDA-approved nasal spray called esketamine (Spravato)"),
    ],
)
def test_true_approval_statements_are_not_flagged(
    seed_reports: dict[str, Report], seed: str, phrase: str
) -> None:
    claim = covering(seed_reports[seed], phrase)
    assert claim.verdict == "supported", (claim.verdict, claim.reasons, claim.explanation)
    assert any(ref.citations for ref in claim.evidence)


def judge_one(
    judge: Judge, text: str, kinds: tuple[str, ...], page: str | None = None, **found: object
) -> Claim:
    """Judge ``text`` as the last line of ``page`` (or alone); ``found`` sets fields the claim model would."""
    document = f"{page}\n{text}" if page else text
    claim = replace(claim_at(text, len(document) - len(text), kinds), **found)  # type: ignore[arg-type]
    return judge.judge_all([claim], annotate(Document("t", document)))[0]


UNCOVERED_PAGE = (
    "Psilocybin therapy for depression. Ketamine clinics are everywhere, but psilocybin heals the brain."
)


@pytest.mark.parametrize(
    ("text", "kinds", "reason"),
    [
        ("Our psilocybin sessions cure depression in 95% of patients.", ("efficacy",), "absolute_language"),
        ("A CBD drip is extremely safe for every adult.", ("safety",), "absolute_language"),
        ("Psilocybin regenerates damaged tissue in the brain.", ("mechanism",), "absolute_language"),
        ("You feel the testosterone boost within minutes of the shot.", ("onset",), "onset_exaggerated"),
        ("Our CBD sessions cure Lyme disease and fibromyalgia.", ("indication",), "absolute_language"),
    ],
)
def test_uncovered_treatment_is_judged_by_its_wording_and_never_borrows_evidence(
    judge: Judge, text: str, kinds: tuple[str, ...], reason: str
) -> None:
    claim = judge_one(judge, text, kinds, UNCOVERED_PAGE)
    assert claim.verdict in FLAGGED_VERDICTS and reason in claim.reasons
    assert claim.evidence == () and claim.candidates == ()
    assert "No entry of the evidence base covers this treatment" in claim.explanation


@pytest.mark.parametrize(
    "text",
    [
        "Red light therapy erases wrinkles and heals acne in three sessions.",
        "Red light therapy clears acne. It is completely painless with zero side effects.",
    ],
)
def test_a_wellness_service_no_domain_covers_borrows_nothing_from_the_pages_other_services(
    judge: Judge, text: str
) -> None:
    """On a page whose other service a domain covers (exosomes: stem cells), a claim about red light therapy,
    or a pronoun leaning on one, is judged by its wording alone."""
    *before, last = text.split(". ")
    page = "Exosome facials and red light therapy at our med spa." + (f"\n{before[0]}." if before else "")
    claim = judge_one(judge, last, ("safety", "efficacy"), page)
    assert claim.verdict in FLAGGED_VERDICTS and claim.evidence == (), claim.explanation


@pytest.mark.parametrize(
    ("text", "verdict", "standard"),
    [
        ("Our compounded semaglutide is FDA approved.", "contradicted", "std-compounded-not-approved"),
        (
            "FDA-approved compounded tirzepatide, shipped to your door.",
            "contradicted",
            "std-compounded-not-approved",
        ),
        (
            "Our semaglutide comes from an FDA-registered pharmacy.",
            "overstated",
            "std-fda-registered-not-approved",
        ),
        ("Unlike compounded versions, Wegovy is FDA approved for weight loss.", "unverified", None),
        ("Compounded semaglutide is not FDA approved.", "unverified", None),
    ],
)
def test_the_standards_for_every_treatment_judge_a_claim_no_domain_covers(
    judge: Judge, text: str, verdict: str, standard: str | None
) -> None:
    """No domain covers weight-loss drugs, but no compounded drug is FDA-approved and registration endorses nothing."""
    claim = judge_one(judge, text, ("regulatory",))
    assert claim.verdict == verdict, claim.explanation
    assert [ref.id for ref in claim.evidence] == ([standard] if standard else [])
    assert all(ref.citations for ref in claim.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "Our psilocybin sessions are given by a nurse in the clinic.",
        "Our CBD sessions treat Lyme disease and fibromyalgia.",
        "SSRIs treat depression and anxiety in 20-30% of patients.",
    ],
)
def test_uncovered_treatment_with_plain_wording_is_unverified(judge: Judge, text: str) -> None:
    """An indication or a rate needs evidence to be judged; no domain has any for these treatments."""
    claim = judge_one(judge, text, ("efficacy", "indication"), UNCOVERED_PAGE)
    assert claim.verdict == "unverified"
    assert claim.evidence == () and claim.reasons == ()


@pytest.mark.parametrize(
    ("text", "judged_as_ours"),
    [
        (
            "Two medications are FDA approved for PTSD, both antidepressants, and their benefit is small.",
            False,
        ),
        ("Antidepressants treat PTSD in most patients within a day.", False),
        ("Semaglutide injections help patients lose an average of 90% of their body weight.", False),
        ("Bupropion lifts depression in 95% of patients within a day.", False),
        ("Opioids relieve chronic pain in 90% of patients for a lifetime.", False),
        ("Conventional addiction treatment approaches relieve PTSD in 95% of patients within a day.", False),
        ("Unlike antidepressants, it relieves PTSD within a day.", True),
        ("Compared to antidepressants, the response rate for PTSD is far higher.", True),
    ],
)
def test_a_claim_about_other_drugs_is_not_judged_against_the_page_treatment(
    judge: Judge, text: str, judged_as_ours: bool
) -> None:
    """Drugs by class in the plural, with no word of the page's treatment: not the page's claim to judge."""
    page = "Ketamine infusions for PTSD and depression."
    claim = judge_one(judge, text, ("efficacy", "indication"), page)
    assert (claim.verdict in FLAGGED_VERDICTS) is judged_as_ours, claim.explanation
    if not judged_as_ours:
        assert claim.evidence == () and claim.verdict == "unverified"


@pytest.mark.parametrize(
    ("text", "contradicted"),
    [
        ("Ketamine won’t cause dependence.", True),
        ("Our ketamine treatments do not suppress your breathing.", True),
        ("TMS does not cause seizures.", True),
        ("Ketamine does not lower blood pressure.", False),
        ("Ketamine does not cause the side effects that SSRIs are known for.", False),
        ("Some patients do not develop nausea after ketamine.", False),
        ("Unlike ketamine infusions, TMS does not produce dissociation.", False),
        ("Ketamine is non-habit forming.", True),
        ("Unlike benzodiazepines, ketamine has no withdrawal.", True),
    ],
)
def test_a_harm_denied_outright_is_contradicted_by_the_evidence_that_records_it(
    judge: Judge, text: str, contradicted: bool
) -> None:
    claim = judge_one(judge, text, ("safety",))
    denied = claim.verdict == "contradicted" and "absolute_language" in claim.reasons
    assert denied is contradicted, claim.explanation
    if contradicted:
        assert "records the harm" in claim.explanation and claim.evidence


def test_tms_claims_are_judged_by_tms_evidence_only(judge: Judge) -> None:
    claim = judge_one(judge, "TMS has no side effects at all and works for everyone.", ("safety", "efficacy"))
    ids = {ref.id for ref in (*claim.evidence, *claim.candidates)}
    assert ids, claim
    tms_ids = {e.entry.id for e in judge.base.entries if e.domain == "tms"}
    assert ids <= tms_ids
    assert claim.verdict in FLAGGED_VERDICTS


def test_false_approval_is_contradicted_with_high_severity(judge: Judge) -> None:
    claim = judge_one(judge, "IV ketamine infusions are FDA-approved for depression.", ("regulatory",))
    assert claim.verdict == "contradicted" and "regulatory_misstatement" in claim.reasons
    assert claim.severity == "high"


def test_approval_claimed_for_a_condition_in_either_word_order(judge: Judge) -> None:
    text = "Ketamine has been FDA approved since 1970, so our depression infusions are FDA-approved too."
    claim = judge_one(judge, text, ("regulatory",))
    assert claim.verdict == "contradicted" and "regulatory_misstatement" in claim.reasons
    anesthetic = judge_one(
        judge, "Ketamine was approved by the FDA in 1970 as an anesthetic.", ("regulatory",)
    )
    assert anesthetic.verdict == "supported"


def test_lasting_words_flag_only_without_an_in_range_duration(judge: Judge) -> None:
    words = judge_one(
        judge,
        "After one ketamine infusion series most patients stay well without further treatment.",
        ("durability",),
    )
    assert "durability_exaggerated" in words.reasons
    in_range = judge_one(
        judge,
        "A single ketamine infusion reduced suicidal thinking within a day, with benefits lasting up to one week.",
        ("efficacy", "durability"),
    )
    assert "durability_exaggerated" not in in_range.reasons


def test_a_phrase_an_entry_contradicts_is_flagged_only_for_its_own_treatment(judge: Judge) -> None:
    home = judge_one(judge, "Spravato nasal spray can be taken at home once you are stable.", ("regulatory",))
    assert home.verdict == "contradicted" and "regulatory_misstatement" in home.reasons
    assert "esk-rems-monitoring" in {e.id for e in home.evidence}
    denied = judge_one(judge, "Spravato cannot be taken at home.", ("regulatory",))
    assert "esk-rems-monitoring" not in {e.id for e in denied.evidence if denied.verdict == "contradicted"}
    lozenges = judge_one(judge, "Ketamine lozenges can be taken at home.", ("regulatory",))
    assert "esk-rems-monitoring" not in {e.id for e in lozenges.evidence}


NEUTRAL = "Patients rest in a quiet private room while the ketamine infusion runs."


def judged_with_flag(judge: Judge, text: str, score: float, kinds: tuple[str, ...] = ("safety",)) -> Claim:
    """Judge ``text`` as if the claim model had given it flag score ``score`` (for a reason with no frame)."""
    return judge_one(judge, text, kinds, flag_score=score, flag_reasons=("authority_misappropriation",))


def test_the_learned_flag_catches_what_no_rule_does_and_says_so(judge: Judge) -> None:
    assert judge_one(judge, NEUTRAL, ("safety",)).verdict not in FLAGGED_VERDICTS
    claim = judged_with_flag(judge, NEUTRAL, 0.9)
    assert claim.verdict == "overstated"
    assert claim.reasons == ("authority_misappropriation",)
    assert claim.severity == "low"
    assert "claim model" in claim.explanation and "0.90" in claim.explanation
    assert claim.evidence and claim.evidence[0].id == claim.candidates[0].id
    assert claim.evidence[0].citations


def test_the_learned_flag_needs_its_threshold_and_can_be_turned_off(judge: Judge) -> None:
    below = judged_with_flag(judge, NEUTRAL, RULES.learned_flag_threshold - 0.01)
    assert below.verdict not in FLAGGED_VERDICTS
    rules_only = Judge(judge.base, judge.index, learned_flags=False)
    assert judged_with_flag(rules_only, NEUTRAL, 0.99).verdict not in FLAGGED_VERDICTS


def test_a_rule_finding_wins_over_the_learned_flag(judge: Judge) -> None:
    claim = judged_with_flag(
        judge, "On average 75% of patients find relief with ketamine.", 0.99, ("efficacy",)
    )
    assert "number_beyond_evidence" in claim.reasons
    assert "claim model" not in claim.explanation


def test_the_learned_flag_stays_quiet_on_a_caution(judge: Judge) -> None:
    caution = judged_with_flag(judge, "Ketamine therapy does not work for everyone.", 0.99, ("efficacy",))
    assert caution.verdict not in FLAGGED_VERDICTS
    promise = judged_with_flag(judge, "Ketamine therapy works for everyone.", 0.99, ("efficacy",))
    assert promise.verdict in FLAGGED_VERDICTS


def test_the_learned_flag_names_durability_only_where_a_benefit_is_said_to_last(judge: Judge) -> None:
    def with_durability(text: str) -> Claim:
        return judge_one(
            judge, text, ("durability", "efficacy"), flag_score=0.99, flag_reasons=("durability_exaggerated",)
        )

    course = with_durability(
        "A course is six ketamine infusions over two weeks; each infusion lasts 40 minutes."
    )
    assert course.verdict not in FLAGGED_VERDICTS
    promise = with_durability("Our ketamine patients enjoy three weeks of relief from their depression.")
    assert promise.verdict == "overstated" and "durability_exaggerated" in promise.reasons


def test_the_learned_flag_names_indication_creep_only_where_a_use_is_promised(judge: Judge) -> None:
    def with_creep(text: str) -> Claim:
        return judge_one(
            judge, text, ("efficacy", "indication"), flag_score=0.99, flag_reasons=("indication_creep",)
        )

    side_effects = with_creep("Negative effects of ketamine can include:\n- anxiety\n- blurred vision")
    assert side_effects.verdict not in FLAGGED_VERDICTS
    study = with_creep("The two qualitative articles revealed a reduction in PTSD after ketamine.")
    assert study.verdict not in FLAGGED_VERDICTS
    promise = with_creep("Our ketamine infusions help people with tinnitus feel better.")
    assert promise.verdict == "overstated" and "claim model" in promise.explanation
    established = with_creep(
        "Ketamine infusions give short-term pain relief in complex regional pain syndrome."
    )
    assert established.verdict not in FLAGGED_VERDICTS, established.explanation
    # depression has no indication entry of its own; its treatment-resistant form is established
    broader = with_creep("At lower doses, doctors use ketamine off label to treat depression.")
    assert broader.verdict not in FLAGGED_VERDICTS, broader.explanation


def test_the_learned_flag_judges_an_uncovered_treatment_without_borrowing_evidence(judge: Judge) -> None:
    strong = "Psilocybin sessions bring long-lasting relief."
    flagged = judged_with_flag(judge, strong, 0.99, ("efficacy",))
    assert flagged.verdict == "overstated" and flagged.severity == "low"
    assert flagged.evidence == () and flagged.candidates == ()
    assert "claim model" in flagged.explanation and "check it by hand" in flagged.explanation
    assert judged_with_flag(judge, strong, 0.2, ("efficacy",)).verdict == "unverified"


def test_the_learned_flag_names_only_wording_where_no_domain_has_evidence(judge: Judge) -> None:
    plain = judged_with_flag(judge, "Our psilocybin sessions are given weekly.", 0.99, ("efficacy",))
    assert plain.verdict == "unverified"
    strong = judge_one(
        judge,
        "Psilocybin sessions bring long-lasting relief.",
        ("efficacy",),
        flag_score=0.99,
        flag_reasons=("number_beyond_evidence",),
    )
    assert strong.verdict == "overstated" and strong.reasons == ("absolute_language",)


def test_in_range_number_is_supported(judge: Judge) -> None:
    claim = judge_one(
        judge, "In trials about 50% of patients respond 24 hours after one ketamine infusion.", ("efficacy",)
    )
    assert claim.verdict == "supported", claim.explanation


@pytest.mark.parametrize(
    ("page", "text", "flagged"),
    [
        # a series' open-label figure is no figure for one infusion
        ("IV ketamine for depression.", "Some 68% of patients respond after a single infusion.", True),
        (
            "IV ketamine for depression.",
            "Some 68% of patients respond after a series of six infusions.",
            False,
        ),
        # an open-label or registry figure credited to controlled trials
        (
            "IV ketamine for depression.",
            "In clinical trials, 68% of patients with depression respond to a series of infusions.",
            True,
        ),
        ("TMS for depression.", "In clinical trials, 58% of patients responded to TMS.", True),
        ("TMS for depression.", "In an open registry, 58% of patients responded to TMS.", False),
        # a rate open above at the top of the evidence
        ("IV ketamine for depression.", "After six infusions, 70% or more of patients respond.", True),
        ("IV ketamine for depression.", "After six infusions, 40% or more of patients respond.", False),
        # a percent of the substance, not of the patients helped
        ("IV ketamine for depression.", "IV ketamine is 100% bioavailable, so the whole dose works.", False),
        # the outcome named before the rate
        ("IV ketamine for depression.", "Remission after a six-infusion series | 61%", True),
    ],
)
def test_a_rate_is_held_to_the_evidence_for_its_regimen_design_and_outcome(
    judge: Judge, page: str, text: str, flagged: bool
) -> None:
    claim = judge_one(judge, text, ("efficacy",), page)
    assert ("number_beyond_evidence" in claim.reasons) is flagged, (claim.verdict, claim.explanation)


def test_a_rate_the_rules_find_in_range_is_not_flagged_by_the_model(judge: Judge) -> None:
    text = "After a series of six infusions, about 70% of our patients respond."
    claim = judge_one(
        judge, text, ("efficacy",), "IV ketamine.", flag_score=0.99, flag_reasons=("number_beyond_evidence",)
    )
    assert claim.verdict == "supported", claim.explanation


def test_a_rate_naming_no_condition_is_held_to_the_conditions_its_page_names(judge: Judge) -> None:
    """A depression clinic's bare rate is measured against depression trials, not suicidal-ideation ones."""
    page = "IV ketamine for depression and treatment-resistant depression."
    claim = judge_one(
        judge, "Seven in ten patients feel better: 70% after a single infusion.", ("efficacy",), page
    )
    assert claim.evidence, claim.explanation
    cited = judge.base.get(claim.evidence[0].id).entry
    assert cited.condition is not None and "suicid" not in cited.condition, cited.id
    assert is_compatible(cited.condition, frozenset({"depression"}), judge.base.domains["ketamine"])


@pytest.mark.parametrize(
    "text",
    [
        "Ketamine prevents suicide in people at the highest risk.",
        "Because it acts so fast, ketamine stops people in crisis from attempting suicide.",
    ],
)
def test_preventing_suicide_is_not_the_evidence_on_suicidal_thoughts(judge: Judge, text: str) -> None:
    """Trials show suicidal thoughts easing for days; none shows fewer suicide attempts or deaths."""
    claim = judge_one(judge, text, ("efficacy", "indication"), "IV ketamine for depression.")
    assert "indication_creep" in claim.reasons, (claim.verdict, claim.explanation)
    assert "ket-si-no-suicide-prevention-evidence" in {ref.id for ref in claim.evidence}


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("High-dose IV vitamin C kills cancer cells.", "iv-ftc-disease-claims-2018"),
        ("Hyperbaric oxygen therapy starves tumors.", "hbot-indication-cancer-lyme-none"),
    ],
)
def test_killing_or_starving_a_disease_is_treating_it(judge: Judge, text: str, entry: str) -> None:
    """A verb that acts on the disease presents it as treated, so an unproven use meets the indication rules."""
    claim = judge_one(judge, text, ("mechanism",))
    assert "indication_creep" in claim.reasons, (claim.verdict, claim.explanation)
    assert entry in {ref.id for ref in claim.evidence}


def test_a_harm_put_far_below_the_evidence_is_a_number_beyond_it(judge: Judge) -> None:
    claim = judge_one(judge, "Patients who notice dissociation | Under 5%", ("safety",), "IV ketamine.")
    assert "number_beyond_evidence" in claim.reasons, (claim.verdict, claim.explanation)
    assert "ket-safety-dissociation" in {ref.id for ref in claim.evidence}


def test_a_word_of_remission_belongs_to_the_rate_nearest_before_it(judge: Judge) -> None:
    """The response rate is held against response rates though a remission rate follows it."""
    both = judge_one(
        judge,
        "In a registry of real-world patients, 58% responded to TMS and 37% reached remission.",
        ("efficacy",),
    )
    assert "number_beyond_evidence" not in both.reasons, both.explanation
    remission = judge_one(judge, "With TMS, 58% of patients reach full remission.", ("efficacy",))
    assert "number_beyond_evidence" in remission.reasons, remission.explanation


def test_hedging_lowers_severity_but_keeps_the_flag(judge: Judge) -> None:
    plain = judge_one(judge, "Ketamine is the best treatment for depression.", ("efficacy",))
    hedged = judge_one(
        judge, "Ketamine may be the best treatment for some patients with depression.", ("efficacy",)
    )
    assert plain.verdict in FLAGGED_VERDICTS and hedged.verdict in FLAGGED_VERDICTS
    order = {"low": 0, "medium": 1, "high": 2}
    assert order[hedged.severity or "low"] <= order[plain.severity or "low"]


def test_rules_are_data() -> None:
    assert RULES.number_tolerance_points >= 0
    assert set(RULES.creep_labels) == {"preliminary", "mixed", "negative", "none"}


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("After the ketamine infusion you are observed, and within 20 minutes you feel steady.", ("onset",)),
        ("Most patients keep their benefits with 20 ketamine sessions over three years.", ("durability",)),
        ("Depression affects about 280 million people worldwide each year.", ("efficacy", "indication")),
        ("One clinic's website promises that ketamine cures depression in minutes.", ("efficacy", "onset")),
        (
            "A randomized pilot study (n = 30) of ketamine in PTSD reported fewer symptoms than midazolam.",
            ("indication", "efficacy"),
        ),
        ("Ketamine is used off-label for depression, PTSD and chronic pain.", ("indication", "regulatory")),
        ("Side effects can include:\n- nausea\n- anxiety\n- blurred vision", ("safety", "indication")),
        (
            "Unlike pills that take weeks, ketamine can ease depression within hours.",
            ("onset", "comparative"),
        ),
        (
            "Immediate effects of the ketamine spray may include dizziness and dissociation.",
            ("onset", "safety"),
        ),
        ("Each ketamine infusion lasts about 45 minutes, with 30 minutes of rest after.", ("onset",)),
    ],
)
def test_real_page_false_flags_stay_unflagged(judge: Judge, text: str, kinds: tuple[str, ...]) -> None:
    claim = judge_one(judge, text, kinds)
    assert claim.verdict not in FLAGGED_VERDICTS, claim.explanation


def prior_entry_by_entry(
    judge: Judge, claim: Claim, targets: Targets | None, focus: frozenset[str]
) -> np.ndarray:
    """The retrieval prior as ``Judge._prior`` defines it, one entry at a time."""
    prior = np.zeros(len(judge.base.entries))
    if targets is None or targets.domain is None:
        return prior
    domain = judge.base.domains[targets.domain]
    wants = claim_needs(claim, claim.cues)
    focus = focus if not targets.interventions else frozenset()
    kinds = {k for kind in claim.kinds for k in judge.rules.entry_kinds_for_claim.get(kind, ())}
    for i, located in enumerate(judge.base.entries):
        entry = located.entry
        prior[i] = judge.rules.field_boost * len(wants & entry_offers(entry, targets.conditions))
        if entry.kind in kinds:
            prior[i] += judge.rules.kind_boost
        if focus and not is_compatible(entry.intervention, focus, domain):
            prior[i] -= judge.rules.other_treatment_penalty
        if not is_compatible(entry.condition, targets.conditions, domain):
            prior[i] -= judge.rules.condition_penalty
    return prior


@pytest.mark.parametrize("seed", ["001", "002", "003"])
def test_what_the_judge_works_out_once_per_targets_equals_the_per_entry_rules(
    judge: Judge, seed_reports: dict[str, Report], seed: str
) -> None:
    report = seed_reports[seed]
    (page, *_) = find_targets(report.text, judge.base) or [None]
    focus = frozenset({"iv-ketamine"}) if page else frozenset()
    for claim in report.claims:
        targets = judge._claim_targets(claim, name_targets(claim.text, judge.base), page)
        expected = prior_entry_by_entry(judge, claim, targets, focus)
        np.testing.assert_array_equal(judge._prior(claim, claim.cues, targets, focus), expected)
        if targets is not None and targets.domain is not None:
            domain = judge.base.domains[targets.domain]
            assert judge._allowed(targets) == {
                i
                for i, e in enumerate(judge.base.entries)
                if e.domain == targets.domain
                and is_compatible(e.entry.intervention, targets.interventions, domain)
            }
            assert judge._allowed(targets) is judge._allowed(targets), "remembered, not recomputed"


def test_a_single_dose_is_held_to_what_one_dose_gives(judge: Judge) -> None:
    """The regimen field: one infusion's benefit lasts days, so 'a single infusion lasts up to three weeks' overstates."""
    one = judge_one(
        judge, "The effects of a single ketamine infusion last up to three weeks.", ("durability",)
    )
    assert one.verdict in FLAGGED_VERDICTS and "durability_exaggerated" in one.reasons
    assert any(ref.id == "ket-iv-single-duration-days" for ref in one.evidence)
    series = judge_one(
        judge, "After a series of six ketamine infusions, relief lasts up to two weeks.", ("durability",)
    )
    assert "durability_exaggerated" not in series.reasons


def test_lasting_benefit_is_held_to_maintenance_evidence_that_shows_no_duration(judge: Judge) -> None:
    """Esketamine's long-term evidence is a relapse-prevention trial under continued doses: "lasting
    recovery" promised outright overstates it; the same benefit promised with maintenance does not."""
    outright = judge_one(
        judge, "The nasal spray Spravato opens a road to lasting emotional healing.", ("durability",)
    )
    assert outright.verdict == "overstated" and outright.reasons == ("durability_exaggerated",)
    assert [ref.id for ref in outright.evidence] == ["esk-sustain1-relapse-prevention"]
    maintained = judge_one(
        judge,
        "With maintenance doses, Spravato can offer lasting relief to people whose depression responded.",
        ("durability",),
    )
    assert "durability_exaggerated" not in maintained.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Ketamine can irritate the bladder, so tell us right away if passing urine hurts.",
        "After a ketamine infusion these effects tend to settle within twenty minutes.",
    ],
)
def test_an_instruction_or_effects_settling_is_no_promised_onset(judge: Judge, text: str) -> None:
    assert "onset_exaggerated" not in judge_one(judge, text, ("safety", "onset")).reasons


def test_a_missing_approval_is_not_missing_evidence_of_effect(judge: Judge) -> None:
    """Closest entry "not FDA-approved for depression": a report of antidepressant effects is not indication
    creep where the evidence holds the use as established; for PTSD (mixed evidence) creep stays."""
    effect = judge_one(
        judge,
        "Ketamine, an FDA approved anesthetic, produced fast antidepressant effects at low doses in trials.",
        ("efficacy",),
    )
    assert effect.verdict == "unverified" and "about approval" in effect.explanation
    ptsd = judge_one(
        judge, "Ketamine, an FDA approved anesthetic, relieves PTSD in most veterans.", ("efficacy",)
    )
    assert ptsd.verdict in FLAGGED_VERDICTS and "indication_creep" in ptsd.reasons


def test_an_entry_short_of_established_never_supports_a_claim(judge: Judge) -> None:
    """Closest entry records no evidence for the use: a plain promise is unsupported, a hedged one unverified."""
    promise = judge_one(
        judge, "Ozone therapy works for patients ordinary medicine has given up on.", ("efficacy",)
    )
    assert promise.verdict == "unsupported" and "not established" in promise.explanation
    assert [ref.id for ref in promise.evidence] and all(ref.id.startswith("oz-") for ref in promise.evidence)
    hedged = judge_one(
        judge, "Ozone therapy may work for patients ordinary medicine has given up on.", ("efficacy",)
    )
    assert hedged.verdict == "unverified"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Ozone therapy floods the body with oxygen, and viruses simply cannot survive it.", True),
        ("Chelation therapy melts the calcium deposits that clog your arteries.", True),
        ("Ozone therapy is thought to nudge the immune system into action.", False),
        ("Ketamine blocks NMDA receptors in the brain.", False),
    ],
)
def test_a_mechanism_stated_as_fact_against_absent_evidence_is_overstated(
    judge: Judge, text: str, flagged: bool
) -> None:
    """The guide: a mechanism said as fact where the evidence is absent claims certainty beyond it; hedged, or
    where an entry on how the treatment works is close, it is not flagged."""
    claim = judge_one(judge, text, ("mechanism",))
    assert (claim.verdict == "overstated" and claim.reasons == ("absolute_language",)) is flagged, (
        claim.explanation
    )
    if flagged:
        assert claim.evidence and "does not establish" in claim.explanation


@pytest.mark.parametrize(
    ("text", "kinds", "reason", "flagged"),
    [
        # recovering from the session is not the treatment starting to work
        (
            "Within 15-20 minutes of the end of the ketamine infusion your depression starts to lift.",
            ("onset",),
            "onset_exaggerated",
            True,
        ),
        (
            "Within 15-20 minutes of the end of the ketamine infusion you start to regain your senses.",
            ("onset",),
            "onset_exaggerated",
            False,
        ),
        (
            "The dreamy feeling of a ketamine infusion wears off within an hour or two.",
            ("onset",),
            "onset_exaggerated",
            False,
        ),
        # lasting benefit promised in words
        (
            "Ketamine infusions offer not just relief but a path toward lasting emotional recovery.",
            ("durability",),
            "durability_exaggerated",
            True,
        ),
        (
            "The acute effects of the esketamine spray can be felt within 40 minutes of a dose.",
            ("onset",),
            "onset_exaggerated",
            False,
        ),
        # rarity said of some patients is not a rate
        ("Side effects of esketamine are rare.", ("safety",), "number_beyond_evidence", True),
        (
            "With esketamine some people notice very few side effects at all.",
            ("safety",),
            "number_beyond_evidence",
            False,
        ),
        (
            "Some people feel dizzy after esketamine, but side effects are rare.",
            ("safety",),
            "number_beyond_evidence",
            True,
        ),
        # rarity said of something other than a harm, though the classifier calls the sentence one about safety
        (
            "Street sales of ketamine are rare; most is diverted from clinics.",
            ("safety",),
            "number_beyond_evidence",
            False,
        ),
        # the classifier may call a sentence about efficacy; without a word of benefit it promises nothing
        ("Ozone therapy repairs the body from the inside out.", ("efficacy",), "indication_creep", True),
        (
            "Ozone therapy's booming popularity has put it in the spotlight.",
            ("efficacy",),
            "indication_creep",
            False,
        ),
        # a treatment's use reported as practice is not a promise that it works
        ("Ketamine is mostly used to treat PTSD in veterans.", ("indication",), "indication_creep", False),
        (
            "Over the last decade ketamine has been prescribed for OCD more and more often.",
            ("indication",),
            "indication_creep",
            False,
        ),
        (
            "The use of ketamine to treat fibromyalgia has grown quickly.",
            ("indication",),
            "indication_creep",
            False,
        ),
        (
            "Ketamine has been used for decades and relieves PTSD in most veterans.",
            ("indication",),
            "indication_creep",
            True,
        ),
        ("We use ketamine to treat PTSD.", ("indication",), "indication_creep", True),
        # a superlative that ranks a condition praises no treatment
        (
            "Migraine costs more lost workdays than any other neurological condition.",
            ("efficacy",),
            "absolute_language",
            False,
        ),
        (
            "Ketamine eases fibromyalgia better than any other treatment.",
            ("efficacy",),
            "absolute_language",
            True,
        ),
    ],
)
def test_false_flags_seen_on_real_pages_and_the_true_flags_beside_them(
    judge: Judge, text: str, kinds: tuple[str, ...], reason: str, flagged: bool
) -> None:
    claim = judge_one(judge, text, kinds)
    assert (reason in claim.reasons) is flagged, claim.explanation


def test_results_promised_at_once_are_flagged_where_the_evidence_records_no_onset(judge: Judge) -> None:
    claim = judge_one(
        judge, "Ozone therapy is given by IV so that it can go to work immediately.", ("efficacy",)
    )
    assert claim.verdict == "overstated" and "onset_exaggerated" in claim.reasons
    cited = {e.id for e in claim.evidence}
    assert "std-ftc-substantiation-rcts" in cited and not any(i.startswith(("ket-", "esk-")) for i in cited)


@pytest.mark.parametrize(
    ("text", "reason", "framed"),
    [
        ("For the majority of our patients, ketamine brings relief.", "number_beyond_evidence", False),
        ("Ketamine brings relief to 95% of our patients.", "number_beyond_evidence", True),
        ("Each ketamine infusion takes 40 minutes to 1 hour.", "onset_exaggerated", False),
        ("Ketamine lifts depression within 10 minutes.", "onset_exaggerated", True),
        (NEUTRAL, "absolute_language", False),
        ("Ketamine rebuilds damaged brain connections.", "absolute_language", True),
        ("Ketamine may help rebuild damaged brain connections.", "absolute_language", False),
        ("Ketamine is mostly used to treat PTSD in veterans.", "indication_creep", False),
        ("Ketamine heals PTSD in veterans.", "indication_creep", True),
        ("Ketamine infusions are not usually covered by insurance.", "cost_misstatement", False),
        (
            "Infusions are rarely covered by insurance, so most patients pay out of pocket.",
            "cost_misstatement",
            False,
        ),
        ("Most insurance plans cover ketamine infusions.", "cost_misstatement", True),
        (
            "Migraine costs more lost workdays than any other neurological condition.",
            "absolute_language",
            False,
        ),
    ],
)
def test_the_learned_flag_names_a_reason_only_where_the_claim_has_its_frame(
    judge: Judge, text: str, reason: str, framed: bool
) -> None:
    claim = judge_one(judge, text, ("efficacy",), flag_score=0.99, flag_reasons=(reason,))
    assert (claim.verdict in FLAGGED_VERDICTS) is framed


def test_the_learned_flag_cannot_overrule_an_approval_the_evidence_confirms(judge: Judge) -> None:
    def with_regulatory(text: str) -> Claim:
        return judge_one(
            judge, text, ("regulatory",), flag_score=0.99, flag_reasons=("regulatory_misstatement",)
        )

    confirmed = with_regulatory(
        "Esketamine is fairly new to the market; it became FDA-approved in March 2019."
    )
    assert confirmed.verdict == "supported"
    unchecked = with_regulatory("Our clinic follows every state and federal rule for ketamine.")
    assert unchecked.verdict == "overstated" and "claim model" in unchecked.explanation


@pytest.mark.parametrize(
    ("before", "contradicted"),
    [
        ("Esketamine is a nasal spray made from ketamine.", False),
        ("Our clinic gives racemic ketamine by infusion.", True),
    ],
)
def test_a_sentence_opening_with_a_pronoun_is_about_the_treatment_before_it(
    judge: Judge, before: str, contradicted: bool
) -> None:
    page = f"Ketamine and esketamine at our clinic\n{before}"
    claim = judge_one(judge, "It is FDA-approved for depression.", ("regulatory",), page)
    assert (claim.verdict == "contradicted") is contradicted, claim.explanation


@pytest.mark.parametrize(
    ("text", "borrowed"),
    [
        (
            "Our home lozenges hold the same molecule as Spravato, so its FDA approval covers them too.",
            True,
        ),
        (
            "Because we use the identical drug that anesthetists use, our ketamine infusions are FDA-approved.",
            True,
        ),
        ("Our home lozenges hold the same molecule as Spravato.", False),
    ],
)
def test_an_approval_borrowed_through_sameness_is_a_regulatory_misstatement(
    judge: Judge, text: str, borrowed: bool
) -> None:
    claim = judge_one(judge, text, ("regulatory",))
    assert (claim.verdict in FLAGGED_VERDICTS and "regulatory_misstatement" in claim.reasons) is borrowed, (
        claim.explanation
    )


@pytest.mark.parametrize(
    ("text", "contradicted"),
    [
        ("Our ketamine lozenges are FDA-approved for depression, just like Spravato.", True),
        ("Spravato is FDA-approved for depression, unlike ketamine lozenges.", False),
    ],
)
def test_an_approval_is_said_of_the_treatment_named_before_it(
    judge: Judge, text: str, contradicted: bool
) -> None:
    claim = judge_one(judge, text, ("regulatory",))
    assert (claim.verdict == "contradicted") is contradicted, claim.explanation


def test_an_approval_said_of_other_drugs_is_not_held_against_the_page_treatment(judge: Judge) -> None:
    page = "Ketamine infusions for PTSD, in a research clinic."
    others = judge_one(
        judge, "Two medications are FDA approved for PTSD, both antidepressants.", ("regulatory",), page
    )
    assert "regulatory_misstatement" not in others.reasons, others.explanation
    ours = judge_one(judge, "It is FDA approved for PTSD.", ("regulatory",), page)
    assert ours.verdict == "contradicted" and "regulatory_misstatement" in ours.reasons, ours.explanation


@pytest.mark.parametrize(
    ("text", "contradicted"),
    [
        ("Ketamine is FDA-approved for treatment-resistant depression.", True),
        ("Esketamine, a form of ketamine, is FDA-approved for treatment-resistant depression.", False),
        ("The FDA approved a ketamine nasal spray for treatment-resistant depression in 2019.", False),
    ],
)
def test_an_approval_of_one_form_does_not_approve_the_whole_family(
    judge: Judge, text: str, contradicted: bool
) -> None:
    claim = judge_one(judge, text, ("regulatory",))
    assert (claim.verdict == "contradicted") is contradicted, claim.explanation


def test_the_speed_of_an_office_process_is_not_an_onset(judge: Judge) -> None:
    page = "Ketamine infusions for depression. Financing is available."
    office = judge_one(judge, "Most applications are decided in a few minutes.", ("onset",), page)
    assert "onset_exaggerated" not in office.reasons
    relief = judge_one(judge, "Relief comes within minutes.", ("onset",), page)
    assert "onset_exaggerated" in relief.reasons


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Ketamine side effects are rare.", True),
        ("During a ketamine infusion some feel light-headed, queasy and, rarely, anxious.", False),
    ],
)
def test_rarity_said_of_one_item_of_a_list_does_not_call_every_side_effect_rare(
    judge: Judge, text: str, flagged: bool
) -> None:
    claim = judge_one(judge, text, ("safety",))
    assert ("number_beyond_evidence" in claim.reasons) is flagged, claim.explanation


def test_side_effects_that_subside_within_hours_are_not_an_exaggerated_onset(judge: Judge) -> None:
    page = "Spravato (esketamine) nasal spray for treatment-resistant depression."
    text = "With Spravato, early effects may include a sense of dissociation, which usually subsides within a few hours."
    claim = judge_one(judge, text, ("onset", "efficacy", "safety"), page)
    assert "onset_exaggerated" not in claim.reasons, claim.explanation


@pytest.mark.parametrize(
    ("text", "contradicted"),
    [
        ("IV ketamine costs about $20 per infusion.", True),
        ("The dose of ketamine used in one infusion costs under $10 wholesale.", False),
        ("The amount of ketamine needed for an infusion costs a few dollars.", False),
    ],
)
def test_the_cost_of_the_drug_alone_is_not_held_against_treatment_prices(
    judge: Judge, text: str, contradicted: bool
) -> None:
    claim = judge_one(judge, text, ("cost",))
    assert (claim.verdict == "contradicted") is contradicted, claim.explanation


def test_a_denied_harm_no_entry_records_is_unverified_not_supported_by_a_nearby_entry(judge: Judge) -> None:
    claim = judge_one(judge, "Ketamine does not cause psychosis.", ("safety",))
    assert claim.verdict == "unverified" and claim.evidence == (), claim.explanation
    assert "No entry records or rules out" in claim.explanation


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("60% of our patients become depression-free after six infusions.", True),
        ("About 65% of our patients achieve remission.", True),
        ("About 65% of our patients respond to a series of infusions.", False),
        ("Seven in ten of those who remitted relapsed within the year.", False),
    ],
)
def test_a_remission_rate_is_held_against_remission_evidence_not_response(
    judge: Judge, text: str, flagged: bool
) -> None:
    page = "IV ketamine infusions for treatment-resistant depression."
    claim = judge_one(judge, text, ("efficacy",), page)
    assert ("number_beyond_evidence" in claim.reasons) is flagged, claim.explanation


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Seventy-five percent of our patients find relief from depression.", True),
        ("Ninety per cent of clients respond to ketamine for depression.", True),
        ("Sixty percent of patients respond after a series of ketamine infusions.", False),
    ],
)
def test_a_rate_spelled_out_in_words_is_held_against_the_evidence_like_its_digits(
    judge: Judge, text: str, flagged: bool
) -> None:
    claim = judge_one(judge, text, ("efficacy",), "IV ketamine infusions for depression at our clinic.")
    assert ("number_beyond_evidence" in claim.reasons) is flagged, (claim.verdict, claim.explanation)


@pytest.mark.parametrize(
    "text",
    [
        "Our NAD+ drip is one hundred percent safe.",
        "Our NAD+ drip is 100% safe.",
        "It is a hundred per cent safe.",
        "Our NAD+ drip is 100-percent safe.",
    ],
)
def test_a_hundred_percent_in_any_spelling_is_absolute(judge: Judge, text: str) -> None:
    claim = judge_one(judge, text, ("safety",), "NAD+ IV therapy at our wellness clinic.")
    assert claim.verdict in FLAGGED_VERDICTS and "absolute_language" in claim.reasons, claim.explanation


@pytest.mark.parametrize(
    ("page", "text", "flagged"),
    [
        ("Glutathione IV drips at our med spa.", "Our glutathione drips lighten the skin safely.", True),
        ("Glutathione IV drips at our med spa.", "Our drips safely brighten your skin.", True),
        ("IV ketamine infusions for depression.", "Our infusions are a safe way to treat depression.", True),
        (
            "IV ketamine infusions for depression.",
            "Ketamine is safely administered under supervision.",
            False,
        ),
        ("IV ketamine infusions for depression.", "Ketamine may be a safe option for some patients.", False),
        ("IV ketamine infusions for depression.", "It is a safe option when given by trained staff.", False),
    ],
)
def test_safety_promised_with_the_result_is_never_supported_by_an_entry_that_records_harm(
    judge: Judge, page: str, text: str, flagged: bool
) -> None:
    claim = judge_one(judge, text, ("safety", "efficacy"), page)
    assert (claim.verdict in FLAGGED_VERDICTS) is flagged, (claim.verdict, claim.explanation)
    if flagged:
        assert "absolute_language" in claim.reasons and claim.evidence


@pytest.mark.parametrize(
    "text",
    [
        "Unlike ketamine infusions, TMS never causes seizures.",
        "TMS never causes seizures, unlike ketamine infusions.",
        "Compared with ketamine, TMS never causes seizures.",
    ],
)
def test_a_claim_is_judged_for_its_subject_not_for_the_treatment_it_is_compared_with(
    judge: Judge, text: str
) -> None:
    claim = judge_one(judge, text, ("safety", "comparative"), "TMS therapy for depression at our clinic.")
    assert claim.verdict == "contradicted", claim.explanation
    assert claim.evidence and all(ref.id.startswith("tms-") for ref in claim.evidence)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Studies prove NAD+ reduces cravings.", True),
        ("Research has proven that NAD+ reduces cravings.", True),
        ("No studies prove that NAD+ reduces cravings.", False),
    ],
)
def test_research_said_to_prove_a_benefit_is_absolute(judge: Judge, text: str, flagged: bool) -> None:
    claim = judge_one(judge, text, ("efficacy",), "NAD+ IV therapy at our wellness clinic.")
    assert ("absolute_language" in claim.reasons) is flagged, (claim.verdict, claim.explanation)


@pytest.mark.parametrize(
    ("text", "kinds", "reason", "flagged"),
    [
        # a hedge or a negation in a relative clause describes who is treated, not whether it works
        (
            "Ketamine also relieves the insomnia and anxiety that often come with depression.",
            ("indication",),
            "indication_creep",
            True,
        ),
        (
            "We offer ketamine for depression that has not improved with medication, for PTSD and for OCD.",
            ("indication",),
            "indication_creep",
            True,
        ),
        # a negative finding reported is no condition presented as treated
        (
            "A later trial found that ketamine infusions did not relieve PTSD symptoms better than placebo.",
            ("efficacy",),
            "indication_creep",
            False,
        ),
        (
            "A review of ozone treatments found no therapy proven to cure viral infections.",
            ("efficacy",),
            "indication_creep",
            False,
        ),
        # a harm done is no use presented
        (
            "Contaminated ozone devices caused serious infections in patients treated for cancer.",
            ("safety",),
            "indication_creep",
            False,
        ),
        # the span of a service the page runs is not how long the benefit lasts
        (
            "One ketamine infusion helps for a few days, which is why our support group meets for eight weeks after.",
            ("durability",),
            "durability_exaggerated",
            False,
        ),
        ("One ketamine infusion helps for eight weeks.", ("durability",), "durability_exaggerated", True),
        # staying well by means of continued treatment promises no lasting benefit
        (
            "Six ketamine infusions help many people, though most need regular boosters to stay well.",
            ("durability", "efficacy"),
            "durability_exaggerated",
            False,
        ),
        (
            "Six ketamine infusions help many people stay well.",
            ("durability", "efficacy"),
            "durability_exaggerated",
            True,
        ),
        # the observation after a dose is no onset
        (
            "Esketamine is given in a certified office with two hours of observation afterwards.",
            ("onset", "regulatory"),
            "onset_exaggerated",
            False,
        ),
        # a harm's possibility denied; "none of" a harm, not of a bill
        (
            "Taken as prescribed, ketamine carries no potential for addiction.",
            ("safety",),
            "absolute_language",
            True,
        ),
        ("Ketamine has none of the memory side effects of ECT.", ("safety",), "absolute_language", True),
        (
            "My insurance paid none of the cost of my ketamine infusions.",
            ("cost",),
            "absolute_language",
            False,
        ),
        # a mechanism made plain fact; a result long treatment never reached
        (
            "With ketamine the brain literally rebuilds its connections.",
            ("mechanism",),
            "absolute_language",
            True,
        ),
        (
            "One ketamine weekend clears trauma that years of counseling could not reach.",
            ("efficacy",),
            "absolute_language",
            True,
        ),
    ],
)
def test_false_flags_and_misses_from_a_blind_set_of_pages(
    judge: Judge, text: str, kinds: tuple[str, ...], reason: str, flagged: bool
) -> None:
    claim = judge_one(judge, text, kinds)
    assert (reason in claim.reasons) is flagged, (claim.verdict, claim.reasons, claim.explanation)


@pytest.mark.parametrize(
    ("text", "page", "kinds", "reason", "flagged"),
    [
        # a past result told of other patients presents the conditions as treated
        (
            "Our stem cell program has also helped patients living with neuropathy and Parkinson's disease.",
            "Stem cell clinic.",
            ("indication",),
            "indication_creep",
            True,
        ),
        # off-label in the page's own offer presents what it treats; as a status it states a fact
        (
            "We also offer off-label hyperbaric protocols for autism and long COVID.",
            "Hyperbaric oxygen center.",
            ("indication",),
            "indication_creep",
            True,
        ),
        (
            "Hyperbaric oxygen is sometimes used off-label for autism.",
            "Hyperbaric oxygen center.",
            ("indication",),
            "indication_creep",
            False,
        ),
        # a warning that buying without a prescription is illegal denies no control
        (
            "Ketamine is a controlled drug, so buying it without a prescription is against the law.",
            "Ketamine clinic.",
            ("regulatory",),
            "regulatory_misstatement",
            False,
        ),
        (
            "You can order ketamine from us without a prescription.",
            "Ketamine clinic.",
            ("regulatory",),
            "regulatory_misstatement",
            True,
        ),
        # coverage limited is what the evidence says; coverage of ECT is not ketamine's
        (
            "An infusion at a clinic costs $400 to $1,000 and is rarely covered by insurance.",
            "Ketamine clinic prices.",
            ("cost",),
            "cost_misstatement",
            False,
        ),
        (
            "Ketamine is covered by most insurance plans.",
            "Ketamine clinic prices.",
            ("cost",),
            "cost_misstatement",
            True,
        ),
        (
            "With our IV ketamine infusions, most clients pay little or nothing out of pocket.",
            "Ketamine clinic prices.",
            ("cost",),
            "cost_misstatement",
            True,
        ),
        (
            "IV ketamine infusions near you, most insurance accepted.",
            "Ketamine clinic prices.",
            ("cost",),
            "cost_misstatement",
            True,
        ),
        (
            "ECT needs anesthesia every session, which adds to its price, and it is usually covered by insurance.",
            "Ketamine clinic prices.",
            ("cost",),
            "cost_misstatement",
            False,
        ),
        # approval said of other products in passing; a phrase said of another treatment than the entry's
        (
            "No trial shows compounded ketamine works better than approved treatments for depression.",
            "Compounded ketamine: what to know.",
            ("regulatory",),
            "regulatory_misstatement",
            False,
        ),
        (
            "Compounded lozenges taken at home were never tested in the trials behind the approval of Spravato.",
            "Compounded ketamine: what to know.",
            ("regulatory",),
            "regulatory_misstatement",
            False,
        ),
        # a sentence about risks promises nothing
        (
            "Using ketamine at home raises these risks, since nobody is there to respond if something goes wrong.",
            "Compounded ketamine: what to know.",
            ("efficacy",),
            "indication_creep",
            False,
        ),
        # a course's daily schedule is no durability; speed compared is the onset evidence, speed above all is not
        (
            "A usual course is one session a day, five days a week, for five weeks.",
            "TMS for depression.",
            ("durability",),
            "durability_exaggerated",
            False,
        ),
        (
            "Ketamine acts faster than standard antidepressants.",
            "Ketamine clinic.",
            ("comparative", "onset"),
            "absolute_language",
            False,
        ),
        (
            "Ketamine acts faster than any antidepressant.",
            "Ketamine clinic.",
            ("comparative", "onset"),
            "absolute_language",
            True,
        ),
    ],
)
def test_what_a_claim_is_about_and_what_it_offers_or_warns_against_are_read_as_such(
    judge: Judge, text: str, page: str, kinds: tuple[str, ...], reason: str, flagged: bool
) -> None:
    claim = judge_one(judge, text, kinds, page)
    assert (reason in claim.reasons) is flagged, (claim.verdict, claim.reasons, claim.explanation)


def test_a_claim_naming_no_treatment_is_about_the_one_its_paragraph_names(judge: Judge) -> None:
    """On a page mostly about ketamine, a paragraph on TMS goes on without the name."""
    page = (
        "Ketamine infusions for depression. Ketamine works within hours for many people.\n\n"
        "TMS uses a magnetic coil placed against the scalp. Headache is common; seizures are rare."
    )
    document = annotate(Document("t", page))
    start = page.index("Headache")
    claim = replace(claim_at(page[start:], start, ("safety",)))
    (judged,) = judge.judge_all([claim], document)
    assert judged.evidence and all(ref.id.startswith("tms-") for ref in judged.evidence), judged.evidence
    apart = page.replace("scalp. Headache", "scalp.\n\nHeadache")
    start = apart.index("Headache")
    (alone,) = judge.judge_all([claim_at(apart[start:], start, ("safety",))], annotate(Document("t", apart)))
    assert not any(ref.id.startswith("tms-") for ref in alone.evidence), "a new paragraph is the page's again"


def test_most_patients_is_a_rate_held_against_the_evidence(judge: Judge) -> None:
    """ "Most" says more than half: beyond the remission evidence, within the series response range."""
    page = "Ketamine infusions for depression."
    remission = judge_one(
        judge, "In the trials, most participants reached remission within a month.", ("efficacy",), page
    )
    assert "number_beyond_evidence" in remission.reasons and remission.verdict in FLAGGED_VERDICTS
    response = judge_one(judge, "Most patients respond to a series of six ketamine infusions.", ("efficacy",))
    assert response.verdict == "supported", response.explanation


@pytest.mark.parametrize(
    ("answer", "flagged"),
    [
        ("Yes, ketamine has held FDA approval since 1970, so you can trust it.", True),
        (
            "Ketamine was approved by the FDA in 1970 as an anesthetic; for depression it is used off-label.",
            False,
        ),
        (
            "Spravato, an esketamine nasal spray, was approved in 2019 for treatment-resistant depression.",
            False,
        ),
    ],
)
def test_an_faq_answer_is_judged_with_its_question(judge: Judge, answer: str, flagged: bool) -> None:
    """An approval for anaesthesia given as the answer to "is it approved?" answers for the use the page sells."""
    page = f"Ketamine infusions for depression.\n\nIs ketamine FDA approved?\n{answer}\n"
    start = page.index(answer)
    (judged,) = judge.judge_all([claim_at(answer, start, ("regulatory",))], annotate(Document("t", page)))
    assert ("regulatory_misstatement" in judged.reasons) is flagged, judged.explanation
    alone = judge_one(judge, answer, ("regulatory",), "Ketamine infusions for depression.")
    assert "regulatory_misstatement" not in alone.reasons or flagged, (
        "without its question the answer is plain"
    )


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Ketamine is an FDA-approved medication.", True),
        ("Ketamine was approved by the FDA in 1970.", False),
        ("Spravato is an FDA-approved treatment.", False),
    ],
)
def test_an_approval_given_as_the_status_of_what_a_page_sells_borrows_its_use(
    judge: Judge, text: str, flagged: bool
) -> None:
    """On a page selling it for depression, "an FDA-approved medication" implies the approval covers that use."""
    claim = judge_one(judge, text, ("regulatory",), "Ketamine infusions and Spravato for depression.")
    assert ("regulatory_misstatement" in claim.reasons) is flagged, claim.explanation


def test_a_harm_patients_are_said_never_to_develop_is_a_denied_harm(judge: Judge) -> None:
    claim = judge_one(
        judge,
        "At the low doses used in clinics, patients do not develop cravings or dependence.",
        ("safety",),
        "Ketamine infusions for depression.",
    )
    assert claim.verdict in FLAGGED_VERDICTS, claim.explanation


@pytest.mark.parametrize(
    ("text", "kinds", "reason", "flagged"),
    [
        # each rate is held to the regimen named in its own clause
        (
            "About half of patients respond a day after a single infusion, and 60 to 70 percent after a series of six.",
            ("efficacy",),
            "number_beyond_evidence",
            False,
        ),
        # a clinic's own record is not a promise; a potential for harm denied is
        (
            "In nine years of practice we have had zero serious adverse events.",
            ("safety",),
            "absolute_language",
            False,
        ),
        (
            "Ketamine infusions have no addictive potential in a medical setting.",
            ("safety",),
            "absolute_language",
            True,
        ),
        ("Ketamine doesn't cause physical withdrawal.", ("safety",), "absolute_language", True),
        (
            "Bladder damage is seen only in heavy recreational users, so it is not a risk for patients.",
            ("safety",),
            "absolute_language",
            True,
        ),
        # effects of the session wearing off are no onset; remission kept for the long term is durability
        (
            "Most of the dreamlike effects wear off within 30 to 60 minutes after the infusion ends.",
            ("onset",),
            "onset_exaggerated",
            False,
        ),
        (
            "Regular ketamine infusions keep depression in remission for the long term.",
            ("durability",),
            "durability_exaggerated",
            True,
        ),
        # a warning that sellers break the law denies no control
        (
            "Websites that sell ketamine without a prescription are breaking the law.",
            ("regulatory",),
            "regulatory_misstatement",
            False,
        ),
    ],
)
def test_claims_an_eighth_blind_set_showed_flagged_wrongly_or_missed(
    judge: Judge, text: str, kinds: tuple[str, ...], reason: str, flagged: bool
) -> None:
    claim = judge_one(judge, text, kinds, "Ketamine infusions for depression.")
    assert (reason in claim.reasons) is flagged, (claim.verdict, claim.reasons, claim.explanation)


def test_a_phrase_in_a_clause_whose_verb_is_denied_is_not_asserted(judge: Judge) -> None:
    text = "Spravato is only given in certified offices, and it is never handed to patients for use at home."
    denied = judge_one(judge, text, ("regulatory", "safety"))
    assert denied.verdict != "contradicted", denied.explanation
    asserted = judge_one(judge, "Spravato is now available for use at home.", ("regulatory", "safety"))
    assert asserted.verdict == "contradicted"


@pytest.mark.parametrize(
    ("text", "kinds", "reason"),
    [
        (
            "A single ketamine treatment wears off within a week, so we plan a series of six over two weeks.",
            ("durability",),
            "durability_exaggerated",
        ),
        (
            "The honest answer is that ketamine is not a proven PTSD treatment.",
            ("indication",),
            "indication_creep",
        ),
        (
            "Ketamine given by any route for PTSD, anxiety or OCD is considered investigational and not medically necessary.",
            ("indication", "cost"),
            "indication_creep",
        ),
    ],
)
def test_honest_pages_from_a_blind_set_are_not_flagged(
    judge: Judge, text: str, kinds: tuple[str, ...], reason: str
) -> None:
    claim = judge_one(judge, text, kinds)
    assert reason not in claim.reasons, claim.explanation


@pytest.mark.parametrize(
    "text",
    [
        "Myth: A single ketamine infusion cures depression for good.",
        "MYTH #4 - Magnetic stimulation works for everyone.",
    ],
)
def test_a_statement_set_out_as_a_myth_is_reported_not_asserted(judge: Judge, text: str) -> None:
    claim = judge_one(judge, text, ("efficacy",))
    assert claim.verdict == "unverified" and "reports what others claim" in claim.explanation


@pytest.mark.parametrize(
    ("text", "page"),
    [
        (
            "Knee injections of stem cells are not FDA approved; the only approved stem cell products "
            "are cord-blood cells for blood cancers.",
            None,
        ),
        ("None of these drips is FDA-approved for fatigue.", "NAD+ and vitamin drips."),
        (
            "Naltrexone and acamprosate are FDA approved for alcohol use disorder.",
            "NAD+ drips for addiction recovery.",
        ),
    ],
)
def test_limits_denials_and_other_medicines_approvals_are_no_misstatement(
    judge: Judge, text: str, page: str | None
) -> None:
    claim = judge_one(judge, text, ("regulatory",), page)
    assert claim.verdict not in FLAGGED_VERDICTS, claim.explanation


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # the noninferiority trial against ECT states this much (its entry's `bears_out`)
        ("Against ECT, a 2023 trial found that a course of ketamine works at least as well.", False),
        # nothing shows a clinic's IV ketamine matching the nasal spray
        ("Our IV ketamine is the same medicine as Spravato, so it works at least as well.", True),
    ],
)
def test_strong_wording_the_closest_evidence_bears_out_is_not_flagged(
    judge: Judge, text: str, flagged: bool
) -> None:
    claim = judge_one(judge, text, ("efficacy", "comparative"))
    assert ("absolute_language" in claim.reasons) is flagged


def test_patients_kept_well_without_end_is_lasting_benefit(judge: Judge) -> None:
    claim = judge_one(judge, "Our ketamine clients remain depression-free year after year.", ("durability",))
    assert "durability_exaggerated" in claim.reasons


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # a majority after one infusion, against trials where a quarter to a half respond
        ("Most of our patients feel better after their very first ketamine infusion.", True),
        # a series: the open-label range is a majority throughout
        ("Most patients respond to a series of six ketamine infusions.", False),
        # "most" said of the benefit fading or being kept up, not of people helped
        ("For most people, the benefit of a single ketamine infusion fades within a week.", False),
        ("Most who respond to ketamine need an occasional booster infusion to keep their results.", False),
    ],
)
def test_most_patients_helped_needs_a_majority_across_the_evidence(
    judge: Judge, text: str, flagged: bool
) -> None:
    claim = judge_one(judge, text, ("efficacy",))
    assert ("number_beyond_evidence" in claim.reasons) is flagged


def test_the_learned_flag_reads_no_absolute_in_a_claim_put_in_others_mouths(judge: Judge) -> None:
    def with_absolute(text: str) -> Claim:
        return judge_one(judge, text, ("efficacy",), flag_score=0.99, flag_reasons=("absolute_language",))

    disputed = with_absolute("Data are thin, and anyone who calls ketamine a cure is selling something.")
    assert "absolute_language" not in disputed.reasons
    asserted = with_absolute("Data are thin, but ketamine is a cure for many.")
    assert "absolute_language" in asserted.reasons


@pytest.mark.parametrize(
    ("text", "kinds", "reason"),
    [
        # a study described by the question it asks presents no use
        (
            "This trial tests whether four ketamine infusions ease OCD more than a placebo does.",
            ("indication",),
            "indication_creep",
        ),
        # sellers' figures reported by a neutral page are theirs, not the page's
        (
            "In the documentary, clinic owners describe response rates above 85 percent for ketamine.",
            ("efficacy",),
            "number_beyond_evidence",
        ),
        # how soon a drug's effect on anyone comes is no promised relief
        (
            "Within minutes of a ketamine dose, people feel numb and detached, as if in a dream.",
            ("onset",),
            "onset_exaggerated",
        ),
    ],
)
def test_reports_studies_and_drug_effects_are_not_promises(
    judge: Judge, text: str, kinds: tuple[str, ...], reason: str
) -> None:
    assert reason not in judge_one(judge, text, kinds).reasons


def test_a_treatment_said_to_start_working_at_once_promises_an_onset(judge: Judge) -> None:
    claim = judge_one(
        judge, "Unlike pills that take weeks, our ketamine therapy starts working immediately.", ("onset",)
    )
    assert "onset_exaggerated" in claim.reasons


@pytest.mark.parametrize(
    ("text", "kinds", "reason"),
    [
        (
            "Ketamine is only FDA-approved as an anesthetic, not for depression.",
            ("regulatory",),
            "regulatory_misstatement",
        ),
        (
            "For other pain conditions the evidence is weaker and ketamine results vary.",
            ("indication",),
            "indication_creep",
        ),
        (
            "After a ketamine session most people go straight back to work afterwards.",
            ("efficacy",),
            "number_beyond_evidence",
        ),
    ],
)
def test_a_limit_a_caveat_or_a_routine_is_no_overstatement(
    judge: Judge, text: str, kinds: tuple[str, ...], reason: str
) -> None:
    assert reason not in judge_one(judge, text, kinds).reasons


def test_the_learned_flag_reads_no_absolute_in_a_drugs_speed_into_the_blood(judge: Judge) -> None:
    claim = judge_one(
        judge,
        "IV ketamine reaches the bloodstream instantly and can be adjusted minute by minute.",
        ("mechanism",),
        flag_score=0.99,
        flag_reasons=("absolute_language",),
    )
    assert "absolute_language" not in claim.reasons


def test_a_disclaimer_of_a_use_is_no_indication_creep(judge: Judge) -> None:
    claim = judge_one(
        judge,
        "We don't claim that any ozone session prevents or treats the flu or COVID-19.",
        ("indication",),
    )
    assert "indication_creep" not in claim.reasons


def test_a_quotation_on_a_page_reporting_others_claims_is_theirs_and_on_a_clinic_page_its_own(
    judge: Judge,
) -> None:
    quote = '"Our ketamine drips have zero side effects."'
    report = (
        "Regulators warn about clinic ads\n"
        "One chain's website promises a cure for depression in a single visit.\n"
        "Another clinic advertises results in minutes.\n"
        "Its brochure claims that every patient responds.\n"
        "Among the lines the state cited:\n"
    )
    assert judge_one(judge, quote, ("safety",), page=report).verdict == "unverified"
    clinic = "Welcome to our clinic\nWhat the local paper wrote about us:\n"
    assert judge_one(judge, quote, ("safety",), page=clinic).verdict in FLAGGED_VERDICTS


@pytest.mark.parametrize(
    "text",
    [
        "The hangover drip was promoted as able to cure any hangover in half an hour.",
        "The doctor testified that ketamine has the best safety record of any drug.",
        "Staff were trained to tell customers that the drips have no side effects.",
    ],
)
def test_what_others_were_said_to_promise_or_testify_is_reported(judge: Judge, text: str) -> None:
    assert judge_one(judge, text, ("efficacy",)).verdict == "unverified"


def test_quotations_led_in_by_a_report_of_others_claims_are_theirs(judge: Judge) -> None:
    quote = '"Zero risk of addiction with our drips."'
    report = 'The notice quotes these statements from the company\'s marketing:\n"Relief in minutes."\n'
    assert judge_one(judge, quote, ("safety",), page=report).verdict == "unverified"
    own = 'What our guests say:\n"Relief in minutes."\n'
    assert judge_one(judge, quote, ("safety",), page=own).verdict in FLAGGED_VERDICTS


def test_a_quotation_going_on_from_an_attributed_one_is_the_speakers(judge: Judge) -> None:
    """'"...," the owner said. "It is one of the safest drugs there is."': still the owner speaking."""
    said = '"Most guests feel better the first day," the owner told reporters. "'
    text = "The drip is one of the safest treatments there is."
    document = f'Clinic opens downtown\n{said}{text} I gave it for years."'
    claim = claim_at(text, document.index(text), ("safety",))
    assert judge.judge_all([claim], annotate(Document("t", document)))[0].verdict == "unverified"
    unattributed = "Clinic opens downtown\nThe owner has run drip bars for ten years.\n"
    flagged = judge_one(
        judge, "The drip is one of the safest treatments there is.", ("safety",), page=unattributed
    )
    assert flagged.verdict in FLAGGED_VERDICTS


def test_a_rate_no_trial_is_said_to_report_is_no_number_beyond_evidence(judge: Judge) -> None:
    claim = judge_one(
        judge,
        "No published controlled trial of ketamine has reported remission rates near 87 percent.",
        ("efficacy",),
    )
    assert "number_beyond_evidence" not in claim.reasons
    stated = judge_one(judge, "Ketamine brings remission to 87 percent of patients.", ("efficacy",))
    assert "number_beyond_evidence" in stated.reasons


def test_an_approval_claimed_for_a_narrower_condition_than_any_decision_is_contradicted(judge: Judge) -> None:
    """No decision covers postpartum depression: an approval for depression in adults is none for it, and the
    citation is the named product's own approvals, not racemic ketamine's status."""
    claim = judge_one(judge, "Spravato is FDA-approved for postpartum depression.", ("regulatory",))
    assert (claim.verdict, claim.reasons) == ("contradicted", ("regulatory_misstatement",))
    assert claim.evidence and all(ref.id.startswith("esk-") for ref in claim.evidence)
    on_label = judge_one(
        judge, "Spravato is FDA-approved for treatment-resistant depression.", ("regulatory",)
    )
    assert on_label.verdict not in FLAGGED_VERDICTS


def test_tms_offered_for_uses_no_clearance_covers_is_indication_creep(judge: Judge) -> None:
    claim = judge_one(judge, "We also offer TMS for PTSD, chronic pain and tinnitus.", ("indication",))
    assert "indication_creep" in claim.reasons
    assert {ref.id for ref in claim.evidence} >= {
        "tms-indication-ptsd-none",
        "tms-indication-chronic-pain-none",
    }
    denied = judge_one(
        judge,
        "TMS is not cleared for PTSD or chronic pain, and we offer it for them only in a study.",
        ("indication",),
    )
    assert "indication_creep" not in denied.reasons


@pytest.mark.parametrize(
    "text",
    [
        "No stem cell product is FDA-approved for arthritis or back pain.",
        "The FDA has received reports of blindness and infections after unapproved stem cell products.",
        "Unapproved stem cell products have been linked to serious infections and blindness.",
    ],
)
def test_an_approval_denied_or_a_harm_reported_is_no_indication_creep(judge: Judge, text: str) -> None:
    assert "indication_creep" not in judge_one(judge, text, ("indication", "safety")).reasons


def test_a_rate_credited_to_controlled_evidence_only_in_its_own_clause(judge: Judge) -> None:
    series = judge_one(
        judge,
        "Open-label series of six ketamine infusions report response in 59% to 71%, but the only well-blinded, "
        "controlled trial of a repeated series found no advantage.",
        ("efficacy",),
    )
    assert "number_beyond_evidence" not in series.reasons
    credited = judge_one(
        judge,
        "In randomized controlled trials, 68% of patients with depression respond to a series of ketamine infusions.",
        ("efficacy",),
    )
    assert "number_beyond_evidence" in credited.reasons
