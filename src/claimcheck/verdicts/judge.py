"""Verdicts: compare what a claim says with what its evidence supports.

For each claim the Judge reads what it is about (the targets its unit was annotated
with, :mod:`claimcheck.evidence.vocabulary`), retrieves
candidate entries of that domain only, and runs the checks of :mod:`claimcheck.verdicts.rules`.
Each check either raises a Finding (a reason of the annotation guide, a label, a
severity, the entries it rests on) or confirms the claim against an entry. The verdict
is the strongest finding; with none, a claim close to an entry is ``supported``, and a
claim about a treatment no domain covers is ``unverified``. Every threshold lives in
``rules.Rules``.

The rules only know the phrasings written into them. Where they raise nothing, a claim
whose wording the claim model scores as likely to be flagged (``Claim.flag_score``,
learned from the annotated corpus) is flagged ``overstated`` at low severity, and its
explanation says that the model, not a rule, flagged it, so that a reader knows to
check it by hand. ``Judge(learned_flags=False)`` (``--rules-only``) turns this off.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

import numpy as np

from ..claims.lexicon import COMPARISON_FOIL, LEANING
from ..evidence.base import Domain, Entry, EvidenceBase, LocatedEntry, load_evidence
from ..evidence.embedding import Embedder, default_embedder
from ..evidence.vocabulary import is_compatible, name_targets, treated
from ..records import (
    AnnotatedDocument,
    AnnotatedUnit,
    Claim,
    CueMatch,
    EvidenceRef,
    Price,
    Reason,
    Severity,
    Targets,
    VerdictLabel,
)
from ..settings import Rules, Settings
from ..text.segment import BLANK_LINE, opens_a_quotation
from .language import HARM, is_caution, reported, uses_strong_wording, wording_flags
from .matching import Candidate, EvidenceIndex, claim_needs, entry_offers, retrieval_queries
from .rules import CHECKS
from .rules.context import (
    OTHER_DRUGS,
    OURS,
    OURS_BY_PRONOUN,
    RULES,
    ClaimContext,
    Finding,
    finding_from,
    is_vulnerable,
    narrowest_terms,
)
from .rules.frames import has_the_frame_of
from .rules.indications import names_only_established_indications, presents_an_indication
from .rules.regulatory import STANDARD_CHECKS

T = TypeVar("T")
MEMO_SIZE = 4096
"""What a Judge remembers per targets (allowed entries, compatibilities): ample for any evidence base."""
SECTION_REACH = 8
"""How many units back a claim naming no treatment looks for the one its paragraph is about."""
MIN_REPORTING_UNITS = 3
"""Units reporting others' claims that make a page a reporter's (on the blind and dev pages, three or more
are found only on news stories, notices and myths-and-facts pages; two also on a shop and a clinic)."""
ATTRIBUTED_QUOTE = re.compile(
    r"[\"”],?\s+(?:(?:[\w.'’-]+\s+){1,4}?(?:said|says|added|adds|explained|explains|wrote|writes|told\s+[^.!?]{1,40})"
    r"|(?:said|says|added|explained)\s+(?:[\w.'’-]+\s*){1,4})\.(?P<reopened>\s*[\"“])?\s*$"
)
"""A quotation closed and given its speaker ('"...," Ashdown told KWTB 9.', '"...," said Dr. Ruiz.')."""
OPENING_WORDS = frozenset({"", "the", "and", "but", "while", "by comparison,", "in contrast,"})
"""What may stand before another treatment that opens a claim ("But ECT is usually covered")."""
SEVERITY_ORDER: dict[Severity, int] = {"low": 0, "medium": 1, "high": 2}
LABEL_STRENGTH: dict[str, int] = {"contradicted": 3, "overstated": 2, "unsupported": 1}
SECONDARY_CAVEAT = (
    "The evidence cited was read only in secondary sources (verified-secondary), so this finding carries "
    "less confidence."
)

__all__ = ["RULES", "Judge", "Rules"]


class Judge:
    """Judges claims against an evidence base through a fitted EvidenceIndex."""

    def __init__(
        self,
        base: EvidenceBase,
        index: EvidenceIndex,
        rules: Rules = RULES,
        top_k: int = 3,
        learned_flags: bool = True,
    ) -> None:
        self.base, self.index, self.rules, self.top_k = base, index, rules, top_k
        self.learned_flags = learned_flags
        self._memo: dict[tuple[object, ...], object] = {}

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder | None = None) -> Judge:
        base = load_evidence(settings.evidence_path)
        index = EvidenceIndex(embedder or default_embedder(), cache_dir=settings.cache_dir).fit(base)
        return cls(
            base, index, rules=settings.rules, top_k=settings.top_k, learned_flags=settings.learned_flags
        )

    @property
    def evidence_hash(self) -> str:
        return self.base.content_hash

    def model_names(self) -> dict[str, str]:
        embedder = self.index.embedder
        return {"embedding": f"{embedder.name} sha256:{embedder.fingerprint[:16]}"}

    def judge_all(self, claims: Sequence[Claim], document: AnnotatedDocument) -> tuple[Claim, ...]:
        """Each claim's verdict; claims carry their cue phrases, and ``document`` the prices they state."""
        page_targets = treated(self._named(document.text, document.targets))
        page = page_targets[0] if page_targets else None
        units_before = [document.unit_before(claim.start) for claim in claims]
        leaned_on = [
            _leaned_on(claim, before) or self._section_subject(claim, before, document, page)
            for claim, before in zip(claims, units_before, strict=True)
        ]
        targets = [
            self._claim_targets(
                claim, self._named_in(claim, document, before), page, self._of_another(before)
            )
            for claim, before in zip(claims, leaned_on, strict=True)
        ]
        allowed = [self._allowed(t) for t in targets]
        focus = _narrowest(page, self.base.domains[page.domain or ""]).interventions if page else frozenset()
        priors = np.array([self._prior(c, c.cues, t, focus) for c, t in zip(claims, targets, strict=True)])
        results = self.index.search(self.queries(claims, document), allowed, k=self.top_k, priors=priors)
        quoting_others = any(opens_a_quotation(c.text) for c in claims) and reports_others_claims(document)
        return tuple(
            self.judge(
                claim,
                t,
                tuple(found),
                document.prices_in(claim.start, claim.end),
                _page_conditions(page, t),
                _question(before),
                (
                    opens_a_quotation(claim.text)
                    and (quoting_others or _quoted_after_a_report(document, claim))
                )
                or _continues_an_attributed_quote(document, claim),
            )
            for claim, t, found, before in zip(claims, targets, results, units_before, strict=True)
        )

    def queries(self, claims: Sequence[Claim], document: AnnotatedDocument) -> list[str]:
        """The texts ``judge_all`` embeds to retrieve evidence for these claims (one per claim).

        ``Checker.check_many`` embeds the queries of many pages in one call before judging them.
        """
        return retrieval_queries(claims, document)

    def judge(
        self,
        claim: Claim,
        targets: Targets | None,
        candidates: tuple[Candidate, ...],
        prices: tuple[Price, ...] = (),
        page_conditions: frozenset[str] = frozenset(),
        asked: str = "",
        quoted_by_a_reporter: bool = False,
    ) -> Claim:
        """One claim's verdict, from what it is about, the entries retrieved for it, the prices it states,
        the conditions its page names (which a claim naming none is held to) and the question it answers.
        A quotation on a page that reports others' claims (``quoted_by_a_reporter``) is theirs, not the page's."""
        cues = claim.cues
        if quoted_by_a_reporter or reported(claim, cues):
            explanation = "The page reports what others claim; it does not assert this itself."
            return replace(claim, verdict="unverified", candidates=(), explanation=explanation)
        if targets is None or targets.domain is None:
            learned = self.rules if self.learned_flags else None
            domains = tuple(self.base.treatment_domains.values())
            return _judged_by_wording(claim, cues, learned, domains, self.base.standards)
        refs = tuple(_ref(c.entry, c.score) for c in candidates)
        context = ClaimContext(
            claim,
            cues,
            targets,
            self.base.domains[targets.domain],
            candidates,
            self._related(targets),
            self.base.standards,
            prices,
            page_conditions,
            asked,
        )
        findings = [f for check in CHECKS for f in check(context, self.rules)]
        if self._may_learn(context, findings) and candidates:
            findings += _learned_flag(claim, self.rules, (candidates[0].entry,))
        return _verdict(claim, context, findings, refs, self.rules)

    def _may_learn(self, ctx: ClaimContext, findings: Sequence[Finding]) -> bool:
        """Whether the learned flag may speak: no rule flagged the claim, it says the kind of
        thing the model's likeliest reason is about, and no rule checked that reason and found
        the claim supported (an approval date the regulatory entries confirm, conditions the
        indication entries all establish)."""
        if not self.learned_flags or any(f.label in LABEL_STRENGTH for f in findings):
            return False
        likely = ctx.claim.flag_reasons[0] if ctx.claim.flag_reasons else None
        ruled_out = {f.reason for f in findings if f.label == "supported"}
        if names_only_established_indications(ctx):
            ruled_out.add("indication_creep")
        return likely not in ruled_out and has_the_frame_of(ctx, likely)

    def _named(self, text: str, annotated: tuple[Targets, ...] | None) -> tuple[Targets, ...]:
        """What a text names: as annotated, else read now (a document annotated without the vocabulary)."""
        return annotated if annotated is not None else name_targets(text, self.base)

    def _named_in(
        self, claim: Claim, document: AnnotatedDocument, before: AnnotatedUnit | None
    ) -> tuple[Targets, ...]:
        """What the claim names; for a claim that names no treatment and leans with a pronoun on the
        unit ``before`` it, what that unit names ("Esketamine is derived from ketamine. It is
        FDA-approved for depression.")."""
        unit = document.unit_at(claim.start, claim.end)
        named = self._named(claim.text, unit.targets if unit is not None else None)
        if treated(named) or before is None:
            return named
        leaned_on = treated(self._named(before.unit.text, before.targets))
        if not leaned_on:
            return named
        treatment = leaned_on[0]
        conditions = next((t.conditions for t in named if t.domain == treatment.domain), frozenset())
        return (Targets(treatment.domain, treatment.interventions, conditions), *named)

    def _section_subject(
        self, claim: Claim, before: AnnotatedUnit | None, document: AnnotatedDocument, page: Targets | None
    ) -> AnnotatedUnit | None:
        """The nearest unit before the claim, in its paragraph, that names a treatment of another domain
        than the page's.

        A hospital page on several treatments names each in its section's heading or first sentence
        and then goes on without the name ("The most common side effects are headache; seizures are
        rare" under "Transcranial magnetic stimulation"): such a claim is about that treatment, not
        the page's first one. The search stays in the claim's paragraph; a unit naming the page's own
        domain ends it too (the claim is then judged as the page's).
        """
        start = claim.start
        for _ in range(SECTION_REACH):
            if before is None or BLANK_LINE.search(document.text, before.unit.end, start):
                return None
            named = treated(self._named(before.unit.text, before.targets))
            if named:
                return before if page is not None and named[0].domain != page.domain else None
            start = before.unit.start
            before = document.unit_before(start)
        return None

    def _of_another(self, leaned_on: AnnotatedUnit | None) -> bool:
        """Whether the unit a claim leans on is about a treatment no domain covers ("Red light therapy
        heals acne. It is completely painless."): then the claim speaks of that one."""
        if leaned_on is None or not any(cue.category == "other_treatments" for cue in leaned_on.cues):
            return False
        return not treated(self._named(leaned_on.unit.text, leaned_on.targets))

    def _claim_targets(
        self, claim: Claim, named: tuple[Targets, ...], page: Targets | None, leans_on_another: bool = False
    ) -> Targets | None:
        """What the claim names, else the page's domain; None for a treatment no domain covers (named in
        the claim, or in the unit a leading pronoun leans on)."""
        treatments = self._subjects_first(claim.text, treated(named))
        if treatments:
            return _narrowest(treatments[0], self.base.domains[treatments[0].domain or ""])
        if _about_other_treatments(claim) or leans_on_another or page is None or page.domain is None:
            return None
        conditions = next((t.conditions for t in named if t.domain == page.domain), frozenset())
        return Targets(page.domain, frozenset(), conditions)

    def _subjects_first(self, text: str, treatments: list[Targets]) -> list[Targets]:
        """The treatments named outside a comparison's foil first.

        "Unlike ketamine infusions, TMS never causes seizures" is a claim about TMS, held
        against TMS's evidence, though it names ketamine as often (and first).
        """
        if len(treatments) < 2:
            return treatments
        subjects = {t.domain for t in treated(name_targets(COMPARISON_FOIL.sub(" ", text), self.base))}
        return sorted(treatments, key=lambda t: t.domain not in subjects)

    def _prior(
        self, claim: Claim, cues: Sequence[CueMatch], targets: Targets | None, page_focus: frozenset[str]
    ) -> np.ndarray:
        """Soft preferences added to retrieval scores.

        A boost for entries that hold the kind of fact the claim states (a rate, an onset,
        a price...), a penalty for another treatment than the page's own when the claim names none, and
        a penalty for entries about another condition than the one the claim names.
        """
        if targets is None or targets.domain is None:
            return np.zeros(len(self.base.entries))
        offers, answered = self._offers(targets.conditions), np.zeros(len(self.base.entries))
        for need in claim_needs(claim, cues):
            answered += offers.get(need, False)
        prior = self.rules.field_boost * answered
        kinds = {k for kind in claim.kinds for k in self.rules.entry_kinds_for_claim.get(kind, ())}
        prior += self.rules.kind_boost * self._of_kinds(frozenset(kinds))
        focus = page_focus if not targets.interventions else frozenset()
        if focus:
            prior -= self.rules.other_treatment_penalty * ~self._compatible(
                "intervention", focus, targets.domain
            )
        prior -= self.rules.condition_penalty * ~self._compatible(
            "condition", targets.conditions, targets.domain
        )
        return prior

    def _allowed(self, targets: Targets | None) -> frozenset[int]:
        """Entries of the claim's domain whose intervention it names (or any, when it names none)."""
        if targets is None or targets.domain is None:
            return frozenset()
        compatible = self._compatible("intervention", targets.interventions, targets.domain)
        return self._remembered(
            ("allowed", targets),
            lambda: frozenset(
                i
                for i, located in enumerate(self.base.entries)
                if located.domain == targets.domain and compatible[i]
            ),
        )

    def _related(self, targets: Targets) -> tuple[LocatedEntry, ...]:
        """The allowed entries themselves, in file order (for lookups that do not rank)."""
        return self._remembered(
            ("related", targets), lambda: tuple(self.base.entries[i] for i in sorted(self._allowed(targets)))
        )

    # Claims of a page, and of many pages, share their targets: what depends on the targets
    # alone is worked out once per Judge rather than once per claim and entry.

    def _offers(self, conditions: frozenset[str]) -> dict[str, np.ndarray]:
        """For each kind of fact, which entries can answer it for a claim naming these conditions."""

        def offers() -> dict[str, np.ndarray]:
            each = [entry_offers(located.entry, conditions) for located in self.base.entries]
            names = set().union(*each)
            return {name: np.array([name in o for o in each]) for name in names}

        return self._remembered(("offers", conditions), offers)

    def _compatible(self, field: str, named: frozenset[str], domain: str) -> np.ndarray:
        """Whether each entry's ``field`` term is compatible with the terms named, in ``domain``'s vocabulary."""
        terms = self._entry_field(field)
        return self._remembered(
            ("compatible", field, named, domain),
            lambda: np.array([is_compatible(t, named, self.base.domains[domain]) for t in terms]),
        )

    def _of_kinds(self, kinds: frozenset[str]) -> np.ndarray:
        """Which entries are of one of these kinds (a boolean mask, computed once per set of kinds)."""
        return self._remembered(("kinds", kinds), lambda: np.isin(self._entry_field("kind"), sorted(kinds)))

    def _entry_field(self, field: str) -> np.ndarray:
        return self._remembered(
            ("field", field),
            lambda: np.array([getattr(e.entry, field) for e in self.base.entries], dtype=object),
        )

    def _remembered(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        if key not in self._memo:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]


