"""The one exception tree of claimcheck.

    ClaimcheckError
    ├── InputError             the input cannot be read or is not something we check
    │   ├── FetchError         network failure or an HTTP error status
    │   │   └── PrivateAddress a URL or redirect points at a loopback/private/... address
    │   ├── RobotsDisallowed   robots.txt forbids fetching the URL
    │   ├── UnsupportedContent binary or non-HTML/non-text content
    │   └── InputTooLarge      the input is over the size cap
    ├── PageTimeout            one input took longer than its time budget
    ├── EvidenceError          a malformed evidence file (names file, line and field)
    ├── GoldError              a malformed gold annotation file
    ├── ModelError             a model file is missing, corrupt or fails its checksum
    ├── NotFittedError         an index or classifier used before ``fit``
    ├── ConfigError            a --config file that is unreadable or names an unknown setting
    └── ClusterError           --dask without the dask extra installed, or its scheduler unreachable

Every message says what went wrong and, where it can, what to do next.
"""

from __future__ import annotations


class ClaimcheckError(Exception):
    """Base class of every error claimcheck raises on purpose."""


class InputError(ClaimcheckError):
    """An input could not be turned into a page of text."""


class FetchError(InputError):
    """A URL could not be fetched (network failure, timeout or HTTP error)."""


class PrivateAddress(FetchError):
    """A URL, redirect or robots.txt resolves to an address that is not public (SSRF guard)."""


class RobotsDisallowed(InputError):
    """The site's robots.txt does not allow claimcheck to fetch this URL."""


class UnsupportedContent(InputError):
    """The input is binary, or a content type claimcheck does not read."""


class InputTooLarge(InputError):
    """The input is larger than the configured size cap."""


class PageTimeout(ClaimcheckError):
    """Checking one input took longer than ``Settings.page_timeout_s``."""


class EvidenceError(ClaimcheckError):
    """An evidence file is malformed; the message names file, line and field."""

    def __init__(self, path: str, line: int | None, field: str | None, problem: str) -> None:
        self.path, self.line, self.field, self.problem = path, line, field, problem
        where = path if line is None else f"{path}:{line}"
        what = f" [{field}]" if field else ""
        super().__init__(f"{where}{what}: {problem}")


class GoldError(ClaimcheckError):
    """A gold annotation file is malformed or does not match its page."""


class ModelError(ClaimcheckError):
    """A model could not be loaded (missing package, missing file or wrong checksum)."""


class NotFittedError(ClaimcheckError):
    """An estimator-like object was used before ``fit`` was called."""


class ConfigError(ClaimcheckError):
    """A configuration file that cannot be read, or names a setting that does not exist."""


class ClusterError(ClaimcheckError):
    """Pages cannot be sent to a Dask cluster: ``claimcheck[dask]`` is not installed, or no scheduler answers."""
