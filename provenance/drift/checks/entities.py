"""entity_change: another person, place or body is named (compared across scripts)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from os.path import commonprefix
from typing import Any

import regex

from provenance.drift.checks._common import big_change_tokens, confidence, finding, side_names
from provenance.drift.context import BeadView, HopContext, is_known_word, text_quote
from provenance.drift.lexicon import base_language, lexicon
from provenance.drift.names import NameMention, find_names, same_name
from provenance.drift.registry import register
from provenance.drift.severity import severity_of
from provenance.drift.types import Finding

CHECK = "entities/1"
_SENTENCE_START = regex.compile(r"(?:^|[.!?。]\s*[\"“”«»„'’]?\s*|^[\"“«„'‘]\s*)$")


def _original_name_word(text: str, language: str) -> Callable[[Any], bool]:
    lang = base_language(language)
    lex = lexicon(lang)

    def is_name(tok: Any) -> bool:
        word = tok.text
        low = word.casefold().rstrip(".")
        if lex.is_stop(low, low) or low in lex.known_words:
            return False
        if lang == "de":
            return not is_known_word(word, lang)
        if _SENTENCE_START.search(text[max(0, tok.start - 4) : tok.start]):
            return not is_known_word(low, lang)
        return True

    return is_name


def _match(
    p: list[NameMention], c: list[NameMention], kept: list[tuple[NameMention, NameMention]] | None = None
) -> tuple[list[NameMention], list[NameMention]]:
    left_c = list(c)
    left_p = []
    for n in p:
        hit = next((k for k, o in enumerate(left_c) if same_name(n, o)), None)
        if hit is None:
            left_p.append(n)
        else:
            other = left_c.pop(hit)
            if kept is not None:
                kept.append((n, other))
    # A name mentioned twice on one side and once on the other is not a change.
    left_p = [n for n in left_p if not any(same_name(n, o) for o in c)]
    left_c = [n for n in left_c if not any(same_name(n, o) for o in p)]
    return left_p, left_c


def _compatible(a: NameMention, b: NameMention) -> bool:
    return a.kind == b.kind or "name" in (a.kind, b.kind)


def _describe(n: NameMention) -> str:
    return f'"{n.text}"'


@register("entity_change", needs_comparison=False, order=20)
def check_entities(ctx: HopContext) -> Iterable[Finding]:
    if ctx.parent is None or ctx.child is None:
        yield from _originals(ctx)
        return
    # Names in the narration ("Kim said on Monday") are the writer's, not the speaker's.
    p_all = [n for n in side_names(ctx, "parent") if ctx.parent.speaks(n.start, n.end)]
    c_all = [n for n in side_names(ctx, "child") if ctx.child.speaks(n.start, n.end)]
    big_p, big_c = big_change_tokens(ctx)
    for bv in ctx.beads:
        ps, pe = bv.bead.parent_pivot_span or (0, 0)
        cs, ce = bv.bead.child_pivot_span or (0, 0)
        p = [n for n in p_all if ps <= n.start < pe] if bv.bead.parent_sentences else []
        c = [n for n in c_all if cs <= n.start < ce] if bv.bead.child_sentences else []
        kept: list[tuple[NameMention, NameMention]] = []
        left_p, left_c = _match(p, c, kept)
        # a name the other side says elsewhere, in another sentence of the speaker's, was moved, not replaced
        # ("rapporti fra Russia e Usa" … "(Dmitri) Medvedev" against "la Russie" in the child's other sentence)
        left_p = [n for n in left_p if not any(same_name(n, o) for o in c_all)]
        left_c = [n for n in left_c if not any(same_name(n, o) for o in p_all)]
        for a, b in kept:  # the same entity written differently (DPRK / North Korean) is not a wording change
            ctx.claimed_p.update(ctx.parent.token_range((a.start, a.end)))
            ctx.claimed_c.update(ctx.child.token_range((b.start, b.end)))
        for a, b in _pairs(ctx, bv, left_p, left_c, big_p, big_c):
            pt = list(ctx.parent.token_range((a.start, a.end)))
            ct = list(ctx.child.token_range((b.start, b.end)))
            ctx.claimed_p.update(pt)
            ctx.claimed_c.update(ct)
            if (_compound_abbreviation(a.text, _with_next_word(ctx.child.cmp, b))
                    or _compound_abbreviation(_with_next_word(ctx.parent.cmp, a), b.text)):
                continue  # "Держдумою" / "Державною думою": one body, its name shortened
            yield finding(
                ctx, bv, category="entity_change", severity=severity_of("entity_change"), check=CHECK, parent_tokens=pt, child_tokens=ct,
                explanation=f"Different name: the parent names {_describe(a)}, the child {_describe(b)} in its place.",
                conf=confidence(ctx, 0.85), details={"parent_entity": a.entity or a.text, "child_entity": b.entity or b.text},
            )


_NEXT_WORD = regex.compile(r"\s+(\p{Ll}[\p{L}\-]*)")


def _with_next_word(text: str, n: NameMention) -> str:
    """A one-word name with the lower-case word after it ("Державною" + "думою"): where a body's name is
    an adjective and a common noun, the capital marks only its first word."""
    m = _NEXT_WORD.match(text, n.end)
    return n.text + " " + m.group(1) if m and " " not in n.text else n.text


def _compound_abbreviation(a: str, b: str) -> bool:
    """One word made of the start of a longer name's first word and its last word: "Держдума" / "Державна
    дума", "Госдума" / "Государственная дума", "Минобороны" / "Министерство обороны". The last word may be
    inflected ("Держдумою" / "Державною думою")."""
    wa, wb = a.casefold().split(), b.casefold().split()
    if len(wa) == 1 and len(wb) >= 2:
        one, many = wa[0], wb
    elif len(wb) == 1 and len(wa) >= 2:
        one, many = wb[0], wa
    else:
        return False
    first, last = many[0], many[-1]
    for k in range(3, min(len(first), len(one) - 3) + 1):
        if first[:k] != one[:k]:
            return False
        rest = one[k:]
        shared = len(commonprefix([rest, last]))
        if shared >= 3 and shared >= max(len(rest), len(last)) - 3:
            return True
    return False


#: A change region with more content words lost on a side than this is a rewritten passage, not a swap.
_LOCAL = 4


def _pairs(
    ctx: HopContext, bv: BeadView, left_p: list[NameMention], left_c: list[NameMention], big_p: set[int], big_c: set[int]
) -> list[tuple[NameMention, NameMention]]:
    """Pair a lost name with a new one where they replace each other (same change region, or the only ones left).

    Outside a shared region, a name inside a clause dropped or added whole is
    part of that omission or addition, not a change of name.
    """
    assert ctx.parent is not None and ctx.child is not None
    pairs = []
    rest_p = [n for n in left_p if not _title(n, ctx.parent.lex.language)]
    rest_c = [n for n in left_c if not _title(n, ctx.child.lex.language)]
    for r in bv.regions:
        if len(r.lost_p) > _LOCAL or len(r.lost_c) > _LOCAL:
            continue  # a passage rewritten at length: its names are not replaced "in place"
        in_p = [n for n in rest_p if ctx.parent.toks[r.p0].start <= n.start < ctx.parent.toks[r.p1 - 1].end] if r.p1 > r.p0 else []
        in_c = [n for n in rest_c if ctx.child.toks[r.c0].start <= n.start < ctx.child.toks[r.c1 - 1].end] if r.c1 > r.c0 else []
        for a in in_p:
            b = next((x for x in in_c if _compatible(a, x)), None)
            if b is not None:
                pairs.append((a, b))
                in_c.remove(b)
                rest_p.remove(a)
                rest_c.remove(b)
    rest_p = [n for n in rest_p if not any(i in big_p for i in ctx.parent.token_range((n.start, n.end)))]
    rest_c = [n for n in rest_c if not any(i in big_c for i in ctx.child.token_range((n.start, n.end)))]
    if len(rest_p) == 1 and len(rest_c) == 1 and _compatible(rest_p[0], rest_c[0]):
        pairs.append((rest_p[0], rest_c[0]))
    return pairs


def _title(n: NameMention, language: str) -> bool:
    """Capitalised dictionary words outside the alias table ("Chairman of State Affairs"): a title, not a name.

    A title reworded ("North Korean leader") is a wording change for the content
    checks, not another person.
    """
    if n.entity is not None:
        return False
    lex = lexicon(base_language(language))
    words = [w.casefold() for w in regex.findall(r"\w+", n.text)]
    return bool(words) and all(w in lex.title_words or w in lex.speaker_roles or w in lex.stopwords for w in words)


def _originals(ctx: HopContext) -> Iterable[Finding]:
    """No comparison text: names are compared across scripts on the originals."""
    hop = ctx.hop
    p = find_names(hop.parent_text, is_name_word=_original_name_word(hop.parent_text, hop.parent_language))
    c = find_names(hop.child_text, is_name_word=_original_name_word(hop.child_text, hop.child_language))
    left_p, left_c = _match(p, c)
    for a in list(left_p):
        b = next((x for x in left_c if _compatible(a, x)), None)
        if b is None:
            continue
        left_c.remove(b)
        yield Finding(
            "entity_change",
            severity_of("entity_change"),
            text_quote(hop.parent_text, a.start, a.end),
            text_quote(hop.child_text, b.start, b.end),
            f"Different name: the parent names {_describe(a)}, the child {_describe(b)} in its place "
            "(originals compared across scripts: no comparison text).",
            0.6,
            CHECK,
            {"comparison": "none", "parent_entity": a.entity or a.text, "child_entity": b.entity or b.text},
        )
