"""Controlled substances and prescription-only medicines, from ``data/controlled_substances.yaml``.

The price finder needs to know which drugs a price may be an illicit-sale signal for
(annotation guide §4). That list is domain knowledge, so it is a data file, read
lazily on first use, parsed with ``yaml.safe_load`` and validated: a schedule outside
1-5, an empty or repeated name, or an unknown key is an error naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

DATA_FILE = "data/controlled_substances.yaml"

Schedule = Literal[1, 2, 3, 4, 5]
ANALOGUE_SCHEDULE: Schedule = 1
"""A controlled substance analogue intended for people is treated as schedule I (21 U.S.C. 813)."""


class SubstanceList(BaseModel):
    """The file's schema: DEA schedules of controlled substances and their analogues; prescription-only
    medicines, and unapproved drugs that no one may sell for people without a prescriber either."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schedules: dict[Schedule, list[str]]
    analogues: list[str] = []
    prescription_only: list[str]
    unapproved: list[str] = []

    @field_validator("schedules")
    @classmethod
    def _names_in_schedules(cls, value: dict[Schedule, list[str]]) -> dict[Schedule, list[str]]:
        _check_names([name for names in value.values() for name in names])
        return value

    @field_validator("prescription_only", "analogues", "unapproved")
    @classmethod
    def _names_prescription_only(cls, value: list[str]) -> list[str]:
        _check_names(value)
        return value


def _check_names(names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        key = name.strip().lower()
        if not key:
            raise ValueError("empty substance name")
        if key in seen:
            raise ValueError(f"{name!r} is listed twice")
        seen.add(key)


@dataclass(frozen=True)
class Substances:
    """Lower-case names to DEA schedule, the prescription-only names, and one regex for both."""

    schedules: dict[str, Schedule]
    prescription_only: frozenset[str]
    pattern: re.Pattern[str]

    def find(self, text: str) -> str | None:
        """The first substance named in ``text``, lower-cased, or None."""
        m = self.pattern.search(text)
        return m.group().lower() if m else None

    def is_controlled(self, name: str) -> bool:
        return name in self.schedules

    @property
    def names(self) -> tuple[str, ...]:
        """Every substance named in the list, lower-cased: the controlled ones, then the prescription-only."""
        return (*self.schedules, *sorted(self.prescription_only))


def parse_substances(source: str, path: str = DATA_FILE) -> Substances:
    """Validate the YAML text of a substance list; a problem is a ValueError naming ``path``."""
    try:
        parsed = SubstanceList.model_validate(yaml.safe_load(source) or {})
    except (yaml.YAMLError, ValidationError) as error:
        raise ValueError(f"{path}: invalid substance list: {error}") from None
    schedules: dict[str, Schedule] = {
        name.lower(): level for level, names in parsed.schedules.items() for name in names
    }
    schedules |= {name.lower(): ANALOGUE_SCHEDULE for name in parsed.analogues}
    prescription_only = [*parsed.prescription_only, *parsed.unapproved]
    overlap = schedules.keys() & {name.lower() for name in prescription_only}
    if overlap:
        raise ValueError(f"{path}: listed as both controlled and prescription-only: {sorted(overlap)}")
    try:
        _check_names([*(n for names in parsed.schedules.values() for n in names), *parsed.analogues])
        _check_names(prescription_only)
    except ValueError as error:
        raise ValueError(f"{path}: invalid substance list: {error}") from None
    names = [*schedules, *(name.lower() for name in prescription_only)]
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True)) or "(?!)"
    return Substances(
        schedules=schedules,
        prescription_only=frozenset(name.lower() for name in prescription_only),
        pattern=re.compile(rf"\b(?:{alternatives})\b", re.I),
    )


@cache
def substances() -> Substances:
    """The bundled substance list, read and validated once."""
    source = resources.files("claimcheck").joinpath(DATA_FILE).read_text("utf-8")
    return parse_substances(source)
