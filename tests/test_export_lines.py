"""The GraphML lines a whole export's two processes write (aiorg.export.split) are made without
working out the rows' attribute types first: each layout of names takes them from the first row
it meets. Whatever the rows hold (a name that is text in one row and a number or a boolean in
another, text to escape, `type` and `relation`), each line must be the one the writer makes from
the rows' attribute types."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg.export.graphs import _graphml_edge_lines, _graphml_lines, _graphml_node_lines, attribute_types
from aiorg.export.naming import edge_attributes
from aiorg.export.whole import ExportGraph

NAMES = ["label", "disputed", "value", "type", "relation", "note"]
VALUES = st.one_of(
    st.sampled_from(["plain", "a & b", "<x>", "", "魏伟", "1"]), st.booleans(), st.integers(-3, 3), st.floats(-2, 2)
)
ROWS = st.lists(st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=4), max_size=12)


@given(rows=ROWS)
def test_node_lines_are_those_made_from_the_attribute_types(rows: list[dict[str, Any]]) -> None:
    nodes = [(f"n{i}&", data) for i, data in enumerate(rows)]
    node_line, _ = _graphml_lines(attribute_types(ExportGraph(lambda: (nodes, [])), edges=edge_attributes))
    assert _graphml_node_lines(nodes) == [node_line(*node) for node in nodes]


@given(rows=ROWS)
def test_edge_lines_are_those_made_from_the_attribute_types(rows: list[dict[str, Any]]) -> None:
    edges = [("a", "b<", f"k{i}", data) for i, data in enumerate(rows)]
    _, edge_line = _graphml_lines(attribute_types(ExportGraph(lambda: ([], edges)), edges=edge_attributes))
    assert _graphml_edge_lines(edges) == [edge_line(*edge) for edge in edges]


def test_a_boolean_after_text_under_one_name_is_written_as_graphml_writes_it() -> None:
    values: list[Any] = ["no", False, 1.5]
    nodes = [(node, {"disputed": value}) for node, value in zip("abc", values, strict=True)]
    assert _graphml_node_lines(nodes) == [
        '    <node id="a"><data key="n_disputed">no</data></node>\n',
        '    <node id="b"><data key="n_disputed">false</data></node>\n',
        '    <node id="c"><data key="n_disputed">1.5</data></node>\n',
    ]


def test_only_the_values_that_are_not_text_are_converted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The layout knows from its first row which values are not text: a row of texts and a boolean
    converts the boolean alone (converting every value of every row cost a third of an export)."""
    import aiorg.export.graphs as graphs

    converted: list[Any] = []
    real = graphs._graphml_value

    def counted(value: Any) -> str:
        converted.append(value)
        return real(value)

    monkeypatch.setattr(graphs, "_graphml_value", counted)
    nodes: list[Any] = [(f"n{i}", {"label": f"L{i}", "type": "person", "disputed": i % 2 == 0}) for i in range(50)]
    edges: list[Any] = [("a", "b", f"k{i}", {"type": "about", "record": f"r{i}", "disputed": False}) for i in range(50)]
    _graphml_node_lines(nodes)
    _graphml_edge_lines(edges)
    assert len(converted) == 100 and all(type(value) is bool for value in converted)
