"""The JSON contract: one object per report, as JSON Lines or as an array.

``report_to_dict`` is the contract other tools depend on (extend it, don't break it);
``report_from_dict`` reads it back, so that stored reports can be rendered again in
any other format without checking the pages again.
"""

from __future__ import annotations

import json
import dataclasses
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from ..records import (
    Citation,
    Claim,
    CueMatch,
    EvidenceRef,
    Meta,
    Offer,
    Price,
    Quantity,
    Report,
    SpamResult,
    SpamSignal,
)
from .base import WriterOptions

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON values, in the documented key order."""
    return {
        "source": report.source,
        "title": report.title,
        "text": report.text,
        "text_sha256": report.text_sha256,
        "raw_sha256": report.raw_sha256,
        "fetched_at": report.fetched_at,
        "final_url": report.final_url,
        "error": report.error,
        "warnings": list(report.warnings),
        "claims": [_claim_dict(claim) for claim in report.claims],
        "spam": asdict(report.spam),
        "prices": [asdict(price) for price in report.prices],
        "offers": [asdict(offer) for offer in report.offers],
        "meta": asdict(report.meta) if report.meta else None,
    }


def report_from_dict(data: dict[str, Any]) -> Report:
    """The report a ``report_to_dict`` object describes (unknown keys are ignored)."""
    spam = data.get("spam") or {}
    meta = data.get("meta")
    return Report(
        source=data["source"],
        text=data.get("text") or "",
        title=data.get("title"),
        text_sha256=data.get("text_sha256"),
        raw_sha256=data.get("raw_sha256"),
        fetched_at=data.get("fetched_at"),
        final_url=data.get("final_url"),
        error=data.get("error"),
        warnings=tuple(str(w) for w in data.get("warnings") or ()),
        claims=tuple(_claim(c) for c in data.get("claims") or ()),
        spam=SpamResult(
            spam.get("label", "ok"),
            spam.get("score", 0.0),
            tuple(_record(SpamSignal, s) for s in spam.get("signals") or ()),
        ),
        prices=tuple(_record(Price, p) for p in data.get("prices") or ()),
        offers=tuple(_record(Offer, o) for o in data.get("offers") or ()),
        meta=_record(Meta, meta) if meta else None,
    )


def to_jsonl_line(report: Report) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, sort_keys=False)


class JsonLinesWriter:
    """One JSON object per line, flushed as each report arrives."""

    def __init__(self, stream: TextIO, options: WriterOptions | None = None) -> None:
        self.stream = stream

    def add(self, report: Report) -> None:
        self.stream.write(to_jsonl_line(report) + "\n")
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


class JsonArrayWriter:
    """A JSON array of reports, written element by element."""

    def __init__(self, stream: TextIO, options: WriterOptions | None = None) -> None:
        self.stream = stream
        self.count = 0

    def add(self, report: Report) -> None:
        self.stream.write(("[" if self.count == 0 else ",\n") + to_jsonl_line(report))
        self.count += 1

    def close(self) -> None:
        self.stream.write("[]\n" if self.count == 0 else "]\n")
        self.stream.flush()


def _claim_dict(claim: Claim) -> dict[str, Any]:
    data = asdict(claim)
    data["kinds"] = list(claim.kinds)
    data["reasons"] = list(claim.reasons)
    return data


def _claim(data: dict[str, Any]) -> Claim:
    fields = dict(data)
    fields["kinds"] = tuple(data.get("kinds") or ())
    fields["reasons"] = tuple(data.get("reasons") or ())
    fields["flag_reasons"] = tuple(data.get("flag_reasons") or ())
    fields["quantities"] = tuple(_record(Quantity, q) for q in data.get("quantities") or ())
    fields["evidence"] = tuple(_evidence(e) for e in data.get("evidence") or ())
    fields["candidates"] = tuple(_evidence(e) for e in data.get("candidates") or ())
    fields["cues"] = tuple(_record(CueMatch, c) for c in data.get("cues") or ())
    return _record(Claim, fields)


def _evidence(data: dict[str, Any]) -> EvidenceRef:
    citations = tuple(_record(Citation, c) for c in data.get("citations") or ())
    return _record(EvidenceRef, {**data, "citations": citations})


def _record(cls: type[R], data: dict[str, Any]) -> R:
    """``cls(**data)`` keeping only the fields ``cls`` has, so newer keys don't break old readers."""
    known = {f.name for f in dataclasses.fields(cls)}
    return cls(**{key: value for key, value in data.items() if key in known})
