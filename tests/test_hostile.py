"""Hostile pages and faulty servers: one report per input, the batch finishes, nothing hangs.

A site on 127.0.0.1, started here (no outside traffic), plays every kind of bad page
and broken server at once; a batch over all of it must give exactly one report per
input, in order, with the good page checked. The SSRF guard stays on for the batch,
with only the test server's own address let through, so the redirect to the cloud
metadata address is refused before any connection is made. The text-level tests
bound the work of the hot paths by the size of the input (operations counted, or
the cost of 10x the text against 20-30x), not by wall-clock thresholds.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import ipaddress
import json
import logging
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from claimcheck import cli
from claimcheck.acquire import netguard
from claimcheck.acquire.fetch import acquire
from claimcheck.claims.lexicon import find_cues
from claimcheck.claims.quantities import find_quantities
from claimcheck.errors import FetchError, InputTooLarge, PrivateAddress
from claimcheck.pipeline import BATCH_PAGES, Checker
from claimcheck.records import Document, Page
from claimcheck.settings import Settings
from claimcheck.signals.prices import find_prices
from claimcheck.signals.spam import detect_spam
from claimcheck.text.extract import extract
from claimcheck.text.segment import MAX_SYMBOL_RUN, segment, sentencizer, tokenizer_safe
from claimcheck.verdicts.judge import Judge
from sitekit import RouteHandler, serve

GOOD_HTML = (
    b"<html><head><title>Calm Harbor Ketamine</title></head><body>"
    b"<h1>Ketamine infusions at Calm Harbor</h1>"
    b"<p>Our ketamine infusions relieve depression in 90% of patients within 24 hours.</p>"
    b"<p>A single infusion costs $450.</p></body></html>"
)
DEEP_LEVELS = 3000
DEEP_HTML = (
    "<html><body><p>Before the nesting, ketamine is described as safe.</p>"
    + "<div>" * DEEP_LEVELS
    + "<p>Deep inside, ketamine cures depression in 95% of patients.</p>"
    + "</div>" * DEEP_LEVELS
    + "<p>After the nesting, relief lasts for 12 months.</p></body></html>"
).encode()
FRENCH = "<html><body><p>Soins à domicile : crème brûlée offerte, 99 € la séance.</p></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
BOMB_INFLATED = 16 * 1024 * 1024
"""Over every cap used here; the old reader inflated a whole network chunk (all of it) at once."""
DRIP_SECONDS = 0.05
TEST_TIMEOUT_S = 0.5
"""Per-request timeout of the batch: the whole-download deadline is three times this."""


def _gzip_bomb(size: int) -> bytes:
    """``size`` bytes of one letter, gzipped (about a thousandth of the size), built in 1 MB steps."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"a" * (1 << 20)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return b"".join([*parts, packer.flush()])


