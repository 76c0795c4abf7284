"""Tests for claimcheck.acquire.fetch: files, stdin, URLs, robots.txt, caps and content checks."""

from __future__ import annotations

import gzip
import hashlib
import io
import ipaddress
import re
import socket
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from claimcheck import __version__
from claimcheck.acquire.fetch import CHUNK_BYTES, Fetcher, _decoded, _inflate, acquire, product_token
from claimcheck.acquire.netguard import refusal
from claimcheck.acquire.sniff import binary_kind, looks_like_html, sniff_charset
from claimcheck.errors import (
    FetchError,
    InputError,
    InputTooLarge,
    PrivateAddress,
    RobotsDisallowed,
    UnsupportedContent,
)
from claimcheck.settings import Settings

PAGES = Path(__file__).parent / "data" / "pages"
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
HTML = b"<html><head><title>T</title></head><body><p>Botox lasts 6 months.</p></body></html>"
SETTINGS = Settings(allow_private=True)
"""The local test site is on 127.0.0.1, which the SSRF guard refuses unless allowed."""

Handler = Callable[[httpx.Request], httpx.Response]


def mock_client(handler: Handler, robots: httpx.Response | None = None) -> httpx.Client:
    """A client whose robots.txt answers ``robots`` (404 by default) and other paths ``handler``."""

    def route(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return robots if robots is not None else httpx.Response(404)
        return handler(request)

    return httpx.Client(transport=httpx.MockTransport(route))


def html_response(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Type": "text/html; charset=utf-8"}, content=HTML)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- URLs against the local site -----------------------------------------------------


@pytest.mark.network
def test_fetch_html_page_fills_every_field(local_site: str) -> None:
    page = acquire(f"{local_site}/clinic.html", SETTINGS)
    expected = (PAGES / "clinic.html").read_bytes()
    assert page.raw == expected
    assert page.sha256 == hashlib.sha256(expected).hexdigest()
    assert page.media_type == "html"
    assert page.source == page.url == page.final_url == f"{local_site}/clinic.html"
    assert page.http_status == 200
    assert page.encoding == "utf-8"
    assert page.fetched_at is not None and ISO_UTC.match(page.fetched_at)


@pytest.mark.network
def test_server_receives_claimcheck_user_agent(local_site: str) -> None:
    page = acquire(f"{local_site}/headers", SETTINGS)
    assert page.media_type == "text"
    assert f"User-Agent: claimcheck/{__version__}" in page.raw.decode()


@pytest.mark.network
def test_robots_disallowed_path_is_refused(local_site: str) -> None:
    url = f"{local_site}/private/secret.html"
    with pytest.raises(RobotsDisallowed) as caught:
        acquire(url, SETTINGS)
    message = str(caught.value)
    assert f"robots.txt at {local_site}/robots.txt disallows {url} for claimcheck" in message
    assert "--ignore-robots" in message


@pytest.mark.network
def test_ignoring_robots_fetches_disallowed_path(local_site: str) -> None:
    page = acquire(f"{local_site}/private/secret.html", Settings(respect_robots=False, allow_private=True))
    assert b"Private page." in page.raw


@pytest.mark.network
def test_redirect_is_followed_and_recorded(local_site: str) -> None:
    page = acquire(f"{local_site}/redirect", SETTINGS)
    assert page.url == f"{local_site}/redirect"
    assert page.final_url == f"{local_site}/clinic.html"
    assert page.raw == (PAGES / "clinic.html").read_bytes()


@pytest.mark.network
def test_redirect_into_disallowed_path_is_refused(local_site: str) -> None:
    with pytest.raises(RobotsDisallowed, match=r"private/secret\.html"):
        acquire(f"{local_site}/redirect-private", SETTINGS)


@pytest.mark.network
def test_redirect_loop_stops_at_the_limit(local_site: str) -> None:
    with pytest.raises(FetchError, match="redirected more than 2 times"):
        acquire(f"{local_site}/redirect-loop", Settings(max_redirects=2, allow_private=True))


@pytest.mark.network
def test_404_is_a_fetch_error_naming_url_and_status(local_site: str) -> None:
    url = f"{local_site}/no-such-page.html"
    with pytest.raises(FetchError, match=re.escape(f"{url} returned 404 Not Found")):
        acquire(url, SETTINGS)


@pytest.mark.network
def test_unreachable_host_is_a_fetch_error() -> None:
    url = f"http://127.0.0.1:{closed_port()}/"
    with pytest.raises(FetchError, match=re.escape(f"could not connect to {url}")):
        acquire(url, Settings(respect_robots=False, timeout_s=5, allow_private=True))


@pytest.mark.network
def test_unreachable_host_is_a_fetch_error_naming_the_page() -> None:
    url = f"http://127.0.0.1:{closed_port()}/page.html"
    with pytest.raises(FetchError, match=f"could not connect to {re.escape(url)}"):
        acquire(url, Settings(timeout_s=5, allow_private=True))


@pytest.mark.network
def test_binary_url_is_unsupported(local_site: str) -> None:
    with pytest.raises(UnsupportedContent, match=r"image\.png is image/png"):
        acquire(f"{local_site}/image.png", SETTINGS)


@pytest.mark.network
@pytest.mark.parametrize(
    ("path", "expected"),
    [("/big.html", "is over the 5.0 MB cap"), ("/big-declared.html", "is 20.0 MB, over the 5.0 MB cap")],
)
def test_big_url_is_too_large(local_site: str, path: str, expected: str) -> None:
    with pytest.raises(InputTooLarge, match=re.escape(expected)) as caught:
        acquire(f"{local_site}{path}", SETTINGS)
    assert path in str(caught.value)
    assert "--max-bytes" in str(caught.value)


@pytest.mark.network
def test_fetcher_reuses_its_robots_cache_across_pages(local_site: str) -> None:
    with Fetcher(SETTINGS) as fetcher:
        first = fetcher.acquire(f"{local_site}/clinic.html")
        second = fetcher.acquire(f"{local_site}/tiny.html")
        assert list(fetcher._robots) == [local_site]
    assert first.raw != second.raw


# --- URLs against a mock transport ----------------------------------------------------


def test_request_carries_settings_user_agent_and_accept() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return html_response(request)

    acquire("https://clinic.example/page", SETTINGS, client=mock_client(handler))
    assert seen[0].headers["user-agent"] == SETTINGS.user_agent
    assert "text/html" in seen[0].headers["accept"]


def test_robots_fetched_once_per_origin() -> None:
    paths: list[str] = []

    def route(request: httpx.Request) -> httpx.Response:
        paths.append(f"{request.url.host}{request.url.path}")
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nAllow: /\n")
        return html_response(request)

    with Fetcher(SETTINGS, httpx.Client(transport=httpx.MockTransport(route))) as fetcher:
        for source in ("https://a.example/1", "https://a.example/2", "https://b.example/1"):
            fetcher.acquire(source)
    assert paths.count("a.example/robots.txt") == 1
    assert paths.count("b.example/robots.txt") == 1


@pytest.mark.parametrize(
    ("robots", "allowed"),
    [
        (httpx.Response(404), True),
        (httpx.Response(410), True),
        (httpx.Response(200, text="User-agent: claimcheck\nDisallow: /\n"), False),
        (httpx.Response(200, text="User-agent: otherbot\nDisallow: /\n"), True),
        (httpx.Response(500), False),
        (httpx.Response(503), False),
        (httpx.Response(429), False),
    ],
)
def test_robots_status_policy(robots: httpx.Response, allowed: bool) -> None:
    client = mock_client(html_response, robots=robots)
    if allowed:
        assert acquire("https://clinic.example/page", SETTINGS, client=client).http_status == 200
    else:
        with pytest.raises(RobotsDisallowed, match=r"robots\.txt at https://clinic\.example/robots\.txt"):
            acquire("https://clinic.example/page", SETTINGS, client=client)


def test_robots_timeout_disallows_with_reason() -> None:
    def route(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            raise httpx.ConnectTimeout("timed out", request=request)
        return html_response(request)

    client = httpx.Client(transport=httpx.MockTransport(route))
    with pytest.raises(RobotsDisallowed, match=r"ConnectTimeout.*try again later"):
        acquire("https://clinic.example/page", SETTINGS, client=client)


def test_timeout_is_a_fetch_error_naming_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    with pytest.raises(FetchError, match=r"https://clinic\.example/page timed out after 20 s"):
        acquire("https://clinic.example/page", SETTINGS, client=mock_client(handler))


@pytest.mark.parametrize(
    ("content_type", "body", "media_type"),
    [
        ("text/html; charset=utf-8", HTML, "html"),
        ("application/xhtml+xml", HTML, "html"),
        ("TEXT/PLAIN", b"Botox lasts 6 months.", "text"),
        (None, HTML, "html"),
        (None, b"Botox lasts 6 months.", "text"),
    ],
)
def test_content_type_decides_media_type(content_type: str | None, body: bytes, media_type: str) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    client = mock_client(lambda request: httpx.Response(200, headers=headers, content=body))
    assert acquire("https://clinic.example/page", SETTINGS, client=client).media_type == media_type


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("application/pdf", b"%PDF-1.7", "is application/pdf"),
        ("application/json", b"{}", "is application/json"),
        ("text/html", b"%PDF-1.7\n...", "looks like a PDF document"),
        (None, b"\x89PNG\r\n\x1a\n\x00\x00", "looks like a PNG image"),
    ],
)
def test_non_text_responses_are_unsupported(content_type: str | None, body: bytes, expected: str) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    client = mock_client(lambda request: httpx.Response(200, headers=headers, content=body))
    with pytest.raises(UnsupportedContent, match=re.escape(expected)):
        acquire("https://clinic.example/file", SETTINGS, client=client)


def test_charset_from_header_is_recorded() -> None:
    body = "<p>Crème</p>".encode("cp1252")
    client = mock_client(
        lambda request: httpx.Response(
            200, headers={"Content-Type": "text/html; charset=Windows-1252"}, content=body
        )
    )
    assert acquire("https://clinic.example/", SETTINGS, client=client).encoding == "windows-1252"


def test_download_stops_reading_at_the_cap() -> None:
    """A stream with no length is read only up to the cap plus one chunk."""
    pulled: list[int] = []

    def endless() -> Iterator[bytes]:
        while True:
            pulled.append(CHUNK_BYTES)
            yield b"x" * CHUNK_BYTES

    cap = 10 * CHUNK_BYTES
    client = mock_client(
        lambda request: httpx.Response(200, headers={"Content-Type": "text/html"}, content=endless())
    )
    with pytest.raises(InputTooLarge, match=re.escape("over the 655.4 kB cap")):
        acquire("https://clinic.example/huge", Settings(max_bytes=cap), client=client)
    assert sum(pulled) <= cap + CHUNK_BYTES


def test_server_error_names_status() -> None:
    client = mock_client(lambda request: httpx.Response(503))
    with pytest.raises(FetchError, match=r"https://clinic\.example/ returned 503 Service Unavailable"):
        acquire("https://clinic.example/", SETTINGS, client=client)


def test_empty_response_is_an_input_error() -> None:
    client = mock_client(lambda request: httpx.Response(200, headers={"Content-Type": "text/html"}))
    with pytest.raises(InputError, match="returned an empty page"):
        acquire("https://clinic.example/", SETTINGS, client=client)


@pytest.mark.parametrize("source", ["ftp://clinic.example/page.html", "http://", "https:///path-only"])
def test_unusable_urls_are_input_errors(source: str) -> None:
    with pytest.raises(InputError, match=re.escape(source)):
        acquire(source, SETTINGS, client=mock_client(html_response))


def test_fetcher_construction_is_inert_and_closes_only_its_own_client() -> None:
    fetcher = Fetcher(SETTINGS)
    assert fetcher._client is None
    injected = mock_client(html_response)
    with Fetcher(SETTINGS, injected) as borrowing:
        borrowing.acquire("https://clinic.example/")
    assert not injected.is_closed
    with Fetcher(SETTINGS) as owning:
        own = owning.client
    assert own.is_closed


# --- files and standard input ---------------------------------------------------------


def test_html_file_page_fields() -> None:
    path = PAGES / "clinic.html"
    page = acquire(str(path), SETTINGS)
    assert page.source == str(path)
    assert page.raw == path.read_bytes()
    assert page.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (page.media_type, page.url, page.final_url, page.http_status) == ("html", None, None, None)
    assert page.encoding == "utf-8"
    assert page.fetched_at is not None and ISO_UTC.match(page.fetched_at)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no such file: .*nope\.html"):
        acquire(str(tmp_path / "nope.html"), SETTINGS)


def test_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        acquire(str(tmp_path), SETTINGS)


def test_empty_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=re.escape(f"{path} is empty")):
        acquire(str(path), SETTINGS)


