"""Node-link JSON (networkx, D3), written one node or edge at a time with the bytes of one
`json.dump(..., indent=1, sort_keys=True, ensure_ascii=False)` of the whole document."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring as _json_text
from operator import itemgetter
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from aiorg.export.files import atomic_text
from aiorg.export.naming import edge_attributes, relation_of

if TYPE_CHECKING:
    from aiorg.export.lines import Merged
    from aiorg.export.whole import ExportGraph
    from aiorg.kb import KnowledgeBase

_BATCH = 4096  # rows written at a time


def _json_value(value: Any) -> str:
    """A scalar as json.dump writes it (floats by repr, NaN and Infinity as the json module does)."""
    if isinstance(value, str):
        return _json_text(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _json_float(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)  # pragma: no cover - attributes are scalars


def _json_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _json_object(item: dict[str, Any]) -> str:
    """One node or edge as `json.dump(..., indent=1, sort_keys=True)` writes it inside the lists:
    two spaces in, one attribute a line. Written by hand because json's indenting encoder is
    pure Python (most of the time of a 100k export); the values are scalars, never nested."""
    if not item:
        return "  {}"
    lines = ",\n".join(f"   {_json_text(name)}: {_json_value(value)}" for name, value in sorted(item.items()))
    return f"  {{\n{lines}\n  }}"


#: a character JSON never escapes, to escape a row's texts in one call and cut them apart again
_APART = "\ue000"
#: the characters json.dump escapes in a text with ensure_ascii=False (encode_basestring's set)
_JSON_ESCAPED = re.compile(r'["\\\x00-\x1f]')


class _JsonLayouts:
    """`_json_object` for rows (first values, then a dict of attributes), with the sorted template
    of each distinct set of attribute names made once: at 100k people 750k rows share a few
    dozen layouts. `first` are the names the leading values take (id; source, target, key).

    A layout also notes which values were not text in the first row it met (`disputed`,
    numbers): those are written as JSON literals (which hold no character JSON escapes), then
    every value is put in the template's order and, in most rows, the whole row has nothing to
    escape and is written in one `%`; otherwise its values are escaped in one call and cut apart
    again. Any row is written right whatever it holds.
    """

    def __init__(self, first: tuple[str, ...], rename_type: bool) -> None:
        self.first = first
        self.rename_type = rename_type  # edges: `type` is written as `relation` (edge_attributes)
        self.layouts: dict[tuple[str, ...], _Layout | None] = {}

    def _layout(self, names: tuple[str, ...], values: list[Any]) -> _Layout | None:
        """The layout of these names (None if names clash), its literals where `values` are not text."""
        renamed = [*self.first, *names]
        type_at = -1
        if self.rename_type and "type" in names:
            type_at = len(self.first) + names.index("type")
            renamed[type_at] = "relation"
        if len(set(renamed)) != len(renamed) or not renamed:
            return None
        order = sorted(range(len(renamed)), key=renamed.__getitem__)
        literals = tuple(i for i in order if type(values[i]) is not str and i != type_at)
        lines = ",\n".join(
            "   " + _json_text(renamed[i]).replace("%", "%%") + (": %s" if i in literals else ': "%s"') for i in order
        )
        getter = itemgetter(*order) if len(order) > 1 else lambda row: (row[order[0]],)
        return _Layout(f"  {{\n{lines}\n  }}", type_at, literals, getter)

    def text(self, first: tuple[Any, ...], data: dict[str, Any]) -> str:
        names = tuple(data)
        values = [*first, *data.values()]
        layout = self.layouts.get(names, ...)
        if layout is ...:
            layout = self.layouts[names] = self._layout(names, values)
        if layout is None:  # names clash (no record field takes these names)
            return _json_object(_named(self.first, first, data, self.rename_type))
        if layout.type_at >= 0:
            values[layout.type_at] = relation_of(str(values[layout.type_at]))
        for at in layout.literals:
            value = values[at]
            if type(value) is str:  # text where the layout's first row had a literal
                return _json_object(_named(self.first, first, data, self.rename_type))
            values[at] = _json_value(value)
        ordered = layout.order(values)
        try:
            joined = _APART.join(ordered)
        except TypeError:  # a number or a boolean where the layout's first row had text
            return _json_object(_named(self.first, first, data, self.rename_type))
        if _JSON_ESCAPED.search(joined) is None:  # most rows: nothing to escape
            return layout.template % ordered
        parts = _json_text(joined)[1:-1].split(_APART)  # escaped in one call, then cut apart again
        if len(parts) != len(ordered):  # a text holding _APART itself, which cuts into more parts
            return _json_object(_named(self.first, first, data, self.rename_type))
        return layout.template % tuple(parts)


@dataclass(frozen=True, slots=True)
class _Layout:
    """How a row of one set of attribute names is written (see _JsonLayouts)."""

    template: str  # %-template: every value, in sorted name order, texts quoted
    type_at: int  # where `type` is, renamed `relation` (-1: none)
    literals: tuple[int, ...]  # value positions written as literals
    order: Callable[[list[Any]], tuple[Any, ...]]  # the values in sorted name order


def _named(names: tuple[str, ...], first: tuple[Any, ...], data: dict[str, Any], rename_type: bool) -> dict[str, Any]:
    item = dict(zip(names, first, strict=True))
    item.update(edge_attributes(data) if rename_type else data)
    return item


def _json_list(stream: IO[str], texts: Iterator[str]) -> None:
    first = next(texts, None)
    if first is None:
        stream.write("[]")
        return
    stream.write("[\n" + first)
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= _BATCH:
            stream.write(",\n" + ",\n".join(batch))
            batch.clear()
    if batch:
        stream.write(",\n" + ",\n".join(batch))
    stream.write("\n ]")


def _written_list(stream: IO[str], items: Merged, write_lines: Callable[..., None]) -> None:
    """_json_list of items already written (UTF-8)."""
    if not items:
        stream.write("[]")
        return
    stream.write("[\n")
    write_lines(stream, items, b",\n")
    stream.write("\n ]")


def _json_node_lines(nodes: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """The texts of these nodes in the list (aiorg.export.split)."""
    layouts = _JsonLayouts(("id",), False)
    return [layouts.text((node,), data) for node, data in nodes]


def _json_edge_lines(edges: list[tuple[str, str, str, dict[str, Any]]]) -> list[str]:
    """The texts of these edges in the list (aiorg.export.split, in either process)."""
    layouts = _JsonLayouts(("source", "target", "key"), True)
    return [layouts.text((u, v, key), data) for u, v, key, data in edges]


def write_json(kb: KnowledgeBase, graph: ExportGraph, out: Path | None) -> str | None:
    """networkx node-link JSON with the current default keys, so `node_link_graph(data)` loads it.

    The bytes are those of `json.dump(data, indent=1, sort_keys=True, ensure_ascii=False)` of
    {"directed", "multigraph", "graph", "nodes": [{"id", **attributes}], "edges": [{"source",
    "target", "key", **edge_attributes(attributes)}]}, streamed one node or edge at a time.
    A whole export is built and written on two cores (aiorg.export.split): an item's text
    depends only on the item.
    """
    from aiorg.export.split import split_whole, write_lines

    whole = graph.whole and not graph.built
    split = split_whole(kb, _json_node_lines, _json_edge_lines, types=False) if whole else None
    graph_attributes = json.dumps(dict(graph.graph), ensure_ascii=False, indent=1, sort_keys=True).replace("\n", "\n ")
    edges, nodes = _JsonLayouts(("source", "target", "key"), True), _JsonLayouts(("id",), False)
    with atomic_text(out) as stream:
        stream.write('{\n "directed": true,\n "edges": ')
        if split is None:
            _json_list(stream, (edges.text((u, v, key), data) for u, v, key, data in graph.edges))
        else:
            _written_list(stream, split.edges, write_lines)
        stream.write(f',\n "graph": {graph_attributes},\n "multigraph": true,\n "nodes": ')
        if split is None:
            _json_list(stream, (nodes.text((node,), data) for node, data in graph.nodes))
        else:
            _written_list(stream, split.nodes, write_lines)
        stream.write("\n}\n")
    # what was written, without the graph: the whole graph was never built here
    return None if split is None else f"{len(split.nodes)} nodes, {len(split.edges)} edges"
