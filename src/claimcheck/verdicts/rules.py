"""The verdict rules: one check per overstatement reason of the annotation guide.

Each check reads a ClaimContext (the claim, its cue phrases, what it is about, the
retrieved candidates, every related entry of its domain and the cross-domain standards)
and returns Findings: a label, a reason, a severity and the entries it rests on, or a
confirmation that an entry supports the claim. Every threshold is a field of ``Rules``;
lexicons live in ``data/lexicon.yaml``. Nothing here names a treatment: what is approved,
cleared or controlled, who pays, how prices are quoted and who is vulnerable are typed
fields of the evidence (``evidence/<domain>/``). ``verdicts.Judge`` runs the checks and
combines their findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, lru_cache
from typing import Protocol, TypeVar

from ..claims.lexicon import CLAUSE_BREAK, CueMatch, about_the_treated, generic_treatment_words
from ..claims.quantities import DURABILITY_QUALIFIERS, HOURS_PER_UNIT, ONSET_QUALIFIERS, to_hours
from ..evidence.base import Bounds, Domain, LocatedEntry
from ..evidence.vocabulary import conditions_named_of, interventions_named, is_compatible, lineage
from ..records import Claim, Price, Quantity, Reason, Severity, Targets, VerdictLabel
from ..settings import Rules
from .language import (
    CONDITIONAL,
    TREATMENT_FRAME_CUES,
    WordingFlag,
    negated_at,
    uses_strong_wording,
    wording_flags,
)
from .matching import Candidate

APPROVAL = re.compile(r"\b(?:fda[- ]approved|approved|approval|cleared)\b", re.I)
NOT_APPROVED = re.compile(
    r"\b(?:not|n't|never|no|has not|hasn't|isn't|aren't)\b[^.;]{0,40}\b(?:approved|approval|cleared)\b|off[- ]label",
    re.I,
)
APPROVED_WORD = re.compile(r"\b(?:fda[- ])?(?:approved|approval)\b", re.I)
"""The drug word "approved" (not "cleared" or "authorized"), which misstates a device's status."""
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
OTHER_DRUGS = re.compile(
    r"\b(?:medications|medicines|drugs|antidepressants|ssris|pills|opioids|opiates|painkillers|benzodiazepines|"
    r"(?:conventional|traditional|standard)\s+(?:[\w-]+\s+){0,2}(?:treatments|approaches|therapies)|"
    r"electroconvulsive(?:\s+therapy)?|electroshock(?:\s+therapy)?|ect)\b",
    re.I,
)
"""Drugs in the plural, named by class, the usual treatments as a class, and ECT: what is said of them ("two
medications are approved for PTSD, both antidepressants", "conventional addiction treatment approaches have
made progress", "ECT is usually covered by insurance") is not said of the treatment the page sells."""
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
LIMITED_BEFORE = re.compile(
    r"\b(?:rarely|seldom|hardly ever|almost never|infrequently|not (?:usually|typically|often|always))\s+(?:[\w-]+\s+){0,2}$",
    re.I,
)
"""A word that limits what follows it to few cases ("is rarely covered by insurance")."""
OURS = re.compile(r"\b(?:we|our|us|compared|than|unlike|versus|vs|instead of|alternative to)\b", re.I)
"""Words that put the page's own treatment in a claim that does not name it: "we", or a comparison with the
drugs it names ("compared to drugs and surgery, the success rate is higher")."""
OURS_BY_PRONOUN = re.compile(r"\b(?:it|its|this)\b", re.I)
"""A pronoun is the page's treatment unless the claim opens on the other treatment, which it then refers to."""
HARM_OUTCOMES = frozenset({"adverse-event", "abuse"})
"""Safety entries with these outcomes record a harm that occurs; a denial of it is contradicted."""
STEM = 6
"""Letters of a word compared when a denied harm is looked for in an entry ("addiction" ~ "addictive")."""
MIN_HARM_WORD = 5
WORD_IN_TEXT = re.compile(r"[a-z]+")
DENIAL_WORDS = frozenset(
    word[:STEM]
    for word in (
        "cannot",
        "never",
        "cause",
        "causes",
        "leads",
        "result",
        "produce",
        "create",
        "carry",
        "trigger",
        "induce",
        "suppress",
        "depress",
        "impair",
        "raise",
        "increase",
        "elevate",
        "spike",
        "damage",
        "injure",
        "danger",
    )
)
"""The words of a denial that are not the harm (negations and verbs of causing), by their stems."""
OF_BENEFIT = re.compile(r"\s+of\s+(?:[\w-]+\s+){0,2}?", re.I)
OF_BENEFIT_REACH = 30
"""How far past a duration "of ..." may name its benefit ("weeks of symptom relief")."""
FOREVER = frozenset({"permanent", "permanently", "for good", "forever", "indefinitely"})
"""Absolute words that put no end to a benefit."""
CONTROLLED_EVIDENCE = re.compile(
    r"\b(?:clinical trials?|randomi[sz]ed|controlled (?:trials?|studies)|meta-analys[ie]s|systematic reviews?)\b",
    re.I,
)
"""A rate credited to controlled evidence: held against controlled entries only (an open-label or registry
figure "in clinical trials" says more than the trials do)."""
UNCONTROLLED_DESIGNS = frozenset(
    {"open-label", "observational", "case-series", "case-report", "survey", "pilot"}
)
LETTER = re.compile(r"[^\W\d_]")
OPEN_ABOVE = re.compile(
    r"\s*(?:\+|or (?:more|higher|greater|above|better)\b|and (?:up|above|higher)\b)", re.I
)
RELAPSE = re.compile(r"\brelaps\w*", re.I)
OUTCOME_REACH = 40
"""Characters after a rate within which the outcome it counts is named ("70% of our patients achieve remission")."""
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
APPROVAL_YEAR = re.compile(
    r"\b(?:approv|clear|authori[sz])\w*\b[^.;]{0,40}?\b(19[5-9]\d|20[0-4]\d)\b"
    r"|\b(19[5-9]\d|20[0-4]\d)\b[^.;]{0,20}?\b(?:approv|clear|authori[sz])\w*",
    re.I,
)
"""A year said to be when a decision was made ("approved by the FDA in November 2018")."""
NOT_HELPED_AFTER = re.compile(
    r"\s*(?:of\s+(?:\w+\s+){0,3}?)?(?:who|that)\s+(?:do|does|did|will|may)\s*(?:not|n't)\s+"
    r"(?:\w+\s+)?(?:respond|improve|benefit|experience relief|get relief|feel better|see results|recover)\b(?!\s+(?:to|with)\b)",
    re.I,
)
"""Words after a rate that make it the share not helped ("20% of patients who do not respond"),
not a group defined by another treatment ("3 in 4 of those who did not respond to TMS")."""
UNDERSTATED = re.compile(r"(?:\b(?:under|fewer than|less than|below|only|just)|<)\s*$", re.I)
"""What puts a share as a ceiling just before it ("under 5%", "fewer than 2%")."""
STOPPED_TREATMENT = re.compile(
    r"\b(?:stop(?:s|ped)?|discontinu\w*|dropp?(?:ed)? out|quit|withdr[ae]w\w*)\b", re.I
)
"""A share of patients who stopped treatment: a dropout rate, not how many are harmed."""
OFFER_AFTER = re.compile(r"^\s*(?:off|discount|voucher)\b", re.I)
MEASURE_OF_A_SUBSTANCE = re.compile(
    r"^\s*(?:bio-?availab\w*|absor\w*|pure|purity|natural|oxygen|of\s+(?:the|a|each)\s+dose)\b", re.I
)
"""What a percent measures when it is of the substance, not of the patients helped ("100% bioavailable")."""
APPROVAL_FOR = r"(?:approv\w*|clear(?:ed|ance)|authori[sz]\w*)[^.;]{{0,60}}?\b(?:for|legit for|to treat|treatment for|treatment of)\b[^.;]{{0,25}}?(?:{names})"
CONDITION_APPROVED = r"(?:{names})\b[^.;,]{{0,30}}?\b(?:fda[- ])?approved\b"
DRUG_ONLY = re.compile(
    r"\b(?:itself|the drug alone|drug cost|wholesale|the (?:amount|dose|quantity|vial)s? (?:of [\w-]+ )?(?:used|needed|given))\b",
    re.I,
)
"""The cost of the drug alone, which the price of a treatment (clinic, staff, monitoring) is not held against."""
CONTRADICTION_REASONS: dict[str, Reason] = {
    "regulatory": "regulatory_misstatement",
    "cost": "cost_misstatement",
    "indication": "indication_creep",
    "authority": "authority_misappropriation",
}
PROMISE_CUES = ("treats_verb", "kind:efficacy")
"""Words that present a treatment as working on a condition (a usage statement has none outside itself)."""
MAX_FRAGMENT_WORDS = 8
NUMBER_IN_QUANTITY = re.compile(
    r"\d|\b(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|sixty|few|half)\b",
    re.I,
)
SAFETY_LEAD_IN = re.compile(r"\b(?:effects?|feel(?:s|ings?)?|risks?|symptoms)\b", re.I)
"""A list introduced as what people feel or risk lists effects, not conditions treated."""
QUANTITY_GAP = 2
"""A quantity that starts this close after a cue ("takes 40 minutes") belongs to it."""
SUBJECT_REACH = 25
"""At most this many characters from a partial subject ("some people") to the rarity phrase it limits."""
LIST_ITEM_BEFORE = re.compile(r"(?:,|\b(?:and|or))\s*(?:very\s+|more\s+|less\s+)?$", re.I)
"""Text ending where a list's next item begins: a rarity word there qualifies that item alone."""
EXCLUSION = re.compile(
    r"\b(?:not indicated|contraindicated|(?:should|must|to|please|always|is|are) (?:be )?avoid(?:ed)?|^avoid|should not|not suitable|not for|caution|not been shown|no study|"
    r"no evidence|(?P<negation>has not|does not|did not|failed to)|neither|side effects?|adverse|mice|rats|animal|(?P<off_label>off-label)|"
    r"not (?:fda[- ])?approved|lacks?|develop)\b",
    re.I,
)
"""Words that make a claim an exclusion, a caveat or a negative finding rather than a treatment's use."""
ILLEGALITY = re.compile(
    r"\b(?:illegal|unlawful|against the law|break(?:s|ing)? the law|(?:a|an) (?:federal |serious )?(?:crime|offen[cs]e)|"
    r"prohibited)\b",
    re.I,
)
"""A warning: "buying it without a prescription is illegal" denies no control, it states one."""
OWN_OFFER = re.compile(
    r"\b(?:we|our\s+(?:clinic|team|physicians|doctors|providers|clinicians|center|centre))\s+(?:also\s+)?"
    r"(?:offer|provide|treat|use|prescribe|run)s?\b",
    re.I,
)
"""A page offering its own service: "we also offer off-label protocols for autism" presents what it treats,
where "ketamine is used off-label for depression" states a regulatory status."""
NEGATION_REACH = 5
"""At most this many words from a relative pronoun to a negation in its clause ("that two drugs have failed to")."""
RULES = Rules()


