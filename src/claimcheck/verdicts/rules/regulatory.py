"""Regulatory checks: approval, clearance, registration and compounding statements.

What is approved, cleared or controlled, for which condition and since when, are typed
fields of the regulatory entries (``evidence/<domain>/``); nothing here names a treatment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from itertools import pairwise

from ...claims.lexicon import CLAUSE_BREAK, clause_around
from ...evidence.base import Domain, LocatedEntry
from ...evidence.vocabulary import conditions_named_of, interventions_named, is_compatible, lineage
from ...records import Claim
from ...settings import Rules
from .context import OTHER_DRUGS, ClaimContext, Finding, narrowest_terms, with_standard

APPROVAL = re.compile(r"\b(?:fda[- ]approved|approved|approval|cleared)\b", re.I)
NOT_APPROVED = re.compile(
    r"\b(?:not|n't|never|no|none|neither|nor|has not|hasn't|isn't|aren't)\b[^.;]{0,60}\b(?:approved|approval|cleared)\b|off[- ]label|"
    r"\b(?:rather than|instead of)\s+(?:fda[- ])?approved\b|"
    r"\b(?:approved|cleared)\b[^.;]{0,40}(?:\bbut|,)\s+not (?:for|as|in)\b",
    re.I,
)
APPROVED_WORD = re.compile(r"\b(?:fda[- ])?(?:approved|approval)\b", re.I)
"""The drug word "approved" (not "cleared" or "authorized"), which misstates a device's status."""
LABEL_LIST = re.compile(r"\s+(?:uses|indications|diagnoses|conditions)\b", re.I)
"""After a bare "approved": the list a payer holds ("covered only for approved diagnoses"), no product's status
("FDA-approved conditions" still calls the product's status approved)."""
REGISTERED = re.compile(
    r"\bfda[- ](?:registered|certified|compliant)\b|\bregistered with (?:the )?fda\b|\bclinicaltrials\.gov\b",
    re.I,
)
"""Registration or listing presented as if it were an FDA endorsement (brief 7.6)."""
COMPOUNDED_APPROVAL = re.compile(
    r"\bcompounded\b[^.;,]{0,60}?\b(?:fda[- ])?approved\b|\bfda[- ]approved\s+(?:[\w-]+\s+){0,2}?compounded\b",
    re.I,
)
"""A compounded product said to be approved: no comma between, so "unlike compounded versions, Wegovy is
approved" speaks of another product."""


ONLY = re.compile(r"^\W*(?:and\s+|but\s+|while\s+)?(?:the\s+)?only\b", re.I)
"""A clause that opens on "the only ...": its subject follows the approval word ("the only ketamine medicine
approved for depression is Spravato"), unlike "it is the only approved ketamine product"."""
NAMED_AS_THE_ONLY = re.compile(r"\s+(?:is|are|remains?)\s+the\s+(?:one\s+and\s+)?only\b", re.I)
"""Between a product and its class: "Spravato is the only form of ketamine the FDA has approved"."""
ONLY_AFTER = re.compile(r"\s+only\b", re.I)
"""After the approval word, a limit ("the FDA has approved only one type of stem cell product")."""
REQUIRED = re.compile(
    r"\b(?:requir(?:e|es|ed|ing)|needs?|needed|needing|without|seek(?:s|ing)?|sought|appl(?:y|ies|ied|ying) for|"
    r"pending|awaiting|subject to)\s+(?:(?:an?|the|any|its|their|prior)\s+)?(?:fda[- ])?$",
    re.I,
)
"""Before the approval word, approval as a requirement or a lack ("a drug requiring FDA approval", "sold without
approval"): no product's status is claimed."""
LABELLED_USE = re.compile(r"\b(?:an(?:a)?esthe\w*|surgery|surgical|sedation|sedative|procedures?)\b", re.I)
"""The use an approval was for, named: an answer that says so is truthful."""
APPROVED_STATUS = re.compile(
    r"\b(?:is|are)\s+(?:an?\s+)?(?:fda[- ])?approved\b|\bfda[- ]approved\s+(?:medications?|medicines?|drugs?|treatments?|therap(?:y|ies))\b",
    re.I,
)
"""An approval given as a present status ("is an FDA-approved medication"), not a dated history."""
APPROVED_OTHERS = re.compile(
    r"\b(?:than|other|unlike|over|versus|vs\.?|to|with)\s+(?:the\s+)?(?:fda[- ])?approved\s+(?:[\w-]+\s+)?"
    r"(?:treatments|medications|medicines|drugs|antidepressants|options|therapies|alternatives|products)\b",
    re.I,
)
"""Other products called approved in passing: "works better than approved treatments"."""
CREDIT_APPROVAL = re.compile(
    r"\b(?:approved credit|credit approval|pre-?approved|approved for (?:financing|a loan|credit))\b", re.I
)
"""A lender's approval ("financing with approved credit"): no regulator's."""
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
APPROVAL_YEAR = re.compile(
    r"\b(?:approv|clear|authori[sz])\w*\b[^.;]{0,40}?\b(19[5-9]\d|20[0-4]\d)\b"
    r"|\b(19[5-9]\d|20[0-4]\d)\b[^.;]{0,20}?\b(?:approv|clear|authori[sz])\w*",
    re.I,
)
"""A year said to be when a decision was made ("approved by the FDA in November 2018")."""
APPROVAL_FOR = r"(?:approv\w*|clear(?:ed|ance)|authori[sz]\w*)[^.;]{{0,60}}?\b(?:for|legit for|to treat|treatment for|treatment of)\b[^.;]{{0,25}}?(?:{names})"


