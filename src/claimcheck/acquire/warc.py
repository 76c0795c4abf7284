"""WARC archives: keep every page's bytes as fetched, and audit them again later from the archive.

An audit trail a regulator can defend needs the bytes as served, not only what
claimcheck made of them. ``WarcArchive`` writes one WARC 1.1 ``resource`` record per
page (via ``warcio``): the target URI is the URL asked for, the block is the body as
received (content-encoding undone), the record's Content-Type carries the media type
and charset, and ``WARC-Date`` the fetch time. Two extension fields keep what the
audit needs besides: ``Claimcheck-Final-URL`` (where redirects ended) and
``Claimcheck-HTTP-Status``. ``resource`` rather than ``response`` records, because
the fetcher does not keep the response's HTTP headers and a WARC should not invent them.

``read_pages`` reads such an archive back as ``Page`` records, and also reads the
``response`` records other archivers (wget, browsertrix, pywb) write, so a capture
made with another tool can be audited too. Records that are not HTML or text are
passed over, and each body is capped at ``settings.max_bytes`` like any other input.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from ..errors import InputError
from ..records import Page
from ..settings import Settings
from .fetch import CONTENT_TYPES, MediaType
from .sniff import binary_kind, known_charset

WARC_SUFFIXES = (".warc", ".warc.gz")
FINAL_URL = "Claimcheck-Final-URL"
HTTP_STATUS = "Claimcheck-HTTP-Status"


def is_warc(path: str) -> bool:
    return path.lower().endswith(WARC_SUFFIXES)


class WarcArchive:
    """Appends pages to a WARC file (gzipped per record when the name ends in ``.gz``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: BinaryIO = path.open("ab")
        self._writer = WARCWriter(self._handle, gzip=path.suffix == ".gz", warc_version="1.1")
        if path.stat().st_size == 0:
            self._writer.write_record(
                self._writer.create_warcinfo_record(path.name, {"software": "claimcheck"})
            )

    def write(self, page: Page) -> None:
        """One ``resource`` record for the page, flushed so that a killed run keeps what it archived."""
        headers = {"WARC-Date": page.fetched_at or "", HTTP_STATUS: str(page.http_status or "")}
        if page.final_url and page.final_url != page.url:
            headers[FINAL_URL] = page.final_url
        mime = "text/html" if page.media_type == "html" else "text/plain"
        content_type = f"{mime}; charset={page.encoding}" if page.encoding else mime
        record = self._writer.create_warc_record(
            page.url or page.source,
            "resource",
            payload=io.BytesIO(page.raw),
            length=len(page.raw),
            warc_content_type=content_type,
            warc_headers_dict={key: value for key, value in headers.items() if value},
        )
        self._writer.write_record(record)
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def read_pages(path: Path, settings: Settings) -> Iterator[Page]:
    """The HTML and text pages archived in a WARC, in archive order."""
    if not path.is_file():
        raise InputError(f"no such WARC file: {path}")
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            page = _page_from_record(record, settings)
            if page is not None:
                yield page


def _page_from_record(record: object, settings: Settings) -> Page | None:
    kind = record.rec_type  # type: ignore[attr-defined]
    if kind not in ("resource", "response"):
        return None
    headers = record.rec_headers  # type: ignore[attr-defined]
    http = record.http_headers if kind == "response" else None  # type: ignore[attr-defined]
    content_type = (http.get_header("Content-Type") if http else headers.get_header("Content-Type")) or ""
    media_type = _media_type(content_type)
    if media_type is None or (http is not None and not http.get_statuscode().startswith("2")):
        return None
    raw = record.content_stream().read(settings.max_bytes + 1)  # type: ignore[attr-defined]
    if not raw or len(raw) > settings.max_bytes or binary_kind(raw):
        return None
    url = headers.get_header("WARC-Target-URI")
    status = http.get_statuscode() if http else headers.get_header(HTTP_STATUS)
    return Page(
        source=url,
        raw=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        media_type=media_type,
        url=url,
        final_url=headers.get_header(FINAL_URL) or url,
        fetched_at=headers.get_header("WARC-Date"),
        http_status=int(status) if status and status.isdigit() else None,
        encoding=_charset(content_type),
    )


def _media_type(content_type: str) -> MediaType | None:
    return CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return known_charset(value.strip("\"'"))
    return None
