"""The dev set scored as bench/quality.py scores it: the drift checks must meet their targets."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _quality():
    spec = importlib.util.spec_from_file_location("bench_quality", ROOT / "bench" / "quality.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_quality"] = module
    spec.loader.exec_module(module)
    return module


quality = _quality()


@pytest.fixture(scope="module", name="fx_report")
def fixture_report():
    return quality.score(quality.load_devset())


def test_devset_covers_languages_categories_and_faithful_hops() -> None:
    cases = quality.load_devset()
    languages = {c.hop.parent_language for c in cases} | {c.hop.child_language for c in cases}
    assert {"ko", "ru", "en", "fr", "de", "es"} <= languages
    assert len(cases) >= 40
    per_category: dict[str, int] = {}
    for case in cases:
        for label in case.labels:
            per_category[label.categories[0]] = per_category.get(label.categories[0], 0) + 1
    assert len(per_category) == 13 and min(per_category.values()) >= 3
    assert sum(c.faithful for c in cases) >= 10
    for case in cases:  # every cross-language hop is compared through glosses
        if case.hop.parent_language != case.hop.child_language and case.id != "e02-ru-en-no-gloss":
            assert case.hop.parent_pivot and case.hop.child_pivot, case.id


def test_overall_recall(fx_report) -> None:
    assert fx_report.recall >= quality.TARGET_RECALL, quality.render(fx_report, verbose=True)


def test_no_category_below_target(fx_report) -> None:
    weak = {c: fx_report.category_recall(c) for c in fx_report.labels if fx_report.category_recall(c) < quality.TARGET_CATEGORY_RECALL}
    assert not weak, quality.render(fx_report, verbose=True)


def test_faithful_hops_rarely_flagged(fx_report) -> None:
    assert fx_report.faithful_rate <= quality.TARGET_FAITHFUL_FLAGGED, quality.render(fx_report, verbose=True)


def test_major_findings_are_mostly_right(fx_report) -> None:
    majors = sum(fx_report.findings_major.values())
    right = sum(fx_report.correct_major.values())
    assert majors and right / majors >= 0.8, quality.render(fx_report, verbose=True)


def test_matching_needs_overlap_and_category() -> None:
    from provenance.drift.types import Finding, TextQuote

    case = next(c for c in quality.load_devset() if c.id == "nu01-en-en-troops")
    label = case.labels[0]
    at = case.hop.parent_text.index("1,500")
    right = Finding("number_change", "critical", TextQuote(at, at + 5, "1,500"), None, "", 1.0, "t")
    elsewhere = Finding("number_change", "critical", TextQuote(0, 5, "North"), None, "", 1.0, "t")
    wrong_category = Finding("omission", "critical", TextQuote(at, at + 5, "1,500"), None, "", 1.0, "t")
    assert quality.matches(case, label, right)
    assert not quality.matches(case, label, elsewhere)
    assert not quality.matches(case, label, wrong_category)