CONDITION_APPROVED = r"(?:{names})\b[^.;,]{{0,30}}?\b(?:fda[- ])?approved\b"


ILLEGALITY = re.compile(
    r"\b(?:illegal|unlawful|against the law|break(?:s|ing)? the law|(?:a|an) (?:federal |serious )?(?:crime|offen[cs]e)|"
    r"prohibited)\b",
    re.I,
)
"""A warning: "buying it without a prescription is illegal" denies no control, it states one."""


def check_regulatory(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """Approval statements against the regulatory entries of the named intervention and condition.

    A claim that states two approvals, each in its own clause ("Spravato was approved in 2019,
    and IV ketamine for depression is also FDA-approved"), is judged clause by clause.
    """
    return [finding for clause in _approval_clauses(ctx) for finding in _check_approval(clause)]


def _approval_clauses(ctx: ClaimContext) -> list[ClaimContext]:
    """The claim cut at the clause breaks between its approval words, each part with what it names."""
    text = ctx.claim.text
    words = list(APPROVAL.finditer(text))
    cuts = [
        brk.end()
        for before, after in pairwise(words)
        if (brk := CLAUSE_BREAK.search(text, before.end(), after.start())) is not None
    ]
    if not cuts:
        return [ctx]
    bounds = zip([0, *cuts], [*cuts, len(text)], strict=True)
    return [_clause(ctx, lo, hi) for lo, hi in bounds]


def _clause(ctx: ClaimContext, lo: int, hi: int) -> ClaimContext:
    """The context of ``claim.text[lo:hi]``: its cues, the conditions it names, and the treatments it
    names (the claim's, where it names none: "and it is also approved for depression")."""
    claim, domain = ctx.claim, ctx.domain
    text = claim.text[lo:hi]
    start = claim.start + lo
    named = replace(
        ctx.targets,
        interventions=interventions_named(text, domain) or ctx.targets.interventions,
        conditions=conditions_named_of(text, domain.conditions),
    )
    return replace(
        ctx,
        claim=replace(claim, start=start, end=start + len(text), text=text),
        cues=tuple(c for c in ctx.cues if start <= c.start and c.end <= start + len(text)),
        targets=named,
    )


def _check_approval(ctx: ClaimContext) -> list[Finding]:
    """One clause's approval or denial against the regulatory entries."""
    text = ctx.claim.text
    denial = ctx.has_cue("regulatory_denial") and not ILLEGALITY.search(text)
    approval_word = APPROVAL.search(text)
    approval = approval_word is not None
    if not denial and not approval:
        return []  # most claims state no approval: the regulatory entries need not be looked for
    subject = _approval_subject(ctx, approval_word)
    if approval_word and (
        ONLY.search(text[: approval_word.start()]) or ONLY_AFTER.match(text, approval_word.end())
    ):
        return []  # "the only approved stem cell products are made from cord blood": a limit, not an approval
    if approval_word and REQUIRED.search(text[: approval_word.start()]):
        return []  # "a drug requiring FDA approval": approval needed, no status claimed
    if approval_word and not subject and OTHER_DRUGS.search(text[: approval_word.start()]):
        return []
    if approval_word and _approves_others(text, approval_word):
        return []
    regulatory = [
        e
        for e in ctx.ranked
        if e.entry.kind == "regulatory" and is_compatible(e.entry.intervention, subject, ctx.domain)
    ]
    if approval and (
        ctx.has_cue("borrowed_status") or _approval_given_as_the_answer(ctx, regulatory, subject)
    ):
        return _borrowed_approval(ctx, regulatory)
    if denial and regulatory:
        restricted = [e for e in regulatory if e.entry.restrictions] or regulatory
        return [Finding("contradicted", "regulatory_misstatement", "high", (restricted[0],), "")]
    if not approval:
        return []
    decided = [e for e in regulatory if _decides_for(e, subject, ctx.domain)]
    if not decided:
        return []
    denied = bool(NOT_APPROVED.search(text))
    misdated = [] if denied else _misdated(text, decided)
    if misdated:
        return misdated
    if _approval_for_condition(text, ctx.targets.conditions, ctx.domain) and not denied:
        return _approval_for_named_condition(ctx, decided)
    years = {int(y) for y in YEAR.findall(text)}
    dated = [e for e in decided if years & {a.year for a in e.entry.approvals}]
    if dated:
        return [
            Finding("supported", "regulatory_misstatement", None, (dated[0],), ""),
            *_status_wording(ctx, dated[0]),
        ]
    if denied:
        not_approved = [e for e in decided if not e.entry.approved] or decided
        return [Finding("supported", "regulatory_misstatement", None, (not_approved[0],), "")]
    approved = [e for e in decided if e.entry.approved]
    if not approved:
        return [Finding("contradicted", "regulatory_misstatement", "high", (decided[0],), "")]
    return _status_wording(ctx, approved[0])


def _approval_given_as_the_answer(
    ctx: ClaimContext, regulatory: list[LocatedEntry], subject: frozenset[str]
) -> bool:
    """An approval offered, with no word of what it was approved for, in answer to whether the treatment
    is approved ("Is ketamine FDA approved? Yes, it has been FDA approved since 1970") or as the status
    of what a page sells for its conditions ("Ketamine is an FDA-approved medication"): either answers
    for the page's use with an approval for anaesthesia. A dated history ("it was approved in 1970") is not,
    nor the status of a product approved for the page's conditions ("Spravato is FDA-approved")."""
    text = ctx.claim.text
    if NOT_APPROVED.search(text) or LABELLED_USE.search(text) or ctx.targets.conditions:
        return False
    if APPROVAL.search(ctx.asked):
        return True
    return bool(ctx.page_conditions and APPROVED_STATUS.search(text)) and not any(
        e.entry.approved and _decides_for(e, subject, ctx.domain) and ctx.fits_page_conditions(e)
        for e in regulatory
    )


def _approves_others(text: str, approval_word: re.Match[str]) -> bool:
    """An approval said of other products in passing ("works better than approved treatments", "unlike
    other FDA-approved drugs") or of credit ("financing with approved credit")."""
    spans = [*APPROVED_OTHERS.finditer(text), *CREDIT_APPROVAL.finditer(text)]
    return any(m.start() <= approval_word.start() < m.end() for m in spans)


def _approval_subject(ctx: ClaimContext, approval_word: re.Match[str] | None) -> frozenset[str]:
    """The interventions named before the first approval word: what the claim says is approved.

    "Our lozenges are FDA-approved for depression, as legit as Spravato" says the
    lozenges are approved, not Spravato; "The FDA approved Spravato" names none before
    the word, and every intervention the claim names counts (an empty set restricts nothing).
    After "only" the subject follows: "the only ketamine medicine approved for depression is Spravato"; before
    "is the only" it is what stands there: "Spravato is the only form of ketamine the FDA has approved".
    """
    if approval_word is None:
        return frozenset()
    before = ctx.claim.text[: approval_word.start()]
    if ONLY.search(before):
        before = ctx.claim.text[approval_word.end() :]
    else:
        sole = NAMED_AS_THE_ONLY.search(before)
        before = before[clause_around(before, sole.start())[0] : sole.start()] if sole else before
    named = interventions_named(before, ctx.domain)
    return narrowest_terms(named, ctx.domain)


def _decides_for(entry: LocatedEntry, subject: frozenset[str], domain: Domain) -> bool:
    """Whether a regulatory decision can settle an approval claimed for ``subject``.

    A refusal of a narrower product counts against the broader name ("IV ketamine is not
    approved for depression" answers "ketamine is approved for depression"); an approval
    does not carry upward: Spravato's approval does not make "ketamine" approved for
    depression, only a decision on ketamine itself (or a broader term) does.
    """
    approved = entry.entry.approved
    if approved is None:
        return False
    term = entry.entry.intervention
    if not approved or term is None or not subject:
        return True
    return any(term in lineage(domain, named) for named in subject)


def _borrowed_approval(ctx: ClaimContext, regulatory: list[LocatedEntry]) -> list[Finding]:
    """An approval claimed through sameness ("the same compound as Spravato, so its approval covers our
    infusions"): a status implied from another product or use, cited against what is not approved."""
    not_approved = tuple(e for e in regulatory if e.entry.approved is False)[:1]
    cited = with_standard(ctx, not_approved, "approval-terms")
    if not cited:
        return []
    detail = (
        "An approval covers one product for its labelled use; sameness with another does not carry it over."
    )
    return [Finding("overstated", "regulatory_misstatement", "high", cited, detail)]


def _misdated(text: str, decided: list[LocatedEntry]) -> list[Finding]:
    """An approval said to date from a year in which none of the named treatment's decisions was made.

    Only where every decision on record has its year, so that a missing year is not read as a wrong one.
    """
    stated = {int(a or b) for a, b in APPROVAL_YEAR.findall(text)}
    approved = [e for e in decided if e.entry.approved and e.entry.approvals]
    years = {a.year for e in approved for a in e.entry.approvals}
    if not stated or not approved or None in years or stated & years:
        return []
    on_record = ", ".join(str(y) for y in sorted(y for y in years if y is not None))
    detail = f"The decisions on record date from {on_record}, not {', '.join(map(str, sorted(stated)))}."
    return [Finding("contradicted", "regulatory_misstatement", "high", (approved[0],), detail)]


def _approval_for_named_condition(ctx: ClaimContext, decided: list[LocatedEntry]) -> list[Finding]:
    """ "Approved for X": the entry whose decision covers X decides; none covering it contradicts.

    An entry that names no condition speaks for every use; one about other conditions only
    means no decision covers the use the claim names. The narrowest conditions named count: "approved for
    postpartum depression" is no approval for depression at large. Where none covers it, the named
    treatment's own approvals for other uses are cited (Spravato's, not racemic ketamine's status).
    """
    named = narrowest_terms(ctx.targets.conditions, ctx.domain)
    coverage = [(e, _covers(e, named, ctx.domain)) for e in decided]
    on_label = [e for e, covers in coverage if covers is True]
    general = [e for e, covers in coverage if covers is None]
    off_label = [
        e for e, covers in coverage if covers is False and e.entry.intervention in ctx.targets.interventions
    ]
    entry = (on_label or off_label or general or decided)[0]
    covered = bool(on_label) or (bool(general) and not off_label)
    if entry.entry.approved and covered:
        return [
            Finding("supported", "regulatory_misstatement", None, (entry,), ""),
            *_status_wording(ctx, entry),
        ]
    detail = "" if covered else f"No regulatory decision in the evidence covers {', '.join(sorted(named))}."
    return [Finding("contradicted", "regulatory_misstatement", "high", (entry,), detail)]


def _covers(entry: LocatedEntry, conditions: frozenset[str], domain: Domain) -> bool | None:
    """Whether an entry's decision is about one of the conditions (None: it names no condition)."""
    named = [c for a in entry.entry.approvals for c in a.conditions]
    if entry.entry.condition is not None:
        named.append(entry.entry.condition)
    if not named:
        return None
    return any(is_compatible(c, conditions, domain) for c in named)


def _status_wording(ctx: ClaimContext, entry: LocatedEntry) -> list[Finding]:
    """ "FDA-approved" for what was only cleared or authorized: right use, wrong status (low severity)."""
    statuses = {a.status for a in entry.entry.approvals}
    text = ctx.claim.text
    said = [
        m
        for m in APPROVED_WORD.finditer(text)
        if "fda" in m[0].lower() or not LABEL_LIST.match(text, m.end())
    ]
    if not statuses or "approved" in statuses or not said:
        return []
    if NOT_APPROVED.search(ctx.claim.text):
        return []
    status = " or ".join(sorted(statuses))
    cited = with_standard(ctx, (entry,), "approval-terms")
    detail = f"It was {status}, not approved: the claim misstates its FDA status."
    return [Finding("overstated", "regulatory_misstatement", "low", cited, detail)]


def check_registration(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """ "FDA-registered", "FDA-certified" or a trial listing offered as if it were an FDA endorsement,
    with the domain's own closest regulatory or authority entry beside the standard."""
    own = tuple(e for e in ctx.ranked if e.entry.kind in ("regulatory", "authority"))[:1]
    return registration_misused(ctx.claim, ctx.standards, own)


def check_compounded_approval(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    return compounded_approval(ctx.claim, ctx.standards)


def registration_misused(
    claim: Claim, standards: Mapping[str, LocatedEntry], own: tuple[LocatedEntry, ...] = ()
) -> list[Finding]:
    """Registration or a trial listing offered as an FDA endorsement, whatever the treatment (the standard decides)."""
    standard = standards.get("registration")
    if standard is None or not REGISTERED.search(claim.text) or NOT_APPROVED.search(claim.text):
        return []
    detail = "Registration or a trial listing is not an FDA approval or endorsement."
    return [Finding("overstated", "authority_misappropriation", "medium", (standard, *own), detail)]


def compounded_approval(claim: Claim, standards: Mapping[str, LocatedEntry]) -> list[Finding]:
    """A compounded product said to be FDA-approved, whatever the drug: compounded drugs never are."""
    standard = standards.get("compounding")
    said = COMPOUNDED_APPROVAL.search(claim.text)
    if standard is None or said is None or NOT_APPROVED.search(claim.text):
        return []
    approval_word = APPROVAL.search(claim.text, said.start())
    if approval_word and _approves_others(claim.text, approval_word):
        return []
    detail = "Compounded drugs are not FDA-approved; the claim misstates the product's status."
    return [Finding("contradicted", "regulatory_misstatement", "high", (standard,), detail)]


STANDARD_CHECKS: tuple[Callable[[Claim, Mapping[str, LocatedEntry]], list[Finding]], ...] = (
    registration_misused,
    compounded_approval,
)
"""The checks the cross-domain standards settle alone, so they also judge claims no domain covers."""


def _approval_for_condition(text: str, conditions: frozenset[str], domain: Domain) -> bool:
    """True when the text says something is approved *for* one of the conditions it names.

    Either order counts: "approved for depression" and "our depression infusions are FDA-approved".
    """
    names = [name for c in conditions for name in domain.conditions[c].names]
    if not names:
        return False
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return any(
        re.search(pattern.format(names=alternatives), text, re.I)
        for pattern in (APPROVAL_FOR, CONDITION_APPROVED)
    )
