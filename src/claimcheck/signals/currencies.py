"""Currency symbols, codes and names, to ISO 4217 codes.

The table starts from price-parser's own currency knowledge (``price_parser._currencies``:
every ISO code with its main, national and other symbols, which is what
``Price.fromstring`` recognises) and is extended and tamed by ``data/currencies.yaml``:
symbols clinic pages use that price-parser lacks ("A$", "Dh", "грн."), a default for
symbols several currencies share ("$", "kr", "£"), currency names ("euros", "Swiss
francs"), places that pin a dollar ("(Canada)"), and codes that are ordinary words in
health text ("ALL", "CYP", "NAD"), which are never read as money.

The table is built on first use and cached; building it reads one small file.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

import yaml
from price_parser._currencies import CURRENCIES as PRICE_PARSER_CURRENCIES
from pydantic import BaseModel, ConfigDict, ValidationError

DATA_FILE = "data/currencies.yaml"
#: Codes that are valid in the data file: price-parser's (ISO 4217 and a few historic ones).
KNOWN_CODES = frozenset(PRICE_PARSER_CURRENCIES)


class CurrencyData(BaseModel):
    """The schema of ``data/currencies.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    symbols: dict[str, str]
    defaults: dict[str, str]
    names: dict[str, str]
    ignored: list[str]
    places: dict[str, str]


@dataclass(frozen=True)
class Currencies:
    """Symbols (case-sensitive) to their candidate ISO codes, default first, and names (lower-case) to a code."""

    symbols: dict[str, tuple[str, ...]]
    names: dict[str, str]
    places: dict[str, str]
    longest: int

    def before(self, text: str, end: int) -> tuple[int, str] | None:
        """The longest symbol ending at ``end`` as ``(start, symbol)``, not glued to a word before it."""
        reach, limit = 0, min(self.longest, end)
        while reach < limit and text[end - reach - 1 : end] in self._suffixes:
            reach += 1
        for size in range(reach, 0, -1):
            symbol = text[end - size : end]
            if symbol in self.symbols and not _glued(text, end - size - 1, symbol[0]):
                return end - size, symbol
        return None

    def after(self, text: str, start: int) -> tuple[int, str] | None:
        """The longest symbol or name starting at ``start`` as ``(end, ISO code)``, not glued to a word after it."""
        reach, limit = 0, min(self.longest, len(text) - start)
        while reach < limit and self._begins(text[start : start + reach + 1]):
            reach += 1
        for size in range(reach, 0, -1):
            token = text[start : start + size]
            if _glued(text, start + size, token[-1]):
                continue
            if token in self.symbols:
                return start + size, self.symbols[token][0]
            if token.lower() in self.names:
                return start + size, self.names[token.lower()]
        return None

    def _begins(self, token: str) -> bool:
        """Whether a symbol, or a name in any case, begins with ``token`` (no longer token can match past it)."""
        return token in self._prefixes or token.lower() in self._prefixes

    @cached_property
    def _prefixes(self) -> frozenset[str]:
        return frozenset(word[:i] for word in (*self.symbols, *self.names) for i in range(1, len(word) + 1))

    @cached_property
    def _suffixes(self) -> frozenset[str]:
        """The ends of the symbols: no symbol ends at a place unless every shorter stretch before it is one of these."""
        return frozenset(symbol[-i:] for symbol in self.symbols for i in range(1, len(symbol) + 1))

    def codes(self, symbol: str) -> tuple[str, ...]:
        """The ISO codes a symbol may stand for, the default first."""
        return self.symbols.get(symbol, ())


def _glued(text: str, index: int, edge: str) -> bool:
    """Whether a letter-edged symbol touches a letter at ``index`` ("kr" inside "skrill")."""
    return edge.isalpha() and 0 <= index < len(text) and text[index].isalpha()


def build_currencies(data: CurrencyData) -> Currencies:
    """Merge price-parser's table with the extensions; every ambiguous symbol needs a default."""
    problems = [
        f"{where}: unknown ISO code {code!r}"
        for where, table in (("symbols", data.symbols), ("defaults", data.defaults), ("names", data.names))
        for code in table.values()
        if code not in KNOWN_CODES
    ]
    ignored = set(data.ignored) | set(string.ascii_letters)
    candidates: dict[str, list[str]] = {}
    for code, info in PRICE_PARSER_CURRENCIES.items():
        for symbol in (code, info["s"], info["sn"], *info.get("sn2", [])):
            if symbol.strip() and symbol not in ignored and code not in candidates.setdefault(symbol, []):
                candidates[symbol].append(code)
    for symbol, code in data.symbols.items():
        candidates[symbol] = [code]
    symbols: dict[str, tuple[str, ...]] = {}
    for symbol, codes in candidates.items():
        default = data.defaults.get(symbol)
        if len(codes) > 1 and default is None:
            problems.append(f"defaults: {symbol!r} may be any of {codes}; say which it means by default")
        ordered = [default, *(c for c in codes if c != default)] if default else codes
        symbols[symbol] = tuple(ordered)
    if problems:
        raise ValueError(f"{DATA_FILE}: " + "; ".join(problems))
    names = {name.lower(): code for name, code in data.names.items()}
    return Currencies(symbols, names, dict(data.places), max(map(len, [*symbols, *names])))


def parse_currency_data(source: str) -> CurrencyData:
    try:
        return CurrencyData.model_validate(yaml.safe_load(source) or {})
    except (yaml.YAMLError, ValidationError) as error:
        raise ValueError(f"{DATA_FILE}: invalid currency data: {error}") from None


@cache
def currencies() -> Currencies:
    """The bundled currency table, built once."""
    source = resources.files("claimcheck").joinpath(DATA_FILE).read_text("utf-8")
    return build_currencies(parse_currency_data(source))
