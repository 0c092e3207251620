"""A synthetic corpus of quotes and their chains, written straight into a migrated SQLite database.

Usage: ``python bench/corpus.py [N ...]`` (default: 10000) builds, or reuses,
``bench/out/corpus-N.db`` with about N renditions and prints how long it took.

Each quote has one chain of 3 to 8 hops (origin first) across ko, ru, en, fr,
de and es, and sometimes a side branch. Texts are built from parallel
per-language phrase lists below (Korean and Russian in their own scripts): a
translation hop renders the same phrases in another language, a quotation or
paraphrase hop swaps one to three phrases or the number, so no two renditions
of a chain read alike. Each sentence carries something of its own quote, as
real quotes do: numbers, places, and the names of the people, towns and matters
they mention (built from syllables, transliterated), so that a run of five
words of one quote is seldom another's (``render`` says how seldom).

The load is the fast path: ``provenance.migrate.upgrade`` creates the schema,
then plain ``executemany`` inserts in large batches with the full-text trigger
dropped; the FTS5 index is rebuilt once at the end and the trigger recreated
from the SQL the migration stored; then the stored graph and lineage answers of
every quote are written, as ``provenance db upgrade`` writes them for a database
that has none (so the API bench reads what a live database would). The
database is built under a temporary name and renamed when complete, so an
interrupted build is never reused. A manifest
(``corpus-N.json``) beside it lists sample quote slugs and depth-8 renditions
for the API benchmark.
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from provenance.answers import rebuild_stale  # noqa: E402
from provenance.db import make_engine  # noqa: E402
from provenance.migrate import upgrade  # noqa: E402
from provenance.texts import text_hash  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
LANGS = ("ko", "ru", "en", "fr", "de", "es")
BATCH = 50_000
SEED = 20241101
MAX_DEPTH = 8
#: The version of what ``render`` writes: a corpus built by another version is built again, not reused.
TEXTS = 2

# ------------------------------------------------------------------ phrase lists, parallel across LANGS
# (ko, ru, en, fr, de, es); Korean entries carry their particles.

SUBJECTS = [
    ("우리 나라는", "Наша страна", "Our country", "Notre pays", "Unser Land", "Nuestro país"),
    ("우리 정부는", "Наше правительство", "Our government", "Notre gouvernement", "Unsere Regierung", "Nuestro gobierno"),
    ("우리 인민은", "Наш народ", "Our people", "Notre peuple", "Unser Volk", "Nuestro pueblo"),
    ("우리 군대는", "Наша армия", "Our army", "Notre armée", "Unsere Armee", "Nuestro ejército"),
    ("외무성은", "Министерство иностранных дел", "The foreign ministry", "Le ministère des Affaires étrangères",
     "Das Außenministerium", "El Ministerio de Asuntos Exteriores"),
    ("대표단은", "Делегация", "The delegation", "La délégation", "Die Delegation", "La delegación"),
    ("당 중앙위원회는", "Центральный комитет партии", "The party's central committee", "Le comité central du parti",
     "Das Zentralkomitee der Partei", "El comité central del partido"),
    ("국방성은", "Министерство обороны", "The defence ministry", "Le ministère de la Défense",
     "Das Verteidigungsministerium", "El Ministerio de Defensa"),
    ("의회는", "Парламент", "Parliament", "Le Parlement", "Das Parlament", "El Parlamento"),
    ("대통령은", "Президент", "The president", "Le président", "Der Präsident", "El presidente"),
    ("우리 동맹국들은", "Наши союзники", "Our allies", "Nos alliés", "Unsere Verbündeten", "Nuestros aliados"),
    ("노동자들은", "Рабочие", "The workers", "Les travailleurs", "Die Arbeiter", "Los trabajadores"),
    ("청년들은", "Молодёжь", "The young generation", "La jeune génération", "Die junge Generation", "La juventud"),
    ("과학자들은", "Учёные", "Our scientists", "Nos scientifiques", "Unsere Wissenschaftler", "Nuestros científicos"),
]
ADVERBS = [
    ("언제나", "всегда", "always", "toujours", "immer", "siempre"),
    ("굳건히", "твёрдо", "firmly", "fermement", "fest", "firmemente"),
    ("단호히", "решительно", "resolutely", "résolument", "entschlossen", "resueltamente"),
    ("전적으로", "полностью", "fully", "pleinement", "voll und ganz", "plenamente"),
    ("다시 한번", "ещё раз", "once again", "une fois de plus", "erneut", "una vez más"),
    ("끝까지", "до конца", "to the end", "jusqu'au bout", "bis zum Ende", "hasta el final"),
    ("무조건", "безоговорочно", "unconditionally", "sans condition", "bedingungslos", "incondicionalmente"),
    ("적극적으로", "активно", "actively", "activement", "aktiv", "activamente"),
    ("아마도", "возможно", "perhaps", "peut-être", "vielleicht", "quizás"),
    ("분명히", "несомненно", "certainly", "certainement", "gewiss", "sin duda"),
    ("조용히", "спокойно", "calmly", "calmement", "ruhig", "con calma"),
    ("공개적으로", "открыто", "openly", "ouvertement", "offen", "abiertamente"),
]
VERBS = [
    ("지지할 것입니다", "поддержит", "will support", "soutiendra", "wird unterstützen", "apoyará"),
    ("수호할 것입니다", "защитит", "will defend", "défendra", "wird verteidigen", "defenderá"),
    ("거부합니다", "отвергает", "rejects", "rejette", "lehnt ab", "rechaza"),
    ("규탄합니다", "осуждает", "condemns", "condamne", "verurteilt", "condena"),
    ("환영합니다", "приветствует", "welcomes", "salue", "begrüßt", "acoge con satisfacción"),
    ("강화할 것입니다", "укрепит", "will strengthen", "renforcera", "wird stärken", "reforzará"),
    ("존중할 것입니다", "будет уважать", "will respect", "respectera", "wird respektieren", "respetará"),
    ("검토할 것입니다", "рассмотрит", "will consider", "examinera", "wird prüfen", "examinará"),
    ("인정하지 않습니다", "не признаёт", "does not recognise", "ne reconnaît pas", "erkennt nicht an", "no reconoce"),
    ("보장할 것입니다", "гарантирует", "will guarantee", "garantira", "wird garantieren", "garantizará"),
    ("확대할 것입니다", "расширит", "will expand", "élargira", "wird ausweiten", "ampliará"),
    ("재검토할 것입니다", "пересмотрит", "will review", "réexaminera", "wird überprüfen", "revisará"),
    ("경고합니다", "предупреждает", "warns", "met en garde", "warnt", "advierte"),
    ("요구합니다", "требует", "demands", "exige", "fordert", "exige"),
    ("약속합니다", "обещает", "promises", "promet", "verspricht", "promete"),
    ("포기하지 않을 것입니다", "не откажется от", "will not abandon", "n'abandonnera pas", "wird nicht aufgeben",
     "no abandonará"),
]
OBJECTS = [
    ("러시아 동지들을", "российских товарищей", "our Russian comrades", "nos camarades russes", "unsere russischen Genossen",
     "a nuestros camaradas rusos"),
    ("국가 주권을", "государственный суверенитет", "national sovereignty", "la souveraineté nationale",
     "die nationale Souveränität", "la soberanía nacional"),
    ("평화 협상을", "мирные переговоры", "the peace talks", "les négociations de paix", "die Friedensgespräche",
     "las negociaciones de paz"),
    ("새로운 제재를", "новые санкции", "the new sanctions", "les nouvelles sanctions", "die neuen Sanktionen",
     "las nuevas sanciones"),
    ("전략적 동반자 관계를", "стратегическое партнёрство", "the strategic partnership", "le partenariat stratégique",
     "die strategische Partnerschaft", "la asociación estratégica"),
    ("군사 협력을", "военное сотрудничество", "military cooperation", "la coopération militaire",
     "die militärische Zusammenarbeit", "la cooperación militar"),
    ("경제 원조를", "экономическую помощь", "economic aid", "l'aide économique", "die Wirtschaftshilfe",
     "la ayuda económica"),
    ("국경 조약을", "пограничный договор", "the border treaty", "le traité frontalier", "den Grenzvertrag",
     "el tratado fronterizo"),
    ("핵 억제력을", "ядерное сдерживание", "nuclear deterrence", "la dissuasion nucléaire", "die nukleare Abschreckung",
     "la disuasión nuclear"),
    ("유엔 결의를", "резолюцию ООН", "the UN resolution", "la résolution de l'ONU", "die UN-Resolution",
     "la resolución de la ONU"),
    ("곡물 수출을", "экспорт зерна", "grain exports", "les exportations de céréales", "die Getreideexporte",
     "las exportaciones de grano"),
    ("에너지 공급을", "поставки энергии", "energy supplies", "l'approvisionnement énergétique",
     "die Energieversorgung", "el suministro de energía"),
    ("합동 훈련을", "совместные учения", "the joint exercises", "les exercices conjoints", "die gemeinsamen Übungen",
     "los ejercicios conjuntos"),
    ("인도적 지원을", "гуманитарную помощь", "humanitarian assistance", "l'assistance humanitaire",
     "die humanitäre Hilfe", "la asistencia humanitaria"),
    ("무역 협정을", "торговое соглашение", "the trade agreement", "l'accord commercial", "das Handelsabkommen",
     "el acuerdo comercial"),
    ("휴전 제안을", "предложение о перемирии", "the ceasefire proposal", "la proposition de cessez-le-feu",
     "den Waffenstillstandsvorschlag", "la propuesta de alto el fuego"),
    ("국제법을", "международное право", "international law", "le droit international", "das Völkerrecht",
     "el derecho internacional"),
    ("철도 연결을", "железнодорожное сообщение", "the railway link", "la liaison ferroviaire", "die Eisenbahnverbindung",
     "el enlace ferroviario"),
    ("우주 개발 계획을", "космическую программу", "the space programme", "le programme spatial", "das Raumfahrtprogramm",
     "el programa espacial"),
    ("노동자 교류를", "обмен рабочими", "the exchange of workers", "l'échange de travailleurs", "den Arbeiteraustausch",
     "el intercambio de trabajadores"),
]
COMPLEMENTS = [
    ("승리의 날까지", "до дня победы", "until the day of victory", "jusqu'au jour de la victoire", "bis zum Tag des Sieges",
     "hasta el día de la victoria"),
    ("어떤 상황에서도", "при любых обстоятельствах", "in any circumstances", "en toutes circonstances",
     "unter allen Umständen", "en cualquier circunstancia"),
    ("조건 없이", "без условий", "without conditions", "sans conditions", "ohne Bedingungen", "sin condiciones"),
    ("어떤 대가를 치르더라도", "любой ценой", "at any cost", "à tout prix", "um jeden Preis", "a cualquier precio"),
    ("국제 사회 앞에서", "перед мировым сообществом", "before the international community",
     "devant la communauté internationale", "vor der internationalen Gemeinschaft", "ante la comunidad internacional"),
    ("외부의 압력에도 불구하고", "несмотря на внешнее давление", "despite outside pressure", "malgré les pressions extérieures",
     "trotz des Drucks von außen", "pese a las presiones externas"),
    ("당의 영도 아래", "под руководством партии", "under the party's leadership", "sous la direction du parti",
     "unter der Führung der Partei", "bajo la dirección del partido"),
    ("역사적 책임감을 가지고", "с исторической ответственностью", "with historic responsibility",
     "avec une responsabilité historique", "mit historischer Verantwortung", "con responsabilidad histórica"),
    ("형제적 연대 속에서", "в духе братской солидарности", "in a spirit of brotherly solidarity",
     "dans un esprit de solidarité fraternelle", "im Geist brüderlicher Solidarität", "con espíritu de solidaridad fraterna"),
    ("상호 존중의 원칙에 따라", "на основе взаимного уважения", "on the basis of mutual respect",
     "sur la base du respect mutuel", "auf der Grundlage gegenseitigen Respekts", "sobre la base del respeto mutuo"),
    ("필요한 모든 수단으로", "всеми необходимыми средствами", "by every necessary means", "par tous les moyens nécessaires",
     "mit allen notwendigen Mitteln", "por todos los medios necesarios"),
    ("지체 없이", "без промедления", "without delay", "sans délai", "unverzüglich", "sin demora"),
]
TIMES = [
    ("올해 안에", "В этом году", "This year", "Cette année", "Dieses Jahr", "Este año"),
    ("다음 달에", "В следующем месяце", "Next month", "Le mois prochain", "Nächsten Monat", "El próximo mes"),
    ("오늘부터", "С сегодняшнего дня", "From today", "Dès aujourd'hui", "Ab heute", "Desde hoy"),
    ("이번 주에", "На этой неделе", "This week", "Cette semaine", "Diese Woche", "Esta semana"),
    ("겨울이 오기 전에", "До наступления зимы", "Before winter", "Avant l'hiver", "Vor dem Winter", "Antes del invierno"),
    ("연말까지", "До конца года", "By the end of the year", "D'ici la fin de l'année", "Bis Ende des Jahres",
     "Antes de fin de año"),
    ("이미", "Уже", "Already", "Déjà", "Bereits", "Ya"),
    ("내년 봄에", "Весной следующего года", "Next spring", "Au printemps prochain", "Im nächsten Frühjahr",
     "La próxima primavera"),
    ("정상회담 직후", "Сразу после саммита", "Right after the summit", "Juste après le sommet", "Gleich nach dem Gipfel",
     "Justo después de la cumbre"),
    ("며칠 안에", "В ближайшие дни", "In the coming days", "Dans les prochains jours", "In den kommenden Tagen",
     "En los próximos días"),
]
SENDS = [
    ("보낼 것입니다", "отправим", "will send", "enverrons", "schicken", "enviaremos"),
    ("보냈습니다", "отправили", "have sent", "avons envoyé", "haben geschickt", "hemos enviado"),
    ("공급할 것입니다", "поставим", "will deliver", "livrerons", "liefern", "entregaremos"),
    ("약속했습니다", "пообещали", "have promised", "avons promis", "haben versprochen", "hemos prometido"),
    ("배치할 것입니다", "разместим", "will deploy", "déploierons", "stationieren", "desplegaremos"),
    ("제공할 것입니다", "предоставим", "will provide", "fournirons", "stellen bereit", "proporcionaremos"),
    ("수출할 것입니다", "экспортируем", "will export", "exporterons", "exportieren", "exportaremos"),
    ("이송할 것입니다", "переправим", "will transfer", "transférerons", "überführen", "trasladaremos"),
]
UNITS = [
    ("톤의 곡물", "тонн зерна", "tonnes of grain", "tonnes de céréales", "Tonnen Getreide", "toneladas de grano"),
    ("명의 병력", "военнослужащих", "troops", "soldats", "Soldaten", "soldados"),
    ("명의 노동자", "рабочих", "workers", "travailleurs", "Arbeiter", "trabajadores"),
    ("대의 트랙터", "тракторов", "tractors", "tracteurs", "Traktoren", "tractores"),
    ("발의 포탄", "снарядов", "shells", "obus", "Granaten", "proyectiles"),
    ("톤의 연료", "тонн топлива", "tonnes of fuel", "tonnes de carburant", "Tonnen Treibstoff", "toneladas de combustible"),
    ("명의 의사", "врачей", "doctors", "médecins", "Ärzte", "médicos"),
    ("대의 화물차", "грузовиков", "lorries", "camions", "Lastwagen", "camiones"),
    ("개의 발전기", "генераторов", "generators", "générateurs", "Generatoren", "generadores"),
    ("명의 학생", "студентов", "students", "étudiants", "Studenten", "estudiantes"),
]
# (ko, ru accusative, en, fr, de, es)
PLACES = [
    ("모스크바", "Москву", "Moscow", "Moscou", "Moskau", "Moscú"),
    ("평양", "Пхеньян", "Pyongyang", "Pyongyang", "Pjöngjang", "Pionyang"),
    ("블라디보스토크", "Владивосток", "Vladivostok", "Vladivostok", "Wladiwostok", "Vladivostok"),
    ("쿠르스크", "Курск", "Kursk", "Koursk", "Kursk", "Kursk"),
    ("하바롭스크", "Хабаровск", "Khabarovsk", "Khabarovsk", "Chabarowsk", "Jabárovsk"),
    ("나진", "Раджин", "Rason", "Rason", "Rason", "Rason"),
    ("베이징", "Пекин", "Beijing", "Pékin", "Peking", "Pekín"),
    ("서울", "Сеул", "Seoul", "Séoul", "Seoul", "Seúl"),
    ("파리", "Париж", "Paris", "Paris", "Paris", "París"),
    ("베를린", "Берлин", "Berlin", "Berlin", "Berlin", "Berlín"),
    ("마드리드", "Мадрид", "Madrid", "Madrid", "Madrid", "Madrid"),
    ("제네바", "Женеву", "Geneva", "Genève", "Genf", "Ginebra"),
    ("뉴욕", "Нью-Йорк", "New York", "New York", "New York", "Nueva York"),
    ("노보시비르스크", "Новосибирск", "Novosibirsk", "Novossibirsk", "Nowosibirsk", "Novosibirsk"),
    ("이르쿠츠크", "Иркутск", "Irkutsk", "Irkoutsk", "Irkutsk", "Irkutsk"),
    ("원산", "Вонсан", "Wonsan", "Wonsan", "Wonsan", "Wonsan"),
]
# Syllables (Latin, Cyrillic, Hangul) for the names of the people a quote mentions: real quotes are full of
# names, and names are what makes one quote's words rarer than another's.
SYLLABLES = [("ka", "ка", "카"), ("ri", "ри", "리"), ("mo", "мо", "모"), ("to", "то", "토"), ("su", "су", "수"),
             ("na", "на", "나"), ("ge", "ге", "게"), ("lo", "ло", "로"), ("vi", "ви", "비"), ("da", "да", "다"),
             ("ne", "не", "네"), ("ru", "ру", "루"), ("shi", "ши", "시"), ("po", "по", "포"), ("ba", "ба", "바"),
             ("ko", "ко", "코"), ("mi", "ми", "미"), ("se", "се", "세"), ("tu", "ту", "투"), ("le", "ле", "레"),
             ("no", "но", "노"), ("ra", "ра", "라"), ("di", "ди", "디"), ("sa", "са", "사"), ("ho", "хо", "호"),
             ("ki", "ки", "키")]
SPEAKERS = ["Choe Son Hui", "Sergei Lavrov", "Kim Yo Jong", "Maria Zakharova", "Dmitry Peskov", "Pak Jong Chon",
            "Sergei Shoigu", "Ri Il Hwan", "Valentina Matviyenko", "Kim Song", "Andrei Rudenko", "Jo Yong Won",
            "Alexander Matsegora", "Ri Son Gwon", "Vasily Nebenzya", "Kang Sun Nam"]
SOURCES = [("Yonhap", "agency"), ("KCNA", "agency"), ("TASS", "agency"), ("RIA Novosti", "agency"), ("AFP", "agency"),
           ("Reuters", "agency"), ("AP", "agency"), ("dpa", "agency"), ("EFE", "agency"), ("Interfax", "agency"),
           ("Rodong Sinmun", "newspaper"), ("Kommersant", "newspaper"), ("Izvestia", "newspaper"),
           ("Le Monde", "newspaper"), ("lejdd.fr", "newspaper"), ("Le Figaro", "newspaper"),
           ("Der Spiegel", "newspaper"), ("FAZ", "newspaper"), ("El País", "newspaper"), ("ABC", "newspaper"),
           ("The Guardian", "newspaper"), ("Korea Herald", "newspaper"), ("NK News", "newspaper"),
           ("Rossiya 24", "broadcaster"), ("KCTV", "broadcaster"), ("France 24", "broadcaster"),
           ("Deutsche Welle", "broadcaster"), ("RTVE", "broadcaster"), ("BBC", "broadcaster"),
           ("MFA of Russia", "government"), ("MFA of the DPRK", "government"), ("Telegram channel", "social"),
           ("Interpreter pool", "interpreter")]
EVIDENCE = {
    "translation": ["according to a {lang} translation", "translated from the {lang} by the newsroom",
                    "based on a {lang} translation"],
    "back_translation": ["translated back from the {lang}"],
    "quotation": ["as quoted by the agency", "according to an agency report", "citing the original statement"],
    "paraphrase": ["in the words of the report", "as summarised by the newspaper"],
    "revision": ["corrected version of the earlier report"],
    "republication": ["republished in full"],
}
LANGUAGE_NAMES = {"ko": "Korean", "ru": "Russian", "en": "English", "fr": "French", "de": "German", "es": "Spanish"}
SLOTS = ("subj", "adv", "verb", "obj", "compl", "time", "send", "unit", "place")
TABLES = {"subj": SUBJECTS, "adv": ADVERBS, "verb": VERBS, "obj": OBJECTS, "compl": COMPLEMENTS, "time": TIMES,
          "send": SENDS, "unit": UNITS, "place": PLACES}
FIRST_SENTENCE = ("subj", "adv", "verb", "obj", "compl")


def _name(syllables: tuple[int, ...], script: int) -> str:
    return "".join(SYLLABLES[k][script] for k in syllables).capitalize()


def render(lang: str, m: dict[str, int]) -> str:
    """The text of one 'meaning' (phrase indices, numbers and names) in one language.

    Besides the phrase lists, each sentence carries something of its own quote: the seat it speaks from, the
    matter, a partner and the town of the talks (built from syllables, as the people's names are), the
    number, the place. Real quotes are like that: a run of five to twelve words from one is seldom found
    word for word in another (0.1-0.3 % of such runs in the real texts of ``tests/data``; ``trace.py``
    prints it beside the corpus's), and a corpus whose sentences differ only in which stock phrases they
    pick would ask trace to tell apart quotes that say the same words (see ``bench/README.md``, trace).
    """
    i = LANGS.index(lang)
    w = {slot: TABLES[slot][m[slot]][i] for slot in SLOTS}
    n, n2 = m["n"], m["n2"]
    script = {"ru": 1, "ko": 2}.get(lang, 0)
    who = " ".join(_name(m[part], script) for part in ("first", "last"))
    topic, town, seat, partner = (_name(m[part], script) for part in ("topic", "town", "seat", "partner"))
    if lang == "ko":
        return (f"{w['subj']} {w['adv']} {seat}에서 {w['compl']} {topic}의 {w['obj']} {w['verb']}. "
                f"{partner}와 함께 {w['time']} {w['place']}에 {n}{w['unit']}을 {w['send']}. {town}에서 열린 "
                f"{who}와의 회담에서 {n2}개 항목이 합의되었습니다.")
    if lang == "ru":
        return (f"{w['subj']} {w['adv']}, в {seat}, {w['verb']} {w['obj']} {topic} {w['compl']} вместе с {partner}. "
                f"{w['time']} мы {w['send']} {n} {w['unit']} в {w['place']}. {town}: на переговорах с {who} "
                f"согласовано {n2} пунктов.")
    if lang == "en":
        return (f"{w['subj']} {w['adv']}, in {seat}, {w['verb']} {w['obj']} of {topic} {w['compl']} with {partner}. "
                f"{w['time']} we {w['send']} {n} {w['unit']} to {w['place']}. {town}: at the talks with {who}, "
                f"{n2} points were agreed.")
    if lang == "fr":
        return (f"{w['subj']}, à {seat}, {w['verb']} {w['adv']} {w['obj']} de {topic} {w['compl']} avec {partner}. "
                f"{w['time']}, nous {w['send']} {n} {w['unit']} à {w['place']}. {town} : aux pourparlers avec "
                f"{who}, {n2} points ont été convenus.")
    if lang == "de":
        return (f"{w['subj']} {w['verb']}, in {seat}, {w['adv']} {w['obj']} von {topic} {w['compl']} mit "
                f"{partner}. {w['time']} {w['send']} wir {n} {w['unit']} nach {w['place']}. {town}: bei den Gesprächen "
                f"mit {who} wurden {n2} Punkte vereinbart.")
    return (f"{w['subj']} {w['adv']}, en {seat}, {w['verb']} {w['obj']} de {topic} {w['compl']} con {partner}. "
            f"{w['time']} {w['send']} {n} {w['unit']} a {w['place']}. {town}: en las conversaciones con {who} "
            f"se acordaron {n2} puntos.")


def drift(rng: random.Random, m: dict[str, int], changes: int) -> dict[str, int]:
    """A copy of ``m`` with ``changes`` phrases (or the number) swapped; the first sentence always changes."""
    m = dict(m)
    slots = [rng.choice(FIRST_SENTENCE)] + rng.sample(SLOTS + ("n",), changes - 1)
    for slot in slots:
        if slot == "n":
            m["n"] = rng.randint(10, 99_999)
        else:
            m[slot] = (m[slot] + rng.randint(1, len(TABLES[slot]) - 1)) % len(TABLES[slot])
    return m


def new_meaning(rng: random.Random) -> dict[str, int]:
    m = {slot: rng.randrange(len(TABLES[slot])) for slot in SLOTS}
    m["n"] = rng.randint(10, 99_999)
    m["n2"] = rng.randint(2, 999)
    m["first"] = tuple(rng.randrange(len(SYLLABLES)) for _ in range(rng.randint(2, 3)))
    m["last"] = tuple(rng.randrange(len(SYLLABLES)) for _ in range(3))
    m["topic"] = tuple(rng.randrange(len(SYLLABLES)) for _ in range(rng.randint(3, 4)))
    for part in ("town", "seat", "partner"):
        m[part] = tuple(rng.randrange(len(SYLLABLES)) for _ in range(rng.randint(2, 3)))
    return m


# ------------------------------------------------------------------ rows

def _uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _ts(t: datetime) -> str:
    """The way SQLAlchemy's DateTime stores a UTC time in SQLite."""
    return t.strftime("%Y-%m-%d %H:%M:%S.%f")


class Builder:
    """Generates quotes, renditions and derivations as row tuples in insertion order."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.source_ids = [_uid(self.rng) for _ in SOURCES]
        self.clock = datetime(2024, 11, 1, 9, 0, tzinfo=timezone.utc)
        self.deep: list[str] = []     # renditions at depth MAX_DEPTH
        self.slugs: list[str] = []
        self.texted: list[str] = []

    def sources(self) -> list[tuple]:
        return [(sid, name, kind, None) for sid, (name, kind) in zip(self.source_ids, SOURCES)]

    def quote(self, index: int, depth: int):  # type: ignore[no-untyped-def]
        """One quote's rows: (quote row, [rendition rows], [derivation rows])."""
        rng = self.rng
        qid = _uid(rng)
        speaker = rng.choice(SPEAKERS)
        said_on = date(2022, 1, 1) + timedelta(days=rng.randrange(1100))
        origin_lang = rng.choices(LANGS, weights=(3, 3, 1, 1, 1, 1))[0]
        slug = f"{speaker.lower().replace(' ', '-')}-{said_on.isoformat()}-{index:07d}"
        self.clock += timedelta(seconds=7)
        t0 = self.clock
        quote = (qid, slug, speaker, "Official", "Press conference", "Moscow", said_on.isoformat(), origin_lang,
                 None, _ts(t0))
        renditions: list[tuple] = []
        edges: list[tuple] = []

        def add(lang: str, meaning: dict[str, int], step: int, status: str | None = None) -> str:
            rid = _uid(rng)
            sidx = rng.randrange(len(SOURCES))
            status = status or rng.choices(("attested", "claimed", "reconstructed"), weights=(80, 5, 15))[0]
            text = None if status == "claimed" and rng.random() < 0.5 else render(lang, meaning)
            key = f"{SOURCES[sidx][0].lower().replace(' ', '-')}-{lang}-{len(renditions) + 1}"
            created = _ts(t0 + timedelta(milliseconds=10 * (len(renditions) + 1)))
            published = _ts(t0 + timedelta(hours=step))
            renditions.append((rid, qid, key, text, lang, lang if text else None, 0.99 if text else None,
                               "script" if text and lang in ("ko", "ru") else ("langdetect" if text else None), 0,
                               text_hash(text) if text else None, self.source_ids[sidx],
                               f"https://example.org/{key}/{index}", None, published, None, status, None, created))
            if text:
                self.texted.append(rid)
            return rid

        def link(child: str, parent: str, relation: str, lang: str) -> None:
            ev = rng.choice(EVIDENCE[relation]).format(lang=LANGUAGE_NAMES[lang])
            kind = rng.choice(("human", "machine", "unknown"))
            created = _ts(t0 + timedelta(milliseconds=10 * len(renditions) + 5))
            edges.append((_uid(rng), qid, child, parent, relation, kind, None if kind == "unknown" else "newsroom",
                          ev, rng.choice(("stated", "stated", "inferred")), created))

        meaning = new_meaning(rng)
        lang = origin_lang
        chain = [(add(lang, meaning, 0, "attested"), lang, meaning)]
        used = {lang}
        for step in range(1, depth + 1):
            parent_id, parent_lang, parent_meaning = chain[-1]
            if rng.random() < 0.6:
                lang = rng.choice([x for x in LANGS if x != parent_lang])
                relation = "back_translation" if lang in used else "translation"
                meaning = drift(rng, parent_meaning, 1) if rng.random() < 0.3 else parent_meaning
            else:
                lang = parent_lang
                relation = rng.choice(("quotation", "paraphrase", "revision", "republication"))
                meaning = drift(rng, parent_meaning, rng.randint(1, 3))
            used.add(lang)
            rid = add(lang, meaning, step)
            link(rid, parent_id, relation, parent_lang)
            chain.append((rid, lang, meaning))
        if depth == MAX_DEPTH:
            self.deep.append(chain[-1][0])
        if rng.random() < 0.3:  # a side branch: another outlet took it from somewhere mid-chain
            pos = rng.randrange(len(chain) - 1)
            parent_id, parent_lang, parent_meaning = chain[pos]
            lang = rng.choice([x for x in LANGS if x != parent_lang])
            rid = add(lang, drift(rng, parent_meaning, 1), pos + 1)
            link(rid, parent_id, "translation", parent_lang)
        self.slugs.append(slug)
        return quote, renditions, edges


# ------------------------------------------------------------------ the load

INSERT = {
    "source": "INSERT INTO source (id, name, kind, home_url) VALUES (?, ?, ?, ?)",
    "quote": "INSERT INTO quote (id, slug, speaker, speaker_role, occasion, place, said_on, original_language, "
             "summary, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "rendition": "INSERT INTO rendition (id, quote_id, key, text, language, detected_language, detected_confidence, "
                 "detection_method, language_mismatch, text_hash, source_id, url, byline, published_at, "
                 "retrieved_at, status, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "derivation": "INSERT INTO derivation (id, quote_id, child_id, parent_id, relation, translator_kind, "
                  "translator_name, evidence, link_basis, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
}


def corpus_path(size: int) -> Path:
    return OUT / f"corpus-{size}.db"


def manifest_path(size: int) -> Path:
    return OUT / f"corpus-{size}.json"


def build(size: int, *, force: bool = False, quiet: bool = False) -> tuple[Path, dict]:
    """The database and manifest for ``size`` renditions, built unless already cached."""
    path, mpath = corpus_path(size), manifest_path(size)
    if path.exists() and mpath.exists() and not force and json.loads(mpath.read_text()).get("texts") == TEXTS:
        # stored answers of another version of the code are not served: rebuild them, as `db upgrade` does
        engine = make_engine(f"sqlite:///{path}")
        stale = rebuild_stale(engine, batch=2000)
        engine.dispose()
        if stale and not quiet:
            print(f"corpus-{size}: rebuilt the stored answers of {stale:,} quotes (the code changed)", flush=True)
        return path, json.loads(mpath.read_text())
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".db.part")
    for p in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        p.unlink(missing_ok=True)
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    t_start = time.perf_counter()
    upgrade(f"sqlite:///{tmp}")
    t_migrated = time.perf_counter()

    con = sqlite3.connect(tmp, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")  # a fresh file: nothing to recover if the build dies
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-1000000")  # 1 GB
    con.execute("PRAGMA foreign_keys=ON")
    trigger_sql = con.execute("SELECT sql FROM sqlite_master WHERE type='trigger' AND name='rendition_fts_ai'").fetchone()[0]
    con.execute("DROP TRIGGER rendition_fts_ai")

    builder = Builder()
    con.execute("BEGIN")
    con.executemany(INSERT["source"], builder.sources())
    quotes: list[tuple] = []
    rends: list[tuple] = []
    edges: list[tuple] = []
    count = 0
    t_gen = t_ins = 0.0
    index = 0

    def flush() -> None:
        nonlocal t_ins
        t = time.perf_counter()
        con.executemany(INSERT["quote"], quotes)
        con.executemany(INSERT["rendition"], rends)
        con.executemany(INSERT["derivation"], edges)
        t_ins += time.perf_counter() - t
        quotes.clear(), rends.clear(), edges.clear()

    while count < size:
        t = time.perf_counter()
        depth = builder.rng.randint(3, MAX_DEPTH)
        q, rs, es = builder.quote(index, depth)
        q_rs = rs
        if count + len(rs) > size:  # the last quote: cut its chain short rather than overshoot
            rs = rs[: size - count]
            kept = {r[0] for r in rs}
            es = [e for e in es if e[2] in kept]
            builder.deep = [d for d in builder.deep if d in kept or d not in {r[0] for r in q_rs}]
            builder.texted = [t for t in builder.texted if t in kept or t not in {r[0] for r in q_rs}]
        index += 1
        quotes.append(q), rends.extend(rs), edges.extend(es)
        count += len(rs)
        t_gen += time.perf_counter() - t
        if len(rends) >= BATCH:
            flush()
            if not quiet and count % 200_000 < BATCH:
                say(f"  {count:>9,} renditions  {time.perf_counter() - t_start:6.1f} s")
    flush()
    con.execute("COMMIT")
    t = time.perf_counter()
    con.execute("INSERT INTO rendition_fts(rendition_fts) VALUES ('rebuild')")
    con.execute(trigger_sql)
    t_fts = time.perf_counter() - t
    t = time.perf_counter()
    con.execute("INSERT INTO rendition_fts(rendition_fts) VALUES ('optimize')")
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    t_opt = time.perf_counter() - t
    t = time.perf_counter()  # the answers every write stores (provenance.answers), as `db upgrade` backfills them
    engine = make_engine(f"sqlite:///{tmp}")
    rebuild_stale(engine, batch=2000, progress=None if quiet else (
        lambda done, total: done % 40_000 < 2000 and say(f"  answers of {done:>9,} / {total:,} quotes  "
                                                          f"{time.perf_counter() - t_start:6.1f} s")))
    engine.dispose()
    t_answers = time.perf_counter() - t
    tmp.rename(path)
    rng = random.Random(SEED + 1)
    manifest = {
        "size": size, "texts": TEXTS, "quotes": index, "renditions": count,
        "slugs": rng.sample(builder.slugs, min(2000, len(builder.slugs))),
        "deep_renditions": rng.sample(builder.deep, min(2000, len(builder.deep))),
        "texted_renditions": rng.sample(builder.texted, min(2000, len(builder.texted))),
        "build_seconds": {"migrate": round(t_migrated - t_start, 1), "generate": round(t_gen, 1),
                          "insert": round(t_ins, 1), "fts_rebuild": round(t_fts, 1), "fts_optimize": round(t_opt, 1),
                          "answers": round(t_answers, 1),
                          "total": round(time.perf_counter() - t_start, 1)},
    }
    mpath.write_text(json.dumps(manifest, indent=1))
    say(f"corpus-{size}: {index:,} quotes, {count:,} renditions in {manifest['build_seconds']['total']} s "
        f"{manifest['build_seconds']}")
    return path, manifest


def main(argv: list[str]) -> int:
    force = "--force" in argv
    sizes = [int(a.replace("_", "").replace("k", "000").replace("M", "000000")) for a in argv if a != "--force"]
    for size in sizes or [10_000]:
        path, manifest = build(size, force=force)
        print(f"{path}: {manifest['renditions']:,} renditions, {manifest['quotes']:,} quotes, "
              f"built in {manifest['build_seconds']['total']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
