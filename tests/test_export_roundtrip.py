"""Every node and every edge of every export, read back by an independent consumer and compared,
value by value and type by type, with the in-memory graph from aiorg.graph.build_graph."""

from __future__ import annotations

import csv
import json
import math
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from aiorg.export import FORMATS
from aiorg.export.cypher import label_of
from aiorg.export.graphs import select
from aiorg.graph import build_graph
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from tests.test_exports import _load_cypher, falkordb_server  # noqa: F401  (the server fixture)

HOSTILE = "Tom & Jerry <\"Q\"> 'AI' 汤姆🚀"
RELATIONS = {"target_of": "targets"}  # the one relation renamed so that it reads forwards


def hostile_kb(name: str = HOSTILE, text: str = "说 <b>&amp;</b> \"yes\" 'no' 🚀") -> dict[str, Any]:
    """A small knowledge base with every record kind, its names and texts hostile to XML, CSV and Cypher."""
    cite = {"source": "s.1", "quote": ["q1 & <q2>", "引语"]}
    return {
        "sources": [{"id": "s.1", "title": f"T {name}"}],
        "groups": [{"id": "g", "name": f"{name} group", "aliases": ["G & co", "团"], **cite}],
        "firms": [
            {"id": "acme", "name": name, "name_zh": "阿克米", "groups": ["g"], "category": "startup", **cite},
            {"id": "unit", "name": f"{name} unit", "parent": "acme", **cite},
        ],
        "people": [{"id": "p", "name": f"{name} 安", "aliases": ['A "B"'], **cite}],
        "products": [{"id": "m", "name": f"{name} model", "kind": "model", "maker": "acme", **cite}],
        "tenures": [
            {
                "id": "t1",
                "person": "p",
                "firm": "acme",
                "title": f"CEO {name}",
                "start": "2024-09",
                "end": "2025",
                "end_cause": "left",
                **cite,
            },
            {"id": "t2", "person": "p", "firm": "unit", "start": "2025-03-02", **cite},
        ],
        "deals": [
            {
                "id": "d",
                "kind": "acquisition",
                "title": text,
                "buyers": ["acme"],
                "targets": ["unit"],
                "people": ["p"],
                "amount": "$1.5B",
                "stake": 49,
                "history": [{"status": "rumoured", "date": "2025-05", **cite}, {"status": "agreed", **cite}],
                **cite,
            },
        ],
        "events": [
            {"id": "e", "kind": "renamed", "subjects": ["m"], "into": "unit", "date": "2025-06", "text": text, **cite}
        ],
        "metrics": [
            {"id": "x", "subject": "m", "metric": "dau", "value": 35000000, "unit": "users", "as_of": "2025-03", **cite}
        ],
        "claims": [{"id": "c", "subjects": ["acme", "g"], "strategy": "pivot", "text": text, **cite}],
    }


class _NoAnchors(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _load(data: dict[str, Any], folder: Path) -> KnowledgeBase:
    (folder / "data").mkdir()
    text = yaml.dump(data, Dumper=_NoAnchors, allow_unicode=True)
    (folder / "data" / "kb.yaml").write_text(text, encoding="utf-8")
    return load(folder / "data")


def expected(kb: KnowledgeBase) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]]:
    """Nodes and edges as every export should carry them: edge `type` named `relation`."""
    graph = build_graph(kb, facts=True)
    nodes = {node: dict(data) for node, data in graph.nodes(data=True)}
    edges = {}
    for u, v, key, data in graph.edges(keys=True, data=True):
        attributes = {k: x for k, x in data.items() if k != "type"}
        edges[(u, v, key)] = {**attributes, "relation": RELATIONS.get(data["type"], data["type"]), "edge_key": key}
    return nodes, edges


def same(got: dict[str, Any], want: dict[str, Any], where: object) -> None:
    """Equal values of equal types, attribute by attribute."""
    assert got == want, where
    for name, value in want.items():
        assert type(got[name]) is type(value), (where, name, got[name], value)


def write_all(kb: KnowledgeBase, folder: Path) -> dict[str, Path]:
    graph = select(build_graph(kb, facts=True))
    outs = {}
    for name in ("graphml", "gexf", "json", "csv", "sqlite", "cypher", "neo4j-csv"):
        outs[name] = folder / f"out.{name}"
        FORMATS[name].write(kb, graph, outs[name])
    return outs


