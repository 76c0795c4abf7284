"""Tests for claimcheck.signals.prices: amounts, ranges, units, items, offers and illicit sales."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.records import Price
from claimcheck.signals.currencies import currencies
from claimcheck.signals.prices import MAX_PRICES, find_prices

CORPORA = Path(__file__).parent.parent / "corpora"
DATA = Path(__file__).parent / "data"
SEED_000 = CORPORA / "000_4b0f3c6d6a0af338.txt"
SEED_001 = CORPORA / "001_b75484fee7bd1750.txt"


def _only(text: str) -> Price:
    prices = find_prices(text)
    assert len(prices) == 1, prices
    return prices[0]


def _assert_valid(text: str, prices: tuple[Price, ...]) -> None:
    for p in prices:
        assert 0 <= p.start < p.end <= len(text)
        assert text[p.start : p.end] == p.text
        assert (p.amount is None) == (p.low is not None and p.high is not None)
        if p.low is not None and p.high is not None:
            assert p.low < p.high


def test_seed_000_price_list_item_by_item() -> None:
    text = SEED_000.read_text(encoding="utf-8")
    listed = {
        p.item: p for p in find_prices(text) if p.item and "=" in text[text.rfind("\n", 0, p.start) : p.start]
    }
    assert {item: p.amount for item, p in listed.items()} == {
        "liquid ketamine (infusion)": 25,
        "ketamine tablet": 42,
        "ketamine nasal spray": 100,
        "ketamine powder (1mg)": 40,
        "ketamine powder (1kg and above)": 15000,
        "testosterone enanthate": 28,
        "testosterone cypionate": 25,
    }
    powder = listed["ketamine powder (1kg and above)"]
    assert (powder.text, powder.unit, powder.illicit) == ("$15,000/kg", "kg", True)
    assert listed["testosterone enanthate"].illicit and listed["testosterone cypionate"].illicit
    assert all(p.currency == "USD" and not p.offer for p in listed.values())


def test_seed_000_prose_prices_are_not_illicit() -> None:
    text = SEED_000.read_text(encoding="utf-8")
    prose = [p for p in find_prices(text) if not p.illicit]
    assert [(p.text, p.amount, p.low, p.high) for p in prose] == [
        ("$25", 25, None, None),
        ("$150 to $200", None, 150, 200),
    ]
    assert prose[0].item == "infusion" and prose[0].unit == "infusion"
    assert prose[1].item is not None and "six infusions over 3 weeks" in prose[1].item


def test_seed_001_voucher_is_an_offer() -> None:
    text = SEED_001.read_text(encoding="utf-8")
    voucher = next(p for p in find_prices(text) if p.text == "$100 off")
    assert voucher.amount == 100 and voucher.offer and not voucher.illicit
    assert "Voucher worth $100 off" in text[voucher.start - 20 : voucher.end]


@pytest.mark.parametrize(
    ("text", "money", "low", "high"),
    [
        ("Expect to pay $150 to $200 in total.", "$150 to $200", 150, 200),
        ("Sessions range from $300-$1,500.", "$300-$1,500", 300, 1500),
        ("Boosters are $400–$550.", "$400–$550", 400, 550),
        ("Most clinics charge between $400 and $800.", "$400 and $800", 400, 800),
        ("A course costs $2,400 to 6,000 overall.", "$2,400 to 6,000", 2400, 6000),
        ("Prices: €90 - €120.", "€90 - €120", 90, 120),
    ],
)
def test_ranges(text: str, money: str, low: float, high: float) -> None:
    price = _only(text)
    assert (price.text, price.low, price.high, price.amount) == (money, low, high, None)


def test_and_without_between_is_two_prices() -> None:
    prices = find_prices("The tablet is $40 and the spray is $90.")
    assert [p.amount for p in prices] == [40, 90]


def test_descending_pair_is_not_a_range() -> None:
    assert [p.amount for p in find_prices("It went from $500 to $300 after the sale.")] == [500, 300]


@pytest.mark.parametrize(
    ("text", "money", "unit"),
    [
        ("Bulk powder = $15,000/kg", "$15,000/kg", "kg"),
        ("Powder from the EU warehouse: €40 per gram", "€40 per gram", "g"),
        ("Membership is $199 a month.", "$199 a month", "month"),
        ("Each visit is $450 per infusion.", "$450 per infusion", "infusion"),
        ("Therapy costs $160 per session.", "$160 per session", "session"),
        ("Vials: $35/vial", "$35/vial", "vial"),
        ("Plans from $129/mo.", "$129/mo", "month"),
        ("The package is $1,900 for the full course of care.", "$1,900", "course"),
    ],
)
def test_units(text: str, money: str, unit: str) -> None:
    price = _only(text)
    assert (price.text, price.unit) == (money, unit)


@pytest.mark.parametrize(
    ("text", "currency", "amount"),
    [
        ("USD 1,999 for the full series", "USD", 1999),
        ("US$300 per visit", "USD", 300),
        ("A session is 1,999 dollars.", "USD", 1999),
        ("Infusion €350 in Paris", "EUR", 350),
        ("It costs 40 EUR here.", "EUR", 40),
        ("London price £299", "GBP", 299),
        ("GBP 120 for a consultation", "GBP", 120),
        ("Canada: C$500", "CAD", 500),
        ("Budget $2.5k for the course", "USD", 2500),
        ("Berlin: €1.234,50 in total", "EUR", 1234.5),
        ("Each pill is $0.99.", "USD", 0.99),
    ],
)
def test_currencies_and_amounts(text: str, currency: str, amount: float) -> None:
    price = _only(text)
    assert price.currency == currency and price.amount == pytest.approx(amount)


@pytest.mark.parametrize(
    ("text", "offer"),
    [
        ("New patients get $100 off their first infusion.", True),
        ("Book now for only $375.", True),
        ("Buy the package and save $270.", True),
        ("Claim your voucher for $100 of any series.", True),
        ("Pay $200 per month with 0% interest.", True),
        ("With the maker's savings card, some patients pay as little as $10 per dose.", True),
        ("A series can cost $180 a month with approved credit.", True),
        ("New clients pay $79 for the first drip with code HELLO.", True),
        ("The starter box is $60 for first-time customers.", True),
        ("An infusion costs about $450.", False),
        ("Most clinics charge between $400 and $800.", False),
    ],
)
def test_offers(text: str, offer: bool) -> None:
    assert _only(text).offer is offer


def test_save_is_part_of_the_money_text() -> None:
    price = _only("Six-infusion package (SAVE $270!!)")
    assert (price.text, price.amount, price.offer) == ("SAVE $270", 270, True)


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("Series of six infusions | $2,400", "Series of six infusions"),
        ("• ketamine powder ( 1kg and above) = $15,000/kg", "ketamine powder (1kg and above)"),
        ("Maintenance infusion: $475 each", "Maintenance infusion"),
        ("Without insurance, an infusion costs about $25.", "infusion"),
        ("That comes to $150 to $200 for the six infusions.", "six infusions"),
        ("A typical first course of six infusions can therefore cost $2,400 to $6,000.", None),
        ("Patients can join the Harborline Membership for $199 a month.", "Harborline Membership"),
    ],
)
def test_items(text: str, item: str | None) -> None:
    found = _only(text).item
    if item is None:
        assert found is not None and "course of six infusions" in found
    else:
        assert found == item


def test_table_cells_run_together() -> None:
    prices = find_prices("Infusion$450Series$2,400Booster$425")
    assert [(p.item, p.amount) for p in prices] == [("Infusion", 450), ("Series", 2400), ("Booster", 425)]


def test_clinic_table_page() -> None:
    text = (DATA / "prices_clinic_table.txt").read_text(encoding="utf-8")
    prices = find_prices(text)
    _assert_valid(text, prices)
    assert not any(p.illicit for p in prices)
    by_text = {p.text: p for p in prices}
    assert by_text["$450 per infusion"].item == "Single IV ketamine infusion"
    assert by_text["$400–$550"].item == "Booster infusion"
    assert by_text["$100 off"].offer and by_text["$99 a month"].offer
    assert (by_text["$600 and $900 per session"].low, by_text["$600 and $900 per session"].high) == (600, 900)


def test_shop_page_prescription_drugs_are_illicit() -> None:
    text = (DATA / "prices_shop.txt").read_text(encoding="utf-8")
    prices = find_prices(text)
    _assert_valid(text, prices)
    drugs = [p for p in prices if p.item and p.item.split()[0] != "orders"]
    assert [p.illicit for p in drugs] == [True] * 5
    delivery = next(p for p in prices if p.amount == 250)
    assert delivery.offer and not delivery.illicit
    assert next(p for p in prices if p.currency == "EUR").unit == "g"


def test_bulk_controlled_substance_is_illicit_even_in_prose() -> None:
    assert _only("On the street, ketamine powder sells for $20 per gram.").illicit


def test_a_brand_name_of_a_controlled_drug_is_a_controlled_drug() -> None:
    """Ketalar is ketamine sold under its brand name: vials of it listed for sale are no clinic fee."""
    assert _only("Ketalar 500 mg vials, box of ten: $280").illicit


def test_rx_drug_with_prescription_step_is_not_illicit() -> None:
    text = "Testosterone cypionate 10ml: $60\nA prescription is required for every order."
    assert not _only(text).illicit


def test_clinic_service_with_a_controlled_drug_is_not_illicit() -> None:
    assert not _only("Ketamine infusion: $450").illicit


@pytest.mark.parametrize(
    "line",
    [
        "Spravato: $590 per treatment",
        "Ketamine-assisted psychotherapy: $650",
        "IV ketamine at our clinic | $2,750 for a six-infusion series | two weeks",
    ],
)
def test_a_fee_for_care_is_not_a_drug_for_sale(line: str) -> None:
    assert not _only(line).illicit


def test_a_shop_product_card_names_the_drug_its_size_lines_price() -> None:
    """Each size line names only a quantity; the drug is the card's heading, lines above."""
    shop = (
        "Order online, no prescription needed. Bitcoin accepted.\n\n"
        "Ketamine HCl (crystal form)\nLab purity 99%\nShips the same day\n"
        "2 g - $45\n5 g - $95\n20 g - $300\n50 g - $640\n100 g - $1,100\n\n"
        "Shipping\nTracked courier - $25"
    )
    assert [(p.text, p.illicit) for p in find_prices(shop)] == [
        ("$45", True),
        ("$95", True),
        ("$300", True),
        ("$640", True),
        ("$1,100", True),
        ("$25", False),
    ]
    clinic = shop.replace("Order online, no prescription needed. Bitcoin accepted.", "Our clinic")
    assert not any(p.illicit for p in find_prices(clinic)), "a card's heading is read on a shop page only"


