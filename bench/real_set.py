"""The real labelled set: renditions copied exactly from real outlets' pages, grouped by case.

Usage: ``python bench/real_set.py [FILE_OR_DIR ...]`` checks files and prints counts
(cases, renditions, hops, labelled and faithful hops, languages, features).

One YAML file per case (a remark and its renditions). ``load_cases`` reads them
and refuses, with the file and the place, anything that does not hold: every
rendition has an outlet and a URL and its text; a non-English text has an
English gloss; every hop names two renditions of the case; every labelled word
is found, exactly, in the text it names. Which cases are ``dev`` and which
``blind`` is decided by the folder a file sits in, never by its content.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "data" / "real"

CATEGORIES = {"omission", "addition", "substitution", "softening", "intensification", "hedge_added", "hedge_removed",
              "modality_shift", "negation_flip", "number_change", "entity_change", "quote_boundary_change",
              "attribution_change", "attribution_suspect", "language_mismatch"}
RELATIONS = {"translation", "quotation", "republication", "paraphrase", "excerpt", "revision", "back_translation"}
FEATURES = {"independent_translation", "excerpt", "partial_quote", "ellipsis", "headline", "orthographic_variant",
            "transliteration", "aggregator_copy", "back_translation", "interpreter", "paraphrase"}
KINDS = {"speaker", "interpreter", "agency", "newspaper", "broadcaster", "government", "social", "aggregator", "other"}


class RealSetError(ValueError):
    pass


@dataclass
class RealCase:
    path: Path
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.data["case"])

    @property
    def renditions(self) -> dict[str, dict[str, Any]]:
        return {r["key"]: r for r in self.data["renditions"]}


def _need(cond: bool, where: str, msg: str) -> None:
    if not cond:
        raise RealSetError(f"{where}: {msg}")


def check_case(path: Path, data: Any) -> RealCase:
    where = str(path)
    _need(isinstance(data, dict), where, "a case file is a mapping")
    for f in ("case", "speaker", "original_language", "remark", "renditions", "hops"):
        _need(f in data, where, f"missing field '{f}'")
    keys: dict[str, dict[str, Any]] = {}
    for i, r in enumerate(data["renditions"]):
        w = f"{where}: renditions[{i}]"
        _need(isinstance(r, dict) and "key" in r, w, "needs a key")
        w = f"{where}: rendition '{r['key']}'"
        _need(r["key"] not in keys, w, "key used twice")
        for f in ("language", "outlet", "url", "text", "kind"):
            _need(bool(r.get(f)), w, f"missing '{f}'")
        _need(r["kind"] in KINDS, w, f"kind must be one of {sorted(KINDS)}")
        _need(str(r["url"]).startswith(("http://", "https://")), w, "url must be http(s)")
        if r["language"] != "en":
            _need(bool(r.get("gloss")), w, "a non-English text needs an English 'gloss'")
        for feat in r.get("features") or ():
            _need(feat in FEATURES, w, f"unknown feature '{feat}' (known: {sorted(FEATURES)})")
        keys[r["key"]] = r
    seen = set()
    for i, h in enumerate(data["hops"]):
        w = f"{where}: hops[{i}]"
        _need(h.get("parent") in keys, w, f"parent '{h.get('parent')}' is not a rendition key")
        _need(h.get("child") in keys, w, f"child '{h.get('child')}' is not a rendition key")
        _need(h["parent"] != h["child"], w, "parent and child are the same")
        _need((h["parent"], h["child"]) not in seen, w, "hop listed twice")
        seen.add((h["parent"], h["child"]))
        _need(h.get("relation") in RELATIONS, w, f"relation must be one of {sorted(RELATIONS)}")
        labels = h.get("labels") or []
        _need(isinstance(h.get("faithful"), bool), w, "needs faithful: true or false")
        if h["faithful"]:
            _need(not any(l.get("category") not in ("info",) for l in labels), w,
                  "a faithful hop has no labels of drift categories")
        else:
            _need(bool(labels), w, "a changed hop (faithful: false) needs at least one label")
        for j, lab in enumerate(labels):
            lw = f"{w}.labels[{j}]"
            cats = lab.get("category")
            cats = cats if isinstance(cats, list) else [cats]
            for c in cats:
                _need(c in CATEGORIES, lw, f"unknown category '{c}'")
            _need(bool(lab.get("parent") or lab.get("child")), lw, "names no words on either side")
            for side in ("parent", "child"):
                words = lab.get(side)
                if words is None:
                    continue
                text = keys[h[side]]["text"]
                place = lab.get("where", "text")
                if place == "evidence":
                    text = keys[h[side]].get("evidence") or ""
                _need(words in text, lw, f"the {side} words {words!r} are not in the {side}'s {place}")
                _need(text.count(words) == 1 or lab.get(f"{side}_occurrence") is not None, lw,
                      f"the {side} words {words!r} occur {text.count(words)} times: add {side}_occurrence (0-based)")
    return RealCase(path, data)


def load_cases(*paths: Path) -> list[RealCase]:
    files: list[Path] = []
    for p in paths or (REAL,):
        files += sorted(p.rglob("*.yaml")) if p.is_dir() else [p]
    cases = []
    ids: set[str] = set()
    for f in files:
        case = check_case(f, yaml.safe_load(f.read_text(encoding="utf-8")))
        if case.id in ids:
            raise RealSetError(f"{f}: case id '{case.id}' is used by another file")
        ids.add(case.id)
        cases.append(case)
    return cases


def summary(cases: list[RealCase]) -> str:
    renditions = [r for c in cases for r in c.data["renditions"]]
    hops = [h for c in cases for h in c.data["hops"]]
    langs = Counter(r["language"] for r in renditions)
    feats = Counter(f for r in renditions for f in (r.get("features") or ()))
    cats = Counter((l["category"] if isinstance(l["category"], str) else l["category"][0])
                   for h in hops for l in (h.get("labels") or ()))
    return "\n".join([
        f"cases {len(cases)}, renditions {len(renditions)}, hops {len(hops)} "
        f"(faithful {sum(1 for h in hops if h['faithful'])}, changed {sum(1 for h in hops if not h['faithful'])})",
        "languages: " + ", ".join(f"{k} {v}" for k, v in langs.most_common()),
        "features: " + ", ".join(f"{k} {v}" for k, v in feats.most_common()),
        "label categories: " + ", ".join(f"{k} {v}" for k, v in cats.most_common()),
    ])


if __name__ == "__main__":
    try:
        found = load_cases(*(Path(a) for a in sys.argv[1:]))
    except RealSetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1)
    print(summary(found))
