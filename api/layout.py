"""Lay out a lineage graph for SVG, left to right from the origin (pure: nodes and edges in, boxes out)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NODE_W, NODE_H = 200, 104
GAP_X, GAP_Y = 120, 34
PAD = 20


@dataclass(frozen=True)
class Box:
    node: dict[str, Any]
    x: int
    y: int


@dataclass(frozen=True)
class Wire:
    edge: dict[str, Any]
    path: str
    label_x: int
    label_y: int


def layout(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> tuple[list[Box], list[Wire], int, int]:
    """Columns by longest distance from an origin; rows in input order within a column."""
    parents: dict[str, list[str]] = {}
    for e in edges:
        parents.setdefault(e["target"], []).append(e["source"])
    depth: dict[str, int] = {}

    def depth_of(nid: str, seen: frozenset[str] = frozenset()) -> int:
        if nid not in depth:
            ps = [p for p in parents.get(nid, []) if p not in seen]
            depth[nid] = 0 if not ps else 1 + max(depth_of(p, seen | {nid}) for p in ps)
        return depth[nid]

    columns: dict[int, list[dict[str, Any]]] = {}
    for n in nodes:
        columns.setdefault(depth_of(n["id"]), []).append(n)
    boxes: dict[str, Box] = {}
    for col, members in columns.items():
        for row, n in enumerate(members):
            boxes[n["id"]] = Box(n, PAD + col * (NODE_W + GAP_X), PAD + row * (NODE_H + GAP_Y))
    wires = []
    for e in edges:
        a, b = boxes[e["source"]], boxes[e["target"]]
        x1, y1 = a.x + NODE_W, a.y + NODE_H // 2
        x2, y2 = b.x, b.y + NODE_H // 2
        mid = (x1 + x2) // 2
        wires.append(Wire(e, f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2 - 6},{y2}", mid, (y1 + y2) // 2 - 10))
    width = PAD * 2 + (max(columns, default=0) + 1) * (NODE_W + GAP_X) - GAP_X
    height = PAD * 2 + max((len(m) for m in columns.values()), default=1) * (NODE_H + GAP_Y) - GAP_Y
    return [boxes[n["id"]] for n in nodes], wires, width, height
