"""GraphML and JSON lines are made in one `%` of a whole-line template when nothing in the row needs
escaping (aiorg.export.graphs._GraphmlCells.line, aiorg.export.nodelink._JsonLayouts.text): whatever
a row holds (text to escape in its ids or values, a number where its layout's first row had text
or the other way round, `%` and braces, U+E000, names that clash), each line must be the one the
plain way makes: GraphML's cell by cell, JSON's that of json.dumps."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg.export import graphs
from aiorg.export.graphs import _graphml_edge_lines, _graphml_node_lines
from aiorg.export.nodelink import _json_edge_lines, _json_node_lines

NAMES = ["label", "disputed", "value", "type", "relation", "note", "id", "source", "%s", "{0}"]
TEXTS = st.one_of(
    st.sampled_from(["plain", "a & b", "<x>", "", "魏伟", "1", "%s", "{0}", '"q"', "it's", "a\nb", "\\", "\ue000"]),
    st.text(st.sampled_from("ab&<>\"'\n\t\\%{}\x00\x1f\ue000魏🚀"), max_size=6),
)
VALUES = st.one_of(TEXTS, st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True, allow_infinity=True))
ROW = st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=5)
ROWS = st.lists(st.tuples(TEXTS, TEXTS, TEXTS, ROW), max_size=12)
#: rows of a few layouts, so that many rows meet a layout another row made
SHAPED = st.lists(
    st.tuples(
        st.sampled_from(["a", "b&", 'c"']),
        st.sampled_from(["d", "e\n"]),
        TEXTS,
        st.fixed_dictionaries({"type": st.sampled_from(["makes", "target_of"]), "label": VALUES, "disputed": VALUES}),
    ),
    max_size=20,
)


def _slow(lines: Any, rows: list[Any]) -> list[str]:
    """The GraphML lines made cell by cell, never in one template."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(graphs._GraphmlCells, "line", lambda *args: None)
        made: list[str] = lines(rows)
        return made


@given(rows=st.one_of(ROWS, SHAPED))
def test_graphml_lines_are_those_made_cell_by_cell(rows: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    nodes = [(node, data) for node, _, _, data in rows]
    edges = [(u, v, key, data) for u, v, key, data in rows]
    assert _graphml_node_lines(nodes) == _slow(_graphml_node_lines, nodes)
    assert _graphml_edge_lines(edges) == _slow(_graphml_edge_lines, edges)


def _dumped(item: dict[str, Any]) -> str:
    """json.dumps's text of an item of the export's lists (two spaces in)."""
    text = json.dumps({"e": [item]}, ensure_ascii=False, indent=1, sort_keys=True)
    return text[len('{\n "e": [\n') : -len("\n ]\n}")]


def _relation(data: dict[str, Any]) -> dict[str, Any]:
    named = {name: value for name, value in data.items() if name != "type"}
    if "type" in data:
        named["relation"] = {"target_of": "targets"}.get(str(data["type"]), str(data["type"]))
    return named


@given(rows=st.one_of(ROWS, SHAPED))
def test_json_items_are_those_json_dumps_writes(rows: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    nodes = [(node, data) for node, _, _, data in rows]
    edges = [(u, v, key, data) for u, v, key, data in rows]
    assert _json_node_lines(nodes) == [_dumped({"id": node, **data}) for node, data in nodes]
    assert _json_edge_lines(edges) == [
        _dumped({"source": u, "target": v, "key": key, **_relation(data)}) for u, v, key, data in edges
    ]


def test_the_fast_paths_are_taken_for_plain_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """A row with nothing to escape is one template's line (the slow ways are not called)."""
    rows: list[Any] = [("n1", {"label": "L", "type": "person", "disputed": False, "x": math.pi})] * 3
    edges: list[Any] = [("a", "b", "k", {"type": "target_of", "record": "r", "disputed": True})] * 3
    monkeypatch.setattr(graphs._GraphmlCells, "text", None)
    assert _graphml_node_lines(rows)[0] == (
        '    <node id="n1"><data key="n_label">L</data><data key="n_type">person</data>'
        f'<data key="n_disputed">false</data><data key="n_x">{math.pi!r}</data></node>\n'
    )
    assert _graphml_edge_lines(edges)[0] == (
        '    <edge id="k" source="a" target="b"><data key="e_record">r</data>'
        '<data key="e_disputed">true</data><data key="e_relation">targets</data></edge>\n'
    )
    import aiorg.export.nodelink as nodelink

    escaped: list[str] = []
    real = nodelink._json_text  # type: ignore[attr-defined]

    def counted(text: str) -> str:
        escaped.append(text)
        return real(text)

    monkeypatch.setattr(nodelink, "_json_object", None)
    monkeypatch.setattr(nodelink, "_json_text", counted)
    assert _json_edge_lines(edges)[0] == (
        '  {\n   "disputed": true,\n   "key": "k",\n   "record": "r",\n   "relation": "targets",\n'
        '   "source": "a",\n   "target": "b"\n  }'
    )
    assert sorted(escaped) == ["disputed", "key", "record", "relation", "source", "target"]  # the names, once
