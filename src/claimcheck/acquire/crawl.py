"""Crawl: find a site's pages from its sitemaps and its own links, politely.

Every request goes through ``acquire.Fetcher`` (the one HTTP path: size caps, robots.txt,
redirect checks and whatever guards it applies). This module adds what a crawl needs
on top:

* **URL normalisation** (``normalise_url``): ``courlan`` lower-cases the host, drops
  default ports and tracking parameters (``utm_*``, ``fbclid``, ...) and sorts the
  query; the fragment and a trailing slash are dropped here. Two links that differ
  only in those ways are one page.
* **Same site** (``site_key``): the host without ``www.``, with its port; links to any
  other host are not followed.
* **Only pages**: links whose path ends in a non-page extension (images, PDFs, archives,
  scripts) are never queued, and a response that turns out not to be HTML or text is
  recorded as skipped by the caller.
* **Discovery** (``discover``): robots.txt is read for ``Crawl-delay`` and ``Sitemap``
  lines; the sitemaps it names (or ``/sitemap.xml``) are read, following sitemap
  indexes, with an XML parser that resolves no entities and reaches no network.
* **Politeness** (``HostGate``): at most ``per_host`` requests to one host at once and
  at least ``delay`` seconds between the starts of two requests to it, raised to the
  site's ``Crawl-delay`` when that is larger.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit, urlunsplit

import courlan
import lxml.etree
import lxml.html
from courlan.filters import extension_filter
from protego import Protego

from ..errors import ClaimcheckError, InputError
from ..records import FrontierItem, Page
from ..settings import Settings
from .fetch import CONTENT_TYPES, Fetcher, MediaType, product_token

SITEMAP_TYPES: dict[str, MediaType] = {
    **CONTENT_TYPES,
    "application/xml": "text",
    "text/xml": "text",
}
MAX_LINKS_PER_PAGE = 2_000
MAX_SITEMAPS_PER_SITE = 20
MAX_SITEMAP_URLS = 50_000
"""The sitemap protocol's own limit per file."""

_SAFE_XML = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)


@dataclass(frozen=True)
class CrawlOptions:
    """How far and how fast to crawl each site."""

    max_pages: int = 100
    """Pages per site, the seed included."""
    max_depth: int = 3
    """Link hops from the seed; sitemap URLs count as one hop."""
    delay_s: float = 1.0
    """Seconds between two requests to one host (a larger robots.txt Crawl-delay wins)."""
    per_host: int = 2
    concurrency: int = 8
    """Fetches in flight across all hosts."""
    sitemaps: bool = True


@dataclass(frozen=True)
class SiteStart:
    """What discovery found for one site: its first frontier URLs and what robots.txt said."""

    site: str
    seed_url: str
    items: tuple[FrontierItem, ...]
    crawl_delay: float | None = None
    sitemaps: tuple[str, ...] = ()
    errors: tuple[tuple[str, str, str], ...] = field(default=())
    """(url, kind, message) for each sitemap that was named but could not be read."""


def normalise_url(url: str) -> str | None:
    """The canonical form of an http(s) URL, or None for anything else (``mailto:``, ``javascript:``, junk)."""
    url = urldefrag(url.strip())[0]
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return None
    try:
        normal = courlan.normalize_url(url, trailing_slash=False)
    except (ValueError, TypeError):
        return None
    parts = urlsplit(normal)
    if not parts.hostname:
        return None
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") or "/"))