# --- the learned flag -------------------------------------------------------------------------


def _learned_flag(
    claim: Claim, rules: Rules, cited: tuple[LocatedEntry, ...], may_name: Sequence[Reason] | None = None
) -> list[Finding]:
    """A finding from the claim model's flag score, for a claim the rules let pass.

    It cites the closest retrieved entry (if any) so that a reader can compare, names the
    reason the model finds most likely (of those in ``may_name``, when given), and says
    plainly that no rule raised it.
    """
    if claim.flag_score is None or claim.flag_score < rules.learned_flag_threshold:
        return []
    if is_caution(claim, claim.cues):  # a limit stated ("does not work for everyone"), not a promise
        return []
    likeliest = [r for r in claim.flag_reasons if may_name is None or r in may_name] or list(may_name or ())
    reason = likeliest[0] if likeliest else None
    likely = f" (most likely: {reason.replace('_', ' ')})" if reason else ""
    check = "check it against the evidence cited" if cited else "check it by hand"
    explanation = (
        f"No rule flagged this claim, but the claim model, trained on annotated pages, scores its "
        f"wording {claim.flag_score:.2f} as likely overstated{likely}; {check}."
    )
    return [Finding("overstated", reason, "low", cited, explanation)]


# --- claims about treatments the evidence base does not cover --------------------------------


