"""``difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()``, in a module mypyc compiles.

The token diff of every bead goes through this. difflib is interpreted Python
in the standard library, so it ran at interpreter speed beside compiled code;
this is the same algorithm (Ratcliff/Obershelp: the longest matching block,
then the same on each side of it), without the junk heuristics we never used,
and gives the same opcodes (a property test compares them with difflib's).
"""

from __future__ import annotations

from collections.abc import Sequence

Opcode = tuple[str, int, int, int, int]


def _longest_match(
    a: Sequence[str], b: Sequence[str], b2j: dict[str, list[int]], alo: int, ahi: int, blo: int, bhi: int
) -> tuple[int, int, int]:
    """difflib's ``find_longest_match`` without junk: the earliest of the longest blocks a[i:i+k] == b[j:j+k]."""
    besti, bestj, bestsize = alo, blo, 0
    j2len: dict[int, int] = {}
    nothing: list[int] = []
    for i in range(alo, ahi):
        new_j2len: dict[int, int] = {}
        for j in b2j.get(a[i], nothing):
            if j < blo:
                continue
            if j >= bhi:
                break
            k = j2len.get(j - 1, 0) + 1
            new_j2len[j] = k
            if k > bestsize:
                besti, bestj, bestsize = i - k + 1, j - k + 1, k
        j2len = new_j2len
    return besti, bestj, bestsize


def matching_blocks(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int, int]]:
    """difflib's ``get_matching_blocks``: (i, j, n) triples, adjacent blocks merged, ending with (len(a), len(b), 0)."""
    b2j: dict[str, list[int]] = {}
    for j, elt in enumerate(b):
        b2j.setdefault(elt, []).append(j)
    la, lb = len(a), len(b)
    queue = [(0, la, 0, lb)]
    found: list[tuple[int, int, int]] = []
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        i, j, k = _longest_match(a, b, b2j, alo, ahi, blo, bhi)
        if k:
            found.append((i, j, k))
            if alo < i and blo < j:
                queue.append((alo, i, blo, j))
            if i + k < ahi and j + k < bhi:
                queue.append((i + k, ahi, j + k, bhi))
    found.sort()
    merged: list[tuple[int, int, int]] = []
    i1 = j1 = k1 = 0
    for i2, j2, k2 in found:
        if i1 + k1 == i2 and j1 + k1 == j2:
            k1 += k2
        else:
            if k1:
                merged.append((i1, j1, k1))
            i1, j1, k1 = i2, j2, k2
    if k1:
        merged.append((i1, j1, k1))
    merged.append((la, lb, 0))
    return merged


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """difflib's ``get_opcodes``: how to turn ``a`` into ``b``, as (tag, i1, i2, j1, j2)."""
    i = j = 0
    out: list[Opcode] = []
    for ai, bj, size in matching_blocks(a, b):
        tag = ""
        if i < ai and j < bj:
            tag = "replace"
        elif i < ai:
            tag = "delete"
        elif j < bj:
            tag = "insert"
        if tag:
            out.append((tag, i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            out.append(("equal", ai, i, bj, j))
    return out
