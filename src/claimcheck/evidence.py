"""The evidence base: its schema, loading, validation and content hash.

The evidence base is data. ``evidence/`` holds one folder per domain (a treatment
family such as ketamine, or TMS); each folder has a ``domain.yaml`` naming the
interventions and conditions of that domain with the words pages use for them, and
one YAML file per topic holding the entries. Adding a treatment means adding a folder,
not code. Files are parsed with ``yaml.safe_load`` semantics and validated with
pydantic; every error names the file, the line and the field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import EvidenceError

MAX_EVIDENCE_FILE_BYTES = 2_000_000
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it: the same safe subset, parsed in C."""
DOMAIN_FILE = "domain.yaml"

DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
PMID_PATTERN = r"^\d{1,9}$"
ID_PATTERN = r"^[a-z0-9][a-z0-9.-]*$"

EntryKind = Literal[
    "efficacy",
    "onset",
    "durability",
    "safety",
    "regulatory",
    "indication",
    "cost",
    "authority",
    "comparative",
    "mechanism",
]
Certainty = Literal["high", "moderate", "low", "very-low"]
IndicationStatus = Literal["established", "preliminary", "mixed", "negative", "none"]
Verification = Literal["verified", "verified-secondary", "recalled-not-verified"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bounds(_Strict):
    """A numeric range the evidence supports, e.g. 46–52 (%) or 40–120 (minutes)."""

    low: float
    high: float
    unit: str = Field(
        description='"%", a time unit ("minutes", "hours", "days", "weeks", "months", "years") or a currency code'
    )

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is greater than high ({self.high})")
        return self


class Source(_Strict):
    citation: str = Field(min_length=10)
    short: str = Field(min_length=3, description='how explanations name it, e.g. "Cochrane 2021"')
    doi: str | None = Field(default=None, pattern=DOI_PATTERN)
    pmid: str | None = Field(default=None, pattern=PMID_PATTERN)
    pmcid: str | None = Field(default=None, pattern=r"^PMC\d+$")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    verification: Verification
    reviewed: date


class Approval(_Strict):
    agency: str
    year: int | None = None
    indication: str


class Entry(_Strict):
    """One thing the evidence supports, precise enough for a machine to compare."""

    id: str = Field(pattern=ID_PATTERN)
    kind: EntryKind
    statement: str = Field(min_length=20)
    intervention: str
    condition: str | None = None
    outcome: str | None = None
    population: str | None = None
    timepoint: str | None = None
    design: str | None = None
    figures: Bounds | None = None
    onset: Bounds | None = None
    duration: Bounds | None = None
    frequency: Bounds | None = None
    price: Bounds | None = None
    certainty: Certainty | None = None
    indication_status: IndicationStatus | None = None
    approved: bool | None = None
    approvals: tuple[Approval, ...] = ()
    absolute_ok: bool = Field(
        default=False, description="the evidence states it as strongly as absolute language"
    )
    keywords: tuple[str, ...] = ()
    contradicted_by: tuple[str, ...] = Field(
        default=(),
        description="phrases that, asserted about this entry's intervention, the entry contradicts",
    )
    related: tuple[str, ...] = ()
    sources: tuple[Source, ...] = Field(min_length=1)

    @property
    def verified(self) -> bool:
        """True when at least one source was read first-hand."""
        return any(s.verification == "verified" for s in self.sources)

    @property
    def source_names(self) -> str:
        return "; ".join(s.short for s in self.sources)


class Term(_Strict):
    """An intervention or condition and the words pages use for it."""

    names: tuple[str, ...] = Field(min_length=1)
    broader: str | None = None


class Domain(_Strict):
    domain: str = Field(pattern=ID_PATTERN)
    title: str
    interventions: dict[str, Term]
    conditions: dict[str, Term] = Field(default_factory=dict)


class TopicFile(_Strict):
    topic: str = Field(pattern=ID_PATTERN)
    title: str
    entries: tuple[Entry, ...] = Field(min_length=1)
    """Ids must be unique across the whole base, this file included: `_cross_file_problems` checks."""


@dataclass(frozen=True)
class LocatedEntry:
    """An entry with the domain and the file and line it came from."""

    entry: Entry
    domain: str
    path: str
    line: int


@dataclass(frozen=True)
class EvidenceBase:
    """All domains and entries, validated, with a content hash of the files."""

    domains: dict[str, Domain]
    entries: tuple[LocatedEntry, ...]
    content_hash: str

    @cached_property
    def by_id(self) -> dict[str, LocatedEntry]:
        return {located.entry.id: located for located in self.entries}

    def get(self, entry_id: str) -> LocatedEntry:
        try:
            return self.by_id[entry_id]
        except KeyError:
            raise KeyError(f"no evidence entry with id {entry_id!r}") from None


def load_evidence(root: str | Path) -> EvidenceBase:
    """Load and validate every domain under ``root``; raise the first EvidenceError."""
    domains, entries, problems = _collect(Path(root))
    if problems:
        raise problems[0]
    return EvidenceBase(domains=domains, entries=tuple(entries), content_hash=evidence_hash(root))


def lint_evidence(root: str | Path) -> list[EvidenceError]:
    """Every problem in the evidence base, each naming file, line and field."""
    return _collect(Path(root))[2]


def _collect(root: Path) -> tuple[dict[str, Domain], list[LocatedEntry], list[EvidenceError]]:
    """Parse every file once, gathering what validates and every problem found.

    A file with problems still yields its valid entries, and a domain whose
    ``domain.yaml`` is broken still has its topic files checked, so that one lint run
    reports every problem of every file.
    """
    if not root.is_dir():
        return {}, [], [EvidenceError(str(root), None, None, "evidence folder not found")]
    problems: list[EvidenceError] = []
    domains: dict[str, Domain] = {}
    entries: list[LocatedEntry] = []
    for folder in _domain_folders(root):
        domain, found = _read_domain(folder / DOMAIN_FILE)
        problems.extend(found)
        for path in _topic_files(folder):
            located, found = _read_topic(path, domain.domain if domain else folder.name)
            problems.extend(found)
            if domain is not None:
                entries.extend(located)
        if domain is not None:
            domains[domain.domain] = domain
    if not domains and not problems:
        problems.append(EvidenceError(str(root), None, None, f"no domain folder with a {DOMAIN_FILE}"))
    problems.extend(_cross_file_problems(domains, entries))
    return domains, entries, problems


def evidence_hash(root: str | Path) -> str:
    """SHA-256 over the relative paths and bytes of every evidence file, in sorted order."""
    root = Path(root)
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _domain_folders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / DOMAIN_FILE).is_file())