def test_a_price_on_its_own_line_under_a_shop_product_card_is_that_drugs_listing() -> None:
    shop = (
        "Card or crypto accepted. No prescription needed.\n\n"
        "Ketamine Mist Kit (10 mL)\n$175\nOur calming mist for stressful days.\n\n"
        "Ketamine Mist Kit, 3-Pack\n$480 (you save $45)"
    )
    assert [(p.text, p.illicit) for p in find_prices(shop)][:2] == [("$175", True), ("$480", True)]


def test_a_drug_priced_by_the_pill_on_a_shop_page_is_for_sale_even_in_prose() -> None:
    shop = "No doctor, no prescription. Sildenafil 50mg just $0.80 per pill, tadalafil $1.25 per pill."
    assert [p.illicit for p in find_prices(shop)] == [True, True]
    clinic = "Spravato costs about $300 per dose at the clinic, billed to insurance."
    assert not _only(clinic).illicit


def test_a_dose_by_body_weight_is_not_a_drug_sold_by_weight() -> None:
    table = "Service | Fee\nKetamine infusion, 0.5 mg/kg over 40 minutes | $475\nFollow-up visit | $150"
    assert not any(p.illicit for p in find_prices(table))


def test_a_warning_about_bulk_sellers_does_not_make_a_cost_guide_a_shop() -> None:
    """A bulk listing taints the prices of its own block (a shop's price list), not the whole page."""
    guide = (
        "What patients pay:\n- IV ketamine infusion: $450\n- Ketamine therapy, first visit: $350\n\n"
        "Street sellers ask $12,000/kg for ketamine powder in bulk; buying it is a crime."
    )
    prices = find_prices(guide)
    assert [(p.text, p.illicit) for p in prices] == [("$450", False), ("$350", False), ("$12,000/kg", True)]
    shop = guide.replace("\n\n", "\n")
    assert [p.illicit for p in find_prices(shop)] == [True, True, True]


