"""The audit report as a person sees it: rendered by headless Chromium, asserted on its DOM.

The page text of the report below is hostile: a script, an image whose error handler
runs code, a ``javascript:`` link, a stylesheet and an iframe, each pointing at a
local server that records every request. After Chromium has loaded the report (with
its CSP, and once more with the CSP removed, so escaping alone is tested), no script
may have run, no request may have reached the server, and the overview, the
highlighted claim and its DOI link must be on the page.

Chromium is Debian's ``chromium`` package; ``.ci/run`` installs it where it is
missing. Outside CI a machine without it skips these tests; in CI (``CI`` set) a
missing browser is a failure, so the tests cannot silently stop running.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import lxml.html
import pytest

from claimcheck.records import Citation, Claim, EvidenceRef, Meta, Report, SpamResult, SpamSignal
from claimcheck.reports import render_html

pytestmark = pytest.mark.browser

BROWSER_TIMEOUT_S = 60
PWNED = "document.documentElement.dataset.pwned='yes'"


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; .ci/run installs it (apt-get install chromium)")
    pytest.skip("chromium is not installed (apt-get install chromium); CI installs it")


@dataclass
class Beacon:
    """A local server that counts the requests it receives."""

    url: str
    hits: list[str]


@pytest.fixture(scope="module")
def beacon() -> Iterator[Beacon]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Beacon(f"http://127.0.0.1:{server.server_address[1]}", hits)
    finally:
        server.shutdown()
        server.server_close()


def hostile_report(beacon: Beacon) -> Report:
    lead = (
        f'<script>{PWNED}</script><img src={beacon.url}/img onerror="{PWNED}">'
        f'<a href="javascript:{PWNED}">click</a><link rel=stylesheet href={beacon.url}/css>'
        f"<iframe src={beacon.url}/frame></iframe><style>@import url({beacon.url}/import);</style> "
    )
    claim_text = "Ketamine cures depression in 100% of patients."
    text = f"{lead}{claim_text} Book today.\nA calm closing line."
    start = text.index(claim_text)
    citation = Citation(
        "Dean RL, et al. Cochrane 2021.",
        doi="10.1002/14651858.CD011612.pub3",
        pmid="34510411",
        short="Cochrane 2021",
    )
    claim = Claim(
        start,
        start + len(claim_text),
        claim_text,
        ("efficacy",),
        verdict="overstated",
        reasons=("number_beyond_evidence",),
        severity="high",
        explanation=f"No trial shows this. <img src={beacon.url}/explanation>",
        evidence=(EvidenceRef("ket-x", "statement", 0.9, (citation,)),),
    )
    spam = SpamResult("ok", 0.12, (SpamSignal("drug_shop", 0, 8, "shop language", "medium"),))
    return Report(
        f"{beacon.url}/page?<script>{PWNED}</script>",
        text=text,
        title=f"<script>{PWNED}</script>Clinic",
        raw_sha256="a" * 64,
        text_sha256="b" * 64,
        fetched_at="2026-11-30T10:00:00Z",
        claims=(claim,),
        spam=spam,
        meta=Meta("0.1.0", "c" * 64),
    )


@dataclass
class Rendered:
    dom: lxml.html.HtmlElement
    console: str


def render(page: str, tmp_path: Path) -> Rendered:
    """Load ``page`` from a file in headless Chromium; the DOM after load and the console log."""
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-extensions",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=2000",
        "--dump-dom",
        path.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=BROWSER_TIMEOUT_S, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return Rendered(lxml.html.fromstring(done.stdout), done.stderr)


def test_the_report_renders_its_findings_and_requests_nothing(beacon: Beacon, tmp_path: Path) -> None:
    shown = render(render_html([hostile_report(beacon)]), tmp_path)
    dom = shown.dom
    assert dom.get("data-pwned") is None, "a script from the page ran"
    assert not dom.xpath("//script|//img|//iframe|//link|//object|//embed"), "page markup became elements"
    assert beacon.hits == [], f"the report made requests: {beacon.hits}"
    assert "Content Security Policy" not in shown.console, "something was blocked (or the stylesheet)"

    assert dom.xpath("string(//*[@data-total='flagged'])") == "1"
    overview = dom.get_element_by_id("ov-p1")
    assert overview.xpath("string(.//td[@data-count='flagged'])") == "1"
    assert overview.xpath("string(.//td[@data-count='high'])") == "1"
    assert overview.xpath(".//svg[contains(@class, 'chart')]/*[local-name()='rect']")

    finding = dom.get_element_by_id("p1-c1")
    assert finding.xpath("string(.//mark)") == "Ketamine cures depression in 100% of patients."
    context = finding.xpath("string(.//blockquote)")
    assert context.startswith("<script>") and context.endswith("Book today."), (
        "shown as text, in its paragraph"
    )
    hrefs = finding.xpath(".//a/@href")
    assert "https://doi.org/10.1002/14651858.CD011612.pub3" in hrefs
    assert "https://pubmed.ncbi.nlm.nih.gov/34510411/" in hrefs
    every_href = dom.xpath("//a/@href")
    assert all(re.match(r"#|https://", href) for href in every_href), every_href


def test_escaping_alone_keeps_the_page_inert(beacon: Beacon, tmp_path: Path) -> None:
    """Without the CSP as a second line of defence, the escaped page text still does nothing."""
    page = re.sub(
        r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "", render_html([hostile_report(beacon)])
    )
    assert "Content-Security-Policy" not in page
    shown = render(page, tmp_path)
    assert shown.dom.get("data-pwned") is None
    assert not shown.dom.xpath("//script|//img|//iframe|//link")
    assert beacon.hits == [], f"the report made requests: {beacon.hits}"
