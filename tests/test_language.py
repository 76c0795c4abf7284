"""The language layer: overstatement the wording shows, whatever the treatment (no evidence, no model)."""

from __future__ import annotations

import pytest

from claimcheck.claims.detect import claim_at
from claimcheck.claims.lexicon import find_cues
from claimcheck.records import Unit
from claimcheck.verdicts.language import is_caution, overstates_outright, reported, wording_flags


def reasons_of(text: str, kinds: tuple[str, ...] = ("efficacy",)) -> set[str]:
    claim = claim_at(text, 0, kinds)
    return {flag.reason for flag in wording_flags(claim, find_cues(text))}


@pytest.mark.parametrize(
    ("text", "kinds", "reason"),
    [
        ("An NAD+ drip is extremely safe for every adult.", ("safety",), "absolute_language"),
        ("Our peptide protocol is safe and effective.", ("safety", "efficacy"), "absolute_language"),
        ("Hyperbaric oxygen is a groundbreaking therapy for long COVID.", ("efficacy",), "absolute_language"),
        ("Ozone therapy is clinically proven to fight infection.", ("efficacy",), "absolute_language"),
        ("Stem cells regenerate damaged tissue in the knee.", ("mechanism",), "absolute_language"),
        ("The glutathione drip flushes toxins out of your body.", ("efficacy",), "absolute_language"),
        ("It is the best treatment for chronic fatigue.", ("efficacy",), "absolute_language"),
        ("Hyperbaric oxygen works when nothing else has.", ("efficacy",), "absolute_language"),
        ("Our NAD+ drip is superior to oral supplements.", ("comparative",), "absolute_language"),
        ("A course of 40 dives gives results that last a lifetime.", ("durability",), "absolute_language"),
        ("Stem cell injections bring lifelong results for knee pain.", ("efficacy",), "absolute_language"),
        ("Our peptide protocol means lifelong relief from joint pain.", ("efficacy",), "absolute_language"),
        ("Our NAD+ drips have an excellent safety record.", ("safety",), "absolute_language"),
        ("Hyperbaric oxygen has an impeccable safety profile.", ("safety",), "absolute_language"),
        ("Our NAD+ drip is safe, whether you are twenty or eighty.", ("safety",), "absolute_language"),
        ("Our vitamin drips have zero side effects.", ("safety",), "absolute_language"),
        ("Red light therapy is completely painless and totally harmless.", ("safety",), "absolute_language"),
        (
            "Our mild chambers deliver the same benefits as a hospital chamber.",
            ("comparative", "efficacy"),
            "absolute_language",
        ),
        ("Nearly all of our patients find relief from their pain.", ("efficacy",), "absolute_language"),
        ("A drip at home is every bit as safe as a hospital suite.", ("safety",), "absolute_language"),
        (
            "Ketamine beats electroconvulsive therapy for resistant depression.",
            ("comparative",),
            "absolute_language",
        ),
        ("It is the most “natural way” to treat pain.", ("efficacy",), "absolute_language"),
        (
            "Ozone mixed with your blood stimulates the body’s natural healing.",
            ("mechanism",),
            "absolute_language",
        ),
        (
            "Placed in the right setting, stem cells can become any cell in the body.",
            ("mechanism",),
            "absolute_language",
        ),
        ("The drip boosts cellular energy in every organ.", ("mechanism",), "absolute_language"),
        (
            "These therapies promote healing by saturating tissue with oxygen.",
            ("mechanism",),
            "absolute_language",
        ),
        ("Trials have consistently shown that the drip restores focus.", ("efficacy",), "absolute_language"),
        ("Nurses watch every minute, ensuring safety and results.", ("safety",), "absolute_language"),
        ("Patients feel the lift instantly.", ("onset",), "onset_exaggerated"),
        ("Most clients notice relief within minutes of the drip.", ("onset",), "onset_exaggerated"),
        ("Our hydration drip has people feeling like new in no time.", ("onset",), "onset_exaggerated"),
        ("The peptide shot is safe for patients of all ages.", ("safety",), "absolute_language"),
        ("A course in the chamber resets the brain's stress circuits.", ("efficacy",), "absolute_language"),
        ("Our peptide plan turns back the clock on your skin.", ("efficacy",), "absolute_language"),
        ("Monthly drips reverse the signs of aging.", ("efficacy",), "absolute_language"),
        (
            "In our experience the chamber switches off cravings within a week.",
            ("efficacy",),
            "absolute_language",
        ),
        (
            "Exosome shots are ten times more potent than plain stem cells.",
            ("comparative",),
            "absolute_language",
        ),
        (
            "Harvard researchers have confirmed that our protocol works.",
            ("authority",),
            "authority_misappropriation",
        ),
        (
            "I was exhausted for years, and after one drip I felt like myself again.",
            ("testimonial",),
            "testimonial_as_proof",
        ),
        (
            "A year after my last dive I'm still off my meds and have never felt better.",
            ("testimonial",),
            "testimonial_as_proof",
        ),
        (
            "Clients like Maya, pain-free after one drip, are the rule here, not the exception.",
            ("testimonial",),
            "testimonial_as_proof",
        ),
        ("Chelation is an ideal option for people with heart disease.", ("efficacy",), "absolute_language"),
        ("Finally, a weight-loss program that really works.", ("efficacy",), "absolute_language"),
        (
            "The study establishes ozone therapy as an effective treatment for back pain.",
            ("efficacy",),
            "absolute_language",
        ),
        (
            "One course of TMS replaces years of trial and error with pills.",
            ("comparative",),
            "absolute_language",
        ),
        ("With HBOT the brain literally rewires itself.", ("mechanism",), "absolute_language"),
        ("Stem cell injections have none of the risks of knee surgery.", ("safety",), "absolute_language"),
        ("Peptide therapy carries no potential for dependence.", ("safety",), "absolute_language"),
        (
            "A major medical society has issued a statement endorsing stem cells for arthritis.",
            ("authority",),
            "authority_misappropriation",
        ),
    ],
)
def test_overstating_wording_is_flagged_whatever_the_treatment(
    text: str, kinds: tuple[str, ...], reason: str
) -> None:
    assert reason in reasons_of(text, kinds)