@dataclass(frozen=True)
class Finding:
    label: VerdictLabel
    reason: Reason | None
    """The overstatement found. A ``supported`` finding names the one it rules out where typed facts
    decide it (an approval and its date, a price range); a rate within the evidence's bounds rules
    nothing out (the population or design may differ), so it names none."""
    severity: Severity | None
    entries: tuple[LocatedEntry, ...]
    explanation: str


def finding_from(flag: WordingFlag, entries: tuple[LocatedEntry, ...]) -> Finding:
    """The finding a wording flag makes, resting on ``entries`` (none where no domain covers the claim)."""
    return Finding(flag.label, flag.reason, flag.severity, entries, flag.explanation)


@dataclass(frozen=True)
class ClaimContext:
    """What a check needs to know about one claim."""

    claim: Claim
    cues: tuple[CueMatch, ...]
    targets: Targets
    domain: Domain
    candidates: tuple[Candidate, ...]
    related: tuple[LocatedEntry, ...]
    standards: Mapping[str, LocatedEntry] = field(default_factory=dict)
    """Cross-domain standard entries by role (``EvidenceBase.standards``), citable whatever the treatment."""
    prices: tuple[Price, ...] = ()
    """The prices the claim states, as the annotation stage found them on the page."""
    page_conditions: frozenset[str] = frozenset()
    """The conditions the page names for the claim's treatment: what a claim naming none is about."""
    asked: str = ""
    """The question the claim answers, where the unit before it is one (an FAQ): "Is ketamine FDA approved?"."""

    def about(self, *kinds: str) -> bool:
        """True when the claim is of one of these kinds, by the classifier or by its cue words."""
        return any(kind in self.claim.kinds or self.has_cue(f"kind:{kind}") for kind in kinds)

    def fits_conditions(self, entry: LocatedEntry) -> bool:
        """Whether the entry's condition is compatible with the conditions the claim names."""
        return is_compatible(entry.entry.condition, self.targets.conditions, self.domain)

    def fits_page_conditions(self, entry: LocatedEntry) -> bool:
        """Whether the entry's condition is compatible with the conditions the page names."""
        return is_compatible(entry.entry.condition, self.page_conditions, self.domain)

    def has_cue(self, category: str) -> bool:
        return any(c.category == category and not self.negated(c) for c in self.cues)

    def cue_texts(self, category: str) -> list[str]:
        return [c.text.lower() for c in self.cues if c.category == category and not self.negated(c)]

    def negated(self, cue: CueMatch) -> bool:
        return negated_at(self.claim.text, cue.start - self.claim.start)

    @cached_property
    def ranked(self) -> tuple[LocatedEntry, ...]:
        """Candidates first (by score), then the rest of the claim's related entries (computed once: most checks read them).

        Entries are told apart by id (unique in a base): comparing them as values would walk
        every field of every entry, for every claim and every check.
        """
        first = tuple(c.entry for c in self.candidates)
        retrieved = {e.entry.id for e in first}
        return first + tuple(e for e in self.related if e.entry.id not in retrieved)

    @cached_property
    def wording(self) -> dict[str, WordingFlag]:
        """What the language layer finds in the claim's words, by reason (computed once)."""
        return {flag.reason: flag for flag in wording_flags(self.claim, self.cues)}


