"""The data files behind the price finder: the currency table and the substance lists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from claimcheck.signals.currencies import build_currencies, currencies, parse_currency_data
from claimcheck.signals.substances import parse_substances, substances

SRC = Path(__file__).parent.parent / "src" / "claimcheck"
PRICE_MODULES = (
    "signals/prices.py",
    "signals/money.py",
    "signals/price_items.py",
    "signals/offers.py",
    "signals/currencies.py",
    "claims/quantities.py",
)


def test_currency_table_builds_on_price_parser_and_the_extensions() -> None:
    table = currencies()
    assert table.codes("$")[0] == "USD" and "CAD" in table.codes("$")
    assert table.codes("zł") == ("PLN",) and table.codes("A$") == ("AUD",) and table.codes("Dh") == ("AED",)
    assert table.codes("kr")[0] == "SEK" and table.names["swiss francs"] == "CHF"
    for word in ("ALL", "CYP", "NAD", "Pts", "KM", "R", "K"):
        assert table.codes(word) == ()


def _minimal(**changes: object) -> str:
    data: dict[str, object] = {
        "symbols": {},
        "defaults": dict.fromkeys(currencies().symbols, "USD"),
        "names": {},
        "ignored": [],
        "places": {},
    }
    data.update(changes)
    return yaml.safe_dump(data, allow_unicode=True)


def test_an_ambiguous_symbol_without_a_default_is_an_error() -> None:
    source = _minimal(defaults={"$": "USD"})
    with pytest.raises(ValueError, match="say which it means by default"):
        build_currencies(parse_currency_data(source))


def test_an_unknown_code_or_key_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown ISO code 'XYZ'"):
        build_currencies(parse_currency_data(_minimal(symbols={"X$": "XYZ"})))
    with pytest.raises(ValueError, match="invalid currency data"):
        parse_currency_data("symbols: {}\nextra: 1\n")


def test_substance_list_loads_with_schedules() -> None:
    loaded = substances()
    assert loaded.schedules["fentanyl"] == 2 and loaded.is_controlled("testosterone")
    assert "sildenafil" in loaded.prescription_only and not loaded.is_controlled("sildenafil")
    assert loaded.find("Order Alprazolam 2mg bars") == "alprazolam"
    assert loaded.find("an infusion of saline") is None


def test_analogues_are_schedule_one_and_unapproved_drugs_need_a_prescriber() -> None:
    """A controlled substance analogue sold for people is treated as schedule I (21 U.S.C. 813); an
    unapproved drug is read like a prescription-only one."""
    loaded = parse_substances(
        "schedules: {3: [calmex]}\nanalogues: [fluoro-calmex]\nprescription_only: [sleepol]\nunapproved: [rx-9]\n"
    )
    assert loaded.schedules["fluoro-calmex"] == 1 and loaded.is_controlled("fluoro-calmex")
    assert "rx-9" in loaded.prescription_only and not loaded.is_controlled("rx-9")
    assert loaded.find("Fluoro-Calmex crystal, 5 g") == "fluoro-calmex"


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("schedules: {6: [x]}\nprescription_only: []\n", "invalid substance list"),
        ("schedules: {1: [x, X]}\nprescription_only: []\n", "listed twice"),
        ("schedules: {1: ['  ']}\nprescription_only: []\n", "empty substance name"),
        ("schedules: {1: [x]}\nprescription_only: [x]\n", "both controlled and prescription-only"),
        ("schedules: {1: [x]}\nprescription_only: []\nnotes: y\n", "invalid substance list"),
        ("schedules: [\n", "invalid substance list"),
        ("schedules: {1: [x]}\nanalogues: [x]\nprescription_only: []\n", "listed twice"),
        ("schedules: {1: [x]}\nprescription_only: [y]\nunapproved: [y]\n", "listed twice"),
    ],
)
def test_a_malformed_substance_list_is_an_error(source: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_substances(source, "test.yaml")


def _code_without_docstrings(path: Path) -> str:
    """The module's source with docstrings blanked out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = path.read_text(encoding="utf-8").splitlines()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                for i in range(body[0].lineno - 1, body[0].end_lineno or body[0].lineno):
                    lines[i] = ""
    return "\n".join(lines)


@pytest.mark.parametrize("module", PRICE_MODULES)
def test_no_drug_names_in_the_price_code(module: str) -> None:
    code = _code_without_docstrings(SRC / module)
    names = [*substances().schedules, *substances().prescription_only]
    found = [n for n in names if re.search(rf"\b{re.escape(n)}\b", code, re.I)]
    assert found == []