def test_big_file_is_refused_before_reading(tmp_path: Path) -> None:
    """The file is sparse NULs: had it been read, it would be refused as binary instead."""
    path = tmp_path / "page.html"
    with path.open("wb") as handle:
        handle.truncate(20_000_000)
    expected = f"{path} is 20.0 MB, over the 5.0 MB cap (raise it with --max-bytes)"
    with pytest.raises(InputTooLarge, match=re.escape(expected)):
        acquire(str(path), SETTINGS)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        ("scan.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        ("archive.txt", b"PK\x03\x04\x14\x00\x00\x00", "a ZIP archive"),
        ("page.html.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip-compressed data"),
        ("data.txt", b"text\x00with\x00nuls", "contains NUL bytes"),
        ("noise.bin", bytes(range(1, 32)) * 10, "mostly control bytes"),
    ],
)
def test_binary_files_are_unsupported(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnsupportedContent, match=re.escape(expected)):
        acquire(str(path), SETTINGS)


@pytest.mark.parametrize(
    ("name", "content", "media_type"),
    [
        ("page.php", HTML, "html"),
        ("page.HTM", b"Botox lasts 6 months.", "html"),
        ("notes.md", b"# Notes\nBotox lasts 6 months.", "text"),
        ("notes.txt", HTML, "text"),
        ("README", "Crème brûlée".encode("latin-1"), "text"),
    ],
)
def test_extension_decides_else_content_is_sniffed(
    tmp_path: Path, name: str, content: bytes, media_type: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert acquire(str(path), SETTINGS).media_type == media_type


def test_stdin_html_and_text() -> None:
    html = acquire("-", SETTINGS, stdin=io.BytesIO(HTML))
    text = acquire("-", SETTINGS, stdin=io.BytesIO(b"Botox lasts 6 months.\n"))
    assert (html.source, html.media_type, html.raw) == ("-", "html", HTML)
    assert text.media_type == "text"


def test_stdin_defaults_to_sys_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(b"Botox lasts 6 months.\n"))
    monkeypatch.setattr("sys.stdin", fake)
    assert acquire("-", SETTINGS).raw == b"Botox lasts 6 months.\n"


