"""How serious a finding is, by one documented rule, and the MQM-style drift score.

Every check takes its severity from :func:`severity_of`, saying what kind of
change it saw; no check decides a severity of its own. The rule (also in
bench/README.md):

- **critical**: a fact changed. ``negation_flip`` (a statement now says the
  opposite), ``number_change`` of a value (a number says another amount),
  ``entity_change`` (another person, place or body named).
- **major**: a reader would believe the speaker said something materially
  different: meaning, force, stance, certainty or who said it.
  ``omission`` / ``addition`` of a clause's worth of the speaker's content words
  (function words weigh 0, other words 1, names 1.5, from ``MAJOR_CONTENT_WEIGHT``),
  or of a qualifying clause of any length (opened by a subordinator: a condition,
  concession, exception or cause: "if they attack", "unless ..."), or of a
  quantifier that limits the claim ("most of the rest of the world" / "the rest
  of the world": said of all where the speaker said most);
  ``hedge_added`` / ``hedge_removed``; ``modality_shift``; ``intensification`` /
  ``softening`` inside the speaker's words (repeat -> reaffirm, "most of" -> "all",
  "most of" -> "some parts of");
  ``quote_boundary_change`` (the speaker's words presented as paraphrase, or a
  paraphrase presented as the speaker's words); ``attribution_change`` (the
  evidence of where the words came from dropped or altered); an ``entity_change``
  in a personal pronoun ("we" -> "I", "euch" -> "dich": another speaks or is
  addressed, but no one else is named); an amount in digits
  dropped or added (a date, year, time or ordinal dropped or added says when,
  not how much, and is minor: "in 2005", "the 20th century" / "the century").
- **minor**: wording. Whatever the category, a change is minor when it is
  - in the **narration** (the writer's words outside the quotation marks: a
    reporting verb "said" -> "claimed", a date, a name in the framing), which
    outlets word as they like;
  - an **excerpt** (clauses before or after the words quoted, or cut at an
    ellipsis): quoting part of a statement faithfully changes nothing in it;
  - a **rewording** (a phrase replaced in place by one of about its weight, or
    the same words quoted in another translation): independent translations
    differ this way all the time. Through glosses, a modal, certainty word or
    intensifier added or dropped with no counterpart is one too (translators add
    and drop them: "you must know clearly" / "know"), and so is a modal replaced by
    one of the same kind ("should" / "must", two renderings of Russian "следует");
    replaced by one of another kind ("could" -> "will"), it stays major in any
    comparison space;
  - **indirect speech**: a direct quote reported without quotation marks ("Kim
    said the US must know ...") keeps the words' meaning, which the other checks
    compare; the reverse, a paraphrase put in quotation marks as the speaker's
    verbatim words, stays major;
  - **silence** about the source: the child gives no attribution at all where
    the parent had some (nothing said is wrong; evidence altered is major);
  - a number dropped or added in one place whose value the other side states
    elsewhere (a headline repeating the body's "100 years", "cien" for "100"):
    the figure is kept, said once more or once less;
  - a ``substitution`` of one or two content words: without a thesaurus a swap of
    synonyms cannot be told from a change of meaning, so it is reported, as wording.
    A longer passage in the place of one of about its weight is a ``substitution``
    too, at the worse severity its omission and its addition would have had, so a
    qualifying clause or words of praise stay major when others stand in their place;
  - through glosses, an ``omission`` / ``addition`` of a passage that qualifies
    nothing: one editor's gloss missing what another's has is as often a cut
    between sentences, or the glosses' own wording, as a clause the speaker lost
    (on the real dev set, 6 of 38 such majors were a labelled change; 13 fell on
    faithful hops). A qualifying clause ("if a person is gay"), words of praise
    or blame (``evaluative`` word lists: "under the wise leadership of Comrade
    Putin") and a quantifier ("most of") stay major;
  - through glosses, a personal pronoun of another person ("I" / "we"): the
    languages that leave the subject unsaid (Spanish, Italian, Russian, Korean)
    leave the gloss's editor to supply one (3 of 3 such majors on the real dev
    set fell on faithful hops).
- ``attribution_suspect`` is about the link (which rendition was used), not the
  words of the hop: it is reported beside the hop's findings and never counts
  toward its drift.

Only through glosses can wording be compared across languages, so a finding
made through a pivot keeps its severity but gets a lower confidence.

A hop's **verdict**, what a journalist reads first, follows from its worst
finding: ``faithful`` (none, or only excerpting), ``wording differs`` (minor),
``meaning changed`` (major), ``fact changed`` (critical).
"""

