"""Language identification on quote-length sentences, and language tag validation.

The sentences are written for this table (news and politics quotes, 8-25
words). The bar: script-settled languages always right, overall accuracy at
least 0.9, and no wrong answer given with confidence >= 0.8.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from provenance.errors import InvalidInput
from provenance.langid import Detection, detect_language, language_mismatch
from provenance.languages import base_language, language_name, normalize_language

SENTENCES: list[tuple[str, str]] = [
    # Korean
    ("ko", "우리는 어떤 경우에도 대화의 문을 닫지 않을 것이라고 대통령은 기자회견에서 말했다."),
    ("ko", "정부는 다음 달까지 새로운 경제 대책을 발표할 예정이라고 밝혔습니다."),
    ("ko", "국민 여러분, 이번 합의는 한반도 평화를 향한 첫걸음입니다."),
    ("ko", "외교부 대변인은 북한의 미사일 발사를 강력히 규탄한다고 말했다."),
    ("ko", "그는 'America First' 정책이 동맹에 부담을 준다고 지적했다."),
    # Russian
    ("ru", "Мы не допустим, чтобы кто-то диктовал нам условия на наших собственных границах."),
    ("ru", "Президент заявил журналистам, что переговоры продолжатся на следующей неделе в Женеве."),
    ("ru", "Министр подчеркнул, что санкции не изменят нашу позицию по этому вопросу."),
    ("ru", "Это решение было принято после долгих консультаций с нашими партнёрами."),
    ("ru", "Мы готовы к диалогу, но только на равных условиях."),
    ("ru", "Зеленский приехал в Київ, сообщили в пресс-службе."),
    # Ukrainian
    ("uk", "Ми ніколи не погодимося на жодні територіальні поступки, заявив президент України."),
    ("uk", "Уряд ухвалив рішення підвищити мінімальну заробітну плату з першого січня."),
    ("uk", "Міністр закордонних справ зустрівся з колегами з Європейського Союзу в Брюсселі."),
    ("uk", "Ми готові до переговорів, але не на умовах агресора."),
    ("uk", "Це рішення було ухвалене після довгих консультацій з партнерами."),
    # English
    ("en", "We will not negotiate with anyone who threatens our sovereignty, the prime minister said on Tuesday."),
    ("en", "The ministry said the talks would resume next week in Geneva despite the recent tensions."),
    ("en", "I have never said that, and I will not apologise for something I did not say."),
    ("en", "Officials expect the new budget to pass before the end of the month."),
    ("en", "Our door remains open to dialogue, he told reporters after the meeting."),
    # French
    ("fr", "Nous ne céderons jamais face à la menace, a déclaré le président devant les journalistes."),
    ("fr", "Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir le pouvoir d'achat."),
    ("fr", "Je n'ai jamais dit cela et je ne m'excuserai pas pour des propos que je n'ai pas tenus."),
    ("fr", "Les négociations reprendront la semaine prochaine à Genève, selon le ministère."),
    ("fr", "Notre porte reste ouverte au dialogue, a-t-il affirmé après la réunion."),
    # German
    ("de", "Wir werden uns niemals erpressen lassen, sagte der Bundeskanzler am Dienstag in Berlin."),
    ("de", "Die Regierung kündigte neue Maßnahmen zur Entlastung der Bürger an."),
    ("de", "Ich habe das nie gesagt und werde mich dafür auch nicht entschuldigen."),
    ("de", "Die Verhandlungen sollen in der nächsten Woche in Genf fortgesetzt werden."),
    # Spanish
    ("es", "No vamos a negociar con quienes amenazan nuestra soberanía, afirmó el presidente el martes."),
    ("es", "El gobierno anunció nuevas medidas para proteger el empleo durante la crisis."),
    ("es", "Nunca dije eso y no pienso pedir disculpas por algo que no dije."),
    ("es", "Las negociaciones se reanudarán la próxima semana en Ginebra, según el ministerio."),
    # Japanese
    ("ja", "我々はいかなる挑発にも屈しないと首相は記者会見で述べた。"),
    ("ja", "政府は来月までに新たな経済対策をまとめる方針を明らかにしました。"),
    ("ja", "交渉は来週ジュネーブで再開される予定だと外務省が発表した。"),
    ("ja", "私はそのようなことを一度も言っていません。"),
    # Chinese
    ("zh", "我们绝不会在主权问题上作出任何让步，外交部发言人在记者会上表示。"),
    ("zh", "政府宣布将于下月推出新的经济刺激措施，以稳定就业。"),
    ("zh", "谈判将于下周在日内瓦恢复，双方都表示愿意继续对话。"),
    ("zh", "總統表示，政府將全力支持受災地區的重建工作。"),
    # Arabic
    ("ar", "لن نتنازل عن حقوقنا المشروعة مهما كانت الضغوط، قال الرئيس في مؤتمر صحفي."),
    ("ar", "أعلنت الحكومة عن إجراءات جديدة لدعم الاقتصاد الوطني خلال الأشهر المقبلة."),
    ("ar", "ستستأنف المفاوضات الأسبوع المقبل في جنيف بحسب وزارة الخارجية."),
    ("ar", "لم أقل ذلك أبدا ولن أعتذر عن شيء لم أقله."),
]

SCRIPT_SETTLED = {"ko", "ja", "zh"}

# Short or ambiguous texts (3-6 words) where langdetect is known to slip
# (LIBRARIES.md §4): any answer is allowed, a confident wrong one is not.
HARD_SHORT: list[tuple[str, str]] = [
    ("ru", "Привет, мир, как дела?"),
    ("uk", "Рукописи не горять, сказав він."),
    ("uk", "Бути чи не бути, ось питання"),
    ("uk", "Я мислю, отже, існую."),
    ("uk", "Так, звичайно, ми готові"),
    ("ru", "Так, конечно, мы готовы"),
    ("bg", "Добре дошли в България"),
    ("sr", "Ово је велики дан за Србију"),
    ("mk", "Ова е голем ден за Македонија"),
    ("es", "Hola amigo, ¿qué tal?"),
    ("es", "Eso no es grave, dijo"),
    ("fr", "Merci beaucoup mon ami"),
    ("en", "Brexit means Brexit, said May"),
    ("en", "He said: Ich bin ein Berliner"),
    ("ko", "그는 America First policy 라고 말했다."),
    ("ja", "首相官邸で会見"),
    ("ja", "内閣総理大臣"),
]

TOO_SHORT = ["Да.", "OK", "12 345", "", "   ", "Hello!", "Ні.", "https://example.org/news/1", "中国", "!!!"]


@pytest.fixture(name="fx_detections", scope="module")
def fixture_detections() -> list[tuple[str, str, Detection]]:
    return [(expected, text, detect_language(text)) for expected, text in SENTENCES]


def test_table_covers_ten_languages_with_four_sentences_each() -> None:
    per_language = defaultdict(int)
    for expected, text in SENTENCES:
        per_language[expected] += 1
    assert set(per_language) >= {"ko", "ru", "en", "fr", "de", "es", "uk", "ja", "zh", "ar"}
    assert min(per_language.values()) >= 4


def test_accuracy_on_the_table(fx_detections: list[tuple[str, str, Detection]]) -> None:
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for expected, _text, detection in fx_detections:
        total[expected] += 1
        right[expected] += detection.language == expected
    accuracy = sum(right.values()) / len(fx_detections)
    print(f"\nlangid accuracy {accuracy:.3f} ({sum(right.values())}/{len(fx_detections)})")
    for language in sorted(total):
        print(f"  {language}: {right[language]}/{total[language]}")
    assert accuracy >= 0.9


def test_script_settled_languages_are_always_right(fx_detections: list[tuple[str, str, Detection]]) -> None:
    for expected, text, detection in fx_detections:
        if expected in SCRIPT_SETTLED:
            assert detection == Detection(expected, detection.confidence, "script"), text
            assert detection.confidence >= 0.9, text


def test_no_confident_wrong_answer(fx_detections: list[tuple[str, str, Detection]]) -> None:
    wrong = [
        (text, detection)
        for expected, text, detection in fx_detections
        if detection.language is not None and detection.language != expected
    ]
    assert all(detection.confidence < 0.8 for _text, detection in wrong), wrong


@pytest.mark.parametrize(("expected", "text"), HARD_SHORT)
def test_hard_short_texts_are_never_confidently_wrong(expected: str, text: str) -> None:
    detection = detect_language(text)
    assert detection.language == expected or detection.confidence < 0.8, detection


@pytest.mark.parametrize("text", TOO_SHORT)
def test_too_short_is_undetermined(text: str) -> None:
    assert detect_language(text) == Detection(None, 0.0, "undetermined")


def test_ukrainian_letters_settle_ukrainian() -> None:
    detection = detect_language("Ми їхали додому, і всі мовчали про це.")
    assert detection.language == "uk"
    assert detection.method == "script"


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        ("sr", "Ћирилица је наше писмо и ми ћемо је чувати заувек, рекао је министар."),
        ("be", "Беларусь і Расія ўзмацняюць супрацоўніцтва ў гэтай сферы, заявіў міністр."),
        ("ru", "Мы не пойдём на уступки, заявил он на брифинге в пятницу."),
    ],
)
def test_cyrillic_letters_settle_languages_langdetect_lacks(expected: str, text: str) -> None:
    assert detect_language(text) == Detection(expected, 0.95, "script")


def test_one_ukrainian_name_does_not_make_russian_ukrainian() -> None:
    detection = detect_language("Зеленский приехал в Київ, сообщили в пресс-службе.")
    assert detection.language == "ru"


def test_mixed_script_lowers_confidence() -> None:
    pure = detect_language("정부는 다음 달까지 새로운 경제 대책을 발표할 예정이다.")
    mixed = detect_language("그는 America First policy 라고 말했다.")
    assert pure.language == mixed.language == "ko"
    assert mixed.confidence < pure.confidence


def test_detection_is_deterministic() -> None:
    for _expected, text in SENTENCES[::5]:
        first = detect_language(text)
        assert all(detect_language(text) == first for _ in range(20)), text


def test_mismatch_flags_a_confident_contradiction() -> None:
    russian = detect_language("Президент заявил журналистам, что переговоры продолжатся на следующей неделе в Женеве.")
    assert russian.confidence >= 0.8
    assert language_mismatch("fr", russian) is True
    assert language_mismatch("ru", russian) is False
    assert language_mismatch("ru-RU", russian) is False
    assert language_mismatch(None, russian) is False


def test_mismatch_ignores_undetermined_and_low_confidence() -> None:
    assert language_mismatch("fr", detect_language("Да.")) is False
    assert language_mismatch("fr", Detection("ru", 0.79, "langdetect")) is False
    assert language_mismatch("fr", Detection("ru", 0.79, "langdetect"), threshold=0.5) is True


def test_mismatch_compares_base_languages() -> None:
    chinese = detect_language("政府宣布将于下月推出新的经济刺激措施，以稳定就业。")
    assert language_mismatch("zh-CN", chinese) is False
    assert language_mismatch("zh-Hant-TW", chinese) is False
    assert language_mismatch("ja", chinese) is True


def test_detect_refuses_non_text() -> None:
    with pytest.raises(InvalidInput):
        detect_language(b"bytes")  # type: ignore[arg-type]


# --- language tags (provenance.languages) -----------------------------------


@pytest.mark.parametrize(
    ("given", "standard"),
    [
        ("KO", "ko"),
        ("zh-cn", "zh-CN"),
        ("en_US", "en-US"),
        (" fr ", "fr"),
        ("iw", "he"),
        ("cmn", "zh"),
        ("sr-latn", "sr-Latn"),
        ("zh-hant-tw", "zh-Hant-TW"),
    ],
)
def test_normalize_language_standardises(given: str, standard: str) -> None:
    assert normalize_language(given) == standard


@pytest.mark.parametrize("bad", ["xx", "klingon", "", "12", "und", "mul", "qaa", "x-foo", "en-XQ", "zz-ZZ", "e"])
def test_normalize_language_refuses_with_an_actionable_message(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalize_language(bad, field="source_language")
    error = caught.value
    assert "source_language" in error.message
    assert "BCP-47" in error.message and "'ko'" in error.message
    assert error.field_errors == [{"field": "source_language", "message": error.message}]
    assert error.status == 422


def test_unknown_code_message_names_the_code() -> None:
    with pytest.raises(InvalidInput, match=r"unknown language code 'xx' in field 'language'"):
        normalize_language("xx")


@pytest.mark.parametrize(("tag", "base"), [("zh-CN", "zh"), ("en-GB", "en"), ("ko", "ko"), ("sr-Latn-RS", "sr")])
def test_base_language(tag: str, base: str) -> None:
    assert base_language(tag) == base


@pytest.mark.parametrize(
    ("tag", "name"), [("ko", "Korean"), ("ru", "Russian"), ("uk", "Ukrainian"), ("en-GB", "English (United Kingdom)")]
)
def test_language_name_offline(tag: str, name: str) -> None:
    assert language_name(tag) == name


@pytest.mark.parametrize("text", [
    "My ne otdadim ni odnogo santimetra nashey zemli, skazal prezident.",  # Russian in Latin letters
    "Uri nara-neun jeoldae pogihaji anheul geosimnida",  # Korean, revised romanisation
    "Marg bar Amrika, in hadaf-e ma ast",  # Persian in Latin letters
])
def test_a_transliteration_is_undetermined_not_a_confident_neighbour(text: str) -> None:
    """langdetect calls transliterated Russian Croatian at 0.99: letters fit, the words are in no dictionary."""
    assert detect_language(text).language is None


@pytest.mark.parametrize("expected, text", [
    ("fr", "Zelensky a rencontré Scholz et Macron à Kyiv hier soir."),
    ("de", "Wir werden keinen Zentimeter unseres Landes aufgeben."),
])
def test_names_do_not_count_against_a_language(expected: str, text: str) -> None:
    assert detect_language(text).language == expected


@pytest.mark.parametrize("declared, text", [
    ("sr-Latn", "Ko god pokuša da nas omete, treba da zna da će odgovor Rusije biti trenutan i dovešće do posledica."),
    ("bs", "Ko god nas pokuša spriječiti, treba znati da će odgovor Rusije biti trenutan i doći će do posljedica."),
    ("hr", "Tko god nas pokuša spriječiti, mora znati da će odgovor Rusije biti trenutačan i dovest će do posljedica."),
])
def test_serbian_bosnian_and_croatian_in_latin_letters_are_never_confidently_told_apart(declared: str, text: str) -> None:
    found = detect_language(text)
    assert found.language == "hr" and found.confidence <= 0.5  # the one profile langdetect has for the three
    assert not language_mismatch(declared, found)


def test_a_headline_in_capitals_is_read_as_ordinary_text() -> None:
    italian = ('SE IL PAPA ATTACCA LA NATO, NESSUNO FA UNA PIEGA: IL CORRIERE DICE CHE L\'IRA È STATA '
               '"FACILITATA DALL\'ABBAIARE DELL\'ALLEANZA ALLA PORTA DELLA RUSSIA"')
    assert detect_language(italian).language == "it"
    assert detect_language("ПУТИН ЗАЯВИЛ, ЧТО РОССИЯ ОТВЕТИТ НА ЛЮБУЮ УГРОЗУ СО СТОРОНЫ ЗАПАДА").language == "ru"
    assert detect_language("BREAKING: PUTIN SAYS RUSSIA WILL RESPOND TO ANY THREAT FROM THE WEST").language == "en"


def test_a_page_of_two_languages_is_not_confidently_either() -> None:
    wire = ("WASHINGTON — The president on Thursday rejected an immigration deal that would have protected people "
            "from several countries, according to people with direct knowledge of the conversation.")
    own = ("Vuole immigrati europei e non da altri paesi, e lo dice in modo colorito durante la riunione con i "
           "parlamentari alla Casa Bianca.")
    assert detect_language(wire).language == "en" and detect_language(wire).confidence >= 0.8
    assert detect_language(own).language == "it" and detect_language(own).confidence >= 0.8
    mixed = detect_language(wire + "\n" + own)
    assert mixed.confidence < 0.8
    assert not language_mismatch("it", mixed)
    # one language throughout, over several paragraphs, stays confident
    assert detect_language(own + "\n" + own.replace("Vuole", "Chiede")).confidence >= 0.8
