"""Settings: plain values, inert to construct (no I/O happens here).

One configuration: the run's settings and the verdict rules' thresholds (``Settings.rules``),
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

from . import __version__
from .errors import ConfigError
from .evidence.base import find_evidence_dir
from .records import VerdictLabel


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
    """Settings from a TOML file: top-level keys are settings, a ``[rules]`` table holds rule thresholds.

    Unknown keys are a ConfigError, so that a misspelt threshold never silently does nothing.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read configuration: {error}") from None
    base = base or Settings()
    rules_table = data.pop("rules", {})
    if not isinstance(rules_table, dict):
        raise ConfigError(f"{path}: [rules] must be a table")
    rules = replace(base.rules, **_known(path, rules_table, Rules, "rules."))
    values = _known(path, data, Settings, "")
    values.pop("rules", None)
    for name in ("evidence_dir", "cache_dir"):
        if name in values and values[name] is not None:
            values[name] = Path(values[name])
    return replace(base, rules=rules, **values)


def _known(path: Path, table: dict[str, Any], kind: type, prefix: str) -> dict[str, Any]:
    names = {f.name for f in fields(kind)}
    unknown = sorted(set(table) - names)
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(prefix + u for u in unknown)}")
    return dict(table)


def _flat(values: dict[str, object], prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for name, value in values.items():
        if isinstance(value, dict) and name == "rules":
            flat.update(_flat(value, "rules."))
        else:
            flat[prefix + name] = value
    return flat