def _judged_by_wording(
    claim: Claim,
    cues: Sequence[CueMatch],
    learned: Rules | None,
    domains: Sequence[Domain],
    standards: Mapping[str, LocatedEntry],
) -> Claim:
    """A claim no domain covers: overstated where its wording or a cross-domain standard shows it, else unverified.

    Only the language layer can judge it (the wording rules, and the learned flag, which
    reads wording too, when ``learned`` gives its threshold), with the standards that hold
    for every treatment (:data:`~claimcheck.verdicts.rules.STANDARD_CHECKS`: no compounded
    drug is FDA-approved, registration is no endorsement), which are all it may cite. The
    reasons that need a domain's evidence (a number, an indication, an approval, a time
    against its bounds) need a domain: here the learned flag may only call strong wording
    absolute. Its patients are vulnerable when any domain lists them so.
    """
    findings = [
        *(finding_from(flag, ()) for flag in wording_flags(claim, cues)),
        *(finding for check in STANDARD_CHECKS for finding in check(claim, standards)),
    ]
    if not findings and learned is not None and uses_strong_wording(claim, cues):
        findings = _learned_flag(claim, learned, (), may_name=("absolute_language",))
    if not findings:
        explanation = "The evidence base does not cover the treatment this claim is about."
        return replace(claim, verdict="unverified", candidates=(), explanation=explanation)
    label, reasons = _strongest(findings)
    cited = _unique(entry for finding in findings for entry in finding.entries)
    judged = (
        "the wording and the standards for every treatment are judged"
        if cited
        else "the wording alone is judged"
    )
    explanation = " ".join(
        [
            *(f.explanation for f in findings),
            f"No entry of the evidence base covers this treatment; {judged}.",
        ]
    )
    return replace(
        claim,
        verdict=label,
        reasons=reasons,
        severity=_severity(claim, domains, findings),
        explanation=explanation,
        evidence=tuple(_ref(entry, 0.0) for entry in cited),
        candidates=(),
    )