def test_stdin_empty_and_too_large() -> None:
    with pytest.raises(InputError, match="standard input is empty"):
        acquire("-", SETTINGS, stdin=io.BytesIO(b""))
    with pytest.raises(InputTooLarge, match="standard input is over the 100 bytes cap"):
        acquire("-", Settings(max_bytes=100), stdin=io.BytesIO(b"x" * 1000))


# --- sniffing helpers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'<meta charset="ISO-8859-1">', "iso-8859-1"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', "windows-1252"),
        (b'<?xml version="1.0" encoding="UTF-8"?><html>', "utf-8"),
        (b"\xef\xbb\xbf<p>x</p>", "utf-8"),
        (b"\xff\xfe<\x00p\x00>\x00", "utf-16-le"),
        (b'<meta charset="no-such-charset">', None),
        (b"<p>no declaration</p>", None),
    ],
)
def test_sniff_charset(raw: bytes, expected: str | None) -> None:
    assert sniff_charset(raw) == expected


def test_utf16_with_bom_is_text_not_binary() -> None:
    assert binary_kind("<p>Hello</p>".encode("utf-16")) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"<!DOCTYPE html><title>x</title>", True),
        (b"  <div class=a>x</div>", True),
        (b"1 < 2 and 3 > 2", False),
    ],
)
def test_looks_like_html(raw: bytes, expected: bool) -> None:
    assert looks_like_html(raw) is expected