@pytest.mark.parametrize("path", sorted(CORPORA.glob("*.txt")), ids=lambda p: p.name)
def test_offsets_on_corpus_pages(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    _assert_valid(text, find_prices(text))


def test_nothing_to_pay_is_no_price() -> None:
    prices = find_prices("The first consultation is free ($0), and a series of six comes $100 off.")
    assert [p.text for p in prices] == ["$100 off"]


def test_no_money_no_prices() -> None:
    assert find_prices("") == ()
    assert find_prices("Six infusions over 3 weeks; 75% of patients respond.") == ()


@pytest.mark.parametrize(
    "text",
    [
        "$" * 100_000,
        ("Ketamine tablet = $42 and more words here " * 250_000)[:10_000_000],
        "word " * 2_000_000,
        "$" + "9" * 1_000_000,
        "$1-" * 300_000,
        "Кетамин $40 🙂 ケタミン €30 per gram 价格 £500 تجربة 🧪 " * 20_000,
    ],
    ids=[
        "dollar-signs",
        "10mb-line-of-prices",
        "10mb-of-words",
        "million-digits",
        "dash-chain",
        "mixed-scripts",
    ],
)
def test_hostile_input_is_bounded_and_valid(text: str) -> None:
    prices = find_prices(text)
    assert len(prices) <= MAX_PRICES
    _assert_valid(text, prices)
    assert all(p.item is None or len(p.item) <= 100 for p in prices)


def test_mixed_scripts_keep_currencies() -> None:
    prices = find_prices("Кетамин $40 🙂 ケタミン €30 per gram 价格 £500")
    assert [(p.currency, p.amount, p.unit) for p in prices] == [
        ("USD", 40, None),
        ("EUR", 30, "g"),
        ("GBP", 500, None),
    ]


# --- currencies and number formats (issue 15) ----------------------------------------------------

Expected = tuple[str, str, float | None, float | None, float | None, str | None, bool]


def _described(text: str) -> list[Expected]:
    return [(p.text, p.currency, p.amount, p.low, p.high, p.unit, p.offer) for p in find_prices(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # USD
        (
            "Walk-ins pay $1 298,00 for the full workup.",
            [("$1 298,00", "USD", 1298.0, None, None, None, False)],
        ),
        (
            "Each follow-up is 85 USD per session.",
            [("85 USD per session", "USD", 85.0, None, None, "session", False)],
        ),
        # EUR, French and German style
        ("La séance coûte 3 173,00 € chez nous.", [("3 173,00 €", "EUR", 3173.0, None, None, None, False)]),
        ("Die Infusion kostet 1.234,50 EUR.", [("1.234,50 EUR", "EUR", 1234.5, None, None, None, False)]),
        ("Forfait : 2\u00a0400 € par cure", [("2\u00a0400 €", "EUR", 2400.0, None, None, None, False)]),
        # GBP
        (
            "Harley Street price: £1,150 per infusion",
            [("£1,150 per infusion", "GBP", 1150.0, None, None, "infusion", False)],
        ),
        (
            "The assessment is 250 pounds sterling.",
            [("250 pounds sterling", "GBP", 250.0, None, None, None, False)],
        ),
        # CAD
        ("Toronto sessions run C$640 each.", [("C$640", "CAD", 640.0, None, None, None, False)]),
        (
            "Vancouver: 700 Canadian dollars a visit",
            [("700 Canadian dollars a visit", "CAD", 700.0, None, None, "visit", False)],
        ),
        # AUD
        ("Sydney package A$5,200 for six", [("A$5,200", "AUD", 5200.0, None, None, None, False)]),
        ("Melbourne, AUD 480/session", [("AUD 480/session", "AUD", 480.0, None, None, "session", False)]),
        # MXN
        (
            "Tijuana clinic: MXN 9,500 per infusion",
            [("MXN 9,500 per infusion", "MXN", 9500.0, None, None, "infusion", False)],
        ),
        (
            "Cancún: MX$12,000 for the weekend program",
            [("MX$12,000", "MXN", 12000.0, None, None, None, False)],
        ),
        ("Guadalajara charges 8 000 pesos.", [("8 000 pesos", "MXN", 8000.0, None, None, None, False)]),
        # CHF, with the Swiss apostrophe
        (
            "Geneva: CHF 1'450.50 per session",
            [("CHF 1'450.50 per session", "CHF", 1450.5, None, None, "session", False)],
        ),
        (
            "Lugano charges 980 Fr. per visit",
            [("980 Fr. per visit", "CHF", 980.0, None, None, "visit", False)],
        ),
        # PLN
        ("Kraków: 33,68 zł per dose", [("33,68 zł per dose", "PLN", 33.68, None, None, "dose", False)]),
        ("Gdańsk: 1 200 PLN for the series", [("1 200 PLN", "PLN", 1200.0, None, None, "series", False)]),
        # Indian grouping
        ("Mumbai package ₹1,50,000 all inclusive", [("₹1,50,000", "INR", 150000.0, None, None, None, False)]),
        ("Delhi consult Rs. 2,500", [("Rs. 2,500", "INR", 2500.0, None, None, None, False)]),
        # currencies written after the amount, or as local symbols
        (
            "Moscow: 65 000 руб. per course",
            [("65 000 руб. per course", "RUB", 65000.0, None, None, "course", False)],
        ),
        (
            "Kyiv: грн. 27.00 per tablet",
            [("грн. 27.00 per tablet", "UAH", 27.0, None, None, "tablet", False)],
        ),
        ("Tel Aviv: ₪ 115 per visit", [("₪ 115 per visit", "ILS", 115.0, None, None, "visit", False)]),
        ("Minsk: 11,33 Br per vial", [("11,33 Br per vial", "BYN", 11.33, None, None, "vial", False)]),
        ("Belize: 1 BZ$ per test strip", [("1 BZ$", "BZD", 1.0, None, None, None, False)]),
        (
            "Dubai: Dh 1,800 per infusion",
            [("Dh 1,800 per infusion", "AED", 1800.0, None, None, "infusion", False)],
        ),
        (
            "Stockholm: 2 400 kr per session",
            [("2 400 kr per session", "SEK", 2400.0, None, None, "session", False)],
        ),
        (
            "São Paulo: R$ 1.500,00 per session",
            [("R$ 1.500,00 per session", "BRL", 1500.0, None, None, "session", False)],
        ),
    ],
)
def test_currencies_and_number_formats(text: str, expected: list[Expected]) -> None:
    assert _described(text) == expected


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Back pain costs the country $134.5 billion a year.", 134.5e9),
        ("The chain raised $40 million.", 40e6),
        ("A budget of $2.5k covers it.", 2500),
        ("Revenue hit €1.2bn last year.", 1.2e9),
        ("The franchise fee is $250K.", 250_000),
        ("Spending reached ₹3 crore.", 3e7),
        ("They paid 5 thousand dollars.", 5000),
    ],
)
def test_magnitude_words_multiply(text: str, amount: float) -> None:
    assert _only(text).amount == pytest.approx(amount)