class _HostileSite(RouteHandler):
    """Every route is a different way for a site to be bad; see ``CASES``."""

    bomb = b""

    def do_GET(self) -> None:
        routes: dict[str, Callable[[], None]] = {
            "/robots.txt": lambda: self._send(200, "text/plain", b"User-agent: *\nDisallow: /refused/\n"),
            "/good.html": lambda: self._send(200, "text/html; charset=utf-8", GOOD_HTML),
            "/binary.html": lambda: self._send(200, "text/html", PNG),
            "/empty.html": lambda: self._send(200, "text/html", b""),
            "/huge.html": self._huge,
            "/one-line.txt": lambda: self._send(200, "text/plain", b"ketamine " * 544_000),
            "/dollars.txt": lambda: self._send(200, "text/plain", b"$" * 100_000),
            "/deep.html": lambda: self._send(200, "text/html", DEEP_HTML),
            "/declared.html": lambda: self._send(
                200, "text/html; charset=windows-1252", FRENCH.encode("cp1252")
            ),
            "/undeclared.html": lambda: self._send(200, "text/html", FRENCH.encode("cp1252")),
            "/utf16.html": lambda: self._send(200, "text/html", FRENCH.encode("utf-16")),
            "/error-500.html": lambda: self._send(500, "text/html", b"oops"),
            "/reset.html": self._reset,
            "/slow.html": self._drip,
            "/loop": lambda: self._redirect("/loop"),
            "/to-metadata": lambda: self._redirect("http://169.254.169.254/latest/meta-data/"),
            "/bomb.html": lambda: self._send(200, "text/html", self.bomb, "gzip"),
            "/report.pdf": lambda: self._send(200, "application/pdf", b"%PDF-1.4 not a page"),
            "/refused/page.html": lambda: self._send(200, "text/html", GOOD_HTML),
        }
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            routes.get(self.path, lambda: self._send(404, "text/plain", b"not found"))()

    def _huge(self) -> None:
        """20 MB with no Content-Length: only counting while streaming finds out."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        chunk = b"<p>" + b"ketamine " * 11_111 + b"</p>"
        for _ in range(20_000_000 // len(chunk)):
            self.wfile.write(chunk)

    def _reset(self) -> None:
        """Half a body, then a TCP reset."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "10000")
        self.end_headers()
        self.wfile.write(b"<p>half a page")
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _drip(self) -> None:
        """A byte every ``DRIP_SECONDS`` for up to a minute: every read succeeds, the whole never ends."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<p>")
        for _ in range(int(60 / DRIP_SECONDS)):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(DRIP_SECONDS)


@pytest.fixture(scope="module")
def hostile_site() -> Iterator[str]:
    _HostileSite.bomb = _gzip_bomb(BOMB_INFLATED)
    with serve(_HostileSite) as url:
        yield url


@pytest.fixture
def guard_lets_test_server_through(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SSRF guard as users get it, except that 127.0.0.1 (the test server) is let through."""
    real = netguard.refusal
    server = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(netguard, "refusal", lambda address: None if address == server else real(address))


@pytest.fixture
def guarded_settings(settings: Settings, guard_lets_test_server_through: None) -> Settings:
    return replace(settings, allow_private=False, timeout_s=TEST_TIMEOUT_S)


CASES: tuple[tuple[str, str | None], ...] = (
    ("/good.html", None),
    ("/binary.html", "UnsupportedContent"),
    ("/empty.html", "empty page"),
    ("/huge.html", "InputTooLarge"),
    ("/one-line.txt", "InputTooLarge"),
    ("/dollars.txt", None),
    ("/deep.html", None),
    ("/declared.html", None),
    ("/undeclared.html", None),
    ("/utf16.html", None),
    ("/error-500.html", "500 Internal Server Error"),
    ("/reset.html", "FetchError"),
    ("/slow.html", "still downloading"),
    ("/loop", "redirected more than"),
    ("/to-metadata", "PrivateAddress"),
    ("/bomb.html", "InputTooLarge"),
    ("/report.pdf", "UnsupportedContent"),
    ("/refused/page.html", "RobotsDisallowed"),
    ("/good.html", None),
)
"""Path on the hostile site, and a piece of its expected error (None: checked without error)."""


@pytest.mark.network
def test_a_hostile_batch_gives_one_report_per_input(
    hostile_site: str, guarded_settings: Settings, judge: Judge, tmp_path: Path
) -> None:
    binary_file = tmp_path / "photo.html"
    binary_file.write_bytes(PNG)
    empty_file = tmp_path / "empty.txt"
    empty_file.touch()
    sources = [f"{hostile_site}{path}" for path, _ in CASES] + [str(binary_file), str(empty_file)]
    expected = [error for _, error in CASES] + ["UnsupportedContent", "empty"]

    reports = list(Checker(guarded_settings, judge=judge).check_many(sources))

    assert [r.source for r in reports] == sources
    for report, error in zip(reports, expected, strict=True):
        if error is None:
            assert report.error is None, (report.source, report.error)
        else:
            assert report.error is not None and error in report.error, (report.source, report.error)
        assert report.error is None or "internal error" not in report.error
    by_path = dict(zip([path for path, _ in CASES], reports, strict=False))
    for good in (reports[0], reports[len(CASES) - 1]):
        assert good.claims and any(p.text == "$450" for p in good.prices)
    deep = by_path["/deep.html"]
    assert "Deep inside" in deep.text and "After the nesting" in deep.text and deep.warnings
    for path in ("/declared.html", "/undeclared.html", "/utf16.html"):
        assert "crème brûlée" in by_path[path].text and "99 €" in by_path[path].text
    assert "169.254.169.254" in (by_path["/to-metadata"].error or "")


