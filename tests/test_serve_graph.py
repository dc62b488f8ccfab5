"""Outgrowing one machine: the Cypher export in a shared graph database (FalkorDB here), loaded
twice the way docs/graph-database.md says, keeps its constraints and indexes, holds dates as
dates, and finds people and firms through a full-text index on names."""

from __future__ import annotations

import datetime
import time
from pathlib import Path
from typing import Any

import pytest

from aiorg.serve import graphdb
from tests.conftest import REPO, run_cli
from tests.test_exports import falkordb_server  # noqa: F401  (the server fixture)

DOC = REPO / "docs" / "graph-database.md"


def _quietly(run: Any, *args: Any) -> None:
    """Run one schema step; one that exists already is what a second load expects."""
    try:
        run(*args)
    except Exception as error:  # the client raises a plain ResponseError
        if not any(words in str(error) for words in graphdb.ALREADY_THERE):
            raise


def load(port: int, script: Path, name: str) -> Any:
    """The FalkorDB sequence of docs/graph-database.md: the script (its CREATE INDEX lines only
    the first time), the full-text indexes, the constraints, then the dates."""
    from falkordb import FalkorDB

    database = FalkorDB(host="127.0.0.1", port=port)
    graph = database.select_graph(name)
    for line in script.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("//"):
            _quietly(graph.query, line.rstrip(";"))
    for statement in graphdb.falkordb_fulltext():
        _quietly(graph.query, statement)
    for command in graphdb.falkordb_constraints(name):
        _quietly(database.connection.execute_command, *command)
    for statement in graphdb.date_statements():
        graph.query(statement)
    return graph


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cypher") / "aiorg.cypher"
    result = run_cli("export", "cypher", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def _counts(graph: Any) -> tuple[int, int]:
    nodes = graph.query("MATCH (n) RETURN count(n)").result_set[0][0]
    edges = graph.query("MATCH ()-[r]->() RETURN count(r)").result_set[0][0]
    return int(nodes), int(edges)


def _constraints(graph: Any) -> dict[str, str]:
    deadline = time.monotonic() + 20
    while True:  # FalkorDB builds a constraint in the background: PENDING, then OPERATIONAL
        rows = graph.query("CALL db.constraints()").result_set
        found = {row[1]: row[4] for row in rows if row[0] == "UNIQUE" and row[2] == ["id"]}
        if "PENDING" not in found.values() or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


@pytest.fixture(scope="module")
def shared(falkordb_server: int, script: Path) -> tuple[Any, tuple[int, int], tuple[int, int]]:  # noqa: F811
    """The bundled export loaded twice into one graph, with the counts after each load."""
    graph = load(falkordb_server, script, "shared")
    first = _counts(graph)
    load(falkordb_server, script, "shared")
    return graph, first, _counts(graph)


def test_a_second_load_keeps_the_data_the_indexes_and_the_constraints(
    shared: tuple[Any, tuple[int, int], tuple[int, int]],
) -> None:
    graph, first, second = shared
    assert second == first and first[0] > 100
    indexes = {row[0]: row[2] for row in graph.query("CALL db.indexes()").result_set}
    for label in graphdb.node_labels():
        assert "RANGE" in indexes[label]["id"], label
    for label in graphdb.NAMED_LABELS:
        assert "FULLTEXT" in indexes[label]["name"] and "FULLTEXT" in indexes[label]["name_zh"], label
    assert _constraints(graph) == dict.fromkeys(graphdb.node_labels(), "OPERATIONAL")
    with pytest.raises(Exception, match="unique constraint violation"):
        graph.query("CREATE (:Person {id: 'wei-wei'})")


def test_dates_are_dates_after_each_load(shared: tuple[Any, tuple[int, int], tuple[int, int]]) -> None:
    graph = shared[0]
    spell = graph.query(
        "MATCH (:Person {id: 'wei-wei'})-[r:HELD_ROLE_AT]->(:Firm {id: 'minimax'}) "
        "RETURN r.`end`, r.end_earliest, r.end_latest, typeOf(r.end_earliest)"
    ).result_set
    assert spell == [["2024-12..2025-06", datetime.date(2024, 12, 1), datetime.date(2025, 6, 30), "Date"]]
    left_in_2025 = graph.query(
        "MATCH (p:Person)-[r:HELD_ROLE_AT]->(:Firm {id: 'minimax'}) "
        "WHERE r.end_latest >= date('2025-01-01') RETURN p.id"
    ).result_set
    assert left_in_2025 == [["wei-wei"]]
    published = graph.query("MATCH (s:Source {id: 'zimubang-2025-06'}) RETURN typeOf(s.published_earliest)")
    assert published.result_set == [["Date"]]


def test_names_are_found_through_the_full_text_index(shared: tuple[Any, tuple[int, int], tuple[int, int]]) -> None:
    graph = shared[0]

    def found(label: str, text: str) -> set[str]:
        rows = graph.query(f"CALL db.idx.fulltext.queryNodes('{label}', '{text}') YIELD node RETURN node.id")
        return {row[0] for row in rows.result_set}

    assert found("Person", "Wei") == {"wei-wei"}
    assert found("Person", "魏伟") == {"wei-wei"}
    assert found("Firm", "Moonshot") == {"moonshot"}
    assert "zhang-qianchuan" in found("Person", "Zhang*")


def test_the_document_lists_the_statements_the_code_writes() -> None:
    text = DOC.read_text(encoding="utf-8")
    for statement in [*graphdb.neo4j_schema(), *graphdb.falkordb_fulltext(), *graphdb.date_statements()[:2]]:
        assert statement in text, statement
