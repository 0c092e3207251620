"""Alignment: known answers on real renditions of the Choe Son Hui quote, and invariants as properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import CHRF

from provenance.align import (
    CHRF_SIGNATURE,
    NO_COMPARISON_NOTE,
    Alignment,
    align,
    chrf,
    coverage,
    length_ratio,
    same_language,
    token_ops,
    tokenize,
)
from provenance.align.similarity import pairwise_chrf

PARENT_EN = "We repeat that we will always stand firmly by our Russian comrades until the day of victory."
CHILD_EN = "We reaffirm that we will always stand firmly by our Russian comrades until the day of victory."
QUOTE_KO = "우리는 승리의 날까지 언제나 로씨야 동지들의 곁에 굳건히 서있을 것이라는 것을 다시금 확언합니다."
QUOTE_RU = "Мы подтверждаем, что всегда будем твёрдо стоять рядом с нашими российскими товарищами до дня Победы."
QUOTE_FR = "« Nous réaffirmons que nous serons toujours fermement aux côtés de nos camarades russes jusqu'au jour de la victoire. »"

CHRF_PAIRS = [
    (CHILD_EN, PARENT_EN),
    (PARENT_EN, CHILD_EN),
    ("We will always stand by Russia until victory day.", PARENT_EN),
    (QUOTE_RU, "Мы всегда будем твёрдо стоять рядом с российскими товарищами до дня победы."),
    (QUOTE_FR, "Nous serons toujours aux côtés de nos camarades russes jusqu'à la victoire."),
    (QUOTE_KO, "우리는 승리의 날까지 항상 러시아 동지들의 곁에 굳건히 서 있을 것이다."),
    ("我们将永远坚定地站在俄罗斯同志一边，直到胜利之日。", "我们永远和俄罗斯同志站在一起。"),
    ("私たちは勝利の日まで常にロシアの同志のそばに立つ。", "私たちはロシアの同志と共に立つ。"),
    ("Wir werden immer fest an der Seite unserer russischen Genossen stehen.", "Wir stehen an der Seite Russlands."),
    ("aaa aaa aaa", "aa"),
    ("", "abc"),
    ("abc", ""),
    ("x", "y"),
]


@pytest.mark.parametrize(("hypothesis_text", "reference"), CHRF_PAIRS)
def test_chrf_agrees_with_sacrebleu(hypothesis_text: str, reference: str) -> None:
    expected = CHRF().sentence_score(hypothesis_text, [reference]).score / 100
    assert chrf(hypothesis_text, reference) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("copies", [1, 3])  # 7 pieces use the adjacent-entry path, 21 the sort-merge join
def test_pairwise_chrf_equals_one_pair_at_a_time(copies: int) -> None:
    parents = [PARENT_EN, "Russia will win.", "", QUOTE_KO] * copies
    children = [CHILD_EN, "Russia wins the war, and we will always stand firmly by it.", "a a a"] * copies
    forward, backward = pairwise_chrf(parents, children)
    for i, parent in enumerate(parents):
        for j, child in enumerate(children):
            assert forward[i][j] == pytest.approx(chrf(child, parent), abs=1e-12)
            assert backward[i][j] == pytest.approx(chrf(parent, child), abs=1e-12)


def test_chrf_signature_names_metric_and_parameters() -> None:
    for part in ("chrF2", "nc:6", "nw:0", "space:no", "case:mixed"):
        assert part in CHRF_SIGNATURE


def test_one_changed_reporting_verb_is_one_replace_op_with_offsets() -> None:
    alignment = align(PARENT_EN, CHILD_EN, parent_language="en", child_language="en")
    assert alignment.method == "similarity-dp"
    assert [b.kind for b in alignment.beads] == ["1-1"]
    changed = [op for b in alignment.beads for op in b.ops if op.op != "equal"]
    assert len(changed) == 1
    op = changed[0]
    assert (op.op, op.parent_text, op.child_text) == ("replace", "repeat", "reaffirm")
    assert op.parent_span == (3, 9) and op.child_span == (3, 11)
    assert op.parent_pivot_span == op.parent_span and op.child_pivot_span == op.child_span
    assert 0.85 < alignment.beads[0].score < 1.0
    assert alignment.signature


def test_dropped_sentence_is_a_1_0_bead_anchored_in_the_child() -> None:
    parent = PARENT_EN + " There is no doubt the Russian army and people will achieve a great victory."
    alignment = align(parent, CHILD_EN, parent_language="en", child_language="en-GB")
    assert [b.kind for b in alignment.beads] == ["1-1", "1-0"]
    dropped = alignment.beads[1]
    assert parent[slice(*dropped.parent_span)].startswith("There is no doubt")
    assert dropped.child_span == (len(CHILD_EN), len(CHILD_EN))
    assert dropped.score == 0.0
    assert [op.op for op in dropped.ops] == ["delete"]
    assert coverage(alignment) < 0.6


def test_added_sentence_is_a_0_1_bead() -> None:
    child = "Choe spoke in Moscow. " + CHILD_EN
    alignment = align(PARENT_EN, child, parent_language="en", child_language="en")
    assert [b.kind for b in alignment.beads] == ["0-1", "1-1"]
    assert alignment.beads[0].parent_span == (0, 0)
    assert [op.op for op in alignment.beads[0].ops] == ["insert"]


def test_two_sentences_merged_into_one_is_a_2_1_bead() -> None:
    parent = "We repeat our support for Russia. The Russian army will achieve a great victory."
    child = "We repeat our support for Russia, whose army will achieve a great victory."
    alignment = align(parent, child, parent_language="en", child_language="en")
    assert [b.kind for b in alignment.beads] == ["2-1"]
    assert alignment.beads[0].parent_span == (0, len(parent))


def test_one_sentence_split_in_two_is_a_1_2_bead() -> None:
    parent = "Choe declared unwavering support for Russia and praised its army for its courage in the war."
    child = "Choe declared unwavering support for Russia. She praised its army for its courage in the war."
    alignment = align(parent, child, parent_language="en", child_language="en")
    assert [b.kind for b in alignment.beads] == ["1-2"]


def test_orphans_that_say_the_same_things_are_rejoined_into_one_bead() -> None:
    # Two translations cut one remark differently; no 1-1, 2-1 or 1-2 pair scores enough by characters,
    # but the orphans share the remark's words, so they are compared word by word, not dropped and added.
    parent = ("The Workers' Party chairman claimed through his traditional broadcast at about 9:30 a.m. on the "
              "first: “[you] must know clearly that it is a reality, not a threat, that the nuclear button is "
              "always placed on the desk of my office”.")
    child = ("In his annual address on Monday, Kim warned that he has a nuclear button on his desk. "
             "The Americans, he said, must realize this is not blackmail, but reality.")
    alignment = align(parent, child, parent_language="en", child_language="en")
    assert [b.kind for b in alignment.beads] == ["1-2"]
    unrelated = "The weather in Paris was lovely on Monday. Markets closed higher after a quiet session."
    alignment = align(parent, unrelated, parent_language="en", child_language="en")
    assert sorted(b.kind for b in alignment.beads) == ["0-1", "0-1", "1-0"]  # nothing shared: still dropped and added


def test_sentences_keep_their_order_when_the_middle_one_changes() -> None:
    parent = "Lavrov praised the very close contacts. Choe expressed confidence. He thanked Pyongyang."
    child = "Lavrov praised the close contacts. Choe voiced total confidence in Russia's success. He thanked Pyongyang."
    alignment = align(parent, child, parent_language="en", child_language="en")
    assert [b.kind for b in alignment.beads] == ["1-1", "1-1", "1-1"]
    assert [b.parent_sentences for b in alignment.beads] == [(0,), (1,), (2,)]


def test_korean_and_english_without_pivots_fall_back_to_length() -> None:
    english = "We reaffirm our support. We will stand by our Russian comrades until the day of victory."
    korean = "우리는 지지를 재확인합니다. 우리는 승리의 날까지 러시아 동지들의 곁에 서 있을 것입니다."
    alignment = align(korean, english, parent_language="ko", child_language="en")
    assert alignment.method == "length-gale-church"
    assert NO_COMPARISON_NOTE in alignment.notes
    assert [b.kind for b in alignment.beads] == ["1-1", "1-1"]
    assert all(b.ops == () and b.parent_pivot_span is None and b.child_pivot_span is None for b in alignment.beads)
    assert math.isnan(coverage(alignment))


def test_pivots_are_compared_and_spans_point_into_both_texts() -> None:
    korean = "우리는 지지를 재확인합니다. 우리는 승리의 날까지 러시아 동지들의 곁에 서 있을 것입니다."
    russian = "Мы подтверждаем нашу поддержку. Мы будем рядом с российскими товарищами до дня Победы."
    korean_gloss = "We reaffirm our support. We will stand by our Russian comrades until the day of victory."
    russian_gloss = "We confirm our support. We will be beside our Russian comrades until Victory Day."
    alignment = align(
        korean, russian, parent_language="ko", child_language="ru", parent_pivot=korean_gloss, child_pivot=russian_gloss
    )
    assert alignment.method == "similarity-dp"
    assert [b.kind for b in alignment.beads] == ["1-1", "1-1"]
    first = alignment.beads[0]
    assert korean[slice(*first.parent_span)] == "우리는 지지를 재확인합니다."
    assert russian[slice(*first.child_span)] == "Мы подтверждаем нашу поддержку."
    replace = [op for op in first.ops if op.op == "replace"]
    assert [(op.parent_text, op.child_text) for op in replace] == [("reaffirm", "confirm")]
    assert korean_gloss[slice(*replace[0].parent_pivot_span)] == "reaffirm"
    assert replace[0].parent_span == first.parent_span  # sentence precision in the original


def test_pivot_with_a_different_sentence_count_maps_by_position() -> None:
    korean = "우리는 지지를 재확인하며 승리의 날까지 러시아 동지들의 곁에 서 있을 것입니다."
    gloss = "We reaffirm our support. We will stand by our Russian comrades until the day of victory."
    alignment = align(korean, gloss, parent_language="ko", child_language="en", parent_pivot=gloss, child_pivot=gloss)
    assert any("mapped by position" in note for note in alignment.notes)
    assert [b.kind for b in alignment.beads] == ["1-1", "1-1"]
    assert all(b.parent_span == (0, len(korean)) for b in alignment.beads)


@pytest.mark.parametrize(
    ("parent", "child"),
    [
        ("North Korea sent 1,500 troops.", "North Korea sent 1 500 troops."),
        ("North Korea sent 1,500 troops.", "North Korea sent 1.500 troops."),
        ("It is 3,5 km.", "It is 3.5 km."),
        ("Il a dit « unfounded rumors ».", "il a dit “unfounded rumors”."),
        ("우리는 승리할 것이다.", "우리가 승리할 것이다."),
        ("Ещё одна победа.", "Еще одна победа."),
    ],
)
def test_normalisation_makes_equivalent_spellings_equal(parent: str, child: str) -> None:
    assert {op.op for op in token_ops(parent, child)} == {"equal"}


def test_tokens_keep_numbers_whole_and_punctuation_separate() -> None:
    tokens = tokenize("U.S. sent 1,500 troops, about 3.5%; 2024 500.")
    assert [t.text for t in tokens] == ["U", ".", "S", ".", "sent", "1,500", "troops", ",", "about", "3.5", "%", ";", "2024", "500", "."]
    assert [t.key for t in tokens if t.text in {"1,500", "3.5"}] == ["1500", "3.5"]
    assert [t.text for t in tokenize("俄罗斯同志")] == list("俄罗斯同志")


def test_token_ops_on_number_change_points_at_the_number() -> None:
    ops = token_ops("sent an additional 1,500 troops", "sent 3,000 troops")
    changed = [op for op in ops if op.op != "equal"]
    assert [(op.op, op.parent_text, op.child_text, op.child_span) for op in changed] == [
        ("replace", "an additional 1,500", "3,000", (5, 10))
    ]


def test_coverage_and_length_ratio_known_answers() -> None:
    alignment = align(PARENT_EN, CHILD_EN, parent_language="en", child_language="en")
    words = PARENT_EN.rstrip(".").split()
    assert coverage(alignment) == pytest.approx((sum(map(len, words)) - len("repeat")) / sum(map(len, words)))
    assert length_ratio(alignment) == pytest.approx(len(CHILD_EN.replace(" ", "")) / len(PARENT_EN.replace(" ", "")))
    identical = align(PARENT_EN, PARENT_EN, parent_language="en", child_language="en")
    assert coverage(identical) == 1.0 and length_ratio(identical) == 1.0


@pytest.mark.parametrize(
    ("a", "b", "expected"), [("en-GB", "en", True), ("ko", "ko-KP", True), ("zh_Hant", "zh-Hans", True), ("en", "fr", False), ("und", "und", False), ("", "", False)]
)
def test_same_language_compares_base_subtags(a: str, b: str, expected: bool) -> None:
    assert same_language(a, b) is expected


def test_empty_texts_align_to_nothing() -> None:
    assert align("", "", parent_language="en", child_language="en").beads == ()
    only_parent = align(PARENT_EN, "", parent_language="en", child_language="en")
    assert [b.kind for b in only_parent.beads] == ["1-0"]
    assert only_parent.beads[0].child_span == (0, 0)


# ---- properties ---------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    ["We", "repeat", "reaffirm", "Russia", "victory", "1,500", "3.5", "U.S.", "«", "»", "“", "”", ". ", "! ", "? ",
     "우리는", "승리", "다.", "Мы", "победы", "г.", "。", "我们", "胜利", "\n", " ", " ", " ", ",", "…"]
)
_TEXTS = st.lists(_PIECES, max_size=40).map(" ".join)


def _check_alignment(alignment: Alignment, parent: str, child: str, parent_cmp: str | None, child_cmp: str | None) -> None:
    # every sentence exactly once, in order, on both sides (pivot sentences when the pivots were compared)
    compared = alignment.method == "similarity-dp"
    parents = alignment.parent_pivot_sentences if compared else alignment.parent_sentences
    children = alignment.child_pivot_sentences if compared else alignment.child_sentences
    assert [i for b in alignment.beads for i in b.parent_sentences] == list(range(len(parents)))
    assert [j for b in alignment.beads for j in b.child_sentences] == list(range(len(children)))
    for bead in alignment.beads:
        assert bead.kind in {"1-1", "1-0", "0-1", "2-1", "1-2"} or (bead.parent_sentences and bead.child_sentences)
        assert 0.0 <= bead.score <= 1.0
        for span, text in ((bead.parent_span, parent), (bead.child_span, child)):
            assert span is not None and 0 <= span[0] <= span[1] <= len(text)
        for op in bead.ops:
            assert op.op in {"equal", "delete", "insert", "replace"}
            assert parent_cmp is not None and child_cmp is not None
            assert parent_cmp[slice(*op.parent_pivot_span)] == op.parent_text
            assert child_cmp[slice(*op.child_pivot_span)] == op.child_text
            assert (op.op == "insert") == (op.parent_text == "") and (op.op == "delete") == (op.child_text == "")
            if op.op == "equal":
                assert [t.key for t in tokenize(op.parent_text)] == [t.key for t in tokenize(op.child_text)]
    for sentences, text in (
        (alignment.parent_sentences, parent),
        (alignment.child_sentences, child),
    ):
        assert all(text[s.start : s.end] == s.text for s in sentences)


@settings(max_examples=200, deadline=None)
@given(_TEXTS, _TEXTS)
def test_same_language_ops_slice_the_originals(parent: str, child: str) -> None:
    alignment = align(parent, child, parent_language="en", child_language="en")
    _check_alignment(alignment, parent, child, parent, child)
    for bead in alignment.beads:
        for op in bead.ops:
            assert parent[slice(*op.parent_span)] == op.parent_text
            assert child[slice(*op.child_span)] == op.child_text


@settings(max_examples=150, deadline=None)
@given(_TEXTS, _TEXTS, _TEXTS, _TEXTS)
def test_pivot_ops_slice_the_pivots_and_spans_stay_in_the_originals(parent: str, child: str, p_pivot: str, c_pivot: str) -> None:
    alignment = align(parent, child, parent_language="ko", child_language="ru", parent_pivot=p_pivot, child_pivot=c_pivot)
    _check_alignment(alignment, parent, child, p_pivot, c_pivot)
    for bead in alignment.beads:
        for op in bead.ops:
            assert op.parent_span == bead.parent_span and op.child_span == bead.child_span


@settings(max_examples=150, deadline=None)
@given(_TEXTS, _TEXTS)
def test_length_alignment_covers_every_sentence_once(parent: str, child: str) -> None:
    alignment = align(parent, child, parent_language="ko", child_language="en")
    assert alignment.method == "length-gale-church"
    _check_alignment(alignment, parent, child, None, None)


@settings(max_examples=100, deadline=None)
@given(_TEXTS, _TEXTS)
def test_chrf_property_matches_sacrebleu(a: str, b: str) -> None:
    assert chrf(a, b) == pytest.approx(CHRF().sentence_score(a, [b]).score / 100, abs=1e-9)


ARTICLE_PARAGRAPHS = [
    "In a recent meeting with Russian Foreign Minister Sergei Lavrov, North Korea's Foreign Minister Choe Son Hui "
    "declared North Korea's unwavering support for Russia's actions in Ukraine, fueling further concerns for Kyiv. "
    "According to an AFP report based on a Russian translation of her remarks, Choe stated, “We reaffirm that we will "
    "always stand firmly by our Russian comrades until the day of victory.”",
    "Choe's comments come as Russia continues its invasion of Ukraine, which Moscow claims is necessary to counter "
    "NATO's expansion and to “denazify” Ukraine. She expressed confidence in Russia's success, stating that “there is "
    "no doubt the Russian army and people will achieve a great victory.” Lavrov, in turn, praised the “very close "
    "contacts” established between Moscow's military and security forces and those of Pyongyang. He also expressed "
    "Russia's “gratitude for North Korea's principled stance.”",
    "The two nations' alliance has grown stronger in recent months. In June, North Korea and Russia signed a strategic "
    "partnership agreement, marking a significant step in their cooperation. North Korea is also suspected of "
    "supplying large quantities of artillery shells and hundreds of missiles to Russia, aiding its ongoing military "
    "efforts.",
    "South Korean intelligence services recently reported that North Korea has sent an additional 1,500 troops to "
    "eastern Russia, bringing the total number of North Korean forces in Russia to around 3,000. U.S. officials claim "
    "to have “concrete evidence” that these troops are stationed at Russian military bases, suggesting they could "
    "potentially be deployed in Ukraine in the future.",
]


def test_article_with_a_paragraph_cut_and_a_word_changed_aligns_the_rest_one_to_one() -> None:
    parent = "\n".join(ARTICLE_PARAGRAPHS)
    child = "\n".join([ARTICLE_PARAGRAPHS[0], ARTICLE_PARAGRAPHS[1].replace("very close", "close"), ARTICLE_PARAGRAPHS[3]])
    alignment = align(parent, child, parent_language="en", child_language="en")
    kinds = [b.kind for b in alignment.beads]
    assert kinds == ["1-1"] * 6 + ["1-0"] * 3 + ["1-1"] * 2
    dropped = "".join(parent[slice(*b.parent_span)] for b in alignment.beads if b.kind == "1-0")
    assert dropped.replace(" ", "") == ARTICLE_PARAGRAPHS[2].replace(" ", "")
    changed = [(op.op, op.parent_text, op.child_text) for b in alignment.beads for op in b.ops if op.op != "equal"]
    assert ("delete", "very", "") in changed


def test_length_alignment_pairs_sentences_by_relative_length_and_finds_a_merge() -> None:
    # Stand-ins for two languages: the child writes each sentence in about half as many characters.
    parent = "A" * 120 + ". " + "B" * 30 + ". " + "C" * 80 + ". " + "D" * 40 + ". " + "E" * 44 + "."
    child = "Ka" * 30 + ". " + "Kb" * 7 + ". " + "Kc" * 20 + ". " + "Kd" * 21 + "."
    alignment = align(parent, child, parent_language="ru", child_language="ko")
    assert alignment.method == "length-gale-church"
    assert [b.kind for b in alignment.beads] == ["1-1", "1-1", "1-1", "2-1"]
    assert all(0.0 <= b.score <= 1.0 for b in alignment.beads)


def test_blank_pivot_counts_as_missing() -> None:
    alignment = align(QUOTE_KO, QUOTE_RU, parent_language="ko", child_language="ru", parent_pivot="  ", child_pivot=CHILD_EN)
    assert alignment.method == "length-gale-church"


# Small alphabets make repeated tokens, where the choice between equally long matches shows.
_TOKEN_LISTS = st.lists(st.sampled_from(["the", "a", "war", "1500", ",", "«", "победы", "승리"]), max_size=30)


@settings(max_examples=400, deadline=None)
@given(_TOKEN_LISTS, _TOKEN_LISTS)
def test_the_compiled_token_diff_gives_difflibs_opcodes(a: list[str], b: list[str]) -> None:
    from difflib import SequenceMatcher

    from provenance.align.matching import opcodes

    assert opcodes(a, b) == SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def test_the_token_diff_matches_difflib_on_long_sequences_too() -> None:
    """difflib's autojunk would only start at 200 items; with it off, long inputs must agree as well."""
    import random
    from difflib import SequenceMatcher

    from provenance.align.matching import opcodes

    rng = random.Random(3)
    words = ["the", "of", "war", "peace", "1500", ",", "."]
    for _ in range(20):
        a = [rng.choice(words) for _ in range(rng.randrange(150, 400))]
        b = [w for w in a if rng.random() > 0.1] + [rng.choice(words) for _ in range(rng.randrange(0, 30))]
        head = b[: len(b) // 5]
        rng.shuffle(head)  # some words moved, too
        b[: len(b) // 5] = head
        assert opcodes(a, b) == SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