@pytest.mark.parametrize(
    "text",
    [
        "Ketamine is not a cure for depression.",
        "No treatment works for everyone.",
        "The infusion is generally well tolerated; nausea and raised blood pressure are common.",
        "Researchers are studying whether NAD+ affects fatigue.",
        "Each session is supervised by a nurse.",
        "In the trial, ozone did no better than saline.",
        "Stem cells may work better than surgery for some knees.",
        "Its effect is thought to involve inflammation, which is not yet fully understood.",
        "Most patients can return to work immediately after the session.",
        "Low NAD+ levels may reduce cellular energy.",
        "To ensure the safety of every session, a nurse stays in the room.",
        "The drug works by blocking a receptor found on nearly all neurons.",
        "Like almost all medications, it can cause side effects.",
        "In its own trials the spray failed to beat placebo on suicidality.",
        "Standard antidepressants have proven ineffective for these patients.",
        "For many of them, other drugs have proven non-effective.",
        "These statements have not been evaluated by the FDA; this therapy is not intended to diagnose, treat, "
        "cure or prevent any disease.",
        "Our peptide blends are not FDA-approved to diagnose, treat, cure or prevent any illness.",
        "These drips have not been cleared by the FDA to treat or cure any condition.",
        "The tingling sensations usually fade within minutes once the drip is slowed.",
        "Inside the chamber you breathe 100% oxygen at twice the pressure of the air.",
        "A no-show is charged 100% of the session fee.",
        "Given into a vein, the drug is 100% bioavailable.",
        "Women are twice as likely as men to have depression.",
        "More work is needed to know whether repeated infusions are safe over months or years.",
        "We cannot yet say whether NAD+ drips are effective for fatigue.",
        "No controlled study has shown that the chamber reverses aging.",
        "There is little evidence that peptide injections turn back the clock.",
        "Nobody yet knows how it really works in the brain.",
        "My insurance paid none of the cost.",
        "A session is followed by two hours of observation.",
        "A visit to my office takes two hours, most of it for recovery.",
    ],
)
def test_disclaimers_and_plain_statements_raise_nothing(text: str) -> None:
    assert reasons_of(text, ("efficacy", "safety")) == set()


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("We refuse some referrals, and for good reason.", ("safety",)),
        ("Researchers still need to study the long-term safety and effectiveness of the drips.", ("safety",)),
    ],
)
def test_plain_cautions_are_not_overstatements(text: str, kinds: tuple[str, ...]) -> None:
    assert reasons_of(text, kinds) == set()


def test_a_first_person_voice_weighing_the_evidence_is_no_testimonial() -> None:
    column = "I know of no rigorous trial showing that peptide injections heal torn tendons."
    assert "testimonial_as_proof" not in reasons_of(column, ("testimonial", "efficacy"))
    story = "After two peptide injections my tendon stopped aching and I felt like myself again."
    assert "testimonial_as_proof" in reasons_of(story, ("testimonial", "efficacy"))


@pytest.mark.parametrize(
    "story",
    [
        "The drips gave me my life back for a week, then it wore off, so I stopped going.",
        "Each session helps for about ten days, and that rhythm works for me.",
        "The chamber didn't take away my pain, though for a while I felt like myself again.",
        "The drips helped me less than I had hoped, but the nurses were kind.",
        "My knee helped for about two weeks each time, so I now come in for top-ups.",
        "I was never promised miracles, and my sleep did get better.",
    ],
)
def test_a_story_told_with_its_limit_is_not_offered_as_proof(story: str) -> None:
    assert "testimonial_as_proof" not in reasons_of(story, ("testimonial", "efficacy"))


@pytest.mark.parametrize(
    ("text", "is_reported"),
    [
        ("One clinic's website promises relief in minutes.", True),
        ("Advertisements describe the drip as a cure for fatigue.", True),
        ("We promise relief in minutes.", False),
        ("Our clinic advertises honestly: results vary.", False),
        ("Ketamine relieves depression in minutes.", False),
        ("The chain's assertion that its drips cure fatigue is plainly misleading.", True),
        ("The 95 percent rate on that clinic's web page is far above any trial.", True),
        ("Our 60 percent rate is in line with published trials.", False),
        ("A clinic in Tucson tells visitors on its website that nine in ten patients recover.", True),
        ("The spa says in its brochure that the drip reverses ageing.", True),
        ("On our website you can read that most patients respond.", False),
        ("Dozens of drip bars have opened downtown, several of them advertising a cure for burnout.", True),
        ("Sellers online are touting the peptide as a cure for joint pain.", True),
        ("The early results are promising: most patients respond.", False),
        ("Agents seized the devices of a company that claimed its machines cured cancer.", True),
        ("One spa's website tells visitors that the drip cures fatigue.", True),
        ("Among the ten clinics listed, the clinic reports a 90% success rate.", True),
        ('Its adverts described its drip service as "the only approved cure for fatigue".', True),
        ('If a clinic tells you its drip is "approved for fatigue," ask to see the approval.', True),
        ("We describe our drips as a comfort, not a cure.", False),
        ('A rival spa calls its drip "clinically proven" and "gentler than a glass of wine."', True),
        ('The claim: "One drip gives you a year without a cold."', True),
        ("We call our program a reset, not a cure.", False),
    ],
)
def test_reported_speech_is_told_from_the_pages_own_claims(text: str, is_reported: bool) -> None:
    assert reported(claim_at(text, 0, ("efficacy",)), find_cues(text)) is is_reported


