"""number_change: a number has another value (critical), or a number in digits was dropped or added."""

from __future__ import annotations

import re

from collections.abc import Iterable
from typing import Any

import regex

from provenance.drift.checks._common import big_change_tokens, confidence, finding
from provenance.drift.context import BeadView, HopContext, Side, text_quote
from provenance.drift.lexicon import lexicon
from provenance.drift.numbers import NumberMention, find_numbers
from provenance.drift.registry import register
from provenance.drift.severity import severity_of
from provenance.drift.types import Finding

CHECK = "numbers/1"


def _unmatched(p: list[NumberMention], c: list[NumberMention]) -> tuple[list[NumberMention], list[NumberMention]]:
    left_c = list(c)
    left_p = []
    for n in p:
        hit = next((k for k, o in enumerate(left_c) if n.agrees(o)), None)
        if hit is None:
            left_p.append(n)
        else:
            left_c.pop(hit)
    return left_p, left_c


def _tokens(side: Side, n: NumberMention) -> list[int]:
    return [i for i in side.token_range((n.start, n.end))]


def _original_quote(ctx: HopContext, which: str, n: NumberMention, bead_span: tuple[int, int] | None) -> dict | None:
    """Through a pivot, find the same value in the original sentence, to point at the digits themselves."""
    text = ctx.hop.parent_text if which == "parent" else ctx.hop.child_text
    lang = ctx.hop.parent_language if which == "parent" else ctx.hop.child_language
    lo, hi = bead_span or (0, len(text))
    for m in find_numbers(text[lo:hi], lexicon(lang)):
        if m.agrees(n):
            return text_quote(text, lo + m.start, lo + m.end).as_dict()
    return None


@register("number_change", needs_comparison=False, order=10)
def check_numbers(ctx: HopContext) -> Iterable[Finding]:
    if ctx.parent is None or ctx.child is None:
        yield from _originals(ctx)
        return
    # Dates and figures in the narration ("on 1 January 2018") are the writer's, not the speaker's.
    p_any, c_any = find_numbers(ctx.parent.cmp, ctx.parent.lex), find_numbers(ctx.child.cmp, ctx.child.lex)
    p_all = [n for n in p_any if ctx.parent.speaks(n.start, n.end)]
    c_all = [n for n in c_any if ctx.child.speaks(n.start, n.end)]
    big_p, big_c = big_change_tokens(ctx)
    for bv in ctx.beads:
        ps, pe = bv.bead.parent_pivot_span or (0, 0)
        cs, ce = bv.bead.child_pivot_span or (0, 0)
        p = [n for n in p_all if ps <= n.start < pe] if bv.bead.parent_sentences else []
        c = [n for n in c_all if cs <= n.start < ce] if bv.bead.child_sentences else []
        left_p, left_c = _unmatched(p, c)
        # A number kept in another form ("fifty thousand" / "50,000", moved in the sentence) is not a lost word.
        for side, claimed, found, left in ((ctx.parent, ctx.claimed_p, p, left_p), (ctx.child, ctx.claimed_c, c, left_c)):
            for n in found:
                if not any(n is o for o in left):
                    claimed.update(_tokens(side, n))
        yield from _report(ctx, bv, left_p, left_c, big_p, big_c, (p_any, c_any))


_WHEN_AFTER = regex.compile(r"^(?:st|nd|rd|th|e|er|re|ème|eme|º|ª|°|\.|-?го|-?й|-?я|-?е|:\d|\s?[ap]\.?m\.?)", regex.IGNORECASE)


_WORD_AFTER = regex.compile(r"^[\s.,]*(?:(?:of|de|del|du)\s+)?(\w+)")
_WORD_BEFORE = regex.compile(r"(\w+)[\s.,]*$")


_CLOCK_BEFORE = re.compile(r"\d[:：]$")
_CLOCK_AFTER = re.compile(r"[:：]\d\d")


def _when(side: Side, n: NumberMention) -> bool:
    """A year, an ordinal, a time or a day of a month: it says when, not how much."""
    if any(v == int(v) and 1000 <= v <= 2100 and len(n.text.strip()) == 4 for v in n.values):
        return True
    if _WHEN_AFTER.match(side.cmp[n.end:n.end + 4]):
        return True
    if _CLOCK_BEFORE.search(side.cmp[max(0, n.start - 3):n.start]) or _CLOCK_AFTER.match(side.cmp[n.end:n.end + 3]):
        return True  # a clock time or a video's timestamp: "00:48", "12:30"
    after = _WORD_AFTER.match(side.cmp[n.end:n.end + 24])
    before = _WORD_BEFORE.search(side.cmp[max(0, n.start - 16):n.start])
    if any(m is not None and m.group(1).casefold() in side.lex.months for m in (after, before)):
        return True
    lex = side.lex
    back = side.cmp[max(0, n.start - 12):n.start].casefold().split()
    ahead = side.cmp[n.end:n.end + 24].casefold().replace(",", " ").split()[:3]
    return (any(" ".join(back[-k:]) in lex.ago_before for k in (1, 3) if len(back) >= k)
            or any(w in lex.ago_after for w in ahead[1:3]))


