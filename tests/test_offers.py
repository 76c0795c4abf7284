"""Offers stated without an amount: found with their kind, and kept out of the prices."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.records import Offer
from claimcheck.signals.offers import _OFFER_RES, MAX_OFFERS, find_offers
from claimcheck.signals.prices import find_prices


@pytest.mark.parametrize(
    ("text", "offer", "kind"),
    [
        ("Take 10% off your first infusion series this month.", "10% off", "discount"),
        ("New members save 15 percent on boosters.", "save 15 percent", "discount"),
        ("We honour a military discount at every location.", "military discount", "discount"),
        ("Ask about 0% interest financing through our partner.", "0% interest financing", "financing"),
        ("Interest-free payment plans are available.", "Interest-free payment plans", "financing"),
        ("You can pay in four instalments.", "pay in four instalments", "financing"),
        ("Your first session is free.", "Your first session is free", "free"),
        ("The sixth month is free when you prepay.", "sixth month is free", "free"),
        ("Book a free 15-minute phone consultation.", "free 15-minute phone consultation", "free"),
        ("A complimentary initial assessment for veterans.", "complimentary initial assessment", "free"),
        ("The intake fee is waived for students.", "fee is waived", "free"),
        ("Buy 5 get 1 free on every booster pack.", "Buy 5 get 1 free", "bundle"),
        ("This week only: 2-for-1 vitamin shots.", "2-for-1", "bundle"),
        ("Three for the price of two on IV drips.", "Three for the price of two", "bundle"),
    ],
)
def test_offers_without_an_amount(text: str, offer: str, kind: str) -> None:
    (found,) = find_offers(text)
    assert (found.text, found.kind) == (offer, kind)
    assert text[found.start : found.end] == found.text
    assert find_prices(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        "Depression-free for weeks, patients say.",
        "A drug-free approach to chronic pain.",
        "Side effects were reported in 10% of patients.",
        "We accept credit cards and HSA cards.",
        "Sessions are available on weekdays.",
    ],
)
def test_no_offer(text: str) -> None:
    assert find_offers(text) == ()


def test_an_offer_with_an_amount_is_a_price_and_its_wording_an_offer_too() -> None:
    text = "Free express delivery on orders over $300."
    (price,) = find_prices(text)
    assert price.amount == 300 and price.offer
    assert [o.kind for o in find_offers(text)] == ["free"]


def test_offers_are_in_text_order_and_capped() -> None:
    text = "0% APR financing. Buy 2 get 1 free. 20% off."
    assert [o.kind for o in find_offers(text)] == ["financing", "bundle", "discount"]
    assert len(find_offers("20% off. " * 5000)) == MAX_OFFERS


def test_offers_round_trip_through_the_json_report() -> None:
    from claimcheck.records import Offer, Report
    from claimcheck.reports.jsonl import report_from_dict, report_to_dict

    text = "Your first session is free."
    report = Report("page.txt", text=text, offers=find_offers(text))
    assert report.offers == (Offer(0, 26, "Your first session is free", "free"),)
    assert report_from_dict(report_to_dict(report)) == report


def _offers_without_prefilter(text: str) -> tuple[Offer, ...]:
    """``find_offers`` as it reads with every expression run over the whole text."""
    found: list[Offer] = []
    for kind, pattern in _OFFER_RES:
        for m in pattern.finditer(text):
            if len(found) >= MAX_OFFERS:
                break
            if not any(o.start < m.end() and m.start() < o.end for o in found):
                found.append(Offer(m.start(), m.end(), m.group(), kind))
    return tuple(sorted(found, key=lambda o: o.start))


def test_the_literal_prefilter_changes_no_offer() -> None:
    corpora = Path(__file__).parent.parent / "corpora"
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpora.glob("*.txt"))]
    texts += ["FREE CONSULTATION today", "Buy 2 get 1 free", "0% APR financing available", "ſave 20% off"]
    for text in texts:
        assert find_offers(text) == _offers_without_prefilter(text)
