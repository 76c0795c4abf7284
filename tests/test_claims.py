"""The claim classifier: estimator contract, persistence, and claim records."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from claimcheck.annotate import annotate
from claimcheck.claims.detect import (
    ClaimModel,
    Example,
    bundled_model,
    claim_at,
    find_claims,
    is_price_listing,
    not_a_claim,
    unit_contexts,
    unit_features,
)
from claimcheck.errors import ModelError, NotFittedError
from claimcheck.evidence.embedding import HashingEmbedder
from claimcheck.records import CLAIM_KINDS, Document
from claimcheck.text.segment import segment
from claimcheck.verdicts.language import overstates_outright

ABSOLUTE, LASTING = ("absolute_language",), ("durability_exaggerated",)
EXAMPLES = [
    Example("Ketamine relieves depression in 75% of patients.", "sentence", True, ("efficacy",)),
    Example("Our infusions work within 40 minutes.", "sentence", True, ("onset", "efficacy")),
    Example(
        "Ketamine is one of the safest drugs in the world.", "sentence", True, ("safety",), "", True, ABSOLUTE
    ),
    Example("Ketamine is the best treatment ever made.", "sentence", True, ("efficacy",), "", True, ABSOLUTE),
    Example("The FDA approved esketamine in 2019.", "sentence", True, ("regulatory",)),
    Example("Each infusion costs $450.", "sentence", True, ("cost",)),
    Example(
        "Benefits last for months after one infusion.", "sentence", True, ("durability",), "", True, LASTING
    ),
    Example("One infusion keeps you well for a year.", "sentence", True, ("durability",), "", True, LASTING),
    Example("Call us today to book your consultation.", "sentence", False),
    Example("What Is Ketamine?", "heading", False),
    Example("Contact us", "heading", False),
    Example("Read more on our blog.", "sentence", False),
    Example("Home", "heading", False),
    Example("Schedule a visit now!", "sentence", False),
]


def test_predict_before_fit_raises_not_fitted() -> None:
    with pytest.raises(NotFittedError):
        ClaimModel().predict([["w=ketamine"]], ["ketamine"])


def test_fit_returns_self_and_separates_training_examples() -> None:
    model = ClaimModel()
    assert model.fit(EXAMPLES) is model
    features = [unit_features(e.text, e.unit_kind, [], []) for e in EXAMPLES]
    scores = model.predict(features, [e.text for e in EXAMPLES])
    labels = np.array([e.is_claim for e in EXAMPLES])
    assert scores.claim[labels].min() > scores.claim[~labels].max()
    assert set(scores.kinds) <= set(CLAIM_KINDS)


def test_the_flag_head_learns_which_claims_annotators_flagged() -> None:
    model = ClaimModel().fit(EXAMPLES)
    features = [unit_features(e.text, e.unit_kind, [], []) for e in EXAMPLES]
    scores = model.predict(features, [e.text for e in EXAMPLES])
    assert scores.flag is not None
    flagged = np.array([e.flagged for e in EXAMPLES])
    claims = np.array([e.is_claim for e in EXAMPLES])
    assert scores.flag[flagged].min() > scores.flag[claims & ~flagged].max()
    assert set(scores.reasons) == {"absolute_language", "durability_exaggerated"}
    lasting = [i for i, e in enumerate(EXAMPLES) if e.reasons == LASTING]
    assert all(
        scores.reasons["durability_exaggerated"][i] > scores.reasons["absolute_language"][i] for i in lasting
    )


def test_without_verdict_labels_there_is_no_flag_head() -> None:
    unlabelled = [Example(e.text, e.unit_kind, e.is_claim, e.kinds) for e in EXAMPLES]
    model = ClaimModel().fit(unlabelled)
    assert model.predict([["w=ketamine"]], ["ketamine"]).flag is None
    (claim,) = find_claims(
        annotate(Document("t", "Ketamine relieves depression in 75% of patients.\n")), model
    )
    assert claim.flag_score is None
    assert claim.flag_reasons == ()


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    model = ClaimModel().fit(EXAMPLES)
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = ClaimModel.load(path)
    features = [unit_features(e.text, e.unit_kind, [], []) for e in EXAMPLES]
    texts = [e.text for e in EXAMPLES]
    before, after = model.predict(features, texts), loaded.predict(features, texts)
    np.testing.assert_allclose(after.claim, before.claim, rtol=1e-5)
    assert before.flag is not None and after.flag is not None
    np.testing.assert_allclose(after.flag, before.flag, rtol=1e-5)
    assert set(after.reasons) == set(before.reasons)
    for reason, probabilities in before.reasons.items():
        np.testing.assert_allclose(after.reasons[reason], probabilities, rtol=1e-5)
    assert path.stat().st_size < 200_000


def test_a_model_trained_with_an_embedder_needs_that_embedder(tmp_path: Path) -> None:
    embedder = HashingEmbedder(n_features=64)
    model = ClaimModel(embedder=embedder).fit(EXAMPLES)
    path = tmp_path / "dense.npz"
    model.save(path)
    texts = [e.text for e in EXAMPLES]
    features = [unit_features(e.text, e.unit_kind, [], []) for e in EXAMPLES]
    loaded = ClaimModel.load(path, embedder=HashingEmbedder(n_features=64))
    np.testing.assert_allclose(
        loaded.predict(features, texts).claim, model.predict(features, texts).claim, rtol=1e-5
    )
    with pytest.raises(ModelError, match="trained with embedder"):
        ClaimModel.load(path)
    with pytest.raises(ModelError, match="trained with embedder"):
        ClaimModel.load(path, embedder=HashingEmbedder(n_features=32))


def test_the_flag_heads_weigh_the_embedding_by_their_own_scale(tmp_path: Path) -> None:
    """Flag and reason heads fitted with the embedding at ``flag_dense_scale`` score as if every
    head had been fitted at that scale, while all heads read one matrix; the scale is saved."""
    embedder = HashingEmbedder(n_features=64)
    mixed = ClaimModel(embedder=embedder, dense_scale=3.0, flag_dense_scale=1.0).fit(EXAMPLES)
    uniform = ClaimModel(embedder=embedder, dense_scale=1.0, flag_dense_scale=1.0).fit(EXAMPLES)
    texts = [e.text for e in EXAMPLES]
    features = [unit_features(e.text, e.unit_kind, [], []) for e in EXAMPLES]
    ours, theirs = mixed.predict(features, texts), uniform.predict(features, texts)
    assert ours.flag is not None and theirs.flag is not None
    np.testing.assert_allclose(ours.flag, theirs.flag, rtol=1e-4)
    for reason, probabilities in theirs.reasons.items():
        np.testing.assert_allclose(ours.reasons[reason], probabilities, rtol=1e-4)
    assert not np.allclose(ours.claim, theirs.claim, rtol=1e-4), "the claim head keeps its own scale"
    mixed.save(tmp_path / "mixed.npz")
    loaded = ClaimModel.load(tmp_path / "mixed.npz", embedder=embedder)
    assert (loaded.dense_scale, loaded.flag_dense_scale) == (3.0, 1.0)


def test_loading_a_corrupt_model_is_a_model_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.npz"
    path.write_bytes(b"not a zip file")
    with pytest.raises(ModelError, match="make train"):
        ClaimModel.load(path)


def test_bundled_model_finds_typed_claims_with_exact_offsets() -> None:
    text = (
        "Ketamine Clinic\n"
        "On average 75% of patients find relief within 40 minutes.\n"
        "Ketamine is one of the safest anesthetics in the world.\n"
        "Contact us today!\n"
    )
    claims = find_claims(annotate(Document("t", text)), bundled_model())
    by_text = {c.text: c for c in claims}
    relief = by_text["On average 75% of patients find relief within 40 minutes."]
    assert "efficacy" in relief.kinds
    assert {q.kind for q in relief.quantities} >= {"percent", "duration"}
    assert "Contact us today!" not in by_text
    safest = by_text["Ketamine is one of the safest anesthetics in the world."]
    assert safest.flag_score is not None and safest.flag_score > 0.5
    assert "absolute_language" in safest.flag_reasons
    for claim in claims:
        assert text[claim.start : claim.end] == claim.text
        assert 0.0 <= claim.score <= 1.0
        for q in claim.quantities:
            assert text[q.start : q.end] == q.text


@pytest.mark.parametrize(
    "line",
    ["92% success rate", "Average migraine-day reduction of 55%", "88% of guests leave feeling lighter"],
)
def test_a_stat_strips_outcome_rate_is_a_claim(line: str) -> None:
    """A clinic's stat strip states outcomes in a few words, naming no treatment: each is a claim."""
    text = f"Why Choose Us\n{line}\n4.9 stars on Google\n"
    claims = find_claims(annotate(Document("t", text)), bundled_model(), min_score=0.99)
    assert [c.text for c in claims] == [line]