# --- the checks -------------------------------------------------------------------------------


def check_regulatory(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """Approval statements against the regulatory entries of the named intervention and condition."""
    text = ctx.claim.text
    denial = ctx.has_cue("regulatory_denial") and not ILLEGALITY.search(text)
    approval_word = APPROVAL.search(text)
    approval = approval_word is not None
    if not denial and not approval:
        return []  # most claims state no approval: the regulatory entries need not be looked for
    subject = _approval_subject(ctx, approval_word)
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
    """An approval said of other products in passing: "works better than approved treatments", "unlike
    other FDA-approved drugs"."""
    return any(m.start() <= approval_word.start() < m.end() for m in APPROVED_OTHERS.finditer(text))


def _approval_subject(ctx: ClaimContext, approval_word: re.Match[str] | None) -> frozenset[str]:
    """The interventions named before the first approval word: what the claim says is approved.

    "Our lozenges are FDA-approved for depression, as legit as Spravato" says the
    lozenges are approved, not Spravato; "The FDA approved Spravato" names none before
    the word, and every intervention the claim names counts (an empty set restricts nothing).
    """
    if approval_word is None:
        return frozenset()
    named = interventions_named(ctx.claim.text[: approval_word.start()], ctx.domain)
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
    cited = _with_standard(ctx, not_approved, "approval-terms")
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
    means no decision covers the use the claim names.
    """
    coverage = [(e, _covers(e, ctx.targets.conditions, ctx.domain)) for e in decided]
    on_label = [e for e, covers in coverage if covers is True]
    general = [e for e, covers in coverage if covers is None]
    entry = (on_label or general or decided)[0]
    if entry.entry.approved and (on_label or general):
        return [
            Finding("supported", "regulatory_misstatement", None, (entry,), ""),
            *_status_wording(ctx, entry),
        ]
    names = ", ".join(sorted(ctx.targets.conditions))
    detail = "" if on_label or general else f"No regulatory decision in the evidence covers {names}."
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
    if not statuses or "approved" in statuses or not APPROVED_WORD.search(ctx.claim.text):
        return []
    if NOT_APPROVED.search(ctx.claim.text):
        return []
    status = " or ".join(sorted(statuses))
    cited = _with_standard(ctx, (entry,), "approval-terms")
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


def check_contradicting_phrases(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """A phrase an entry lists under ``contradicted_by``, asserted about that entry's treatment.

    The claim must name the entry's intervention (or a narrower one): "Spravato can be taken at
    home" is contradicted by the REMS entry, "ketamine can be taken at home" is not judged by it.
    """
    named = ctx.targets.interventions
    findings = []
    for entry in ctx.ranked:
        if not entry.entry.contradicted_by or not any(
            entry.entry.intervention in lineage(ctx.domain, n) for n in named
        ):
            continue
        asserted = _asserted_phrase(ctx.claim.text, entry.entry.contradicted_by)
        if asserted and _said_of(ctx, entry, asserted[1]):
            phrase = asserted[0]
            reason = CONTRADICTION_REASONS.get(entry.entry.kind, "absolute_language")
            detail = f"The evidence contradicts “{phrase}”."
            findings.append(Finding("contradicted", reason, "high", (entry,), detail))
    return findings[:1]


def check_numbers(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """Rates in an efficacy claim against the highest rate any compatible entry supports.

    Compatible: for the conditions the claim names, and for remission where the rate is one of
    remission ("70% achieve remission" is held against remission rates, not response rates).
    """
    if not ctx.about("efficacy", "comparative") or _epidemiology(ctx):
        return []
    rates = [
        _share_helped(ctx, q)
        for q in ctx.claim.quantities
        if q.kind in ("percent", "ratio")
        and q.unit == "%"
        and not _is_offer(ctx.claim, q)
        and not MEASURE_OF_A_SUBSTANCE.match(_after(ctx.claim, q))
    ]
    if not rates:
        return []
    figured = [
        e
        for e in ctx.ranked
        if e.entry.kind in ("efficacy", "comparative") and e.entry.figures and e.entry.figures.unit == "%"
    ]
    figured = [e for e in figured if ctx.fits_conditions(e)] or figured
    if not ctx.targets.conditions:
        figured = [e for e in figured if ctx.fits_page_conditions(e)] or figured
    claimed = max(rates, key=lambda q: q.high)
    if any(c.category == "single_dose" and _same_clause(ctx, c.start, claimed.start) for c in ctx.cues):
        figured = [e for e in figured if e.entry.regimen != "series"] or figured
    if CONTROLLED_EVIDENCE.search(ctx.claim.text):
        figured = [e for e in figured if e.entry.design not in UNCONTROLLED_DESIGNS] or figured
    if _a_remission_rate(ctx, claimed):
        figured = [e for e in figured if e.entry.outcome == "remission"] or figured
    if not figured:
        cited = tuple(c.entry for c in ctx.candidates[:2])
        if not cited or not _domain_has_rates(ctx):
            return []
        return [
            Finding(
                "unsupported",
                "number_beyond_evidence",
                "high",
                cited,
                f"No entry in the evidence base supports a figure like {claimed.text}.",
            )
        ]
    best = max(figured, key=lambda e: e.entry.figures.high if e.entry.figures else 0.0)
    bounds = best.entry.figures
    assert bounds is not None
    beyond = claimed.high > bounds.high + rules.number_tolerance_points and not _quoted_by(figured, claimed)
    open_ended = _open_above(ctx, claimed) and claimed.high + rules.number_tolerance_points > bounds.high
    if beyond or open_ended:
        return [
            Finding(
                "overstated",
                "number_beyond_evidence",
                "high",
                (best,),
                f"{claimed.text}{' or more' if open_ended and not beyond else ''} is above the highest rate "
                f"the evidence reports ({_fmt(bounds.high)}%).",
            )
        ]
    return [Finding("supported", "number_beyond_evidence", None, (best,), "")]


def check_onset(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """A promised onset against the fastest onset the evidence shows.

    Only where a treatment acts: "most applications are decided in minutes" is no onset.
    """
    if not ctx.about("onset", "efficacy", "comparative") or not _acts_on_something(ctx):
        return []
    entries = [e for e in ctx.ranked if e.entry.onset is not None]
    if not entries:
        return _onset_wording(ctx)
    fastest = min(entries, key=lambda e: _bound_hours(e, "onset")[0])
    fastest_hours = _bound_hours(fastest, "onset")[0]
    durations = [
        h[0]
        for q in _outside(ctx, ctx.claim.quantities, "schedule", "procedure_time")
        if q.qualifier in ONSET_QUALIFIERS and not _unnumbered(q) and (h := to_hours(q))
    ]
    if durations and min(durations) < fastest_hours * rules.onset_tolerance:
        return [
            Finding(
                "overstated",
                "onset_exaggerated",
                "high",
                (fastest,),
                "The claim promises a faster effect than the evidence shows.",
            )
        ]
    if "onset_exaggerated" in ctx.wording:
        return [Finding("overstated", "onset_exaggerated", "medium", (fastest,), "")]
    return []


def _onset_wording(ctx: ClaimContext) -> list[Finding]:
    """Results promised at once, for a treatment whose evidence records no onset: the wording alone decides."""
    flag = ctx.wording.get("onset_exaggerated")
    if flag is None:
        return []
    return [
        finding_from(flag, _with_standard(ctx, tuple(c.entry for c in ctx.candidates[:1]), "substantiation"))
    ]


def check_durability(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """A promised duration of benefit against the longest the evidence shows."""
    if not ctx.about("durability") or ctx.has_cue("evidence_caveat"):
        return []
    entries = _duration_entries(ctx)
    if not entries:
        return _lasting_beyond_maintenance(ctx)
    longest = max(entries, key=lambda e: _bound_hours(e, "duration")[1])
    longest_hours = _bound_hours(longest, "duration")[1]
    one_dose = longest.entry.regimen == "single"
    if not one_dose and not ctx.has_cue("kind:efficacy") and not ctx.has_cue("lasting"):
        return []
    claimed = [h[1] for q in _promised_durations(ctx) if (h := to_hours(q))]
    forever = _forever(ctx)
    kept_by_treatment = ctx.has_cue("continued_treatment")
    longer = (
        max(claimed) > longest_hours * rules.durability_tolerance
        if claimed
        else ctx.has_cue("lasting") and not kept_by_treatment
    )
    if forever or longer:
        return [
            Finding(
                "overstated",
                "durability_exaggerated",
                "high" if claimed else "medium",
                (longest,),
                "The claim promises a longer-lasting benefit than the evidence shows.",
            )
        ]
    return []


def _lasting_beyond_maintenance(ctx: ClaimContext) -> list[Finding]:
    """Lasting benefit promised where the evidence shows it held only while doses went on.

    An entry with ``regimen: maintenance`` and no ``duration`` records benefit kept under
    continued treatment (a relapse-prevention trial), not how long it lasts once treatment
    stops; "a path toward lasting recovery" says more, unless the claim itself speaks of
    continuing treatment.
    """
    if not ctx.has_cue("lasting") or ctx.has_cue("continued_treatment") or ctx.has_cue("booster_interval"):
        return []
    held = [
        e
        for e in ctx.ranked
        if e.entry.regimen == "maintenance" and e.entry.duration is None and ctx.fits_conditions(e)
    ]
    if not held:
        return []
    return [
        Finding(
            "overstated",
            "durability_exaggerated",
            "medium",
            (held[0],),
            "The evidence shows the benefit held only while treatment continued, not that it lasts.",
        )
    ]


def _promised_durations(ctx: ClaimContext) -> list[Quantity]:
    """How long the claim says a benefit lasts: durations bounded as such ("lasting up to 6 months")
    or of a benefit ("two weeks of relief"), not a schedule or the session's length, and the gap
    between repeat doses ("boosters every three months"), which says one dose holds that long."""
    durations = [
        q
        for q in _outside(ctx, ctx.claim.quantities, "schedule", "procedure_time")
        if q.qualifier in DURABILITY_QUALIFIERS or _of_a_benefit(ctx, q)
    ]
    intervals = [c for c in ctx.cues if c.category == "booster_interval"]
    gaps = [
        q
        for q in ctx.claim.quantities
        if q.kind == "duration" and any(c.start <= q.start and q.end <= c.end for c in intervals)
    ]
    return durations + gaps


def _of_a_benefit(ctx: ClaimContext, duration: Quantity) -> bool:
    """Whether the duration measures a benefit named right after it ("one to two weeks of relief")."""
    if duration.kind != "duration":
        return False
    return bool(OF_BENEFIT.match(_after(ctx.claim, duration))) and any(
        c.category == "kind:efficacy" and 0 <= c.start - duration.end <= OF_BENEFIT_REACH for c in ctx.cues
    )


def _after(claim: Claim, quantity: Quantity) -> str:
    """The claim's text after the quantity."""
    return claim.text[quantity.end - claim.start :]


def _unnumbered(quantity: Quantity) -> bool:
    """A bare unit ("within hours", "in minutes"): a span of time, not a figure to compare.

    The annotation guide reads "within hours" as supported; "in minutes" is caught as
    wording by the language layer instead.
    """
    return not NUMBER_IN_QUANTITY.search(quantity.text)


def _duration_entries(ctx: ClaimContext) -> list[LocatedEntry]:
    """The entries bounding how long the claim's benefit lasts: those for one dose when it speaks of one.

    "The effects of a single infusion last weeks" is judged against what one infusion
    gives (days), not against a course of six, so a typed ``regimen`` decides.
    """
    entries = [e for e in ctx.ranked if e.entry.duration is not None and ctx.fits_conditions(e)]
    single = [e for e in entries if e.entry.regimen == "single"]
    if ctx.has_cue("single_dose") and not ctx.has_cue("schedule") and single:
        return single
    return [e for e in entries if e.entry.regimen != "single"] or entries


def check_indications(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """Each condition the claim presents as treated, against its indication status."""
    if not presents_an_indication(ctx):
        return []
    findings = []
    for condition in sorted(narrowest_terms(ctx.targets.conditions, ctx.domain)):
        entry = _indication_entry(ctx, condition)
        status = entry.entry.indication_status if entry else None
        if entry is None or status is None or status == "established":
            continue
        label = rules.creep_labels[status]
        if ctx.claim.hedged and label == "overstated":
            continue
        findings.append(Finding(label, "indication_creep", "medium", (entry,), ""))
    return findings


def check_absolute(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """Superlatives and absolutes, unless the evidence itself is that strong."""
    flag = ctx.wording.get("absolute_language")
    if flag is None or any(c.entry.entry.absolute_ok for c in ctx.candidates[:1]):
        return []
    entries = (
        _safety_first(ctx) if "safety" in ctx.claim.kinds else tuple(c.entry for c in ctx.candidates[:2])
    )
    return [finding_from(flag, entries)]


def check_denied_harm(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """A harm denied outright ("does not cause addiction") that the domain's evidence records: contradicted.

    The entry must be a safety entry that records harm (``outcome`` among ``HARM_OUTCOMES``)
    and speak of the denied harm itself (a word of the denial among the entry's words), so
    that "does not cause seizures" is held against the seizure entry and nothing else. Not
    where the denial is said of some patients only ("some patients do not develop nausea").
    """
    for denial in ctx.cues:
        if denial.category != "harm_denied" or ctx.negated(denial):
            continue
        if _said_of_some(ctx, denial) or _of_another_treatment(ctx, denial):
            continue
        denied = _harm_stems(denial.text) - DENIAL_WORDS
        entry = next((e for e in ctx.ranked if _records_harm(e, denied)), None)
        if entry is None:
            detail = f"No entry records or rules out the harm that “{denial.text}” denies."
            return [Finding("unverified", None, None, (), detail)]
        detail = f"The evidence records the harm that “{denial.text}” denies."
        return [Finding("contradicted", "absolute_language", "high", (entry,), detail)]
    return []


def check_rarity(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """Side effects called rare where the evidence reports them in many patients.

    Not where the rarity is said of some patients only ("some people notice very few side effects"),
    nor of something other than a harm ("street sales of the drug are rare"): the claim must name
    a harm, by a safety cue of its own, whatever kind the classifier gave it.
    """
    if not ctx.has_cue("kind:safety") or not _rarity_for_all(ctx):
        return []
    measured = _measured_harm(ctx)
    if measured is None:
        return []
    top, frequency = measured
    if frequency.high < rules.common_side_effect_percent:
        return [Finding("supported", None, None, (top,), "")]
    return [_hidden_harm(top, "Calling side effects rare hides how often they occur.")]


def check_harm_rate(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """A share of patients harmed put far below what the evidence measures ("any side effects | fewer
    than 2%" where trials count dizziness, nausea and dissociation in a third or more).

    Only a share stated as a ceiling ("under", "fewer than", "only"), of a harm the claim names,
    and not of patients who stopped treatment (a dropout rate is a different measure).
    """
    if not ctx.has_cue("kind:safety") or STOPPED_TREATMENT.search(ctx.claim.text):
        return []
    ceilings = [
        q
        for q in ctx.claim.quantities
        if q.kind == "percent" and UNDERSTATED.search(ctx.claim.text[: q.start - ctx.claim.start])
    ]
    measured = _measured_harm(ctx)
    if not ceilings or measured is None:
        return []
    top, frequency = measured
    claimed = max(q.high for q in ceilings)
    if claimed * rules.harm_understatement_factor >= frequency.low:
        return [Finding("supported", "number_beyond_evidence", None, (top,), "")]
    why = (
        f"A harm put under {_fmt(claimed)}% of patients is far below the {_fmt(frequency.low)}% or more "
        "the evidence reports."
    )
    return [_hidden_harm(top, why)]


def _hidden_harm(measured: LocatedEntry, why: str) -> Finding:
    """The finding of a harm made to look rarer than the entry that measures it: a number beyond the evidence."""
    return Finding("overstated", "number_beyond_evidence", "high", (measured,), why)


def _measured_harm(ctx: ClaimContext) -> tuple[LocatedEntry, Bounds] | None:
    """The best-ranked safety entry that measures how often its harm occurs, with that frequency."""
    for entry in ctx.ranked:
        if entry.entry.kind == "safety" and entry.entry.frequency is not None:
            return entry, entry.entry.frequency
    return None


def _rarity_for_all(ctx: ClaimContext) -> bool:
    """A rarity phrase said of a treatment's harms as a whole.

    Asserted; not limited by a partial subject just before it ("some people notice few side
    effects"); and not one item of a list ("dizziness, nausea and rarely hallucinations"
    calls only the hallucinations rare, not the dizziness and nausea the evidence counts).
    """
    return any(
        c.category == "rarity"
        and not ctx.negated(c)
        and not _said_of_some(ctx, c)
        and not LIST_ITEM_BEFORE.search(ctx.claim.text[: c.start - ctx.claim.start])
        for c in ctx.cues
    )


def check_authority(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """Institutions or studies named as confirming or endorsing what they only studied."""
    flag = ctx.wording.get("authority_misappropriation")
    if flag is None:
        return []
    entries = tuple(e for e in ctx.ranked if e.entry.kind == "authority")[:1] or tuple(
        c.entry for c in ctx.candidates[:1]
    )
    return [finding_from(flag, _with_standard(ctx, entries, "substantiation"))]


def check_testimonial(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """A personal story of results offered as proof."""
    flag = ctx.wording.get("testimonial_as_proof")
    if flag is None:
        return []
    return [
        finding_from(flag, _with_standard(ctx, tuple(c.entry for c in ctx.candidates[:1]), "testimonials"))
    ]


def check_cost(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """Prices against the known price range, and insurance coverage against what insurers do.

    Coverage is read from the closest entry about a form the claim names; said of the
    treatment at large, it holds only if it holds for every form: "ketamine is covered by
    most plans" is overstated while IV ketamine rarely is, though insurers usually cover
    Spravato.
    """
    if not ctx.about("cost") and not any(q.kind == "money" for q in ctx.claim.quantities):
        return []
    if _asserts_coverage(ctx) and not CONDITIONAL.search(ctx.claim.text):
        coverage = [e for e in ctx.ranked if e.entry.coverage is not None]
        named = (
            coverage[:1]
            if coverage and coverage[0].entry.intervention in ctx.targets.interventions
            else coverage
        )
        uncovered = [e for e in named if e.entry.coverage in ("rarely-covered", "not-covered")]
        if uncovered:
            return [Finding("overstated", "cost_misstatement", "medium", (uncovered[0],), "")]
    priced = [e for e in ctx.ranked if e.entry.kind == "cost" and e.entry.price is not None]
    if not priced or DRUG_ONLY.search(ctx.claim.text):
        return []
    lowest = min(priced, key=lambda e: e.entry.price.low if e.entry.price else 0.0)
    floor, currency = (lowest.entry.price.low, lowest.entry.price.unit) if lowest.entry.price else (0.0, "")
    amounts = [p for p in ctx.prices if _comparable_price(p, currency, ctx.domain)]
    if not amounts:
        return []
    if (
        min(p.amount if p.amount is not None else (p.low or 0.0) for p in amounts)
        < floor * rules.price_low_factor
    ):
        return [
            Finding(
                "contradicted",
                "cost_misstatement",
                "medium",
                (lowest,),
                "The price stated is far below known prices.",
            )
        ]
    return [Finding("supported", "cost_misstatement", None, (priced[0],), "")]


CHECKS: tuple[Callable[[ClaimContext, Rules], list[Finding]], ...] = (
    check_regulatory,
    check_registration,
    check_compounded_approval,
    check_contradicting_phrases,
    check_numbers,
    check_onset,
    check_durability,
    check_indications,
    check_absolute,
    check_denied_harm,
    check_rarity,
    check_harm_rate,
    check_authority,
    check_testimonial,
    check_cost,
)


# --- helpers of the checks ----------------------------------------------------------------------


COST_WORDS = ("coverage", "kind:cost")


def _asserts_coverage(ctx: ClaimContext) -> bool:
    """Whether the claim says insurers pay: a coverage cue, not denied and not limited ("is rarely covered
    by insurance", "plans seldom reimburse" say what the evidence says)."""
    return any(c.category == "coverage" and not _limited(ctx, c) for c in ctx.cues)


def _speaks_of_cost(ctx: ClaimContext) -> bool:
    """The frame of a cost misstatement for the learned flag: a price stated, or words of cost with none
    denied or limited ("rarely covered by insurance, so most patients pay out of pocket" promises nothing)."""
    if any(q.kind == "money" for q in ctx.claim.quantities):
        return True
    cost = [c for c in ctx.cues if c.category in COST_WORDS]
    return bool(cost) and not any(_limited(ctx, c) for c in cost)


def _limited(ctx: ClaimContext, cue: CueMatch) -> bool:
    """Whether the cue is denied ("not covered") or limited to few cases ("rarely covered")."""
    return (
        ctx.negated(cue) or LIMITED_BEFORE.search(ctx.claim.text, 0, cue.start - ctx.claim.start) is not None
    )


def presents_an_indication(ctx: ClaimContext) -> bool:
    """Whether the claim presents a treatment as working on a condition: the frame indication creep needs."""
    return speaks_of_indications(ctx) and _presents_a_treatment(ctx)


def names_only_established_indications(ctx: ClaimContext) -> bool:
    """Whether every condition the claim names is one its treatment's evidence establishes.

    Such a claim cannot creep beyond the evidence's indications, whatever its wording. A
    condition with no indication entry of its own counts when a narrower form of it has an
    established one: "doctors use it off label to treat depression" names depression, whose
    treatment-resistant form the ketamine entries establish.
    """
    indications = [e.entry for e in ctx.related if e.entry.kind == "indication"]
    established = {e.condition for e in indications if e.indication_status == "established" and e.condition}
    with_entries = {e.condition for e in indications}
    conditions = narrowest_terms(ctx.targets.conditions, ctx.domain)
    return bool(conditions) and all(
        c in established or (c not in with_entries and any(c in lineage(ctx.domain, n) for n in established))
        for c in conditions
    )


def has_the_frame_of(ctx: ClaimContext, reason: str | None) -> bool:
    """Whether the claim says the kind of thing a reason is about (any claim, for a reason with no frame).

    The learned flag reads wording only; it may name a reason only where the claim has
    that reason's frame: a rate for a number beyond evidence, a promised onset for an
    exaggerated onset, a treatment's use for indication creep.
    """
    frame = REASON_FRAMES.get(reason or "")
    return frame is None or frame(ctx)


def _states_a_rate(ctx: ClaimContext) -> bool:
    return not _epidemiology(ctx) and any(q.kind in ("percent", "ratio") for q in ctx.claim.quantities)


def _promises_an_onset(ctx: ClaimContext) -> bool:
    """An onset figure or word, for a treatment, that is not the length of the session or its schedule."""
    if not _acts_on_something(ctx):
        return False
    timed = [q for q in ctx.claim.quantities if q.qualifier in ONSET_QUALIFIERS]
    words = [c for c in ctx.cues if c.category in ("kind:onset", "instant_onset") and not ctx.negated(c)]
    return bool(
        _outside(ctx, timed, "schedule", "procedure_time")
        or _outside(ctx, words, "schedule", "procedure_time")
    )


def _promises_lasting(ctx: ClaimContext) -> bool:
    """A benefit said to last: a lasting word, a duration of benefit or the gap between boosters,
    not a course's schedule or a session's length ("six infusions over two weeks, each lasting 45 minutes")."""
    if ctx.has_cue("evidence_caveat"):
        return False
    return ctx.has_cue("lasting") or bool(_forever(ctx)) or bool(_promised_durations(ctx))


def _forever(ctx: ClaimContext) -> frozenset[str]:
    """The claim's absolute words that put no end to a benefit ("permanently", "for good")."""
    return FOREVER & frozenset(ctx.cue_texts("absolute"))


def speaks_of_indications(ctx: ClaimContext) -> bool:
    """Whether the claim speaks of what a treatment is for, as a promise rather than a caveat.

    Not an exclusion ("not for people with psychosis"), a caveat or a study's report, how
    common a condition is, or a list of side effects.
    """
    if not _speaks_of_treating(ctx) or _excludes(ctx):
        return False
    if ctx.has_cue("evidence_caveat") or ctx.has_cue("study_report") or _epidemiology(ctx):
        return False
    if _states_use_only(ctx):
        return False
    return not SAFETY_LEAD_IN.search(_lead_in(ctx.claim.text))


def _excludes(ctx: ClaimContext) -> bool:
    """Whether the claim excludes, cautions or reports a negative finding (:data:`EXCLUSION`).

    A negation in a relative clause about the condition or its patients is not one, nor "off-label"
    in the page's own offer.
    """
    return any(_excluding(ctx, m) for m in EXCLUSION.finditer(ctx.claim.text))


def _excluding(ctx: ClaimContext, match: re.Match[str]) -> bool:
    text, start = ctx.claim.text, ctx.claim.start
    if match.group("negation"):
        return not about_the_treated(text, start, start + match.start(), ctx.cues, NEGATION_REACH)
    if match.group("off_label"):
        return not OWN_OFFER.search(text)
    return True


def _states_use_only(ctx: ClaimContext) -> bool:
    """A treatment's use reported as practice, with no word of it working outside that report.

    "TMS is primarily used to treat depression" and "ozone has been used to treat disease
    for 150 years" say how a treatment is used, not that it works: indication creep needs a
    condition presented as effectively treated. "...has been used for decades and relieves
    PTSD" still promises relief.
    """
    if not ctx.has_cue("usage"):
        return False
    promises = [c for c in ctx.cues if c.category in PROMISE_CUES and not ctx.negated(c)]
    return not _outside(ctx, promises, "usage")


def _speaks_of_treating(ctx: ClaimContext) -> bool:
    """The claim is typed as one about indications, efficacy or approval, or has a word of treating,
    working or approval.

    A condition named in passing ("addiction is not the only cause of low NAD levels")
    is not enough: naming a condition is not presenting it as treated.
    """
    typed = any(kind in ctx.claim.kinds for kind in ("indication", "efficacy", "regulatory"))
    return typed or any(ctx.has_cue(c) for c in ("treats_verb", "kind:efficacy", "kind:regulatory"))


def _presents_a_treatment(ctx: ClaimContext) -> bool:
    """Whether the claim speaks of a treatment acting on its conditions, not of the conditions alone.

    "Low back pain causes more disability than any other condition" names a condition
    and no treatment: nothing there is presented as treated. A fragment ("Migraine and
    cluster headaches") takes its treatment from the list or heading it stands under.
    """
    return bool(
        ctx.targets.interventions
        or any(ctx.has_cue(category) for category in TREATMENT_FRAME_CUES)
        or "\n" in ctx.claim.text
        or _is_fragment(ctx.claim.text)
    )


def _acts_on_something(ctx: ClaimContext) -> bool:
    """A treatment named or worded, or a condition: what an onset can be the onset of."""
    return _presents_a_treatment(ctx) or ctx.has_cue("kind:indication")


def _lead_in(text: str) -> str:
    """The line that introduces a list claim ("Side effects can include:"); empty for a one-line claim."""
    first, _, rest = text.partition("\n")
    return first if rest else ""


def _is_fragment(text: str) -> bool:
    return len(text.split()) <= MAX_FRAGMENT_WORDS and not text.rstrip().endswith((".", "!", "?"))


def _epidemiology(ctx: ClaimContext) -> bool:
    """How common a condition is, with no word of a treatment working: not a treatment claim."""
    return ctx.has_cue("prevalence") and not ctx.has_cue("kind:efficacy")


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=_Spanned)


def _outside(ctx: ClaimContext, spans: Sequence[S], *categories: str) -> list[S]:
    """The quantities (or cues) that no cue of these categories covers or introduces (a schedule, a session's length)."""
    covers = [(c.start, c.end + QUANTITY_GAP) for c in ctx.cues if c.category in categories]
    return [q for q in spans if not any(lo < q.end and q.start < hi for lo, hi in covers)]


def _with_standard(
    ctx: ClaimContext, entries: tuple[LocatedEntry, ...], role: str
) -> tuple[LocatedEntry, ...]:
    """The entries plus the cross-domain standard of that role, when the evidence base has one."""
    standard = ctx.standards.get(role)
    return (*entries, standard) if standard is not None else entries


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


def _asserted_phrase(text: str, phrases: tuple[str, ...]) -> tuple[str, int] | None:
    """The first phrase the text contains without a negation just before it, with where it starts."""
    straight = text.replace("’", "'")
    for phrase in phrases:
        for match in re.finditer(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", straight, re.I):
            if not negated_at(text, match.start()):
                return phrase, match.start()
    return None


def _said_of(ctx: ClaimContext, entry: LocatedEntry, at: int) -> bool:
    """Whether what the claim says at ``at`` is said of the entry's treatment: no other treatment is named
    before it ("compounded tablets taken at home ... unlike Spravato" speaks of the tablets)."""
    before = interventions_named(ctx.claim.text[:at], ctx.domain)
    return not before or any(entry.entry.intervention in lineage(ctx.domain, n) for n in before)


def _said_of_some(ctx: ClaimContext, cue: CueMatch) -> bool:
    """Whether a partial subject ("some patients", "a few people") stands just before the cue."""
    return any(c.category == "partial_subject" and 0 <= cue.start - c.end <= SUBJECT_REACH for c in ctx.cues)


def _of_another_treatment(ctx: ClaimContext, cue: CueMatch) -> bool:
    """Whether the treatment named last before ``cue`` is another domain's ("Unlike ketamine, TMS does not...")."""
    named = [c.text for c in ctx.cues if c.category == "treatment" and c.end <= cue.start]
    if not named:
        return False
    last = named[-1]
    return not interventions_named(last, ctx.domain) and last.lower() not in generic_treatment_words()


def _records_harm(entry: LocatedEntry, denied: frozenset[str]) -> bool:
    """Whether a safety entry records harm and names what is denied (``denied``: the stems of the harm's words)."""
    if entry.entry.kind != "safety" or entry.entry.outcome not in HARM_OUTCOMES:
        return False
    return not denied.isdisjoint(_harm_stems(f"{entry.entry.statement} {' '.join(entry.entry.keywords)}"))


@lru_cache(maxsize=4096)
def _harm_stems(text: str) -> frozenset[str]:
    """The stems of a text's words long enough to name a harm (an entry's are read once, however many claims)."""
    return frozenset(w[:STEM] for w in WORD_IN_TEXT.findall(text.lower()) if len(w) >= MIN_HARM_WORD)


def _same_clause(ctx: ClaimContext, first: int, second: int) -> bool:
    """Whether two offsets of the claim stand in one clause: "half respond after a single infusion, and
    60-70% after a series of six" gives each rate its own regimen."""
    lo, hi = sorted((first, second))
    return CLAUSE_BREAK.search(ctx.claim.text, lo - ctx.claim.start, hi - ctx.claim.start) is None


def _a_remission_rate(ctx: ClaimContext, rate: Quantity) -> bool:
    """Whether a word of remission follows the rate closely ("70% achieve remission", "60% become
    depression-free"), in a claim that is not about relapse ("seven in ten who remitted relapsed")."""
    if RELAPSE.search(ctx.claim.text):
        return False
    return any(
        c.category == "remission" and _names_the_outcome_of(ctx, rate, c) and not _rate_between(ctx, rate, c)
        for c in ctx.cues
    )


def _names_the_outcome_of(ctx: ClaimContext, rate: Quantity, cue: CueMatch) -> bool:
    """Whether the cue names the rate's outcome: close after it ("70% achieve remission"), or close before
    it with no words after the rate ("a remission rate of 61%.", "Remission after six infusions | 61%")."""
    if 0 <= cue.start - rate.end <= OUTCOME_REACH:
        return True
    rest = _after(ctx.claim, rate).split("|")[0]
    return 0 <= rate.start - cue.end <= OUTCOME_REACH and not LETTER.search(rest)


def _open_above(ctx: ClaimContext, rate: Quantity) -> bool:
    """Whether the rate is open above ("70% or more", "80%+"): it claims every rate up to all."""
    return OPEN_ABOVE.match(_after(ctx.claim, rate)) is not None


def _rate_between(ctx: ClaimContext, rate: Quantity, cue: CueMatch) -> bool:
    """Whether another rate stands between ``rate`` and ``cue``: the word then belongs to that one
    ("58% responded and 37% reached remission": remission is the 37%'s)."""
    lo, hi = (rate.end, cue.start) if cue.start >= rate.end else (cue.end, rate.start)
    return any(
        q is not rate and q.kind in ("percent", "ratio") and lo <= q.start and q.end <= hi
        for q in ctx.claim.quantities
    )


def _share_helped(ctx: ClaimContext, rate: Quantity) -> Quantity:
    """The share a rate says the treatment helps: "the 20% who do not respond" says 80% do."""
    if not NOT_HELPED_AFTER.match(_after(ctx.claim, rate)):
        return rate
    text = f"{rate.text} who are not helped (so {_fmt(100 - rate.high)}% who are)"
    return replace(rate, text=text, low=100 - rate.high, high=100 - rate.low)


def _quoted_by(entries: list[LocatedEntry], quantity: Quantity) -> bool:
    """True when an entry's own statement reports the claimed figure (e.g. a comparator's rate)."""
    figure = _fmt(quantity.high)
    return any(re.search(rf"(?<![\d.]){re.escape(figure)}(?:\.\d)?\s*%", e.entry.statement) for e in entries)


def _comparable_price(price: Price, currency: str, domain: Domain) -> bool:
    """A price the evidence's range can judge: not an offer, per treatment, and in the range's currency.

    Amounts in another currency are not converted (rates move; a report must not depend on
    the day it ran), so "€25 an infusion" is left to a reader rather than judged in dollars.
    """
    return not price.offer and price.currency == currency and _per_treatment(price, domain)


def _per_treatment(price: Price, domain: Domain) -> bool:
    """A price of one or more treatments in the unit the domain quotes them in (not a consultation or a plan)."""
    if price.unit is not None:
        return price.unit in domain.price_units
    item = (price.item or "").lower()
    return any(re.search(rf"\b{re.escape(unit)}", item) for unit in domain.price_units)


def is_vulnerable(text: str, domain: Domain) -> bool:
    """True when a claim addresses the patients the domain lists as vulnerable (guide §2: high severity)."""
    vulnerable = {c: domain.conditions[c] for c in domain.vulnerable.conditions if c in domain.conditions}
    if vulnerable and conditions_named_of(text, vulnerable):
        return True
    pattern = _phrase_pattern(domain.vulnerable.phrases)
    return pattern is not None and pattern.search(text.lower()) is not None


@cache
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One expression that finds any of the phrases, lower-cased, as whole words (None for no phrases).

    It finds a match wherever one phrase alone would: at each position every alternative is tried.
    """
    if not phrases:
        return None
    alternatives = "|".join(re.escape(p.lower()) for p in phrases)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def _domain_has_rates(ctx: ClaimContext) -> bool:
    return any(e.entry.figures is not None and e.entry.figures.unit == "%" for e in ctx.related)


def _safety_first(ctx: ClaimContext) -> tuple[LocatedEntry, ...]:
    safety = [c.entry for c in ctx.candidates if c.entry.entry.kind == "safety"]
    return tuple(safety[:2]) or tuple(c.entry for c in ctx.candidates[:2])


def narrowest_terms(terms: frozenset[str], domain: Domain) -> frozenset[str]:
    """Drop terms that are broader than another of the terms."""
    return frozenset(t for t in terms if not any(t != u and t in lineage(domain, u) for u in terms))


def _indication_entry(ctx: ClaimContext, condition: str) -> LocatedEntry | None:
    matches = [e for e in ctx.related if e.entry.kind == "indication" and e.entry.condition == condition]
    return matches[0] if matches else None


def _bound_hours(entry: LocatedEntry, field_name: str) -> tuple[float, float]:
    bounds = getattr(entry.entry, field_name)
    factor = HOURS_PER_UNIT.get(bounds.unit, 1.0)
    return bounds.low * factor, bounds.high * factor


def _is_offer(claim: Claim, quantity: Quantity) -> bool:
    if quantity.qualifier == "offer":
        return True
    return bool(OFFER_AFTER.match(_after(claim, quantity)[:12]))


def _fmt(value: float) -> str:
    return f"{value:g}"


def _uses_strong_wording(ctx: ClaimContext) -> bool:
    return uses_strong_wording(ctx.claim, ctx.cues)


def _promises_an_indication(ctx: ClaimContext) -> bool:
    """A treatment's use, unhedged, for a condition the evidence does not hold as established: the
    indication rules let "may help PTSD" and "short-term relief for CRPS" pass, and so must the model."""
    return not ctx.claim.hedged and speaks_of_indications(ctx) and not _every_use_established(ctx)


def _every_use_established(ctx: ClaimContext) -> bool:
    """Whether the claim names conditions and the evidence holds the treatment's use for each as established."""
    named = narrowest_terms(ctx.targets.conditions, ctx.domain)
    entries = [_indication_entry(ctx, condition) for condition in named]
    return bool(named) and all(e is not None and e.entry.indication_status == "established" for e in entries)


REASON_FRAMES: dict[str, Callable[[ClaimContext], bool]] = {
    "absolute_language": _uses_strong_wording,
    "indication_creep": _promises_an_indication,
    "number_beyond_evidence": _states_a_rate,
    "onset_exaggerated": _promises_an_onset,
    "durability_exaggerated": _promises_lasting,
    "cost_misstatement": _speaks_of_cost,
}
"""What a claim must say before the learned flag may name each reason (:func:`has_the_frame_of`)."""