@pytest.mark.network
def test_slow_drip_is_cut_at_the_download_deadline(hostile_site: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="still downloading"):
        acquire(f"{hostile_site}/slow.html", Settings(allow_private=True, timeout_s=TEST_TIMEOUT_S))
    elapsed = time.monotonic() - started
    deadline = 3 * TEST_TIMEOUT_S
    assert deadline - 0.1 < elapsed < deadline + 1.0


@pytest.mark.network
def test_gzip_bomb_is_stopped_at_the_cap_without_inflating_it(hostile_site: str) -> None:
    cap = 1_000_000
    tracemalloc.start()
    try:
        with pytest.raises(InputTooLarge):
            acquire(f"{hostile_site}/bomb.html", Settings(allow_private=True, max_bytes=cap))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < cap + 4_000_000, f"peak {peak:,} bytes for a {cap:,}-byte cap"


@pytest.mark.network
def test_gzipped_page_is_inflated(hostile_site: str, monkeypatch: pytest.MonkeyPatch) -> None:
    body = gzip.compress(GOOD_HTML)
    monkeypatch.setattr(_HostileSite, "bomb", body)
    page = acquire(f"{hostile_site}/bomb.html", Settings(allow_private=True))
    assert page.raw == GOOD_HTML


@pytest.mark.network
def test_private_addresses_are_refused_before_connecting(hostile_site: str) -> None:
    with pytest.raises(PrivateAddress, match=r"points to 127\.0\.0\.1, a loopback address.*--allow-private"):
        acquire(f"{hostile_site}/good.html", Settings())
    with pytest.raises(PrivateAddress, match="loopback"):
        acquire(f"{hostile_site.replace('127.0.0.1', 'localhost')}/good.html", Settings())


@pytest.mark.network
def test_redirect_to_metadata_address_is_refused(
    hostile_site: str, guard_lets_test_server_through: None
) -> None:
    url = f"{hostile_site}/to-metadata"
    with pytest.raises(PrivateAddress) as caught:
        acquire(url, Settings())
    message = str(caught.value)
    redirect = "http://169.254.169.254/latest/meta-data/"
    assert message.startswith(
        f"{url} (reached through a redirect to {redirect}) points to 169.254.169.254, a link-local"
    )