# --- combining findings -----------------------------------------------------------------------


def _verdict(
    claim: Claim, ctx: ClaimContext, findings: list[Finding], refs: tuple[EvidenceRef, ...], rules: Rules
) -> Claim:
    flags = [f for f in findings if f.label in LABEL_STRENGTH]
    if flags:
        label, reasons = _strongest(flags)
        severity = _severity(claim, (ctx.domain,), flags)
        used = _unique(e for f in flags for e in f.entries) or tuple(c.entry for c in ctx.candidates[:1])
        explanation = _explain([f.explanation for f in flags], used)
        return replace(
            claim,
            verdict=label,
            reasons=reasons,
            severity=severity,
            explanation=explanation,
            evidence=tuple(_ref(e, _score(ctx, e)) for e in used),
            candidates=refs,
        )
    support = [f for f in findings if f.label == "supported"]
    undecided = [f.explanation for f in findings if f.label == "unverified"]
    if undecided and not support:
        return replace(claim, verdict="unverified", explanation=_explain(undecided, ()), candidates=refs)
    close = bool(ctx.candidates) and ctx.candidates[0].score >= rules.min_support_score
    if not support and close and establishes_nothing(ctx.candidates[0].entry.entry):
        return _not_established(claim, ctx, refs, rules)
    if support or close:
        used = _unique(e for f in support for e in f.entries) or (ctx.candidates[0].entry,)
        explanation = _explain([f.explanation for f in support], used)
        return replace(
            claim,
            verdict="supported",
            explanation=explanation,
            evidence=tuple(_ref(e, _score(ctx, e)) for e in used),
            candidates=refs,
        )
    return replace(
        claim,
        verdict="unverified",
        candidates=refs,
        explanation="No entry in the evidence base addresses this claim closely enough to judge it.",
    )


