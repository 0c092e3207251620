"""How serious a finding is, by one documented rule, and the MQM-style drift score.

The rule (also in bench/README.md):

- **critical**: a fact changed. ``negation_flip`` (a statement now says the
  opposite), ``number_change`` (a number has another value), ``entity_change``
  (another person, place or body).
- **major**: the meaning or the force of the quote changed.
  ``omission`` / ``addition`` of a content clause, i.e. lost or added content
  words weighing at least ``MAJOR_CONTENT_WEIGHT`` (function words weigh 0, other
  words 1, names 1.5: dropping "the" is nothing, dropping "under the wise
  leadership of Comrade Putin" is major), except a speaker's name outside the
  quotation marks (framing: minor); ``substitution`` of a reporting verb with
  another stance (said -> claimed); ``hedge_added`` /
  ``hedge_removed``; ``modality_shift``; ``intensification`` / ``softening``
  (an intensifier or softener added or dropped, a reporting verb of another
  strength: repeat -> reaffirm); ``quote_boundary_change``; ``attribution_change``
  (evidence dropped or altered); a number in digits dropped or added.
- **minor**: small wording changes: one or two content words lost, added or
  replaced (a swap is a ``substitution`` only while both sides weigh at most
  ``MAX_SUBSTITUTION_WEIGHT``; a larger rewrite is reported as an omission plus an
  addition, each with its own severity). Without a thesaurus a swap of
  synonyms ("reaction" / "response") cannot be told from a change of meaning
  ("soldiers" / "workers"), so both stay minor. Faithful renditions differ this way all the time ("until victory
  day" / "until the day of victory" moves words and is not reported at all).

Only through glosses can wording be compared across languages, so a finding
made through a pivot keeps its severity but gets a lower confidence.
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
    }
)

CONFIDENCE_ORIGINAL = 0.8
CONFIDENCE_PIVOT = 0.6


def content_severity(weight: float) -> Severity:
    """Omission or addition: major from a clause's worth of content words."""
    return "major" if weight >= MAJOR_CONTENT_WEIGHT else "minor"


def category_severity(category: str) -> Severity:
    if category in CRITICAL_CATEGORIES:
        return "critical"
    if category in MAJOR_CATEGORIES:
        return "major"
    return "minor"


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
    return sum((MQM_WEIGHTS[f.severity] for f in findings), 0.0)  # 0.0, not int 0, for a hop without findings
