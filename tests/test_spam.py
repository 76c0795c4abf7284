"""Tests for claimcheck.signals.spam: page labels, signal spans and the score."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from claimcheck.records import SpamResult, SpamSignal
from claimcheck.settings import SpamRules
from claimcheck.signals import spam_cues
from claimcheck.signals.spam import (
    MIN_COUNT,
    _paragraph_vectorizer,
    detect_spam,
    page_score,
    paragraph_tfidf,
)
from claimcheck.text.literals import fold, may_find

CORPORA = Path(__file__).parent.parent / "corpora"
DATA = Path(__file__).parent / "data"
SEEDS = {
    "000": CORPORA / "000_4b0f3c6d6a0af338.txt",
    "001": CORPORA / "001_b75484fee7bd1750.txt",
    "002": CORPORA / "002_46f5b2d153c94615.txt",
    "003": CORPORA / "003_39cd055008eb7f57.txt",
    "004": CORPORA / "004_e4db15d9ec7944fb.txt",
}
SIGNAL_WEIGHTS = SpamRules().weights
FULL_STRENGTH_COUNT = SpamRules().full_strength_count
SIGNAL_NAMES = set(SIGNAL_WEIGHTS)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _assert_valid(text: str, result: SpamResult) -> None:
    assert result.label in ("spam", "ok")
    assert 0.0 <= result.score <= 1.0
    assert (result.label == "spam") == (result.score >= SpamRules().threshold)
    for s in result.signals:
        assert s.name in SIGNAL_NAMES
        assert s.severity in ("high", "medium", "low")
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end].strip() == text[s.start : s.end]


def _quotes(text: str, result: SpamResult, name: str) -> list[str]:
    return [text[s.start : s.end] for s in result.signals if s.name == name]


@pytest.fixture(scope="module")
def seed_000() -> tuple[str, SpamResult]:
    text = _read(SEEDS["000"])
    return text, detect_spam(text)


def test_seed_000_is_spam(seed_000: tuple[str, SpamResult]) -> None:
    text, result = seed_000
    _assert_valid(text, result)
    assert result.label == "spam"
    names = {s.name for s in result.signals}
    assert {"spun_text", "keyword_stuffing", "template_residue", "illicit_price"} <= names


def test_seed_000_signal_spans(seed_000: tuple[str, SpamResult]) -> None:
    text, result = seed_000
    stuffing = _quotes(text, result, "keyword_stuffing")
    assert [q.lower() for q in stuffing] == [
        "the best side of ketamine for depression patient information"
    ] * 3
    template = _quotes(text, result, "template_residue")
    assert "Blog Article" in template and "Report this page" in template
    spun = _quotes(text, result, "spun_text")
    assert "Discovering reduction for depression might be a frustrating practical experience." in spun
    assert any(q.startswith("Second, it can help peaceful a A part of the Mind") for q in spun)
    illicit = {text[s.start : s.end] for s in result.signals if s.name == "illicit_price"}
    assert "$15,000/kg" in illicit and "$28" in illicit
    assert all(s.severity == "high" for s in result.signals if s.name == "illicit_price")


def test_seed_000_spun_sentences_are_mostly_in_the_spun_half(seed_000: tuple[str, SpamResult]) -> None:
    """The page is spun up to the back-and-neck paragraph and clean after the side-effects line."""
    text, result = seed_000
    clean_half = text.index("Ketamine is generally considered safe")
    spun = [s for s in result.signals if s.name == "spun_text"]
    assert len(spun) >= 12
    assert sum(s.start < clean_half for s in spun) >= 0.75 * len(spun)


@pytest.mark.parametrize("seed", ["001", "002", "003", "004"])
def test_other_seeds_are_ok(seed: str) -> None:
    text = _read(SEEDS[seed])
    result = detect_spam(text)
    _assert_valid(text, result)
    assert result.label == "ok", result.score


def test_seed_001_link_farm_lines_are_template_residue_but_page_is_ok() -> None:
    text = _read(SEEDS["001"])
    result = detect_spam(text)
    template = _quotes(text, result, "template_residue")
    assert "Recommended Reading: What Is The Main Cause Of Depression Among The Youth" in template
    assert "Also Check: Can Hormone Imbalance Cause Depression" in template
    assert "You May Like: I Can Feel Myself Slipping Into Depression" in template
    assert result.label == "ok"


def test_honest_page_with_related_news_footer_is_ok() -> None:
    text = _read(DATA / "spam_honest_related_news.txt")
    result = detect_spam(text)
    _assert_valid(text, result)
    assert result.label == "ok"
    assert _quotes(text, result, "template_residue") == ["Related news"]


def test_drug_shop_page_is_spam() -> None:
    text = _read(DATA / "spam_drug_shop.txt")
    result = detect_spam(text)
    _assert_valid(text, result)
    assert result.label == "spam"
    shop = _quotes(text, result, "drug_shop")
    assert "No Prescription" in shop and "bitcoin" in shop
    assert "$12,000/kg" in _quotes(text, result, "illicit_price")


def test_a_title_printed_again_is_weaker_evidence_than_a_phrase_woven_into_sentences() -> None:
    title = _quotes(BLOG_CHROME_PAGE, detect_spam(BLOG_CHROME_PAGE), "keyword_stuffing")
    assert len(title) == 3
    assert {s.severity for s in detect_spam(BLOG_CHROME_PAGE).signals if s.name == "keyword_stuffing"} == {
        "low"
    }
    woven = " ".join(
        f"{opening} the best ketamine therapy near me today {closing}."
        for opening, closing in [("Find", "here"), ("We are", "in town"), ("Book", "online"), ("Try", "now")]
    )
    assert {s.severity for s in detect_spam(woven).signals if s.name == "keyword_stuffing"} == {"medium"}


def test_stuffed_page_reports_each_repetition() -> None:
    text = _read(DATA / "spam_stuffed.txt")
    result = detect_spam(text)
    _assert_valid(text, result)
    stuffing = _quotes(text, result, "keyword_stuffing")
    assert len(stuffing) == 5 and {q.lower() for q in stuffing} == {"the best ketamine therapy near me today"}
    assert result.label == "spam"


def test_similar_posts_run_together_with_a_heading() -> None:
    text = _read(SEEDS["002"])
    result = detect_spam(text)
    assert "Similar Posts" in _quotes(text, result, "template_residue")


def test_seed_000_off_topic_paragraph() -> None:
    text = _read(SEEDS["000"])
    off_topic = _quotes(text, detect_spam(text), "off_topic")
    assert any(q.startswith("Back again and neck agony are frequent problems.") for q in off_topic)


def test_template_and_off_topic_alone_never_reach_spam() -> None:
    signals = [SpamSignal("template_residue", i, i + 1, "x", "low") for i in range(10)]
    signals += [SpamSignal("off_topic", i, i + 1, "x") for i in range(10)]
    assert page_score(signals, prose_sentences=100) < SpamRules().threshold


def test_few_spun_sentences_do_not_count() -> None:
    signals = [SpamSignal("spun_text", i, i + 1, "x") for i in range(2)]
    assert page_score(signals, prose_sentences=4) == 0.0


def test_score_grows_with_evidence() -> None:
    one = [SpamSignal("drug_shop", 0, 1, "x")]
    two = [*one, SpamSignal("illicit_price", 2, 3, "x", "high")]
    assert 0 < page_score(one, 10) < page_score(two, 10) <= 1


def test_weights_are_documented_data() -> None:
    assert set(FULL_STRENGTH_COUNT) == SIGNAL_NAMES - {"spun_text", "drug_shop"}
    assert set(MIN_COUNT) <= set(FULL_STRENGTH_COUNT)
    assert all(MIN_COUNT[name] <= FULL_STRENGTH_COUNT[name] for name in MIN_COUNT)
    assert all(0 < w < 1 for w in SIGNAL_WEIGHTS.values())


def test_empty_text_is_ok() -> None:
    assert detect_spam("") == SpamResult(label="ok", score=0.0, signals=())


@pytest.mark.parametrize("path", sorted(CORPORA.glob("*.txt")), ids=lambda p: p.name)
def test_signal_offsets_on_corpus_pages(path: Path) -> None:
    text = _read(path)
    _assert_valid(text, detect_spam(text))


@pytest.mark.parametrize(
    "text",
    [
        "$" * 100_000,
        ("Buy ketamine online = $42. The best ketamine for depression patient information here. " * 120_000)[
            :10_000_000
        ],
        "Кетамин помогает. ケタミンは効く。 🙂🙂 Ketamine works fast!! 价格 $40 العلاج 🧪\n" * 20_000,
        "word " * 2_000_000,
    ],
    ids=["dollar-signs", "10mb-single-line", "mixed-scripts-emoji", "10mb-of-words"],
)
def test_hostile_input_is_bounded_and_valid(text: str) -> None:
    result = detect_spam(text)
    _assert_valid(text, result)
    assert len(result.signals) < 10_000


# Real-page patterns (issue 9), each in our own words: what a spinner, a drug shop or a
# page generator leaves behind, and honest pages that share one surface feature with them.

SPINNER_PAGE = """Ketamine is associate degree anesthetic that has been used for many years in surgical procedure.
Many sufferers with melancholy and worry discover reduction once they attempt ketamine remedy.
Talk to your well being care supplier before you begin any new remedy for melancholy.
Our medical doctors provide a secure and efficient various to typical antidepressants for sufferers.
The infusion mixture is given slowly, and most sufferers really feel peaceful throughout the session.
Ketamine blocks the NMDA sense organ within the mind, which can raise temper inside hours.
Side effects are delicate and fade rapidly once the instillation ends for many sufferers.
Call our facility at this time to learn whether or not ketamine remedy is true for you."""

DRUG_SHOP_PAGE = """Ketamine HCL Crystal
Buy ketamine crystal online with discreet shipping to USA, UK and Australia.
No prescription needed. We accept Bitcoin and other crypto payments.
Price: $90 per gram, $600 for 10 grams, minimum order 5 grams.
Add to cart
Related products"""

PRODUCT_PAGE = """Description
Alprazolam powder
Alprazolam is a benzodiazepine used for anxiety and panic disorder in adults.
It should be taken exactly as the label says and never with alcohol.
Minimum order quantity: 10 grams
Share this product"""

HOW_TO_BUY_PAGE = """Blog
How To Buy Oxycodone Tablets
Oxycodone is a strong painkiller that doctors use after surgery and for severe pain.
It works on opioid receptors in the brain and spinal cord and can cause drowsiness."""

NEAR_ME_PAGE = """Ketamine Clinic Near Me in Springfield
Looking for a ketamine clinic near me? Our team is the best ketamine clinic near me for depression and the top ketamine doctors near me.
Ketamine therapy in Springfield is available for patients in Springfield, Shelbyville and Capital City.
Ketamine therapy in Shelbyville is available for patients in Shelbyville, Ogdenville and North Haverbrook.
Ketamine therapy in Ogdenville is available for patients in Ogdenville, Brockway and Springfield.
Ketamine therapy in Brockway is available for patients in Brockway, Cypress Creek and Shelbyville.
Call today to find ketamine treatment near me and start feeling better."""

GENERATED_PAGE = """Tag: wellness