@pytest.mark.parametrize(
    ("text", "money", "currency", "low", "high"),
    [
        ("Follow-ups cost between 90 and 140 euros.", "90 and 140 euros", "EUR", 90, 140),
        ("Boosters are 990 € – 1 190 € each.", "990 € – 1 190 €", "EUR", 990, 1190),
        ("Expect 300–500 € per visit.", "300–500 €", "EUR", 300, 500),
        ("Geneva charges CHF 200 - 350.", "CHF 200 - 350", "CHF", 200, 350),
        ("The build-out cost $1–2 million.", "$1–2 million", "USD", 1e6, 2e6),
        ("Most pay between $400 and $800.", "$400 and $800", "USD", 400, 800),
        ("Warsaw: 400-600 zł per visit.", "400-600 zł", "PLN", 400, 600),
    ],
)
def test_ranges_in_other_currencies(text: str, money: str, currency: str, low: float, high: float) -> None:
    price = _only(text)
    assert (price.text.split(" per ")[0], price.currency, price.amount) == (money, currency, None)
    assert (price.low, price.high) == (pytest.approx(low), pytest.approx(high))


def test_bare_number_after_a_range_separator_that_counts_time_is_not_a_range() -> None:
    assert _described("A dose is $25 to 30 minutes of your day.")[0][:3] == ("$25", "USD", 25.0)