def _topic_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.name != DOMAIN_FILE)


def _read_domain(path: Path) -> tuple[Domain | None, list[EvidenceError]]:
    try:
        data, node = _load_yaml(path)
    except EvidenceError as error:
        return None, [error]
    try:
        return Domain.model_validate(data), []
    except ValidationError as error:
        return None, _validation_problems(path, node, error)


def _read_topic(path: Path, domain: str) -> tuple[list[LocatedEntry], list[EvidenceError]]:
    """The entries of one topic file and its problems; valid entries survive a bad neighbour."""
    try:
        data, node = _load_yaml(path)
    except EvidenceError as error:
        return [], [error]
    lines = _entry_lines(node)
    try:
        topic = TopicFile.model_validate(data)
    except ValidationError as error:
        items = data.get("entries")
        valid = [(i, e) for i, e in enumerate(items) if _valid_entry(e)] if isinstance(items, list) else []
        located = [_located(Entry.model_validate(e), domain, path, lines, i) for i, e in valid]
        return located, _validation_problems(path, node, error)
    return [_located(entry, domain, path, lines, i) for i, entry in enumerate(topic.entries)], []


def _valid_entry(data: object) -> bool:
    try:
        Entry.model_validate(data)
    except ValidationError:
        return False
    return True


def _located(entry: Entry, domain: str, path: Path, lines: list[int], index: int) -> LocatedEntry:
    line = lines[index] if index < len(lines) else 1
    return LocatedEntry(entry=entry, domain=domain, path=str(path), line=line)


def _load_yaml(path: Path) -> tuple[dict[str, Any], yaml.Node | None]:
    """The top-level mapping of a YAML file and its node tree (for line numbers)."""
    text = _read_text(path)
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise EvidenceError(
            str(path), line, None, f"not valid YAML: {getattr(error, 'problem', error)}"
        ) from None
    if not isinstance(data, dict):
        raise EvidenceError(str(path), 1, None, "expected a mapping at the top of the file")
    return data, node


def _validation_problems(path: Path, node: yaml.Node | None, error: ValidationError) -> list[EvidenceError]:
    """Every field error pydantic found, each with the line of the YAML node it points at.

    An error about a container that only follows from an error inside it (a list "too
    short" because its one item failed) is left out: the inner error is the problem.
    """
    errors = error.errors()
    locs = [tuple(item["loc"]) for item in errors]
    problems = []
    for item, loc in zip(errors, locs, strict=True):
        if any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs):
            continue
        field = ".".join(str(part) for part in loc) or None
        problems.append(EvidenceError(str(path), _line_of(node, loc), field, item["msg"]))
    return problems


def _read_text(path: Path) -> str:
    if path.stat().st_size > MAX_EVIDENCE_FILE_BYTES:
        raise EvidenceError(str(path), None, None, f"file is larger than {MAX_EVIDENCE_FILE_BYTES} bytes")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise EvidenceError(str(path), None, None, f"not UTF-8 text ({error.reason})") from None


def _line_of(node: yaml.Node | None, loc: Sequence[Any]) -> int | None:
    """The 1-based line of the YAML node at a pydantic error location (or its nearest parent)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _child(node: yaml.Node, part: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


def _entry_lines(node: yaml.Node | None) -> list[int]:
    entries = _child(node, "entries") if node is not None else None
    if not isinstance(entries, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in entries.value]


def _cross_file_problems(domains: dict[str, Domain], entries: Iterable[LocatedEntry]) -> list[EvidenceError]:
    entries = list(entries)
    problems: list[EvidenceError] = []
    first_seen: dict[str, LocatedEntry] = {}
    for located in entries:
        entry, where = located.entry, (located.path, located.line)
        if entry.id in first_seen:
            other = first_seen[entry.id]
            problems.append(
                EvidenceError(*where, "id", f"duplicate id {entry.id!r} (first at {other.path}:{other.line})")
            )
        first_seen.setdefault(entry.id, located)
        domain = domains[located.domain]
        if entry.intervention not in domain.interventions:
            problems.append(
                EvidenceError(
                    *where,
                    "intervention",
                    f"{entry.intervention!r} is not an intervention of domain {domain.domain!r}",
                )
            )
        if entry.condition is not None and entry.condition not in domain.conditions:
            problems.append(
                EvidenceError(
                    *where, "condition", f"{entry.condition!r} is not a condition of domain {domain.domain!r}"
                )
            )
    for located in entries:
        for ref in located.entry.related:
            if ref not in first_seen:
                problems.append(
                    EvidenceError(located.path, located.line, "related", f"no entry with id {ref!r}")
                )
    for domain in domains.values():
        for name, term in {**domain.interventions, **domain.conditions}.items():
            if term.broader is not None and term.broader not in {**domain.interventions, **domain.conditions}:
                problems.append(
                    EvidenceError(domain.domain, None, f"{name}.broader", f"no term {term.broader!r}")
                )
    return problems
