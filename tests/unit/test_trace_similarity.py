"""Trace's fuzzy score: tolerant of truncation and edits, and bounded for long texts."""

from __future__ import annotations

import random

from provenance.trace import PARTIAL_CHARS, similarity

QUOTE = "We repeat that we will always stand firmly by our Russian comrades until the day of victory."


def test_a_truncated_or_lightly_edited_quote_scores_high_and_another_low() -> None:
    assert similarity("stand firmly by our Russian comrades until the day", QUOTE) >= 0.9
    assert similarity("We repeat that we will always stand firmly by our Russian comrades until victory day.", QUOTE) >= 0.8
    assert similarity("The weather in Moscow was cold and grey on Friday.", QUOTE) < 0.6


def test_long_texts_are_compared_by_their_opening_window_and_all_their_words() -> None:
    """Two 20,000-character texts: rapidfuzz's window search alone took 42 s on these; it now sees the first
    PARTIAL_CHARS characters of the shorter one, so the answer comes back at once and still tells them apart."""
    words = QUOTE.lower().rstrip(".").split()
    rnd = random.Random(7)
    article = " ".join(rnd.choice(words) for _ in range(5_000))[:20_000]
    same_opening = article[:PARTIAL_CHARS] + " " + " ".join(rnd.choice(words) for _ in range(5_000))
    assert len(article) == 20_000 and len(same_opening) > 20_000
    assert similarity("0" * 20_000, "0" * 20_000) == 1.0
    assert similarity(same_opening[:20_000], article) >= 0.95  # same opening, same vocabulary
    unrelated = " ".join(rnd.choice(["weather", "cold", "grey", "moscow", "friday"]) for _ in range(4_000))[:20_000]
    assert similarity(unrelated, article) < 0.6