def _said_elsewhere(n: NumberMention, other: list[NumberMention]) -> bool:
    """Whether the other side states the same value somewhere, in the speaker's words or its own ("100 years" in a
    headline the body repeats, "cien" in the body for the headline's "100", "over 56 years" in the writer's
    words for the speaker's "56 years"): a number dropped or added there repeats, it tells nothing new."""
    return any(n.agrees(o) for o in other)


def _report(
    ctx: HopContext, bv: BeadView, left_p: list[NumberMention], left_c: list[NumberMention], big_p: set[int], big_c: set[int],
    every: tuple[list[NumberMention], list[NumberMention]],
) -> Iterable[Finding]:
    """Findings for the numbers of a bead left unpaired; ``every``: each side's numbers in the whole text."""
    assert ctx.parent is not None and ctx.child is not None
    for a, b in zip(left_p, left_c):
        pt, ct = _tokens(ctx.parent, a), _tokens(ctx.child, b)
        ctx.claimed_p.update(pt)
        ctx.claimed_c.update(ct)
        details: dict[str, Any] = {"parent_value": sorted(a.values), "child_value": sorted(b.values)}
        if ctx.via_pivot:
            for which, n, span in (("parent", a, bv.bead.parent_span), ("child", b, bv.bead.child_span)):
                q = _original_quote(ctx, which, n, span)
                if q:
                    details[f"{which}_original_number"] = q
        yield finding(
            ctx, bv, category="number_change", severity=severity_of("number_change"), check=CHECK, parent_tokens=pt, child_tokens=ct,
            explanation=f"Number changed: the parent says {a.describe()}, the child says {b.describe()}.",
            conf=confidence(ctx, 0.95), details=details,
        )
    k = min(len(left_p), len(left_c))
    for n in left_p[k:]:
        pt = _tokens(ctx.parent, n)
        if not n.written_in_digits or any(i in big_p for i in pt):
            continue
        ctx.claimed_p.update(pt)
        repeated = _said_elsewhere(n, every[1])
        yield finding(
            ctx, bv, category="number_change",
            severity=severity_of("number_change", value=False, when=_when(ctx.parent, n), reworded=repeated),
            check=CHECK, parent_tokens=pt,
            explanation=f"Number dropped: the parent's {n.describe()} has no counterpart in the child"
            + (" here (the child states it elsewhere)." if repeated else "."),
            conf=confidence(ctx, 0.8), details={"parent_value": sorted(n.values)},
        )
    for n in left_c[k:]:
        ct = _tokens(ctx.child, n)
        if not n.written_in_digits or any(i in big_c for i in ct):
            continue
        ctx.claimed_c.update(ct)
        repeated = _said_elsewhere(n, every[0])
        yield finding(
            ctx, bv, category="number_change",
            severity=severity_of("number_change", value=False, when=_when(ctx.child, n), reworded=repeated),
            check=CHECK, child_tokens=ct,
            explanation=f"Number added: the child's {n.describe()} is not in the parent"
            + (" here (the parent states it elsewhere)." if repeated else "."),
            conf=confidence(ctx, 0.8), details={"child_value": sorted(n.values)},
        )


def _originals(ctx: HopContext) -> Iterable[Finding]:
    """No comparison text: numbers are language-independent enough to compare the originals directly."""
    hop = ctx.hop
    p = find_numbers(hop.parent_text, lexicon(hop.parent_language))
    c = find_numbers(hop.child_text, lexicon(hop.child_language))
    left_p, left_c = _unmatched(p, c)
    for a, b in zip(left_p, left_c):
        yield _orig_finding(ctx, severity_of("number_change"), a, b, f"Number changed: the parent says {a.describe()}, the child says {b.describe()}.")
    k = min(len(left_p), len(left_c))
    for n in left_p[k:]:
        if n.written_in_digits:
            yield _orig_finding(ctx, severity_of("number_change", value=False), n, None, f"Number dropped: the parent's {n.describe()} has no counterpart in the child.")
    for n in left_c[k:]:
        if n.written_in_digits:
            yield _orig_finding(ctx, severity_of("number_change", value=False), None, n, f"Number added: the child's {n.describe()} is not in the parent.")


def _orig_finding(ctx: HopContext, severity: str, a: NumberMention | None, b: NumberMention | None, text: str) -> Finding:
    hop = ctx.hop
    return Finding(
        "number_change",
        severity,  # type: ignore[arg-type]
        text_quote(hop.parent_text, a.start, a.end) if a else None,
        text_quote(hop.child_text, b.start, b.end) if b else None,
        text + " (originals compared directly: no comparison text)",
        0.7,
        CHECK,
        {"comparison": "none", **({"parent_value": sorted(a.values)} if a else {}), **({"child_value": sorted(b.values)} if b else {})},
    )