Infusion Therapy Explained: A Deep Dive

This guide delves into the world of infusion therapy and what it can mean for patients.
In this section, we are going to talk about how infusion therapy works and who it is for.
Infusion therapy is a rapidly evolving field that offers new options for many people.
Understanding the nuances of this approach is crucial for a complete picture of your care.
We will also delve into costs, safety and the evolving landscape of wellness clinics."""

KEYWORD_PASTE_PAGE = """Esketamine is a nasal spray that was approved in 2019 for adults with hard-to-treat depression.
best esketamine clinic online is a treatment given under supervision in a certified office.
Patients stay for two hours after each dose so that staff can check their blood pressure.
Most people feel detached for a while, and best esketamine clinic online is not given at home.
best esketamine clinic online can cause dizziness and nausea on the day of treatment.
The spray is used together with an oral antidepressant chosen by the prescribing doctor."""

BROKEN_GRAMMAR_PAGE = """Esketamine is a drug that is use for depression when other medicines have failed.
Depression can be cause by genes, stress or illness, and it affects millions of people.
The spray was approve in the US and is use as an add-on to an antidepressant.
In this section, we are going to talk about how the drug works in the brain.
Introduction: What is Esketamine and How does it Work?"""

HOMOGLYPH_PAGE = (
    "Tһe clinic ѕaid tһat ᴡe ᴡill ѕee ɑ new ᴡave of patients this year. "
    "Tһis іs a ѕtory about how ketamine ᴡent from the operating room to the strip mall."
)

LINK_INJECTION_SENTENCE = "For more info concerning cheap designer handbags take a look at our own web-site."

HONEST_PRICE_PAGE = """Our fees
Initial consultation with a psychiatrist | $250
Single ketamine infusion | $450
Series of six infusions | $2,400
Spravato session | $900 per treatment
Every patient is assessed by a licensed physician, and a prescription is required for all treatments.
Ketamine is not a cure, and the benefit often fades unless it is part of a wider plan.
Related news"""

HONEST_NEWS_PAGE = """Regulators are looking at websites that let patients order ketamine online after a short video call.
One company said every patient is seen by a licensed clinician and that a prescription is required.
Critics say the checks are too quick, and two states have opened inquiries this year.
The company declined to say how many patients it has treated since it opened last year."""

BLOG_CHROME_PAGE = """What to Expect at Your First Ketamine Infusion Appointment | Harbor Psychiatry
Home > Blog > What to Expect at Your First Ketamine Infusion Appointment
What to Expect at Your First Ketamine Infusion Appointment
Your first visit starts with a check of your blood pressure and a short talk with the nurse.
The infusion takes about forty minutes, and someone must drive you home afterwards.
Some people feel detached or dizzy for an hour; tell the nurse if anything worries you.
Tags: ketamine, first visit
Share this post
Related posts
Leave a comment"""

INVESTIGATION_PAGE = """Reporters ordered ketamine from websites that advertised it "without prescription".
Most of the sites took payment in Bitcoin and shipped nothing; one sold a spray that held no ketamine.
The sites listed ketamine crystals at $20 per gram and charged $180 for a 10 ml bottle.
A pharmacist said real ketamine is only dispensed against a prescription."""

HONEST_RESEARCH_PAGE = """Participants received ketamine 0.5 mg/kg over 40 minutes, and a second group received 0.2 mg/kg.
The authors report that symptoms fell by a third at 24 hours in the higher-dose group.
Blood pressure rose during the infusion and returned to baseline within an hour.
Naïve patients and those with prior exposure responded alike, and no café-style home use was allowed."""

HONEST_LOCATIONS_PAGE = """Our clinics
Our Springfield clinic is open from Monday to Friday, with parking behind the building.
Our Shelbyville clinic is open from Tuesday to Saturday, with parking behind the building.
Our Ogdenville clinic is open from Monday to Thursday, with parking behind the building.
Every clinic has a psychiatrist on site and a nurse in the room during each infusion."""

SLOPPY_HONEST_PAGE = """welcome to our clinic, we are a small team of nurses and one doctor.
we see adults with depression that has not got better with the usual medicines.
each infusion takes about forty minutes and you rest for half an hour after it.
you cannot drive home after the infusion so please bring a friend with you.
we will call you the next day to see how you are doing."""


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        (SPINNER_PAGE, "spun_text"),
        (DRUG_SHOP_PAGE, "drug_shop"),
        (PRODUCT_PAGE, "drug_shop"),
        (HOW_TO_BUY_PAGE, "drug_shop"),
        (NEAR_ME_PAGE, "location_stuffing"),
        (GENERATED_PAGE, "machine_filler"),
        (KEYWORD_PASTE_PAGE, "keyword_insertion"),
        (BROKEN_GRAMMAR_PAGE, "broken_grammar"),
        (HOMOGLYPH_PAGE, "homoglyphs"),
    ],
    ids=[
        "spinner",
        "drug-shop",
        "product-page",
        "how-to-buy",
        "near-me",
        "generated",
        "keyword-paste",
        "broken-grammar",
        "homoglyphs",
    ],
)
def test_real_page_spam_patterns_are_spam(text: str, signal: str) -> None:
    result = detect_spam(text)
    _assert_valid(text, result)
    assert result.label == "spam", (result.score, result.signals)
    assert signal in {s.name for s in result.signals}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(HONEST_PRICE_PAGE, id="price-table"),
        pytest.param(HONEST_NEWS_PAGE, id="news-about-online-sellers"),
        pytest.param(INVESTIGATION_PAGE, id="investigation-of-online-sellers"),
        pytest.param(BLOG_CHROME_PAGE, id="title-printed-three-times-and-blog-footer"),
        pytest.param(HONEST_RESEARCH_PAGE, id="mg-per-kg-dosing"),
        pytest.param(HONEST_LOCATIONS_PAGE, id="clinic-locations"),
        pytest.param(SLOPPY_HONEST_PAGE, id="all-lower-case"),
    ],
)
def test_honest_pages_sharing_one_feature_stay_ok(text: str) -> None:
    result = detect_spam(text)
    _assert_valid(text, result)
    assert result.label == "ok", (result.score, result.signals)


def test_spinner_artefacts_are_flagged_sentence_by_sentence() -> None:
    spun = _quotes(SPINNER_PAGE, detect_spam(SPINNER_PAGE), "spun_text")
    assert any("associate degree anesthetic" in q for q in spun)
    assert any("well being care supplier" in q for q in spun)


def test_drug_shop_cues_name_their_kind() -> None:
    result = detect_spam(DRUG_SHOP_PAGE)
    kinds = {s.detail for s in result.signals if s.name == "drug_shop"}
    assert {
        "shop cue: purchase",
        "shop cue: no_prescription",
        "shop cue: payment_shipping",
        "shop cue: unit_offer",
        "shop cue: shop_layout",
    } <= kinds
    assert "Buy ketamine crystal online" in _quotes(DRUG_SHOP_PAGE, result, "drug_shop")


def test_marketplace_terms_are_shop_cues() -> None:
    """A vendor's listing speaks of escrow, XMR and where it ships, and says a prescription is never needed."""
    page = (
        "Vendor: NorthPole (312 sales)\nShips to: Worldwide\nEscrow enabled, pay in XMR.\n"
        "You never need a prescription to order ketamine from me."
    )
    kinds = [s.detail for s in detect_spam(page).signals if s.name == "drug_shop"]
    assert "shop cue: no_prescription" in kinds
    assert kinds.count("shop cue: payment_shipping") >= 3


