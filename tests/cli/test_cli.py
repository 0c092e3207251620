"""The CLI as a person runs it: a real process, a real database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CHOE = "choe-2024-11-01-until-the-day-of-victory"


def run(args: list[str], db: str, **kw) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PROVENANCE_DATABASE_URL": db, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "provenance.cli", *args], env=env, capture_output=True, text=True,
                          timeout=120, **kw)


@pytest.fixture(name="fx_cli_db")
def fixture_cli_db(tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(["db", "upgrade"], db).returncode == 0
    out = run(["seed"], db)
    assert out.returncode == 0, out.stderr
    assert "loaded 4 quotes" in out.stdout
    return db


def test_show_prints_choes_chain(fx_cli_db: str) -> None:
    out = run(["show", CHOE], fx_cli_db)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "5 renditions in 4 languages (en, fr, ko, ru)" in text
    for key in ("ko-remark", "ru-interpretation", "afp-en", "lejdd-fr", "republication-en"):
        assert key in text
    assert text.count("RECONSTRUCTED") == 4 and text.count("ATTESTED") == 1
    assert "translation" in text and "Korean [ko]" in text and "AFP" in text
    # the tree is drawn, not listed: each hop is indented under its parent
    assert text.index("ko-remark") < text.index("ru-interpretation") < text.index("republication-en")


def test_seed_twice_changes_nothing(fx_cli_db: str) -> None:
    out = run(["seed"], fx_cli_db)
    assert out.returncode == 0 and "already loaded" in out.stdout


def test_export_import_round_trip(fx_cli_db: str, tmp_path: Path) -> None:
    exported = run(["export", CHOE, "--format", "json"], fx_cli_db)
    assert exported.returncode == 0, exported.stderr
    doc = json.loads(exported.stdout)
    assert [r["key"] for r in doc["quotes"][0]["renditions"]][-1] == "republication-en"
    path = tmp_path / "choe.json"
    path.write_text(exported.stdout, encoding="utf-8")
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert run(["db", "upgrade"], other).returncode == 0
    imported = run(["import", str(path)], other)
    assert imported.returncode == 0, imported.stderr
    again = run(["export", CHOE], other)
    assert json.loads(again.stdout) == doc


def test_bad_document_exits_non_zero_with_one_line_and_writes_nothing(fx_cli_db: str, tmp_path: Path) -> None:
    bad = tmp_path / "cycle.yaml"
    bad.write_text(
        "quotes:\n"
        "  - slug: cyclic-quote\n    speaker: X\n    original_language: en\n    renditions:\n"
        "      - {key: a, language: en, status: claimed, derived_from: [{parent: b}]}\n"
        "      - {key: b, language: en, status: claimed, derived_from: [{parent: a}]}\n", encoding="utf-8")
    out = run(["import", str(bad)], fx_cli_db)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "cycle" in lines[0] and "cycle.yaml" in lines[0]
    assert "cyclic-quote" not in run(["list"], fx_cli_db).stdout
    dangling = tmp_path / "dangling.yaml"
    dangling.write_text("quotes:\n  - slug: dangling-quote\n    speaker: X\n    original_language: en\n"
                        "    renditions:\n      - {key: a, language: en, status: claimed, derived_from: [{parent: zz}]}\n",
                        encoding="utf-8")
    out = run(["import", str(dangling)], fx_cli_db)
    assert out.returncode == 1 and "no rendition with key 'zz'" in out.stderr


def test_unknown_quote_is_one_clear_line(fx_cli_db: str) -> None:
    out = run(["show", "nope"], fx_cli_db)
    assert out.returncode == 1 and "no quote with id or slug 'nope'" in out.stderr and "Traceback" not in out.stderr


def test_unmigrated_database_says_what_to_do(tmp_path: Path) -> None:
    out = run(["show", CHOE], f"sqlite:///{tmp_path / 'empty.db'}")
    assert out.returncode == 1 and "provenance db upgrade" in out.stderr


def test_upgrade_stores_the_answers_a_database_from_before_them_lacks(fx_cli_db: str, tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "cli.db"
    with sqlite3.connect(path) as con:  # as written before migration 0003: seeded, nothing stored
        stored = con.execute("SELECT count(*) FROM stored_answer").fetchone()[0]
        con.execute("DELETE FROM stored_answer")
    assert stored >= 4 + 15  # the seed stored every graph and lineage as it wrote them
    out = run(["db", "upgrade"], fx_cli_db)
    assert out.returncode == 0, out.stderr
    assert "stored the graph and lineage answers of 4 quote(s)" in out.stdout
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT count(*) FROM stored_answer").fetchone()[0] == stored
    again = run(["db", "upgrade"], fx_cli_db)
    assert again.returncode == 0 and "stored the" not in again.stdout


def test_schema_prints_json_schema() -> None:
    out = run(["schema"], "sqlite://")
    schema = json.loads(out.stdout)
    assert schema["title"] == "Quote provenance chain document" and "quotes" in schema["properties"]


def test_analyze_all_shows_progress_and_summary(fx_cli_db: str) -> None:
    out = run(["analyze", "--all"], fx_cli_db)
    assert out.returncode == 0, out.stderr
    assert "analysing hops" in out.stderr and "15/15" in out.stderr  # the progress bar
    assert "Drift by hop" in out.stdout and "afp-en → lejdd-fr" in out.stdout and "machine-made" in out.stdout
    # four quotes share the keys afp-en and lejdd-fr: each row says whose hop it is
    assert CHOE in out.stdout and "lavrov-2024-11-01-principled-stance" in out.stdout


def test_analyze_and_drift_json_shape(fx_cli_db: str) -> None:
    out = run(["analyze", CHOE, "--json"], fx_cli_db)
    assert out.returncode == 0, out.stderr
    hops = json.loads(out.stdout)["hops"]
    assert len(hops) == 4 and {h["quote"]["slug"] for h in hops} == {CHOE}
    findings = [f for h in hops for f in h["findings"]]
    assert findings
    for f in findings:
        assert {"category", "severity", "parent_span", "child_span", "explanation", "basis", "origin", "scores"} <= set(f)
        for side in ("parent_span", "child_span"):
            assert f[side] is None or {"start", "end", "exact"} <= set(f[side])
    one = json.loads(run(["drift", f"{CHOE}:lejdd-fr", "--json"], fx_cli_db).stdout)
    assert one["child"]["key"] == "lejdd-fr" and one["basis"] == "gloss"


def test_drift_side_by_side_marks_changes_in_words(fx_cli_db: str) -> None:
    out = run(["drift", f"{CHOE}:lejdd-fr"], fx_cli_db)
    assert out.returncode == 0, out.stderr
    assert "parent · afp-en" in out.stdout and "child · lejdd-fr" in out.stdout
    assert "[~" in out.stdout or "[-" in out.stdout or "{+" in out.stdout
    assert "RECONSTRUCTED" in out.stdout and "machine" in out.stdout


def test_gloss_suggest_parents_keys_and_audit(fx_cli_db: str, tmp_path: Path) -> None:
    out = run(["gloss", f"{CHOE}:afp-en", "--text", "x", "--author", "me"], fx_cli_db)
    assert out.returncode == 0 and "gloss" in out.stdout
    out = run(["suggest-parents", f"{CHOE}:republication-en"], fx_cli_db)
    assert out.returncode == 0 and out.stdout.strip().splitlines()[0].split()[1] in ("lejdd-fr", "afp-en")
    created = run(["keys", "create", "--role", "editor", "--name", "desk"], fx_cli_db)
    assert created.returncode == 0 and created.stdout.strip().startswith("prov_")
    listed = run(["keys", "list"], fx_cli_db).stdout
    assert "desk" in listed and created.stdout.strip() not in listed
    key_id = listed.split()[0]
    assert run(["keys", "revoke", key_id], fx_cli_db).returncode == 0
    assert "revoked" in run(["keys", "list"], fx_cli_db).stdout
    assert "audit log intact" in run(["audit", "verify"], fx_cli_db).stdout
    import sqlite3

    conn = sqlite3.connect(fx_cli_db.removeprefix("sqlite:///"))
    conn.execute("UPDATE audit_event SET action = 'nothing' WHERE seq = 5")
    conn.commit()
    conn.close()
    broken = run(["audit", "verify"], fx_cli_db)
    assert broken.returncode == 1 and "#5" in broken.stderr


def test_wrong_settings_are_named_one_line_each_without_a_traceback(fx_cli_db: str) -> None:
    env = {**os.environ, "PROVENANCE_DATABASE_URL": fx_cli_db, "PROVENANCE_RATE_LIMIT_PER_MINUTE": "lots",
           "PROVENANCE_DB_LOCK_TIMEOUT": "-1", "PROVENANCE_PUBLIC_READ": "perhaps"}
    out = subprocess.run([sys.executable, "-m", "provenance.cli", "list"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 3
    assert any("PROVENANCE_RATE_LIMIT_PER_MINUTE='lots' is not a whole number" in line for line in lines)
    assert any("PROVENANCE_DB_LOCK_TIMEOUT='-1' must be between" in line for line in lines)
    assert any("PROVENANCE_PUBLIC_READ='perhaps' is not true or false" in line for line in lines)
    serve = subprocess.run([sys.executable, "-m", "provenance.cli", "serve", "--port", "1"], env=env,
                           capture_output=True, text=True, timeout=60)
    assert serve.returncode == 1 and "PROVENANCE_RATE_LIMIT_PER_MINUTE" in serve.stderr  # the server never starts


def test_a_cut_audit_log_fails_verify_and_the_saved_head(fx_cli_db: str) -> None:
    head = run(["audit", "head"], fx_cli_db).stdout.strip()
    count = int(head.split(":")[0])
    assert count > 20 and len(head.split(":")[1]) == 64
    assert run(["audit", "verify", "--expect-head", head], fx_cli_db).returncode == 0
    import sqlite3

    conn = sqlite3.connect(fx_cli_db.removeprefix("sqlite:///"))
    conn.execute("DELETE FROM audit_event WHERE seq > (SELECT max(seq) - 2 FROM audit_event)")  # the last two
    conn.commit()
    conn.close()
    broken = run(["audit", "verify"], fx_cli_db)
    assert broken.returncode == 1 and "signed head" in broken.stderr
    assert run(["audit", "verify", "--expect-head", head], fx_cli_db).returncode == 1
    refused = run(["gloss", f"{CHOE}:afp-en", "--text", "y", "--author", "me"], fx_cli_db)
    assert refused.returncode == 1 and "writes are stopped" in refused.stderr


def test_import_shows_progress_and_refuses_an_alias_bomb_in_one_line(fx_cli_db: str, tmp_path: Path) -> None:
    doc = tmp_path / "doc.yaml"
    doc.write_text("quotes:\n  - slug: a-new-one\n    speaker: A\n    original_language: en\n    renditions:\n"
                   "      - {key: en, language: en, status: attested, text: Words of the new one.}\n", encoding="utf-8")
    out = run(["import", str(doc)], fx_cli_db)
    assert out.returncode == 0, out.stderr
    assert "imported a-new-one" in out.stdout and "writing renditions" in out.stderr
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text('a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
                    + "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh")),
                    encoding="utf-8")
    refused = run(["import", str(bomb)], fx_cli_db)
    assert refused.returncode == 1 and "aliases expand" in refused.stderr and len(refused.stderr) < 1000


def test_trace_prints_the_quote_once_with_its_path_or_says_not_found(fx_cli_db: str) -> None:
    out = run(["trace", "stand firmly by our Russian comrades"], fx_cli_db)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "MATCH" in text and text.count(CHOE) == 1
    assert text.index("ko-remark") < text.index("ru-interpretation") < text.index("republication-en")
    assert "also:" in text and "afp-en" in text
    missing = run(["trace", "The weather in Paris is lovely today"], fx_cli_db)
    assert missing.returncode == 0 and "NOT FOUND" in missing.stdout
    as_json = json.loads(run(["trace", "under the wise leadership of Comrade Putin", "--json"], fx_cli_db).stdout)
    assert as_json["verdict"] == "match" and as_json["matches"][0]["matched"]["missing"] == []
    slugs = [m["quote"]["slug"] for m in as_json["matches"]]
    assert len(slugs) == len(set(slugs))


def test_export_in_every_format_the_api_has(fx_cli_db: str, tmp_path: Path) -> None:
    report = run(["export", CHOE, "--format", "markdown"], fx_cli_db)
    assert report.returncode == 0, report.stderr
    assert report.stdout.startswith("# Choe Son Hui") and "## Lineage" in report.stdout
    prov = json.loads(run(["export", CHOE, "--format", "prov-json"], fx_cli_db).stdout)
    assert "entity" in prov and "wasDerivedFrom" in prov
    assert "not analysed" in run(["export", CHOE, "--format", "tmx"], fx_cli_db).stdout  # it says why it is empty
    assert run(["analyze", CHOE], fx_cli_db).returncode == 0
    tmx_out = run(["export", CHOE, "--format", "tmx"], fx_cli_db).stdout
    assert "<tmx" in tmx_out and "<tu" in tmx_out
    both = ["export", CHOE, "lavrov-2024-11-01-principled-stance", "--format", "csv"]
    refused = run(both, fx_cli_db)
    assert refused.returncode == 2 and "--output" in refused.stderr
    written = run([*both, "--output", str(tmp_path / "out")], fx_cli_db)
    assert written.returncode == 0, written.stderr
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == [f"{CHOE}.csv", "lavrov-2024-11-01-principled-stance.csv"]
    assert (tmp_path / "out" / f"{CHOE}.csv").read_text().splitlines()[0].startswith("quote")


def test_the_default_database_is_a_fixed_place_and_errors_name_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PROVENANCE_DATABASE_URL"}
    env.update({"XDG_DATA_HOME": str(tmp_path / "userdata"), "COLUMNS": "200", "NO_COLOR": "1"})
    elsewhere = tmp_path / "some-folder"
    elsewhere.mkdir()

    def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "provenance.cli", *args], env=env, cwd=cwd, capture_output=True,
                              text=True, timeout=120)

    expected = tmp_path / "userdata" / "quote-provenance" / "provenance.db"
    out = cli("list", cwd=elsewhere)
    assert out.returncode == 1 and str(expected) in out.stderr and "provenance db upgrade" in out.stderr
    assert cli("db", "upgrade", cwd=elsewhere).returncode == 0 and expected.exists()
    assert not (elsewhere / "data").exists()  # nothing made in the folder the command ran in
    other = tmp_path / "other-folder"
    other.mkdir()
    assert cli("seed", cwd=other).returncode == 0
    assert "choe-2024-11-01-until-the-day-of-victory" in cli("list", cwd=elsewhere).stdout  # the same database


def test_build_and_fix_a_chain_from_the_terminal(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'edit.db'}"
    assert run(["db", "upgrade"], db).returncode == 0
    steps = [
        ["add-quote", "test-q", "--speaker", "Jane Doe", "--language", "de", "--said-on", "2024-03-01"],
        ["add-rendition", "test-q", "--key", "de", "--language", "de", "--source", "Bundesregierung",
         "--source-kind", "government", "--text", "Wir werden niemals aufgeben, sagte die Ministerin."],
        ["add-rendition", "test-q", "--key", "en", "--language", "en", "--source", "Reuters", "--source-kind", "agency",
         "--text", "We will never give up, the minister said.", "--parent", "de", "--evidence", "Reuters translation"],
    ]
    for args in steps:
        out = run(args, db)
        assert out.returncode == 0, (args, out.stderr)
    # analysed at once; no gloss and no translator here, so the words could not be compared, and it says so
    assert "de → en: not compared" in out.stdout
    copied = run(["add-rendition", "test-q", "--key", "en-copy", "--language", "en", "--parent", "en",
                  "--relation", "quotation", "--text", "We will always give up, the minister said."], db)
    assert copied.returncode == 0 and "en → en-copy: fact changed" in copied.stdout  # "never" became "always"
    same = run(["add-rendition", "test-q", "--key", "en2", "--language", "en",
                "--text", "We will never give up, the minister said."], db)
    assert same.returncode == 1 and "'en'" in same.stderr and "--same-text" in same.stderr
    cycle = run(["link", "test-q:de", "test-q:en"], db)
    assert cycle.returncode == 1 and "cycle" in cycle.stderr
    fixed = run(["correct", "test-q:en", "--url", "https://reuters.example/jane", "--published", "2024-03-01T12:00:00Z"],
                db)
    assert fixed.returncode == 0, fixed.stderr
    shown = json.loads(run(["export", "test-q"], db).stdout)["quotes"][0]["renditions"]
    en = next(r for r in shown if r["key"] == "en")
    assert en["url"] == "https://reuters.example/jane" and en["published_at"].startswith("2024-03-01T12:00:00")
    def exported_en() -> dict:
        doc = json.loads(run(["export", "test-q"], db).stdout)
        return next(r for r in doc["quotes"][0]["renditions"] if r["key"] == "en")

    assert run(["correct", "test-q:en", "--clear", "url"], db).returncode == 0
    assert exported_en().get("url") is None and exported_en()["published_at"].startswith("2024-03-01T12:00:00")
    assert exported_en()["derived_from"][0]["parent"] == "de"
    assert run(["unlink", "test-q:en", "test-q:de"], db).returncode == 0
    assert not exported_en().get("derived_from")
    verified = run(["audit", "verify"], db)
    assert verified.returncode == 0 and "match their latest event" in verified.stdout


def test_an_edited_export_comes_back_with_update_as_new_records_and_revisions(fx_cli_db: str, tmp_path: Path) -> None:
    exported = run(["export", CHOE, "--format", "json"], fx_cli_db).stdout
    refused = run(["import", str(_write(tmp_path / "same.json", exported))], fx_cli_db)
    assert refused.returncode == 1 and "import --update" in refused.stderr
    doc = json.loads(exported)
    renditions = doc["quotes"][0]["renditions"]
    rep = next(r for r in renditions if r["key"] == "republication-en")
    old_text = rep["text"]
    rep["text"] = old_text.replace("the day of victory", "victory day")
    rep["url"] = "https://republisher.example/choe"  # goes with the new words
    afp = next(r for r in renditions if r["key"] == "afp-en")
    afp["note"] = "Located in the AFP archive."  # a correction to a rendition whose words stay
    doc["sources"].append({"name": "Wire Copy", "kind": "newspaper"})
    renditions.append({"key": "wire-copy-en", "language": "en", "status": "attested", "source": "Wire Copy",
                       "text": "Choe said North Korea will stand by its Russian comrades until victory.",
                       "derived_from": [{"parent": "afp-en", "relation": "paraphrase"}]})
    out = run(["import", "--update", str(_write(tmp_path / "edited.json", json.dumps(doc)))], fx_cli_db)
    assert out.returncode == 0, out.stderr
    text = " ".join(out.stdout.split())
    assert "republication-en has new words: recorded as republication-en-rev2, a revision of it" in text
    assert "wire-copy-en added" in text and "afp-en → wire-copy-en linked" in text
    assert "afp-en corrected (note)" in text
    after = json.loads(run(["export", CHOE], fx_cli_db).stdout)["quotes"][0]["renditions"]
    by_key = {r["key"]: r for r in after}
    assert by_key["republication-en"]["text"] == old_text  # recorded words never change
    assert by_key["republication-en-rev2"]["url"] == "https://republisher.example/choe"
    assert by_key["afp-en"]["note"] == "Located in the AFP archive."
    assert by_key["republication-en-rev2"]["derived_from"][0] == {**by_key["republication-en-rev2"]["derived_from"][0],
                                                                  "parent": "republication-en", "relation": "revision"}
    again = run(["import", "--update", str(tmp_path / "edited.json")], fx_cli_db)
    assert again.returncode == 0 and "added" not in again.stdout and "corrected" not in again.stdout
    assert "match their latest event" in run(["audit", "verify"], fx_cli_db).stdout


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