NOT_A_PROMISE = frozenset(
    {"negation", "evidence_caveat", "study_report", "attribution", "reported", "prevalence"}
)
"""Cue categories that make a sentence a report, a caveat or a denial rather than a promise of benefit."""


BENEFIT_WORDS = ("kind:efficacy", "kind:comparative", "treats_verb", "superiority", "restoration")
"""Cue categories of which a promise of benefit holds at least one: the classifier's kind alone is not a promise."""
PARTIAL_EVIDENCE = ("preliminary", "mixed")


def establishes_nothing(entry: Entry) -> bool:
    """Whether an entry records evidence short of established, or a missing approval: it never supports a claim."""
    return entry.indication_status not in (None, "established") or entry.approved is False


UNESTABLISHED_MECHANISM = ("none", "negative", "mixed", "preliminary")
"""Evidence statuses against which a mechanism stated as fact claims more certainty than there is."""
CLOSE_CANDIDATES = 3
"""The closest entries read for one that establishes something the mechanism may rest on."""


def _establishes_a_use(entry: Entry) -> bool:
    """An entry on how the treatment works, or one that holds a use established: either judges a mechanism."""
    return entry.kind == "mechanism" or entry.indication_status == "established"


def _names_a_harm(ctx: ClaimContext) -> bool:
    """Whether a safety cue of the claim names a harm: a sentence about risks is no promise of benefit."""
    return any(c.category == "kind:safety" and HARM.search(c.text) for c in ctx.cues)


