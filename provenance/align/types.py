"""Value types shared by the aligners and the drift checks.

All offsets are Python string indices (code points), half-open ``[start, end)``.
Offsets named ``*_span`` point into the ORIGINAL text of the rendition so that a
page can highlight them; ``*_pivot_span`` point into the comparison (pivot) text
when the hop is compared through a pivot language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Span = tuple[int, int]
TokenOpKind = Literal["equal", "delete", "insert", "replace"]

# Sentence and TokenOp are built by the dozen per hop. A dataclass's generated ``__init__`` stays
# interpreted Python even when mypyc compiles the module (and a frozen one cannot be written
# by hand), so these two spell out ``__init__`` and are not frozen; they keep value equality and
# hashing. Treat them as immutable all the same.


@dataclass(slots=True, init=False, unsafe_hash=True)
class Sentence:
    """One sentence of a text, located by offsets into that text."""

    start: int
    end: int
    text: str

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start, self.end, self.text = start, end, text


@dataclass(slots=True, init=False, unsafe_hash=True)
class TokenOp:
    """A run of tokens kept, deleted, inserted or replaced between parent and child.

    The ``*_pivot_span`` fields locate the run in the comparison texts; the
    ``*_span`` fields locate it in the original texts, at token precision for a
    same-language hop and at sentence precision (the enclosing sentence) when
    the comparison went through a pivot.
    """

    op: TokenOpKind
    parent_text: str
    child_text: str
    parent_span: Span | None
    child_span: Span | None
    parent_pivot_span: Span | None = None
    child_pivot_span: Span | None = None

    def __init__(
        self, op: TokenOpKind, parent_text: str, child_text: str, parent_span: Span | None, child_span: Span | None,
        parent_pivot_span: Span | None = None, child_pivot_span: Span | None = None,
    ) -> None:
        self.op, self.parent_text, self.child_text = op, parent_text, child_text
        self.parent_span, self.child_span = parent_span, child_span
        self.parent_pivot_span, self.child_pivot_span = parent_pivot_span, child_pivot_span


@dataclass(frozen=True, slots=True)
class Bead:
    """An aligned group of sentences: 1-1, 1-0, 0-1, 2-1 or 1-2, or n-m where orphans were rejoined."""

    parent_sentences: tuple[int, ...]
    child_sentences: tuple[int, ...]
    parent_span: Span | None
    child_span: Span | None
    parent_pivot_span: Span | None
    child_pivot_span: Span | None
    score: float
    ops: tuple[TokenOp, ...] = ()

    @property
    def kind(self) -> str:
        return f"{len(self.parent_sentences)}-{len(self.child_sentences)}"


@dataclass(frozen=True, slots=True)
class Alignment:
    """The result of aligning a parent text with a child text."""

    beads: tuple[Bead, ...]
    method: str  # e.g. "similarity-dp" or "length-gale-church"
    parent_sentences: tuple[Sentence, ...] = ()
    child_sentences: tuple[Sentence, ...] = ()
    parent_pivot_sentences: tuple[Sentence, ...] = ()
    child_pivot_sentences: tuple[Sentence, ...] = ()
    notes: tuple[str, ...] = field(default=())
    signature: str = ""  # component, version and parameters, so stored output says how it was made
