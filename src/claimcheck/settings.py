"""Settings: plain values, inert to construct (no I/O happens here)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import __version__


def find_evidence_dir() -> Path:
    """``$CLAIMCHECK_EVIDENCE``, else ``./evidence``, else the checkout's ``evidence/`` (editable installs)."""
    if "CLAIMCHECK_EVIDENCE" in os.environ:
        return Path(os.environ["CLAIMCHECK_EVIDENCE"])
    here = Path("evidence")
    checkout = Path(__file__).resolve().parents[2] / "evidence"
    return checkout if not here.is_dir() and checkout.is_dir() else here


def _default_cache_dir() -> Path:
    """``$CLAIMCHECK_CACHE``, else ``$XDG_CACHE_HOME/claimcheck`` (``~/.cache/claimcheck``)."""
    if "CLAIMCHECK_CACHE" in os.environ:
        return Path(os.environ["CLAIMCHECK_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME", "~/.cache")).expanduser() / "claimcheck"


@dataclass(frozen=True)
class Settings:
    """Everything a run can be configured with. Reports record these values."""

    timeout_s: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    respect_robots: bool = True
    user_agent: str = f"claimcheck/{__version__} (health-claim audit; +https://pypi.org/project/claimcheck/)"
    min_claim_score: float = 0.4
    top_k: int = 3
    learned_flags: bool = True
    """Let the claim model flag claims the verdict rules pass (False: findings rest on rules alone)."""
    evidence_dir: Path | None = None
    """None: found on first use by :func:`find_evidence_dir`."""
    cache_dir: Path = field(default_factory=_default_cache_dir)

    def as_report_dict(self) -> dict[str, object]:
        """The settings that change results, as plain JSON values (no machine-local paths)."""
        values = asdict(self)
        values.pop("cache_dir")
        values["evidence_dir"] = self.evidence_path.name
        return values

    @property
    def evidence_path(self) -> Path:
        """The evidence folder: the one given, or the one :func:`find_evidence_dir` finds."""
        return self.evidence_dir if self.evidence_dir is not None else find_evidence_dir()
