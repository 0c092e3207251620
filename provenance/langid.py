"""Language identification for renditions: is this text in the language it claims?

The answer is used to flag a rendition whose declared language looks wrong, so
a confident wrong guess is worse than no guess. Three stages, cheapest and
surest first:

1. **Script.** Hangul, kana, Thai, Greek, Hebrew, Georgian, ... each belong to one
   language (or one language we can name), so the writing system settles it.
2. **Letters.** Within Cyrillic, letters that only some languages use (``ї є ґ``
   Ukrainian, ``ы э ё`` Russian/Belarusian, ``ў`` Belarusian, ``ђ ћ`` Serbian,
   ``ѓ ќ ѕ`` Macedonian) rule candidates out, word by word.
3. **langdetect**, restricted with a prior to the languages still plausible for
   the script, so that Cyrillic text cannot come back as Vietnamese.

Text too short to judge (fewer than :data:`MIN_WORDS` words or :data:`MIN_LETTERS`
letters when the script does not settle it) is *undetermined*: language None,
confidence 0.0.

langdetect's confidence is a vote share over 7 seeded random trials, not a
calibrated probability; we use a per-call detector with a fixed seed, so the
same text always gets the same answer, in any thread.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from provenance.errors import InvalidInput
from provenance.languages import base_language

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory

__all__ = [
    "Detection",
    "MIN_LETTERS",
    "MIN_WORDS",
    "SIGNATURE",
    "detect_language",
    "language_mismatch",
]

Method = Literal["script", "langdetect", "undetermined"]

MIN_WORDS = 3
MIN_LETTERS = 15
SEED = 0

# Languages langdetect may answer for text in each script. Latin is the
# newsroom set: the common European languages plus Turkish, Indonesian and
# Vietnamese. Leaving out rarely-quoted profiles (so, sw, tl, af, cy) removes
# the usual wrong answers on short sentences.
LATIN_CANDIDATES: tuple[str, ...] = (
    "en", "fr", "de", "es", "it", "pt", "nl", "pl", "cs", "sk", "sl", "hr",
    "ro", "hu", "sv", "da", "no", "fi", "et", "lv", "lt", "tr", "ca", "sq",
    "id", "vi",
)  # fmt: skip
ARABIC_CANDIDATES: tuple[str, ...] = ("ar", "fa", "ur")
DEVANAGARI_CANDIDATES: tuple[str, ...] = ("hi", "mr", "ne")

# Which lowercase Cyrillic letters each language writes. A word containing a
# letter outside a language's set is evidence against that language.
_CYRILLIC_ALPHABETS: dict[str, frozenset[str]] = {
    "ru": frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя"),
    "uk": frozenset("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"),
    "be": frozenset("абвгдеёжзйклмнопрстуўфхцчшыьэюяі"),
    "bg": frozenset("абвгдежзийклмнопрстуфхцчшщъьюяѝ"),
    "mk": frozenset("абвгдѓежзѕијклљмнњопрстќуфхцчџшѐѝ"),
    "sr": frozenset("абвгдђежзијклљмнњопрстћуфхцчџш"),
}

# Scripts that name one language on their own.
_SCRIPT_LANGUAGE: dict[str, str] = {
    "Hangul": "ko",
    "Thai": "th",
    "Greek": "el",
    "Hebrew": "he",
    "Georgian": "ka",
    "Armenian": "hy",
    "Lao": "lo",
    "Khmer": "km",
    "Myanmar": "my",
    "Sinhala": "si",
    "Tamil": "ta",
    "Telugu": "te",
    "Kannada": "kn",
    "Malayalam": "ml",
    "Gujarati": "gu",
    "Gurmukhi": "pa",
    "Bengali": "bn",
    "Tibetan": "bo",
}

# (first, last, script) code point ranges; anything else alphabetic is "Other".
_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "Latin"),
    (0x1E00, 0x1EFF, "Latin"),
    (0x0370, 0x03FF, "Greek"),
    (0x1F00, 0x1FFF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"),
    (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0750, 0x077F, "Arabic"),
    (0x08A0, 0x08FF, "Arabic"),
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFF, "Arabic"),
    (0x0900, 0x097F, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"),
    (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Lao"),
    (0x0F00, 0x0FFF, "Tibetan"),
    (0x1000, 0x109F, "Myanmar"),
    (0x10A0, 0x10FF, "Georgian"),
    (0x1100, 0x11FF, "Hangul"),
    (0x1780, 0x17FF, "Khmer"),
    (0x3040, 0x309F, "Kana"),
    (0x30A0, 0x30FF, "Kana"),
    (0x31F0, 0x31FF, "Kana"),
    (0x3130, 0x318F, "Hangul"),
    (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"),
    (0xA960, 0xA97F, "Hangul"),
    (0xAC00, 0xD7AF, "Hangul"),
    (0xF900, 0xFAFF, "Han"),
    (0xFF66, 0xFF9F, "Kana"),
    (0x20000, 0x3FFFF, "Han"),
)

# Han-only text is Chinese unless it is one of the kanji-only Japanese headlines;
# ask for a few characters and never claim certainty.
_MIN_HAN_FOR_ZH = 4
_HAN_ZH_CAP = 0.95
# A kanji-only Japanese compound ("内閣総理大臣") looks Chinese; a kana-free
# run this long does not happen in Japanese prose.
_SHORT_HAN = 10
_SCRIPT_CAP = 0.99
# A Hangul syllable or a Han character carries about as much as three Latin
# letters, a kana about two; dominance and mixing are judged on that footing.
_SCRIPT_WEIGHT: dict[str, int] = {"Hangul": 3, "Han": 3, "Kana": 2}
# Japanese prose mixes in kana at well above this share; Chinese has none.
_MIN_KANA_SHARE_FOR_JA = 0.05
_LETTERS_SETTLED_CONFIDENCE = 0.95
# langdetect's vote share on a short text says little ("Привет, мир, как дела?"
# came back mk 0.99): below this many letters it never counts as confident.
SHORT_TEXT_LETTERS = 40
_SHORT_TEXT_CAP = 0.75
# When a language langdetect has no profile for (Serbian, Belarusian) fits the
# letters as well as the winner, the winner is a coin toss.
_UNPROFILED_CAP = 0.5

_URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|[@#]\w+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’\u02bc][^\W\d_]+)*")

#: Below this share of words the guessed language's dictionary knows, a guess is not trusted: real
#: texts in their language score 0.82 and more on the real set; Russian or Korean written in Latin
#: letters ("My ne otdadim ni odnogo santimetra", guessed Croatian at 0.99) score under 0.2.
MIN_KNOWN_SHARE = 0.5
#: langdetect's code -> simplemma's, where they differ.
_LEXICON_CODE = {"hr": "hbs", "sr": "hbs", "bs": "hbs", "no": "nb"}
#: langdetect answers that stand for several languages its profiles cannot tell apart: its Croatian
#: profile wins on Serbian and Bosnian written in Latin letters (which have none of their own), at 0.99.
#: The answer stands, capped at :data:`_UNPROFILED_CAP`: a coin toss among them, never confident.
_SHARED_PROFILE = {"hr": ("hr", "sr", "bs")}
#: A text whose cased letters are at least this share capitals (a headline set in capitals) is read in lower case.
SHOUTED_SHARE = 0.6
#: A page that quotes a wire in its own language beside its own text in another ("WASHINGTON — President Trump
#: on Thursday balked ..." above an Italian paragraph) is of two languages: when paragraphs read confidently as
#: another language hold at least this share of the letters, the answer is capped at :data:`_MIXED_CAP`.
MIXED_SHARE = 0.25
_MIXED_CAP = 0.6

SIGNATURE = (
    f"langid:script+letters+langdetect+lexicon|seed={SEED}|min_words={MIN_WORDS}"
    f"|min_letters={MIN_LETTERS}|short_text_letters={SHORT_TEXT_LETTERS}|min_known={MIN_KNOWN_SHARE}"
    f"|shared={','.join(sorted(_SHARED_PROFILE))}|shouted={SHOUTED_SHARE}|mixed={MIXED_SHARE}"
)
"""Labels detections stored with a rendition, so a figure can be reproduced."""


@dataclass(frozen=True)
class Detection:
    """A guess at a text's language; ``language`` is None when the text does not say."""

    language: str | None
    confidence: float
    method: Method