def test_a_patients_review_of_the_treatment_is_a_testimonial_claim() -> None:
    """A quoted, first-person review that names the treatment, a condition or a result is a claim whatever
    the model scores; a review of the front desk is not."""
    text = (
        "What people tell us\n"
        '★★★★★ "I had given up on pills. After my fourth infusion I went back to my choir." - Ana\n'
        '★★★★★ "The front desk was lovely and I found parking easily." - Bo\n'
    )
    claims = find_claims(annotate(Document("t", text)), bundled_model(), min_score=0.99)
    (review,) = claims
    assert review.text.startswith('★★★★★ "I had given up on pills.') and "testimonial" in review.kinds


def test_a_treatment_said_to_save_lives_is_a_claim_and_a_safety_slogan_is_not() -> None:
    text = "Why we do this\nOur IV drip saves lives.\nSeat belts save lives too.\n"
    claims = find_claims(annotate(Document("t", text)), bundled_model(), min_score=0.99)
    assert [c.text for c in claims] == ["Our IV drip saves lives."]


def test_a_list_item_opening_with_a_verb_of_benefit_is_a_claim_and_one_of_shipping_is_not() -> None:
    """A subjectless item whose verb promises a result is a predicate of the heading's treatment."""
    text = "Why float?\n- Sharpens focus for the whole week\n- Ships within 24 hours\nCalms Your Mind\n"
    claims = find_claims(annotate(Document("t", text)), bundled_model(), min_score=0.99)
    assert [c.text for c in claims] == ["Sharpens focus for the whole week"]


