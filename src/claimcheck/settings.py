"""Settings: plain values, inert to construct (no I/O happens here).

One configuration: the run's settings, the verdict rules' thresholds (``Settings.rules``)
and the spam score's (``Settings.spam``),
loadable from a TOML file (``--config``) and recorded in every report's ``meta`` with
a hash and the values that differ from the defaults, so that a changed threshold never
changes results without a trace.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .evidence.base import find_evidence_dir
from .records import VerdictLabel
from .version import __version__

SKIPPABLE_STAGES = ("claims", "verdicts", "spam", "prices")
"""The pipeline's stages that can be skipped (``Checker(skip=...)``, ``--skip``), in the order they run."""


def _default_cache_dir() -> Path:
    """``$CLAIMCHECK_CACHE``, else ``$XDG_CACHE_HOME/claimcheck`` (``~/.cache/claimcheck``)."""
    if "CLAIMCHECK_CACHE" in os.environ:
        return Path(os.environ["CLAIMCHECK_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME", "~/.cache")).expanduser() / "claimcheck"


@dataclass(frozen=True)
class Rules:
    """Every threshold of the verdict rules, in one place."""

    min_support_score: float = 0.25
    number_tolerance_points: float = 3.0
    onset_tolerance: float = 0.9
    durability_tolerance: float = 1.5
    price_low_factor: float = 0.5
    common_side_effect_percent: float = 10.0
    harm_understatement_factor: float = 2.0
    """A harm's share stated as a ceiling is flagged when even twice it stays below the evidence's lowest figure."""
    field_boost: float = 0.08
    kind_boost: float = 0.1
    condition_penalty: float = 0.05
    other_treatment_penalty: float = 0.03
    learned_flag_threshold: float = 0.7
    """A claim no rule flags is flagged when the claim model's flag score reaches this."""
    creep_labels: dict[str, VerdictLabel] = field(
        default_factory=lambda: {
            "preliminary": "overstated",
            "mixed": "overstated",
            "negative": "contradicted",
            "none": "unsupported",
        }
    )
    entry_kinds_for_claim: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {
            "efficacy": ("efficacy", "comparative", "indication", "onset", "durability"),
            "onset": ("onset", "efficacy"),
            "durability": ("durability", "efficacy"),
            "safety": ("safety", "regulatory"),
            "regulatory": ("regulatory",),
            "authority": ("authority", "efficacy"),
            "indication": ("indication", "efficacy"),
            "comparative": ("comparative", "efficacy"),
            "cost": ("cost",),
            "testimonial": ("efficacy", "onset", "durability"),
            "mechanism": ("mechanism",),
        }
    )


@dataclass(frozen=True)
class SpamRules:
    """How spam signals combine into a page score (:func:`claimcheck.signals.spam.page_score`)."""

    threshold: float = 0.5
    """A page whose score reaches this is ``spam``."""
    weights: dict[str, float] = field(
        default_factory=lambda: {
            "spun_text": 0.7,
            "keyword_stuffing": 0.4,
            "template_residue": 0.2,
            "off_topic": 0.2,
            "drug_shop": 0.8,
            "illicit_price": 0.3,
            "homoglyphs": 0.7,
            "link_injection": 0.3,
            "machine_filler": 0.6,
            "broken_grammar": 0.45,
            "keyword_insertion": 0.5,
            "location_stuffing": 0.6,
            "templated_sentences": 0.35,
            "keyword_list": 0.6,
            "inserted_topic": 0.7,
        }
    )
    """How much each signal type can raise the page score (its contribution at full strength)."""
    full_strength_count: dict[str, int] = field(
        default_factory=lambda: {
            "template_residue": 3,
            "off_topic": 2,
            "illicit_price": 2,
            "keyword_stuffing": 1,
            "homoglyphs": 10,
            "link_injection": 1,
            "machine_filler": 6,
            "broken_grammar": 3,
            "keyword_insertion": 3,
            "location_stuffing": 6,
            "templated_sentences": 4,
            "keyword_list": 5,
            "inserted_topic": 2,
        }
    )
    """How many signals of a type give it full strength."""
    single_shop_kind_strength: float = 0.3
    """``drug_shop`` strength with one cue kind: "buy ... online" alone also appears in news."""
    spun_sentence_threshold: float = 0.7
    """Above the model's even-odds 0.5: on honest seed pages a sentence rarely scores this high."""
    spun_share_baseline: float = 0.12
    """Share of distinct prose sentences the model flags on honest real pages (up to about one in
    eight on the real development set); below it, no evidence."""
    spun_share_full: float = 0.3
    """Share of prose sentences flagged spun at which ``spun_text`` has full strength."""
    min_spun_sentences: int = 3


