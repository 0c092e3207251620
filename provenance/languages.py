"""Language tags: one validated, standard spelling for every language code we store.

Renditions, glossaries and translator calls all key on language tags, so a
rendition tagged ``KO`` and one tagged ``ko`` must not look like two languages.
Everything that accepts a language code from a person goes through
:func:`normalize_language` first.

Name lookups need the ``language_data`` package (langcodes' ``[data]`` extra);
it is plain data shipped in the wheel, so this module works offline.
"""

from __future__ import annotations

import re
from functools import lru_cache

import langcodes

from provenance.errors import InvalidInput

__all__ = ["base_language", "language_name", "normalize_language"]

_EXAMPLES = "use a BCP-47 tag such as 'ko', 'ru', 'en', 'fr'"
_MAX_TAG_LENGTH = 64

# Registered codes that name no language: "undetermined", "multiple",
# "no linguistic content", "missing". Undetermined is spelled None in this
# project, never "und".
_NOT_A_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})
# ISO 639 reserves qaa..qtz for private use: valid, but mean nothing to anyone else.
_PRIVATE_USE = re.compile(r"^q[a-t][a-z]$")


def _refuse(code: object, field: str, reason: str) -> InvalidInput:
    shown = code[:_MAX_TAG_LENGTH] + "..." if isinstance(code, str) and len(code) > _MAX_TAG_LENGTH else code
    message = f"{reason} {shown!r} in field {field!r}: {_EXAMPLES}"
    return InvalidInput(message, field_errors=[{"field": field, "message": message}])


def normalize_language(code: str, *, field: str = "language") -> str:
    """Return the standard spelling of a language tag, or refuse it.

    Case is fixed and deprecated codes are replaced ("KO" -> "ko",
    "zh-cn" -> "zh-CN", "iw" -> "he", "cmn" -> "zh"). POSIX locale spellings
    such as "en_US" are accepted and normalised to "en-US", because that is what
    people paste from their systems and the meaning is unambiguous. A tag must
    be well formed *and* its language subtag must be a registered language with a
    known name: "xx", "klingon", "12", "und", private-use codes and unknown
    regions or scripts ("en-XQ") are refused.
    """
    if not isinstance(code, str):
        raise _refuse(code, field, "language code must be a string, got")
    raw = code.strip()
    if not raw:
        message = f"missing language code in field {field!r}: {_EXAMPLES}"
        raise InvalidInput(message, field_errors=[{"field": field, "message": message}])
    tag = _standard_tag(raw) if len(raw) <= _MAX_TAG_LENGTH else None
    if tag is None:
        raise _refuse(raw, field, "unknown language code")
    return tag


@lru_cache(maxsize=1_024)
def _standard_tag(raw: str) -> str | None:
    """:func:`normalize_language`'s answer for a stripped tag, None when it is refused; remembered, since
    langcodes takes a twentieth of a millisecond per tag and a trace asks for a handful."""
    if not langcodes.tag_is_valid(raw):
        return None
    try:
        tag = langcodes.standardize_tag(raw, macro=True)
        language = langcodes.Language.get(tag)
    except (langcodes.LanguageTagError, ValueError):
        return None
    subtag = language.language
    if (
        subtag is None
        or subtag.startswith("x-")
        or subtag in _NOT_A_LANGUAGE
        or _PRIVATE_USE.match(subtag)
        or not language.is_valid()
        # A registered language with a private-use or unassigned region or script
        # ("en-XQ", "en-Zzzz") is valid syntax but names nothing a reader knows.
        or "Unknown" in language.display_name("en")
    ):
        return None
    return tag


def base_language(tag: str) -> str:
    """The language subtag alone ("zh-CN" -> "zh"), for comparing languages across regions and scripts."""
    language = langcodes.Language.get(normalize_language(tag, field="tag")).language
    assert language is not None  # normalize_language refuses tags without one
    return language


def language_name(tag: str) -> str:
    """English display name ("ko" -> "Korean", "en-GB" -> "English (United Kingdom)") for people reading reports."""
    return langcodes.Language.get(normalize_language(tag, field="tag")).display_name("en")