def test_a_cue_pattern_keeps_its_offsets() -> None:
    text = "Frankly, this drip is remarkably effective."
    [cue] = [c for c in find_cues(text) if c.text == "remarkably effective"]
    assert text[cue.start : cue.end] == "remarkably effective" and cue.category == "absolute"


@pytest.mark.parametrize(
    ("text", "caution"),
    [
        ("Ketamine therapy does not work for everyone.", True),
        ("The treatment isn't proven to work.", True),
        ("Ketamine therapy works for everyone.", False),
        ("It is not a cure, but it is the safest option.", False),
        ("Each session is supervised by a nurse.", False),
    ],
)
def test_a_caution_negates_every_strong_phrase_it_uses(text: str, caution: bool) -> None:
    assert is_caution(claim_at(text, 0, ("efficacy",)), find_cues(text)) is caution


def test_a_belief_is_a_hedge() -> None:
    assert claim_at("Its action is thought to involve glutamate.", 0, ("mechanism",)).hedged


@pytest.mark.parametrize(
    "text",
    [
        "Clinics sell unproven NAD+ infusions for withdrawal.",
        "There is no good evidence that ozone treats infections.",
        "Maintenance drips, whose benefits have barely been studied, are sold monthly.",
        "For nerve pain the evidence is more limited.",
        "No trial has shown that the chamber prevents strokes.",
    ],
)
def test_doubt_about_the_evidence_is_a_caveat(text: str) -> None:
    assert "evidence_caveat" in {cue.category for cue in find_cues(text)}


def test_a_lasting_benefit_is_read_whatever_its_noun() -> None:
    def lasting(text: str) -> bool:
        return "lasting" in {cue.category for cue in find_cues(text)}

    assert lasting("The drip offers a path toward lasting emotional recovery.")
    assert lasting("Patients leave with durable pain relief.")
    assert not lasting("There are concerns about the long-term effects on the teenage brain.")


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Insomnia costs employers more sick days than any other sleep problem.", False),
        ("Our drip fights chronic fatigue better than any other treatment.", True),
        ("It relieves chronic fatigue faster than any pill.", True),
    ],
)
def test_a_ranking_is_absolute_only_when_it_ranks_a_treatment(text: str, flagged: bool) -> None:
    assert ("absolute_language" in reasons_of(text)) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Conventional pain pills only mask the problem, while our drips heal it.", True),
        ("Standard drugs and surgery are harmful to the joints.", True),
        ("Our infusions are offered when standard treatments have not helped.", False),
    ],
)
def test_disparaging_the_alternatives_is_a_comparative_overstatement(text: str, flagged: bool) -> None:
    assert ("absolute_language" in reasons_of(text, ("comparative",))) is flagged


@pytest.mark.parametrize(
    ("text", "contradicted"),
    [
        ("At our doses the drip carries no risk of harm whatsoever.", True),
        ("There is no chance of becoming dependent on our peptides.", True),
        ("If it helped me, it will work for every patient who walks in.", True),
        ("Its benefit for joint pain is beyond dispute.", False),
        ("With our dosing the chance of dependence is next to zero.", True),
        ("There is simply no way to get addicted to these lozenges.", True),
        ("Among my colleagues it is well known that these drips reverse fatigue.", False),
        ("It's widely accepted that hyperbaric oxygen speeds recovery from concussion.", False),
    ],
)
def test_denied_risks_promises_to_everyone_and_certainty_beyond_dispute_are_absolute(
    text: str, contradicted: bool
) -> None:
    claim = claim_at(text, 0, ("safety", "efficacy"))
    flags = {flag.reason: flag for flag in wording_flags(claim, find_cues(text))}
    assert "absolute_language" in flags
    assert flags["absolute_language"].contradicted is contradicted


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Most financing applications are decided in a few minutes.", False),
        ("Our front desk answers messages within minutes.", False),
        ("Relief within minutes.", True),
        ("It lifts the fog within minutes.", True),
        ("Migraines fade within minutes of the first drip.", True),
    ],
)
def test_speed_is_an_onset_only_where_a_treatment_or_a_condition_is_in_the_claim(
    text: str, flagged: bool
) -> None:
    assert ("onset_exaggerated" in reasons_of(text, ("onset",))) is flagged


def test_a_broad_quantifier_overstates_a_lasting_benefit_too() -> None:
    assert "absolute_language" in reasons_of("Nearly every client who completes our drips stays well.")
    assert "absolute_language" not in reasons_of(
        "Nearly every client who completes our drips is seen by a nurse."
    )


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Our drips get to the underlying cause of fatigue rather than covering up the symptoms.", True),
        ("Peptides repair tissue instead of just masking pain like pills do.", True),
        ("Home sessions are safer for you than a busy clinic.", True),
        ("The nasal spray may be safer than infusions for some people.", False),
        ("A clinic setting is no safer than a hospital for this procedure.", False),
        ("Each of the trials we cite found the infusions helped.", True),
        ("All four trials found no benefit over placebo.", False),
        ("This protocol reliably relieves migraine by the second session.", True),
        ("For veterans who tried everything, it just works.", True),
    ],
)
def test_root_causes_safer_comparisons_every_study_and_results_without_fail_are_strong_wording(
    text: str, flagged: bool
) -> None:
    assert ("absolute_language" in reasons_of(text, ("efficacy", "safety", "comparative"))) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Our clients see a dramatic improvement after the first drip.", True),
        ("The results were profound.", True),
        ("Most people feel dramatically better after three sessions.", True),
        ("The anesthetic produces profound analgesia during surgery.", False),
        ("Sensations range from mild to profound dissociation.", False),
        ("Our peptide protocol holds tremendous potential for healing old injuries.", True),
        ("Patients describe incredible results after one session.", True),
        ("The chamber produces enormous pressure on the ears during descent.", False),
    ],
)
def test_an_intensity_word_overstates_a_benefit_not_a_state(text: str, flagged: bool) -> None:
    assert ("absolute_language" in reasons_of(text)) is flagged