# --- old and new prices ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "old", "new"),
    [
        ("Spring offer: was $599 now $549.", 599, 549),
        ("Package $ 599.00 549.00 (limited)", 599, 549),
        ("Now £450 (was £520)", 520, 450),
        ("Prepay the series for €1,980 instead of €2,200.", 2200, 1980),
        ("Regular price 1.250,50 €, now 1.090,00 € for returning patients.", 1250.5, 1090),
        ("Infusion ~~$500~~ $425", 500, 425),
        ("Angebot: 349,00 € 299,00 €", 349, 299),
    ],
)
def test_old_and_new_prices_are_both_reported_and_the_lower_is_the_offer(
    text: str, old: float, new: float
) -> None:
    prices = {p.amount: p for p in find_prices(text)}
    assert set(prices) == {old, new}
    assert prices[new].offer and not prices[old].offer


def test_table_with_regular_and_reduced_columns_pairs_each_row() -> None:
    text = "Service | Standard fee | Member fee\nInfusion | $520 | $460\nBooster | $480 | $430\n"
    prices = find_prices(text)
    assert [(p.amount, p.offer) for p in prices] == [(520, False), (460, True), (480, False), (430, True)]


@pytest.mark.parametrize(
    "text",
    [
        "Service | Single | Series of six\nInfusion | $450 | $2,400\n",
        "Service | Series of six | Per infusion\nInfusion | $2,400 | $400\n",
        "Depression $400 – $800 $2,400 – $6,400",
        "The tablet is $40 and the spray is $90.",
    ],
    ids=["ascending-row", "descending-row-without-header", "two-ranges", "two-items"],
)
def test_amounts_that_are_not_old_and_new_prices(text: str) -> None:
    assert not any(p.offer for p in find_prices(text))


