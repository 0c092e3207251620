"""attribution_change: the evidence for who said what, and through whom, was dropped or altered.

Compares ``hop.parent_attribution`` (how the parent sourced the quote, e.g. "according
to an AFP report based on a Russian translation") with ``hop.child_attribution``
(how the child credits it). Evidence words are recognised in every language the
word lists cover (traduction, перевод, 번역 ...), and sources by the alias table.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import regex

from provenance.drift.checks._common import confidence, finding
from provenance.drift.context import HopContext, Side, is_known_word, text_quote, words_of
from provenance.drift.lexicon import all_attribution_markers, base_language
from provenance.drift.names import NameMention, find_names, same_name
from provenance.drift.registry import register
from provenance.drift.severity import severity_of
from provenance.drift.types import Finding, Severity
from provenance.intake.lexicon import source_mentions, source_named  # the outlets list is intake's: one list, read one way

CHECK = "attribution/2"
_ELISION = regex.compile(r"(?<!\w)([lLdDjJmMnNsStTcCqu]{1,2})['’](?=\p{Lu})")
_CLASS_WORDS = {
    "translation": "that the words reached the source through a translation or an interpreter",
    "original_language": "which language the words were spoken in",
    "secondhand": "that the source was indirect",
}


@lru_cache(maxsize=1)
def _marker_patterns() -> dict[str, regex.Pattern[str]]:
    return {
        cls: regex.compile(r"(?<!\w)(?:" + "|".join(regex.escape(p) for p in phrases) + r")\w*")
        for cls, phrases in all_attribution_markers().items()
        if phrases
    }


@lru_cache(maxsize=4096)
def _find_markers(text: str) -> dict[str, tuple[int, int]]:
    """Evidence classes named in an attribution (cached: one outlet's wording recurs across hops)."""
    low = text.casefold()
    found: dict[str, tuple[int, int]] = {}
    for cls, pattern in _marker_patterns().items():
        m = pattern.search(low)
        if m:
            found[cls] = (m.start(), m.end())
    return found


@lru_cache(maxsize=4096)
def _sources(text: str) -> tuple[NameMention, ...]:
    return tuple(n for n in find_names(text) if n.entity and n.kind in {"organisation", "person"})


@lru_cache(maxsize=4096)
def _speakers(text: str, language: str) -> tuple[NameMention, ...]:
    """Who an attribution credits: known people and bodies, and names outside the table.

    A run of capitalised words that a dictionary knows ("Security Council", a German
    noun) is a title or a body described, not a name we can compare; places are not speakers.
    """
    lang = base_language(language)
    out = []
    # French / Italian elision (l'AFP, d'Ushakov): the name starts after the apostrophe; same length keeps offsets.
    for n in find_names(_ELISION.sub(r"\1 ", text)):
        if n.kind == "place" or _byline(text, n.start) or n.text.split()[0].casefold() in _BYLINE_WORDS:
            continue
        words = [_CONTRACTION.sub("", w) for w in n.text.split()]  # "That's according to …": "That"
        if n.entity is None and all(is_known_word(w, lang) or is_known_word(w.casefold(), lang) for w in words):
            continue
        out.append(n)
    return tuple(out)


_BYLINE_WORDS = frozenset({"by", "par", "von", "por", "di", "от", "автор", "від"})
_CONTRACTION = regex.compile(r"['’](?:s|re|ll|ve|d)$")
#: A byline or a credit line: "By Suzanne Lynch – POLITICO", "(RT)-", "– MIA Rossiya Segodnya". The name after
#: it is who wrote or carried the report, not whom the report credits with the words.
_CREDIT = regex.compile(r"(?:^|\n)\s*(?:by|par|von|por|di|от|автор|від)\s+$|[(\[]\s*$|(?:^|\n)\s*[-–—]\s*$",
                        regex.IGNORECASE)


#: A copyright notice ("(c)MEDUZA 2021", "© Reuters 2024"): whose page it is, not who said the words.
_COPYRIGHT = regex.compile(r"(?:\(c\)|©|\bcopyright\b)\s*[^\n;]*?(?:\b(?:19|20)\d\d\b)?\s*(?=$|[\n;])",
                           regex.IGNORECASE)


def _credited(attribution: str | None) -> str:
    """The evidence an attribution gives, without copyright notices, which credit the page, not the words.
    A notice is blanked, not cut, so offsets into the attribution stay those of the recorded text."""
    text = (attribution or "").strip()
    blanked = _COPYRIGHT.sub(lambda m: " " * len(m.group()), text)
    return blanked.rstrip() if blanked.strip(" \n;.,") else ""


def _byline(text: str, at: int) -> bool:
    return bool(_CREDIT.search(text[max(0, at - 12):at]) if at < 12 else _CREDIT.search(text, max(0, at - 12), at))


def _speaker_changed(pa: str, ca: str, p_lang: str, c_lang: str) -> tuple[NameMention, NameMention] | None:
    """The first speaker each attribution credits, when neither is named on the other side."""
    p_sp, c_sp = _speakers(pa, p_lang), _speakers(ca, c_lang)
    if not p_sp or not c_sp:
        return None
    # the person an attribution credits ("according to EU foreign policy chief Josep Borrell"), else its first
    # name; a person on one side and a listed outlet on the other ("Reuters reported") are a speaker and the
    # channel that carried him, not two speakers (a ministry against a chancellor are two)
    a = next((n for n in p_sp if _personal(n)), p_sp[0])
    b = next((n for n in c_sp if _personal(n)), c_sp[0])
    if _personal(a) != _personal(b) and source_named((b if _personal(a) else a).text) is not None:
        return None
    # a name the other side credits anywhere, in a credit line too ("rc/rt (AFP, Reuters)"), is no other speaker
    if any(same_name(a, o) for o in (*c_sp, *find_names(ca))) or any(same_name(b, o) for o in (*p_sp, *find_names(pa))):
        return None
    return a, b


def _names_a_source(attribution: str, language: str) -> bool:
    """Whether an attribution credits someone by name: a listed outlet ("Новое время", "The Washington Post")
    or a name that is no dictionary word."""
    return bool(source_mentions(attribution)) or bool(_speakers(attribution, language))


def _outlet(n: NameMention) -> bool:
    """A listed outlet (an agency, a newspaper, a broadcaster): a channel the words went through, not a speaker."""
    return n.kind != "person" and source_named(n.text.strip(" .,")) is not None


def _personal(n: NameMention) -> bool:
    """A person's name: known as one, or an unknown name of two words or more ("Suzanne Lynch") that is no
    listed outlet ("Daily Sabah")."""
    return n.kind == "person" or (n.entity is None and len(n.text.split()) >= 2 and not _outlet(n))


def _roles(side: Side) -> dict[str, list[int]]:
    """Speaker roles named outside the quotation ("a ministry spokesman said"), by class."""
    roles = side.lex.speaker_roles
    out: dict[str, list[int]] = {}
    if not roles:
        return out
    for i, t in enumerate(side.toks):
        if t.is_word and not t.quoted:
            cls = roles.get(t.key) or roles.get(t.lemma)
            if cls:
                out.setdefault(cls, []).append(i)
    return out


def _role_changes(ctx: HopContext) -> Iterable[Finding]:
    """A spokesperson's words credited to the principal, or the reverse: another speaker."""
    if ctx.parent is None or ctx.child is None:
        return
    p_roles, c_roles = _roles(ctx.parent), _roles(ctx.child)
    lost = [cls for cls in p_roles if cls not in c_roles]
    new = [cls for cls in c_roles if cls not in p_roles]
    if len(lost) != 1 or len(new) != 1:
        return
    pt, ct = p_roles[lost[0]], c_roles[new[0]]
    ctx.claimed_p.update(pt)
    ctx.claimed_c.update(ct)
    yield finding(
        ctx, None, category="attribution_change", severity=severity_of("attribution_change"), check=CHECK, parent_tokens=pt, child_tokens=ct,
        explanation=f'Speaker changed: the parent credits a {lost[0]} ("{words_of(ctx.parent, pt)}"), '
        f'the child a {new[0]} ("{words_of(ctx.child, ct)}").',
        conf=confidence(ctx, 0.7),
    )


@register("attribution_change", needs_comparison=False, order=70)
def check_attribution(ctx: HopContext) -> Iterable[Finding]:
    hop = ctx.hop
    yield from _role_changes(ctx)
    pa, ca = _credited(hop.parent_attribution), _credited(hop.child_attribution)
    if not pa:
        return
    if not ca:
        # Silence is not a claim: the child names no source (or none was recorded); it says nothing wrong.
        yield _finding(
            "Attribution dropped: the parent carried evidence of where the words came from "
            f'("{pa}"); the child gives none.',
            {"parent_attribution": text_quote(pa, 0, len(pa)).as_dict(), "silent": True},
            severity=severity_of("attribution_change", reworded=True),
        )
        return
    p_marks, c_marks = _find_markers(pa), _find_markers(ca)
    evidence_dropped = False
    for cls, why in _CLASS_WORDS.items():
        if cls in p_marks and cls not in c_marks:
            evidence_dropped = True
            s, e = p_marks[cls]
            details = {"parent_attribution": text_quote(pa, s, e).as_dict(),
                       "child_attribution": text_quote(ca, 0, len(ca)).as_dict()}
            if cls == "secondhand" and _names_a_source(ca, hop.child_language):
                # "according to people briefed on the meeting" -> "according to The Washington Post": the child
                # credits the report, whose unnamed sources are the report's to name; the chain keeps them
                yield _finding(
                    f'Attribution reworded: the parent says "{pa[s:e]}" ({why}); the child credits the report '
                    f'instead ("{ca}").', details, severity=severity_of("attribution_change", reworded=True))
                continue
            yield _finding(
                f'Attribution evidence dropped: the parent says "{pa[s:e]}" ({why}); the child\'s attribution '
                f'("{ca}") no longer says so.', details)
    # One finding per hop for the attribution strings: the store tells findings apart by their text spans.
    changed = None if evidence_dropped else _speaker_changed(pa, ca, hop.parent_language, hop.child_language)
    if changed is not None:
        a, b = changed
        spans = {"parent_attribution": text_quote(pa, a.start, a.end).as_dict(),
                 "child_attribution": text_quote(ca, b.start, b.end).as_dict()}
        yield (_channel_changed(a, b, spans) if _outlet(a) and _outlet(b)
               else _finding(f'Speaker changed: the parent credits "{a.text}", the child "{b.text}".', spans))
        return
    p_src, c_src = _sources(pa), _sources(ca)
    lost = [n for n in p_src if not any(same_name(n, o) for o in c_src)]
    new = [n for n in c_src if not any(same_name(n, o) for o in p_src)]
    for a, b in zip([n for n in lost if n.kind == "organisation"], [n for n in new if n.kind == "organisation"]):
        spans = {"parent_attribution": text_quote(pa, a.start, a.end).as_dict(),
                 "child_attribution": text_quote(ca, b.start, b.end).as_dict()}
        yield (_channel_changed(a, b, spans) if _outlet(a) and _outlet(b)
               else _finding(f'Source changed: the parent credits "{a.text}", the child "{b.text}".', spans))


def _channel_changed(a: NameMention, b: NameMention, spans: dict) -> Finding:
    """Two reports of the same words ("Sözcü newspaper reported" / "according to Daily Sabah"): who said them is
    unchanged, so it is wording; the chains differ, which the link's own checks weigh."""
    return _finding(f'Channel changed: the parent credits the report of "{a.text}", the child that of "{b.text}".',
                    spans, severity=severity_of("attribution_change", reworded=True))


def _finding(explanation: str, details: dict, severity: Severity | None = None) -> Finding:
    return Finding("attribution_change", severity or severity_of("attribution_change"), None, None, explanation, 0.7, CHECK, details)