def test_side_effects_that_subside_within_hours_are_no_promised_onset() -> None:
    text = "Immediate effects can include dizziness, which usually subsides within an hour or two."
    assert "procedure_time" in {cue.category for cue in find_cues(text)}
    assert "onset_exaggerated" not in reasons_of(text, ("safety", "onset"))


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("For chronic migraine, our nerve block is the only treatment that really works.", True),
        ("Hyperbaric oxygen is the only therapy which heals these wounds.", True),
        ("Ketamine is not the only treatment that helps.", False),
        ("Spravato is the only esketamine product with an FDA approval.", False),
    ],
)
def test_the_only_treatment_that_works_is_absolute(text: str, flagged: bool) -> None:
    assert ("absolute_language" in reasons_of(text)) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Our exosomes regrow damaged cartilage; some patients avoid surgery altogether.", True),
        ("Our exosomes regrow damaged cartilage, so many patients avoid surgery.", True),
        ("The drip may help restore damaged cells in some clients.", False),
        ("Some patients find that exosomes regrow damaged cartilage.", False),
        ("Our exosomes regrow damaged cartilage, which may spare some knees an operation.", False),
    ],
)
def test_a_hedge_excuses_a_promise_of_repair_only_in_its_own_clause(text: str, flagged: bool) -> None:
    assert ("absolute_language" in reasons_of(text)) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Because the worn disc is truly rebuilt, the relief does not fade.", True),
        ("The drip helps your nerve cells heal themselves.", True),
        ("Our protocol dissolves the plaque in your arteries without surgery.", True),
        ("Whether damaged cartilage can be rebuilt is still debated.", False),
        ("The infusion opens a brief window of neuroplasticity in which old habits loosen.", True),
        ("Each drip resets the stress pathways that keep you wired.", True),
        ("Sessions quiet the fear circuits, letting the brain rewire itself.", True),
        ("Our protocol resets the reward system behind cravings.", True),
        ("Researchers believe the drug may open a window of neuroplasticity.", False),
        ("The scientists think it can open a window of plasticity after each dose.", False),
        ("Our Spring Reset package includes three sessions.", False),
    ],
)
def test_repair_rewiring_or_a_reset_told_as_fact_is_absolute(text: str, flagged: bool) -> None:
    assert ("absolute_language" in reasons_of(text, ("mechanism",))) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("The chamber is the only therapy that can quickly reduce swelling.", True),
        ("Every consultation is 100% confidential.", False),
        ("Honestly, this chamber saves lives.", True),
        ("An IV drip reaches the bloodstream instantly.", False),
        ("We would rather be honest than pretend that one course cures everyone.", False),
    ],
)
def test_what_is_absolute_and_what_only_sounds_it(text: str, flagged: bool) -> None:
    assert ("absolute_language" in reasons_of(text)) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Honestly the drip doesnt work for everyone.", False),
        ("No chamber is completely risk-free, and older divers carry more risk.", False),
        ("Trials are mixed, so we will not promise that it works for everyone.", False),
        ("Our drip works for everyone.", True),
        ("Nothing else is as fast as our drip.", True),
    ],
)
def test_a_denial_typed_loosely_or_of_the_subject_denies_the_phrase(text: str, flagged: bool) -> None:
    assert ("absolute_language" in reasons_of(text)) is flagged


@pytest.mark.parametrize(
    ("text", "kinds", "reason", "flagged"),
    [
        (
            '"Eight months later I\'m still doing well after the chamber."',
            ("testimonial",),
            "testimonial_as_proof",
            True,
        ),
        (
            '"After four sessions I felt like a totally different woman."',
            ("testimonial",),
            "testimonial_as_proof",
            True,
        ),
        (
            '"I haven\'t had one migraine in over a year since my drips."',
            ("testimonial",),
            "testimonial_as_proof",
            True,
        ),
        (
            '"Two rehabs failed me. After the drips I haven\'t touched a cigarette in 9 months."',
            ("testimonial",),
            "testimonial_as_proof",
            True,
        ),
        (
            '"Years of migraines, and the drips fixed it in the first week."',
            ("testimonial",),
            "testimonial_as_proof",
            True,
        ),
        ('"Down 14 lbs in two months on the plan!"', ("testimonial",), "testimonial_as_proof", True),
        (
            "Several members say they haven't caught a single cold since starting the drips.",
            ("testimonial",),
            "testimonial_as_proof",
            True,
        ),
        ("Urges to smoke simply vanish after the second session.", ("efficacy",), "absolute_language", True),
        ("Injection site pain disappears within a day.", ("safety",), "absolute_language", False),
        ("The peptide is safe even for people on blood thinners.", ("safety",), "absolute_language", True),
        (
            "Cravings for a drink do not disappear after one session.",
            ("efficacy",),
            "absolute_language",
            False,
        ),
        (
            "Top-ups mean the benefit will never get the chance to wear off.",
            ("durability",),
            "absolute_language",
            True,
        ),
        # "always" of the provider's service is no claim about the treatment; of its results it is
        (
            "We will always explain each step before the chamber is sealed.",
            ("safety",),
            "absolute_language",
            False,
        ),
        ("Our nurses are always on hand during the dive.", ("safety",), "absolute_language", False),
        ("We always get results with this drip.", ("efficacy",), "absolute_language", True),
        # a claim put in others' mouths to dispute it
        ("Anyone who promises you a cure is selling a fantasy.", ("efficacy",), "absolute_language", False),
    ],
)
def test_told_results_vanishing_conditions_and_service_habits(
    text: str, kinds: tuple[str, ...], reason: str, flagged: bool
) -> None:
    assert (reason in reasons_of(text, kinds)) is flagged


