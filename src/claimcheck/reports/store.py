"""The audit store: every run, page, claim, price, spam signal and error in one SQLite file.

The file opens in ``sqlite3`` and in Datasette (``datasette claimcheck.db``) with
readable names. The schema lives here and nowhere else: ``SCHEMA`` lists the tables,
``PRAGMA user_version`` records the version, and ``Store`` creates or migrates the
file when it opens it (a file from a newer claimcheck is refused, not guessed at).

Tables (``run_id`` in each links to ``runs.id``; ``page_id`` to ``pages.id``):

    runs            one audit: configuration, tool version, evidence and model hashes, start/end
    sites           each site of a run: seed URL, robots crawl-delay, sitemaps read
    frontier        every URL the run has discovered, with its depth and whether it is done
    pages           one row per URL done: status, HTTP status, hashes, text, the report JSON whole
    claims          one row per claim: stable claim_id, offsets, text, kinds, verdict, severity, ...
    claim_evidence  the evidence entries each claim's verdict rests on, with their citations
    prices          one row per price found on a page
    spam_signals    one row per spam signal
    errors          every failure: a page that could not be fetched or checked, a sitemap that did not parse

The journal is WAL with ``synchronous = normal``: a killed process loses nothing
committed (a power cut may lose the last few commits, never the file's integrity).
A page is written in one transaction (its row, its claims, prices, signals, errors,
the links it adds to the frontier and its own frontier entry marked done), so a
crash leaves either all of a page or none of it; that is what makes resume exact.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import sqlite_utils

from ..errors import ClaimcheckError
from ..records import FLAGGED_VERDICTS, Claim, FrontierItem, Meta, Report
from .jsonl import report_from_dict, to_jsonl_line

SCHEMA_VERSION = 2
DEFAULT_DB = Path("claimcheck.db")
PageStatus = Literal["checked", "duplicate", "skipped", "error"]

_ROW_ID: dict[str, type] = {"id": int}
SCHEMA: dict[str, dict[str, type]] = {
    "runs": {
        **_ROW_ID,
        "config_key": str,
        "config": str,
        "status": str,
        "started_at": str,
        "ended_at": str,
        "resumed": int,
        "tool_version": str,
        "evidence_hash": str,
        "models": str,
        "settings": str,
    },
    "sites": {**_ROW_ID, "run_id": int, "site": str, "seed_url": str, "crawl_delay": float, "sitemaps": str},
    "frontier": {"run_id": int, "url": str, "site": str, "depth": int, "found_on": str, "done": int},
    "pages": {
        **_ROW_ID,
        "run_id": int,
        "url": str,
        "site": str,
        "depth": int,
        "status": str,
        "http_status": int,
        "final_url": str,
        "fetched_at": str,
        "raw_sha256": str,
        "text_sha256": str,
        "duplicate_of": str,
        "title": str,
        "claims": int,
        "flagged": int,
        "spam_label": str,
        "spam_score": float,
        "error": str,
        "text": str,
        "report_json": str,
    },
    "claims": {
        **_ROW_ID,
        "run_id": int,
        "page_id": int,
        "ordinal": int,
        "claim_id": str,
        "char_start": int,
        "char_end": int,
        "text": str,
        "kinds": str,
        "quantities": str,
        "hedged": int,
        "strength": str,
        "score": float,
        "verdict": str,
        "reasons": str,
        "severity": str,
        "explanation": str,
        "flag_score": float,
        "flag_reasons": str,
    },
    "claim_evidence": {
        **_ROW_ID,
        "claim": int,
        "rank": int,
        "evidence_id": str,
        "statement": str,
        "score": float,
        "citations": str,
    },
    "prices": {
        **_ROW_ID,
        "run_id": int,
        "page_id": int,
        "char_start": int,
        "char_end": int,
        "text": str,
        "currency": str,
        "amount": float,
        "low": float,
        "high": float,
        "item": str,
        "unit": str,
        "offer": int,
        "illicit": int,
    },
    "spam_signals": {
        **_ROW_ID,
        "run_id": int,
        "page_id": int,
        "name": str,
        "char_start": int,
        "char_end": int,
        "detail": str,
        "severity": str,
    },
    "errors": {**_ROW_ID, "run_id": int, "page_id": int, "url": str, "kind": str, "message": str, "at": str},
}
_PRIMARY_KEYS: dict[str, str | tuple[str, ...]] = {"frontier": ("run_id", "url")}
_FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "sites": [("run_id", "runs", "id")],
    "frontier": [("run_id", "runs", "id")],
    "pages": [("run_id", "runs", "id")],
    "claims": [("run_id", "runs", "id"), ("page_id", "pages", "id")],
    "claim_evidence": [("claim", "claims", "id")],
    "prices": [("run_id", "runs", "id"), ("page_id", "pages", "id")],
    "spam_signals": [("run_id", "runs", "id"), ("page_id", "pages", "id")],
    "errors": [("run_id", "runs", "id"), ("page_id", "pages", "id")],
}
_UNIQUE = {"pages": ("run_id", "url"), "sites": ("run_id", "site")}
_INDEXES = [("claims", ("claim_id",)), ("pages", ("run_id", "raw_sha256")), ("frontier", ("run_id", "done"))]


class StoreError(ClaimcheckError):
    """The store file cannot be used (newer schema, not a claimcheck store, unknown run)."""


@dataclass(frozen=True)
class PageOutcome:
    """What became of one frontier URL: the report (``error`` set on failure) and how it ended."""

    url: str
    site: str
    depth: int
    status: PageStatus
    report: Report
    http_status: int | None = None
    duplicate_of: str | None = None


@dataclass(frozen=True)
class RunInfo:
    """A run as listed by ``Store.runs``."""

    id: int
    status: str
    started_at: str
    ended_at: str | None
    config: dict[str, Any] = field(default_factory=dict)
    pages: int = 0


class Store:
    """One SQLite audit file. Opening it creates or migrates the schema; nothing else happens at open."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.db = sqlite_utils.Database(self.path)
            self.db.enable_wal()
            self.db.execute("pragma synchronous = normal")  # with WAL: safe against a killed process
            _migrate(self.db, self.path)
            self._tables = {name: self.db.table(name) for name in SCHEMA}
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a usable SQLite file ({exc})") from exc

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the store's writer lock (``<db>.lock``) for a whole run, so two audits never share a file.

        SQLite would serialise their transactions, but two processes resuming the same
        run would fetch the same pages and collide on them.
        """
        lock_path = self.path.with_name(self.path.name + ".lock")
        with lock_path.open("w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreError(
                    f"another claimcheck process is writing to {self.path}; wait for it, or give another --db"
                ) from exc
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- runs -------------------------------------------------------------------

    def open_run(
        self, config: dict[str, Any], identity: dict[str, Any], meta: Meta, *, resume: bool = True
    ) -> tuple[int, bool]:
        """The id of the unfinished run with this ``identity`` (resumed), else of a new one.

        ``identity`` is the part of ``config`` that changes results (inputs, limits,
        settings); politeness and concurrency may differ on resume.
        """
        key = config_key(identity)
        rows = (
            []
            if not resume
            else list(
                self.db.query(
                    "select id from runs where config_key = ? and status = 'running' order by id desc limit 1",
                    [key],
                )
            )
        )
        with self.db.atomic():
            if rows:
                run_id = int(rows[0]["id"])
                self.db.execute("update runs set resumed = resumed + 1 where id = ?", [run_id])
                return run_id, True
            row = {
                "config_key": key,
                "config": _json(config),
                "status": "running",
                "started_at": utc_now(),
                "resumed": 0,
                **_meta_columns(meta),
            }
            return self._insert("runs", row), False

    def finish_run(self, run_id: int) -> None:
        with self.db.atomic():
            self.db.execute(
                "update runs set status = 'finished', ended_at = ? where id = ?", [utc_now(), run_id]
            )

    def runs(self) -> list[RunInfo]:
        sql = (
            "select runs.*, (select count(*) from pages where pages.run_id = runs.id) as page_count "
            "from runs order by id"
        )
        return [
            RunInfo(
                row["id"],
                row["status"],
                row["started_at"],
                row["ended_at"],
                json.loads(row["config"]),
                row["page_count"],
            )
            for row in self.db.query(sql)
        ]

    def require_run(self, run_id: int) -> None:
        if not list(self.db.query("select 1 from runs where id = ?", [run_id])):
            known = ", ".join(str(run.id) for run in self.runs()) or "none"
            raise StoreError(f"{self.path} has no run {run_id} (runs: {known}); `claimcheck audit` makes one")

    # --- sites and the frontier -----------------------------------------------------

    def site_seeded(self, run_id: int, site: str) -> bool:
        return bool(list(self.db.query("select 1 from sites where run_id = ? and site = ?", [run_id, site])))

    def seed_site(
        self,
        run_id: int,
        site: str,
        seed_url: str,
        items: Sequence[FrontierItem],
        *,
        crawl_delay: float | None,
        sitemaps: Sequence[str],
        errors: Sequence[tuple[str, str, str]] = (),
    ) -> None:
        """Record a site and its first frontier URLs in one transaction; ``errors`` are (url, kind, message)."""
        with self.db.atomic():
            self._tables["sites"].insert(
                {
                    "run_id": run_id,
                    "site": site,
                    "seed_url": seed_url,
                    "crawl_delay": crawl_delay,
                    "sitemaps": _json(list(sitemaps)),
                }
            )
            self._add_frontier(run_id, items)
            for url, kind, message in errors:
                self._error(run_id, None, url, kind, message)

    def crawl_delays(self, run_id: int) -> dict[str, float]:
        """Each site's robots.txt Crawl-delay, as discovery recorded it (so a resumed run keeps to it)."""
        rows = self.db.query("select site, crawl_delay from sites where run_id = ?", [run_id])
        return {row["site"]: row["crawl_delay"] for row in rows if row["crawl_delay"] is not None}

    def pending(self, run_id: int) -> list[FrontierItem]:
        """Frontier URLs not yet done, shallowest first, in discovery order."""
        rows = self.db.query(
            "select url, site, depth, found_on from frontier where run_id = ? and done = 0 "
            "order by depth, rowid",
            [run_id],
        )
        return [FrontierItem(row["url"], row["site"], row["depth"], row["found_on"]) for row in rows]

    def frontier_count(self, run_id: int, site: str) -> int:
        rows = self.db.query(
            "select count(*) as n from frontier where run_id = ? and site = ?", [run_id, site]
        )
        return int(next(iter(rows))["n"])

    def known_urls(self, run_id: int) -> set[str]:
        return {row["url"] for row in self.db.query("select url from frontier where run_id = ?", [run_id])}

    def page_hashes(self, run_id: int) -> dict[str, str]:
        """SHA-256 of the bytes of each page checked in this run, mapped to its URL (for duplicate detection)."""
        rows = self.db.query(
            "select raw_sha256, url from pages where run_id = ? and status = 'checked' order by id", [run_id]
        )
        hashes: dict[str, str] = {}
        for row in rows:
            hashes.setdefault(row["raw_sha256"], row["url"])
        return hashes

    # --- pages ------------------------------------------------------------------

    def save_page(self, run_id: int, outcome: PageOutcome, links: Sequence[FrontierItem] = ()) -> int:
        """Write one page with everything found on it, its new links, and mark it done, atomically."""
        with self.db.atomic():
            page_id = self._insert("pages", _page_row(run_id, outcome))
            report = outcome.report
            for ordinal, claim in enumerate(report.claims):
                self._claim(run_id, page_id, ordinal, claim)
            self._tables["prices"].insert_all(
                {"run_id": run_id, "page_id": page_id, **_spans(asdict(price))} for price in report.prices
            )
            self._tables["spam_signals"].insert_all(
                {"run_id": run_id, "page_id": page_id, **_spans(asdict(signal))}
                for signal in report.spam.signals
            )
            if report.error is not None:
                kind, _, message = report.error.partition(": ")
                self._error(run_id, page_id, outcome.url, kind, message or kind)
            self._add_frontier(run_id, links)
            self.db.execute(
                "insert into frontier (run_id, url, site, depth, found_on, done) values (?, ?, ?, ?, null, 1) "
                "on conflict (run_id, url) do update set done = 1",
                [run_id, outcome.url, outcome.site, outcome.depth],
            )
        return page_id

    def outcomes(self, run_id: int) -> Iterator[PageOutcome]:
        """Every page of a run as stored, its report read back from the JSON kept whole."""
        rows = self.db.query("select * from pages where run_id = ? order by id", [run_id])
        for row in rows:
            yield PageOutcome(
                url=row["url"],
                site=row["site"],
                depth=row["depth"],
                status=row["status"],
                report=report_from_dict(json.loads(row["report_json"])),
                http_status=row["http_status"],
                duplicate_of=row["duplicate_of"],
            )

    def page_count(self, run_id: int) -> int:
        return int(
            next(iter(self.db.query("select count(*) as n from pages where run_id = ?", [run_id])))["n"]
        )

    def error_count(self, run_id: int) -> int:
        rows = self.db.query("select count(*) as n from errors where run_id = ?", [run_id])
        return int(next(iter(rows))["n"])

    # --- merging shards -------------------------------------------------------------

    def merge_from(self, other: Store) -> list[int]:
        """Copy every run of ``other`` (e.g. one ``--shard``) into this store as new runs; their new ids."""
        new_ids = []
        for run in other.db.query("select * from runs order by id"):
            old_id = run.pop("id")
            with self.db.atomic():
                new_id = self._insert("runs", run)
                for site in other.db.query("select * from sites where run_id = ?", [old_id]):
                    self._tables["sites"].insert({**site, "id": None, "run_id": new_id})
                site_errors = other.db.query(
                    "select * from errors where run_id = ? and page_id is null", [old_id]
                )
                for error in site_errors:
                    self._tables["errors"].insert({**error, "id": None, "run_id": new_id})
                for outcome in other.outcomes(old_id):
                    self.save_page(new_id, outcome)
                pending = other.db.query("select * from frontier where run_id = ? and done = 0", [old_id])
                self._tables["frontier"].insert_all(
                    ({**item, "run_id": new_id} for item in pending), ignore=True
                )
            new_ids.append(new_id)
        return new_ids

    # --- helpers ----------------------------------------------------------------

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        """Insert a row and return its ``id``."""
        return int(self._tables[table].insert(row).last_rowid or 0)

    def _add_frontier(self, run_id: int, items: Sequence[FrontierItem]) -> None:
        rows = ({"run_id": run_id, **asdict(item), "done": 0} for item in items)
        self._tables["frontier"].insert_all(rows, ignore=True)

    def _claim(self, run_id: int, page_id: int, ordinal: int, claim: Claim) -> None:
        row = {
            "run_id": run_id,
            "page_id": page_id,
            "ordinal": ordinal,
            "claim_id": claim.id,
            "char_start": claim.start,
            "char_end": claim.end,
            "text": claim.text,
            "kinds": _json(list(claim.kinds)),
            "quantities": _json([asdict(q) for q in claim.quantities]),
            "hedged": int(claim.hedged),
            "strength": claim.strength,
            "score": claim.score,
            "verdict": claim.verdict,
            "reasons": _json(list(claim.reasons)),
            "severity": claim.severity,
            "explanation": claim.explanation,
            "flag_score": claim.flag_score,
            "flag_reasons": _json(list(claim.flag_reasons)),
        }
        claim_row = self._insert("claims", row)
        self._tables["claim_evidence"].insert_all(
            {
                "claim": claim_row,
                "rank": rank,
                "evidence_id": ref.id,
                "statement": ref.statement,
                "score": ref.score,
                "citations": _json([asdict(c) for c in ref.citations]),
            }
            for rank, ref in enumerate(claim.evidence)
        )

    def _error(self, run_id: int, page_id: int | None, url: str, kind: str, message: str) -> None:
        self._tables["errors"].insert(
            {
                "run_id": run_id,
                "page_id": page_id,
                "url": url,
                "kind": kind,
                "message": message,
                "at": utc_now(),
            }
        )