@pytest.mark.parametrize(
    "page",
    [
        "Ketamine sold 'no prescription needed' to anyone with a card, a review finds\n\nThe drug is scheduled.",
        "Reporters found 30 websites offering ketamine to U.S. buyers without a prescription last month.",
        "Detectives seized two kilos of ketamine powder and a stack of bitcoin wallets from the flat.",
        "Ketamine is a licensed anaesthetic and its nasal spray cousin is approved for depression. "
        "Neither is allowed to be sold online without a prescription.",
        'Ask our pharmacist: "Is it safe to buy ketamine online?"\n\nShort answer: please do not buy it online.',
        "Owning ketamine without a prescription is a crime in most of the country.",
    ],
)
def test_shop_words_a_news_page_quotes_or_reports_are_no_cue(page: str) -> None:
    assert not [s for s in detect_spam(page).signals if s.name == "drug_shop"]


def test_a_search_query_with_a_place_pasted_into_prose_is_location_stuffing() -> None:
    filler = " ".join(
        f"Our ketamine clinic Tulsa team offers ketamine therapy Tulsa care, round {n}." for n in range(3)
    )
    signals = [s for s in detect_spam(filler).signals if s.name == "location_stuffing"]
    assert len(signals) >= 5 and "Tulsa" in signals[0].detail
    honest = "Our ketamine clinic in Tulsa offers infusions. Ketamine Clinic Tulsa is open on Saturdays."
    assert not [s for s in detect_spam(honest).signals if s.name == "location_stuffing"]


