"""Shared fixtures: a small local website served over real sockets on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from claimcheck.pipeline import Checker
from claimcheck.settings import Settings
from claimcheck.verdicts.judge import Judge
from sitekit import RouteHandler, serve

PAGES = Path(__file__).parent / "data" / "pages"
BIG_BYTES = 20_000_000
LATIN1_HTML = (
    "<html><head><title>Soins à Montréal</title></head><body>"
    "<p>Crème anti-âge : résultats garantis en 7 jours. Prix : 99 € seulement.</p>"
    "</body></html>"
).encode("cp1252")
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


class _SiteHandler(RouteHandler):
    """Serves tests/data/pages plus a few generated routes for the edge cases."""

    def do_GET(self) -> None:
        routes = {
            "/image.png": lambda: self._send(200, "image/png", PNG_BYTES),
            "/latin1.html": lambda: self._send(200, "text/html; charset=iso-8859-1", LATIN1_HTML),
            "/headers": lambda: self._send(200, "text/plain; charset=utf-8", str(self.headers).encode()),
            "/big.html": lambda: self._stream_big(declare_length=False),
            "/big-declared.html": lambda: self._stream_big(declare_length=True),
            "/redirect": lambda: self._redirect("/clinic.html"),
            "/redirect-private": lambda: self._redirect("/private/secret.html"),
            "/redirect-loop": lambda: self._redirect("/redirect-loop"),
        }
        if self.path in routes:
            routes[self.path]()
        elif self.path.startswith("/private/"):
            self._send(200, "text/html", b"<html><body><p>Private page.</p></body></html>")
        else:
            super().do_GET()

    def _stream_big(self, *, declare_length: bool) -> None:
        """20 MB of HTML in chunks; without a length the client can only find out by counting."""
        chunk = b"<p>" + b"x" * 99_992 + b"</p>\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if declare_length:
            self.send_header("Content-Length", str(BIG_BYTES))
        self.end_headers()
        try:
            for _ in range(BIG_BYTES // len(chunk)):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture(scope="session")
def local_site() -> Iterator[str]:
    """Base URL (no trailing slash) of a site with pages, robots.txt, errors and edge cases."""
    with serve(partial(_SiteHandler, directory=str(PAGES))) as url:
        yield url


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The project's evidence base, with the embedding cache in a fresh folder."""
    root = Path(__file__).parent.parent
    return Settings(
        evidence_dir=root / "evidence", cache_dir=tmp_path_factory.mktemp("cache"), allow_private=True
    )


@pytest.fixture(scope="session")
def judge(settings: Settings) -> Judge:
    """The real Judge: project evidence, MiniLM embeddings, TF-IDF (loaded once per session)."""
    return Judge.from_settings(settings)


@pytest.fixture(scope="session")
def checker(settings: Settings, judge: Judge) -> Checker:
    """A Checker with every real stage, sharing the session's Judge."""
    return Checker(settings, judge=judge)
