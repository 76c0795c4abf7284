"""Reports: the JSON contract and the formats people read, behind one writer interface.

Every format is a `ReportWriter` (``add`` each report, ``close`` at the end), made by a
factory from a stream and `WriterOptions`. ``FORMATS`` names what ``check --format``
offers; ``REPORT_DIR_FILES`` names what ``--report-dir`` writes. A new output (a
database, another schema) is one more writer registered here.

Page text is untrusted: the HTML escapes it, the CSV neutralises spreadsheet
formulas, the terminal text shows control characters as escapes.

Beside the writers: :mod:`.ids` gives each claim a stable id, :mod:`.store` keeps audits
in SQLite, and :mod:`.diff` compares two audits claim by claim.
"""

from __future__ import annotations

from .base import ReportWriter, WriterFactory, WriterOptions, write_all
from .claimreview import ClaimReviewWriter, claim_reviews
from .html import HtmlWriter, content_security_policy, render_html
from .jsonl import JsonArrayWriter, JsonLinesWriter, report_from_dict, report_to_dict, to_jsonl_line
from .table import (
    CsvWriter,
    findings_rows,
    findings_writer,
    price_rows,
    prices_writer,
    spam_rows,
    spam_writer,
    spreadsheet_safe,
    to_csv,
)
from .text import TextWriter, render_text, terminal_safe

FORMATS: dict[str, WriterFactory] = {
    "text": TextWriter,
    "jsonl": JsonLinesWriter,
    "json": JsonArrayWriter,
    "csv": findings_writer,
    "html": HtmlWriter,
    "claimreview": ClaimReviewWriter,
}
"""``check --format`` choices and the writer each one makes."""

REPORT_DIR_FILES: dict[str, WriterFactory] = {
    "reports.jsonl": JsonLinesWriter,
    "findings.csv": findings_writer,
    "prices.csv": prices_writer,
    "spam.csv": spam_writer,
    "report.html": HtmlWriter,
}
"""What ``--report-dir`` writes; ``claimreview.json`` is added when a reviewer is named."""


def report_dir_files(options: WriterOptions) -> dict[str, WriterFactory]:
    """The files ``--report-dir`` writes with these options, and the writer of each."""
    if options.reviewer:
        return {**REPORT_DIR_FILES, "claimreview.json": ClaimReviewWriter}
    return dict(REPORT_DIR_FILES)


__all__ = [
    "FORMATS",
    "REPORT_DIR_FILES",
    "ClaimReviewWriter",
    "CsvWriter",
    "HtmlWriter",
    "JsonArrayWriter",
    "JsonLinesWriter",
    "ReportWriter",
    "TextWriter",
    "WriterFactory",
    "WriterOptions",
    "claim_reviews",
    "content_security_policy",
    "findings_rows",
    "price_rows",
    "render_html",
    "render_text",
    "report_dir_files",
    "report_from_dict",
    "report_to_dict",
    "spam_rows",
    "spreadsheet_safe",
    "terminal_safe",
    "to_csv",
    "to_jsonl_line",
    "write_all",
]