def test_one_kind_of_shop_language_is_not_enough() -> None:
    text = "Some websites now let people buy ketamine online, doctors warn. " * 3
    result = detect_spam(text)
    assert {s.name for s in result.signals} == {"drug_shop"}
    assert result.label == "ok"


def test_prescription_step_caps_shop_language() -> None:
    text = (
        "Order your at-home ketamine treatment online.\nDiscreet packaging to your door.\n"
        "A licensed clinician reviews every request, and a prescription is required."
    )
    assert detect_spam(text).label == "ok"
    assert (
        detect_spam(text.replace("a prescription is required", "no prescription is needed")).label == "spam"
    )


def test_a_research_chemical_disclaimer_on_a_controlled_drug_is_a_shop_cue() -> None:
    """A grey-market shop's "for research only" line is a cue of its own kind beside how it is paid, when what
    it sells is scheduled (an analogue); a peptide seller's copy of the line is not."""
    page = (
        "Home | Dissociatives\n\nMXE crystals, 1 g: $45\n\n"
        "Paid in Litecoin or Bitcoin only.\n"
        "Supplied solely for analytical purposes; not for human consumption."
    )
    result = detect_spam(page)
    kinds = {s.detail for s in result.signals if s.name == "drug_shop"}
    assert {"shop cue: research_disclaimer", "shop cue: payment_shipping"} <= kinds
    assert result.label == "spam"
    peptide = detect_spam(page.replace("MXE crystals", "BPC-157 vial"))
    assert "shop cue: research_disclaimer" not in {s.detail for s in peptide.signals}


