"""Acquire: turn a URL, a file path or standard input into a ``Page`` of raw bytes.

A source is an ``http://``/``https://`` URL, a path to a file, or ``-`` for standard
input. Whatever the source, the bytes are kept exactly as received (after HTTP
content-encoding is undone) together with their provenance, and three promises hold:

* **Size cap.** Never more than ``settings.max_bytes`` plus one chunk is held in
  memory: files are measured before they are read, downloads are counted as they
  stream, and a declared ``Content-Length`` over the cap stops a download at once.
  Compressed bodies (gzip, deflate: the only codings asked for) are inflated here, at
  most one chunk at a time, so a decompression bomb stops at the cap too.
* **Time limit.** A whole fetch (robots.txt, redirects and body) ends by
  ``TOTAL_TIME_FACTOR`` × ``settings.timeout_s``, enforced on every socket read.
* **Public addresses only** unless ``settings.allow_private``: see ``netguard``.
* **Only text.** Binary content (known magic numbers, NUL bytes, mostly control
  bytes) and HTTP content types other than HTML, XHTML and plain text are refused
  with ``UnsupportedContent`` before anything downstream sees them.
* **robots.txt is obeyed** unless ``settings.respect_robots`` is false, following
  RFC 9309: a robots.txt that parses is obeyed for the ``claimcheck`` product token;
  one that is *unavailable* (4xx, or more redirects than the limit) allows
  everything; one that is *unreachable* (5xx, 429, a read error or a timeout)
  disallows the whole site, since the RFC says a crawler MUST assume complete
  disallow then. A host that refuses the connection or does not resolve is a
  ``FetchError`` naming the page: nothing could be fetched from it. Each redirect hop is checked against its own site's robots.txt.
  Only the first 500 KiB of a robots.txt are parsed (the RFC's minimum).

``Fetcher`` holds one HTTP connection pool and a per-origin robots.txt cache for a
batch of sources; ``acquire`` is the one-shot convenience around it.
"""

from __future__ import annotations

import hashlib
import re
import sys
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Literal

import httpx
from protego import Protego

from ..errors import (
    FetchError,
    InputError,
    InputTooLarge,
    PrivateAddress,
    RobotsDisallowed,
    UnsupportedContent,
)
from ..records import Page
from ..settings import Settings
from .netguard import GuardedBackend, GuardedTransport, RefusedAddress
from .sniff import binary_kind, bom_charset, known_charset, looks_like_html, sniff_charset

MediaType = Literal["html", "text"]