@pytest.mark.network
def test_the_address_checked_is_the_address_connected(
    hostile_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: a name the resolver maps to 127.0.0.1 is refused, whatever it looked like before."""
    port = int(hostile_site.rsplit(":", 1)[1])
    real = socket.getaddrinfo

    def resolver(host: str, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        if host == "rebind.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    url = f"http://rebind.example:{port}/good.html"
    with pytest.raises(
        PrivateAddress, match=r"points to rebind\.example, which resolves to 127\.0\.0\.1, a loopback"
    ):
        acquire(url, Settings())
    assert acquire(url, Settings(allow_private=True)).raw == GOOD_HTML


# --- extraction keeps every visible character --------------------------------------------


def _html_page(markup: str) -> Page:
    return Page(source="page.html", raw=markup.encode(), sha256="-", media_type="html")


@pytest.mark.parametrize("levels", [300, 5_000])
def test_deeply_nested_html_keeps_its_text(levels: int) -> None:
    markup = (
        "<html><body><p>Before.</p>"
        + "<div>" * levels
        + "<table><tr><td>Infusion</td><td>$400</td></tr></table>"
        "<ul><li>Relief in 40 minutes</li></ul>" + "</div>" * levels + "<p>After.</p></body></html>"
    )
    document = extract(_html_page(markup))
    assert document.text == "Before.\n\nInfusion | $400\n\n- Relief in 40 minutes\n\nAfter."
    assert document.warnings and "nested too deeply" in document.warnings[0]


def test_text_the_main_text_extractor_drops_is_kept() -> None:
    praise = "".join(
        f"<p>Ketamine cured my depression for good, story {i}, and it is safe for all.</p>" for i in range(30)
    )
    markup = (
        "<html><body><article><p>Ketamine infusions relieve depression in many patients.</p></article>"
        f"<div class='comments'>{praise}</div></body></html>"
    )
    document = extract(_html_page(markup))
    assert "story 29" in document.text
    assert document.warnings and "kept only" in document.warnings[0]


def test_ordinary_pages_carry_no_warning() -> None:
    assert extract(_html_page(GOOD_HTML.decode())).warnings == ()


# --- per-input isolation and the time budget -------------------------------------------


def test_a_stage_crash_becomes_that_inputs_error(
    checker: Checker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claimcheck.signals.spam

    def boom(*args: object) -> Iterator[object]:
        raise ValueError("zip() argument 3 is longer than arguments 1-2")

    good = tmp_path / "good.txt"
    good.write_text("Ketamine infusions relieve depression in 90% of patients.")
    monkeypatch.setattr(claimcheck.signals.spam, "_template_residue", boom)
    crashed = checker.check(str(good))
    monkeypatch.undo()
    assert crashed.error == (
        "internal error in the spam stage: ValueError: zip() argument 3 is longer than arguments 1-2 "
        "(a bug in claimcheck: rerun with --debug for the traceback, and please report it)"
    )
    assert checker.check(str(good)).error is None


def test_a_crash_in_the_shared_batch_step_fails_only_its_inputs(
    checker: Checker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The group's shared embedding call is only a speed-up: its failure is met again, per input."""

    def boom(self: Judge, *args: object) -> list[str]:
        raise RuntimeError("queries broke")

    claim = tmp_path / "claim.txt"
    claim.write_text("Ketamine infusions relieve depression in 90% of patients.")
    plain = tmp_path / "plain.txt"
    plain.write_text("Our opening hours are nine to five.")
    monkeypatch.setattr(Judge, "queries", boom)
    first, second = checker.check_many([str(claim), str(plain)])
    assert first.error is not None and first.error.startswith(
        "internal error in the verdicts stage: RuntimeError"
    )
    assert second.error is None


def test_debug_alone_prints_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import claimcheck.signals.spam

    def boom(*args: object) -> Iterator[object]:
        raise ValueError("a spam detector tripped")

    logger = logging.getLogger("claimcheck")
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "level", logger.level)
    monkeypatch.setattr(claimcheck.signals.spam, "_template_residue", boom)
    page = tmp_path / "page.txt"
    page.write_text("Ketamine infusions relieve depression in 90% of patients.")
    args = ["check", "--skip", "claims", "--skip", "verdicts", "--format", "jsonl", str(page)]
    plain = CliRunner().invoke(cli.main, args)
    debug = CliRunner().invoke(cli.main, [*args, "--debug"])
    for result in (plain, debug):
        assert result.exit_code == 1
        assert "internal error in the spam stage: ValueError: a spam detector tripped" in result.stderr
        assert json.loads(result.stdout)["error"].startswith("internal error in the spam stage")
    assert "Traceback" not in plain.stderr
    assert "Traceback (most recent call last)" in debug.stderr and "in boom" in debug.stderr


