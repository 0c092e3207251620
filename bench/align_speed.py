"""Time align() on quote-length hops (about 40 words): the hop analysis must reach 1,000 hops/s on one core.

Run: .venv/bin/python bench/align_speed.py [hops]
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable

from provenance.align import align
from provenance.align.segment import segment_cached
from provenance.align.tokens import tokenize_cached

# Sentences of the seed article (lejdd.fr, republished in English) and the quote itself.
ARTICLE = (
    "In a recent meeting with Russian Foreign Minister Sergei Lavrov, North Korea's Foreign Minister Choe Son Hui "
    "declared North Korea's unwavering support for Russia's actions in Ukraine, fueling further concerns for Kyiv. "
    "According to an AFP report based on a Russian translation of her remarks, Choe stated, “We reaffirm that we "
    "will always stand firmly by our Russian comrades until the day of victory.” Choe's comments come as Russia "
    "continues its invasion of Ukraine, which Moscow claims is necessary to counter NATO's expansion and to "
    "“denazify” Ukraine. She expressed confidence in Russia's success, stating that “there is no doubt the Russian "
    "army and people will achieve a great victory.” Lavrov, in turn, praised the “very close contacts” established "
    "between Moscow's military and security forces and those of Pyongyang. He also expressed Russia's “gratitude for "
    "North Korea's principled stance.” The two nations' alliance has grown stronger in recent months. In June, North "
    "Korea and Russia signed a strategic partnership agreement, marking a significant step in their cooperation. "
    "North Korea is also suspected of supplying large quantities of artillery shells and hundreds of missiles to "
    "Russia, aiding its ongoing military efforts. South Korean intelligence services recently reported that North "
    "Korea has sent an additional 1,500 troops to eastern Russia, bringing the total number of North Korean forces "
    "in Russia to around 3,000. U.S. officials claim to have “concrete evidence” that these troops are stationed at "
    "Russian military bases, suggesting they could potentially be deployed in Ukraine in the future."
)

WORDS = (
    "we repeat reaffirm that will always stand firmly by our Russian comrades until the day of victory "
    "there is no doubt army and people achieve a great very close contacts gratitude for principled stance "
    "North Korea Moscow Pyongyang troops 1,500 3.5 strongly denied"
).split()


REPEATS = 3


def _quote(rng: random.Random, words: int) -> str:
    out, count = [], 0
    while count < words:
        n = rng.randint(10, 22)
        sentence = " ".join(rng.choice(WORDS) for _ in range(n))
        out.append(sentence[0].upper() + sentence[1:] + ".")
        count += n
    return " ".join(out)


def _mutate(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    for _ in range(rng.randint(1, 4)):
        k = rng.randrange(len(words))
        action = rng.random()
        if action < 0.4:
            words[k] = rng.choice(WORDS)
        elif action < 0.7 and len(words) > 5:
            del words[k]
        else:
            words.insert(k, rng.choice(WORDS))
    return " ".join(words)


def _article_quote(rng: random.Random, sentences: list[str], words: int) -> str:
    """Consecutive article sentences from a random start until about ``words`` words."""
    k = rng.randrange(len(sentences))
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        out.append(sentences[k % len(sentences)])
        k += 1
    return " ".join(out)


def main(hops: int = 2000) -> None:
    from provenance.align import segment

    rng = random.Random(1)
    sentences = [s.text for s in segment(ARTICLE, "en")]
    for label, make in (
        ("article sentences", lambda: _article_quote(rng, sentences, 30)),
        ("synthetic, 2-4 short sentences", lambda: _quote(rng, 40)),
    ):
        pairs = []
        for _ in range(hops):
            parent = make()
            pairs.append((parent, _mutate(rng, parent)))
        words = sum(len(p.split()) for p, _ in pairs) / hops
        print(f"-- {label}: {words:.0f} words per parent on average")
        _time(pairs, hops)
    # A chain: each child is the next hop's parent, as in real lineages, so the per-text caches are used.
    chain = [_article_quote(rng, sentences, 30)]
    for _ in range(hops):
        chain.append(_mutate(rng, chain[-1]) if rng.random() < 0.8 else _article_quote(rng, sentences, 30))
    print("-- chains of article sentences (each text aligned as child, then as parent)")
    hops_in_chain = list(zip(chain, chain[1:]))
    elapsed = _best_of(
        REPEATS, lambda: [align(p, c, parent_language="en", child_language="en") for p, c in hops_in_chain] and None
    )
    _report("same-language", elapsed, hops)


def _best_of(repeats: int, work: Callable[[], None]) -> float:
    """Fastest of a few runs: the machine is shared, and the minimum is the least disturbed figure."""
    best = float("inf")
    for _ in range(repeats):
        segment_cached.cache_clear()  # cold: every text is new to the caches
        tokenize_cached.cache_clear()
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def _report(name: str, elapsed: float, hops: int) -> None:
    print(f"{name:20s} {elapsed / hops * 1e3:.3f} ms/hop  {hops / elapsed:,.0f} hops/s  ({hops} hops, best of {REPEATS})")


def _time(pairs: list[tuple[str, str]], hops: int) -> None:
    kinds = {
        "same-language": lambda p, c: align(p, c, parent_language="en", child_language="en"),
        "via pivots": lambda p, c: align(p, c, parent_language="fr", child_language="ru", parent_pivot=p, child_pivot=c),
        "length (no pivots)": lambda p, c: align(p, c, parent_language="ko", child_language="en"),
    }
    for name, run in kinds.items():
        _report(name, _best_of(REPEATS, lambda: [run(p, c) for p, c in pairs] and None), hops)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