def test_a_supplier_that_sells_only_to_licensed_buyers_is_not_a_drug_shop() -> None:
    """A wholesaler's product page has a cart and a per-vial price, but checks a practitioner's licence first."""
    page = (
        "Ketamine HCl injection, 10 mL vial\nPrice: $19.50 / vial\nIn stock\n\n"
        "Sold only to licensed veterinarians whose DEA registration we have verified. Rx only."
    )
    assert detect_spam(page).label == "ok"
    unverified = page.replace(
        "Sold only to licensed veterinarians whose DEA registration we have verified. Rx only.", ""
    )
    assert detect_spam(unverified + "No prescription needed, ships overnight.").label == "spam"


def test_homoglyph_spans_are_the_disguised_words() -> None:
    words = _quotes(HOMOGLYPH_PAGE, detect_spam(HOMOGLYPH_PAGE), "homoglyphs")
    assert "tһat" in words and "ᴡill" in words
    assert "patients" not in words and "ketamine" not in words


def test_accented_latin_and_ligatures_are_not_homoglyphs() -> None:
    text = "Naïve café patients in Zürich and São Paulo were ﬁne after the ﬁrst infusion. " * 5
    assert "homoglyphs" not in {s.name for s in detect_spam(text).signals}


def test_injected_link_sentence_is_reported_but_alone_is_not_spam() -> None:
    text = f"Our clinic treats adults with depression. {LINK_INJECTION_SENTENCE} We are open on weekdays."
    result = detect_spam(text)
    assert _quotes(text, result, "link_injection") == [LINK_INJECTION_SENTENCE[:-1]]
    assert result.label == "ok"