# --- which currency a shared symbol means ------------------------------------------------------


def test_a_place_in_brackets_pins_the_dollar() -> None:
    prices = find_prices("Infusions: $400-$1,000 (US), $375-$850 (Canada)")
    assert [(p.currency, p.low, p.high) for p in prices] == [("USD", 400, 1000), ("CAD", 375, 850)]


def test_a_page_that_writes_one_dollar_code_uses_it_for_bare_dollars() -> None:
    text = "All fees are in CAD 450 per infusion.\nSeries of six: $2,400\nBooster: $420"
    assert {p.currency for p in find_prices(text)} == {"CAD"}


def test_a_page_with_two_dollar_codes_keeps_the_default() -> None:
    text = "US visitors pay USD 450; Canadians pay CAD 600.\nBooster: $420"
    assert [p.currency for p in find_prices(text)] == ["USD", "CAD", "USD"]


def test_a_code_before_a_symbol_wins() -> None:
    assert _described("Ottawa: CAD $450 per infusion")[0][:3] == ("CAD $450 per infusion", "CAD", 450.0)


@pytest.mark.parametrize(
    "text",
    [
        "Ketamine is cleared by CYP2B6 and CYP3A4.",
        "NAD 500 mg drips restore energy, they claim.",
        "Lose 20 pounds in 8 weeks.",
        "Adults aged 18 to 65 may join.",
        "Call 555-0199 between 9:00 and 17:00.",
        "We have treated more than 2 000 patients since 2015.",
        "ALL 2 patients in remission.",
        "Rated 4.9 of 5 by 1,200 patients.",
    ],
)
def test_numbers_that_are_not_money(text: str) -> None:
    assert find_prices(text) == ()


def test_a_suffix_symbol_stays_with_its_own_amount() -> None:
    assert _described("Consultation 300 € 500 € for the series") == [
        ("300 €", "EUR", 300.0, None, None, None, False),
        ("500 €", "EUR", 500.0, None, None, "series", False),
    ]


