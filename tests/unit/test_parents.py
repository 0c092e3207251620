"""The wrong parent, by shared wording (provenance.drift.parents): pure, on small invented texts."""

from __future__ import annotations

from datetime import datetime, timezone

from provenance.drift.parents import Candidate, rank_parents, suspect_parent

AFP = Candidate("afp-en", "We repeat that we will always stand firmly by our Russian comrades until the day of victory.",
                "en", datetime(2024, 11, 1, 14, tzinfo=timezone.utc))
FR = Candidate("lejdd-fr", '"We reaffirm that we will always stand firmly beside our Russian comrades until the day of '
               'victory," Choe Son Hui declared.', "en", datetime(2024, 11, 1, 18, tzinfo=timezone.utc))
RU = Candidate("ru", "We repeat that we will always stand firmly beside our Russian comrades until the day of victory.",
               "en", datetime(2024, 11, 1, 12, tzinfo=timezone.utc))
CHILD = Candidate("republication", "We reaffirm that we will always stand firmly by our Russian comrades until the day "
                  "of victory.", "en", datetime(2024, 11, 2, tzinfo=timezone.utc))


def test_a_shared_reporting_verb_names_the_likely_parent() -> None:
    found = suspect_parent(CHILD, AFP, [FR, RU])
    assert found is not None and found.better == "lejdd-fr" and "reaffirm" in found.variants
    assert suspect_parent(CHILD, FR, [AFP, RU]) is None  # credited to the right parent: nothing to say


def test_a_rendition_published_after_the_child_cannot_be_its_parent() -> None:
    late = Candidate(FR.key, FR.text, FR.language, datetime(2024, 11, 3, tzinfo=timezone.utc))
    assert suspect_parent(CHILD, AFP, [late, RU]) is None
    assert [r.key for r in rank_parents(CHILD, [AFP, late, RU])] == ["afp-en", "ru"]


def test_synonyms_two_glossers_chose_are_not_evidence() -> None:
    """"win" / "achieve" is a choice of words any translator makes; it names no source."""
    child = Candidate("c", "The army will win a great victory.", "en")
    credited = Candidate("p", "The army will achieve a great victory.", "en")
    other = Candidate("o", "The army will win a great victory in the struggle.", "en")
    assert suspect_parent(child, credited, [other]) is None


def test_ranking_puts_the_distinctive_match_first_and_says_what_is_shared() -> None:
    ranked = rank_parents(CHILD, [AFP, FR, RU])
    assert ranked[0].key == "lejdd-fr" and "reaffirm" in ranked[0].shared
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
