"""The annotated document: what later stages read in a page, found once.

After segmentation, one pass adds to each unit its cue phrases (the lexicon's matcher
runs once over the page's units), the page's prices that lie inside it, and its
quantities (their money read from those prices). ``find_prices`` runs once, on the
whole text, so a unit's prices are read with the page around them (a table's header
row, the page's shop language). Every offset is an offset into ``Document.text``.
Claims, verdicts and signals read the result and never parse the text again, in the
spirit of spaCy's components that add to a ``Doc``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from .claims.lexicon import find_cues, unit_cues
from .claims.quantities import find_quantities
from .evidence.base import EvidenceBase
from .evidence.vocabulary import find_targets, name_targets
from .records import AnnotatedDocument, AnnotatedUnit, CueMatch, Document, Price, Targets, Unit
from .signals.prices import find_prices
from .text.segment import segment


def annotate(document: Document, vocabulary: EvidenceBase | None = None) -> AnnotatedDocument:
    """The document's units with their cue phrases, quantities and prices, and the page's prices.

    Given the evidence base whose words name treatments and conditions (``vocabulary``),
    each unit and the page also carry what they name; the verdict stage must judge with
    the same evidence base.
    """
    units = segment(document)
    prices = find_prices(document.text, units)
    treatments = vocabulary.intervention_names if vocabulary is not None else None
    cues = unit_cues(units, treatments)
    if vocabulary is None:
        annotated = tuple(_annotated(unit, found, prices) for unit, found in zip(units, cues, strict=True))
        return AnnotatedDocument(document, annotated, prices)
    page = tuple(find_targets(document.text, vocabulary))
    domains = {targets.domain for targets in page if targets.domain}
    named = tuple(
        _annotated(unit, found, prices, name_targets(unit.text, vocabulary, domains))
        for unit, found in zip(units, cues, strict=True)
    )
    return AnnotatedDocument(document, named, prices, page)


def annotate_unit(unit: Unit) -> AnnotatedUnit:
    """One unit annotated on its own, as if it were the whole page (a gold quote, a labelled sentence).

    Its prices are found in its own text, without the page around it.
    """
    prices = tuple(
        replace(p, start=p.start + unit.start, end=p.end + unit.start) for p in find_prices(unit.text)
    )
    return _annotated(unit, find_cues(unit.text, unit.start), prices)


def _annotated(
    unit: Unit,
    cues: tuple[CueMatch, ...],
    prices: Sequence[Price],
    targets: tuple[Targets, ...] | None = None,
) -> AnnotatedUnit:
    inside = _within(prices, unit.start, unit.end)
    return AnnotatedUnit(unit, cues, find_quantities(unit.text, unit.start, inside), inside, targets)


def _within(prices: Sequence[Price], start: int, end: int) -> tuple[Price, ...]:
    """The prices inside ``start:end``; ``prices`` are in text order, as ``find_prices`` gives them."""
    first = bisect_left(prices, start, key=lambda price: price.start)
    inside = []
    for price in prices[first:]:
        if price.start >= end:
            break
        if price.end <= end:
            inside.append(price)
    return tuple(inside)