def test_space_grouping_does_not_join_a_price_and_a_dose() -> None:
    assert _described("Vials are $35 500 mg each.")[0][:3] == ("$35", "USD", 35.0)


# --- offers scoped to their clause --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "offers"),
    [
        ("Each infusion costs $450, or $2,400 for six when paid in advance.", [False, True]),
        ("Study visits are free of charge, and participants receive up to $300.", [False]),
        ("Your first infusion for $349, then $450 each.", [True, False]),
        ("Refer a friend | $100 credit toward your next visit", [True]),
        ("Monthly payment plans starting at $199.", [True]),
        ("The consultation is complimentary, normally $150.", [True]),
        ("I only paid a $40 copay per visit.", [False]),
    ],
)
def test_offer_words_belong_to_their_own_clause(text: str, offers: list[bool]) -> None:
    assert [p.offer for p in find_prices(text)] == offers


def test_amountless_offers_are_not_prices() -> None:
    text = "Take 10% off your first series. 0% interest financing. Your first session is free."
    assert find_prices(text) == ()


# --- a page of European-format prices -----------------------------------------------------------


def test_european_format_page_every_amount() -> None:
    from claimcheck.acquire.fetch import Fetcher
    from claimcheck.settings import Settings
    from claimcheck.text.extract import extract

    with Fetcher(Settings()) as fetcher:
        text = extract(fetcher.acquire(str(DATA / "prices_european.html"))).text
    prices = find_prices(text)
    _assert_valid(text, prices)
    assert [(p.currency, p.amount, p.low, p.high, p.offer) for p in prices] == EUROPEAN_PAGE


EUROPEAN_PAGE = [
    ("EUR", 180.0, None, None, False),
    ("EUR", 1250.5, None, None, False),
    ("EUR", 6900.0, None, None, False),
    ("CHF", 1450.0, None, None, False),
    ("PLN", 420.0, None, None, False),
    ("EUR", None, 90.0, 140.0, False),
    ("EUR", None, 990.0, 1190.0, False),
    ("EUR", 1250.5, None, None, False),
    ("EUR", 1090.0, None, None, True),
]


def test_check_command_reports_every_european_amount(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from claimcheck import cli

    monkeypatch.setenv("CLAIMCHECK_CACHE", str(tmp_path / "cache"))
    page = str(DATA / "prices_european.html")
    args = ["check", "-q", "--format", "json", "--skip", "claims", "--skip", "verdicts", page]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.stderr
    (report,) = json.loads(result.stdout)
    found = [(p["currency"], p["amount"], p["low"], p["high"], p["offer"]) for p in report["prices"]]
    assert found == [tuple(row) for row in EUROPEAN_PAGE]
    assert all(report["text"][p["start"] : p["end"]] == p["text"] for p in report["prices"])


def test_a_tab_separated_row_is_a_listing_named_by_its_other_cell() -> None:
    (price,) = find_prices("Ketamine booster infusion\t$425")
    assert price.item == "Ketamine booster infusion"


def test_the_symbol_before_a_place_is_the_longest_one_ending_there() -> None:
    """``Currencies.before`` looks only as far back as symbols' ends reach: it finds what trying every length finds."""
    table = currencies()

    def every_length(text: str, end: int) -> tuple[int, str] | None:
        for size in range(min(table.longest, end), 0, -1):
            symbol = text[end - size : end]
            if symbol in table.symbols and not (
                symbol[0].isalpha() and end - size > 0 and text[end - size - 1].isalpha()
            ):
                return end - size, symbol
        return None

    texts = [
        "CAD $450, NZD$300 or A$ 20",
        "Bs.F.12 Dkr9 CHF 3 and 12 kr",
        "skr9 US$5 ₹700 € 5 円9",
        "R$ 40 au$2",
    ]
    for text in texts:
        for end in range(len(text) + 1):
            assert table.before(text, end) == every_length(text, end), (text, end)


def test_a_price_list_set_apart_under_its_product_description_lists_that_product() -> None:
    """Size lines ("1 g", "Pack of 10 vials") name only a quantity; the product is described above,
    across the blank line that sets the list apart, and a bulk rate by the kg belongs to it too."""
    shop = (
        "Crypto only, stealth shipping, no prescription.\n\n"
        "Our ketamine hydrochloride is sold as coarse crystal, tested by an outside lab.\n\n"
        "Prices:\n1 g - $50\n10 g - $380\nPack of 10 vials - $300\n\n"
        "Resellers: two kilos or more at $14,000/kg.\n\n"
        "Postage\nTracked parcel is $25."
    )
    assert [(p.text, p.illicit) for p in find_prices(shop)] == [
        ("$50", True),
        ("$380", True),
        ("$300", True),
        ("$14,000/kg", True),
        ("$25", False),
    ]


def test_a_listing_that_names_its_own_item_is_not_read_under_the_one_above() -> None:
    page = (
        "No prescription, cash on delivery.\n\nMore listings\n"
        "• Ketamine and MDMA bundle - message for price\n• Lavender pillow spray - $12 - Bristol"
    )
    assert [(p.text, p.illicit) for p in find_prices(page)] == [("$12", False)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Clinics charge about $750 for a single infusion of this same compound.",
        "Clinics bill insurers close to $850 for each dose of that spray.",
        "Why pay the clinics charging £400 a go for the same thing?",
        "My copay is $35 per session.",
    ],
)
def test_a_fee_for_care_or_a_price_others_set_is_not_a_shops_listing(sentence: str) -> None:
    """On a page that sells a drug, a sentence naming no drug that prices a service, or quotes what
    clinics charge, is a comparison, not the page's own offer."""
    shop = f"Ketamine crystal, no prescription, bitcoin only.\n{sentence}"
    assert [p.illicit for p in find_prices(shop)] == [False]


