"""Lemmas and dictionary words in every language, from simplemma, with one dictionary cache for them all.

simplemma's module functions (``simplemma.lemmatize``, ``simplemma.is_known``)
share a cache of eight languages' dictionaries. The product reads more: the
analysis lemmatises ten (``drift.context``), language identification checks the
words of whatever language it guesses, intake reads German nouns. A ninth
language evicts one of the others, and its next use builds that dictionary
again from disk: 0.2 s for English, 1.2 s for Russian, 3.4 s for Polish, inside
a trace or an analysis, holding the worker's interpreter the while. A trace bench
cycling through its real news sentences in nine languages spent 3.5 s on one
of them this way; with room for sixteen dictionaries each is built once per
process. The room is bounded: the ten languages the analysis lemmatises hold
about 1 GB when all are loaded, a language nobody sends is never loaded.
"""

from __future__ import annotations

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries import DefaultDictionaryFactory
from simplemma.utils import normalize_token, validate_lang_input

#: How many languages' dictionaries stay loaded (simplemma's own default is 8).
DICTIONARIES = 16

_FACTORY = DefaultDictionaryFactory(cache_max_size=DICTIONARIES)
_LEMMATIZER = Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_FACTORY))
_LOOKUP = DictionaryLookupStrategy(_FACTORY)


def lemmatize(word: str, lang: str) -> str:
    """``word``'s lemma in ``lang`` (the word itself when the dictionary lacks it), as ``simplemma.lemmatize``."""
    return _LEMMATIZER.lemmatize(word, lang)


def is_known(word: str, lang: str) -> bool:
    """Whether ``lang``'s dictionary holds ``word``, as ``simplemma.is_known``; ValueError for a language simplemma
    has no dictionary for."""
    token = normalize_token(word)
    return any(_LOOKUP.get_lemma(token, code) is not None for code in validate_lang_input(lang))
