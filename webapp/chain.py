"""Lay out a deal's impact chain as a diagram the server draws as SVG.

The chain has five fixed stages, so the layout is layered by stage: one column each for
ambition, policy & strategy, activities, outputs and impacts, left to right, with a sixth
column of working elements beside the impacts and a row of beneficiary groups below. Within
a column, nodes are ordered by the mean position of their neighbours (a few barycentre
sweeps) so that links cross less. Pure functions: no Flask, no graph.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

STAGES = ("ambition", "policy", "activity", "output", "impact")
SIDE = "working_element"
BELOW = "beneficiary_group"

BOX_WIDTH = 184
COLUMN_GAP = 44
HEADER_HEIGHT = 40
BOX_GAP = 14
LINE_HEIGHT = 15
BOX_PADDING = 9
CHARS_PER_LINE = 23
MAX_LINES = 4
MAX_PER_COLUMN = 12
MARGIN = 12
BELOW_GAP = 40


@dataclass(frozen=True, slots=True)
class ChainNode:
    iri: str
    stage: str
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ChainEdge:
    """A link between two nodes; ``notes`` are assumption numbers shown on it."""

    source: str
    target: str
    kind: str
    notes: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Box:
    node: ChainNode | None
    x: int
    y: int
    width: int
    height: int
    lines: tuple[str, ...]
    stage: str
    more_count: int = 0
    """For the overflow box of a full column: how many nodes it stands for."""


@dataclass(frozen=True, slots=True)
class Path:
    source: str
    target: str
    kind: str
    d: str
    notes: tuple[int, ...]
    note_x: int
    note_y: int


@dataclass(frozen=True, slots=True)
class Header:
    stage: str
    x: int
    y: int
    width: int


@dataclass(frozen=True, slots=True)
class Diagram:
    width: int
    height: int
    headers: tuple[Header, ...]
    boxes: tuple[Box, ...]
    paths: tuple[Path, ...]

    @property
    def is_empty(self) -> bool:
        return not any(box.node for box in self.boxes)


def wrap(label: str, detail: str = "") -> tuple[str, ...]:
    lines = textwrap.wrap(label, CHARS_PER_LINE, break_long_words=True) or [""]
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES - 1], textwrap.shorten(" ".join(lines[MAX_LINES - 1:]),
                                                          CHARS_PER_LINE, placeholder="…")]
    if detail:
        lines.append(textwrap.shorten(detail, CHARS_PER_LINE, placeholder="…"))
    return tuple(lines)


def box_height(lines: Sequence[str]) -> int:
    return len(lines) * LINE_HEIGHT + 2 * BOX_PADDING


def order_columns(columns: dict[str, list[ChainNode]], edges: Sequence[ChainEdge],
                  sweeps: int = 4) -> dict[str, list[ChainNode]]:
    """Reorder each column by the mean position of its neighbours in the columns beside it."""
    neighbours: dict[str, set[str]] = {}
    for edge in edges:
        neighbours.setdefault(edge.source, set()).add(edge.target)
        neighbours.setdefault(edge.target, set()).add(edge.source)
    order = [*STAGES, SIDE]
    ordered = {stage: list(nodes) for stage, nodes in columns.items()}
    for sweep in range(sweeps):
        stages = order if sweep % 2 == 0 else list(reversed(order))
        for stage in stages:
            nodes = ordered.get(stage, [])
            position = {n.iri: i for column in ordered.values() for i, n in enumerate(column)}

            def centre(node: ChainNode, current: int, position: dict[str, int] = position) -> float:
                found = [position[other] for other in neighbours.get(node.iri, ()) if other in position]
                return sum(found) / len(found) if found else float(current)

            keyed = [(centre(n, i), i, n) for i, n in enumerate(nodes)]
            ordered[stage] = [n for _, _, n in sorted(keyed, key=lambda item: (item[0], item[1]))]
    return ordered


def layout(nodes: Sequence[ChainNode], edges: Sequence[ChainEdge]) -> Diagram:
    """Columns by stage, boxes stacked and centred, links as curves from right to left edge."""
    columns: dict[str, list[ChainNode]] = {stage: [] for stage in (*STAGES, SIDE)}
    below: list[ChainNode] = []
    for node in nodes:
        if node.stage == BELOW:
            below.append(node)
        elif node.stage in columns:
            columns[node.stage].append(node)
    columns = order_columns(columns, edges)
    used = [stage for stage in (*STAGES, SIDE) if stage in STAGES or columns[stage]]
    stacks: dict[str, list[Box]] = {}
    for index, stage in enumerate(used):
        x = MARGIN + index * (BOX_WIDTH + COLUMN_GAP)
        shown = columns[stage][:MAX_PER_COLUMN]
        boxes = [Box(node, x, 0, BOX_WIDTH, box_height(lines := wrap(node.label, node.detail)), lines, stage)
                 for node in shown]
        hidden = len(columns[stage]) - len(shown)
        if hidden:
            lines = (f"+ {hidden}",)
            boxes.append(Box(None, x, 0, BOX_WIDTH, box_height(lines), lines, stage, more_count=hidden))
        stacks[stage] = boxes
    tallest = max((sum(b.height for b in boxes) + BOX_GAP * max(0, len(boxes) - 1)
                   for boxes in stacks.values()), default=0)
    placed: list[Box] = []
    for boxes in stacks.values():
        total = sum(b.height for b in boxes) + BOX_GAP * max(0, len(boxes) - 1)
        y = MARGIN + HEADER_HEIGHT + (tallest - total) // 2
        for box in boxes:
            placed.append(_moved(box, box.x, y))
            y += box.height + BOX_GAP
    width = MARGIN * 2 + len(used) * BOX_WIDTH + (len(used) - 1) * COLUMN_GAP
    height = MARGIN + HEADER_HEIGHT + tallest + MARGIN
    if below:
        y = height + BELOW_GAP
        per_row = max(1, (width - MARGIN) // (BOX_WIDTH + BOX_GAP))
        row_height = 0
        for index, node in enumerate(below[:MAX_PER_COLUMN]):
            if index and index % per_row == 0:
                y += row_height + BOX_GAP
                row_height = 0
            lines = wrap(node.label, node.detail)
            x = MARGIN + (index % per_row) * (BOX_WIDTH + BOX_GAP)
            placed.append(Box(node, x, y, BOX_WIDTH, box_height(lines), lines, BELOW))
            row_height = max(row_height, box_height(lines))
        height = y + row_height + MARGIN
    by_iri = {box.node.iri: box for box in placed if box.node is not None}
    paths = tuple(path for edge in edges if (path := _path(edge, by_iri)) is not None)
    headers = tuple(Header(stage, MARGIN + i * (BOX_WIDTH + COLUMN_GAP), MARGIN + 16, BOX_WIDTH)
                    for i, stage in enumerate(used))
    below_ys = [box.y for box in placed if box.stage == BELOW]
    if below_ys:
        headers += (Header(BELOW, MARGIN, min(below_ys) - 12, BOX_WIDTH),)
    return Diagram(width, height, headers, tuple(placed), paths)


def _moved(box: Box, x: int, y: int) -> Box:
    return Box(box.node, x, y, box.width, box.height, box.lines, box.stage, box.more_count)


def _path(edge: ChainEdge, by_iri: dict[str, Box]) -> Path | None:
    source, target = by_iri.get(edge.source), by_iri.get(edge.target)
    if source is None or target is None:
        return None
    if source.stage == BELOW or target.stage == BELOW:
        top, bottom = (source, target) if source.y < target.y else (target, source)
        x1, y1 = top.x + top.width // 2, top.y + top.height
        x2, y2 = bottom.x + bottom.width // 2, bottom.y
        bend = (y2 - y1) // 2
        d = f"M{x1},{y1} C{x1},{y1 + bend} {x2},{y2 - bend} {x2},{y2}"
    else:
        left, right = (source, target) if source.x <= target.x else (target, source)
        x1, y1 = left.x + left.width, left.y + left.height // 2
        x2, y2 = right.x, right.y + right.height // 2
        bend = max(20, (x2 - x1) // 2)
        d = f"M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}"
    return Path(edge.source, edge.target, edge.kind, d, edge.notes, (x1 + x2) // 2, (y1 + y2) // 2)
