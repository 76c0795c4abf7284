"""A generated clinic website served on 127.0.0.1, for the crawl, store, resume and diff tests.

The site has what a crawler must cope with: a robots.txt with a Crawl-delay, a
disallowed folder and a Sitemap line pointing at a sitemap index; pages reachable only
by links and pages listed only in the sitemap; links with fragments, tracking
parameters and trailing slashes; a page whose bytes are identical to another's; links
to an image and a PDF; and a link to another site. The text is written for these tests.
Pages can be changed while the server runs (``site.pages[path] = ...``) to test diffs.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
OFF_SITE = "http://elsewhere.invalid/ketamine"

CLAIMS = (
    "Ketamine infusions relieve depression for {n} out of 10 patients within one hour.",
    "Our clinic is the safest place in the state for infusion therapy.",
    "Most patients feel better after a single session, and the effect lasts for months.",
    "The treatment is approved for anxiety, pain and depression.",
)


def page_html(title: str, body: str, links: list[str]) -> bytes:
    anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body><main><h1>{title}</h1>"
        f"<p>{body}</p><ul>{anchors}</ul></main></body></html>"
    ).encode()


def clinic_pages(count: int) -> dict[str, tuple[str, bytes]]:
    """``count`` numbered pages plus the special ones, as path -> (content type, body).

    The home page links to the first half of the numbered pages; the second half is in
    the sitemap only. Page i links to page i+1 (with a fragment and a tracking
    parameter), to the image and PDF, and off site.
    """
    html = "text/html; charset=utf-8"
    pages: dict[str, tuple[str, bytes]] = {}
    half = count // 2
    home_links = [f"/p/{i}" for i in range(1, half + 1)] + ["/copy", "/private/notes", OFF_SITE]
    pages["/"] = (html, page_html("Calm Clinic", CLAIMS[1], home_links))
    for i in range(1, count + 1):
        links = [
            f"/p/{i + 1}#top",
            f"/p/{i + 1}/?utm_source=newsletter",
            "/logo.png",
            "/brochure.pdf",
            OFF_SITE,
        ]
        body = f"Page {i}. " + CLAIMS[i % len(CLAIMS)].format(n=1 + i % 9)
        pages[f"/p/{i}"] = (html, page_html(f"Treatment page {i}", body, links if i < count else []))
    pages["/copy"] = pages["/p/1"]
    pages["/private/notes"] = (html, page_html("Staff notes", "Not for crawlers.", []))
    pages["/logo.png"] = ("image/png", PNG)
    pages["/brochure.pdf"] = ("application/pdf", b"%PDF-1.4\n%\xe2\xe3\n")
    pages["/robots.txt"] = (
        "text/plain",
        b"User-agent: *\nCrawl-delay: 0.01\nDisallow: /private/\nSitemap: {base}/sitemap-index.xml\n",
    )
    pages["/sitemap-index.xml"] = (
        "application/xml",
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>{base}/sitemap-pages.xml</loc></sitemap></sitemapindex>",
    )
    locs = "".join(f"<url><loc>{{base}}/p/{i}</loc></url>" for i in range(half + 1, count + 1))
    pages["/sitemap-pages.xml"] = (
        "application/xml",
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'.encode(),
    )
    return pages


class LocalSite:
    """A running server for ``pages``; ``requests`` counts GETs per path (query string dropped)."""

    def __init__(self, pages: dict[str, tuple[str, bytes]]) -> None:
        self.pages = pages
        self.requests: Counter[str] = Counter()
        self.base = ""

    def handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                site.requests[path] += 1
                if path not in site.pages:
                    self._send(404, "text/plain", b"not found")
                    return
                content_type, body = site.pages[path]
                self._send(200, content_type, body.replace(b"{base}", site.base.encode()))

            def _send(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        return Handler


@contextmanager
def serve(pages: dict[str, tuple[str, bytes]]) -> Iterator[LocalSite]:
    site = LocalSite(pages)
    server = ThreadingHTTPServer(("127.0.0.1", 0), site.handler())
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
