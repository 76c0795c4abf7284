"""Sniffing raw bytes: binary or text, HTML or not, and which charset they declare.

Used by ``acquire`` to refuse binary content before anything downstream sees it, and by
``extract`` to decode pages whose HTTP headers say nothing about their charset.
"""

from __future__ import annotations

import codecs
import re

SNIFF_BYTES = 8192
"""How much of the start of an input is read to decide what it is."""

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Excel file)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Office document"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_TEXT_CONTROLS = b"\t\n\r\x0c\x08\x1b"
_CONTROL_BYTES = bytes(b for b in range(32) if b not in _TEXT_CONTROLS) + b"\x7f"
_MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|main|h[1-6]|ul|ol|table|span|a)[\s>/]",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def binary_kind(raw: bytes) -> str | None:
    """What binary content ``raw`` looks like (for an error message), or None if it may be text."""
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            return kind
    head = raw[:SNIFF_BYTES]
    if bom_charset(head) in ("utf-16-le", "utf-16-be"):
        return None
    if b"\x00" in head:
        return "binary data (it contains NUL bytes)"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls * 10 > len(head):
        return "binary data (it is mostly control bytes)"
    return None


def looks_like_html(raw: bytes) -> bool:
    """Whether the start of ``raw`` contains common HTML tags."""
    return _MARKUP.search(raw[:SNIFF_BYTES]) is not None


def bom_charset(raw: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``raw`` announces, if any."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    return None


def sniff_charset(raw: bytes) -> str | None:
    """The charset a document declares in itself: a BOM, an XML declaration, or a ``<meta>`` tag."""
    bom = bom_charset(raw)
    if bom is not None:
        return bom
    head = raw[:SNIFF_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return known_charset(match.group(1).decode("ascii")) if match else None


def known_charset(label: str | None) -> str | None:
    """``label`` lower-cased if Python has a text codec for it, else None, so junk labels are ignored."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        codecs.lookup(label)
        "".encode(label)
    except LookupError:
        return None
    return label
