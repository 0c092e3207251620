"""`provenance intake` as a person runs it: a real process, a real database file, the seed article first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run

SEED = Path(__file__).resolve().parents[1] / "data" / "seed-article-en.txt"
CHOE = "We reaffirm that we will always stand firmly by our Russian comrades until the day of victory."


@pytest.fixture(name="fx_empty_db")
def fixture_empty_db(tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 'intake.db'}"
    assert run(["db", "upgrade"], db).returncode == 0
    return db


def _quote_count(db: str) -> int:
    out = run(["list"], db)
    assert out.returncode == 0, out.stderr
    return len([line for line in out.stdout.splitlines() if line.strip()])


def test_json_has_exactly_the_documented_shape(fx_empty_db: str) -> None:
    out = run(["intake", str(SEED), "--json"], fx_empty_db)
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert set(body) == {"publication", "quotes"}
    text = SEED.read_text(encoding="utf-8")
    for q in body["quotes"]:
        assert set(q) == {"text", "start", "end", "kind", "speaker", "evidence", "chain", "proposal"}
        assert text[q["start"]:q["end"]] == q["text"]
        assert q["kind"] in ("full", "partial", "scare")
        for e in q["evidence"]:
            assert set(e) == {"text", "start", "end"} and text[e["start"]:e["end"]] == e["text"]
        for h in q["chain"]:
            assert set(h) == {"source", "language", "kind"}
    first = next(q for q in body["quotes"] if q["text"] == CHOE)
    assert first["speaker"] == "Choe Son Hui" and first["proposal"]["action"] == "new"
    assert [h["source"] for h in first["chain"]] == ["lejdd.fr", "AFP", "Russian translation", "Choe Son Hui"]


def test_the_tree_and_accept_on_an_empty_database(fx_empty_db: str) -> None:
    out = run(["intake", str(SEED), "--accept"], fx_empty_db)
    assert out.returncode == 0, out.stderr
    assert "Choe Son Hui" in out.stdout and "chain: lejdd.fr (fr, newspaper) → AFP (agency)" in out.stdout
    assert "accepted" in out.stdout
    slug = next(line.split()[0] for line in run(["list"], fx_empty_db).stdout.splitlines()
                if "we-reaffirm" in line)
    shown = run(["show", slug], fx_empty_db)
    assert "CLAIMED" in shown.stdout and "ATTESTED" in shown.stdout and "AFP" in shown.stdout
    count = _quote_count(fx_empty_db)
    again = run(["intake", str(SEED), "--accept"], fx_empty_db)
    assert again.returncode == 0, again.stderr
    assert _quote_count(fx_empty_db) == count  # the same article twice is recorded once
    assert run(["audit", "verify"], fx_empty_db).returncode == 0


def test_on_the_founding_chain_the_article_is_recognised(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'seeded.db'}"
    assert run(["db", "upgrade"], db).returncode == 0 and run(["seed"], db).returncode == 0
    out = run(["intake", str(SEED), "--json"], db)
    body = json.loads(out.stdout)
    first = next(q for q in body["quotes"] if q["text"] == CHOE)
    assert first["proposal"]["action"] == "recorded"
    assert first["proposal"]["quote"] == "choe-2024-11-01-until-the-day-of-victory"
    assert first["proposal"]["rendition"] == "republication-en"


def test_several_files_show_a_progress_bar_and_each_tree(fx_empty_db: str, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("“We will build the bridge by spring,” Mayor Anna Berg said on Monday.", encoding="utf-8")
    out = run(["intake", str(SEED), str(other)], fx_empty_db)
    assert out.returncode == 0, out.stderr
    assert "Choe Son Hui" in out.stdout and "Anna Berg" in out.stdout


@pytest.mark.parametrize("name, content, args, words", [
    ("empty.txt", b"", [], "empty"),
    ("binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, [], "binary file"),
    ("huge.html", b"<html><body><p>" + b"x" * (20 << 20) + b"</p></body></html>", [], "at most"),
    ("quiet.txt", "The council met on Monday and approved the budget for the coming year without debate.".encode(),
     [], "no quotation marks"),
    ("korean.txt", "“우리는 승리할 것이다”라고 그는 말했다.".encode(), [], "intake reads articles in"),
])
def test_bad_input_gets_one_clear_line_and_writes_nothing(fx_empty_db: str, tmp_path: Path, name: str,
                                                          content: bytes, args: list[str], words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    out = run(["intake", str(path), "--accept", *args], fx_empty_db)
    assert out.returncode == 1
    assert words in out.stderr and "Traceback" not in out.stderr
    assert _quote_count(fx_empty_db) == 0


def test_an_unreachable_url_is_a_clear_error(fx_empty_db: str) -> None:
    out = run(["intake", "http://127.0.0.1:9/article.html"], fx_empty_db)
    assert out.returncode == 1 and "could not be reached" in out.stderr
