"""Quotation marks in running text: which character opens, which closes, which is an apostrophe.

Real pages mix every convention: “…” and ‘…’ (English), „…“ and ‚…‘ and »…«
(German), « … » (French, Russian, Spanish, Italian, Portuguese, Ukrainian),
”…” (Swedish, and many a careless page), 「…」, straight "…" and '…', and pairs
whose two halves come from different conventions ("…”, «…“). So a mark is not
judged by its glyph alone but by its *family* (double, single, corner) and by
the characters on either side: a mark after a space and before a letter opens,
one after a letter or punctuation and before a space closes. A closing mark
pairs with the nearest open mark of its family, which nests quotations
naturally («… «i» …», “… ‘…’ …”).

A single mark between two letters is an apostrophe (Workers’ Party, Côte
d’Ivoire, don't); one after a letter and before a space is an apostrophe too
(nations’ alliance) unless a single quotation is open and waiting for it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Each mark: its family, and whether its glyph says it opens ("open"), closes ("close") or either ("either").
MARKS: dict[str, tuple[str, str]] = {
    "“": ("double", "either"), "”": ("double", "either"), "„": ("double", "open"), "‟": ("double", "open"),
    '"': ("double", "either"), "«": ("double", "either"), "»": ("double", "either"), "〝": ("double", "open"),
    "〞": ("double", "close"), "＂": ("double", "either"),
    "‘": ("single", "either"), "’": ("single", "either"), "‚": ("single", "open"), "'": ("single", "either"),
    "‹": ("single", "either"), "›": ("single", "either"),
    "「": ("corner", "open"), "」": ("corner", "close"), "『": ("corner2", "open"), "』": ("corner2", "close"),
}
#: Marks that pair with a mirror image (« with », » with « in German, ‹ with ›): a run of the
#: same glyph (» … ») is read by the spaces around it, the others by their shape.
_MIRRORS = {"«": "»", "»": "«", "‹": "›", "›": "‹"}
#: Glyphs that, in the convention that uses them first, open: „ and ‚ (German), « and ‹ (French), “ and ‘ (English).
_USUALLY_OPEN = set("„‚«‹“‘")
_CLOSING_PUNCT = set(".,;:!?…)]}—–-")


@dataclass(frozen=True)
class Pair:
    """One quotation: the positions of its opening and closing marks, and how deep it is nested (0 = outermost)."""

    open: int
    close: int
    depth: int

    @property
    def inner(self) -> tuple[int, int]:
        return self.open + 1, self.close


def _letter(ch: str) -> bool:
    return ch.isalnum()


def _space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _opening_context(ch: str) -> bool:
    """What may stand before an opening mark: a space, the start, an opening bracket, a dash, a colon."""
    return _space(ch) or ch in "([{—–-:/" or unicodedata.category(ch) in ("Ps", "Pi")


def role(text: str, i: int, open_families: dict[str, list[str]], *, inward: bool = False) -> str | None:
    """Whether the mark at ``text[i]`` opens, closes, or is not a quotation mark here (an apostrophe): 'open',
    'close' or None. ``open_families`` maps a family to the glyphs of its marks still open, innermost last;
    ``inward``: the text prints guillemets pointing inwards, »…« (:func:`inward_guillemets`), with no French
    spaces inside them."""
    ch = text[i]
    family, shape = MARKS[ch]
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    waiting = open_families.get(family) or []
    if ch in _MIRRORS and not inward:
        # French spacing: « Je… » with a (no-break) space inside the marks; look past it
        if _space(after) and i + 2 < len(text) and not _space(text[i + 2]):
            after = text[i + 2] if not _space(before) or ch in "«‹" else after
        if _space(before) and i > 1 and not _space(text[i - 2]) and (ch in "»›" or _space(after)):
            before = text[i - 2]
    if family == "single" and ch in "’'":
        if _letter(before) and _letter(after):
            return None  # don't, Côte d’Ivoire
        if _letter(before) or before in ".,!?…":
            return "close" if waiting else None  # nations’ alliance, unless a single quote waits for it
        if ch == "’" and not waiting and (_letter(after) or after.isdigit()) and _space(before):
            return None  # ’90s, ’tis: an elision at the start of a word
    if shape != "either":
        return shape
    if ch in _MIRRORS and waiting:
        # a mirror mark closes the quotation opened by its mirror image (« … », » … «)
        if waiting[-1] == _MIRRORS[ch] and not (_opening_context(before) and not _space(after) and ch == waiting[-1]):
            return "close"
    opens = _opening_context(before) and not _space(after)
    closes = not _space(before) and (_space(after) or after in _CLOSING_PUNCT or MARKS.get(after) is not None)
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close" if waiting else ("open" if ch in _USUALLY_OPEN and not _space(after) else None)
    # both or neither (a mark between two marks, or alone between spaces): the glyph's habit, then what waits
    if waiting and ch not in _USUALLY_OPEN:
        return "close"
    if waiting and ch == waiting[-1] and ch in ('"', "'", "＂"):
        return "close"
    if not waiting and ch in _USUALLY_OPEN | {'"', "＂"} and not _space(after):
        return "open"
    return "close" if waiting else None


#: How far an open quotation may run without its closing mark before it is given up (characters).
MAX_QUOTATION = 6_000


def inward_guillemets(text: str) -> bool:
    """Whether the text's guillemets point inwards, the German way (»Wort«): its first guillemet is a » with a
    word right after it. Then "ihm »von den Lippen« abzulesen" opens at », where French spacing (« mot »)
    would read a » after a space as closing."""
    m = re.search(r"[«»]", text)
    return m is not None and m.group() == "»" and m.end() < len(text) and not _space(text[m.end()])


def pairs(text: str) -> list[Pair]:
    """Every quotation in ``text``, in order of its opening mark, outermost ones before the ones inside them.

    A mark left open at a paragraph break (a blank line) is given up unless the
    next paragraph opens with a mark of its family, the convention for a
    quotation that runs over several paragraphs; an open mark is also given up
    after :data:`MAX_QUOTATION` characters.
    """
    stack: list[tuple[int, str, str]] = []  # (position, family, glyph)
    found: list[Pair] = []
    breaks = paragraph_breaks(text)
    inward = inward_guillemets(text)
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if i in breaks:
            j = breaks[i]
            if stack:
                nxt = text[j] if j < n else ""
                if nxt in MARKS and MARKS[nxt][0] == stack[-1][1] and len(stack) == 1:
                    # a quotation running on into the next paragraph: this paragraph's part ends here
                    found.append(Pair(stack[0][0], i, 0))
                stack.clear()  # otherwise the paragraph ended with a quotation open: the mark was not one
            i = j
            continue
        if stack and i - stack[0][0] > MAX_QUOTATION:
            stack.clear()
        if ch in MARKS:
            families: dict[str, list[str]] = {}
            for _, fam, glyph in stack:
                families.setdefault(fam, []).append(glyph)
            what = role(text, i, families, inward=inward)
            family = MARKS[ch][0]
            if what == "open":
                stack.append((i, family, ch))
            elif what == "close":
                for k in range(len(stack) - 1, -1, -1):
                    if stack[k][1] == family:
                        start = stack[k][0]
                        del stack[k:]  # marks opened inside and never closed were not quotation marks
                        found.append(Pair(start, i, k))
                        break
        i += 1
    found.sort(key=lambda p: p.open)
    return found


def paragraph_breaks(text: str) -> dict[int, int]:
    """Where each paragraph break starts -> where the next paragraph starts.

    A text with blank lines separates paragraphs by them and may wrap lines
    inside a paragraph; a text without any (a page's paragraphs written one per
    line, as the seed article is) separates them by single line breaks.
    """
    pattern = r"\n[ \t\r]*\n\s*" if re.search(r"\n[ \t\r]*\n", text) else r"\n\s*"
    return {m.start(): m.end() for m in re.finditer(pattern, text)}


__all__ = ["Pair", "pairs", "role", "MARKS", "paragraph_breaks", "inward_guillemets"]