def test_a_unit_calling_something_wholly_safe_is_a_claim_but_quoted_words_or_a_feeling_are_not() -> None:
    text = (
        "About our floats\n"
        "With our screening, a float is completely safe.\n"
        'Some spas promise their tanks are "100% safe" to anyone.\n'
        "I felt totally safe the whole time.\n"
    )
    claims = find_claims(annotate(Document("t", text)), bundled_model(), min_score=0.99)
    assert [c.text for c in claims] == ["With our screening, a float is completely safe."]


def test_a_registration_offered_in_the_pages_words_is_a_claim_but_quoted_or_denied_it_is_not() -> None:
    text = (
        "About our drips\n"
        "- Mixed in an FDA-registered pharmacy in Ohio\n"
        "Our float protocol is listed on ClinicalTrials.gov.\n"
        '"FDA-registered" only means a form was filed.\n'
        "Our tanks are not FDA-registered devices.\n"
    )
    claims = find_claims(annotate(Document("t", text)), bundled_model(), min_score=0.99)
    assert [c.text for c in claims] == [
        "Mixed in an FDA-registered pharmacy in Ohio",
        "Our float protocol is listed on ClinicalTrials.gov.",
    ]


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("In our survey, 72% said they were still doing well at three months.", False),
        ("Seven in ten members told us their sleep was better after eight floats.", False),
        ('"My doctor said I needed surgery. Six weeks after my float I walked the trail."', False),
        ('"A single number like 85 percent should make people ask," she said.', True),
        ("Dr. Ruiz said the drips work for almost everyone.", True),
    ],
)
def test_a_surveys_answers_and_speech_inside_a_patients_quote_are_not_reported_speech(
    text: str, dropped: bool
) -> None:
    assert not_a_claim(text) is dropped


