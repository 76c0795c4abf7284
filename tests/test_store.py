"""The SQLite store: schema, atomic pages, reports read back whole, stable claim ids."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from claimcheck.records import (
    Citation,
    Claim,
    EvidenceRef,
    FrontierItem,
    Meta,
    Price,
    Quantity,
    Report,
    SpamResult,
    SpamSignal,
)
from claimcheck.reports import report_from_dict, report_to_dict
from claimcheck.reports.ids import claim_id, normalise_claim_text
from claimcheck.reports.store import SCHEMA, SCHEMA_VERSION, PageOutcome, Store, StoreError

URL = "https://clinic.example/ketamine"
TEXT = "Ketamine works for 75% of patients. One session costs $450."
META = Meta("0.1.0", "abc123", {"claims": "claim_model.npz sha256:00"}, {"top_k": 3})


def full_report() -> Report:
    """A report with every kind of nested record filled in."""
    cite = Citation("Murrough 2013", doi="10.1/x", pmid="123", url=None, verification="verified")
    ref = EvidenceRef("ket-response", "Response rates of 59-71% in open-label series.", 0.82, (cite,))
    claim = Claim(
        0,
        35,
        TEXT[:35],
        ("efficacy",),
        (Quantity(19, 22, "75%", "percent", 75.0, 75.0, "%", None),),
        hedged=False,
        strength="direct",
        score=0.91,
        verdict="overstated",
        reasons=("number_beyond_evidence",),
        severity="high",
        explanation="75% is above the highest rate the evidence reports.",
        evidence=(ref,),
        candidates=(ref,),
        flag_score=0.7,
        flag_reasons=("number_beyond_evidence",),
        id=claim_id(TEXT[:35], URL),
    )
    price = Price(50, 54, "$450", "USD", 450.0, item="session", unit="session")
    spam = SpamResult("ok", 0.1, (SpamSignal("keyword_stuffing", 0, 8, "ketamine x3", "low"),))
    return Report(
        URL,
        TEXT,
        "Ketamine",
        "t" * 64,
        "r" * 64,
        "2026-01-02T03:04:05Z",
        URL,
        None,
        (claim,),
        spam,
        (price,),
        META,
    )


def test_report_from_dict_inverts_report_to_dict() -> None:
    report = full_report()
    assert report_from_dict(report_to_dict(report)) == report
    assert report_from_dict(json.loads(json.dumps(report_to_dict(report)))) == report


def test_report_from_dict_tolerates_old_and_new_keys() -> None:
    data = report_to_dict(full_report())
    data["from_the_future"] = 1
    del data["claims"][0]["flag_reasons"], data["claims"][0]["id"]
    claim = report_from_dict(data).claims[0]
    assert claim.flag_reasons == () and claim.id == ""


def test_claim_id_is_stable_across_whitespace_quotes_and_case() -> None:
    a = claim_id("Relief in “as little as” 40 minutes.", URL)
    assert a == claim_id('relief in  "as little as"\n40 minutes.', URL)
    assert a != claim_id("Relief in as little as 40 minutes.", URL), "wording changes change the id"
    assert a != claim_id("Relief in “as little as” 40 minutes.", URL + "/other")
    assert normalise_claim_text(" A\u00a0B — C ") == "a b - c"


def test_new_store_has_the_schema_version_and_readable_tables(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma user_version").fetchone() == (SCHEMA_VERSION,)
        tables = {name for (name,) in conn.execute("select name from sqlite_master where type = 'table'")}
        assert set(SCHEMA) <= tables
        columns = {row[1] for row in conn.execute("pragma table_info(claims)")}
        assert {"claim_id", "char_start", "char_end", "verdict", "severity", "explanation"} <= columns
    Store(db).close()  # reopening an up-to-date store changes nothing


def test_a_version_1_store_gains_the_claim_strength_column(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    with sqlite3.connect(db) as conn:
        conn.execute("create table claims (id integer primary key, text text)")
        conn.execute("insert into claims (text) values ('stored before strength')")
        conn.execute("pragma user_version = 1")
    Store(db).close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma user_version").fetchone() == (SCHEMA_VERSION,)
        assert conn.execute("select strength from claims").fetchall() == [("none",)]


def test_store_refuses_a_newer_schema_and_foreign_files(tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as conn:
        conn.execute(f"pragma user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer"):
        Store(newer)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("create table notes (x)")
    with pytest.raises(StoreError, match="not a claimcheck store"):
        Store(foreign)


def test_page_is_stored_whole_and_read_back(tmp_path: Path) -> None:
    report = full_report()
    outcome = PageOutcome(URL, "clinic.example", 1, "checked", report, 200)
    link = FrontierItem("https://clinic.example/prices", "clinic.example", 2, URL)
    with Store(tmp_path / "a.db") as store:
        run_id, resumed = store.open_run({"seeds": [URL]}, {"seeds": [URL]}, META)
        store.save_page(run_id, outcome, [link])
        assert (run_id, resumed) == (1, False)
        assert list(store.outcomes(run_id)) == [outcome]
        assert store.pending(run_id) == [link]
        claim = next(iter(store.db.query("select * from claims")))
        assert (claim["claim_id"], claim["char_start"], claim["char_end"]) == (report.claims[0].id, 0, 35)
        assert json.loads(claim["kinds"]) == ["efficacy"] and claim["strength"] == "direct"
        evidence = next(iter(store.db.query("select * from claim_evidence")))
        assert evidence["evidence_id"] == "ket-response" and "Murrough" in evidence["citations"]
        price = next(iter(store.db.query("select * from prices")))
        assert (price["text"], price["amount"], price["char_start"]) == ("$450", 450.0, 50)
        assert store.db.execute("select count(*) from spam_signals").fetchone() == (1,)
        assert store.open_run({"seeds": [URL]}, {"seeds": [URL]}, META) == (1, True)


def test_a_failing_page_write_leaves_nothing_behind(tmp_path: Path) -> None:
    outcome = PageOutcome(URL, "clinic.example", 0, "checked", full_report(), 200)
    with Store(tmp_path / "a.db") as store:
        run_id, _ = store.open_run({}, {}, META)
        store.save_page(run_id, outcome)
        with pytest.raises(sqlite3.IntegrityError):
            store.save_page(run_id, outcome)  # the same URL twice in a run breaks the unique index
        assert store.db.execute("select count(*) from claims").fetchone() == (1,)
        assert store.db.execute("select count(*) from prices").fetchone() == (1,)


def test_errors_are_recorded_with_their_kind(tmp_path: Path) -> None:
    failed = Report(URL, error="FetchError: https://clinic.example/ketamine returned 404 Not Found")
    with Store(tmp_path / "a.db") as store:
        run_id, _ = store.open_run({}, {}, META)
        store.save_page(run_id, PageOutcome(URL, "clinic.example", 0, "error", failed))
        row = next(iter(store.db.query("select kind, message, url, page_id from errors")))
        assert row == {
            "kind": "FetchError",
            "message": failed.error.split(": ", 1)[1],
            "url": URL,
            "page_id": 1,
        }
        assert store.error_count(run_id) == 1


def test_only_one_writer_holds_a_store(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as first, Store(tmp_path / "a.db") as second:
        with (
            first.exclusive(),
            pytest.raises(StoreError, match="another claimcheck process"),
            second.exclusive(),
        ):
            pass
        with second.exclusive():
            pass  # free again once the first writer is done