def _mechanism_as_fact(claim: Claim, ctx: ClaimContext, status: str | None) -> bool:
    """Whether the claim says how the treatment works, unhedged and as its own assertion, where the closest
    evidence has nothing to show for it: "ozone floods your tissues with oxygen", against "no known
    medical use" (the guide: certainty beyond the evidence). "Is thought to" or "may" is not."""
    return (
        status in UNESTABLISHED_MECHANISM
        and not any(_establishes_a_use(c.entry.entry) for c in ctx.candidates[:CLOSE_CANDIDATES])
        and not claim.hedged
        and ctx.about("mechanism")
        and not any(c.category in NOT_A_PROMISE - {"negation"} for c in ctx.cues)
        and not _names_a_harm(ctx)
    )


def _not_established(claim: Claim, ctx: ClaimContext, refs: tuple[EvidenceRef, ...], rules: Rules) -> Claim:
    """The closest entry says the evidence or the approval is not there.

    Where there is no evidence or approval at all, a plain promise of benefit ("the success
    rate is higher", not a sentence about risks) claims what nothing supports: unsupported (contradicted where the
    evidence is negative), provided it has the frame of indication creep, the reason it is
    given (a treatment presented as working, not a use reported or a condition ranked).
    Anything else, and any claim whose closest evidence is only preliminary or mixed (the
    indication rules judge those by the conditions named), stays unverified, with the
    entry shown so a reader sees what is missing. So does a promise whose closest entry
    only records a missing approval for a use the domain holds as established.
    """
    entry = ctx.candidates[0].entry
    explanation = f"The closest evidence says this is not established: {entry.entry.statement}"
    status = entry.entry.indication_status
    promise = (
        status not in PARTIAL_EVIDENCE
        and not claim.hedged
        and ctx.about("efficacy", "comparative")
        and any(ctx.has_cue(category) for category in BENEFIT_WORDS)
        and not any(c.category in NOT_A_PROMISE for c in ctx.cues)
        and not _names_a_harm(ctx)
        and presents_an_indication(ctx)
    )
    if not promise and _mechanism_as_fact(claim, ctx, status):
        explanation = (
            "It states as fact a mechanism or effect that the closest evidence does not establish: "
            f"{entry.entry.statement}"
        )
        return replace(
            claim,
            verdict="overstated",
            reasons=("absolute_language",),
            severity="low",
            explanation=explanation,
            evidence=(_ref(entry, _score(ctx, entry)),),
            candidates=refs,
        )
    if promise and _established_beside_missing_approval(ctx, entry):
        explanation = f"The closest evidence is about approval, which does not decide whether it works: {entry.entry.statement}"
        return replace(claim, verdict="unverified", explanation=explanation, candidates=refs)
    if not promise:
        return replace(claim, verdict="unverified", explanation=explanation, candidates=refs)
    label: VerdictLabel = rules.creep_labels[status] if status else "unsupported"
    return replace(
        claim,
        verdict=label,
        reasons=("indication_creep",),
        severity="medium",
        explanation=explanation,
        evidence=(_ref(entry, _score(ctx, entry)),),
        candidates=refs,
    )