def site_key(url: str) -> str:
    """The site a URL belongs to: host without ``www.``, plus a non-default port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


def is_page_url(url: str) -> bool:
    """False for paths that name a file that is not a web page (``.pdf``, ``.png``, ``.zip``, ...)."""
    return bool(extension_filter(urlsplit(url).path))


def page_links(page: Page) -> list[str]:
    """The absolute ``<a href>`` targets of an HTML page, in document order, at most ``MAX_LINKS_PER_PAGE``."""
    if page.media_type != "html":
        return []
    base = page.final_url or page.url or page.source
    try:
        tree = lxml.html.document_fromstring(page.raw.decode(page.encoding or "utf-8", "replace"))
    except (lxml.etree.ParserError, ValueError):
        return []
    tree.make_links_absolute(base, resolve_base_href=True, handle_failures="discard")
    links = []
    for element, attribute, link, _ in tree.iterlinks():
        if element.tag == "a" and attribute == "href":
            links.append(link)
            if len(links) >= MAX_LINKS_PER_PAGE:
                break
    return links


def sitemap_locations(raw: bytes) -> tuple[list[str], list[str]]:
    """(page URLs, child sitemap URLs) listed in a sitemap or a sitemap index."""
    try:
        root = lxml.etree.fromstring(raw, _SAFE_XML)
    except lxml.etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []
    pages: list[str] = []
    children: list[str] = []
    for loc in root.iter("{*}loc"):
        parent = loc.getparent()
        kind = lxml.etree.QName(parent).localname if parent is not None else ""
        target = children if kind == "sitemap" else pages
        if loc.text and len(pages) < MAX_SITEMAP_URLS:
            target.append(loc.text.strip())
    return pages, children


def follow_links(
    links: Sequence[str], site: str, depth: int, found_on: str, known: set[str], limit: int
) -> list[FrontierItem]:
    """Up to ``limit`` new same-site page URLs among ``links``, normalised, deduplicated against ``known`` (updated)."""
    items: list[FrontierItem] = []
    for link in links:
        if len(items) >= limit:
            break
        url = normalise_url(link)
        if url is None or url in known or site_key(url) != site or not is_page_url(url):
            continue
        known.add(url)
        items.append(FrontierItem(url, site, depth, found_on))
    return items


def discover(seed: str, fetcher: Fetcher, xml_fetcher: Fetcher, options: CrawlOptions) -> SiteStart:
    """The seed plus its sitemap URLs (up to ``max_pages``), and the site's Crawl-delay."""
    seed_url = normalise_url(seed)
    if seed_url is None:
        raise InputError(f"{seed} is not an http(s) URL; `claimcheck audit` crawls web sites")
    site = site_key(seed_url)
    robots = _robots(seed_url, fetcher)
    agent = product_token(fetcher.settings.user_agent)
    delay = robots.crawl_delay(agent) if robots is not None else None
    named = list(robots.sitemaps) if robots is not None else []
    known = {seed_url}
    items = [FrontierItem(seed_url, site, 0)]
    errors: list[tuple[str, str, str]] = []
    if options.sitemaps and options.max_depth >= 1:
        urls, errors = _read_sitemaps(named or [_origin(seed_url) + "/sitemap.xml"], xml_fetcher, bool(named))
        items += follow_links(urls, site, 1, "sitemap", known, options.max_pages - 1)
    return SiteStart(site, seed_url, tuple(items), delay, tuple(named), tuple(errors))


def crawl_fetchers(settings: Settings) -> tuple[Fetcher, Fetcher]:
    """A fetcher for pages and one that also accepts XML, for sitemaps; both on the same guarded path."""
    return Fetcher(settings), Fetcher(settings, content_types=SITEMAP_TYPES)


class HostGate:
    """Per-host politeness shared by the fetch threads (see the module docstring)."""

    def __init__(self, per_host: int, delay_s: float) -> None:
        self.per_host, self.delay_s = per_host, delay_s
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        if seconds is not None:
            with self._lock:
                self._delays[host] = max(self.delay_s, float(seconds))

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Wait for a free slot and for the host's delay to pass, then hold the slot while fetching."""
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        with semaphore:
            self._wait_turn(host)
            yield

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + self._delays.get(host, self.delay_s)
        time.sleep(max(0.0, start - now))


def _robots(seed_url: str, fetcher: Fetcher) -> Protego | None:
    """The site's robots.txt parsed, read through the fetcher; None when there is none or it is unreadable.

    The fetcher itself decides what robots.txt allows for each page; this copy is only
    read for the Crawl-delay and Sitemap lines, which the fetcher does not use.
    """
    try:
        page = fetcher.acquire(_origin(seed_url) + "/robots.txt")
    except ClaimcheckError:
        return None
    return Protego.parse(page.raw[:500_000].decode("utf-8", "replace"))


def _read_sitemaps(
    roots: list[str], fetcher: Fetcher, named: bool
) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Page URLs from the sitemaps and the sitemap indexes they lead to, at most ``MAX_SITEMAPS_PER_SITE`` files.

    A failure is an error to record only for a sitemap robots.txt named (or an index
    listed); a missing ``/sitemap.xml`` guessed by default is normal.
    """
    queue, seen, urls = list(roots), set(roots), []
    errors: list[tuple[str, str, str]] = []
    reported = named
    while queue and len(seen) <= MAX_SITEMAPS_PER_SITE:
        sitemap = queue.pop(0)
        try:
            page = fetcher.acquire(sitemap)
        except ClaimcheckError as error:
            if reported:
                errors.append((sitemap, type(error).__name__, str(error)))
            continue
        pages, children = sitemap_locations(page.raw)
        urls += pages
        reported = True
        for child in children:
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return urls, errors


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