def _keyed_edges(back: nx.DiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(u, v, key, data); networkx reads a file without parallel edges as a DiGraph, the key as `id`."""
    if back.is_multigraph():
        return list(back.edges(keys=True, data=True))
    return [(u, v, data.pop("id"), data) for u, v, data in back.edges(data=True)]


def check_networkx_formats(kb: KnowledgeBase, outs: dict[str, Path]) -> None:
    nodes, edges = expected(kb)
    for back in (nx.read_graphml(outs["graphml"]), nx.node_link_graph(json.loads(outs["json"].read_text("utf-8")))):
        assert set(back.nodes) == set(nodes)
        for node, data in back.nodes(data=True):
            same(data, nodes[node], node)
        keyed = _keyed_edges(back)
        assert {(u, v, k) for u, v, k, _ in keyed} == set(edges)
        for u, v, key, data in keyed:
            same(data, edges[(u, v, key)], key)
    check_gexf(nx.read_gexf(outs["gexf"]), nodes, edges)


def _timed(data: dict[str, Any]) -> dict[str, Any]:
    """What GEXF carries: start/end as ISO days for Gephi's timeline, the stated dates as *_text."""
    out = {k: v for k, v in data.items() if k not in ("start", "end")}
    for bound, edge in (("start", "earliest"), ("end", "latest")):
        if bound in data:
            out[f"{bound}_text"] = data[bound]
        day = (
            data.get("date_earliest")
            if data.get("type") == "deal" and bound == "start"
            else data.get(f"{bound}_{edge}")
        )
        if day is not None:
            out[bound] = day
    return out


def check_gexf(back: nx.MultiDiGraph, nodes: dict[str, Any], edges: dict[Any, dict[str, Any]]) -> None:
    assert set(back.nodes) == set(nodes)
    for node, data in back.nodes(data=True):
        same(data, _timed(nodes[node]), node)
    keyed = _keyed_edges(back)
    assert {(u, v, k) for u, v, k, _ in keyed} == set(edges)
    for u, v, key, data in keyed:
        assert data.pop("id", key) == key
        same(data, _timed(edges[(u, v, key)]), key)


def check_igraph(kb: KnowledgeBase, out: Path) -> None:
    """igraph fills a missing string with '' and a missing number with NaN, and reads numbers as floats."""
    import igraph

    nodes, edges = expected(kb)
    graph = igraph.Graph.Read_GraphML(str(out))

    def check(got: dict[str, Any], want: dict[str, Any], where: object) -> None:
        for name, value in got.items():
            if name not in want:
                assert value == "" or (isinstance(value, float) and math.isnan(value)), (where, name, value)
            elif isinstance(want[name], (int, float)) and not isinstance(want[name], bool):
                assert value == float(want[name]), (where, name)
            else:
                assert value == want[name], (where, name)
        assert set(want) <= set(got), where

    assert sorted(v["id"] for v in graph.vs) == sorted(nodes)
    for vertex in graph.vs:
        check({k: x for k, x in vertex.attributes().items() if k != "id"}, nodes[vertex["id"]], vertex["id"])
    seen = set()
    for edge in graph.es:
        u, v = graph.vs[edge.source]["id"], graph.vs[edge.target]["id"]
        seen.add((u, v, edge["edge_key"]))
        attributes = edge.attributes()
        attributes.pop("id", None)  # igraph fills this from the XML, not from a key; edge_key is the id
        check(attributes, edges[(u, v, edge["edge_key"])], edge["edge_key"])
    assert seen == set(edges)


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def check_csv(kb: KnowledgeBase, out: Path) -> None:
    nodes, edges = expected(kb)
    with (out / "nodes.csv").open(encoding="utf-8", newline="") as stream:
        got_nodes = {row.pop("id"): {k: x for k, x in row.items() if x != ""} for row in csv.DictReader(stream)}
    assert got_nodes == {node: {k: _text(x) for k, x in data.items()} for node, data in nodes.items()}
    with (out / "edges.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    got_edges = {(r.pop("source"), r.pop("target"), r.pop("key")): {k: x for k, x in r.items() if x} for r in rows}
    want = {key: {k: _text(x) for k, x in data.items()} for key, data in edges.items()}
    assert got_edges == want


NEO4J_TYPES = {":long": int, ":double": float, ":boolean": lambda text: text == "true"}


def _neo4j_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a neo4j-admin CSV, typed by its header (name:type)."""
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = [re.fullmatch(r"([^:]*)(:.*)?", cell).groups("") for cell in next(reader)]  # type: ignore[union-attr]
        for row in reader:
            typed: dict[str, Any] = {}
            for (name, kind), cell in zip(header, row, strict=True):
                if cell == "" and name:
                    continue
                if kind == ":date":
                    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell), (name, cell)
                    typed[name] = cell
                elif kind == ":string[]":
                    typed[name] = "; ".join(cell.split(";"))  # the graph joins list items with "; "
                else:
                    typed[name or kind] = NEO4J_TYPES.get(kind, str)(cell)  # type: ignore[operator]
            yield typed


def check_neo4j_csv(kb: KnowledgeBase, out: Path) -> None:
    nodes, edges = expected(kb)
    got = {}
    for path in out.glob("nodes_*.csv"):
        for row in _neo4j_rows(path):
            got[row.pop("id")] = row
    assert got == {
        n: {**{k: x for k, x in d.items() if k != "type"}, ":LABEL": label_of(d["type"])} for n, d in nodes.items()
    }
    for node, row in got.items():
        same(row, got[node], node)
    rels = {(r.pop(":START_ID"), r.pop(":END_ID"), r.pop("key")): r for r in _neo4j_rows(out / "relationships.csv")}
    want = {
        key: {**{k: x for k, x in d.items() if k not in ("relation", "edge_key")}, ":TYPE": d["relation"].upper()}
        for key, d in edges.items()
    }
    assert rels == want
    for key, row in rels.items():
        same(row, want[key], key)


TABLES = {
    "person": "people",
    "firm": "firms",
    "group": "groups",
    "product": "products",
    "deal": "deals",
    "source": "sources",
    "event": "events",
    "metric": "metrics",
    "claim": "claims",
}
COLUMNS = {"cites": "source", "stake": "stake_percent", "published": "published"}
EDGE_QUERIES = {
    "held_role_at": "SELECT person, firm, id FROM tenures",
    "member_of": 'SELECT firm, "group", NULL FROM firm_groups',
    "part_of": "SELECT id, parent, NULL FROM firms WHERE parent IS NOT NULL",
    "makes": "SELECT maker, id, NULL FROM products",
    "buyer_in": "SELECT coalesce(firm, person), deal, NULL FROM deal_parties WHERE role = 'buyer'",
    "targets": "SELECT deal, coalesce(firm, person), NULL FROM deal_parties WHERE role = 'target'",
    "moves_person": "SELECT deal, person, NULL FROM deal_parties WHERE role = 'moved'",
    "superseded_by": "SELECT id, superseded_by, NULL FROM deals WHERE superseded_by IS NOT NULL",
    "became": "SELECT s, coalesce(into_firm, into_product), NULL FROM events JOIN (SELECT event, "
    'coalesce(firm, person, product, "group") AS s FROM event_subjects) ON event = id '
    "WHERE coalesce(into_firm, into_product) IS NOT NULL",
    "about": 'SELECT event, coalesce(firm, person, product, "group"), NULL FROM event_subjects',
    "measures": "SELECT id, coalesce(firm, product), NULL FROM metrics",
    "describes": 'SELECT claim, coalesce(firm, "group"), NULL FROM claim_subjects',
    "sourced_from": " UNION ALL ".join(f"SELECT id, source, NULL FROM {t}" for t in TABLES.values() if t != "sources"),
}


def check_sqlite(kb: KnowledgeBase, out: Path) -> None:
    """The normalised tables hold every node's attributes (where a column has that name) and every edge."""
    nodes, edges = expected(kb)
    db = sqlite3.connect(out)
    db.row_factory = sqlite3.Row
    compared = 0
    for node, data in nodes.items():
        found = db.execute(f"SELECT * FROM {TABLES[data['type']]} WHERE id = ?", (node,)).fetchone()
        assert found is not None, node
        row = dict(found)
        for name, value in data.items():
            column = COLUMNS.get(name, name)
            if column in row and name not in ("type", "label"):
                want = float(value) if isinstance(value, int) and name == "stake" else value
                assert row[column] == want and type(row[column]) is type(want), (node, name, row[column])
                compared += 1
    assert compared > len(nodes)
    for relation, query in EDGE_QUERIES.items():
        got = sorted((u, v) for u, v, _ in db.execute(query))
        assert got == sorted((u, v) for (u, v, _), d in edges.items() if d["relation"] == relation), relation
    for (_, _, key), data in edges.items():
        if data["relation"] == "held_role_at":
            row = dict(db.execute("SELECT * FROM tenures WHERE id = ?", (key,)).fetchone())
            for name, value in data.items():
                if COLUMNS.get(name, name) in row:
                    assert row[COLUMNS.get(name, name)] == value, (key, name)
    db.close()


def _cypher(data: dict[str, Any]) -> dict[str, Any]:
    """A node's or edge's attributes as Cypher properties: `sources` is a list of source ids."""
    return {k: x.split("; ") if k == "sources" else x for k, x in data.items()}


def check_cypher(kb: KnowledgeBase, script: Path, port: int, name: str) -> None:
    nodes, edges = expected(kb)
    graph = _load_cypher(port, script, name)
    got = {
        row[1]["id"]: (row[0], row[1]) for row in graph.query("MATCH (n) RETURN labels(n)[0], properties(n)").result_set
    }
    want = {
        n: (label_of(d["type"]), {**_cypher({k: x for k, x in d.items() if k != "type"}), "id": n})
        for n, d in nodes.items()
    }
    assert got == want
    for node, (_, properties) in got.items():
        same(properties, want[node][1], node)
    rows = graph.query("MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, properties(r)").result_set
    got_edges = {(a, b, props["key"]): (rel, props) for a, rel, b, props in rows}
    want_edges = {
        (u, v, key): (
            d["relation"].upper(),
            {**_cypher({k: x for k, x in d.items() if k not in ("relation", "edge_key")}), "key": key},
        )
        for (u, v, key), d in edges.items()
    }
    assert got_edges == want_edges
    for key, (_, properties) in got_edges.items():
        same(properties, want_edges[key][1], key)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory, bundled_kb: KnowledgeBase) -> dict[str, Path]:
    return write_all(bundled_kb, tmp_path_factory.mktemp("bundled"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeBase, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("hostile")
    kb = _load(hostile_kb(), folder)
    return kb, write_all(kb, folder)


def test_bundled_graph_formats(bundled_kb: KnowledgeBase, bundled: dict[str, Path]) -> None:
    check_networkx_formats(bundled_kb, bundled)
    check_igraph(bundled_kb, bundled["graphml"])


def test_bundled_tables(bundled_kb: KnowledgeBase, bundled: dict[str, Path]) -> None:
    check_csv(bundled_kb, bundled["csv"])
    check_neo4j_csv(bundled_kb, bundled["neo4j-csv"])
    check_sqlite(bundled_kb, bundled["sqlite"])


def test_bundled_cypher(bundled_kb: KnowledgeBase, bundled: dict[str, Path], falkordb_server: int) -> None:  # noqa: F811
    check_cypher(bundled_kb, bundled["cypher"], falkordb_server, "roundtrip-bundled")


def test_hostile_names_every_format(
    hostile: tuple[KnowledgeBase, dict[str, Path]],
    falkordb_server: int,  # noqa: F811
) -> None:
    kb, outs = hostile
    assert build_graph(kb, facts=True).nodes["acme"]["name"] == HOSTILE
    check_networkx_formats(kb, outs)
    check_igraph(kb, outs["graphml"])
    check_csv(kb, outs["csv"])
    check_neo4j_csv(kb, outs["neo4j-csv"])
    check_sqlite(kb, outs["sqlite"])
    check_cypher(kb, outs["cypher"], falkordb_server, "roundtrip-hostile")


hostile_text = st.text(alphabet=st.sampled_from(list("<&>\"' aZ汤姆说🚀…é\\")), min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and s.strip() != ""
)


@settings(max_examples=8)
@given(hostile_text, hostile_text)
def test_generated_hostile_names_round_trip(name: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        kb = _load(hostile_kb(name, text), Path(folder))
        outs = write_all(kb, Path(folder))
        check_networkx_formats(kb, outs)
        check_csv(kb, outs["csv"])
        check_neo4j_csv(kb, outs["neo4j-csv"])
        check_sqlite(kb, outs["sqlite"])