def _established_beside_missing_approval(ctx: ClaimContext, closest: LocatedEntry) -> bool:
    """Whether the closest entry records only a missing approval while the domain holds the use as
    established for a condition the claim names: "not FDA-approved for depression" does not say
    that the antidepressant effects a claim reports were never found (an approval claim meets the
    regulatory rules instead)."""
    if closest.entry.approved is not False or closest.entry.indication_status is not None:
        return False
    return any(
        e.entry.kind == "indication" and e.entry.indication_status == "established" and ctx.fits_conditions(e)
        for e in ctx.related
    )


def _strongest(flags: list[Finding]) -> tuple[VerdictLabel, tuple[Reason, ...]]:
    """The strongest label among flagging findings, and every reason they give, in order."""
    label = max(flags, key=lambda f: LABEL_STRENGTH[f.label]).label
    return label, tuple(dict.fromkeys(f.reason for f in flags if f.reason))


def _severity(claim: Claim, domains: Sequence[Domain], flags: list[Finding]) -> Severity:
    severity = max((f.severity or "low" for f in flags), key=SEVERITY_ORDER.__getitem__)
    if any(is_vulnerable(claim.text, domain) for domain in domains):
        return "high"
    if claim.hedged:
        floor: Severity = (
            "medium"
            if any(f.reason in ("number_beyond_evidence", "regulatory_misstatement") for f in flags)
            else "low"
        )
        return floor if SEVERITY_ORDER[floor] < SEVERITY_ORDER[severity] else severity
    return severity


def _narrowest(targets: Targets, domain: Domain) -> Targets:
    """Keep only the most specific of the named interventions."""
    return replace(targets, interventions=narrowest_terms(targets.interventions, domain))


def _explain(details: list[str], entries: Sequence[LocatedEntry]) -> str:
    """What the evidence says (the first entry, with its sources), then what the checks found.

    A verdict resting only on facts read in secondary sources says so (evidence brief: lower confidence).
    """
    sentences = [_said(e) for e in entries[:1]] + [d for d in details if d]
    if entries and all(e.entry.mark != "verified" for e in entries):
        sentences.append(SECONDARY_CAVEAT)
    return " ".join(dict.fromkeys(sentences))


def _said(entry: LocatedEntry) -> str:
    statement = entry.entry.statement.strip()
    if not statement.endswith("."):
        statement += "."
    return f"{statement} ({entry.entry.source_names})"


def _score(ctx: ClaimContext, entry: LocatedEntry) -> float:
    return next((c.score for c in ctx.candidates if c.entry is entry), 0.0)


