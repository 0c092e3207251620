"""Throughput of analyze_hop on synthetic quote-length hops, with a per-stage breakdown.

Usage: ``python bench/analysis.py [N ...]`` (default: 1000 10000).

Each hop is about 40 words, in one of several languages, with English glosses
as pivot texts where the languages differ; about half carry a drift (a dropped
clause, a changed number, a hedge, a swapped reporting verb). The figures:
hops per second for each N, the ratio of time per hop between the largest and
the smallest N (about 1.0 means linear), and seconds per stage (align, context,
each check) with the slowest named. Target: >= 1,000 hops/s on one core.

First, measured in the same run: the time per hop of the full analysis against
sacrebleu's sentence chrF on the same texts, on the synthetic hops and on every
hop of the real labelled set; the ratio must stay at most 3.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from provenance.drift import analyze_hop  # noqa: E402
from provenance.drift.types import Hop  # noqa: E402

TARGET_HOPS_PER_SECOND = 1000.0

# (language, sentence, English gloss) building blocks; {n} is a number, {who} a name.
_BLOCKS = {
    "en": [
        ("We {verb} that we will always stand firmly by our Russian comrades until the day of victory.", None),
        ("North Korea has sent an additional {n} troops to eastern Russia, officials said.", None),
        ("There is no doubt the Russian army and people will achieve a great victory under the wise leadership of {who}.", None),
        ("The troops could be deployed in Ukraine in the coming weeks, according to intelligence services.", None),
    ],
    "fr": [
        ("Nous {verb} que nous serons toujours fermement aux côtés de nos camarades russes jusqu'au jour de la victoire.",
         "We {verb_en} that we will always be firmly at the side of our Russian comrades until the day of victory."),
        ("La Corée du Nord a envoyé {n} soldats supplémentaires dans l'est de la Russie, selon des responsables.",
         "North Korea has sent {n} additional soldiers to the east of Russia, according to officials."),
        ("Il ne fait aucun doute que l'armée et le peuple russes remporteront une grande victoire sous la direction de {who}.",
         "There is no doubt that the Russian army and people will win a great victory under the leadership of {who}."),
    ],
    "ru": [
        ("Мы {verb} что всегда будем твёрдо стоять рядом с нашими российскими товарищами до дня победы.",
         "We {verb_en} that we will always stand firmly beside our Russian comrades until the day of victory."),
        ("По данным разведки, КНДР направила в Россию ещё {n} военнослужащих.",
         "According to intelligence, the DPRK has sent another {n} servicemen to Russia."),
        ("Нет сомнений, что под мудрым руководством {who} российская армия и народ одержат великую победу.",
         "There is no doubt that under the wise leadership of {who} the Russian army and people will win a great victory."),
    ],
    "ko": [
        ("우리는 승리의 날까지 언제나 러시아 동지들과 함께 굳건히 서 있을 것입니다.",
         "We will always stand firmly together with our Russian comrades until the day of victory."),
        ("북한은 {n}명의 병력을 러시아에 추가로 파견했다고 정보 당국이 밝혔다.",
         "North Korea has additionally dispatched {n} troops to Russia, the intelligence authorities said."),
        ("{who} 동지의 현명한 령도 밑에 러시아 군대와 인민은 반드시 위대한 승리를 이룩할 것입니다.",
         "Under the wise leadership of Comrade {who}, the Russian army and people will surely achieve a great victory."),
    ],
    "de": [
        ("Nordkorea hat weitere {n} Soldaten in den Osten Russlands geschickt, sagten Beamte.",
         "North Korea has sent a further {n} soldiers to the east of Russia, officials said."),
        ("Die Truppen könnten in den kommenden Wochen in der Ukraine eingesetzt werden.",
         "The troops could be deployed in Ukraine in the coming weeks."),
        ("Wir {verb}, dass wir immer fest an der Seite unserer russischen Genossen stehen werden.",
         "We {verb_en} that we will always stand firmly at the side of our Russian comrades."),
    ],
    "es": [
        ("Corea del Norte presuntamente suministró {n} misiles a Rusia, según fuentes oficiales.",
         "North Korea allegedly supplied {n} missiles to Russia, according to official sources."),
        ("No cabe duda de que el ejército y el pueblo rusos lograrán una gran victoria bajo el liderazgo de {who}.",
         "There is no doubt that the Russian army and people will achieve a great victory under the leadership of {who}."),
        ("Las tropas podrían ser desplegadas en Ucrania en las próximas semanas.",
         "The troops could be deployed in Ukraine in the coming weeks."),
    ],
}
_VERBS = {"en": ("repeat", "reaffirm"), "fr": ("répétons", "réaffirmons"), "ru": ("повторяем,", "подтверждаем,"),
          "de": ("wiederholen", "bekräftigen"), "es": ("repetimos", "reafirmamos"), "ko": ("", "")}
_NAMES = {"en": ["Comrade Putin", "Kim Jong Un"], "fr": ["Poutine", "Kim Jong-un"], "ru": ["товарища Путина", "Ким Чен Ына"],
          "ko": ["푸틴", "김정은"], "de": ["Putin", "Kim Jong-un"], "es": ["Putin", "Kim Jong-un"]}
_NAMES_EN = {"Comrade Putin": "Comrade Putin", "Kim Jong Un": "Kim Jong Un", "Poutine": "Putin", "Kim Jong-un": "Kim Jong-un",
             "товарища Путина": "Comrade Putin", "Ким Чен Ына": "Kim Jong Un", "푸틴": "Putin", "김정은": "Kim Jong Un", "Putin": "Putin"}


def _render(lang: str, rng: random.Random, *, n: int, verb_i: int, who_i: int, k: int) -> tuple[str, str | None]:
    blocks = _BLOCKS[lang]
    picked = [blocks[(k + j) % len(blocks)] for j in range(3)]
    who = _NAMES[lang][who_i]
    verb = _VERBS[lang][verb_i]
    verb_en = _VERBS["en"][verb_i]
    text = " ".join(b[0] for b in picked).format(n=f"{n:,}", who=who, verb=verb)
    gloss = None if lang == "en" else " ".join(b[1] or b[0] for b in picked).format(n=f"{n:,}", who=_NAMES_EN[who], verb_en=verb_en)
    return text, gloss


def make_hops(count: int, seed: int = 7) -> list[Hop]:
    """``count`` synthetic hops over several language pairs, half of them with a drift."""
    rng = random.Random(seed)
    langs = list(_BLOCKS)
    hops = []
    for i in range(count):
        pl, cl = rng.choice(langs), rng.choice(langs)
        k = rng.randrange(3)
        n = rng.randrange(100, 100_000)  # texts mostly unique: no cache can flatter the figures
        parent, p_gloss = _render(pl, rng, n=n, verb_i=0, who_i=0, k=k)
        drift = rng.random() < 0.5
        child, c_gloss = _render(
            cl, rng, n=(n * 2 if drift and i % 3 == 0 else n), verb_i=1 if drift and i % 3 == 1 else 0,
            who_i=1 if drift and i % 3 == 2 else 0, k=k,
        )
        if drift and i % 4 == 0:  # drop the last sentence
            child = child.rsplit(".", 2)[0] + "."
            if c_gloss:
                c_gloss = c_gloss.rsplit(".", 2)[0] + "."
        same = pl == cl
        p_piv = None if same else (p_gloss if p_gloss is not None else parent)
        c_piv = None if same else (c_gloss if c_gloss is not None else child)
        hops.append(Hop(parent, child, pl, cl, p_piv, c_piv, "en",
                        "according to an AFP report based on a Russian translation", "selon l'AFP" if drift else
                        "according to a Russian translation cited by AFP"))
    return hops


def warm_up() -> None:
    """Load word lists and lemmatiser dictionaries outside the timing, for every language of the bench.

    Fifty random hops can miss a same-language pair (French in the default
    seed), whose dictionary would then load inside the timing: about 0.2 s,
    a fifth of the N=1,000 figure.
    """
    for hop in make_hops(50, seed=1):
        analyze_hop(hop)
    for lang in _BLOCKS:
        text, _ = _render(lang, random.Random(0), n=1234, verb_i=0, who_i=0, k=0)
        analyze_hop(Hop(text, text, lang, lang, None, None, "en"))


def run(count: int) -> tuple[float, dict[str, float], int]:
    hops = make_hops(count)
    warm_up()
    timings: dict[str, float] = {}
    findings = 0
    start = time.perf_counter()
    for hop in hops:
        findings += len(analyze_hop(hop, timings=timings).findings)
    elapsed = time.perf_counter() - start
    return elapsed, timings, findings


def real_hops() -> list[Hop]:
    """Every hop of the real labelled set (dev and blind), as bench/real_score.py builds them."""
    sys.path.insert(0, str(ROOT / "bench"))
    import real_score

    return [rh.hop() for rh in real_score.hops_of(real_score.load_cases(real_score.REAL))]


def against_chrf(hops: list[Hop], rounds: int = 5) -> tuple[float, float]:
    """Seconds per hop of the full analysis and of sacrebleu's sentence chrF on the same texts
    (the compared texts: glosses through a pivot, the originals otherwise), best of ``rounds``, the two
    timed in turn in each round: on a shared machine one run's ratio moved from 2.75 to 3.73 with three
    rounds, as other work came and went."""
    from sacrebleu.metrics import CHRF

    metric = CHRF()
    pairs = [((h.child_pivot if h.child_pivot is not None else h.child_text),
              (h.parent_pivot if h.parent_pivot is not None else h.parent_text)) for h in hops]
    for hop in hops[:20]:
        analyze_hop(hop)
    best_a = best_c = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for hop in hops:
            analyze_hop(hop)
        t1 = time.perf_counter()
        for child, parent in pairs:
            metric.sentence_score(child, [parent])
        t2 = time.perf_counter()
        best_a, best_c = min(best_a, (t1 - t0) / len(hops)), min(best_c, (t2 - t1) / len(hops))
    return best_a, best_c


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1000, 10000]
    for title, hops in (("synthetic, 1,000 hops", make_hops(1000)), ("real set, every hop", real_hops())):
        a, c = against_chrf(hops)
        print(f"{title}: analysis {a * 1e3:.3f} ms/hop, sacrebleu sentence chrF {c * 1e3:.3f} ms/hop, "
              f"ratio {a / c:.2f} (must stay <= 3)")
    per_hop: dict[int, float] = {}
    last_timings: dict[str, float] = {}
    for n in sizes:
        elapsed, timings, findings = run(n)
        per_hop[n] = elapsed / n
        last_timings = timings
        print(f"N={n:>6}: {elapsed:7.2f} s, {n / elapsed:8.0f} hops/s, {elapsed / n * 1e3:6.3f} ms/hop, {findings / n:.2f} findings/hop")
    if len(sizes) > 1:
        lo, hi = min(sizes), max(sizes)
        print(f"time per hop N={hi} / N={lo}: {per_hop[hi] / per_hop[lo]:.2f} (1.00 = linear)")
    total = sum(last_timings.values())
    print(f"stages (N={sizes[-1]}), seconds and share:")
    for stage, secs in sorted(last_timings.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:32} {secs:7.3f}  {secs / total:6.1%}")
    slowest = max(last_timings, key=last_timings.get)  # type: ignore[arg-type]
    print(f"slowest stage: {slowest}")
    rate = 1 / per_hop[sizes[-1]]
    print(f"target >= {TARGET_HOPS_PER_SECOND:.0f} hops/s: {'met' if rate >= TARGET_HOPS_PER_SECOND else 'NOT met'} ({rate:.0f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