@pytest.mark.parametrize(
    ("text", "kinds", "flagged"),
    [
        # safety concluded from a long record of use elsewhere
        (
            "Surgeons have used hyperbaric chambers for over a century, which shows how safe they are.",
            ("safety",),
            True,
        ),
        ("Plasma injections have been given for decades, so you can trust their safety.", ("safety",), True),
        (
            "Chambers have been used for decades, which does not mean they are safe for autism.",
            ("safety",),
            False,
        ),
        ("Hyperbaric oxygen has been used for decades to treat decompression sickness.", ("safety",), False),
        # safety said of the product, unqualified
        ("Our NAD+ blend is a safe product with thousands of drips behind it.", ("safety",), True),
        ("Ozone may be a safe procedure for some wounds when a physician supervises it.", ("safety",), False),
        # the largest advance of its field
        ("Exosome therapy is the most significant advance in joint care this decade.", ("efficacy",), True),
        ("Researchers made steady advances in wound care during the decade.", ("efficacy",), False),
    ],
)
def test_borrowed_safety_flat_safety_and_the_largest_advance_are_absolute(
    text: str, kinds: tuple[str, ...], flagged: bool
) -> None:
    assert ("absolute_language" in reasons_of(text, kinds)) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Our peptide protocol succeeds where physical therapy fails.", True),
        ("Helps when SSRIs, talk therapy and exercise have all failed.", True),
        ("The drip brings relief even when every other remedy has failed.", True),
        ("A single dive can achieve what months of wound dressings could not.", True),
        ("TMS is offered when two antidepressants have not helped.", False),
        ("Stem cells may help where cortisone shots have failed.", False),
    ],
)
def test_success_where_others_fail_is_superiority_unless_hedged(text: str, flagged: bool) -> None:
    """A hedge word inside the phrase ("could not") is part of the claim, not a hedge of it."""
    assert ("absolute_language" in reasons_of(text, ("comparative",))) is flagged


def test_a_life_given_back_told_of_other_patients_is_offered_as_proof() -> None:
    text = "So many of our clients tell us the drips gave them their lives back."
    assert "testimonial_as_proof" in reasons_of(text, ("testimonial",))


@pytest.mark.parametrize(
    ("text", "caveat"),
    [
        ("Studies of drips given for more than a few weeks are scarce.", True),
        ("Research on stem cells for tendon injuries remains limited.", True),
        ("Studies show the side effects are limited to a sore arm.", False),
    ],
)
def test_scarce_or_limited_studies_are_a_caveat_not_what_studies_found_limited(
    text: str, caveat: bool
) -> None:
    assert ("evidence_caveat" in {cue.category for cue in find_cues(text)}) is caveat


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Injected cells travel to the injury and turn into new cartilage or bone.", True),
        ("Patients shed pounds effortlessly with our weekly shots.", True),
        ("Lose weight without diet or exercise on our peptide plan.", True),
        ("Cells were grown into new cartilage in a laboratory dish, a study may show.", False),
        ("The shots work best alongside a healthy diet and regular exercise.", False),
    ],
)
def test_cells_becoming_new_tissue_and_results_without_effort_are_absolute(text: str, flagged: bool) -> None:
    assert ("absolute_language" in reasons_of(text)) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Chelation can injure the kidneys, and the injury may be permanent.", False),
        ("Hair loss after the drip is rare, but when it happens the loss is permanent.", False),
        ("Our chelation protocol heals the damage permanently.", True),
        ("The peptide drip removes your joint pain permanently.", True),
    ],
)
def test_an_absolute_word_said_of_a_harm_warns_and_does_not_promise(text: str, flagged: bool) -> None:
    assert ("absolute_language" in reasons_of(text, ("safety", "efficacy"))) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("One round of infusions ends your cravings for good.", True),
        ("Our TMS protocol can stop suicidal thinking in a week.", True),
        ("Clients tell us their migraines never came back after the drips.", True),
        ("Our ozone clinic has an unmatched success rate.", True),
        ("Four hyperbaric sessions can do the work of months of physical therapy.", True),
        ("TMS does not end depression for every patient.", False),
        ("Our clinic reports its success rate to the state each year.", False),
        ("Stopping antidepressants suddenly can cause withdrawal symptoms.", False),
    ],
)
def test_a_condition_ended_a_praised_rate_and_a_short_course_equal_to_a_long_one_are_absolute(
    text: str, flagged: bool
) -> None:
    assert ("absolute_language" in reasons_of(text)) is flagged


@pytest.mark.parametrize(
    ("text", "reason", "flagged"),
    [
        ("In the best-known trial, relief faded within two weeks.", "absolute_language", False),
        ("It is the best treatment for long COVID.", "absolute_language", True),
        ("You can stop anytime with zero withdrawal.", "absolute_language", True),
    ],
)
def test_best_as_a_description_and_zero_withdrawal(text: str, reason: str, flagged: bool) -> None:
    assert (reason in reasons_of(text, ("efficacy", "safety"))) is flagged


