"""The language layer: overstatement that the wording itself shows, whatever the treatment.

Some reasons of the annotation guide need evidence: a number beyond the supported
range, an approval that does not exist, an indication the trials do not back. Others
are visible in the words alone — absolutes and superlatives ("extremely safe",
"breakthrough", "proven"), results promised at once ("instantly", "within minutes"),
an institution said to endorse, a personal story offered as proof. Those hold for any
treatment, including one no domain of the evidence base covers (NAD+ drips, stem
cells, hyperbaric oxygen), so this layer judges every claim from its cue phrases
(:mod:`claimcheck.claims.lexicon`) and nothing else. The evidence rules of
:mod:`claimcheck.verdicts.rules` add the entries a covered claim is judged against.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..claims.detect import claim_at
from ..claims.lexicon import CLAUSE_BREAK, LEANING, CueMatch, clause_around
from ..records import Claim, Reason, Severity, Unit
from ..text.literals import fold, literals_of, may_match
from ..text.segment import opens_a_quotation, unquoted

NEGATION = re.compile(
    r"(?:\b(?:not|no|none|never|without|nor|neither|cannot)\b|n't\b|"
    r"\b(?:doesnt|dont|didnt|isnt|arent|wasnt|werent|wont|cant|havent|hasnt)\b)"
)
"""A denial, also as typed without its apostrophe ("it doesnt work for everyone")."""
DENIED_SUBJECT = re.compile(
    r"(?:^|[.;:!?]\s+)\W*(?:no(?!\s+other\b)|none|nothing(?!\s+else\b)|neither)\b[^.;:!?,]{0,50}?"
    r"\b(?:is|are|was|were|can be|will be)\s+(?:\w+\s+)?$",
    re.I,
)
"""A sentence whose subject is denied, up to the phrase: "No anesthetic is completely risk-free" (not the
superlative "no other treatment is as safe")."""
OWN_NEGATION = re.compile(r"(?:no|zero|without|non-?)\b", re.I)
"""A phrase that carries its own negation ("zero side effects", "no downtime")."""
LIST_BREAK = re.compile(r",|;|\band\b|\bor\b")
"""Between a negation and a phrase with its own: "no UV, no heat damage and zero side effects" lists three denials."""
DISCLAIMED = re.compile(
    r"\bnot\s+(?:been\s+)?(?:FDA[- ])?(?:intended|meant|designed|approved|cleared|authori[sz]ed|evaluated)"
    r"(?:\s+by\s+the\s+(?:FDA|Food and Drug Administration))?\s+to\s+(?:[\w-]+,?\s+(?:or\s+|and\s+)?){0,6}$",
    re.I,
)
"""The end of a disclaimer's lead ("not intended to diagnose, treat, ", "not FDA-approved to treat, "): every
verb of its list is denied."""
DISCLAIMER_REACH = 90
PROVEN_TO_FAIL = re.compile(
    r"\s+(?:to\s+be\s+)?(?:(?:in|non-?|un)effective|unsuccessful|useless|futile|worthless)\b", re.I
)
"""What follows a word of certainty when the thing proven is a failure."""
SOFTENER = re.compile(r"\b(?:nearly|almost|practically)\s*$|^(?:nearly|almost)\b")
CONDITIONAL = re.compile(r"\b(?:whether|depends?|if)\b", re.I)
OWN_VOICE = re.compile(r"\b(?:we|our|us|i|my)\b", re.I)
STRONG_CATEGORIES = frozenset(
    {"absolute", "absolute_contradicted", "broad_quantifier", "instant_onset", "superiority", "life_saved"}
)
"""Cue categories whose phrases overstate when asserted."""
STRONG_WORDING = STRONG_CATEGORIES | {"restoration", "lasting", "testimonial_proof"}
"""Cue categories of wording stronger than plain statement (the learned flag's frame for absolute language)."""
HEDGE_EXCUSED = frozenset({"restoration", "superiority"})
"""Strong families a hedge takes the force out of ("may help repair", "may work better than surgery")."""
ABSOLUTE_CATEGORIES = ("absolute", "absolute_contradicted", "life_saved")
"""Cue categories whose asserted phrases are absolute language wherever they stand (:func:`_absolute`)."""
ABSOLUTE_FAMILIES = frozenset({*ABSOLUTE_CATEGORIES, "ranking", "broad_quantifier"}) | HEDGE_EXCUSED
"""Every cue category whose phrases may make a claim's language absolute: the above, a ranking of a treatment,
a broad quantifier of a benefit, and a promise of repair or superiority without a hedge (:func:`_absolute`)."""
TREATMENT_FRAME_CUES = ("treatment", "treats_verb", "kind:efficacy", "first_person")
"""Cue categories that put a treatment in a claim: a name or word for one, a word of it working, a patient's voice."""
NEGATION_WINDOW = 25
REVIEW_STARS = re.compile(r"[★☆]{3,}|\b[1-5](?:\.\d)?\s?(?:/\s?5|out of 5|stars?)\b")
"""A customer review's rating: what follows is one buyer's story."""
RANKS_A_PROVIDER = re.compile(
    r"\bthan any (?:other )?(?:physician|doctor|provider|clinician|clinic|practice|center|centre|team|nurse)s?\b",
    re.I,
)
"""A ranking of who gives the treatment ("more infusions than any other physician"): no claim about the treatment."""
RECREATIONAL_USE = re.compile(
    r"\b(?:snort\w*|sniff\w*|smok(?:ed|ing)|a bump|bumps|a line of|recreational\w*)\b", re.I
)
"""A drug taken for a high: how soon it acts is a harm-reduction fact, not a promised onset of relief."""
AGAINST = re.compile(r"\s+against\b", re.I)
"""After a word of endorsement, its opposite: "the American College of Rheumatology recommends against them"."""
OPEN_QUESTION = re.compile(r"\b(?:whether|how (?:well|much|far|often))\b[^.;:!?]*$", re.I)
"""An embedded question still open where a phrase stands: "whether" or "how well" with no clause break since
("studies against salt water can overstate how well it works")."""
DENIED_EVIDENCE = re.compile(
    r"(?:\b(?:no|little|insufficient|not (?:any|enough))\s+(?:[\w-]+\s+){0,4}?"
    r"(?:study|studies|trials?|evidence|research|data|proof)\b"
    r"|\b(?:no one|nobody)\s+(?:[\w-]+\s+){0,4}?(?:has|have|had)\s+(?:ever\s+)?"
    r"(?:checked|tested|verified|shown|proven|proved|confirmed|reviewed|evaluated)\b)[^.;:!?]*$",
    re.I,
)
"""A denial of evidence with no clause break since ("no controlled study has shown that ...", "no one at the
FDA has checked that this product is safe")."""
HEARSAY = re.compile(
    r"\b(?:anyone|anybody|whoever|someone)\s+(?:who|that)\s+(?:tells?|says?|claims?|promises?|guarantees?|calls?)\b"
    r"[^.;:!?]*$",
    re.I,
)
"""What someone else is said to claim, to dispute it ("anyone who tells you it's a cure is selling something")."""
PRETENCE = re.compile(r"\b(?:pretend(?:s|ed|ing)?|make believe)\s+(?:that\s+)?[^.;:!?]*$", re.I)
"""What the speaker refuses to claim ("than pretend that a six-infusion series fixes depression for good")."""
UNASSERTING_FRAMES = (OPEN_QUESTION, DENIED_EVIDENCE, HEARSAY, PRETENCE)
"""Frames whose phrases are asked or denied, not asserted, up to the next clause break."""
SOFTENER_WINDOW = 12
PROVIDER_VOICE = re.compile(
    r"\s+(?:own\s+)?(?:office|practice|clinic|team|staff|colleagues|patients|fee|fees|nurses?|partners?)\b"
    r"|\s+(?:work with|prescribe|administer|offer|use in (?:my|our) practice|consider|recommend|advise|prefer)\b"
    r"|(?:'ve|\s+have)?\s+read\b|\s+understand\b",
    re.I,
)
"""What follows "my" or "I" when the speaker tells no story of their own: a clinician's voice ("my office",
"my patients", "the forms I work with") or a reader's ("what I've read says about half respond")."""
RELAYED_REPORT = re.compile(
    r"\b(?:patients|clients|guests|customers|members|parents|families|people|users|veterans)\b"
    r"(?:\s+[\w-]+){0,3}?\s+(?:tell(?:s)? (?:us|me)|told (?:us|me))\b"
    r"|\bour\s+(?:[\w-]+\s+){0,2}?(?:patients|clients|guests|customers|members|parents|families|users|veterans)\b"
    r"(?:\s+[\w-]+){0,3}?\s+(?:say|said|report|reported|share|shared|write)\b",
    re.I,
)
"""A provider passing on what its own patients say of their results ("many of our guests say they haven't
caught a cold since", "parents tell us"): their stories, offered as proof by the one selling the
treatment. Not "patients often report relief within a day", which reports what is generally seen."""
PROVIDER_HABIT = re.compile(
    r"\b(?:we|we[’']ll|we[’']re|our\s+(?:[\w-]+\s+)?(?:team|staff|nurses?|doctors?|providers?|clinicians?|"
    r"physicians?|psychiatrists?|therapists?))(?:\s+(?:will|are|is|can|do))?\s+$",
    re.I,
)
"""The provider as the subject of "always" ("we'll always be upfront", "our nurses are always nearby"): a
habit of service, not a claim about the treatment."""
INSTANT_WORDS = frozenset({"instantly", "instant", "immediately", "immediate"})
"""Absolute words of speed: of a drug reaching the blood ("reaches the bloodstream instantly") they promise nothing."""
HARM = re.compile(
    r"\b(?:damage[sd]?|harms?|injur(?:y|ies)|side[- ]effects?|risks?|toxicity|addiction|dependence|"
    r"scarring|impairment|disabilit(?:y|ies)|loss|problems?)\b",
    re.I,
)
"""Words for a harm: an absolute word said of one ("this damage can be permanent") warns, it does not promise."""
LASTING_WORDS = frozenset(
    {"permanent", "permanently", "forever", "for good", "indefinitely", "always", "irreversible"}
)
"""Absolute words that make what they are said of last or recur: of a benefit they promise, of a harm they warn.
Not the words that belittle a harm ("unheard of", "nothing to worry about"), which deny it whatever it is."""
BENEFIT_CUES = frozenset({"kind:efficacy", "treats_verb", "restoration", "superiority", "lasting"})
"""Cue categories of a benefit: a clause with one promises, whatever harm it also names."""


DRUG_EFFECT = re.compile(
    r"\b(?:detach\w*|dissociat\w*|dream\w*|numb\w*|floaty|floating|out[- ]of[- ]body|sedat\w*|drows\w*|dizz\w*|"
    r"high|intoxicat\w*|disconnected|hallucinat\w*|woozy|unsteady|drunk|bloodstream|blood levels?|far away)\b",
    re.I,
)
"""What a drug does to anyone who takes it, or where it goes: how soon that comes is no promise of relief."""


@dataclass(frozen=True)
class WordingFlag:
    """An overstatement the wording shows: its reason, severity, the phrases and a plain why."""

    reason: Reason
    severity: Severity
    phrases: tuple[str, ...]
    explanation: str
    contradicted: bool = False
    """The phrase denies a risk or promises a certainty that no evidence gives ("no side effects")."""

    @property
    def label(self) -> Literal["contradicted", "overstated"]:
        return "contradicted" if self.contradicted else "overstated"


def negated_at(text: str, start: int) -> bool:
    """True when a negation ("not", "never", "n't"...) stands just before ``start``.

    A phrase with its own negation that follows others in a list is one more denial, not a
    negated one: "no downtime, no side effects".
    """
    window = text[max(0, start - NEGATION_WINDOW) : start].lower().replace("’", "'")
    negations = list(NEGATION.finditer(window))
    if negations and OWN_NEGATION.match(text, start) and LIST_BREAK.search(window, negations[-1].end()):
        return _disclaimed_at(text, start)
    return bool(negations) or _disclaimed_at(text, start) or DENIED_SUBJECT.search(text[:start]) is not None


def _disclaimed_at(text: str, start: int) -> bool:
    """True when ``start`` falls in the verb list of a disclaimer ("not intended to diagnose, treat, cure").

    Read on every cue of every claim, so the expression runs only where its words occur.
    """
    lead = text[max(0, start - DISCLAIMER_REACH) : start]
    return may_match(literals_of(DISCLAIMED), fold(lead)) and DISCLAIMED.search(lead) is not None


def asserted(claim: Claim, cues: Sequence[CueMatch], *categories: str) -> list[str]:
    """The phrases of these categories that the claim asserts: neither negated (nor inside a negated
    phrase: "will not promise that it works for everyone" denies "for everyone" too) nor softened."""
    denied = [c for c in cues if c.category in categories and negated_at(claim.text, c.start - claim.start)]
    return [
        cue.text.lower()
        for cue in cues
        if cue.category in categories
        and not any(d.start <= cue.start and cue.end <= d.end for d in denied)
        and not _softened(claim, cue)
        and not _proven_to_fail(claim, cue)
        and not _in_unasserting_frame(claim, cue)
    ]


def reported(claim: Claim, cues: Sequence[CueMatch]) -> bool:
    """True when the page reports what others promise rather than asserting it itself.

    "One clinic's website promises relief in minutes" is a news page's report; "we
    promise relief in minutes" is the page's own claim.
    """
    return bool(asserted(claim, cues, "reported")) and not OWN_VOICE.search(unquoted(claim.text))


def is_caution(claim: Claim, cues: Sequence[CueMatch]) -> bool:
    """True when every strong phrase of the claim is negated: a limit stated, not a promise.

    "It does not work for everyone" and "the treatment isn't proven" use the words of
    overstatement to deny it; nothing in such a claim should be flagged for its wording.
    """
    categories = STRONG_CATEGORIES | _rankings(claim, cues)
    strong = [cue for cue in cues if cue.category in categories]
    return bool(strong) and all(negated_at(claim.text, cue.start - claim.start) for cue in strong)


def wording_flags(claim: Claim, cues: Sequence[CueMatch]) -> tuple[WordingFlag, ...]:
    """Every overstatement the claim's wording shows, strongest reason first."""
    flags = (
        _absolute(claim, cues),
        _instant(claim, cues),
        _endorsement(claim, cues),
        _testimonial(claim, cues),
    )
    return tuple(flag for flag in flags if flag is not None)


def overstates_outright(unit: Unit, cues: Sequence[CueMatch]) -> bool:
    """Whether a unit's own words overstate with a phrase of absolute language of two words or more ("ensuring
    safety and efficacy", "profound healing effects"): an assertion about a treatment, so a claim even where the
    claim model doubts it. A single word ("always", "100%") is as often a clinic's service ("we are always
    available") or an embed's markup; headings are titles, not assertions."""
    if unit.kind == "heading" or not any(c.category in ABSOLUTE_FAMILIES for c in cues):
        return False
    flag = _absolute(claim_at(unit.text, unit.start, ()), cues)
    return flag is not None and any(len(phrase.split()) >= 2 for phrase in flag.phrases)


def uses_strong_wording(claim: Claim, cues: Sequence[CueMatch]) -> bool:
    """A phrase of the lexicon's strong families, even one the wording rules let pass.

    What the learned flag needs before it may call a claim's language absolute: without
    such a phrase, "absolute language" is a guess at words that are not there. A hedge
    excuses what it excuses in the wording rules ("may help repair"); a phrase asked or put in
    others' mouths ("whether it is a cure", "anyone who calls it a cure") is no such phrase.
    """
    strong = STRONG_WORDING - HEDGE_EXCUSED | _rankings(claim, cues)
    return any(
        (c.category in strong or _unhedged_excusable(claim, cues, c)) and not _in_unasserting_frame(claim, c)
        for c in _said_of_the_treatment(claim, cues)
    )


def _said_of_the_treatment(claim: Claim, cues: Sequence[CueMatch]) -> list[CueMatch]:
    """The cues that may promise something of the treatment: not lasting words said of a harm, "always" of the
    provider's service, nor words of speed said of a drug's effect or its way into the blood."""
    kept = [c for c in _promising(claim, cues) if not _a_providers_habit(claim, cues, c)]
    if times_a_drug_effect(claim, cues):
        kept = [c for c in kept if c.category != "instant_onset" and c.text.lower() not in INSTANT_WORDS]
    return kept


def _promising(claim: Claim, cues: Sequence[CueMatch]) -> list[CueMatch]:
    """The cues without the lasting words said of a harm, which warn rather than promise."""
    return [c for c in cues if not (c.text.lower() in LASTING_WORDS and _said_of_a_harm(claim, cues, c))]


def _rankings(claim: Claim, cues: Sequence[CueMatch]) -> frozenset[str]:
    """The ranking family ("than any"), where the claim ranks a treatment rather than a condition.

    "Low back pain causes more disability than any other condition" names a condition
    and no treatment (nor leans on one with a pronoun): it praises nothing; "more infusions than
    any other physician in Arizona" ranks a provider's experience, not the treatment.
    """
    ranks_a_condition = _has(cues, "kind:indication") and not _frames_a_treatment(claim, cues)
    return frozenset() if ranks_a_condition or RANKS_A_PROVIDER.search(claim.text) else frozenset({"ranking"})


def _unhedged_excusable(claim: Claim, cues: Sequence[CueMatch], cue: CueMatch) -> bool:
    """A phrase of a family a hedge excuses, with no hedge in its own clause.

    "Stem cells may help regenerate cartilage" is hedged; in "stem cells regenerate
    cartilage, so many patients avoid surgery" the hedge ("many patients") qualifies
    the second clause only, and the first promises regrowth outright. A hedge word inside
    the phrase itself is part of what it claims.
    """
    if cue.category not in HEDGE_EXCUSED:
        return False
    return not any(
        h.category == "hedges" and _same_clause(claim, h, cue) and not _within(h, cue) for h in cues
    )


def _within(inner: CueMatch, outer: CueMatch) -> bool:
    """Whether one phrase is part of another: "could" in "achieves what years of therapy could not" hedges nothing."""
    return outer.start <= inner.start and inner.end <= outer.end


def _same_clause(claim: Claim, first: CueMatch, second: CueMatch) -> bool:
    """Whether no clause break (``CLAUSE_BREAK``) stands between two phrases of the claim."""
    lo, hi = sorted((first, second), key=lambda c: c.start)
    between = claim.text[lo.end - claim.start : max(lo.end, hi.start) - claim.start]
    return CLAUSE_BREAK.search(between) is None


def _absolute(claim: Claim, cues: Sequence[CueMatch]) -> WordingFlag | None:
    cues = _said_of_the_treatment(claim, cues)
    categories = [*ABSOLUTE_CATEGORIES, *_rankings(claim, cues)]
    if _has(cues, "kind:efficacy") or _has(cues, "lasting"):
        categories.append("broad_quantifier")
    unhedged = [c for c in cues if _unhedged_excusable(claim, cues, c)]
    phrases = tuple(
        dict.fromkeys([*asserted(claim, cues, *categories), *asserted(claim, unhedged, *HEDGE_EXCUSED)])
    )
    if not phrases:
        return None
    contradicted = bool(asserted(claim, cues, "absolute_contradicted"))
    severity: Severity = "high" if contradicted or "safety" in claim.kinds else "medium"
    quoted = ", ".join(f"“{p}”" for p in phrases)
    return WordingFlag(
        "absolute_language",
        severity,
        phrases,
        f"The claim uses absolute language ({quoted}), which needs evidence that says as much.",
        contradicted,
    )


def _a_providers_habit(claim: Claim, cues: Sequence[CueMatch], cue: CueMatch) -> bool:
    """Whether the phrase is "always" said of what the provider does ("we will always tell you"), with no
    word of benefit in its clause ("we always get results" promises)."""
    at = cue.start - claim.start
    if cue.text.lower() != "always" or PROVIDER_HABIT.search(claim.text[:at]) is None:
        return False
    return not _benefit_in_clause(claim, cues, at)


def _benefit_in_clause(claim: Claim, cues: Sequence[CueMatch], at: int) -> bool:
    """Whether a word of benefit (:data:`BENEFIT_CUES`) stands in the clause around offset ``at`` of the claim."""
    return any(c.category in BENEFIT_CUES for c in cues_in_clause(claim, cues, at))


def cues_in_clause(claim: Claim, cues: Sequence[CueMatch], at: int) -> list[CueMatch]:
    """The cues that start in the clause around offset ``at`` of the claim (:func:`clause_around`)."""
    clause_start, clause_end = clause_around(claim.text, at)
    return [c for c in cues if clause_start <= c.start - claim.start < clause_end]


def _said_of_a_harm(claim: Claim, cues: Sequence[CueMatch], cue: CueMatch) -> bool:
    """Whether the phrase is said of a harm: one is named before it in its clause, and no word of benefit is.

    "Heavy use can damage the bladder, and this damage can be permanent" warns of lasting harm;
    "ketamine permanently ends depression" and "it heals the damage permanently" promise.
    """
    at = cue.start - claim.start
    clause_start, _ = clause_around(claim.text, at)
    return not _benefit_in_clause(claim, cues, at) and HARM.search(claim.text, clause_start, at) is not None


def _instant(claim: Claim, cues: Sequence[CueMatch]) -> WordingFlag | None:
    """Results promised at once; not how soon side effects come ("immediate effects may include dizziness"),
    how soon daily life resumes ("you can return to work immediately"), how fast a drug taken for a
    high acts ("snorted ketamine takes effect within minutes"), or how fast anything goes that neither
    a treatment nor a condition is part of ("applications are decided in minutes")."""
    if RECREATIONAL_USE.search(claim.text):
        return None
    sessions = [cue for cue in cues if cue.category == "procedure_time"]
    promised = [cue for cue in cues if not any(s.start < cue.end and cue.start < s.end for s in sessions)]
    phrases = tuple(dict.fromkeys(asserted(claim, promised, "instant_onset")))
    if not phrases or (_has(cues, "kind:safety") and not _has(cues, "kind:efficacy")):
        return None
    if not (_frames_a_treatment(claim, cues) or _has(cues, "kind:indication")):
        return None
    if times_a_drug_effect(claim, cues):
        return None
    quoted = ", ".join(f"“{p}”" for p in phrases)
    return WordingFlag(
        "onset_exaggerated", "medium", phrases, f"The claim promises results at once ({quoted})."
    )


def times_a_drug_effect(claim: Claim, cues: Sequence[CueMatch]) -> bool:
    """Whether the claim times a drug's effect on anyone ("within minutes, people feel detached, as if in a
    dream") with no word of a benefit: an onset, but not of relief."""
    return DRUG_EFFECT.search(claim.text) is not None and not any(c.category in BENEFIT_CUES for c in cues)


def _endorsement(claim: Claim, cues: Sequence[CueMatch]) -> WordingFlag | None:
    about_authority = "authority" in claim.kinds or _has(cues, "kind:authority")
    if not about_authority or claim.hedged or CONDITIONAL.search(claim.text):
        return None
    endorsing = [c for c in cues if not AGAINST.match(claim.text, c.end - claim.start)]
    phrases = tuple(dict.fromkeys(asserted(claim, endorsing, "authority_claim")))
    if not phrases:
        return None
    return WordingFlag(
        "authority_misappropriation",
        "medium",
        phrases,
        "Institutions or studies are named as confirming or endorsing the treatment.",
    )


def _testimonial(claim: Claim, cues: Sequence[CueMatch]) -> WordingFlag | None:
    """A first-person story offered as proof; not a first-person voice weighing the evidence
    ("I know of no good trial showing that it works"), nor a story told with its limit
    ("it wore off after a month, so now I come in for boosters"), nor the clinician's own voice
    ("a session in my office takes two hours, the rest for recovery")."""
    relayed = relays_patients_stories(claim)
    story = (told_by_a_patient(claim, cues) or relayed) and not tells_its_limit(cues)
    proof = asserted(claim, cues, "kind:efficacy", "testimonial_proof") or _a_told_result(
        claim, cues, relayed
    )
    if not story or not proof:
        return None
    teller = "What patients tell the provider is" if relayed else "One person's story is"
    return WordingFlag(
        "testimonial_as_proof",
        "medium",
        tuple(dict.fromkeys(proof)),
        f"{teller} offered as proof of typical results.",
    )


def _a_told_result(claim: Claim, cues: Sequence[CueMatch], relayed: bool) -> list[str]:
    """In a patient's quoted words, or in what patients tell the provider, the condition or the course of
    treatment they tell of ("One ceremony and my PTSD nightmares stopped.", "patients tell us their suicidal
    thoughts vanished after the first treatment"): a story names what it changed in its own words, which no
    list of result words holds. Not a story that tells of its booster ("the series bought me a few good weeks
    before I needed a booster"): that one tells its limit."""
    if not (relayed or opens_a_quotation(claim.text)) or _has(cues, "continued_treatment"):
        return []
    return asserted(claim, cues, "kind:indication", "single_dose")


def tells_its_limit(cues: Sequence[CueMatch]) -> bool:
    """Whether a story tells the limit of its result ("it wore off after a month", "the fog started creeping
    back") or of the evidence: no proof offered of typical results."""
    return any(_has(cues, category) for category in ("evidence_caveat", "limited_result"))


def tells_only_a_drug_effect(claim: Claim, cues: Sequence[CueMatch]) -> bool:
    """Whether a story tells only what the drug did in the chair ("ten minutes in, the room felt far away"),
    with no word of a result."""
    return DRUG_EFFECT.search(claim.text) is not None and not asserted(
        claim, cues, "kind:efficacy", "testimonial_proof"
    )


def told_by_a_patient(claim: Claim, cues: Sequence[CueMatch]) -> bool:
    """A patient's own voice ("I", "my", not a clinician's "my patients"), a review with its stars, or a
    claim typed as a testimonial that speaks in no first person ("She was back at work in a week")."""
    voices = [c for c in cues if c.category == "first_person"]
    patient_voice = any(not PROVIDER_VOICE.match(claim.text, c.end - claim.start) for c in voices)
    rated = REVIEW_STARS.search(claim.text) is not None
    return patient_voice or rated or ("testimonial" in claim.kinds and not voices)


def relays_patients_stories(claim: Claim) -> bool:
    """A provider's report of what patients say of their results, with no figure (a rate of patients who
    report a result is a number, judged against the evidence's)."""
    return RELAYED_REPORT.search(claim.text) is not None and not any(
        q.kind in ("percent", "ratio") for q in claim.quantities
    )


def _frames_a_treatment(claim: Claim, cues: Sequence[CueMatch]) -> bool:
    """A treatment is in the claim: named, worded, working, told of by a patient, or leant on by a pronoun.

    "Most applications are decided in minutes" has none: its speed is no treatment's onset.
    """
    return any(c.category in TREATMENT_FRAME_CUES for c in cues) or bool(LEANING.match(claim.text))


def _has(cues: Sequence[CueMatch], category: str) -> bool:
    return any(cue.category == category for cue in cues)


def _proven_to_fail(claim: Claim, cue: CueMatch) -> bool:
    """True for a word of certainty whose outcome is failure ("other drugs have proven ineffective").

    Such a sentence states a negative result; it promises nothing, so its certainty is not
    an overstatement of benefit.
    """
    return bool(PROVEN_TO_FAIL.match(claim.text, cue.end - claim.start))


def _in_unasserting_frame(claim: Claim, cue: CueMatch) -> bool:
    """True for a phrase inside a frame that asserts nothing (:data:`UNASSERTING_FRAMES`): a question the
    claim leaves open ("more work is needed to know whether it is safe over years"), or a finding it says
    no study shows ("no study has shown that NAD+ infusions reverse aging")."""
    return unasserted_at(claim, cue.start)


def unasserted_at(claim: Claim, at: int) -> bool:
    """Whether what stands at offset ``at`` of the claim is inside a frame that asserts nothing
    (:data:`UNASSERTING_FRAMES`): "No published trial has reported remission near 87%" states no rate."""
    before = claim.text[: at - claim.start]
    return any(frame.search(before) for frame in UNASSERTING_FRAMES)


def _softened(claim: Claim, cue: CueMatch) -> bool:
    """True for an absolute word that the claim itself softens ("nearly always")."""
    start = cue.start - claim.start
    before = claim.text[max(0, start - SOFTENER_WINDOW) : start].lower()
    return bool(SOFTENER.search(before)) and not SOFTENER.match(cue.text.lower())
