"""The labelled article set for intake: real articles with their quotes, speakers, evidence and chains.

Usage: ``python bench/article_set.py [FILE_OR_DIR ...]`` checks every file and prints counts.

Each quote's ``text`` must occur in the article's ``text`` (its ``occurrence``
when it occurs more than once), each evidence phrase too; the checker computes
the offsets (``start``, ``end``: Python string indices) that the intake bench
compares with what intake finds.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "tests" / "data" / "articles"
KINDS = {"full", "partial", "scare"}
SOURCE_KINDS = {"agency", "newspaper", "broadcaster", "interpreter", "speaker", "government", "social", "other"}


class ArticleSetError(ValueError):
    pass


@dataclass
class Article:
    path: Path
    data: dict[str, Any]
    quotes: list[dict[str, Any]]  # each with start/end added


def _need(cond: bool, where: str, msg: str) -> None:
    if not cond:
        raise ArticleSetError(f"{where}: {msg}")


def _find(text: str, words: str, occurrence: int | None, where: str) -> int:
    count = text.count(words)
    _need(count > 0, where, f"{words[:60]!r} is not in the article's text")
    if occurrence is None:
        _need(count == 1, where, f"{words[:60]!r} occurs {count} times: add occurrence (0-based)")
        return text.index(words)
    _need(0 <= occurrence < count, where, f"occurrence {occurrence} of {words[:60]!r}: it occurs {count} times")
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(words, at + 1)
    return at


def check_article(path: Path, data: Any) -> Article:
    where = str(path)
    _need(isinstance(data, dict), where, "an article file is a mapping")
    for f in ("article", "url", "outlet", "language", "text", "quotes"):
        _need(bool(data.get(f)) or f == "quotes", where, f"missing field '{f}'")
    _need(str(data["url"]).startswith(("http://", "https://")), where, "url must be http(s)")
    text = data["text"]
    quotes = []
    for i, q in enumerate(data["quotes"] or []):
        w = f"{where}: quotes[{i}]"
        _need(bool(q.get("text")), w, "needs text")
        _need(q.get("kind") in KINDS, w, f"kind must be one of {sorted(KINDS)}")
        if q["kind"] == "scare":
            _need(q.get("speaker") is None, w, "a scare quote has no speaker (null)")
        else:
            _need(bool(q.get("speaker")), w, "a full or partial quote needs its speaker")
        start = _find(text, q["text"], q.get("occurrence"), w)
        evidence = []
        for j, e in enumerate(q.get("evidence") or []):
            phrase = e if isinstance(e, str) else e.get("text")
            at = _find(text, phrase, None if isinstance(e, str) else e.get("occurrence"), f"{w}.evidence[{j}]")
            evidence.append({"text": phrase, "start": at, "end": at + len(phrase)})
        for j, hop in enumerate(q.get("chain") or []):
            _need(bool(hop.get("source")), f"{w}.chain[{j}]", "needs source")
            _need(hop.get("kind") in SOURCE_KINDS, f"{w}.chain[{j}]", f"kind must be one of {sorted(SOURCE_KINDS)}")
        quotes.append({**q, "start": start, "end": start + len(q["text"]), "evidence": evidence})
    return Article(path, data, quotes)


def load_articles(*paths: Path) -> list[Article]:
    files: list[Path] = []
    for p in paths or (ARTICLES,):
        files += sorted(p.rglob("*.yaml")) if p.is_dir() else [p]
    out, ids = [], set()
    for f in files:
        a = check_article(f, yaml.safe_load(f.read_text(encoding="utf-8")))
        _need(a.data["article"] not in ids, str(f), f"article id '{a.data['article']}' is used twice")
        ids.add(a.data["article"])
        out.append(a)
    return out


def summary(articles: list[Article]) -> str:
    quotes = [q for a in articles for q in a.quotes]
    langs = Counter(a.data["language"] for a in articles)
    kinds = Counter(q["kind"] for q in quotes)
    return "\n".join([
        f"articles {len(articles)}, quotes {len(quotes)} ({', '.join(f'{k} {v}' for k, v in kinds.most_common())})",
        "languages: " + ", ".join(f"{k} {v}" for k, v in langs.most_common()),
        f"quotes with evidence {sum(1 for q in quotes if q['evidence'])}, with a chain "
        f"{sum(1 for q in quotes if q.get('chain'))}",
    ])


if __name__ == "__main__":
    try:
        found = load_articles(*(Path(a) for a in sys.argv[1:]))
    except ArticleSetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1)
    print(summary(found))
