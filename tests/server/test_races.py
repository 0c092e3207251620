"""Races from several real clients at once against four workers: one winner, no 5xx, no cycle, nothing lost.

Each race is run for several rounds, so that the interleavings the database
could allow (a check read before another writer's insert commits) get their
chance: before the write path serialised what must be, these rounds committed
cycles in about half of them and answered 500 to duplicate keys.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from sqlalchemy import create_engine, text

from tests.server.conftest import Cluster, statuses

CHOE = "choe-2024-11-01-until-the-day-of-victory"
ROUNDS = 6
CLIENTS = 8


def _no_server_error(responses: list[httpx.Response]) -> None:
    bad = [(r.status_code, r.text[:200]) for r in responses if r.status_code >= 500]
    assert not bad, bad


@contextmanager
def _pinging(cluster: Cluster) -> Iterator[list[float]]:
    """``/ping`` asked every 20 ms from a client of its own while the block runs; yields the times it took."""
    stop = threading.Event()
    pings: list[float] = []

    def ping() -> None:
        with cluster.client(timeout=10) as c:
            while not stop.is_set():
                start = time.monotonic()
                assert c.get("/ping").status_code == 200
                pings.append(time.monotonic() - start)
                time.sleep(0.02)

    watcher = threading.Thread(target=ping)
    watcher.start()
    try:
        yield pings
    finally:
        stop.set()
        watcher.join(timeout=30)


def _rendition(cluster: Cluster, c: httpx.Client, key: str, **extra: object) -> dict:
    body = {"key": key, "language": "en", "status": "attested", "text": f"Words of {key} for the record.", **extra}
    r = c.post(f"/api/quotes/{CHOE}/renditions", json=body, headers=cluster.editor)
    assert r.status_code == 201, r.text
    return r.json()


def test_same_rendition_key_one_winner_the_others_told_who_has_it(fx_cluster: Cluster) -> None:
    for round_ in range(ROUNDS):
        key = f"race-key-{round_}-{uuid.uuid4().hex[:6]}"
        body = {"key": key, "language": "en", "status": "attested", "text": f"The same key from everyone ({key})."}
        out = fx_cluster.race(CLIENTS, lambda c, i: c.post(f"/api/quotes/{CHOE}/renditions", json=body,
                                                            headers=fx_cluster.editor))
        _no_server_error(out)
        assert statuses(out) == [201] + [409] * (CLIENTS - 1)
        winner = next(r for r in out if r.status_code == 201).json()["id"]
        for r in out:
            if r.status_code == 409:
                assert r.json()["existing_id"] == winner and key in r.json()["detail"]


def test_same_words_under_different_keys_one_winner(fx_cluster: Cluster) -> None:
    """The same text pasted by several editors at once is recorded once; the others are told where it is."""
    for round_ in range(ROUNDS):
        text = f"Words pasted by everyone at once, round {round_} {uuid.uuid4().hex[:6]}."
        tag = uuid.uuid4().hex[:6]
        out = fx_cluster.race(CLIENTS, lambda c, i: c.post(
            f"/api/quotes/{CHOE}/renditions", headers=fx_cluster.editor,
            json={"key": f"same-{tag}-{i}", "language": "en", "status": "attested", "text": text}))
        _no_server_error(out)
        assert statuses(out) == [201] + [409] * (CLIENTS - 1)
        winner = next(r for r in out if r.status_code == 201).json()
        assert all(r.json()["existing_id"] == winner["id"] and f"'{winner['key']}'" in r.json()["detail"]
                   for r in out if r.status_code == 409)


def test_same_slug_one_winner(fx_cluster: Cluster) -> None:
    for round_ in range(ROUNDS):
        slug = f"race-slug-{round_}-{uuid.uuid4().hex[:8]}"
        body = {"slug": slug, "speaker": "Race Speaker", "original_language": "en",
                "renditions": [{"key": "en", "language": "en", "status": "attested", "text": "Raced words."}]}
        out = fx_cluster.race(CLIENTS, lambda c, i: c.post("/api/quotes", json=body, headers=fx_cluster.editor))
        _no_server_error(out)
        assert statuses(out) == [201] + [409] * (CLIENTS - 1)
        winner = next(r for r in out if r.status_code == 201).json()["id"]
        assert all(r.json()["existing_id"] == winner for r in out if r.status_code == 409)


def test_same_new_source_named_by_everyone_is_recorded_once(fx_cluster: Cluster) -> None:
    for round_ in range(ROUNDS):
        name = f"Race Wire {round_} {uuid.uuid4().hex[:6]}"
        tag = uuid.uuid4().hex[:6]

        def call(c: httpx.Client, i: int) -> httpx.Response:
            body = {"key": f"src-{tag}-{i}", "language": "en", "status": "attested", "text": f"Copy {i} of wire {tag}.",
                    "source": name, "source_kind": "agency"}
            return c.post(f"/api/quotes/{CHOE}/renditions", json=body, headers=fx_cluster.editor)

        out = fx_cluster.race(CLIENTS, call)
        _no_server_error(out)
        assert statuses(out) == [201] * CLIENTS  # every rendition is new...
        assert len({r.json()["source"]["id"] for r in out}) == 1  # ...and they share one source


def test_same_derivation_one_winner(fx_cluster: Cluster) -> None:
    with fx_cluster.client() as c:
        for round_ in range(ROUNDS):
            tag = uuid.uuid4().hex[:6]
            parent = _rendition(fx_cluster, c, f"d-parent-{tag}")
            child = _rendition(fx_cluster, c, f"d-child-{tag}")
            body = {"child_id": child["id"], "parent_id": parent["id"], "relation": "quotation"}
            out = fx_cluster.race(CLIENTS, lambda cl, i: cl.post("/api/derivations", json=body,
                                                                  headers=fx_cluster.editor))
            _no_server_error(out)
            assert statuses(out) == [201] + [409] * (CLIENTS - 1)


def test_same_gloss_one_winner(fx_cluster: Cluster) -> None:
    with fx_cluster.client() as c:
        for round_ in range(ROUNDS):
            target = _rendition(fx_cluster, c, f"g-{uuid.uuid4().hex[:6]}")
            body = {"language": "fr", "text": f"Les mots, tour {round_}.", "author": "desk"}
            out = fx_cluster.race(CLIENTS, lambda cl, i: cl.post(f"/api/renditions/{target['id']}/glosses",
                                                                  json=body, headers=fx_cluster.editor))
            _no_server_error(out)
            assert statuses(out) == [201] + [409] * (CLIENTS - 1)


def test_opposite_links_at_once_never_make_a_cycle(fx_cluster: Cluster) -> None:
    """A->B and B->A sent together by different clients: one is linked, the other refused as a cycle."""
    rounds = ROUNDS * 3
    with fx_cluster.client() as c:
        for _ in range(rounds):
            tag = uuid.uuid4().hex[:6]
            a = _rendition(fx_cluster, c, f"cyc-a-{tag}")
            b = _rendition(fx_cluster, c, f"cyc-b-{tag}")
            bodies = [{"child_id": a["id"], "parent_id": b["id"]}, {"child_id": b["id"], "parent_id": a["id"]}]
            out = fx_cluster.race(4, lambda cl, i: cl.post("/api/derivations", json=bodies[i % 2],
                                                           headers=fx_cluster.editor))
            _no_server_error(out)
            assert statuses(out) == [201, 409, 409, 409]
            kinds = Counter(r.json()["type"].rsplit("/", 1)[1] for r in out if r.status_code == 409)
            assert kinds["lineage-cycle"] >= 2  # the other direction is a cycle; the same direction a duplicate
    assert _cycles(fx_cluster) == []


def _cycles(cluster: Cluster) -> list[list[str]]:
    """Every cycle among the stored derivations (read straight from the database)."""
    engine = create_engine(cluster.url.replace("sqlite:///", "sqlite:///", 1))
    with engine.connect() as conn:
        edges = conn.execute(text("SELECT child_id, parent_id FROM derivation")).all()
    engine.dispose()
    parents: dict[str, list[str]] = {}
    for child, parent in edges:
        parents.setdefault(child, []).append(parent)
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for p in parents.get(node, []):
            if state.get(p) == 1:
                found.append(path[path.index(p):] + [p])
            elif p not in state:
                visit(p, path + [p])
        state[node] = 2

    for node in list(parents):
        if node not in state:
            visit(node, [node])
    return found


def test_analysis_beside_writes_never_stalls_ping(fx_cluster: Cluster) -> None:
    """Analyses and writes to the same quote at once, many times: /ping answers within a second throughout.

    Before, on PostgreSQL, an analysis then a gloss on the same worker hung the
    worker for good (the gloss waited on the event loop for a lock that the
    analysis could only release from the event loop).
    """
    results: list[httpx.Response] = []
    with _pinging(fx_cluster) as pings:
        for round_ in range(8):
            def call(c: httpx.Client, i: int) -> httpx.Response:
                if i % 2 == 0:
                    return c.post(f"/api/renditions/{CHOE}:lejdd-fr/analyze", headers=fx_cluster.editor)
                time.sleep(0.01)  # the write ~10 ms after the analysis, as in the report
                body = {"language": "de", "text": f"Wir bekräftigen, Runde {round_}, Client {i}.", "author": "desk"}
                return c.post(f"/api/renditions/{CHOE}:afp-en/glosses", json=body, headers=fx_cluster.editor)
            results += fx_cluster.race(6, call)
    _no_server_error(results)
    assert all(r.status_code in (200, 201) for r in results), [(r.status_code, r.text[:120]) for r in results]
    assert pings and max(pings) < 1.0, f"/ping took up to {max(pings):.2f} s"


def test_nothing_acknowledged_is_lost_and_the_log_verifies(fx_cluster: Cluster) -> None:
    """After every race: each rendition a client was told was created reads back, and the audit log verifies."""
    created: list[str] = []

    def call(c: httpx.Client, i: int) -> httpx.Response:
        key = f"ack-{uuid.uuid4().hex[:10]}"
        body = {"key": key, "language": "en", "status": "attested", "text": f"Acknowledged write {i} ({key})."}
        return c.post(f"/api/quotes/{CHOE}/renditions", json=body, headers=fx_cluster.editor)

    for _ in range(3):
        out = fx_cluster.race(CLIENTS, call)
        _no_server_error(out)
        created += [r.json()["id"] for r in out if r.status_code == 201]
    assert len(created) == 3 * CLIENTS
    with fx_cluster.client() as c:
        graph = c.get(f"/api/quotes/{CHOE}/graph").json()
        assert set(created) <= {n["id"] for n in graph["nodes"]}
        for rid in created[:5]:
            assert c.get(f"/api/renditions/{rid}/lineage").status_code == 200
        verdict = c.get("/api/audit/verify", headers=fx_cluster.admin).json()
    assert verdict["ok"], verdict["problems"][:5]




def test_the_same_article_accepted_at_once_is_recorded_once(fx_cluster: Cluster) -> None:
    """Several editors accept one article at the same moment: no 5xx, one publication, one quote per quotation."""
    for round_ in range(3):
        tag = uuid.uuid4().hex[:8]
        article = (f"“The pier {tag} will reopen in May after the repairs,” Harbour Master Lena Voss said. "
                   f"“We owe it {tag} to the fishermen,” she added, according to Reuters.")
        with fx_cluster.client() as c:
            proposal = c.post("/api/intake", json={"text": article, "outlet": f"Harbour Daily {tag}"})
            assert proposal.status_code == 200, proposal.text
        body = proposal.json()
        out = fx_cluster.race(4, lambda c, i: c.post("/api/intake/accept", json=body, headers=fx_cluster.editor))
        _no_server_error(out)
        # the first writes it; the others wait for the publication, then find every quotation anchored in it
        assert all(r.status_code == 201 for r in out), [(r.status_code, r.text[:200]) for r in out]
        assert len({tuple(r.json()["quotes"]) for r in out}) == 1
        engine = create_engine(fx_cluster.url)
        try:
            with engine.connect() as db:
                pubs = db.execute(text("SELECT count(*) FROM publication WHERE outlet = :o"),
                                  {"o": f"Harbour Daily {tag}"}).scalar_one()
                words = db.execute(text("SELECT count(*) FROM rendition WHERE text LIKE :t"),
                                   {"t": f"%The pier {tag}%"}).scalar_one()
        finally:
            engine.dispose()
        assert pubs == 1
        assert words == 1, f"round {round_}: the quotation was recorded {words} times"


def test_reading_long_articles_never_stalls_ping(fx_cluster: Cluster) -> None:
    """Several long articles read at once (about a second of CPU each): /ping answers within a second."""
    paragraph = ("“We will keep the harbour open through the winter,” Harbour Master Lena Voss said on Monday, "
                 "according to Reuters. The council, she added, had “no other choice”.\n\n")
    article = "".join(paragraph.replace("Monday", f"day {i}") for i in range(450))  # 900 quotations, ~75 KB
    with _pinging(fx_cluster) as pings:
        out = fx_cluster.race(3, lambda c, i: c.post("/api/intake", json={"text": article}, timeout=120))
    _no_server_error(out)
    assert all(r.status_code == 200 for r in out), [(r.status_code, r.text[:200]) for r in out]
    assert len(out[0].json()["quotes"]) > 500
    assert pings and max(pings) < 1.0, f"/ping took up to {max(pings):.2f} s"
