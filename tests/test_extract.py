"""Tests for claimcheck.text.extract: decoding, HTML structure as lines, fallbacks and limits."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

import lxml.html
import pytest

from claimcheck.acquire.fetch import acquire
from claimcheck.errors import InputError, InputTooLarge
from claimcheck.records import Document, Page
from claimcheck.settings import Settings
from claimcheck.text.extract import _HTML_KINDS as HTML_KINDS
from claimcheck.text.extract import decode, extract, render

PAGES = Path(__file__).parent / "data" / "pages"
SETTINGS = Settings(allow_private=True)


def page_of(raw: bytes, media_type: Literal["html", "text"] = "html", encoding: str | None = None) -> Page:
    return Page(
        source="test-page",
        raw=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        media_type=media_type,
        encoding=encoding,
    )


def extract_file(name: str) -> Document:
    return extract(acquire(str(PAGES / name), SETTINGS))


def assert_tidy(text: str) -> None:
    """No trailing spaces, no runs of blank lines, no blank lines at either end."""
    lines = text.split("\n")
    assert all(line == line.rstrip() for line in lines)
    assert "\n\n\n" not in text
    assert lines[0] and lines[-1]


# --- HTML ------------------------------------------------------------------------------


def test_clinic_page_keeps_list_items_and_table_rows_as_lines() -> None:
    lines = extract_file("clinic.html").text.split("\n")
    assert "- Relief in as little as 24 hours" in lines
    assert "- A 90% success rate for treatment-resistant depression" in lines
    assert "- Six infusions over two to three weeks" in lines
    assert "Treatment | Price" in lines
    assert "Single infusion | $450" in lines
    assert "Series of six infusions | $2,400" in lines


def test_clinic_page_main_text_and_metadata() -> None:
    document = extract_file("clinic.html")
    assert document.text.startswith("Ketamine Infusion Therapy\n\nKetamine infusions offer rapid relief")
    assert "within hours of their first session, and our team" in document.text
    for boilerplate in ("tracking code", "font-family", "About us", "All rights reserved", "|---|"):
        assert boilerplate not in document.text
    assert document.title == "Ketamine Infusion Therapy"
    assert document.sitename == "Harbor Wellness Clinic"
    assert document.date == "2024-03-05"
    assert document.source == str(PAGES / "clinic.html")
    assert_tidy(document.text)


def test_blocks_are_separated_by_one_blank_line_and_rows_are_not() -> None:
    text = extract_file("clinic.html").text
    assert "\n\nPricing\n\nTreatment | Price\nSingle infusion | $450\n" in text
    assert "\n\n- Relief in as little as 24 hours\n- A 90%" in text


def test_broken_html_still_yields_text() -> None:
    document = extract_file("broken.html")
    for words in (
        "boosts immunity by 300% & cures fatigue",
        "NAD+ therapy reverses aging",
        "Walk-ins welcome",
    ):
        assert words in document.text
    assert "- Hangover relief" in document.text.split("\n")
    assert "Myers cocktail | $199" in document.text.split("\n")
    assert_tidy(document.text)


def test_short_page_gets_no_menu_or_footer_words() -> None:
    document = extract_file("tiny.html")
    assert document.text == "Botox lasts 6 months."
    assert document.title == "Botox Special"


@pytest.mark.parametrize("failure", [None, RuntimeError("trafilatura bug")])
def test_whole_page_fallback_when_trafilatura_finds_nothing(
    monkeypatch: pytest.MonkeyPatch, failure: Exception | None
) -> None:
    def fake_bare_extraction(*args: object, **kwargs: object) -> None:
        if failure is not None:
            raise failure

    monkeypatch.setattr("claimcheck.text.extract.trafilatura.bare_extraction", fake_bare_extraction)
    tiny = extract_file("tiny.html")
    assert (tiny.text, tiny.title, tiny.date) == ("Botox lasts 6 months.", "Botox Special", None)
    broken = extract_file("broken.html").text
    assert "- Hangover relief" in broken.split("\n")
    assert "Myers cocktail | $199" in broken.split("\n")
    assert "Walk-ins welcome" in broken


def test_page_with_only_scripts_has_no_text() -> None:
    with pytest.raises(InputError, match=r"no text could be extracted from .*scripts_only\.html"):
        extract_file("scripts_only.html")


@pytest.mark.parametrize("raw", [b"   \n\t  ", b"<html><body></body></html>", b"<!-- only a comment -->"])
def test_html_without_text_is_an_input_error(raw: bytes) -> None:
    with pytest.raises(InputError, match="no text could be extracted from test-page"):
        extract(page_of(raw))


def test_xml_declaration_and_control_characters_do_not_break_parsing() -> None:
    raw = b'<?xml version="1.0" encoding="utf-8"?>\n<html><body><p>Results\x0b in 2 weeks.</p></body></html>'
    assert extract(page_of(raw)).text == "Results in 2 weeks."


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<ul><li>One</li><li>Two <b>bold</b> words</li></ul>", "- One\n- Two bold words"),
        ("<ul><li><p>Para in item</p><ul><li>Nested</li></ul></li></ul>", "- Para in item\n- Nested"),
        ("<ol><li>Two<br>lines</li><li></li></ol>", "- Two lines"),
        (
            "<table><tr><th>A</th><th></th><th>C</th></tr><tr><td><p>x</p><p>y</p></td></tr></table>",
            "A | C\nx y",
        ),
        ("<h1>Title</h1><p>One<br>Two</p><div>Three</div>", "Title\n\nOne\nTwo\n\nThree"),
        ("<p>Keep <!-- hidden --> this</p><script>not this</script>", "Keep this"),
        ("<nav>Menu</nav><p>Body</p><footer>Foot</footer>", "Body"),
    ],
)
def test_html_fallback_rendering(markup: str, expected: str) -> None:
    tree = lxml.html.document_fromstring(f"<html><body>{markup}</body></html>")
    assert render(tree, HTML_KINDS) == expected


def test_extracted_text_is_capped() -> None:
    raw = (
        "<html><body>" + "<p>Botox lasts six months for most patients.</p>" * 200 + "</body></html>"
    ).encode()
    with pytest.raises(
        InputTooLarge, match=r"test-page has [\d,]+ characters of text, over the 1,000-character"
    ):
        extract(page_of(raw), max_chars=1000)


# --- plain text --------------------------------------------------------------------------


def test_text_keeps_content_and_only_normalises_line_endings(tmp_path: Path) -> None:
    original = "Ozempic program.\r\nLose 20% in 12 weeks.  \r\rOld Mac line\rLast line  \n\n\n"
    path = tmp_path / "notes.txt"
    path.write_bytes(b"\xef\xbb\xbf" + original.encode())
    document = extract(acquire(str(path), SETTINGS))
    assert document.text == original.replace("\r\n", "\n").replace("\r", "\n")
    start = document.text.index("20%")
    assert document.text[start : start + 12] == "20% in 12 we"
    assert document.title is None


def test_text_file_from_data() -> None:
    document = extract_file("notes.txt")
    assert document.text == (PAGES / "notes.txt").read_text()


def test_whitespace_only_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no text could be extracted"):
        extract(page_of(b" \n\r\n\t", media_type="text"))


# --- decoding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "declared", "text", "used"),
    [
        ("Crème €5".encode(), None, "Crème €5", "utf-8"),
        ("Crème €5".encode(), "iso-8859-1", "Crème €5", "utf-8"),
        ("Crème €5".encode("cp1252"), "iso-8859-1", "Crème €5", "cp1252"),
        ("Crème €5".encode("cp1252"), None, "Crème €5", "cp1252"),
        ("Crème €5".encode("cp1252"), "no-such-charset", "Crème €5", "cp1252"),
        ("Лечение".encode("cp1251"), "windows-1251", "Лечение", "windows-1251"),
        ("治療".encode("shift_jis"), "Shift_JIS", "治療", "shift_jis"),
        (b"caf\xe9 \x81", None, "café \x81", "latin-1"),
        ("\ufeffCrème".encode(), None, "Crème", "utf-8"),
        ("Crème".encode("utf-16"), None, "Crème", "utf-16-le"),
    ],
)
def test_decode_order(raw: bytes, declared: str | None, text: str, used: str) -> None:
    assert decode(raw, declared) == (text, used)


def test_non_utf8_file_with_meta_charset(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    markup = (
        '<html><head><meta charset="windows-1252"></head>'
        "<body><p>Soins à Montréal — “garantis”</p></body></html>"
    )
    path.write_bytes(markup.encode("cp1252"))
    page = acquire(str(path), SETTINGS)
    assert page.encoding == "windows-1252"
    assert extract(page).text == "Soins à Montréal — “garantis”"


def test_non_utf8_text_file_without_declaration(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes("Crème brûlée, naïve café".encode("latin-1"))
    assert extract(acquire(str(path), SETTINGS)).text == "Crème brûlée, naïve café"


@pytest.mark.network
def test_non_utf8_url_decodes_with_declared_charset(local_site: str) -> None:
    page = acquire(f"{local_site}/latin1.html", SETTINGS)
    assert page.encoding == "iso-8859-1"
    document = extract(page)
    assert document.text == "Crème anti-âge : résultats garantis en 7 jours. Prix : 99 € seulement."
    assert document.title == "Soins à Montréal"


@pytest.mark.network
def test_fetched_page_extracts_like_the_file(local_site: str) -> None:
    fetched = extract(acquire(f"{local_site}/clinic.html", SETTINGS))
    assert fetched.text == extract_file("clinic.html").text
