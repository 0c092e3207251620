"""Score the drift checks on a labelled dev set: per-category recall and precision.

Usage: ``python bench/quality.py [tests/data/devset.yaml] [-v]``; without a path it prints the
invented sets and then the real set's dev and blind parts side by side.

Matching rule (the held-out set is scored the same way): a finding matches a
label when its category is one the label accepts and, on at least one side the
label names, the finding's span overlaps the labelled words. Spans are compared
in the comparison text (``details["parent_pivot"]`` / ``["child_pivot"]`` when
the hop went through glosses, the finding's own span otherwise), and in the
attribution strings for labels with ``where: attribution``.

Figures: recall per category (labels found / labels), precision per category
(findings matching a label / findings), the same precision counting only major
and critical findings, overall recall, and the share of faithful hops with any
major or critical finding.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from provenance.drift import analyze_hop  # noqa: E402
from provenance.drift.types import SEVERITY_RANK, Finding, Hop  # noqa: E402

DEVSET = ROOT / "tests" / "data" / "devset.yaml"
TARGET_RECALL = 0.9
TARGET_CATEGORY_RECALL = 0.7
TARGET_FAITHFUL_FLAGGED = 0.10


@dataclass
class Label:
    categories: tuple[str, ...]
    parent: str | None
    child: str | None
    where: str  # "text" or "attribution"


@dataclass
class Case:
    id: str
    hop: Hop
    labels: list[Label]
    faithful: bool


@dataclass
class Report:
    labels: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    findings: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    correct: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    findings_major: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    correct_major: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    faithful: int = 0
    faithful_flagged: int = 0
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    flagged_faithful: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        total = sum(self.labels.values())
        return sum(self.found.values()) / total if total else 1.0

    def category_recall(self, cat: str) -> float:
        return self.found[cat] / self.labels[cat] if self.labels[cat] else float("nan")

    def category_precision(self, cat: str, *, major: bool = False) -> float:
        n = (self.findings_major if major else self.findings)[cat]
        return (self.correct_major if major else self.correct)[cat] / n if n else float("nan")

    @property
    def precision(self) -> float:
        n = sum(self.findings.values())
        return sum(self.correct.values()) / n if n else float("nan")

    @property
    def faithful_rate(self) -> float:
        return self.faithful_flagged / self.faithful if self.faithful else 0.0


def load_devset(path: Path = DEVSET) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pivot_language = data.get("pivot_language", "en")
    cases = []
    for raw in data["hops"]:
        p_lang, c_lang = raw["parent_language"], raw["child_language"]
        p_piv, c_piv = raw.get("parent_pivot"), raw.get("child_pivot")
        # A side already in the pivot language is its own gloss, when the other side has one.
        if p_piv is None and c_piv is not None and p_lang == pivot_language:
            p_piv = raw["parent_text"]
        if c_piv is None and p_piv is not None and c_lang == pivot_language:
            c_piv = raw["child_text"]
        hop = Hop(
            parent_text=raw["parent_text"], child_text=raw["child_text"], parent_language=p_lang, child_language=c_lang,
            parent_pivot=p_piv, child_pivot=c_piv, pivot_language=pivot_language,
            parent_attribution=raw.get("parent_attribution"), child_attribution=raw.get("child_attribution"),
            relation=raw.get("relation", "translation"),
        )
        labels = []
        for lab in raw.get("labels") or ():
            cats = lab["category"] if isinstance(lab["category"], list) else [lab["category"]]
            labels.append(Label(tuple(cats), lab.get("parent"), lab.get("child"), lab.get("where", "text")))
        cases.append(Case(raw["id"], hop, labels, bool(raw.get("faithful"))))
    return cases


def _comparison_text(hop: Hop, side: str) -> str:
    if hop.parent_pivot is not None and hop.child_pivot is not None:
        return hop.parent_pivot if side == "parent" else hop.child_pivot
    return hop.parent_text if side == "parent" else hop.child_text


def _finding_span(f: Finding, side: str, where: str, via_pivot: bool) -> tuple[int, int] | None:
    if where == "attribution":
        d = f.details.get(f"{side}_attribution")
        return (d["start"], d["end"]) if d else None
    if via_pivot:
        d = f.details.get(f"{side}_pivot")
        if d:
            return (d["start"], d["end"])
    span = f.parent_span if side == "parent" else f.child_span
    return (span.start, span.end) if span else None


def _label_span(case: Case, label: Label, side: str) -> tuple[int, int] | None:
    words = label.parent if side == "parent" else label.child
    if not words:
        return None
    hop = case.hop
    if label.where == "attribution":
        text = (hop.parent_attribution if side == "parent" else hop.child_attribution) or ""
    else:
        text = _comparison_text(hop, side)
    at = text.find(words)
    if at < 0:
        raise ValueError(f"{case.id}: labelled {side} words {words!r} not found in {text!r}")
    return (at, at + len(words))


def matches(case: Case, label: Label, f: Finding) -> bool:
    if f.category not in label.categories:
        return False
    via_pivot = case.hop.parent_pivot is not None and case.hop.child_pivot is not None
    for side in ("parent", "child"):
        want = _label_span(case, label, side)
        if want is None:
            continue
        got = _finding_span(f, side, label.where, via_pivot)
        if got is not None and got[0] < want[1] and want[0] < got[1]:
            return True
    return False


def score(cases: list[Case]) -> Report:
    rep = Report()
    for case in cases:
        analysis = analyze_hop(case.hop)
        findings = analysis.findings
        for label in case.labels:
            main = label.categories[0]
            rep.labels[main] += 1
            if any(matches(case, label, f) for f in findings):
                rep.found[main] += 1
            else:
                rep.missed.append(f"{case.id}: {main} {label.parent!r} -> {label.child!r}")
        for f in findings:
            ok = any(matches(case, label, f) for label in case.labels)
            rep.findings[f.category] += 1
            rep.correct[f.category] += ok
            if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["major"]:
                rep.findings_major[f.category] += 1
                rep.correct_major[f.category] += ok
            if not ok:
                rep.false.append(f"{case.id}: {f.category}/{f.severity}: {f.explanation}")
        if case.faithful:
            rep.faithful += 1
            serious = [f for f in findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["major"]]
            if serious:
                rep.faithful_flagged += 1
                rep.flagged_faithful.append(f"{case.id}: " + "; ".join(f"{f.category}/{f.severity}" for f in serious))
    return rep


def _pct(x: float) -> str:
    return "  n/a" if x != x else f"{x:5.2f}"


def render(rep: Report, *, verbose: bool = False) -> str:
    cats = sorted(set(rep.labels) | set(rep.findings))
    lines = [f"{'category':24} {'labels':>6} {'recall':>6} {'finds':>6} {'prec':>6} {'prec(maj+)':>10}"]
    for c in cats:
        lines.append(
            f"{c:24} {rep.labels[c]:6d} {_pct(rep.category_recall(c)):>6} {rep.findings[c]:6d} "
            f"{_pct(rep.category_precision(c)):>6} {_pct(rep.category_precision(c, major=True)):>10}"
        )
    lines.append(f"overall recall {rep.recall:.3f} (target >= {TARGET_RECALL}); overall precision {rep.precision:.3f}")
    lines.append(
        f"faithful hops with a major or critical finding: {rep.faithful_flagged}/{rep.faithful} = {rep.faithful_rate:.3f} "
        f"(target <= {TARGET_FAITHFUL_FLAGGED})"
    )
    if verbose:
        lines += ["", "missed labels:"] + [f"  {m}" for m in rep.missed]
        lines += ["", "findings matching no label:"] + [f"  {m}" for m in rep.false]
        lines += ["", "faithful hops flagged:"] + [f"  {m}" for m in rep.flagged_faithful]
    return "\n".join(lines)


def targets_met(rep: Report) -> list[str]:
    """The targets that are NOT met (empty when all are)."""
    failures = []
    if rep.recall < TARGET_RECALL:
        failures.append(f"overall recall {rep.recall:.3f} < {TARGET_RECALL}")
    for c in rep.labels:
        if rep.category_recall(c) < TARGET_CATEGORY_RECALL:
            failures.append(f"{c} recall {rep.category_recall(c):.3f} < {TARGET_CATEGORY_RECALL}")
    if rep.faithful_rate > TARGET_FAITHFUL_FLAGGED:
        failures.append(f"faithful flagged {rep.faithful_rate:.3f} > {TARGET_FAITHFUL_FLAGGED}")
    return failures


def main(argv: list[str]) -> int:
    """With a path: that invented set alone. Without: both invented sets, then the real set's dev and
    blind parts side by side (``bench/real_score.py``), whose blind targets decide the exit code."""
    args = [a for a in argv if not a.startswith("-")]
    if args:
        rep = score(load_devset(Path(args[0])))
        print(render(rep, verbose="-v" in argv))
        failures = targets_met(rep)
        print("targets met" if not failures else "targets NOT met: " + "; ".join(failures))
        return 0 if not failures else 1
    for title, path in (("invented dev set", DEVSET), ("invented held-out set", DEVSET.with_name("heldout.yaml"))):
        rep = score(load_devset(path))
        failures = targets_met(rep)
        print(f"== {title} ({path.relative_to(ROOT)})")
        print(render(rep))
        print("targets met" if not failures else "targets NOT met: " + "; ".join(failures))
        print()
    sys.path.insert(0, str(ROOT / "bench"))
    import real_score

    parts = {n: real_score.score_part(n) for n in ("dev", "blind")}
    print("== real set (tests/data/real): dev tuned on, blind scored only to report")
    print("\n".join(real_score.render(parts)))
    blind = real_score.failures(parts["blind"])
    print("blind: " + ("targets met" if not blind else "targets NOT met: " + "; ".join(blind)))
    return 0 if not blind else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
