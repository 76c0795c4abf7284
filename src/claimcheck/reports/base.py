"""The one interface every output format implements.

A writer is made for one destination (a text stream, a file, a database), is handed
reports one at a time as the pipeline produces them, and is closed once at the end.
Formats that can stream (JSON Lines, text, CSV) write each report as it arrives, so a
long batch shows its results as it goes; formats that need the whole batch (the HTML
page opens with an overview) keep what they need and write on ``close``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TextIO

from ..records import Report


class ReportWriter(Protocol):
    """Takes reports in input order and writes them in one format."""

    def add(self, report: Report) -> None:
        """Write (or keep, for a format written at the end) one report."""

    def close(self) -> None:
        """Finish the output. The stream it was given stays open: its owner closes it."""


@dataclass(frozen=True)
class WriterOptions:
    """Choices a user makes about an output, shared by every format that needs them."""

    all_claims: bool = False
    """CSV: a row for every claim, not only the flagged ones."""
    excel: bool = False
    """CSV: start with a UTF-8 byte-order mark, so that Excel reads the file as UTF-8."""
    reviewer: str | None = None
    """ClaimReview: the person or organisation that stands behind the reviews."""
    published: date | None = None
    """ClaimReview: the date the reviews are published (today when not given)."""


class WriterFactory(Protocol):
    def __call__(self, stream: TextIO, options: WriterOptions) -> ReportWriter: ...


def write_all(writer: ReportWriter, reports: Iterable[Report]) -> None:
    """Feed every report to ``writer`` and close it."""
    for report in reports:
        writer.add(report)
    writer.close()