def test_wording_that_overstates_makes_a_doubted_unit_a_claim_when_the_pipeline_asks() -> None:
    """The claims stage takes the language layer's judgement as a parameter (it is a later stage's)."""
    text = (
        "How the day goes\n"
        "Vital signs are monitored throughout, ensuring safety and efficacy.\n"
        "The float room is kept warm.\n"
    )
    document = annotate(Document("t", text))
    assert find_claims(document, bundled_model(), min_score=0.99) == ()
    promoted = find_claims(document, bundled_model(), min_score=0.99, overstates=overstates_outright)
    assert [c.text for c in promoted] == [
        "Vital signs are monitored throughout, ensuring safety and efficacy."
    ]


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("If you cancel with less than a day's notice, a $90 late-cancellation fee applies.", True),
        ("Spread a float series over 12 months at 0% APR with approved credit.", True),
        ("Unused sessions can be refunded within 60 days, minus a $25 fee.", True),
        ("Insurance rarely covers floats, but we offer financing.", False),
        ('"Six weeks after my float I cancelled the surgery and went hiking."', False),
    ],
)
def test_a_providers_terms_of_payment_are_no_claim_but_coverage_and_stories_are(
    text: str, dropped: bool
) -> None:
    assert not_a_claim(text) is dropped


def test_a_rate_of_a_treatments_benefit_is_a_claim_however_hedged() -> None:
    """The model scores hedged sentences low; one that gives a treatment's success rate is a claim all the same."""
    text = "Early research suggests ketamine may help up to 80% of people living with depression.\n"
    (unit,) = annotate(Document("t", text)).units
    features = unit_features(unit.unit.text, unit.unit.kind, unit.cues, unit.quantities, "")
    assert bundled_model().predict([features], [unit.unit.text]).claim[0] < 0.4, "the model alone drops it"
    (claim,) = find_claims(annotate(Document("t", text)), bundled_model(), min_score=0.4)
    assert claim.hedged and "percent" in {q.kind for q in claim.quantities}
    (own,) = find_claims(
        annotate(Document("t", "90% of our guests go home free of pain.\n")), bundled_model(), 0.99
    )
    assert own.text.startswith("90% of our guests"), "a clinic's own outcome rate is a claim"
    said = 'A clinic owner said his patients see "an 80% success rate" with ketamine.\n'
    assert find_claims(annotate(Document("t", said)), bundled_model(), min_score=0.4) == ()