from __future__ import annotations

from collections.abc import Iterable

from provenance.drift.types import SEVERITY_RANK, Finding, Severity

MAJOR_CONTENT_WEIGHT = 3.0
#: Above this content weight on either side, a change is reported as an omission plus an addition.
MAX_SUBSTITUTION_WEIGHT = 2.5
#: MQM weights per issue (minor 1, major 5, critical 25).
MQM_WEIGHTS: dict[str, float] = {"minor": 1.0, "major": 5.0, "critical": 25.0}

CRITICAL_CATEGORIES = frozenset({"negation_flip", "number_change", "entity_change"})
MAJOR_CATEGORIES = frozenset(
    {
        "hedge_added",
        "hedge_removed",
        "modality_shift",
        "intensification",
        "softening",
        "quote_boundary_change",
        "attribution_change",
        "language_mismatch",
    }
)

#: Categories about the link (which rendition was used), not about the words of the hop.
LINK_CATEGORIES = frozenset({"attribution_suspect"})

CONFIDENCE_ORIGINAL = 0.8
CONFIDENCE_PIVOT = 0.6

VERDICTS: dict[str | None, str] = {None: "faithful", "minor": "wording differs", "major": "meaning changed",
                                   "critical": "fact changed"}


def severity_of(category: str, *, weight: float | None = None, narration: bool = False, excerpt: bool = False,
                reworded: bool = False, value: bool = True, when: bool = False, qualifying: bool = False,
                pronoun: bool = False) -> Severity:
    """The severity of a change of ``category``, by the rule in this module's docstring.

    ``weight``: content weight of the words lost or added (omission, addition);
    ``narration``: the change is in the writer's words, outside the quotation;
    ``excerpt``: parent words left out by quoting part of the statement;
    ``reworded``: the same content in other words (a phrase for a phrase, another translation);
    ``value``: for ``number_change``, False when a number was dropped or added rather than changed;
    ``when``: the number dropped or added is a date, a year, a time or an ordinal;
    ``qualifying``: the words dropped or added open a qualifying clause ("if they attack");
    ``pronoun``: for ``entity_change``, a personal pronoun of another person or number, not another name.
    """
    if category in LINK_CATEGORIES:
        return "minor"
    if narration or excerpt or reworded:
        return "minor"
    if category == "number_change":
        return "critical" if value else ("minor" if when else "major")
    if category == "entity_change" and pronoun:
        return "major"
    if category in CRITICAL_CATEGORIES:
        return "critical"
    if category in ("omission", "addition"):
        return "major" if qualifying or (weight or 0.0) >= MAJOR_CONTENT_WEIGHT else "minor"
    if category in MAJOR_CATEGORIES:
        return "major"
    return "minor"


def verdict(findings: Iterable[tuple[str, str, bool]]) -> str:
    """What a journalist reads first: faithful / wording differs / meaning changed / fact changed.

    ``findings`` are (category, severity, excerpt) triples, so stored findings and
    fresh ones read alike. Excerpting and warnings about the link leave a hop faithful.
    """
    counted = [severity for category, severity, excerpt in findings if category not in LINK_CATEGORIES and not excerpt]
    return VERDICTS[max(counted, key=SEVERITY_RANK.__getitem__, default=None)]


def worst_severity(findings: Iterable[Finding]) -> Severity | None:
    """The most serious severity among ``findings`` (None when there are none)."""
    worst: Severity | None = None
    for f in findings:
        if worst is None or SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]:
            worst = f.severity
    return worst


def drift_score(findings: Iterable[Finding]) -> float:
    """MQM-style penalty: minor 1, major 5, critical 25 per finding, summed over the hop.

    Not normalised per 1,000 words as MQM does for long documents: a quote is a
    few dozen words, and one dropped clause should weigh the same in a short
    and a long quote. ``drift_per_1000_words`` is stored beside it for that view.
    """
    return sum((MQM_WEIGHTS[f.severity] for f in findings if f.category not in LINK_CATEGORIES), 0.0)  # 0.0, not int 0, for a hop without findings
