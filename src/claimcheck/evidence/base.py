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
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, cast

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import EvidenceError
from ..records import Citation

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
Regimen = Literal["single", "series", "maintenance"]
IndicationStatus = Literal["established", "preliminary", "mixed", "negative", "none"]
Verification = Literal["verified", "verified-secondary", "recalled-not-verified"]
MARK_STRENGTH: dict[Verification, int] = {"recalled-not-verified": 0, "verified-secondary": 1, "verified": 2}
ApprovalStatus = Literal["approved", "cleared", "authorized"]
"""FDA outcomes that differ: drugs are approved; most devices are cleared (510(k)) or authorized (de novo)."""
Coverage = Literal["usually-covered", "rarely-covered", "not-covered"]
Restriction = Literal[
    "controlled-substance", "prescription-only", "compounding-restricted", "unapproved-product"
]
StandardRole = Literal[
    "substantiation", "testimonials", "approval-terms", "registration", "compounding", "hedges"
]
"""What a cross-domain standard entry is cited for (see ``evidence/standards/``)."""
DATE_PATTERN = r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$"


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
    """One regulator decision: who, when, what outcome, for what use."""

    agency: str
    year: int | None = None
    indication: str
    status: ApprovalStatus = "approved"
    conditions: tuple[str, ...] = Field(
        default=(), description="condition ids of the domain this decision covers, where it names them"
    )


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
    regimen: Regimen | None = Field(
        default=None,
        description="what the figures follow: one dose (single), a course (series) or ongoing doses (maintenance)",
    )
    frequency: Bounds | None = None
    price: Bounds | None = None
    certainty: Certainty | None = None
    indication_status: IndicationStatus | None = None
    approved: bool | None = None
    approvals: tuple[Approval, ...] = ()
    as_of: str | None = Field(
        default=None,
        pattern=DATE_PATTERN,
        description="the date the regulator gives for the fact (YYYY, YYYY-MM or YYYY-MM-DD); required for regulatory entries",
    )
    verification: Verification | None = Field(
        default=None,
        description="the brief's mark for the fact itself; never stronger than the best of its sources",
    )
    coverage: Coverage | None = Field(default=None, description="whether insurers pay for the intervention")
    restrictions: tuple[Restriction, ...] = Field(
        default=(), description="legal limits on selling or making the intervention that the entry records"
    )
    standard: StandardRole | None = Field(
        default=None, description="the role of a cross-domain standard entry, cited by any domain's verdicts"
    )
    absolute_ok: bool = Field(
        default=False, description="the evidence states it as strongly as absolute language"
    )
    bears_out: tuple[str, ...] = Field(
        default=(),
        description=(
            "strong phrases this entry's evidence states as strongly (a noninferiority trial: 'at least as "
            "well'); a claim whose every absolute phrase is one of them, judged against this entry first, "
            "is not flagged for its wording"
        ),
    )
    keywords: tuple[str, ...] = ()
    contradicted_by: tuple[str, ...] = Field(
        default=(),
        description="phrases that, asserted about this entry's intervention, the entry contradicts",
    )
    related: tuple[str, ...] = ()
    sources: tuple[Source, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _honest_marks(self) -> Entry:
        best = max((s.verification for s in self.sources), key=MARK_STRENGTH.__getitem__)
        if self.verification is not None and MARK_STRENGTH[self.verification] > MARK_STRENGTH[best]:
            raise ValueError(
                f"marked {self.verification!r} but its best source is only {best!r}: "
                "an entry cannot be surer than what it rests on"
            )
        if self.kind == "regulatory" and self.as_of is None:
            raise ValueError("a regulatory fact needs the date the regulator gives for it (as_of)")
        return self

    @property
    def mark(self) -> Verification:
        """The entry's verification mark: as given, else the best of its sources'."""
        if self.verification is not None:
            return self.verification
        return max((s.verification for s in self.sources), key=MARK_STRENGTH.__getitem__)

    @property
    def verified(self) -> bool:
        """True when the fact itself was read first-hand (mark ``verified``)."""
        return self.mark == "verified"

    @property
    def source_names(self) -> str:
        return "; ".join(s.short for s in self.sources)


class Term(_Strict):
    """An intervention or condition and the words pages use for it."""

    names: tuple[str, ...] = Field(min_length=1)
    broader: str | None = None


class Vulnerable(_Strict):
    """Who a domain's claims may target at their most vulnerable: a flagged claim aimed at them is high severity."""

    conditions: tuple[str, ...] = Field(default=(), description="condition ids; their names mark a claim")
    phrases: tuple[str, ...] = Field(default=(), description="further words that address these patients")


class Domain(_Strict):
    """One treatment family: its vocabulary and the facts about how it is sold."""

    domain: str = Field(pattern=ID_PATTERN)
    title: str
    interventions: dict[str, Term]
    conditions: dict[str, Term] = Field(default_factory=dict)
    price_units: tuple[str, ...] = Field(
        default=(),
        description='units one treatment is priced in ("infusion", "session", "vial"); prices in them are checked',
    )
    vulnerable: Vulnerable = Field(default_factory=Vulnerable)
    cross_domain: bool = Field(
        default=False,
        description="standards that apply to every treatment: never a claim's domain, cited by any domain's rules",
    )

    @property
    def vocabulary(self) -> dict[str, Term]:
        return {**self.interventions, **self.conditions}


class TopicFile(_Strict):
    topic: str = Field(pattern=ID_PATTERN)
    title: str
    entries: tuple[Entry, ...] = Field(min_length=1)
    """Ids must be unique across the whole base, this file included: `_cross_file_problems` checks."""


@dataclass(frozen=True)
class DomainSummary:
    """What one domain holds: its entries and how many carry each verification mark."""

    domain: str
    title: str
    entries: int
    marks: dict[Verification, int]


def summarize(base: EvidenceBase) -> list[DomainSummary]:
    """One summary per domain, in the base's domain order: the evidence table of the README."""
    summaries = []
    for name, domain in base.domains.items():
        located = [e.entry for e in base.entries if e.domain == name]
        marks: dict[Verification, int] = {mark: 0 for mark in MARK_STRENGTH}
        for entry in located:
            marks[entry.mark] += 1
        summaries.append(DomainSummary(name, domain.title, len(located), marks))
    return summaries


@dataclass(frozen=True)
class LocatedEntry:
    """An entry with the domain and the file and line it came from."""

    entry: Entry
    domain: str
    path: str
    line: int

    @cached_property
    def citations(self) -> tuple[Citation, ...]:
        """The entry's sources as a report cites them, built once: verdicts cite the same entries again and again."""
        return tuple(
            Citation(s.citation, s.doi, s.pmid, s.url, s.verification, s.short) for s in self.entry.sources
        )


@dataclass(frozen=True)
class EvidenceBase:
    """All domains and entries, validated, with a content hash of the files."""

    domains: dict[str, Domain]
    entries: tuple[LocatedEntry, ...]
    content_hash: str

    @cached_property
    def by_id(self) -> dict[str, LocatedEntry]:
        return {located.entry.id: located for located in self.entries}

    @cached_property
    def standards(self) -> dict[str, LocatedEntry]:
        """Cross-domain standard entries by role ("testimonials", "approval-terms"...), citable by any verdict."""
        return {e.entry.standard: e for e in self.entries if e.entry.standard is not None}

    @cached_property
    def term_names(self) -> tuple[str, ...]:
        """Every name of every intervention and condition of the treatment domains, lower-cased."""
        names = {
            name.lower()
            for domain in self.treatment_domains.values()
            for terms in (domain.interventions, domain.conditions)
            for term in terms.values()
            for name in term.names
        }
        return tuple(sorted(names, key=lambda name: (-len(name), name)))

    @cached_property
    def intervention_names(self) -> tuple[str, ...]:
        """Every name of every intervention of the treatment domains, as written (what ``treatment_names`` reads)."""
        return _intervention_names(self.domains.values())

    @cached_property
    def treatment_domains(self) -> dict[str, Domain]:
        """The domains a claim can be about (every domain but the cross-domain standards)."""
        return {name: d for name, d in self.domains.items() if not d.cross_domain}

    def get(self, entry_id: str) -> LocatedEntry:
        try:
            return self.by_id[entry_id]
        except KeyError:
            raise KeyError(f"no evidence entry with id {entry_id!r}") from None


def find_evidence_dir() -> Path:
    """``$CLAIMCHECK_EVIDENCE``, else ``./evidence``, else the checkout's ``evidence/`` (editable installs)."""
    if "CLAIMCHECK_EVIDENCE" in os.environ:
        return Path(os.environ["CLAIMCHECK_EVIDENCE"])
    here = Path("evidence")
    checkout = Path(__file__).resolve().parents[3] / "evidence"
    return checkout if not here.is_dir() and checkout.is_dir() else here


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


def treatment_names(root: str | Path) -> tuple[str, ...]:
    """Every name of every intervention of the treatment domains under ``root``, read from domain files only.

    Domain files that do not validate are skipped: ``evidence lint`` reports them.
    """
    root = Path(root)
    domains = (
        _read_domain(folder / DOMAIN_FILE)[0] for folder in (_domain_folders(root) if root.is_dir() else [])
    )
    return _intervention_names(domain for domain in domains if domain is not None)


def _intervention_names(domains: Iterable[Domain]) -> tuple[str, ...]:
    """The names of the interventions of the treatment domains (not the cross-domain standards), in order, once each."""
    names = (
        name
        for domain in domains
        if not domain.cross_domain
        for term in domain.interventions.values()
        for name in term.names
    )
    return tuple(dict.fromkeys(names))


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
    duplicates = duplicate_keys(node)
    if duplicates:
        key, line, first = duplicates[0]
        raise EvidenceError(
            str(path), line, key, f"duplicate key {key!r} (first at line {first}); YAML keeps only the last"
        )
    return data, node


def duplicate_keys(node: yaml.Node | None) -> list[tuple[str, int, int]]:
    """Every key that a mapping of the tree repeats, as (key, line, line of its first use).

    YAML loaders keep the last of two equal keys without a word, so a second ``keywords:``
    in an entry, or a second pattern family of one name in the lexicon, silently replaces the first.
    """
    if isinstance(node, yaml.SequenceNode):
        return [d for child in node.value for d in duplicate_keys(child)]
    if not isinstance(node, yaml.MappingNode):
        return []
    found: list[tuple[str, int, int]] = []
    seen: dict[str, int] = {}
    for key, value in node.value:
        line = key.start_mark.line + 1
        if isinstance(key, yaml.ScalarNode) and key.value in seen:
            found.append((key.value, line, seen[key.value]))
        seen.setdefault(key.value, line)
        found += duplicate_keys(value)
    return found


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
                return cast(yaml.Node, value)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return cast(yaml.Node, node.value[part])
    return None


def _entry_lines(node: yaml.Node | None) -> list[int]:
    entries = _child(node, "entries") if node is not None else None
    if not isinstance(entries, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in entries.value]


def _cross_file_problems(domains: dict[str, Domain], entries: Iterable[LocatedEntry]) -> list[EvidenceError]:
    """What no single file can check: unique ids and roles, and references to ids elsewhere."""
    entries = list(entries)
    problems: list[EvidenceError] = []
    first_seen: dict[str, LocatedEntry] = {}
    roles: dict[str, LocatedEntry] = {}
    for located in entries:
        entry, where = located.entry, (located.path, located.line)
        if entry.id in first_seen:
            other = first_seen[entry.id]
            problems.append(
                EvidenceError(*where, "id", f"duplicate id {entry.id!r} (first at {other.path}:{other.line})")
            )
        first_seen.setdefault(entry.id, located)
        if entry.standard is not None:
            if entry.standard in roles:
                problems.append(EvidenceError(*where, "standard", f"role {entry.standard!r} is given twice"))
            roles.setdefault(entry.standard, located)
        problems += _term_problems(located, domains[located.domain])
    for located in entries:
        for ref in located.entry.related:
            if ref not in first_seen:
                problems.append(
                    EvidenceError(located.path, located.line, "related", f"no entry with id {ref!r}")
                )
    for domain in domains.values():
        problems += _domain_problems(domain)
    return problems


def _term_problems(located: LocatedEntry, domain: Domain) -> list[EvidenceError]:
    """An entry's intervention and conditions must be ids of its own domain."""
    entry, where = located.entry, (located.path, located.line)
    problems = []
    if entry.intervention not in domain.interventions:
        problems.append(
            EvidenceError(
                *where,
                "intervention",
                f"{entry.intervention!r} is not an intervention of domain {domain.domain!r}",
            )
        )
    approved_conditions = [c for approval in entry.approvals for c in approval.conditions]
    for condition, field in [(entry.condition, "condition")] + [
        (c, "approvals.conditions") for c in approved_conditions
    ]:
        if condition is not None and condition not in domain.conditions:
            problems.append(
                EvidenceError(*where, field, f"{condition!r} is not a condition of domain {domain.domain!r}")
            )
    return problems


def _domain_problems(domain: Domain) -> list[EvidenceError]:
    problems = []
    for name, term in domain.vocabulary.items():
        if term.broader is not None and term.broader not in domain.vocabulary:
            problems.append(
                EvidenceError(domain.domain, None, f"{name}.broader", f"no term {term.broader!r}")
            )
    for condition in domain.vulnerable.conditions:
        if condition not in domain.conditions:
            problems.append(
                EvidenceError(domain.domain, None, "vulnerable.conditions", f"no condition {condition!r}")
            )
    return problems