def test_hedges_are_detected() -> None:
    text = "Ketamine may help some patients with depression feel better within hours.\n"
    (claim,) = find_claims(annotate(Document("t", text)), bundled_model())
    assert claim.hedged


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        ("Ketamine use is associated with fewer suicidal thoughts.", True),
        ("Esketamine has been strongly linked to lower relapse rates.", True),
        ("Spravato is approved for depressive symptoms associated with major depressive disorder.", False),
        ("Side effects related to the infusion pass within two hours.", False),
    ],
)
def test_an_association_stated_hedges_and_a_nouns_modifier_does_not(text: str, hedged: bool) -> None:
    assert claim_at(text, 0, ("efficacy",)).hedged is hedged


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        ("The drip clears toxins from your liver, so many patients feel lighter.", False),
        ("Many patients feel lighter after the drip, so they come back.", True),
        ("Regrowing synapses helps the brain change, which may help lift low mood.", True),
        ("Infusions may ease pain; results vary.", True),
        ("Dr. Lee says the drip may ease fatigue in some clients.", True),
        ("The drip eases fatigue; results may vary.", False),
        # a relative clause about the condition or its patients describes who is treated
        ("The drip eases the anxiety that often follows a breakup.", False),
        ("The drip helps clients who may have tried everything.", False),
        ("The drip often eases the fatigue that follows a cold.", True),
    ],
)
def test_a_hedge_qualifies_the_claim_only_from_its_main_clause(text: str, hedged: bool) -> None:
    """The first clause holds what the claim asserts; a hedge on a consequence after ", so" leaves it unqualified."""
    assert claim_at(text, 0, ("efficacy",)).hedged is hedged


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Can ketamine help my fibromyalgia?", True),
        ('"It cures everyone," said Dr. Lee, the clinic\'s founder.', True),
        ("“Our results speak for themselves,” the founder says.", True),
        ("She had heard that the drug helped people forget their pain.", True),
        ("Ketamine relieves depression in 75% of patients.", False),
        ("Even so, its label says it has not been shown to prevent suicide.", False),
        ("That said, nearly everyone who finishes our series stays well.", False),
    ],
)
def test_questions_and_reported_speech_are_never_claims(text: str, expected: bool) -> None:
    assert not_a_claim(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Ana Ruiz, our medical director, has treated mood disorders for twenty years.", True),
        ("Clinical lead Sam Oyelaran, LCSW, runs our integration groups.", True),
        ("Medical director: Lee Park, MD, board certified in anesthesiology since 2009.", True),
        ("Every infusion is watched over by a board-certified anesthesiologist.", False),
        ("Dr. Ana Ruiz, MD, has helped hundreds of patients recover from depression.", False),
    ],
)
def test_a_staff_bio_is_not_a_claim_unless_it_tells_of_results(text: str, expected: bool) -> None:
    assert not_a_claim(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tags: ketamine clinic, ketamine near me, ketamine doctors, best ketamine, ketamine cost", True),
        ("ozone therapy, ozone clinic, ozone near me, cheap ozone, ozone deals, ozone sauna", True),
        ("We treat: depression, anxiety, PTSD, OCD, chronic pain", False),
        ("Conditions we treat: Depression • Postpartum depression • Bipolar depression • PTSD • Pain", False),
        ("Home · Drip Menu · NAD+ Reset · Weight Loss · Pricing · Contact", True),
        ("Home | Shop | Ketamine | Esketamine | Pain Relief | Track Order", True),
        ("Membership | $299 per month | One drip a month, 15% off extra drips", True),
        ("Booster | $400 | 70% stay well for a month", False),
    ],
)
def test_keyword_lines_and_price_rows_with_a_discount_are_not_claims(text: str, expected: bool) -> None:
    assert not_a_claim(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Single infusion: $450", True),
        ("Booster infusion | $400 | per visit", True),
        ("Fees:\n- Intake: $150\n- Infusion: $475 per session", True),
        ("Ketamine costs about $25 per infusion.", False),
        ("Series of six | $2,400 | our protocol brings lasting remission for most", False),
        ("Relief in 40 minutes", False),
    ],
)
def test_price_list_lines_are_prices_not_claims(text: str, expected: bool) -> None:
    assert is_price_listing(text) is expected


def test_a_sentence_opening_with_a_pronoun_reads_the_unit_it_leans_on() -> None:
    text = "Our Drips\n\nIV ketamine reaches the brain at once. It is superior to nasal sprays. Book today.\n\n- PTSD"
    units = segment(Document("t", text))
    contexts = dict(zip((u.text for u in units), unit_contexts(units), strict=True))
    assert contexts["It is superior to nasal sprays."] == "IV ketamine reaches the brain at once."
    assert contexts["IV ketamine reaches the brain at once."] == "" and contexts["Book today."] == ""
    assert contexts["PTSD"] == "Our Drips"


def test_an_examples_weight_moves_the_claim_head() -> None:
    """Weighting a sentence's label (a real page's) moves its claim score toward that label."""
    doubted = Example("Sessions are held in a quiet room with soft music.", "sentence", True)
    light = ClaimModel(embedder=HashingEmbedder()).fit([*EXAMPLES, doubted])
    heavy = ClaimModel(embedder=HashingEmbedder()).fit([*EXAMPLES, replace(doubted, weight=20.0)])
    features = [unit_features(doubted.text, "sentence", (), ())]
    assert heavy.predict(features, [doubted.text]).claim[0] > light.predict(features, [doubted.text]).claim[0]