def test_keyword_paste_reports_sentences_and_recurrences() -> None:
    result = detect_spam(KEYWORD_PASTE_PAGE)
    quotes = _quotes(KEYWORD_PASTE_PAGE, result, "keyword_insertion")
    assert sum(q.startswith("best esketamine clinic online is") for q in quotes) == 1
    assert "best esketamine clinic" in quotes  # its opening words, pasted again mid-sentence


LEAD_IN_LIST_PAGE = """Who should wait
Infusions are not right for everyone. Your first visit is a long talk with the doctor about your health.
She reads the notes from your other doctors before the day of the infusion. A nurse checks your blood pressure \
at the start and every ten minutes. Most people feel strange for an hour and then go home with a friend.
The clinic calls the next day to ask how you are. Some people need a second talk before they start.
Bring a list of the medicines you take. Eat a light meal the night before and nothing on the morning itself.
Wear loose clothes, since the chair reclines and the room is kept cool. Plan to rest for the rest of the day.
Nobody may drive you home but a friend or a taxi you booked. We will not start treatment if you:
are pregnant or nursing
have untreated high blood pressure
have had a stroke in the past year

The board ordered that the clinic shall:
a. pay a fine of $2,000 within sixty days;
b. take down every advert that names an approval it does not have;
c. send the board its new adverts for a year.
"""


def test_items_completing_a_lead_in_are_no_pasted_keywords() -> None:
    """A list that finishes its lead-in's sentence starts each line in lower case by grammar."""
    result = detect_spam(LEAD_IN_LIST_PAGE)
    assert _quotes(LEAD_IN_LIST_PAGE, result, "keyword_insertion") == []
    assert result.label == "ok"


def test_lower_case_prose_after_the_list_ends_is_still_read() -> None:
    text = (
        LEAD_IN_LIST_PAGE
        + "\nbest iv clinic near town is here for you. Call the best iv clinic near town today.\n"
    )
    quotes = _quotes(text, detect_spam(text), "keyword_insertion")
    assert any(q.startswith("best iv clinic near town is here") for q in quotes)


def test_templated_sentences_need_different_names() -> None:
    result = detect_spam(NEAR_ME_PAGE)
    templated = _quotes(NEAR_ME_PAGE, result, "templated_sentences")
    assert len(templated) == 4 and all(q.startswith("Ketamine therapy in ") for q in templated)


SEARCH_PHRASE_PAGE = """Ketamine Doctors Near Me | Riverton
Searching for ketamine doctors near me? Riverton families choose our ketamine doctors near me.
Our ketamine treatment near me helps with low mood, and our ketamine infusion near me is affordable.
Find the right ketamine provider near me today, because the best ketamine near me is one call away.
Ketamine doctors near me, open late."""


def test_a_search_phrase_repeated_through_the_page_is_spam_on_its_own() -> None:
    """Local-search filler need not reuse one sentence skeleton: "near me" six times is writing for a search engine."""
    result = detect_spam(SEARCH_PHRASE_PAGE)
    assert {s.name for s in result.signals} == {"location_stuffing"}
    assert result.label == "spam", result.score


def test_a_clinic_page_saying_near_me_twice_is_ok() -> None:
    text = (
        "Looking for a ketamine clinic near me? Our nurses monitor every infusion.\n"
        "Patients who live near me, the practice manager, often walk in. Infusions take forty minutes."
    )
    assert detect_spam(text).label == "ok"


