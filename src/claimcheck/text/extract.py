"""Extract: turn a ``Page`` into a ``Document``, the text every later offset points into.

Decoding never fails: a byte-order mark wins, then strict UTF-8 (valid UTF-8 in
non-ASCII text is strong evidence, and pages often mislabel it), then the declared
charset, then cp1252, then latin-1, which accepts any byte. A declared ``iso-8859-1``
or ``ascii`` is read as cp1252, as browsers do (WHATWG Encoding), since such pages
nearly always hold cp1252 curly quotes and euro signs.

Plain text is kept as it is apart from line endings (CRLF and lone CR become LF) and
a leading BOM, so offsets match the file line for line. HTML goes through
trafilatura for the main text and metadata; the text is rendered from trafilatura's
element tree (not its markdown-like text output) so that structure survives:

* headings and paragraphs are lines, with one blank line between blocks;
* each list item is one line starting ``"- "`` (nested items too, unindented);
* each table row is one line, its non-empty cells joined by ``" | "``.

When trafilatura finds nothing (tiny or broken pages), the same rendering runs over
the visible elements of the whole page instead, minus scripts, styles, navigation
and footers.

Text is never dropped silently; where the text is not trafilatura's main text, the
``Document.warnings`` say why:

* when trafilatura keeps less than ``MIN_MAIN_SHARE`` of the page's visible text,
  the whole page is rendered instead (a page can hide its claims from a main-text
  extractor, and a false "nothing here" is worse than some menu words);
* lxml (libxml2) stops building the tree at 256 levels of nesting, losing everything
  from the deep block on, even what follows it. When it reports that, the page is
  read again by Python's ``html.parser``, which has no depth limit and keeps every
  visible character (:class:`_PlainText`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import replace
from html.parser import HTMLParser
from typing import Any, Literal

import lxml.html
import trafilatura
from lxml import etree

from ..acquire.sniff import bom_charset, known_charset, sniff_charset
from ..errors import InputError, InputTooLarge
from ..records import Document, Page

MAX_TEXT_CHARS = 1_000_000
MIN_MAIN_SHARE = 0.25
"""Below this share of the page's visible characters, trafilatura's main text gives way to the whole page."""

Kind = Literal["skip", "break", "block", "container", "item", "row", "inline"]

_LOG = logging.getLogger(__name__)
_WEB_CP1252 = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "cp819"})
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TREE_TRUNCATED = "ERR_RESOURCE_LIMIT"
"""libxml2's error type when it stops building the tree (nesting over 256 levels)."""
_RAW_TEXT_TAGS = ("script", "style")

_HTML_SKIPPED = "head script style noscript template nav footer svg iframe object canvas select button"
_HTML_BLOCKS = (
    "html body main article section header aside div p h1 h2 h3 h4 h5 h6 blockquote pre address "
    "figure figcaption form fieldset legend details summary center dl dt dd hr caption"
)
_HTML_KINDS: dict[str, Kind] = {
    **dict.fromkeys(_HTML_SKIPPED.split(), "skip"),
    **dict.fromkeys(_HTML_BLOCKS.split(), "block"),
    **dict.fromkeys(("ul", "ol", "menu", "table", "thead", "tbody", "tfoot"), "container"),
    "li": "item",
    "tr": "row",
    "br": "break",
}
_PRUNED = ["//nav", "//footer"]
"""Removed before trafilatura runs: its main extractor drops them anyway, but its
whole-page baseline (used on short pages) would glue menu words onto the first sentence."""
_TRAFILATURA_KINDS: dict[str, Kind] = {
    **_HTML_KINDS,
    "head": "block",
    "quote": "block",
    "code": "block",
    "list": "container",
    "item": "item",
    "row": "row",
    "lb": "break",
    "graphic": "skip",
}
"""trafilatura's own tags (its ``head`` is a heading); HTML tags it leaves in its tree read as HTML."""


def extract(page: Page, *, max_chars: int = MAX_TEXT_CHARS) -> Document:
    """The main text and metadata of ``page``; raises ``InputError`` if it holds no text."""
    declared = page.encoding or (sniff_charset(page.raw) if page.media_type == "html" else None)
    decoded, encoding = decode(page.raw, declared)
    if page.media_type == "text":
        document = Document(source=page.source, text=decoded.replace("\r\n", "\n").replace("\r", "\n"))
    else:
        document = _html_document(page, decoded)
    if not document.text.strip():
        raise InputError(f"no text could be extracted from {page.source}; is the page empty or all script?")
    if len(document.text) > max_chars:
        raise InputTooLarge(
            f"{page.source} has {len(document.text):,} characters of text, over the {max_chars:,}-character "
            "limit; check a smaller page or split this one"
        )
    return replace(document, encoding=encoding)


