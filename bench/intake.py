"""Intake on the labelled article set: quotations, scare quotes, speakers, evidence and chains, dev beside blind.

Usage: ``python bench/intake.py`` prints the table; ``-v`` also lists the dev part's misses (the blind
part's misses are never printed: read them and the article moves to dev); ``--dev`` scores and prints the
dev part alone, for tuning without a glance at blind.

What is counted (tests/data/articles/README.md has the set):

- **quotes**: a found quotation matches a labelled one when it covers at least half of the labelled
  words (overlap), or has the same words give or take trailing punctuation and spaces (exact); precision,
  recall and F1 over every quotation, scare quotes included;
- **scare taken as words**: labelled scare quotes that intake gives as someone's words (full or partial);
- **speaker**: labelled full and partial quotes found, whose speaker intake names the same way (case,
  accents and punctuation aside), or by a part of the name that holds the labelled surname;
- **evidence recall**: labelled evidence phrases of those quotes that an evidence span intake gives the
  same quote covers at least half of;
- **chain recall**: labelled hops other than the speaker that intake's chain for the quote names (the same
  name, or one holding the other), and **chain precision**: intake's hops other than the speaker that are
  labelled.

The reference point (BBC Citron on PARC 3.0): content F1 0.59 exact, 0.83 with overlap; source 0.82.
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

from anyascii import anyascii

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from article_set import ARTICLES, Article, load_articles  # noqa: E402

from provenance.intake import extract  # noqa: E402

TRAILING = " \t\n.,;:!?…"


def fold(s: str | None) -> str:
    s = anyascii(unicodedata.normalize("NFKC", s or "")).lower()
    s = re.sub(r"['’`]s\b", "", s)
    return " ".join(re.findall(r"[a-z0-9]+", s))


def same_speaker(pred: str | None, gold: str) -> bool:
    p, g = fold(pred), fold(gold)
    if not p:
        return False
    if p == g:
        return True
    pt, gt = p.split(), g.split()
    return bool(gt) and gt[-1] in pt and (set(pt) <= set(gt) or set(gt) <= set(pt))


def same_source(pred: str | None, gold: str) -> bool:
    p, g = fold(pred), fold(gold)
    if not p or not g:
        return False
    return p == g or f" {p} " in f" {g} " or f" {g} " in f" {p} "


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


class Tally:
    def __init__(self) -> None:
        self.n: dict[str, int] = defaultdict(int)

    def add(self, key: str, value: int = 1) -> None:
        self.n[key] += value

    def ratio(self, num: str, den: str) -> float | None:
        return self.n[num] / self.n[den] if self.n[den] else None

    def f1(self, tp: str) -> tuple[float | None, float | None, float | None]:
        p = self.ratio(tp + "_p", "pred")
        r = self.ratio(tp + "_r", "gold")
        f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
        return p, r, f


def score_article(a: Article, tally: Tally, misses: list[str] | None) -> None:
    text = a.data["text"]
    found = extract(text, language=a.data["language"], title=a.data.get("title"))
    tally.add("articles")
    tally.add("pred", len(found))
    tally.add("gold", len(a.quotes))
    used_exact: set[int] = set()
    for q in found:
        if any(overlap((q.start, q.end), (g["start"], g["end"])) * 2 >= g["end"] - g["start"] for g in a.quotes):
            tally.add("overlap_p")
        if any(text[q.start:q.end].strip(TRAILING) == g["text"].strip(TRAILING) and abs(q.start - g["start"]) < 3
               for g in a.quotes):
            tally.add("exact_p")
        elif misses is not None and not any(overlap((q.start, q.end), (g["start"], g["end"])) for g in a.quotes):
            misses.append(f"{a.data['article']}: extra quotation {text[q.start:q.end][:70]!r}")
    for g in a.quotes:
        span = (g["start"], g["end"])
        # the found quotation covering most of the labelled one; of several (a quotation nested in another is
        # covered whole by both), the one closest to it in extent
        match = max((q for q in found if overlap((q.start, q.end), span) * 2 >= span[1] - span[0]),
                    key=lambda q: (overlap((q.start, q.end), span), -abs((q.end - q.start) - (span[1] - span[0]))),
                    default=None)
        if match is None:
            if misses is not None:
                misses.append(f"{a.data['article']}: missed {g['kind']} {g['text'][:70]!r}")
            continue
        tally.add("overlap_r")
        if text[match.start:match.end].strip(TRAILING) == g["text"].strip(TRAILING) and id(match) not in used_exact:
            used_exact.add(id(match))
            tally.add("exact_r")
        if g["kind"] == "scare":
            tally.add("scare")
            if match.kind != "scare":
                tally.add("scare_as_words")
                if misses is not None:
                    misses.append(f"{a.data['article']}: scare {g['text'][:50]!r} taken as {match.kind}")
            continue
        tally.add("words")
        if match.kind == "scare":
            tally.add("words_as_scare")
        tally.add("kind_total")
        if match.kind == g["kind"]:
            tally.add("kind_right")
        if same_speaker(match.speaker, g["speaker"]):
            tally.add("speaker_right")
        elif misses is not None:
            misses.append(f"{a.data['article']}: speaker {match.speaker!r}, labelled {g['speaker']!r} for "
                          f"{g['text'][:40]!r}")
        for e in g["evidence"]:
            tally.add("evidence")
            if any(overlap((p.start, p.end), (e["start"], e["end"])) * 2 >= e["end"] - e["start"]
                   for p in match.evidence):
                tally.add("evidence_found")
            elif misses is not None:
                misses.append(f"{a.data['article']}: evidence {e['text'][:60]!r} not given for {g['text'][:30]!r}"
                              f" (gave {[p.text[:40] for p in match.evidence]})")
        gold_hops = [h for h in g.get("chain") or [] if h["kind"] != "speaker"]
        pred_hops = [h for h in match.chain if h["kind"] != "speaker"]
        for h in gold_hops:
            tally.add("hops")
            if any(same_source(p["source"], h["source"]) for p in pred_hops):
                tally.add("hops_found")
            elif misses is not None:
                misses.append(f"{a.data['article']}: hop {h['source']!r} missing for {g['text'][:30]!r} "
                              f"(chain {[p['source'] for p in pred_hops]})")
        for p in pred_hops:
            tally.add("pred_hops")
            if any(same_source(p["source"], h["source"]) for h in gold_hops):
                tally.add("pred_hops_right")


def fmt(x: float | None) -> str:
    return "  n/a" if x is None else f"{x:5.2f}"


ROWS = [
    ("quote precision (overlap)", lambda t: t.f1("overlap")[0]),
    ("quote recall (overlap)", lambda t: t.f1("overlap")[1]),
    ("quote F1 (overlap)  [blind >= 0.95]", lambda t: t.f1("overlap")[2]),
    ("quote F1 (exact)", lambda t: t.f1("exact")[2]),
    ("scare taken as words  [<= 0.25]", lambda t: t.ratio("scare_as_words", "scare")),
    ("words taken as scare", lambda t: t.ratio("words_as_scare", "words")),
    ("kind right (full/partial)", lambda t: t.ratio("kind_right", "kind_total")),
    ("speaker accuracy  [>= 0.9]", lambda t: t.ratio("speaker_right", "words")),
    ("evidence recall  [>= 0.8]", lambda t: t.ratio("evidence_found", "evidence")),
    ("chain recall  [>= 0.8]", lambda t: t.ratio("hops_found", "hops")),
    ("chain precision", lambda t: t.ratio("pred_hops_right", "pred_hops")),
]


def run(verbose: bool = False, parts: tuple[str, ...] = ("dev", "blind")) -> dict[str, dict[str, Tally]]:
    out: dict[str, dict[str, Tally]] = {part: defaultdict(Tally) for part in ("dev", "blind")}
    for part in parts:
        tallies: dict[str, Tally] = defaultdict(Tally)
        misses: list[str] | None = [] if verbose and part == "dev" else None
        for a in load_articles(ARTICLES / part):
            score_article(a, tallies["all"], misses)
            score_article(a, tallies[a.data["language"]], None)
        out[part] = tallies
        if misses:
            print(f"--- {part} misses ({len(misses)})")
            print("\n".join(misses))
    return out


def main() -> None:
    verbose = "-v" in sys.argv[1:]
    parts = ("dev",) if "--dev" in sys.argv[1:] else ("dev", "blind")
    t0 = time.perf_counter()
    result = run(verbose, parts)
    took = time.perf_counter() - t0
    dev, blind = result["dev"]["all"], result["blind"]["all"]
    print(f"intake on the labelled article set (tests/data/articles): dev {dev.n['articles']} articles, "
          f"{dev.n['gold']} quotes; blind {blind.n['articles']} articles, {blind.n['gold']} quotes "
          f"({took:.1f} s for both)")
    print(f"{'':40s} {'dev':>6s} {'blind':>6s}")
    for label, fn in ROWS:
        print(f"{label:40s} {fmt(fn(dev)):>6s} {fmt(fn(blind)):>6s}")
    print("\nper language (quote F1 overlap / speaker / evidence / chain recall), dev | blind")
    langs = sorted(set(result["dev"]) | set(result["blind"]) - {"all"})
    for lang in langs:
        if lang == "all":
            continue
        cells = []
        for part in ("dev", "blind"):
            t = result[part].get(lang)
            if t is None or not t.n["articles"]:
                cells.append(f"{'':27s}")
                continue
            cells.append(" ".join(fmt(x) for x in (t.f1("overlap")[2], t.ratio("speaker_right", "words"),
                                                    t.ratio("evidence_found", "evidence"),
                                                    t.ratio("hops_found", "hops"))) + f" ({t.n['articles']})")
        print(f"  {lang}: {cells[0]:34s} | {cells[1]}")


if __name__ == "__main__":
    main()
