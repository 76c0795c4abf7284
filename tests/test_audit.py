"""Audits: crawl a local site into the store, resume after an interruption or SIGKILL, archive, shard, merge."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimcheck
from audit_site import OFF_SITE, clinic_pages, serve
from claimcheck.acquire.crawl import (
    CrawlOptions,
    HostGate,
    follow_links,
    is_page_url,
    normalise_url,
    site_key,
    sitemap_locations,
)
from claimcheck.acquire.warc import WarcArchive, read_pages
from claimcheck.audit import AuditSummary, crawl_audit, in_shard, warc_audit
from claimcheck.cli import main
from claimcheck.pipeline import STAGES, Checker
from claimcheck.reports.store import PageOutcome, Store
from claimcheck.settings import Settings

FAST = Checker(Settings(allow_private=True), skip=frozenset(STAGES))
"""Fetch and extract only: these tests are about crawling and storing, not about claims."""
QUICK = CrawlOptions(max_pages=500, max_depth=3, delay_s=0.0, concurrency=4)
PAGES = 20
SRC = Path(claimcheck.__file__).resolve().parents[1]


def stored(db: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def paths(db: Path, base: str, status: str = "checked") -> set[str]:
    rows = stored(db, "select url from pages where status = ?", status)
    return {str(url).removeprefix(base) for (url,) in rows}


def expected_paths(count: int) -> set[str]:
    return {"/", *(f"/p/{i}" for i in range(1, count + 1))}


# --- URLs, links, sitemaps ------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTP://Clinic.Example:80/Ketamine/#prices", "http://clinic.example/Ketamine"),
        ("https://clinic.example/a/?utm_source=x&b=2&a=1", "https://clinic.example/a?a=1&b=2"),
        ("https://clinic.example", "https://clinic.example/"),
        ("https://clinic.example/a?fbclid=123", "https://clinic.example/a"),
        ("mailto:info@clinic.example", None),
        ("javascript:void(0)", None),
    ],
)
def test_normalise_url(url: str, normal: str | None) -> None:
    assert normalise_url(url) == normal


def test_site_key_ignores_www_and_default_port() -> None:
    assert (
        site_key("https://www.Clinic.example:443/x") == site_key("http://clinic.example/") == "clinic.example"
    )
    assert site_key("http://127.0.0.1:8000/") == "127.0.0.1:8000"


def test_non_page_extensions_are_not_followed() -> None:
    assert is_page_url("https://c.example/about") and is_page_url("https://c.example/a.html")
    assert not is_page_url("https://c.example/brochure.pdf")
    assert not is_page_url("https://c.example/logo.png")


def test_follow_links_keeps_new_same_site_pages_up_to_the_limit() -> None:
    known = {"https://c.example/"}
    links = [
        "https://c.example/#top",
        "https://c.example/a/",
        "https://c.example/a?utm_campaign=x",
        "https://other.example/a",
        "https://c.example/b.pdf",
        "https://c.example/b",
        "https://c.example/c",
    ]
    items = follow_links(links, "c.example", 1, "https://c.example/", known, limit=2)
    assert [item.url for item in items] == ["https://c.example/a", "https://c.example/b"]
    assert "https://c.example/c" not in known


def test_sitemap_index_and_urlset_are_read() -> None:
    index = b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc> https://c.example/s1.xml </loc></sitemap></sitemapindex>'
    urlset = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://c.example/a</loc></url></urlset>'
    assert sitemap_locations(index) == ([], ["https://c.example/s1.xml"])
    assert sitemap_locations(urlset) == (["https://c.example/a"], [])
    assert sitemap_locations(b"not xml at all") == ([], [])


def test_sitemap_parser_resolves_no_external_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("https://c.example/leaked")
    hostile = (
        f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<urlset><url><loc>&x;</loc></url></urlset>"
    ).encode()
    pages, _ = sitemap_locations(hostile)
    assert "https://c.example/leaked" not in pages


def test_host_gate_spaces_requests_to_one_host() -> None:
    gate = HostGate(per_host=2, delay_s=0.0)
    gate.set_crawl_delay("c.example", 0.05)
    started = time.monotonic()
    for _ in range(4):
        with gate.slot("c.example"):
            pass
    with gate.slot("other.example"):
        pass
    assert time.monotonic() - started >= 0.15


# --- crawling into the store ------------------------------------------------------------


@pytest.mark.network
def test_crawl_finds_every_page_once_and_stores_it(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    with serve(clinic_pages(PAGES)) as site, Store(db) as store:
        summary = crawl_audit([site.base], store, FAST, QUICK)
    checked, twins = paths(db, site.base), {"/p/1", "/copy"}
    assert checked - twins == expected_paths(PAGES) - twins and len(checked & twins) == 1
    [first] = checked & twins
    [second] = twins - {first}
    duplicate = stored(db, "select duplicate_of from pages where url = ?", f"{site.base}{second}")
    assert duplicate == [(f"{site.base}{first}",)], (
        "identical bytes were not stored as a duplicate of the first"
    )
    assert paths(db, site.base, "skipped") == {"/private/notes"}
    assert (summary.checked, summary.duplicates, summary.skipped, summary.errors) == (PAGES + 1, 1, 1, 0)
    pages = [p for p in site.requests if p.startswith("/p/") or p in ("/", "/copy")]
    assert all(site.requests[p] == 1 for p in pages), "a page was fetched twice"
    assert site.requests["/p/2/"] == 0, "a trailing-slash variant was not normalised away"
    for never in ("/logo.png", "/brochure.pdf", "/private/notes"):
        assert site.requests[never] == 0, f"{never} was requested"
    assert stored(db, "select crawl_delay from sites") == [(0.01,)]
    assert stored(db, "select status from runs") == [("finished",)]
    assert stored(db, "select count(*) from frontier where done = 0") == [(0,)]
    sitemap_only = stored(db, "select depth from pages where url = ?", f"{site.base}/p/{PAGES}")
    assert sitemap_only == [(1,)], "a page listed only in the sitemap was not found from it"
    assert OFF_SITE not in {url for (url,) in stored(db, "select url from frontier")}


@pytest.mark.network
def test_max_pages_and_depth_bound_the_crawl(tmp_path: Path) -> None:
    with serve(clinic_pages(PAGES)) as site, Store(tmp_path / "a.db") as store:
        crawl_audit([site.base], store, FAST, CrawlOptions(max_pages=5, delay_s=0.0))
        assert store.page_count(1) == 5
        crawl_audit([site.base], store, FAST, CrawlOptions(max_depth=0, delay_s=0.0))
        assert [o.url for o in store.outcomes(2)] == [f"{site.base}/"]


class Interrupt(Exception):
    """Raised from the progress listener to stop a run midway, as a crash would."""


@pytest.mark.network
def test_interrupted_run_resumes_without_refetching(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    with serve(clinic_pages(PAGES)) as site:

        def stop_after_eight(outcome: PageOutcome, known: int) -> None:
            if len(done_before) == 7:
                raise Interrupt
            done_before.add(outcome.url)

        done_before: set[str] = set()
        with Store(db) as store, pytest.raises(Interrupt):
            crawl_audit([site.base], store, FAST, QUICK, listener=stop_after_eight)
        assert stored(db, "select status from runs") == [("running",)]
        stored_before = {url for (url,) in stored(db, "select url from pages")}
        assert len(stored_before) == 8
        site.requests.clear()
        with Store(db) as store:
            summary = crawl_audit([site.base], store, FAST, QUICK)
    assert summary.resumed and summary.run_id == 1
    assert summary.pages == PAGES + 3 - 8
    refetched = {f"{site.base}{p}" for p in site.requests} & stored_before
    assert not refetched, f"fetched again after resume: {refetched}"
    urls = [url for (url,) in stored(db, "select url from pages")]
    assert len(urls) == len(set(urls)) == PAGES + 3
    assert stored(db, "select status from runs") == [("finished",)]


@pytest.mark.network
def test_new_run_does_not_resume(tmp_path: Path) -> None:
    with serve(clinic_pages(4)) as site, Store(tmp_path / "a.db") as store:
        first = crawl_audit([site.base], store, FAST, QUICK)
        second = crawl_audit([site.base], store, FAST, QUICK)
        assert (first.run_id, second.run_id, second.resumed) == (1, 2, False)
        assert store.page_count(2) == store.page_count(1) == 7


@pytest.mark.network
def test_warc_round_trip_gives_the_same_reports(tmp_path: Path) -> None:
    checker = Checker(Settings(allow_private=True), skip=frozenset({"claims", "verdicts"}))
    warc = tmp_path / "crawl.warc.gz"
    with serve(clinic_pages(6)) as site, Store(tmp_path / "a.db") as store:
        with WarcArchive(warc) as archive:
            crawl_audit([site.base], store, checker, QUICK, warc=archive)
        replay = warc_audit(warc, store, checker)
        live = {o.url: o for o in store.outcomes(1) if o.status in ("checked", "duplicate")}
        again = {o.url: o for o in store.outcomes(replay.run_id)}
    assert set(again) == set(live)
    for url, outcome in live.items():
        before, after = outcome.report, again[url].report
        assert (after.raw_sha256, after.text_sha256, after.title) == (
            before.raw_sha256,
            before.text_sha256,
            before.title,
        )
        assert after.spam == before.spam and after.prices == before.prices
        assert again[url].status == outcome.status
    pages = list(read_pages(warc, Settings(allow_private=True)))
    assert len(pages) == len(live), "every fetched page is archived, nothing else"
    assert all(page.fetched_at and page.http_status == 200 for page in pages)


@pytest.mark.network
def test_check_reads_the_pages_of_a_warc(tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc"
    with serve(clinic_pages(2)) as site, Store(tmp_path / "a.db") as store, WarcArchive(warc) as archive:
        crawl_audit([site.base], store, FAST, QUICK, warc=archive)
    result = CliRunner().invoke(main, ["check", str(warc), "--format", "jsonl", *SKIP_ALL])
    assert result.exit_code == 0, result.output
    sources = [json.loads(line)["source"] for line in result.stdout.splitlines()]
    assert sorted(s.removeprefix(site.base) for s in sources) == ["/", "/copy", "/p/1", "/p/2"]
    assert "[1/?]" in result.stderr


def test_shards_partition_sites_and_merge(tmp_path: Path) -> None:
    seeds = [f"https://clinic{i}.example/" for i in range(40)]
    shards = [[s for s in seeds if in_shard(s, (i, 3))] for i in (1, 2, 3)]
    assert sorted(seed for shard in shards for seed in shard) == sorted(seeds)
    assert all(shards), "a shard got no site out of 40"


@pytest.mark.network
def test_shard_stores_merge_into_one(tmp_path: Path) -> None:
    with serve(clinic_pages(4)) as one, serve(clinic_pages(3)) as two:
        for index, base in enumerate((one.base, two.base), start=1):
            with Store(tmp_path / f"shard{index}.db") as store:
                crawl_audit([base], store, FAST, QUICK)
    with Store(tmp_path / "all.db") as into:
        for index in (1, 2):
            with Store(tmp_path / f"shard{index}.db") as shard:
                assert into.merge_from(shard) == [index]
        assert [run.pages for run in into.runs()] == [7, 6]
        merged = {o.url: o.report for o in into.outcomes(2)}
    with Store(tmp_path / "shard2.db") as shard:
        assert merged == {o.url: o.report for o in shard.outcomes(1)}


# --- the command line, and SIGKILL -----------------------------------------------------


def cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from claimcheck.cli import main; main()", *args]


def cli_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}


SKIP_ALL = [arg for stage in STAGES for arg in ("--skip", stage)]


@pytest.mark.network
@pytest.mark.slow
def test_sigkill_midway_then_resume_stores_every_page_exactly_once(tmp_path: Path) -> None:
    """The issue's test: a 300-page site, the audit killed with SIGKILL midway, then resumed."""
    db = tmp_path / "audit.db"
    count = 300
    with serve(clinic_pages(count)) as site:
        args = cli(
            "audit",
            site.base,
            "--db",
            str(db),
            "--max-pages",
            "1000",
            "--delay",
            "0",
            "-q",
            "--allow-private",
            *SKIP_ALL,
        )
        process = subprocess.Popen(args, env=cli_env(), stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if db.exists() and _count_pages(db) >= 60:
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL, "the audit finished before it could be killed"
        before = {url for (url,) in stored(db, "select url from pages")}
        assert 60 <= len(before) < count
        site.requests.clear()
        resumed = subprocess.run(args, env=cli_env(), capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    urls = [url for (url,) in stored(db, "select url from pages")]
    assert len(urls) == len(set(urls)) == count + 3, "a page was lost or stored twice"
    assert {u.removeprefix(site.base) for u in urls} >= expected_paths(count)
    refetched = {f"{site.base}{p}" for p in site.requests} & before
    assert not refetched, f"{len(refetched)} pages stored before the kill were fetched again"
    assert stored(db, "pragma integrity_check") == [("ok",)]
    assert stored(db, "select count(*), status from runs") == [(1, "finished")]


def _count_pages(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as conn:
            return int(conn.execute("select count(*) from pages").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


@pytest.mark.network
def test_audit_and_runs_commands(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    runner = CliRunner()
    with serve(clinic_pages(3)) as site:
        sites = tmp_path / "sites.txt"
        sites.write_text(f"# clinics\n{site.base}\n\n")
        done = runner.invoke(
            main,
            ["audit", "--sites", str(sites), "--db", str(db), "--delay", "0", "--allow-private", *SKIP_ALL],
        )
    assert done.exit_code == 0, done.output
    assert "ran run 1: 6 pages" in done.stderr
    assert "4 checked, 1 duplicates, 1 skipped, 0 errors" in done.stderr
    listed = runner.invoke(main, ["runs", "--db", str(db)])
    assert listed.stdout.startswith("1\tfinished\t")
    both = runner.invoke(main, ["audit", "https://c.example/", "--from-warc", str(sites), *SKIP_ALL])
    assert both.exit_code == 2 and "not both" in both.stderr


def test_summary_line_counts() -> None:
    summary = AuditSummary(
        3, True, checked=8, duplicates=1, skipped=1, errors=0, elapsed_s=2.0, pages_in_run=20
    )
    assert summary.line().startswith("resumed run 3: 10 pages in 2.0 s (5.0 pages/s)")