def decode(raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``raw`` to text, returning the text and the encoding used; never raises.

    The order is explained in the module docstring. A leading BOM is dropped.
    """
    for encoding in _candidate_encodings(raw, declared):
        try:
            return raw.decode(encoding).removeprefix("\ufeff"), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("latin-1"), "latin-1"


def _candidate_encodings(raw: bytes, declared: str | None) -> list[str]:
    bom = bom_charset(raw)
    candidates = [bom, "utf-8"] if bom else ["utf-8"]
    label = known_charset(declared)
    if label is not None:
        candidates.append("cp1252" if label in _WEB_CP1252 else label)
    return [*candidates, "cp1252", "latin-1"]


def _html_document(page: Page, markup: str) -> Document:
    tree, truncated = _parse_html(markup)
    if tree is None or truncated:
        return _plain_document(page, markup, tree)
    title = " ".join(tree.findtext(".//title", default="").split()) or None
    whole = render(tree, _HTML_KINDS)
    found = _trafilatura(tree, page.final_url or page.url)
    body = getattr(found, "body", None) if found is not None else None
    text = render(body, _TRAFILATURA_KINDS, keep_newlines=True) if body is not None else ""
    if not text or found is None:
        return Document(source=page.source, text=whole, title=title)
    share = _visible_chars(text) / max(1, _visible_chars(whole))
    if share < MIN_MAIN_SHARE:
        warning = (
            f"the main-text extractor kept only {share:.0%} of the page's visible text, so the text "
            "of the whole page was checked instead (menus and sidebars included)"
        )
        return Document(source=page.source, text=whole, title=found.title or title, warnings=(warning,))
    return Document(
        source=page.source, text=text, title=found.title, date=found.date, sitename=found.sitename
    )


def _plain_document(page: Page, markup: str, tree: lxml.html.HtmlElement | None) -> Document:
    """The whole page as plain text, for pages lxml cannot build a full tree of."""
    text = _PlainText.of(markup)
    if not text:
        return Document(source=page.source, text="")
    title = " ".join(tree.findtext(".//title", default="").split()) or None if tree is not None else None
    warning = (
        "the page's HTML is nested too deeply or is too broken for the HTML parser, so its text was read "
        "as plain text from the whole page (menus and footers included, some line structure lost)"
    )
    return Document(source=page.source, text=text, title=title, warnings=(warning,))


def _visible_chars(text: str) -> int:
    return len(text) - sum(text.count(space) for space in " \n\t")


def _parse_html(markup: str) -> tuple[lxml.html.HtmlElement | None, bool]:
    """Parse decoded HTML leniently: the tree (None when there is none) and whether lxml cut it short.

    lxml refuses str input that carries an XML encoding declaration or characters
    XML forbids, so both are removed first (the text is already decoded).
    """
    markup = _XML_INVALID.sub("", _XML_DECLARATION.sub("", markup, count=1))
    if not markup.strip():
        return None, False
    parser = lxml.html.HTMLParser()
    try:
        tree = lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        return None, False
    return tree, any(error.type_name == _TREE_TRUNCATED for error in parser.error_log)


class _PlainText(HTMLParser):
    """Every visible character of a page, with line breaks at blocks, items and rows.

    Python's ``html.parser`` streams through the markup with no depth limit, so it is
    the fallback where lxml gives up. Only script and style are left out: their end
    is always found (their content is raw text), whereas an unclosed ``<nav>`` or
    ``<footer>`` skipped here would hide the rest of the page.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = _Lines()
        self._raw_text: str | None = None
        self._cells = 0

    @classmethod
    def of(cls, markup: str) -> str:
        parser = cls()
        parser.feed(markup)
        parser.close()
        return parser.out.text()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _RAW_TEXT_TAGS:
            self._raw_text = tag
        elif tag in ("td", "th"):
            self.out.write(" | " if self._cells else "")
            self._cells += 1
        else:
            self._edge(tag, start=True)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw_text:
            self._raw_text = None
        elif tag not in ("td", "th"):
            self._edge(tag, start=False)

    def handle_data(self, data: str) -> None:
        if self._raw_text is None:
            self.out.write(data)

    def _edge(self, tag: str, *, start: bool) -> None:
        kind = _HTML_KINDS.get(tag, "inline")
        if kind == "item" and start:
            self.out.start_item()
        elif kind in ("item", "row", "break"):
            self.out.end_line()
            self._cells = 0
        elif kind != "inline":
            self.out.end_block()


def _trafilatura(tree: lxml.html.HtmlElement, url: str | None) -> Any:
    """trafilatura's main-content result, or None when it finds none.

    Any exception it raises is logged and treated as "found nothing": its heuristics
    are not ours to debug per page, and the whole-page fallback still gives text.
    """
    try:
        return trafilatura.bare_extraction(
            tree,
            url=url,
            include_comments=False,
            include_tables=True,
            include_formatting=False,
            favor_recall=True,
            with_metadata=True,
            prune_xpath=_PRUNED,
        )
    except Exception:
        _LOG.debug("trafilatura failed on %s; using the whole-page fallback", url, exc_info=True)
        return None


def render(root: etree._Element, kinds: Mapping[str, Kind], *, keep_newlines: bool = False) -> str:
    """Render an element tree as text lines; ``kinds`` says how each tag behaves.

    In HTML a newline is just whitespace. trafilatura has already normalised
    whitespace, so a newline left in its text separates things its baseline
    extractor joined, and ``keep_newlines`` keeps those as line breaks.
    """
    out = _Lines(keep_newlines=keep_newlines)
    _render(root, kinds, out, tight=False)
    return out.text()


class _Lines:
    """Builds text line by line: whitespace squashed, one blank line between blocks, never two."""

    def __init__(self, *, keep_newlines: bool = False) -> None:
        self.keep_newlines = keep_newlines
        self.lines: list[str] = []
        self._parts: list[str] = []
        self._prefix = ""
        self._gap = False

    def write(self, text: str | None) -> None:
        if not text:
            return
        first, *rest = text.split("\n") if self.keep_newlines else [text]
        self._parts.append(first)
        for line in rest:
            self.end_line()
            self._parts.append(line)

    def start_item(self) -> None:
        self.end_line()
        self._prefix = "- "

    def end_line(self) -> None:
        line = " ".join("".join(self._parts).split())
        self._parts.clear()
        if line:
            if self._gap and self.lines:
                self.lines.append("")
            self.lines.append(self._prefix + line)
            self._gap = False
        self._prefix = ""

    def end_block(self) -> None:
        self.end_line()
        self._gap = True

    def text(self) -> str:
        self.end_line()
        return "\n".join(self.lines)


def _kind(element: etree._Element, kinds: Mapping[str, Kind]) -> Kind:
    tag = element.tag
    if not isinstance(tag, str):
        return "skip"
    return kinds.get(tag.lower(), "inline")


def _render(element: etree._Element, kinds: Mapping[str, Kind], out: _Lines, *, tight: bool) -> None:
    """Render one element; ``tight`` (inside a list item) makes block edges line breaks, not blank lines."""
    kind = _kind(element, kinds)
    if kind == "skip":
        return
    if kind == "break":
        out.end_line()
        return
    if kind == "item":
        _render_item(element, kinds, out)
        return
    if kind == "row":
        _render_row(element, kinds, out)
        return
    is_block = kind != "inline"
    edge = out.end_line if tight else out.end_block
    if is_block:
        edge()
    out.write(element.text)
    for child in element:
        _render(child, kinds, out, tight=tight)
        out.write(child.tail)
    if is_block:
        edge()


def _render_item(item: etree._Element, kinds: Mapping[str, Kind], out: _Lines) -> None:
    """One ``- `` line for the item's own text; nested lists and tables follow on their own lines."""
    out.start_item()
    out.write(item.text)
    for child in item:
        if _kind(child, kinds) in ("container", "item", "row"):
            out.end_line()
            _render(child, kinds, out, tight=True)
        else:
            out.write(_flat_text(child, kinds))
        out.write(child.tail)
    out.end_line()


def _render_row(row: etree._Element, kinds: Mapping[str, Kind], out: _Lines) -> None:
    out.end_line()
    cells = (" ".join(_flat_text(cell, kinds).split()) for cell in row)
    out.write(" | ".join(cell for cell in cells if cell))
    out.end_line()


def _flat_text(element: etree._Element, kinds: Mapping[str, Kind]) -> str:
    """All visible text under ``element`` on one line, with spaces where blocks and breaks were."""
    kind = _kind(element, kinds)
    if kind == "skip":
        return ""
    parts = [element.text or ""]
    for child in element:
        parts += [_flat_text(child, kinds), child.tail or ""]
    text = "".join(parts)
    return text if kind == "inline" else f" {text} "