@pytest.mark.parametrize(
    "story",
    [
        "Three sessions in, my mood is clearly better, though not perfect.",
        "By my fourth drip I could work again, and a booster once a month keeps it that way.",
    ],
)
def test_a_story_told_with_its_cost_is_not_offered_as_proof(story: str) -> None:
    assert "testimonial_as_proof" not in reasons_of(story, ("testimonial",))


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("No downtime, no needles and zero side effects.", True),
        ("It is drug-free, with no UV, no heat and no side effects at all.", True),
        ("Ketamine is not free of side effects.", False),
        ("The lamp gives no side effects that we know of.", True),
    ],
)
def test_a_denial_listed_after_other_denials_is_asserted(text: str, flagged: bool) -> None:
    """A phrase with its own negation ("zero side effects") after other "no ..." items is one more
    denial in the list, not a negated phrase; a "not" that governs it still negates it."""
    assert ("absolute_language" in reasons_of(text, ("safety",))) is flagged


def test_a_clinician_speaking_of_the_forms_they_work_with_is_no_testimonial() -> None:
    text = "The lozenges I work with are not approved for depression, though many patients improve on them."
    assert "testimonial_as_proof" not in reasons_of(text, ("regulatory", "efficacy"))


def test_technology_credited_to_a_space_agency_borrows_its_authority() -> None:
    text = "Our light panels use technology developed by NASA."
    assert "authority_misappropriation" in reasons_of(text, ("efficacy",))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Many clients feel the fog lift during their very first infusion.", "onset_exaggerated"),
        ("Some feel lighter before the drip is even finished.", "onset_exaggerated"),
        ("At home there is no need for medical monitoring with our troches.", "absolute_language"),
        ("The app makes home sessions every bit as safe as a clinic visit.", "absolute_language"),
        ("Our soft chambers give the same healing effects as hospital units.", "absolute_language"),
    ],
)
def test_relief_within_the_session_a_precaution_denied_and_sameness_overstate(text: str, reason: str) -> None:
    assert reason in reasons_of(text, ("efficacy", "safety"))


def test_a_side_effect_during_the_first_session_is_no_onset() -> None:
    assert not reasons_of("Many people feel dizzy during their first infusion.", ("safety",))
    assert not reasons_of("This page explains what happens during a first session.", ("efficacy",))


def test_how_soon_a_drug_taken_for_a_high_acts_is_no_promised_onset() -> None:
    assert "onset_exaggerated" not in reasons_of(
        "Sniffed ketamine usually hits within a few minutes and wears off within an hour.", ("onset",)
    )


def test_research_called_early_or_unclear_is_a_caveat_not_a_promise() -> None:
    text = "For OCD the research is still early and results are not clear, so I promise nothing."
    assert not reasons_of(text, ("efficacy", "indication"))


def test_a_ranking_of_who_gives_the_treatment_is_no_claim_about_it() -> None:
    provider = "She has given more than 9,000 infusions, more than any other nurse in Ohio."
    assert "absolute_language" not in reasons_of(provider, ("authority",))
    treatment = "Ketamine lifts depression faster than any other medicine."
    assert "absolute_language" in reasons_of(treatment, ("efficacy", "comparative"))


@pytest.mark.parametrize(
    "text",
    [
        "There is less research on intramuscular ketamine, so I consider it a second choice for depression.",
        "Glad it helped you, but what I've read says about half of people respond to one infusion.",
    ],
)
def test_a_clinician_weighing_options_or_a_reader_citing_studies_tells_no_story(text: str) -> None:
    assert "testimonial_as_proof" not in reasons_of(text, ("testimonial", "efficacy"))


def test_a_review_with_its_stars_is_a_buyers_story() -> None:
    from claimcheck.verdicts.language import told_by_a_patient

    review = "★★★★★ Arrived in a week, works better than my clinic infusions."
    assert told_by_a_patient(claim_at(review, 0, ("efficacy",)), find_cues(review))


@pytest.mark.parametrize(
    "text",
    [
        "Chamber sessions carry little risk for anyone.",
        "Ozone drips are generally harmless in trained hands.",
        "Side effects are rare and mild, usually a little tiredness.",
        "Feeling floaty is a sure sign the medicine is working.",
        "Infusions are becoming the number one choice for stubborn depression.",
    ],
)
def test_risk_waved_away_side_effects_as_proof_and_rank_are_absolute(text: str) -> None:
    assert "absolute_language" in reasons_of(text, ("safety", "efficacy"))


@pytest.mark.parametrize(
    "story",
    [
        '"After my fourth drip I was cooking dinner for friends again." - Priya',
        '"The night terrors I had lived with for a decade ended within two sessions." - Tom',
        '"Six months on opioids, now two years sober and no withdrawal at all." - Rae',
        '"Honestly? I\'ve quit the sleeping pills and I sleep through." - Ana',
    ],
)
def test_a_patients_life_back_a_symptom_gone_or_time_sober_is_a_testimonial_as_proof(story: str) -> None:
    assert "testimonial_as_proof" in reasons_of(story, ("testimonial",))


@pytest.mark.parametrize(
    "text",
    [
        "Red light never harms the skin in any way.",
        "A cold plunge does not affect your heart in any way.",
        "Cryotherapy has no meaningful side effects.",
        "A float tank is a gentle therapy with no risks.",
        "Anyone can float without any risk of a panic attack.",
    ],
)
def test_a_harm_denied_outright_is_absolute(text: str) -> None:
    assert "absolute_language" in reasons_of(text, ("safety",))


