"""Sentence segmentation: known answers in nine languages, and the offset invariant."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.align import segment

SEGMENT_TABLE = [
    # French: a quotation that ends its sentence is kept whole, closing » included, space before it.
    ("fr", "Il a dit : « Nous vaincrons. » Puis il est parti.", ["Il a dit : « Nous vaincrons. »", "Puis il est parti."]),
    # French: a quotation the sentence continues after is never split inside.
    (
        "fr",
        "« Nous vaincrons. Nous sommes forts », a-t-il dit. Puis il est parti.",
        ["« Nous vaincrons. Nous sommes forts », a-t-il dit.", "Puis il est parti."],
    ),
    ("fr", "« Nous vaincrons ! » a-t-il lancé. Il est parti.", ["« Nous vaincrons ! » a-t-il lancé.", "Il est parti."]),
    ("fr", "M. Lavrov a rencontré Mme Choe. Ils ont parlé.", ["M. Lavrov a rencontré Mme Choe.", "Ils ont parlé."]),
    (
        "en",
        "U.S. officials claim to have “concrete evidence.” North Korea sent 1,500 troops. It is 3.5 km away.",
        ["U.S. officials claim to have “concrete evidence.”", "North Korea sent 1,500 troops.", "It is 3.5 km away."],
    ),
    # English: a multi-sentence quotation that ends its sentence splits where its own sentences end.
    (
        "en",
        "Mr. Lavrov met Ms. Choe. He said: “We win. We always win.” Then he left.",
        ["Mr. Lavrov met Ms. Choe.", "He said: “We win.", "We always win.”", "Then he left."],
    ),
    ("en", "“We will win!” she said. He agreed.", ["“We will win!” she said.", "He agreed."]),
    ("en", "He hesitated… then spoke. Wait... What?", ["He hesitated… then spoke.", "Wait...", "What?"]),
    ("en", "Headline without a stop\nBody starts here. And goes on\nwrapped here.", ["Headline without a stop", "Body starts here.", "And goes on\nwrapped here."]),
    # Korean: endings followed by the next sentence with and without a space.
    (
        "ko",
        "우리는 승리의 날까지 항상 러시아 동지들의 곁에 굳건히 서 있을 것이다.우리는 확신한다. 감사합니다.",
        ["우리는 승리의 날까지 항상 러시아 동지들의 곁에 굳건히 서 있을 것이다.", "우리는 확신한다.", "감사합니다."],
    ),
    # Korean: a quotation followed by the quotative particle 라고 continues the sentence.
    (
        "ko",
        "최선희는 \"우리는 승리할 것이다.\"라고 말했다. 라브로프는 감사를 표했다.",
        ["최선희는 \"우리는 승리할 것이다.\"라고 말했다.", "라브로프는 감사를 표했다."],
    ),
    (
        "ru",
        "Встреча прошла в г. Москве, т.е. в столице. Министр заявил: «Мы победим». Он ушёл.",
        ["Встреча прошла в г. Москве, т.е. в столице.", "Министр заявил: «Мы победим».", "Он ушёл."],
    ),
    (
        "uk",
        "Зустріч відбулася у 2024 р. в Києві. Міністр сказав: «Ми переможемо!» Потім пішов.",
        ["Зустріч відбулася у 2024 р. в Києві.", "Міністр сказав: «Ми переможемо!»", "Потім пішов."],
    ),
    (
        "de",
        "Am 3. Oktober sagte er: „Wir werden siegen.“ Dann ging er. Z.B. heute.",
        ["Am 3. Oktober sagte er: „Wir werden siegen.“", "Dann ging er.", "Z.B. heute."],
    ),
    (
        "es",
        "El Sr. García dijo: «Venceremos». ¿Qué pasará? Nadie lo sabe.",
        ["El Sr. García dijo: «Venceremos».", "¿Qué pasará?", "Nadie lo sabe."],
    ),
    # Japanese: 「…。」と continues the sentence; 。 needs no space after it.
    ("ja", "彼は「我々は勝利する。」と述べた。その後、去った。", ["彼は「我々は勝利する。」と述べた。", "その後、去った。"]),
    ("zh", "他说：“我们必胜。”然后离开了。俄罗斯表示感谢！", ["他说：“我们必胜。”", "然后离开了。", "俄罗斯表示感谢！"]),
    ("en", "", []),
    ("en", "   \n  ", []),
]


@pytest.mark.parametrize(("language", "text", "expected"), SEGMENT_TABLE)
def test_segment_known_answers(language: str, text: str, expected: list[str]) -> None:
    sentences = segment(text, language)
    assert [s.text for s in sentences] == expected
    for s in sentences:
        assert text[s.start : s.end] == s.text


def test_unknown_language_uses_every_abbreviation_list() -> None:
    assert [s.text for s in segment("Dr. Kim met Gen. Lee. They spoke.", None)] == ["Dr. Kim met Gen. Lee.", "They spoke."]


SEED_PARAGRAPH = (
    "South Korean intelligence services recently reported that North Korea has sent an additional 1,500 troops "
    "to eastern Russia, bringing the total number of North Korean forces in Russia to around 3,000. U.S. officials "
    "claim to have “concrete evidence” that these troops are stationed at Russian military bases, suggesting they "
    "could potentially be deployed in Ukraine in the future.\nIn response to these allegations, North Korea has "
    "strongly denied any direct military involvement in the conflict. A North Korean representative at the United "
    "Nations called these reports “unfounded rumors.” Russia has also dismissed these claims."
)


def test_seed_paragraph_keeps_abbreviations_numbers_and_quotes_inside_sentences() -> None:
    texts = [s.text for s in segment(SEED_PARAGRAPH, "en")]
    assert len(texts) == 5
    assert texts[0].endswith("around 3,000.")
    assert texts[1].startswith("U.S. officials claim") and texts[1].endswith("in the future.")
    assert texts[3].endswith("“unfounded rumors.”")


_ALPHABET = st.sampled_from(list("ab Z.!?。…«»„“”\"「」\n 다우 г1,5") + [" ", ". ", "? "])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join), st.sampled_from([None, "en", "fr", "ko", "ru", "ja", "de"]))
def test_sentences_slice_the_text_in_order_and_cover_every_non_space(text: str, language: str | None) -> None:
    sentences = segment(text, language)
    previous_end = 0
    for s in sentences:
        assert text[s.start : s.end] == s.text == s.text.strip()
        assert s.text
        assert s.start >= previous_end
        assert not text[previous_end : s.start].strip()  # only whitespace between sentences
        previous_end = s.end
    assert not text[previous_end:].strip()


_WINDOW_TEXT = st.text(alphabet=st.sampled_from(list("ab. \n\t\u00a0«Ж")), max_size=60)


@settings(max_examples=500, deadline=None)
@given(_WINDOW_TEXT, st.integers(min_value=0, max_value=60))
def test_the_word_before_a_full_stop_is_what_the_regular_expression_found(text: str, dot: int) -> None:
    import re

    from provenance.align.segment import word_before

    dot = min(dot, len(text))
    match = re.compile(r"(\S+)$").search(text, max(0, dot - 40), dot)
    assert word_before(text, dot) == (match.group(1) if match else None)