def config_key(config: dict[str, Any]) -> str:
    """The hash that identifies "the same audit command": same key, same run to resume."""
    return hashlib.sha256(_json(config).encode("utf-8")).hexdigest()[:16]


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _migrate(db: sqlite_utils.Database, path: Path) -> None:
    """Bring the file to ``SCHEMA_VERSION``: a new file is created at it, an older one moved up one step at a time."""
    version = int(next(iter(db.query("pragma user_version")))["user_version"])
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} has store schema {version}, newer than this claimcheck's {SCHEMA_VERSION}; upgrade claimcheck"
        )
    if version == 0 and db.table_names():
        raise StoreError(f"{path} is a SQLite file but not a claimcheck store; give another --db")
    steps = [_create] if version == 0 else _MIGRATIONS[version - 1 :]
    for step in steps:
        with db.atomic():
            step(db)
    with db.ensure_autocommit_on():
        db.execute(f"pragma user_version = {SCHEMA_VERSION}")


def _create(db: sqlite_utils.Database) -> None:
    for name, columns in SCHEMA.items():
        db.table(name).create(
            columns,
            pk=_PRIMARY_KEYS.get(name, "id"),
            foreign_keys=_FOREIGN_KEYS.get(name, []),
            not_null={"run_id"} if "run_id" in columns else None,
        )
    for table, unique in _UNIQUE.items():
        db.table(table).create_index(unique, unique=True)
    for table, indexed in _INDEXES:
        db.table(table).create_index(indexed)