UNDETERMINED = Detection(language=None, confidence=0.0, method="undetermined")


def _script_of(char: str) -> str | None:
    point = ord(char)
    for first, last, script in _SCRIPT_RANGES:
        if first <= point <= last:
            return script
    return "Other" if char.isalpha() else None


def _script_counts(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for char in text:
        if char.isalpha():
            counts[_script_of(char) or "Other"] += 1
    return counts


def _weighted(counts: Counter[str]) -> Counter[str]:
    """Counts in alphabet-letter equivalents, so a Korean sentence quoting two English words stays Korean."""
    return Counter({script: count * _SCRIPT_WEIGHT.get(script, 1) for script, count in counts.items()})


def _script_confidence(share: float, cap: float = _SCRIPT_CAP) -> float:
    """Full confidence when the script owns the text, less when other scripts mix in."""
    return round(min(cap, 0.5 + share / 2), 2)


def _by_cjk(counts: Counter[str]) -> Detection | None:
    hangul, kana, han = counts["Hangul"], counts["Kana"], counts["Han"]
    weighted = _weighted(counts)
    share = (weighted["Hangul"] + weighted["Kana"] + weighted["Han"]) / sum(weighted.values())
    if hangul >= 2 and hangul >= kana:
        return Detection("ko", _script_confidence(share), "script")
    kana_share = kana / (kana + han) if kana + han else 0.0
    if kana + han >= 2 and kana_share >= _MIN_KANA_SHARE_FOR_JA:
        return Detection("ja", _script_confidence(share), "script")
    if han >= _MIN_HAN_FOR_ZH:
        cap = _HAN_ZH_CAP if han >= _SHORT_HAN else _SHORT_TEXT_CAP
        return Detection("zh", _script_confidence(share, cap), "script")
    return None


# --- langdetect -----------------------------------------------------------

_factory_lock = threading.Lock()
_profiles: frozenset[str] | None = None


def _detector_factory() -> DetectorFactory:
    """Load langdetect's 55 profiles once (about 200 ms), on first use, under a lock."""
    global _profiles
    from langdetect import detector_factory

    with _factory_lock:
        detector_factory.init_factory()
        if _profiles is None:
            _profiles = frozenset(detector_factory._factory.get_lang_list())
    return detector_factory._factory


def _langdetect(text: str, candidates: tuple[str, ...] | list[str], *, letters: int) -> Detection:
    """Restricted, seeded langdetect; a fresh detector per call keeps threads apart."""
    from langdetect.lang_detect_exception import LangDetectException

    factory = _detector_factory()
    assert _profiles is not None
    prior = {code: 1.0 for code in candidates if code in _profiles}
    if "zh" in candidates:
        prior.update({"zh-cn": 1.0, "zh-tw": 1.0})
    if not prior:
        return UNDETERMINED
    detector = factory.create()
    detector.seed = SEED
    detector.set_prior_map(prior)
    detector.append(text)
    try:
        ranked = detector.get_probabilities()
    except LangDetectException:
        return UNDETERMINED
    if not ranked:
        return UNDETERMINED
    # zh-cn and zh-tw are one language for us: add their shares.
    shares: Counter[str] = Counter()
    for guess in ranked:
        shares["zh" if guess.lang.startswith("zh") else guess.lang] += guess.prob
    language, share = shares.most_common(1)[0]
    if not _words_known(text, language):
        return UNDETERMINED
    cap = _SCRIPT_CAP if letters >= SHORT_TEXT_LETTERS else _SHORT_TEXT_CAP
    if language in _SHARED_PROFILE:
        cap = min(cap, _UNPROFILED_CAP)
    return Detection(language, round(min(share, cap), 2), "langdetect")


def _words_known(text: str, language: str) -> bool:
    """Does the guessed language's dictionary know most of the words? (True when there is no dictionary.)

    langdetect scores letter n-grams, so a language written in another's letters
    (transliterated Russian, Persian or Korean) still gets a confident guess: the
    nearest language by spelling. A text in the guessed language is mostly words
    its dictionary knows; a transliteration is not, and is then undetermined.
    Capitalised words are left out (names are in no dictionary: "Zelensky a
    rencontré Scholz et Macron" is French), and so is a text with fewer than
    two other words, too short to judge this way.
    """
    from provenance import lemmas

    words = [w for w in _WORD.findall(text) if not w[0].isupper()]
    if len(words) < 2:
        return True
    code = _LEXICON_CODE.get(language, language)
    try:
        known = sum(1 for w in words if lemmas.is_known(w, code))
    except ValueError:  # simplemma has no dictionary for this language
        return True
    return known / len(words) >= MIN_KNOWN_SHARE


# --- Cyrillic letters -------------------------------------------------------


def _cyrillic_candidates(words: list[str]) -> tuple[list[str], list[str]]:
    """Languages whose alphabet fits the most words: those within one stray word, and those that fit best.

    The slack keeps a Russian sentence that names "Київ" from becoming
    Ukrainian: a single word is not enough to rule a language out.
    """
    violations = {
        code: sum(1 for word in words if not set(word) <= alphabet)
        for code, alphabet in _CYRILLIC_ALPHABETS.items()
    }
    best = min(violations.values())
    kept = sorted(code for code, count in violations.items() if count <= best + 1)
    fittest = sorted(code for code, count in violations.items() if count == best)
    return kept, fittest


def _by_cyrillic(text: str, words: list[str], *, letters: int) -> Detection:
    cyrillic_words = [
        word for word in (w.lower().replace("'", "").replace("’", "").replace("\u02bc", "") for w in words)
        if word and all(_script_of(char) == "Cyrillic" for char in word)
    ]
    if not cyrillic_words:
        return UNDETERMINED
    candidates, fittest = _cyrillic_candidates(cyrillic_words)
    if len(candidates) == 1:
        return Detection(candidates[0], _LETTERS_SETTLED_CONFIDENCE, "script")
    detection = _langdetect(text, candidates, letters=letters)
    profiles = _profiles or frozenset()
    if detection.language is not None and any(code not in profiles for code in fittest):
        return Detection(detection.language, min(detection.confidence, _UNPROFILED_CAP), detection.method)
    return detection


# --- public ------------------------------------------------------------------


def _shouted(text: str) -> bool:
    upper = lower = 0
    for ch in text:
        if ch.isupper():
            upper += 1
        elif ch.islower():
            lower += 1
    return upper >= 8 and upper >= SHOUTED_SHARE * (upper + lower)


def detect_language(text: str) -> Detection:
    """Guess the language of ``text``; undetermined rather than a confident wrong guess.

    Deterministic: the same text gives the same :class:`Detection`. The first
    call that reaches langdetect pays about 200 ms to load its profiles.
    """
    if not isinstance(text, str):
        raise InvalidInput(f"text to identify must be a string, got {type(text).__name__}")
    cleaned = _URLISH.sub(" ", unicodedata.normalize("NFC", text))
    if _shouted(cleaned):
        # a headline in capitals: langdetect's profiles are of ordinary text, and read "SE IL PAPA ATTACCA
        # LA NATO" as English at 0.99, "ПУТИН ЗАЯВИЛ" as Ukrainian
        cleaned = cleaned.lower()
    counts = _script_counts(cleaned)
    letters = sum(counts.values())
    if letters == 0:
        return UNDETERMINED
    weighted = _weighted(counts)
    cjk = weighted["Hangul"] + weighted["Kana"] + weighted["Han"]
    dominant, dominant_weight = weighted.most_common(1)[0]
    if cjk >= dominant_weight:
        return _by_cjk(counts) or UNDETERMINED
    if dominant in _SCRIPT_LANGUAGE and counts[dominant] >= 2:
        return Detection(_SCRIPT_LANGUAGE[dominant], _script_confidence(dominant_weight / sum(weighted.values())), "script")

    words = _WORD.findall(cleaned)
    if len(words) < MIN_WORDS or letters < MIN_LETTERS:
        return UNDETERMINED
    if dominant == "Cyrillic":
        return _by_cyrillic(cleaned, words, letters=letters)
    if dominant == "Latin":
        return _unless_mixed(cleaned, _langdetect(cleaned, LATIN_CANDIDATES, letters=letters), LATIN_CANDIDATES)
    if dominant == "Arabic":
        return _langdetect(cleaned, ARABIC_CANDIDATES, letters=letters)
    if dominant == "Devanagari":
        return _langdetect(cleaned, DEVANAGARI_CANDIDATES, letters=letters)
    return UNDETERMINED


_PARAGRAPH = re.compile(r"\n\s*")


def _unless_mixed(text: str, whole: Detection, candidates: tuple[str, ...]) -> Detection:
    """``whole``, unless paragraphs in another language hold :data:`MIXED_SHARE` of the letters: then the
    text is of two languages and ``whole`` is not confident (its language is only the larger part's)."""
    if whole.language is None or whole.confidence < _MIXED_CAP:
        return whole
    paragraphs = [p for p in _PARAGRAPH.split(text) if p.strip()]
    if len(paragraphs) < 2:
        return whole
    letters: Counter[str] = Counter()
    for p in paragraphs:
        n = sum(_script_counts(p).values())
        if n < SHORT_TEXT_LETTERS:
            continue
        d = _langdetect(p, candidates, letters=n)
        letters[d.language if d.language is not None and d.confidence >= 0.8 else ""] += n
    total = sum(letters.values())
    other = sum(n for lang, n in letters.items() if lang and lang != whole.language)
    if total and other / total >= MIXED_SHARE:
        return Detection(whole.language, min(whole.confidence, _MIXED_CAP), whole.method)
    return whole


def language_mismatch(declared: str | None, detection: Detection, *, threshold: float = 0.8) -> bool:
    """True when a confident detection contradicts the declared language (compared by base language).

    Nothing declared or nothing confidently detected is never a mismatch: the
    flag asks a person to look, so it must not cry wolf.
    """
    if declared is None or detection.language is None or detection.confidence < threshold:
        return False
    return base_language(declared) != base_language(detection.language)
