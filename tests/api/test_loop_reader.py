"""The stored answers read on the event loop: a connection of its own, opened in a thread, dropped on failure."""

from __future__ import annotations

import asyncio

from api.db import Database
from provenance import answers, trace

CHOE = "choe-2024-11-01-until-the-day-of-victory"


def test_the_loop_reader_answers_then_falls_back_to_a_thread_when_its_connection_fails(fx_seeded) -> None:
    db = Database(fx_seeded.settings)

    async def run() -> tuple[bytes, bytes | None, bytes, bool]:
        first = await db.stored(lambda s: answers.stored_graph(s, CHOE), lambda s: answers.graph_json(s, CHOE))
        assert db.loop_reader._connection is not None  # opened, in a thread, after the first answer
        on_loop = db.loop_reader.lookup(lambda s: answers.stored_graph(s, CHOE))
        db.loop_reader._connection.close()  # the connection breaks (a restarted server, a dropped socket)
        again = await db.stored(lambda s: answers.stored_graph(s, CHOE), lambda s: answers.graph_json(s, CHOE))
        return first, on_loop, again, db.loop_reader._connection is not None

    try:
        first, on_loop, again, reopened = asyncio.run(run())
    finally:
        db.dispose()
    assert on_loop == first and again == first  # the same bytes by either path
    assert reopened  # the failed connection was dropped and a new one opened


def test_searches_wait_their_turn_in_one_thread_only_where_nothing_of_theirs_waits(fx_seeded) -> None:
    """SQLite with no translation service: one search thread (they only contend for the interpreter);
    PostgreSQL or a translation service: the reads' threads, so one waiting search holds up no other."""
    import dataclasses

    from api.db import READ_THREADS, SEARCH_THREADS

    plain = Database(fx_seeded.settings)
    translated = Database(dataclasses.replace(fx_seeded.settings, translator="libre", translator_key="k",
                                              translator_url="http://127.0.0.1:9"))
    try:
        sqlite = plain.engine.dialect.name == "sqlite"
        assert plain._searches.total_tokens == (SEARCH_THREADS if sqlite else READ_THREADS)
        assert translated._searches.total_tokens == READ_THREADS
        result = asyncio.run(plain.search(lambda s: trace.trace(s, text="stand firmly by our Russian comrades")))
        assert result["verdict"] == "match"
    finally:
        plain.dispose()
        translated.dispose()