def _unique(entries: Iterable[LocatedEntry]) -> tuple[LocatedEntry, ...]:
    seen: dict[str, LocatedEntry] = {}
    for entry in entries:
        seen.setdefault(entry.entry.id, entry)
    return tuple(seen.values())


def _ref(entry: LocatedEntry, score: float) -> EvidenceRef:
    return EvidenceRef(
        entry.entry.id, entry.entry.statement.strip(), round(score, 4), entry.citations, entry.entry.mark
    )


def _page_conditions(page: Targets | None, targets: Targets | None) -> frozenset[str]:
    """The conditions the page names in the claim's domain (none for a claim about another domain's treatment)."""
    if page is None or targets is None or targets.domain != page.domain:
        return frozenset()
    return page.conditions


def reports_others_claims(document: AnnotatedDocument) -> bool:
    """Whether the page speaks as a reporter of others' claims (a news story, a regulator's notice, a myths-
    and-facts page): at least :data:`MIN_REPORTING_UNITS` of its units report what others promise. On such a
    page a quotation standing as its own unit ("Zero risk of addiction when taken as directed.") is one of
    the claims it reports; on a clinic's page it is the clinic's testimonial or press quote, its own claim."""
    return sum(1 for annotated in document.units if _reports(annotated)) >= MIN_REPORTING_UNITS


def _quoted_after_a_report(document: AnnotatedDocument, claim: Claim) -> bool:
    """Whether a quotation stands in a run of quotations led in by a unit that reports others' claims ("The
    letter quotes these statements from the company's marketing:"): each is the quoted party's claim."""
    before = document.unit_before(claim.start)
    while before is not None and opens_a_quotation(before.unit.text):
        before = document.unit_before(before.unit.start)
    return before is not None and before.unit.text.rstrip().endswith(":") and _reports(before)


def _continues_an_attributed_quote(document: AnnotatedDocument, claim: Claim) -> bool:
    """Whether a quotation goes on, in the same paragraph, from one given its speaker ('"Most feel a shift in
    the first hour," Ashdown said. "It is one of the safest drugs there is."'): the same speaker's words."""
    before = document.unit_before(claim.start)
    if before is None or "\n" in document.text[before.unit.end : claim.start]:
        return False
    attribution = ATTRIBUTED_QUOTE.search(before.unit.text)
    return attribution is not None and (attribution["reopened"] is not None or opens_a_quotation(claim.text))


def _reports(annotated: AnnotatedUnit) -> bool:
    """Whether a unit reports what others promise (:func:`claimcheck.verdicts.language.reported`)."""
    unit = annotated.unit
    return reported(Claim(unit.start, unit.end, unit.text, ()), annotated.cues)


def _question(before: AnnotatedUnit | None) -> str:
    """The question a claim answers: the unit right before it, where that unit is a question."""
    return before.unit.text if before is not None and before.unit.text.rstrip().endswith("?") else ""


def _leaned_on(claim: Claim, before: AnnotatedUnit | None) -> AnnotatedUnit | None:
    """The unit before a claim that opens with a pronoun ("It is FDA-approved..."): what the claim is about."""
    return before if LEANING.match(claim.text) else None


def _about_other_treatments(claim: Claim) -> bool:
    """A claim that names none of the page's treatments and speaks of others: a named one (Xanax, MDMA)
    or drugs by class in the plural ("two medications are approved for PTSD, both antidepressants"),
    with no word of a treatment of ours, of "we" or "it", and no comparison. Such a claim is not
    judged against the page's domain.
    """
    if any(c.category == "other_treatments" for c in claim.cues):
        return True
    others = OTHER_DRUGS.search(claim.text)
    if others is None or OURS.search(claim.text):
        return False
    opens_on_others = claim.text[: others.start()].strip().lower() in OPENING_WORDS
    if OURS_BY_PRONOUN.search(claim.text) and not opens_on_others:
        return False
    named = range(claim.start + others.start(), claim.start + others.end())
    return not any(c.category in ("treatment", "first_person") and c.start not in named for c in claim.cues)