@pytest.mark.parametrize(
    "text",
    [
        "The lipo shot melts stubborn fat.",
        "A vitamin push supercharges recovery after a race.",
        "Our cold plunge cranks up your metabolism.",
        "Pressurised air floods your cells with oxygen.",
        "Light therapy jump-starts your mitochondria.",
    ],
)
def test_an_effect_told_with_a_hyperbolic_verb_is_absolute(text: str) -> None:
    assert "absolute_language" in reasons_of(text, ("efficacy",))


@pytest.mark.parametrize(
    "text",
    [
        "Unlike painkillers, the floats fix the root cause of your back pain.",
        "A cold plunge does not just mask soreness, it resolves the underlying problem.",
        "Our peptide heals the tendon instead of simply masking the pain.",
    ],
)
def test_the_cause_said_to_be_fixed_where_other_care_hides_it_is_absolute(text: str) -> None:
    assert "absolute_language" in reasons_of(text, ("efficacy",))


def test_looking_for_an_underlying_cause_promises_nothing() -> None:
    assert "absolute_language" not in reasons_of("We look for the underlying cause of your fatigue first.")


def test_circuits_said_rebuilt_or_a_risk_called_strikingly_low_are_absolute() -> None:
    assert "absolute_language" in reasons_of(
        "Floating helps the brain rebuild the circuits stress wears down."
    )
    assert "absolute_language" in reasons_of(
        "Our peptide carries a remarkably low risk profile.", ("safety",)
    )
    assert "absolute_language" not in reasons_of(
        "The risk of a seizure is low, about 1 in 30,000.", ("safety",)
    )


def test_a_world_record_claimed_is_absolute() -> None:
    assert "absolute_language" in reasons_of("Our float centres have some of the best results in the world.")


def test_what_a_providers_patients_tell_it_is_a_testimonial_as_proof_and_a_general_report_is_not() -> None:
    assert "testimonial_as_proof" in reasons_of(
        "Many of our members tell us the floats helped their back pain."
    )
    assert "testimonial_as_proof" in reasons_of("Our regular clients say the cravings simply stopped.")
    assert "testimonial_as_proof" in reasons_of(
        "Members often tell us their migraines ended after the first float."
    )
    assert "testimonial_as_proof" not in reasons_of("Patients often report relief within a day or two.")
    assert "testimonial_as_proof" not in reasons_of(
        "Research on floating for anxiety is still early, but our members tell us it helps."
    )
    assert "testimonial_as_proof" not in reasons_of("Our members tell us 7 in 10 sleep better after a month.")


def test_a_quoted_review_naming_a_condition_or_a_first_dose_is_a_testimonial_as_proof() -> None:
    for review in (
        '"Two floats and my migraines stopped." - Lea',
        '"I quit snacking at night after my very first shot." - Dev',
    ):
        assert "testimonial_as_proof" in reasons_of(review, ("testimonial",))
    assert "testimonial_as_proof" not in reasons_of('"The front desk was lovely." - Sam', ("testimonial",))
    limited = (
        '"My migraines eased after my second float, and it held a month before I needed a booster." - Al'
    )
    assert "testimonial_as_proof" not in reasons_of(limited, ("testimonial",))


def test_a_review_of_a_relapse_or_of_nothing_changing_is_no_proof() -> None:
    for review in (
        '"Nothing changed for me, and I was back in bed all day within a month." - Jo',
        '"I was anxious again within a week, so it was not for me." - Max',
        '"Ten minutes in, the room felt far away, like a film of itself." - Noor',
    ):
        assert "testimonial_as_proof" not in reasons_of(review, ("testimonial",))


@pytest.mark.parametrize(
    "text",
    [
        "Results are usually immediate with our infrared protocol.",
        "Most guests notice their mood lift before they even walk out of the lounge.",
    ],
)
def test_results_called_immediate_or_felt_before_leaving_are_an_instant_onset(text: str) -> None:
    assert "onset_exaggerated" in reasons_of(text, ("onset",))


def test_a_side_effect_felt_before_leaving_is_no_onset() -> None:
    assert "onset_exaggerated" not in reasons_of(
        "Some people still feel drowsy before they leave, so bring a driver.", ("safety",)
    )


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Our chamber protocol has produced the highest recovery rates ever recorded for concussion.", True),
        ("Our supplement sharpens memory without any downtime or side effects.", True),
        ("The agency granted the trial drug breakthrough therapy designation last spring.", False),
        ("Exosomes are a breakthrough for hair regrowth.", True),
    ],
)
def test_records_harmless_results_and_breakthroughs_are_absolute_but_a_designation_is_not(
    text: str, flagged: bool
) -> None:
    assert ("absolute_language" in reasons_of(text, ("efficacy",))) is flagged


def test_withdrawal_managed_by_doctors_is_no_detox_promise() -> None:
    assert "absolute_language" not in reasons_of(
        "Infusions are not a withdrawal treatment; patients finish medical detox before the first session.",
        ("efficacy",),
    )
    assert "absolute_language" in reasons_of(
        "Our NAD+ drip helps detox your body after a long week.", ("efficacy",)
    )


def test_a_habit_ended_for_good_is_a_promise_even_beside_a_harm() -> None:
    """The harm named first is what the treatment ends, not what lasts."""
    text = "Where pills only trade one dependence for another, our protocol ends the craving for good."
    assert "absolute_language" in reasons_of(text, ("efficacy",))


def test_feeling_better_before_getting_up_from_the_chair_is_an_instant_onset() -> None:
    text = "Most guests feel the fog lift before they even get up from the recliner."
    assert "onset_exaggerated" in reasons_of(text, ("onset",))