def test_repeated_sentence_counts_once_for_spun_share() -> None:
    sentence = "Talk to your well being care supplier before you begin any new remedy for melancholy."
    clean = "Our nurses check your blood pressure every ten minutes during the infusion."
    text = " ".join([sentence] * 4 + [clean] * 8)
    assert len(_quotes(text, detect_spam(text), "spun_text")) <= 1


def test_the_spam_threshold_is_configuration() -> None:
    """A stricter ``[spam]`` threshold turns a spam page ok; reports record it (see test_settings)."""
    assert detect_spam(DRUG_SHOP_PAGE).label == "spam"
    assert detect_spam(DRUG_SHOP_PAGE, rules=replace(SpamRules(), threshold=1.01)).label == "ok"


@pytest.mark.parametrize(
    "text",
    [DRUG_SHOP_PAGE, PRODUCT_PAGE, HOW_TO_BUY_PAGE, GENERATED_PAGE, _read(DATA / "spam_drug_shop.txt")],
    ids=["drug-shop", "product-page", "how-to-buy", "generated", "spam-drug-shop-file"],
)
def test_page_prefilters_never_skip_a_match(text: str) -> None:
    shop = spam_cues._shop_patterns()
    patterns = [*shop.cues.values(), shop.purchase_heading, spam_cues._FILLER_RE, spam_cues._RX_STEP_RE]
    for pattern in patterns:
        for match in pattern.finditer(text):
            assert may_find(pattern, fold(match.group())), (pattern.pattern[:60], match.group())


def test_cues_of_a_page_without_their_literals_are_not_searched() -> None:
    text = "Ketamine infusions at our clinic ease depression for most patients within hours."
    assert not may_find(spam_cues._FILLER_RE, fold(text))
    assert list(spam_cues.machine_filler(text)) == []
    assert list(spam_cues.drug_shop(text)) == []
    assert not spam_cues.has_prescription_step(text)


@pytest.mark.parametrize(
    "paragraphs",
    [
        [_read(path) for path in sorted(SEEDS.values())],
        [line for line in _read(SEEDS["000"]).splitlines() if line.strip()],
        [
            "Ketamine ketamine KETAMINE infusions relieve depression.",
            "Café naïve résumé clinics 2024 42",
            "a an",
        ],
        ["the and of", "12 345"],  # stop words and numbers only: no term at all
    ],
    ids=["seed-pages", "seed-000-lines", "repeats-and-accents", "no-term"],
)
def test_paragraph_tfidf_is_sklearns_fit_transform_to_the_last_bit(paragraphs: list[str]) -> None:
    vectorizer = _paragraph_vectorizer()
    try:
        expected = vectorizer.fit_transform(paragraphs)
    except ValueError:  # sklearn's "empty vocabulary"
        assert paragraph_tfidf(paragraphs) is None
        return
    fitted = paragraph_tfidf(paragraphs)
    assert fitted is not None
    matrix, terms = fitted
    assert matrix.shape == expected.shape
    assert matrix.indptr.tolist() == expected.indptr.tolist()
    assert matrix.indices.tolist() == expected.indices.tolist()
    assert matrix.data.tobytes() == expected.data.tobytes()
    assert terms.tolist() == vectorizer.get_feature_names_out().tolist()


QUERY_LIST_PAGE = """Top Ketamine Therapy in Millbrook | Ketamine Near You
Millbrook residents trust our team for ketamine care in Millbrook and nearby towns.
Ketamine clinic Millbrook. Ketamine infusion Millbrook. Ketamine doctor Millbrook. Ketamine for anxiety Millbrook. Ketamine cost Millbrook.
Our ketamine therapy in Millbrook is gentle and personal."""


def test_search_queries_pasted_as_fragments_are_a_keyword_list_and_spam() -> None:
    result = detect_spam(QUERY_LIST_PAGE)
    fragments = _quotes(QUERY_LIST_PAGE, result, "keyword_list")
    assert fragments[0] == "Ketamine clinic Millbrook." and len(fragments) == 5
    assert result.label == "spam", result.score


def test_a_list_of_conditions_or_a_tagline_is_no_keyword_list() -> None:
    text = (
        "We treat many conditions. Depression. Anxiety. Chronic pain. Bipolar depression.\n"
        "Safe. Effective. Affordable. Close to home.\n"
        "Gentle care. Real results. Every visit.\n"
        "Real people. Real results. Real hope.\n"
        "No waiting rooms. No referrals. No judgment."
    )
    assert "keyword_list" not in {s.name for s in detect_spam(text).signals}