def _add_claim_strength(db: sqlite_utils.Database) -> None:
    """Version 1 to 2: each claim's causal strength (``Claim.strength``); claims stored before it read "none"."""
    db.table("claims").add_column("strength", str, not_null_default="none")


_MIGRATIONS = [_add_claim_strength]
"""Step ``i`` moves a file from version ``i + 1`` to ``i + 2``; ``SCHEMA`` is always the latest version."""


def _page_row(run_id: int, outcome: PageOutcome) -> dict[str, Any]:
    report = outcome.report
    return {
        "run_id": run_id,
        "url": outcome.url,
        "site": outcome.site,
        "depth": outcome.depth,
        "status": outcome.status,
        "http_status": outcome.http_status,
        "final_url": report.final_url,
        "fetched_at": report.fetched_at,
        "raw_sha256": report.raw_sha256,
        "text_sha256": report.text_sha256,
        "duplicate_of": outcome.duplicate_of,
        "title": report.title,
        "claims": len(report.claims),
        "flagged": sum(claim.verdict in FLAGGED_VERDICTS for claim in report.claims),
        "spam_label": report.spam.label,
        "spam_score": report.spam.score,
        "error": report.error,
        "text": report.text,
        "report_json": to_jsonl_line(report),
    }


def _spans(row: dict[str, Any]) -> dict[str, Any]:
    """``start``/``end`` become ``char_start``/``char_end``: ``end`` is an SQL keyword, and these are offsets."""
    row["char_start"], row["char_end"] = row.pop("start"), row.pop("end")
    return row


def _meta_columns(meta: Meta) -> dict[str, Any]:
    return {
        "tool_version": meta.tool_version,
        "evidence_hash": meta.evidence_hash,
        "models": _json(meta.models),
        "settings": _json(meta.settings),
    }


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