STDIN = "-"
CONTENT_TYPES: dict[str, MediaType] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
}
FILE_SUFFIXES: dict[str, MediaType] = {".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "text"}
CHUNK_BYTES = 64 * 1024
ROBOTS_MAX_BYTES = 500 * 1024
TOTAL_TIME_FACTOR = 3
"""A whole download may take this many times ``settings.timeout_s``.

httpx's timeout bounds each wait (connect, each read), so a server that trickles a
byte at a time would never trip it; the overall limit keeps one slow site from
stalling a batch. ``netguard`` cuts every socket wait to it.
"""
WBITS: dict[str, int] = {
    "gzip": 16 + zlib.MAX_WBITS,
    "x-gzip": 16 + zlib.MAX_WBITS,
    "deflate": zlib.MAX_WBITS,
}
"""The content codings claimcheck asks for and inflates itself, with zlib's window setting for each."""

_ACCEPT = "text/html, application/xhtml+xml;q=0.9, text/plain;q=0.8"
_ACCEPT_ENCODING = "gzip, deflate"
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([^\s;"']+)""", re.IGNORECASE)


def acquire(
    source: str,
    settings: Settings,
    *,
    client: httpx.Client | None = None,
    stdin: BinaryIO | None = None,
) -> Page:
    """Acquire one source. For many sources use a ``Fetcher``, which reuses connections."""
    with Fetcher(settings, client) as fetcher:
        return fetcher.acquire(source, stdin=stdin)


@dataclass(frozen=True)
class _Robots:
    """One origin's robots.txt as it applies to us.

    ``parser`` is None when there is nothing to obey; ``unreachable`` says why the
    file could not be fetched, which RFC 9309 treats as disallowing everything.
    """

    url: str
    parser: Protego | None = None
    unreachable: str | None = None


class Fetcher:
    """Acquires a batch of sources with one connection pool and one robots.txt cache.

    Constructing one does no I/O; the HTTP client is made on the first URL. A client
    passed in (e.g. one built on ``httpx.MockTransport``) is used as it is and left
    open for its owner to close; the timeout and User-Agent from ``settings`` are
    still sent with every request, but the address guard and the per-read deadline
    live in the client this class builds (``netguard``). Not thread-safe: give each
    thread its own.
    """

    def __init__(
        self,
        settings: Settings,
        client: httpx.Client | None = None,
        *,
        content_types: Mapping[str, MediaType] = CONTENT_TYPES,
    ) -> None:
        self.settings = settings
        self.content_types = content_types
        """The Content-Types this fetcher accepts; a crawler reading sitemaps adds XML's."""
        self._client = client
        self._owns_client = client is None
        self._robots: dict[str, _Robots] = {}
        self._backend: GuardedBackend | None = None
        self._deadline: float | None = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this fetcher made it."""
        if self._owns_client and self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._backend = GuardedBackend(allow_private=self.settings.allow_private)
            self._client = httpx.Client(
                transport=GuardedTransport(self._backend), timeout=self.settings.timeout_s
            )
        return self._client

    def acquire(self, source: str, *, stdin: BinaryIO | None = None) -> Page:
        """Acquire a URL, a file, or standard input (``"-"``; ``stdin`` overrides ``sys.stdin``)."""
        if source == STDIN:
            return _from_stream(stdin or sys.stdin.buffer, self.settings)
        if source.lower().startswith(("http://", "https://")):
            return self._from_url(source)
        if "://" in source:
            raise InputError(
                f"{source} is not something claimcheck can fetch; give an http:// or https:// URL, "
                "a file path, or '-' for standard input"
            )
        return _from_file(source, self.settings)

    def _from_url(self, source: str) -> Page:
        """Fetch ``source``, robots.txt and redirects included, before one deadline."""
        url = _parse_url(source)
        self._deadline = time.monotonic() + TOTAL_TIME_FACTOR * self.settings.timeout_s
        try:
            return self._follow(source, url)
        finally:
            self._deadline = None

    def _follow(self, source: str, url: httpx.URL) -> Page:
        """Follow redirects one hop at a time so each hop's address and robots.txt are checked."""
        for _ in range(self.settings.max_redirects + 1):
            try:
                if self.settings.respect_robots:
                    self._check_robots(url)
                with self._stream(url) as response:
                    if not response.is_redirect:
                        return _page_from_response(
                            source, response, self.settings, self._deadline, self.content_types
                        )
                    url = _redirect_target(source, response)
            except RefusedAddress as refused:
                raise PrivateAddress(_refused_message(source, url, refused)) from None
            except httpx.HTTPError as exc:
                raise _fetch_failure(str(url), exc, self.settings.timeout_s, self._expired()) from exc
        raise FetchError(
            f"{source} redirected more than {self.settings.max_redirects} times (last to {url}); "
            "check the URL in a browser, or raise the limit with --max-redirects"
        )

    def _stream(
        self, url: httpx.URL, *, follow_redirects: bool = False
    ) -> AbstractContextManager[httpx.Response]:
        """One GET, streamed; the socket layer gets the current fetch's deadline first."""
        client = self.client
        if self._backend is not None:
            self._backend.deadline = self._deadline
        headers = {
            "User-Agent": self.settings.user_agent,
            "Accept": _ACCEPT,
            "Accept-Encoding": _ACCEPT_ENCODING,
        }
        return client.stream(
            "GET", url, headers=headers, timeout=self.settings.timeout_s, follow_redirects=follow_redirects
        )

    def _check_robots(self, url: httpx.URL) -> None:
        robots = self._robots_for(url)
        how = "pass --ignore-robots only if you have the site owner's permission"
        if robots.unreachable is not None:
            raise RobotsDisallowed(
                f"robots.txt at {robots.url} could not be fetched ({robots.unreachable}); RFC 9309 says "
                f"to treat that as disallowing the whole site, so {url} was not fetched; "
                f"try again later, or {how}"
            )
        agent = product_token(self.settings.user_agent)
        if robots.parser is not None and not robots.parser.can_fetch(str(url), agent):
            raise RobotsDisallowed(f"robots.txt at {robots.url} disallows {url} for {agent}; {how}")

    def _robots_for(self, url: httpx.URL) -> _Robots:
        origin = f"{url.scheme}://{url.netloc.decode('ascii')}"
        if origin not in self._robots:
            try:
                self._robots[origin] = self._load_robots(f"{origin}/robots.txt")
            except httpx.ConnectError as exc:
                # No connection at all: the page cannot be fetched either, so say that plainly.
                raise _fetch_failure(str(url), exc, self.settings.timeout_s, self._expired()) from exc
        return self._robots[origin]

    def _expired(self) -> bool:
        return self._deadline is not None and time.monotonic() >= self._deadline

    def _load_robots(self, robots_url: str) -> _Robots:
        """Fetch and classify one robots.txt per RFC 9309 (see the module docstring)."""
        try:
            with self._stream(httpx.URL(robots_url), follow_redirects=True) as response:
                status = response.status_code
                if response.is_success:
                    body = _read_prefix(_decoded(response, robots_url), ROBOTS_MAX_BYTES)
                    return _Robots(robots_url, parser=Protego.parse(body.decode("utf-8", "replace")))
                if status >= 500 or status == httpx.codes.TOO_MANY_REQUESTS:
                    return _Robots(robots_url, unreachable=_status_text(response))
                return _Robots(robots_url)
        except httpx.TooManyRedirects:
            return _Robots(robots_url)
        except httpx.ConnectError:
            raise
        except httpx.HTTPError as exc:
            if self._expired():
                raise
            return _Robots(robots_url, unreachable=_describe(exc))
        except (UnsupportedContent, FetchError) as exc:
            return _Robots(robots_url, unreachable=str(exc))


def product_token(user_agent: str) -> str:
    """The robots.txt product token in a User-Agent: ``claimcheck`` in ``claimcheck/0.1.0 (...)``."""
    words = user_agent.split()
    return words[0].split("/")[0] if words else user_agent


def _parse_url(source: str) -> httpx.URL:
    try:
        url = httpx.URL(source)
    except httpx.InvalidURL as exc:
        raise InputError(f"{source} is not a valid URL ({exc}); check it for typos") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise InputError(f"{source} is not an http(s) URL with a host name; check it for typos")
    return url


def _redirect_target(source: str, response: httpx.Response) -> httpx.URL:
    location = response.headers["location"]
    try:
        target = response.url.join(location)
    except httpx.InvalidURL as exc:
        raise FetchError(
            f"{source} redirected to an invalid URL {location!r}; the site is misconfigured"
        ) from exc
    if target.scheme not in ("http", "https"):
        raise FetchError(
            f"{source} redirected to {target}, which is not an http(s) URL; claimcheck stops there"
        )
    return target


def _refused_message(source: str, url: httpx.URL, refused: RefusedAddress) -> str:
    via = "" if str(url) == source else f" (reached through a redirect to {url})"
    address = str(refused.address)
    target = f"{address}," if refused.host == address else f"{refused.host}, which resolves to {address},"
    return (
        f"{source}{via} points to {target} a {refused.kind} address; claimcheck connects only to public "
        "addresses, so that a page cannot make it read internal services: pass --allow-private only "
        "to check a site on your own machine or network"
    )


def _page_from_response(
    source: str,
    response: httpx.Response,
    settings: Settings,
    deadline: float | None,
    content_types: Mapping[str, MediaType] = CONTENT_TYPES,
) -> Page:
    """Check status, type and size of a final (non-redirect) response, then read it."""
    url, final_url = str(_parse_url(source)), str(response.url)
    _check_status(source, final_url if final_url != url else None, response)
    content_type = response.headers.get("content-type", "")
    hint = _media_type_from_header(source, content_type, content_types)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_bytes:
        raise _too_large(source, settings.max_bytes, int(declared))
    raw = _collect(_decoded(response, source), source, settings.max_bytes, deadline)
    if not raw:
        raise InputError(
            f"{source} returned an empty page ({response.status_code}); there is nothing to check"
        )
    return _make_page(
        source,
        raw,
        _classify(raw, source, hint),
        _header_charset(content_type),
        url=url,
        final_url=final_url,
        http_status=response.status_code,
    )


def _check_status(source: str, redirected_to: str | None, response: httpx.Response) -> None:
    if response.is_success:
        return
    where = f" (at {redirected_to})" if redirected_to else ""
    raise FetchError(
        f"{source} returned {_status_text(response)}{where}; "
        "check that the URL is right and the page is public"
    )


def _status_text(response: httpx.Response) -> str:
    """``404 Not Found``: the standard phrase, since servers word theirs freely (and HTTP/2 has none)."""
    phrase = httpx.codes.get_reason_phrase(response.status_code) or response.reason_phrase
    return f"{response.status_code} {phrase}".strip()


def _media_type_from_header(
    source: str, content_type: str, content_types: Mapping[str, MediaType] = CONTENT_TYPES
) -> MediaType | None:
    """The media type a Content-Type header names, None when absent; refuses other types."""
    mime = content_type.split(";")[0].strip().lower()
    if not mime:
        return None
    if mime not in content_types:
        raise UnsupportedContent(
            f"{source} is {mime}, not a web page; claimcheck reads text/html, "
            "application/xhtml+xml and text/plain"
        )
    return content_types[mime]


def _header_charset(content_type: str) -> str | None:
    match = _HEADER_CHARSET.search(content_type)
    return known_charset(match.group(1)) if match else None


def _fetch_failure(url: str, exc: httpx.HTTPError, timeout_s: float, expired: bool = False) -> FetchError:
    if expired:
        return _out_of_time(url)
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(
            f"{url} timed out after {timeout_s:g} s ({type(exc).__name__}); the site may be slow or down: "
            "try again later, or allow more time with --timeout"
        )
    if isinstance(exc, httpx.ConnectError):
        return FetchError(
            f"could not connect to {url} ({_describe(exc)}); check the address and that the site is up"
        )
    return FetchError(f"could not fetch {url} ({_describe(exc)}); check the URL and try again")


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _from_file(source: str, settings: Settings) -> Page:
    """Read a file after checking it exists and is under the cap, so a huge file is never read."""
    path = Path(source)
    if not path.exists():
        raise InputError(f"no such file: {source}; check the path, or give an http(s) URL or '-' for stdin")
    if path.is_dir():
        raise InputError(f"{source} is a folder; give the path of a file inside it")
    try:
        size = path.stat().st_size
        if size > settings.max_bytes:
            raise _too_large(source, settings.max_bytes, size)
        with path.open("rb") as handle:
            raw = _collect(iter(partial(handle.read, CHUNK_BYTES), b""), source, settings.max_bytes)
    except OSError as exc:
        raise InputError(f"cannot read {source} ({exc.strerror or exc}); check its permissions") from exc
    if not raw:
        raise InputError(f"{source} is empty; there is nothing to check")
    media_type = _classify(raw, source, FILE_SUFFIXES.get(path.suffix.lower()))
    return _make_page(source, raw, media_type, None)


def _from_stream(stream: BinaryIO, settings: Settings) -> Page:
    name = "standard input"
    raw = _collect(iter(partial(stream.read, CHUNK_BYTES), b""), name, settings.max_bytes)
    if not raw:
        raise InputError("standard input is empty; pipe a page into claimcheck, or give a file or URL")
    return _make_page(STDIN, raw, _classify(raw, name, None), None)


def _make_page(
    source: str,
    raw: bytes,
    media_type: MediaType,
    declared_charset: str | None,
    *,
    url: str | None = None,
    final_url: str | None = None,
    http_status: int | None = None,
) -> Page:
    """Build the Page; the encoding is a BOM, else the declared charset, else one sniffed from the bytes."""
    encoding = bom_charset(raw) or declared_charset or sniff_charset(raw)
    if encoding is None and _is_utf8(raw):
        encoding = "utf-8"
    return Page(
        source=source,
        raw=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        media_type=media_type,
        url=url,
        final_url=final_url,
        fetched_at=_utc_now(),
        http_status=http_status,
        encoding=encoding,
    )


def _out_of_time(name: str) -> FetchError:
    return FetchError(
        f"{name} was still downloading when the time limit for one download ({TOTAL_TIME_FACTOR} × "
        "--timeout) ran out; the site is very slow: try again later, or allow more time with --timeout"
    )


def _decoded(response: httpx.Response, name: str) -> Iterator[bytes]:
    """The body as sent, inflated if it is gzip or deflate; raw chunks are read as they arrive.

    A response built in memory (``httpx.MockTransport``) is read and decoded by httpx
    before it reaches us; its content is used as it is.
    """
    if response.is_stream_consumed:
        return iter([response.content])
    coding = response.headers.get("content-encoding", "").strip().lower()
    if coding in ("", "identity"):
        return response.iter_raw()
    if coding not in WBITS:
        raise UnsupportedContent(
            f"{name} is sent with content coding {coding!r}, which claimcheck does not decode "
            f"(it asks for {_ACCEPT_ENCODING} only)"
        )
    return _inflate(response.iter_raw(), coding, name)


def _inflate(chunks: Iterable[bytes], coding: str, name: str) -> Iterator[bytes]:
    """Inflate compressed chunks, never more than ``CHUNK_BYTES`` of output at a time.

    zlib's ``max_length`` keeps the rest of the input in ``unconsumed_tail``, so a
    1 MB gzip that would inflate to 1 GB costs memory only as fast as the caller
    accepts chunks, and the caller stops at the size cap.
    """
    inflater: zlib._Decompress | None = None
    for chunk in chunks:
        if not chunk:
            continue
        if inflater is None:
            inflater = zlib.decompressobj(_window_bits(coding, chunk))
        pending, full = chunk, True
        while pending or full:
            try:
                out = inflater.decompress(pending, CHUNK_BYTES)
            except zlib.error as exc:
                raise FetchError(f"{name} sent a corrupt {coding} body ({exc}); try again later") from exc
            pending, full = inflater.unconsumed_tail, len(out) == CHUNK_BYTES
            if out:
                yield out
            if inflater.eof:
                return


def _window_bits(coding: str, first_chunk: bytes) -> int:
    """zlib's window setting; "deflate" bodies come with or without the zlib header, so look."""
    if coding != "deflate":
        return WBITS[coding]
    has_header = (
        len(first_chunk) >= 2 and first_chunk[0] & 0x0F == 8 and int.from_bytes(first_chunk[:2]) % 31 == 0
    )
    return zlib.MAX_WBITS if has_header else -zlib.MAX_WBITS


def _collect(chunks: Iterable[bytes], name: str, cap: int, deadline: float | None = None) -> bytes:
    """Join chunks, stopping as soon as they pass ``cap``: at most cap + one chunk is ever held."""
    buffer = bytearray()
    for chunk in chunks:
        buffer += chunk
        if len(buffer) > cap:
            raise _too_large(name, cap)
        if deadline is not None and time.monotonic() > deadline:
            raise _out_of_time(name)
    return bytes(buffer)


def _read_prefix(chunks: Iterator[bytes], limit: int) -> bytes:
    """The first ``limit`` bytes of a stream; the rest is never read."""
    buffer = bytearray()
    for chunk in chunks:
        buffer += chunk
        if len(buffer) >= limit:
            break
    return bytes(buffer[:limit])


def _too_large(name: str, cap: int, size: int | None = None) -> InputTooLarge:
    if size is None:
        return InputTooLarge(
            f"{name} is over the {_human_size(cap)} cap (stopped reading there); raise it with --max-bytes"
        )
    return InputTooLarge(
        f"{name} is {_human_size(size)}, over the {_human_size(cap)} cap (raise it with --max-bytes)"
    )


def _human_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n} bytes"


def _classify(raw: bytes, name: str, hint: MediaType | None) -> MediaType:
    """Refuse binary content; otherwise trust the hint, or sniff HTML vs text when there is none."""
    kind = binary_kind(raw)
    if kind is not None:
        raise UnsupportedContent(
            f"{name} looks like {kind}, not a web page or text; claimcheck reads HTML and plain text"
        )
    if hint is not None:
        return hint
    return "html" if looks_like_html(raw) else "text"


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