def test_a_drug_priced_in_a_sentence_that_skips_the_prescriber_is_for_sale() -> None:
    page = "Also got esketamine sprays, £280 for a box of three, no prescription needed."
    assert [(p.text, p.illicit) for p in find_prices(page)] == [("£280", True)]


def test_a_drug_priced_in_a_sentence_that_skips_the_doctor_visit_is_for_sale() -> None:
    page = "Grab testosterone cypionate vials for $70 each, no doctor visit needed."
    assert [(p.text, p.illicit) for p in find_prices(page)] == [("$70", True)]


def test_a_price_by_weight_off_a_shop_page_is_read_with_its_paragraph() -> None:
    """A survey of street prices names the drug after the price; a gram of it is still goods by weight
    (the guide: per-gram controlled-substance prices are illicit), on any page."""
    page = (
        "Street prices\n\nOur volunteers heard that a gram tends to go for £25, sometimes less in bulk. "
        "Street ketamine is often cut with other powders.\n\nA gram of sea salt at the market costs £1."
    )
    assert [(p.text, p.illicit) for p in find_prices(page)] == [("£25", True), ("£1", False)]


def test_shop_words_in_a_question_or_a_warning_do_not_make_the_page_a_shop() -> None:
    """A pharmacist's column asks whether to buy ketamine online and says not to; the prescribed tablets
    it prices are no listing."""
    page = (
        "Reader question: can I order ketamine online to save money?\n\n"
        "Please do not buy it online. Prescribed ketamine tablets run about $6 per tablet."
    )
    assert [(p.text, p.illicit) for p in find_prices(page)] == [("$6 per tablet", False)]


def test_a_marketplace_listings_sizes_written_close_are_its_products_for_sale() -> None:
    """A vendor listing paid through escrow in Monero prices its sizes with the unit glued to the number
    ("1g"); each size line is the titled drug for sale, like "1 g" on a shop's card."""
    page = (
        "Listing: MXE crystal, lab tested\n\nVendor: Kestrel (412 sales)\nEscrow only, XMR accepted.\n\n"
        "Sizes:\n1g — $38.00\n5g — $160.00"
    )
    assert [(p.text, p.illicit) for p in find_prices(page)] == [("$38.00", True), ("$160.00", True)]


def test_a_grey_market_analogue_priced_by_the_pellet_is_for_sale() -> None:
    page = "Research shop | Cart\n\nO-PCE pellets, 10 mg each\n10 pellets – $40\n\nPay with bitcoin."
    assert [(p.text, p.illicit) for p in find_prices(page)] == [("$40", True)]