def test_a_page_over_its_time_budget_fails_alone(
    settings: Settings, judge: Judge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the symbol-run cap, spaCy takes minutes on this page; the budget stops it at one second."""
    import claimcheck.claims.lexicon

    monkeypatch.setattr(claimcheck.claims.lexicon, "tokenizer_safe", lambda text: text)
    slow = tmp_path / "dollars.txt"
    slow.write_text("$" * 30_000)
    good = tmp_path / "good.txt"
    good.write_text("Ketamine infusions relieve depression in 90% of patients.")
    checker = Checker(replace(settings, page_timeout_s=1.0), judge=judge)
    started = time.monotonic()
    first, second = checker.check_many([str(slow), str(good)])
    assert time.monotonic() - started < 20
    assert first.error is not None and first.error.startswith("PageTimeout: checking ")
    assert "longer than 1 s (stopped in the annotate stage)" in first.error
    assert second.error is None and second.claims
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_time_budget_holds_outside_the_main_thread(
    settings: Settings, judge: Judge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Dask worker checks pages in threads, where SIGALRM cannot be used: a timer thread stops the page.

    The stand-in for a stage stuck on hostile text loops in Python (the timer thread's
    exception arrives between bytecodes; one long call into C would not be stopped).
    """
    import claimcheck.pipeline

    real_find_offers = claimcheck.pipeline.find_offers

    def stuck_on_dollars(text: str) -> object:
        while text.startswith("$$$"):
            pass
        return real_find_offers(text)

    monkeypatch.setattr(claimcheck.pipeline, "find_offers", stuck_on_dollars)
    slow = tmp_path / "dollars.txt"
    slow.write_text("$" * 300)
    good = tmp_path / "good.txt"
    good.write_text("Ketamine infusions relieve depression in 90% of patients.")
    checker = Checker(replace(settings, page_timeout_s=1.0), judge=judge)
    list(checker.check_many([str(good)]))  # the models load outside the measured run
    started = time.monotonic()
    with ThreadPoolExecutor(1) as pool:
        first, second = pool.submit(lambda: list(checker.check_many([str(slow), str(good)]))).result()
    assert time.monotonic() - started < 20
    assert first.error is not None and first.error.startswith("PageTimeout: checking ")
    assert second.error is None and second.claims
    time.sleep(1.5)  # a timer that outlived its page would raise here, in this thread or the worker's


# --- linear work on hostile text -------------------------------------------------------

HOSTILE_TEXTS: dict[str, Callable[[int], str]] = {
    "dollars": lambda n: "$" * n,
    "punctuation": lambda n: "".join(random.Random(n).choice('("#*!=€') for _ in range(n)),
    "giant word": lambda n: "a" * n,
    "repeated tokens": lambda n: "ketamine " * (n // 9),
    "percentages": lambda n: "9%" * (n // 2),
}


def _tokenizer_operations(text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """Characters spaCy's tokenizer scans for prefixes, suffixes and infixes while reading ``text``.

    Setting the hooks also empties the tokenizer's cache, so every measurement starts cold.
    """
    tokenizer = sentencizer().tokenizer
    scanned = [0]

    def counted(hook: Callable[[str], object]) -> Callable[[str], object]:
        def wrapper(chunk: str) -> object:
            scanned[0] += len(chunk)
            return hook(chunk)

        return wrapper

    for name in ("prefix_search", "suffix_search", "infix_finditer"):
        monkeypatch.setattr(tokenizer, name, counted(getattr(tokenizer, name)))
    sentencizer().make_doc(tokenizer_safe(text))
    monkeypatch.undo()
    return scanned[0]


@pytest.mark.parametrize("name", ["dollars", "punctuation", "giant word", "repeated tokens"])
def test_tokenizer_work_grows_linearly(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    make = HOSTILE_TEXTS[name]
    small = _tokenizer_operations(make(2_000), monkeypatch)
    large = _tokenizer_operations(make(20_000), monkeypatch)
    assert large < 20 * max(small, 1), f"{name}: {small:,} -> {large:,} characters scanned"


def test_tokenizer_safe_keeps_offsets_and_breaks_only_symbol_runs() -> None:
    text = "Relief in 40 minutes!!! " + "$" * 100 + " call now " + "a" * 500 + " ==> 70%"
    safe = tokenizer_safe(text)
    assert len(safe) == len(text)
    assert all(a == b or (b == " " and not a.isalnum()) for a, b in zip(text, safe, strict=True))
    assert "a" * 500 in safe and "!!!" in safe and "==>" in safe
    runs = [run for run in safe.split() if not any(c.isalnum() for c in run)]
    assert max(len(run) for run in runs) <= MAX_SYMBOL_RUN


def _analysis_cost(text: str) -> float:
    """CPU seconds of the text stages (segment, cues, quantities, prices, spam), best of two."""

    def once() -> float:
        started = time.process_time()
        units = segment(Document(source="x", text=text))
        for unit in units:
            find_cues(unit.text)
            find_quantities(unit.text)
        find_prices(text)
        detect_spam(text)
        return time.process_time() - started

    return min(once() for _ in range(2))


@pytest.mark.parametrize("name", list(HOSTILE_TEXTS))
def test_text_stages_stay_linear_on_hostile_text(name: str) -> None:
    make = HOSTILE_TEXTS[name]
    _analysis_cost(make(500))
    small, large = _analysis_cost(make(2_000)), _analysis_cost(make(20_000))
    assert large < 30 * max(small, 0.005), f"{name}: {small:.3f}s -> {large:.3f}s for 10x the text"


# --- random pages through the whole pipeline --------------------------------------------

NASTY = (
    "$" * 60,
    "<div>" * 300,
    "</div></td></table>",
    "&amp;&#0;&#xD800;&bogus;",
    "<!--",
    "<script>var a = '<p>';",
    "\x00\x1b[2J",
    "\ufeff\u202e",
    "<?xml version='1.0' encoding='utf-8'?>",
    "<meta charset='utf-16'>",
    "<table><tr><td>Infusion</td><td>$400</td></tr>",
    "<ul><li>Relief in 40 minutes<li>100% safe",
    "Ketamine relieves depression in 70% of patients. ",
    "!!!???...",
    "\n\n\r\n",
)
_pieces = st.one_of(st.text(max_size=30), st.sampled_from(NASTY))
_markup = st.lists(_pieces, max_size=25).map("".join)
_pages = st.one_of(
    st.tuples(st.just(".html"), _markup.map(lambda m: m.encode())),
    st.tuples(st.just(".txt"), _markup.map(lambda m: m.encode())),
    st.tuples(st.sampled_from([".html", ".txt"]), st.binary(max_size=300)),
    st.tuples(
        st.just(".html"),
        st.tuples(_markup, st.sampled_from(["utf-16", "cp1252", "latin-1"])).map(
            lambda pair: pair[0].encode(pair[1], errors="replace")
        ),
    ),
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pages")


@hypothesis_settings(
    max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(page=_pages)
def test_any_page_gives_one_consistent_report(
    checker: Checker, scratch: Path, page: tuple[str, bytes]
) -> None:
    suffix, body = page
    path = scratch / f"page{suffix}"
    path.write_bytes(body)
    report = checker.check(str(path))
    assert report.source == str(path)
    if report.error is not None:
        assert "internal error" not in report.error and "PageTimeout" not in report.error
        return
    for span in (*report.claims, *report.prices):
        assert report.text[span.start : span.end] == span.text
    for signal_ in report.spam.signals:
        assert 0 <= signal_.start <= signal_.end <= len(report.text)


# --- output that survives a killed run ---------------------------------------------------


def jsonl_lines(path: Path) -> int:
    return path.read_text().count("\n") if path.exists() else 0


@pytest.mark.network
def test_killed_run_leaves_complete_report_lines(hostile_site: str, tmp_path: Path) -> None:
    """kill -9 while a slow input downloads: the group before it is on disk, whole, and nothing is half-written.

    ``check_many`` yields reports a group of ``BATCH_PAGES`` at a time, so the slow page
    comes after one full group.
    """
    good = tmp_path / "good.txt"
    good.write_text("Ketamine infusions relieve depression in 90% of patients.")
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("from an earlier run")
    command = [
        sys.executable,
        "-c",
        "from claimcheck.cli import main; main()",
        "check",
        "--skip", "claims", "--skip", "verdicts", "--allow-private", "--timeout", "60", "-q",
        "--format", "json", "-o", str(tmp_path / "all.json"), "--report-dir", str(out),
        *[str(good)] * BATCH_PAGES, f"{hostile_site}/slow.html",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    jsonl = out / "reports.jsonl"
    try:
        give_up = time.monotonic() + 60
        while jsonl_lines(jsonl) < BATCH_PAGES and time.monotonic() < give_up:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            time.sleep(0.1)
    finally:
        process.kill()
        process.wait()
    lines = jsonl.read_text().splitlines()
    assert [json.loads(line)["source"] for line in lines] == [str(good)] * BATCH_PAGES
    for table in ("findings.csv", "prices.csv", "spam.csv"):
        rows = list(csv.reader((out / table).read_text().splitlines()))
        assert rows and all(len(row) == len(rows[0]) for row in rows), table
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert visible == ["findings.csv", "prices.csv", "reports.jsonl", "spam.csv"]
    assert not (tmp_path / "all.json").exists()
