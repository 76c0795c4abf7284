"""The public API is small and deliberate: this test guards it."""

from __future__ import annotations

import claimcheck

EXPECTED = {
    "AnnotatedDocument",
    "AnnotatedUnit",
    "Checker",
    "Citation",
    "Claim",
    "ClaimcheckError",
    "CueMatch",
    "Document",
    "EvidenceError",
    "EvidenceRef",
    "FetchError",
    "GoldError",
    "InputError",
    "InputTooLarge",
    "Meta",
    "ModelError",
    "NotFittedError",
    "Offer",
    "Page",
    "Price",
    "Quantity",
    "Report",
    "RobotsDisallowed",
    "Settings",
    "SpamResult",
    "SpamSignal",
    "Unit",
    "UnsupportedContent",
    "__version__",
    "check",
    "check_many",
}


def test_all_is_exact() -> None:
    assert set(claimcheck.__all__) == EXPECTED
    for name in claimcheck.__all__:
        assert hasattr(claimcheck, name), name


def test_errors_form_one_tree() -> None:
    for name in (
        "EvidenceError",
        "FetchError",
        "InputError",
        "InputTooLarge",
        "ModelError",
        "RobotsDisallowed",
    ):
        assert issubclass(getattr(claimcheck, name), claimcheck.ClaimcheckError)
    assert issubclass(claimcheck.RobotsDisallowed, claimcheck.InputError)


def test_settings_are_inert() -> None:
    settings = claimcheck.Settings(max_bytes=10)
    assert settings.max_bytes == 10
    assert "cache_dir" not in settings.as_report_dict()


def test_the_version_is_the_one_pyproject_declares() -> None:
    import tomllib
    from pathlib import Path

    import claimcheck
    from claimcheck.version import __version__

    declared = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"][
        "version"
    ]
    assert claimcheck.__version__ == __version__ == declared
