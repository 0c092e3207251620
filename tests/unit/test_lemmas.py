"""The lemmatiser keeps every language the product reads loaded: a dictionary is built once per process."""

from __future__ import annotations

import simplemma

from provenance import lemmas
from provenance.drift.context import _LEMMA_LANGS

WORDS = {"en": "running", "fr": "maisons", "de": "Entlastungen", "es": "casas", "it": "case", "pt": "casas",
         "ru": "говорил", "uk": "говорив", "nl": "huizen", "pl": "domy"}


def test_the_languages_the_analysis_lemmatises_are_each_loaded_once() -> None:
    """simplemma's own functions keep eight dictionaries: going round the ten languages the analysis lemmatises
    rebuilt each from disk on every round (up to 3.4 s for Polish, inside a trace or an analysis)."""
    assert set(WORDS) == set(_LEMMA_LANGS) and len(WORDS) > 8
    cache = lemmas._FACTORY._get_dictionary
    misses = []
    for _ in range(2):
        for lang, word in WORDS.items():
            assert lemmas.is_known(word, lang) and lemmas.lemmatize(word, lang) != word
        misses.append(cache.cache_info().misses)
    assert misses[1] == misses[0]  # the second round builds nothing: all ten stayed loaded


def test_the_lemmatiser_answers_as_simplemma_does() -> None:
    for lang, word in (("de", "Entlastungen"), ("de", "Habeck"), ("en", "wouldn't"), ("fr", "xyzzy")):
        assert lemmas.lemmatize(word, lang) == simplemma.lemmatize(word, lang=lang)
        assert lemmas.is_known(word, lang) == simplemma.is_known(word, lang=lang)