def test_a_clinics_record_of_no_serious_adverse_events_is_no_absolute_promise() -> None:
    assert "absolute_language" not in reasons_of(
        "Over 4,000 sessions, zero serious adverse events.", ("safety",)
    )
    assert "absolute_language" in reasons_of("Our drips have zero side effects.", ("safety",))


@pytest.mark.parametrize(
    "text",
    [
        "There is very little research on taking these drips for years at a time.",
        "The most comprehensive review yet of hyperbaric oxygen finds a modest benefit, less than its fans claim.",
    ],
)
def test_a_caveat_about_research_or_a_superlative_of_a_review_is_no_overstatement(text: str) -> None:
    assert not reasons_of(text, ("efficacy", "durability")) & {"absolute_language", "durability_exaggerated"}


@pytest.mark.parametrize(
    "text",
    [
        "Our peptide spray acts exactly like the injected version, without the needle.",
        "Mild chambers work at least as well as hospital ones for recovery.",
        "Because it is natural, there are no real side effects to speak of.",
    ],
)
def test_sameness_stressed_and_side_effects_waved_away_are_absolute(text: str) -> None:
    assert "absolute_language" in reasons_of(text, ("comparative", "safety"))


@pytest.mark.parametrize(
    "story",
    [
        '"Nine years of migraines and I have not needed a painkiller since." - Ola',
        '"Three drips did what a year of supplements could not." - Bea',
        '"The clinic gave me my weekends back." - Cy',
        '"My knee pain went from a 7 to a 2 in a month." - Dee',
        '"My surgeon wanted to operate, but I never needed the surgery." - Eli',
    ],
)
def test_a_relapse_denied_a_result_no_other_gave_or_a_symptom_counted_down_is_proof(story: str) -> None:
    assert "testimonial_as_proof" in reasons_of(story, ("testimonial",))


def test_a_fee_waived_is_no_one_set_free() -> None:
    assert "testimonial_as_proof" not in reasons_of(
        '"They rebooked my session free of charge." - Fay', ("testimonial",)
    )


def test_the_best_evidence_ranks_the_evidence_not_the_treatment() -> None:
    assert "absolute_language" not in reasons_of("The best evidence so far is for nerve pain after shingles.")
    assert "absolute_language" in reasons_of("The best therapy for nerve pain is our drip.")


def test_a_finding_a_notice_says_no_evidence_shows_is_not_asserted() -> None:
    denial = "The office found no competent and reliable scientific evidence that any drip reverses aging."
    assert "absolute_language" not in reasons_of(denial)
    assert "absolute_language" in reasons_of("Our drip reverses aging.")


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Side effects are mild and pass within the hour.", True),
        ("Side effects are few: a little sleepiness for some.", True),
        ("Adverse effects are uncommon when a trained nurse gives the drip.", True),
        ("Side effects are rare, but a few people feel sick.", True),
        ("Most side effects are mild and go away the same day.", False),
        ("The most common side effects are mild headaches.", False),
        ("Side effects are usually mild: some sleepiness and a headache.", False),
        ("Unlike surgery, the injection does not affect your memory.", True),
        ("Our compounded drip is made the same way and is just as safe.", True),
        ("Checking your eligibility won't affect your credit score.", False),
        ("At our doses, serious reactions simply don't happen.", True),
        ("Some healing can't happen in a single short visit.", False),
    ],
)
def test_side_effects_called_few_or_mild_without_a_hedge_are_absolute(text: str, flagged: bool) -> None:
    assert ("absolute_language" in reasons_of(text, ("safety",))) is flagged


@pytest.mark.parametrize(
    "text",
    [
        "Studies that compare the drip with plain saline can overstate how well it works.",
        "The products are not approved, which means no one at the agency has checked that they are completely safe.",
        "Small trials found modest relief, and the rheumatology college recommends against the injections.",
    ],
)
def test_questions_left_open_denied_checks_and_advice_against_assert_nothing(text: str) -> None:
    assert reasons_of(text, ("efficacy", "safety", "authority")) == set()


def test_a_life_got_back_is_told_as_proof() -> None:
    cues = {
        (c.category, c.text) for c in find_cues("After four sessions my wife said she got her husband back.")
    }
    assert ("testimonial_proof", "got her husband back") in cues
    assert not any(c.category == "testimonial_proof" for c in find_cues("I got my money back in a week."))


@pytest.mark.parametrize(
    ("story", "flagged"),
    [
        ('"After my third session I laughed at a joke for the first time in years."', True),
        ('"I was told I would need a cane. Six weeks after my injection I walked the whole trail."', True),
        ('"About three weeks after my last infusion, my mood began slipping."', False),
        ("After the infusion we watch your blood pressure for an hour.", False),
    ],
)
def test_a_result_told_from_a_point_of_the_course_is_a_testimonial(story: str, flagged: bool) -> None:
    assert ("testimonial_as_proof" in reasons_of(story, ("testimonial", "efficacy"))) is flagged


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Vital signs are monitored throughout, ensuring safety and efficacy.", "sentence", True),
        ("Floating can have profound healing effects.", "sentence", True),
        ("We are always available to answer your questions.", "sentence", False),
        ("Ensuring Safety And Efficacy", "heading", False),
    ],
)
def test_a_unit_overstates_outright_with_a_phrase_not_a_lone_word(
    text: str, kind: str, expected: bool
) -> None:
    unit = Unit(0, len(text), text, kind)  # type: ignore[arg-type]
    assert overstates_outright(unit, find_cues(text)) is expected