def test_keyword_fragments_on_separate_lines_are_no_run() -> None:
    """Lines of a menu or a heading list each stand alone; the run must share one line."""
    text = "Ketamine clinic Millbrook.\nKetamine infusion Millbrook.\nKetamine doctor Millbrook.\n"
    assert "keyword_list" not in {s.name for s in detect_spam(text).signals}


HACKED_CLINIC_PAGE = """Stem Cell Injections for Knee Pain

Our physicians inject concentrated cells from your own bone marrow into the knee joint under ultrasound guidance. The procedure takes about an hour and most patients walk out of the clinic the same day.

Try your luck at the most trusted online casino of the season: hundreds of slots, live roulette and poker tables, a welcome bonus on your first deposit and free spins every weekend for loyal players.

Evidence for these injections in knee osteoarthritis is still limited, and the FDA has not approved any stem cell product for joint pain.

Bad credit is no problem for our partner lenders, who approve a payday loan or a cash advance in minutes and send the money to your account before the end of the day, with no credit check at all.

Ask our team whether the treatment suits your knee."""


def test_paragraphs_on_a_spam_subject_spliced_into_a_clinic_page_make_it_spam() -> None:
    result = detect_spam(HACKED_CLINIC_PAGE)
    inserted = _quotes(HACKED_CLINIC_PAGE, result, "inserted_topic")
    assert [q.split()[:2] for q in inserted] == [["Try", "your"], ["Bad", "credit"]]
    details = [s.detail for s in result.signals if s.name == "inserted_topic"]
    assert "gambling" in details[0] and "lending" in details[1]
    assert result.label == "spam", result.score


def test_one_inserted_paragraph_is_reported_but_is_not_enough() -> None:
    text = HACKED_CLINIC_PAGE.split("\n\nBad credit")[0]
    result = detect_spam(text)
    assert len(_quotes(text, result, "inserted_topic")) == 1 and result.label == "ok", result.score


@pytest.mark.parametrize(
    "paragraph",
    [
        # a clinic that treats gambling names its patients and its therapy in the same paragraph
        "We also treat gambling disorder: people who bet on sports, play slots or poker online and chase"
        " their losses with a bigger wager often hide it, and counselling helps them notice the urge.",
        # loans discussed as what patients do to pay for care
        "Because insurers rarely pay, many patients borrow from lenders offering medical loans, and they"
        " should read the APR before they repay anything, a consumer group warns in its new report.",
    ],
)
def test_a_spam_subject_discussed_in_the_pages_own_terms_is_no_insertion(paragraph: str) -> None:
    text = HACKED_CLINIC_PAGE.split("\n\nTry your luck")[0] + "\n\n" + paragraph
    assert "inserted_topic" not in {s.name for s in detect_spam(text).signals}


def test_a_page_wholly_on_a_spam_subject_has_nothing_inserted_into_it() -> None:
    """With no paragraph on a subject of its own, a casino page is off this tool's beat, not a hacked page."""
    paragraphs = HACKED_CLINIC_PAGE.split("\n\n")
    text = paragraphs[2] + "\n\n" + paragraphs[4]
    assert "inserted_topic" not in {s.name for s in detect_spam(text).signals}


def test_one_town_named_over_and_over_is_location_stuffing() -> None:
    """A doorway page is written for a search on its town; an honest location page names the town a few times."""
    doorway = (
        "Looking for infusions in Brackett Mills? We offer infusions in Brackett Mills for people in Brackett Mills "
        "and around Brackett Mills. Patients in Brackett Mills love us. Care in Brackett Mills is fast. "
        "Book in Brackett Mills today. Open in Brackett Mills on weekends. Parking in Brackett Mills is free."
    )
    signals = [s for s in detect_spam(doorway).signals if s.name == "location_stuffing"]
    assert signals and "Brackett Mills" in signals[0].detail
    assert detect_spam(doorway).label == "spam"
    honest = (
        "Our office in Brackett Mills opened in 2021. Parking in Brackett Mills is on Elm Street. " * 1
        + ("We see adults with depression that has not responded to two medicines. " * 12)
    )
    assert "location_stuffing" not in {s.name for s in detect_spam(honest).signals}


def test_an_unfilled_template_placeholder_is_template_residue() -> None:
    text = "We serve patients across {county_name} and nearby.\nVisit us at {nearest_clinic_address} today."
    quotes = _quotes(text, detect_spam(text), "template_residue")
    assert "{county_name}" in quotes and "{nearest_clinic_address}" in quotes