def test_product_token() -> None:
    assert product_token(SETTINGS.user_agent) == "claimcheck"


# --- SSRF guard and bounded inflating ----------------------------------------------------


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "non-public"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
        ("2002:7f00:1::", "loopback"),
        ("64:ff9b::a9fe:a9fe", "link-local"),
        ("93.184.216.34", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_address_policy(address: str, kind: str | None) -> None:
    assert refusal(ipaddress.ip_address(address)) == kind


def test_private_address_is_allowed_when_asked(local_site: str) -> None:
    assert acquire(f"{local_site}/tiny.html", Settings(allow_private=True)).raw
    with pytest.raises(PrivateAddress, match="loopback"):
        acquire(f"{local_site}/tiny.html", Settings())


@pytest.mark.parametrize(
    ("coding", "pack"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data, wbits=-zlib.MAX_WBITS)),
    ],
)
def test_compressed_bodies_are_inflated(coding: str, pack: Callable[[bytes], bytes]) -> None:
    packed = pack(HTML * 50)
    chunks = [packed[i : i + 7] for i in range(0, len(packed), 7)]
    assert b"".join(_inflate(chunks, coding, "page")) == HTML * 50


def test_inflating_never_yields_more_than_a_chunk() -> None:
    bomb = gzip.compress(b"a" * (10 * CHUNK_BYTES))
    pieces = list(_inflate([bomb], "gzip", "page"))
    assert max(len(piece) for piece in pieces) <= CHUNK_BYTES and sum(map(len, pieces)) == 10 * CHUNK_BYTES


def test_unknown_content_coding_is_refused() -> None:
    response = httpx.Response(200, headers={"Content-Encoding": "br"}, stream=httpx.ByteStream(b"\x1b"))
    with pytest.raises(UnsupportedContent, match="content coding 'br'"):
        list(_decoded(response, "page"))
