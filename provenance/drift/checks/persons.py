"""entity_change, in pronouns: the speaker's "we" became "I", or the "you" addressed became another.

Who speaks, and to whom, is carried by personal pronouns as much as by names:
Zelensky's "Ohne euch" (you, the Russians) printed as "Ohne dich" (you, one
man) addresses a people's leader instead of the people, and "we will bury you"
as "I will bury you" makes a state's threat one man's. Pronouns weigh nothing as
content, so the content checks never see them; this check compares their person
and number (``persons`` in the word lists).

A pronoun is compared only with one standing in its place (in the same change
region, between the same kept words, paired in order when each side has as many),
and only inside the speaker's words on
both sides: indirect speech shifts pronouns as grammar requires ("we will win"
-> he said they would win). A form that does not say its number (English "you",
French "vous") agrees with either number, so glosses in English tell "we" from
"I" but not "euch" from "dich"; a pronoun an editor supplied in square brackets
("[you] must know") is nobody's word.
"""

from __future__ import annotations

from collections.abc import Iterable

from provenance.drift.checks._common import finding
from provenance.drift.context import HopContext, Side, acronym, in_editor_note
from provenance.drift.registry import register
from provenance.drift.severity import MAX_SUBSTITUTION_WEIGHT, severity_of
from provenance.drift.types import Finding

CHECK = "persons/1"

#: How each class reads in an explanation.
_READS = {"first_singular": "I", "first_plural": "we", "second_singular": "you, one person",
          "second_plural": "you, several people", "second": "you"}


def _person(side: Side, i: int) -> str | None:
    """The person and number of token ``i`` when it is a personal pronoun in the speaker's own words."""
    tok = side.toks[i]
    if not tok.is_word or acronym(tok):
        return None
    cls = side.lex.persons.get(tok.key)
    if cls is None or not (tok.quoted or not side.speech) or in_editor_note(side.cmp, tok.start):
        return None
    return cls


def _agree(a: str, b: str) -> bool:
    return a == b or (a == "second" and b.startswith("second")) or (b == "second" and a.startswith("second"))


@register("person_change", order=22)
def check_persons(ctx: HopContext) -> Iterable[Finding]:
    assert ctx.parent is not None and ctx.child is not None
    parent, child = ctx.parent, ctx.child
    for bv in ctx.beads:
        seen: dict[tuple[str, str], int] = {}
        first: dict[tuple[str, str], tuple[int, int]] = {}
        for r in bv.regions:
            if r.weight(parent, r.lost_p, set()) > MAX_SUBSTITUTION_WEIGHT \
                    or r.weight(child, r.lost_c, set()) > MAX_SUBSTITUTION_WEIGHT:
                continue  # a clause rewritten: its pronouns went with it
            ps = [(i, c) for i in range(r.p0, r.p1) if (c := _person(parent, i)) is not None]
            cs = [(j, c) for j in range(r.c0, r.c1) if (c := _person(child, j)) is not None]
            if not ps or len(ps) != len(cs):
                continue  # pronouns paired in order, as many on each side; otherwise not by guesswork
            for (i, a), (j, b) in zip(ps, cs):
                if _agree(a, b) or i in ctx.claimed_p or j in ctx.claimed_c:
                    continue
                seen[(a, b)] = seen.get((a, b), 0) + 1
                first.setdefault((a, b), (i, j))
        for (a, b), n in seen.items():
            i, j = first[(a, b)]
            times = f" ({n} times)" if n > 1 else ""
            # through glosses the pronoun is often the editor's: Spanish, Italian, Russian or Korean leave the
            # subject unsaid and the gloss supplies one (3 of 3 such majors on the real dev set were faithful hops)
            yield finding(
                ctx, bv, category="entity_change",
                severity=severity_of("entity_change", pronoun=True, reworded=ctx.via_pivot), check=CHECK,
                parent_tokens=[i], child_tokens=[j],
                explanation=f'Person changed: the parent\'s "{parent.toks[i].text}" ({_READS[a]}) became '
                f'"{child.toks[j].text}" ({_READS[b]}){times}, so another speaks or is addressed.',
                details={"parent_person": a, "child_person": b, "times": n},
            )
            ctx.claimed_p.add(i)
            ctx.claimed_c.add(j)
