"""Known-answer tests for each drift check, on short multilingual pairs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.drift import ANALYZER_VERSION, analyze_hop, comparison_space, worst_severity
from provenance.drift.lexicon import available_languages, lexicon
from provenance.drift.names import NameMention, find_names, phonetic_key, same_name
from provenance.drift.numbers import find_numbers
from provenance.drift.registry import checks
from provenance.drift.severity import MQM_WEIGHTS
from provenance.drift.types import Finding, Hop

REQUIRED_LANGUAGES = ("en", "fr", "ru", "ko", "de", "es")
CATEGORIES = {
    "omission", "addition", "substitution", "softening", "intensification", "hedge_added", "hedge_removed",
    "modality_shift", "negation_flip", "number_change", "entity_change", "quote_boundary_change", "attribution_change",
}


def hop(parent: str, child: str, pl: str = "en", cl: str = "en", pp: str | None = None, cp: str | None = None, **kw) -> Hop:
    return Hop(parent, child, pl, cl, pp, cp, "en", **kw)


def of(findings: tuple[Finding, ...], *categories: str) -> list[Finding]:
    return [f for f in findings if f.category in categories]


def test_repeat_to_reaffirm_names_both_verbs_with_child_offsets() -> None:
    child = "We reaffirm that we will always stand by our Russian comrades until the day of victory."
    result = analyze_hop(hop("We repeat that we will always stand by our Russian comrades until the day of victory.", child))
    found = of(result.findings, "substitution", "intensification")
    assert len(found) == 1
    f = found[0]
    assert f.parent_span is not None and f.parent_span.exact == "repeat"
    assert f.child_span is not None and (f.child_span.start, f.child_span.end) == (3, 11)
    assert child[f.child_span.start : f.child_span.end] == "reaffirm" == f.child_span.exact
    assert "repeat" in f.explanation and "reaffirm" in f.explanation
    assert f.severity in {"minor", "major", "critical"}


def test_dropping_praise_for_putin_is_a_major_omission_naming_the_words() -> None:
    parent = "Under the wise leadership of Comrade Putin, the Russian army and people will achieve a great victory."
    result = analyze_hop(hop(parent, "The Russian army and people will achieve a great victory."))
    omissions = of(result.findings, "omission")
    assert [f.severity for f in omissions] == ["major"]
    f = omissions[0]
    assert f.parent_span is not None
    assert "wise leadership of Comrade Putin" in f.parent_span.exact
    assert "wise leadership of Comrade Putin" in f.explanation
    assert parent[f.parent_span.start : f.parent_span.end] == f.parent_span.exact


def test_number_change_is_critical() -> None:
    result = analyze_hop(hop("North Korea sent 1,500 troops.", "North Korea sent 3,000 troops."))
    nums = of(result.findings, "number_change")
    assert len(nums) == 1 and nums[0].severity == "critical"
    assert nums[0].parent_span is not None and nums[0].parent_span.exact == "1,500"
    assert nums[0].child_span is not None and nums[0].child_span.exact == "3,000"
    assert worst_severity(result.findings) == "critical"


@pytest.mark.parametrize(
    ("parent", "child", "pl", "cl"),
    [
        ("North Korea sent 1 500 troops.", "North Korea sent 1,500 troops.", "en", "en"),
        ("Pyongyang a envoyé 1 500 soldats.", "Pjöngjang hat 1.500 Soldaten geschickt.", "fr", "de"),
        ("North Korea sent 1,500 troops.", "North Korea sent 1.500 troops.", "en", "en"),
        ("Il y a 1.500,5 tonnes.", "There are 1,500.5 tonnes.", "fr", "en"),
    ],
)
def test_locale_number_formats_agree(parent: str, child: str, pl: str, cl: str) -> None:
    result = analyze_hop(hop(parent, child, pl, cl))
    assert of(result.findings, "number_change") == []


def test_written_numbers_are_read() -> None:
    (three_k,) = find_numbers("three thousand shells", lexicon("en"))
    (trois_k,) = find_numbers("trois mille obus", lexicon("fr"))
    (ko,) = find_numbers("1만 명", lexicon("ko"))
    assert three_k.agrees(trois_k) and 3000.0 in three_k.values
    assert ko.values == frozenset({10000.0})
    result = analyze_hop(hop("They delivered three million shells.", "They delivered three thousand shells."))
    assert [f.severity for f in of(result.findings, "number_change")] == ["critical"]


def test_no_doubt_to_likely_is_a_hedge_or_modality_shift() -> None:
    result = analyze_hop(
        hop("There is no doubt the Russian army will achieve a great victory.", "The Russian army will likely achieve a great victory.")
    )
    cats = {f.category for f in result.findings}
    assert {"hedge_added", "modality_shift"} <= cats
    assert "negation_flip" not in cats  # "no" in "no doubt" is a certainty marker, not a negation
    hedge = of(result.findings, "hedge_added")[0]
    assert hedge.child_span is not None and hedge.child_span.exact == "likely"


def test_same_person_across_scripts_is_not_an_entity_change() -> None:
    same = analyze_hop(hop("Чвэ Сон Хи заявила о поддержке.", "Choe Son Hui declared her support.", "ru", "en"))
    assert same.comparison == "none"
    assert of(same.findings, "entity_change") == []
    other = analyze_hop(hop("Чвэ Сон Хи заявила о поддержке.", "Lavrov declared his support.", "ru", "en"))
    changes = of(other.findings, "entity_change")
    assert len(changes) == 1 and changes[0].severity == "critical"
    assert changes[0].parent_span is not None and changes[0].parent_span.exact == "Чвэ Сон Хи"


@pytest.mark.parametrize("alias", ["Choe Son Hui", "Чвэ Сон Хи", "Цой Сон Хи", "최선희", "Choe Son-hui"])
def test_aliases_of_choe_son_hui_match(alias: str) -> None:
    (mention,) = [n for n in find_names(f"Said {alias} today.") if n.entity]
    assert mention.entity == "choe-son-hui"


def test_transliterated_names_outside_the_table_match_fuzzily() -> None:
    a = NameMention(0, 6, "Kuleba", None, "name", phonetic_key("Kuleba"))
    b = NameMention(0, 6, "Кулеба", None, "name", phonetic_key("Кулеба"))
    c = NameMention(0, 6, "Sybiha", None, "name", phonetic_key("Sybiha"))
    assert same_name(a, b)
    assert not same_name(a, c)


def test_negation_flip_is_critical() -> None:
    result = analyze_hop(hop("The troops are not stationed at Russian bases.", "The troops are stationed at Russian bases."))
    flips = of(result.findings, "negation_flip")
    assert len(flips) == 1 and flips[0].severity == "critical"
    assert flips[0].parent_span is not None and flips[0].parent_span.exact == "not"


def test_faithful_rewording_gets_nothing_major() -> None:
    result = analyze_hop(
        hop(
            "We reaffirm that we will always stand firmly by our Russian comrades until the day of victory.",
            "We reaffirm that we will always stand firmly with our Russian comrades until victory day.",
        )
    )
    assert worst_severity(result.findings) in {None, "minor"}


def test_modality_could_to_will() -> None:
    result = analyze_hop(hop("The troops could be deployed in Ukraine.", "The troops will be deployed in Ukraine."))
    (f,) = of(result.findings, "modality_shift")
    assert f.parent_span is not None and f.parent_span.exact == "could"
    assert f.child_span is not None and f.child_span.exact == "will"


def test_intensifier_added_and_removed() -> None:
    up = analyze_hop(hop("We support Russia.", "We fully support Russia."))
    down = analyze_hop(hop("Kiev a fermement condamné la livraison.", "Kiev a condamné la livraison.", "fr", "fr"))
    assert [f.category for f in up.findings] == ["intensification"]
    assert [f.category for f in down.findings] == ["softening"]
    assert down.findings[0].parent_span is not None and down.findings[0].parent_span.exact == "fermement"


def test_hedge_removed_french_conditional() -> None:
    result = analyze_hop(hop("Pyongyang aurait envoyé des soldats.", "Pyongyang a envoyé des soldats.", "fr", "fr"))
    (f,) = of(result.findings, "hedge_removed")
    assert f.parent_span is not None and f.parent_span.exact == "aurait"


def test_quote_turned_into_paraphrase() -> None:
    result = analyze_hop(hop('"We will always stand by our Russian comrades," Choe said.', "Choe said North Korea would always stand by its Russian comrades."))
    assert of(result.findings, "quote_boundary_change")
    assert of(result.findings, "modality_shift") == []  # will -> would is the backshift of reported speech


def test_attribution_evidence_dropped() -> None:
    result = analyze_hop(
        hop("We stand by Russia.", "We stand by Russia.", parent_attribution="according to an AFP report based on a Russian translation",
            child_attribution="selon l'AFP")
    )
    (f,) = of(result.findings, "attribution_change")
    assert f.severity == "major"
    assert f.details["parent_attribution"]["exact"].startswith("translation")
    kept = analyze_hop(hop("We stand by Russia.", "We stand by Russia.", parent_attribution="based on a Russian translation",
                           child_attribution="selon une traduction russe citée par l'AFP"))
    assert of(kept.findings, "attribution_change") == []


def test_pivot_hop_keeps_original_offsets_and_pivot_span_in_details() -> None:
    h = hop("Мы не направляли войска в Россию.", "We sent troops to Russia.", "ru", "en",
            pp="We did not send troops to Russia.", cp="We sent troops to Russia.")
    result = analyze_hop(h)
    (f,) = of(result.findings, "negation_flip")
    assert f.parent_span is not None and f.parent_span.exact == h.parent_text[f.parent_span.start : f.parent_span.end]
    assert f.details["parent_pivot"]["exact"] == "not"
    assert result.comparison == "pivot" and "chrf" in result.scores


def test_no_comparison_space_says_so_and_skips_wording_checks() -> None:
    result = analyze_hop(hop("Мы всегда будем с Россией.", "Nous serons toujours avec la Russie.", "ru", "fr"))
    assert comparison_space(Hop("a", "b", "ru", "fr", None, None, "en")) == "none"
    assert result.scores["compared"] == 0.0 and "chrf" not in result.scores
    assert any("only language-independent checks ran" in n for n in result.notes)


def test_scores_and_drift_weights() -> None:
    result = analyze_hop(hop("North Korea sent 1,500 troops.", "North Korea sent 3,000 troops."))
    assert result.scores["drift"] == sum(MQM_WEIGHTS[f.severity] for f in result.findings) >= 25
    assert 0 < result.scores["chrf"] < 1 and 0 < result.scores["coverage"] < 1
    assert result.scores["length_ratio"] == pytest.approx(1.0)
    assert result.signature.startswith(ANALYZER_VERSION)


def test_every_check_is_registered_and_categories_are_known() -> None:
    names = {c.name for c in checks()}
    assert {"number_change", "entity_change", "negation_flip", "hedge", "modality_shift", "intensity",
            "quote_boundary_change", "attribution_change", "omission", "addition", "substitution"} <= names


@pytest.mark.parametrize("language", REQUIRED_LANGUAGES)
def test_word_lists_exist_per_language(language: str) -> None:
    assert language in available_languages()
    lex = lexicon(language)
    kinds = {e.kind for bucket in lex.entries.values() for e in bucket}
    assert {"hedge", "booster", "intensifier", "softener", "modal", "negation", "reporting"} <= kinds
    assert lex.stopwords and lex.first_person


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab-Z9_ ’“”«»—\u00a0é\u0301Жß.")), max_size=40))
def test_number_candidate_words_are_those_of_the_unicode_expression(text: str) -> None:
    """The plain-``re`` shortcut for ASCII texts must read the same words as the ``regex`` module."""
    from provenance.drift.numbers import _WORD, word_runs

    assert word_runs(text) == _WORD.findall(text)


@pytest.mark.parametrize("text, lang, value", [("в течение ста лет", "ru", 100.0),
                                                ("двести тридцать пять человек", "ru", 235.0),
                                                ("двести тысяч человек", "ru", 200000.0),
                                                ("п’ять тисяч людей", "uk", 5000.0)])
def test_number_words_of_languages_text2num_does_not_read_come_from_the_word_list(text: str, lang: str,
                                                                                  value: float) -> None:
    from provenance.drift.lexicon import lexicon
    from provenance.drift.numbers import find_numbers

    (found,) = find_numbers(text, lexicon(lang))
    assert found.values == {value} and not found.written_in_digits
    same = analyze_hop(Hop(f"«Перемен не было {text}», — сказал он.", f"«Перемен не было {int(value)}», — сказал он.",
                           lang, lang, None, None, "en"))
    assert not [f for f in same.findings if f.category == "number_change"]
