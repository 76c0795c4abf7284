"""Tests for claimcheck.prices: amounts, ranges, units, items, offers and illicit sales."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.prices import MAX_PRICES, find_prices
from claimcheck.records import Price

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


def test_rx_drug_with_prescription_step_is_not_illicit() -> None:
    text = "Testosterone cypionate 10ml: $60\nA prescription is required for every order."
    assert not _only(text).illicit


def test_clinic_service_with_a_controlled_drug_is_not_illicit() -> None:
    assert not _only("Ketamine infusion: $450").illicit


@pytest.mark.parametrize("path", sorted(CORPORA.glob("*.txt")), ids=lambda p: p.name)
def test_offsets_on_corpus_pages(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    _assert_valid(text, find_prices(text))


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
