"""Which rendition a child was made from, by the wording it shares: the method of textual criticism.

Overall similarity says little about descent: two independent translations of
one remark can be as close to each other as a copy is to its source. What
points to descent is a **shared variant**, a wording the child has in common
with one rendition and not with the others (a reporting verb, a dropped clause,
an added adjective, a mistranslation). The founding case: the English
republication credits AFP, yet its "We reaffirm" follows the French "Nous
réaffirmons" (glossed "We reaffirm"), not AFP's "We repeat".

Pure: comparison texts (the originals, or their glosses in one pivot language)
in, a ranking out. Words are the speaker's content words and reporting verbs,
by lemma (:mod:`provenance.drift.context`), each weighted by how distinctive it
is among the candidates: a word every candidate has tells nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from provenance.align import chrf
from provenance.drift.context import make_side

#: A candidate must share at least this much distinctive weight more than the credited parent.
SUSPECT_MARGIN = 0.5
#: Units that mark a significant variant: a word the checks read for meaning (a reporting verb,
#: hedge, modal, intensifier, negation), a number or a name. Synonyms ("win" / "achieve") are what
#: two glossers choose independently; a reporting verb of another strength is what a source wrote.
SIGNIFICANT = "\x01"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A rendition that could be the child's parent: its comparison text and when it was published."""

    key: str
    text: str
    language: str
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class Ranked:
    key: str
    score: float  # distinctive wording shared with the child, 0..1
    similarity: float  # chrF of the whole texts, a tie-break
    shared: tuple[str, ...]  # the distinctive words the child shares with this candidate, most distinctive first


@dataclass(frozen=True, slots=True)
class Suspect:
    """The credited parent lacks wording the child shares with another rendition."""

    credited: str
    better: str
    variants: tuple[str, ...]  # words of the child that ``better`` has and ``credited`` lacks
    against: tuple[str, ...]  # words of the child that ``credited`` has and ``better`` lacks
    weight: float
    weight_against: float


def wording(text: str, language: str) -> dict[str, str]:
    """The speaker's wording in ``text``: unit -> the words as written.

    Units are content words and reporting verbs by lemma ("reaffirm"), and pairs
    of adjacent words, function words included, so that a turn of phrase counts
    too ("there is no doubt" / "we have no doubt" differ in "there is", "is no").
    """
    side = make_side(text, language, text, language, False, set())
    out: dict[str, str] = {}
    prev = None
    for i, t in enumerate(side.toks):
        if not t.is_word or not side.spoken[i]:
            if not t.is_word and t.text.strip():
                prev = None  # a pair does not cross punctuation
            continue
        if t.markers or t.number or t.name_like:
            out.setdefault(SIGNIFICANT + t.lemma, t.text)
        if t.weight > 0 or t.markers:
            out.setdefault(t.lemma, t.text)
        if prev is not None:
            out.setdefault(f"{prev.key} {t.key}", f"{prev.text} {t.text}")
        prev = t
    return out


def _distinctiveness(mine: dict[str, str], words: Sequence[dict[str, str]]) -> dict[str, float]:
    """Weight of each of the child's units: 1.0 when one candidate has it, less the more have it."""
    n = len(words)
    return {w: 1.0 - (sum(1 for have in words if w in have) - 1) / n for w in mine}


def _published_before(c: Candidate, child_published: datetime | None) -> bool:
    if c.published is None or child_published is None:
        return True
    a, b = c.published, child_published
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return a <= b


def rank_parents(child: Candidate, candidates: Sequence[Candidate]) -> list[Ranked]:
    """Candidates ranked by the distinctive wording they share with ``child``, then by similarity.

    A candidate published after the child cannot be its parent and is left out.
    """
    pool = [c for c in candidates if c.key != child.key and _published_before(c, child.published)]
    if not pool:
        return []
    words = {c.key: wording(c.text, c.language) for c in pool}
    mine = wording(child.text, child.language)
    weight = _distinctiveness(mine, list(words.values()))
    total = sum(v for w, v in weight.items() if any(w in have for have in words.values())) or 1.0
    out = []
    for c in pool:
        shared = sorted((w for w in mine if w in words[c.key]), key=lambda w: (-weight[w], w))
        out.append(Ranked(c.key, sum(weight[w] for w in shared) / total, chrf(child.text, c.text),
                          tuple(dict.fromkeys(mine[w] for w in shared))))  # a word and its marker unit read alike
    out.sort(key=lambda r: (-r.score, -r.similarity, r.key))
    return out


def suspect_parent(child: Candidate, credited: Candidate, others: Sequence[Candidate]) -> Suspect | None:
    """Another rendition whose distinctive wording the child shares and ``credited`` lacks, or None.

    For each other candidate (published before the child), the variants are the
    child's words that candidate has and the credited parent lacks, weighted by
    distinctiveness; the evidence against is the mirror. The best candidate is
    suspect when its variants outweigh the evidence against by ``SUSPECT_MARGIN``.
    """
    pool = [c for c in others if c.key not in (child.key, credited.key) and _published_before(c, child.published)]
    if not pool:
        return None
    everyone = [credited, *pool]
    words = {c.key: wording(c.text, c.language) for c in everyone}
    mine = wording(child.text, child.language)
    weight = _distinctiveness(mine, list(words.values()))
    theirs = words[credited.key]
    best: Suspect | None = None
    for c in pool:
        have = words[c.key]
        variants = sorted((w for w in mine if w in have and w not in theirs), key=lambda w: (-weight[w], w))
        against = sorted((w for w in mine if w in theirs and w not in have), key=lambda w: (-weight[w], w))
        w_for, w_against = sum(weight[w] for w in variants), sum(weight[w] for w in against)
        significant = [w for w in variants if w.startswith(SIGNIFICANT)]
        if any(w.startswith(SIGNIFICANT) for w in against) or not significant:
            continue
        variants = significant + [w for w in variants if not w.startswith(SIGNIFICANT) and mine[w] not in
                                  {mine[x] for x in significant}]
        if w_for >= w_against + SUSPECT_MARGIN and (best is None or w_for - w_against > best.weight - best.weight_against):
            best = Suspect(credited.key, c.key, tuple(mine[w] for w in variants), tuple(mine[w] for w in against),
                           round(w_for, 3), round(w_against, 3))
    return best