TABLES = ("rules", "spam")
"""The sub-tables of the configuration: ``[rules]`` (verdicts) and ``[spam]``."""


@dataclass(frozen=True)
class Settings:
    """Everything a run can be configured with. Reports record these values."""

    timeout_s: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    respect_robots: bool = True
    allow_private: bool = False
    """Fetch from loopback, private, link-local and other non-public addresses (local test sites only)."""
    page_timeout_s: float = 60.0
    """Most seconds one input may take from fetch to verdicts (see ``pipeline`` for how it is enforced)."""
    user_agent: str = f"claimcheck/{__version__} (health-claim audit; +https://pypi.org/project/claimcheck/)"
    min_claim_score: float = 0.4
    top_k: int = 3
    learned_flags: bool = True
    """Let the claim model flag claims the verdict rules pass (False: findings rest on rules alone)."""
    evidence_dir: Path | None = None
    """None: found on first use by :func:`find_evidence_dir`."""
    cache_dir: Path = field(default_factory=_default_cache_dir)
    rules: Rules = field(default_factory=Rules)
    """The verdict rules' thresholds and priors."""
    spam: SpamRules = field(default_factory=SpamRules)
    """How spam signals make a page spam."""

    def as_report_dict(self) -> dict[str, object]:
        """The settings that change results, as plain JSON values (no machine-local paths)."""
        values = asdict(self)
        values.pop("cache_dir")
        values["evidence_dir"] = self.evidence_path.name
        return values

    @property
    def config_sha256(self) -> str:
        """A hash of everything :meth:`as_report_dict` records: equal hashes, equal configuration."""
        canonical = json.dumps(self.as_report_dict(), sort_keys=True, default=str)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def changed_from_defaults(self) -> dict[str, object]:
        """The values that differ from a default ``Settings()``, as ``name`` or ``rules.name``."""
        mine, default = _flat(self.as_report_dict()), _flat(Settings().as_report_dict())
        return {name: value for name, value in mine.items() if default.get(name) != value}

    @property
    def evidence_path(self) -> Path:
        """The evidence folder: the one given, or the one :func:`find_evidence_dir` finds."""
        return self.evidence_dir if self.evidence_dir is not None else find_evidence_dir()


def load_config(path: Path, base: Settings | None = None) -> Settings:
    """Settings from a TOML file: top-level keys are settings, ``[rules]`` holds the verdict
    rules' thresholds and ``[spam]`` the spam score's.

    Unknown keys are a ConfigError, so that a misspelt threshold never silently does nothing.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read configuration: {error}") from None
    base = base or Settings()
    tables: dict[str, Any] = {}
    for name in TABLES:
        table = data.pop(name, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [{name}] must be a table")
        current = getattr(base, name)
        tables[name] = replace(current, **_known(path, table, type(current), f"{name}."))
    values = _known(path, data, Settings, "")
    for name in ("evidence_dir", "cache_dir"):
        if name in values and values[name] is not None:
            values[name] = Path(values[name])
    return replace(base, **tables, **values)


def _known(path: Path, table: dict[str, Any], kind: type, prefix: str) -> dict[str, Any]:
    names = {f.name for f in fields(kind)}
    unknown = sorted(set(table) - names)
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(prefix + u for u in unknown)}")
    return dict(table)


def _flat(values: dict[str, object], prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for name, value in values.items():
        if isinstance(value, dict) and name in TABLES:
            flat.update(_flat(value, f"{name}."))
        else:
            flat[prefix + name] = value
    return flat
