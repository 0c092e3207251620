"""Words that end in a full stop without ending a sentence, per language (base subtag).

Kept as data beside the segmenter (casefolded, without the final stop). Single
letters ("A.", "г.") and dotted initialisms ("U.S.", "т.е.", "z.B.") are handled
by rule in ``segment.py`` and need no entry here. "etc." is deliberately absent:
it ends sentences as often as not, and the next word's case decides.
"""

from __future__ import annotations

ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "mr mrs ms dr prof st jr sr vs gen col lt sgt capt cmdr adm gov sen rep pres rev hon "
        "inc ltd co corp no nos fig approx dept est jan feb mar apr jun jul aug sep sept oct nov dec "
        "mt ft ave blvd".split()
    ),
    "fr": frozenset("m mm mme mmes mlle mlles dr pr me mgr st ste av apr env cf hab ex p.ex vol chap art no".split()),
    "de": frozenset(
        "dr prof hr fr nr str vgl ggf evtl bzw usw ca sog inkl zzgl bzw abs art mio mrd jh jhd tel "
        "gem ehem gegr geb gest".split()
    ),
    "es": frozenset("sr sra srta sres dr dra ud uds vd vds pág págs núm art aprox av avda gral lic ing dto".split()),
    "it": frozenset("sig sigg dott prof ing avv gen art pag ecc".split()),
    "pt": frozenset("sr sra srta dr dra prof art pág av gen".split()),
    "ru": frozenset(
        "г гг ул д др пр им млн млрд тыс руб коп стр см напр ок проф акад ген полк кв обл р-н "
        "трлн долл ст чел рис табл гл".split()
    ),
    "uk": frozenset(
        "р рр вул д ім млн млрд тис грн коп стор див напр проф акад ген обл ст пл трлн дол чол рис табл".split()
    ),
}

#: Used when the language is unknown: every list at once.
ANY_LANGUAGE: frozenset[str] = frozenset().union(*ABBREVIATIONS.values())

#: Months after which a German "3." is an ordinal date, not a sentence end.
GERMAN_MONTHS: frozenset[str] = frozenset(
    "januar februar märz april mai juni juli august september oktober november dezember".split()
)


def abbreviations_for(language: str | None) -> frozenset[str]:
    """The abbreviation list for a language tag (``"ru-RU"`` uses ``"ru"``)."""
    if not language:
        return ANY_LANGUAGE
    return ABBREVIATIONS.get(language.replace("_", "-").split("-")[0].lower(), frozenset())
