"""Exports carry provenance (issue 14): every node and edge of every graph format carries its
record's source ids (`sources`) and whether its sources disagree (`disputed`), read back by each
format's own consumer; the SQLite export holds every claim, row by row, in `source_claims`.

All on the FICTIONAL two-source fixture tests/fixtures/multisource (a disputed departure, a
disputed amount, a rumour a later source turns into an agreed deal, and a source with no
archived text, whose quotes stay unchecked)."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from aiorg.export import FORMATS
from aiorg.export.graphs import select
from aiorg.graph import build_graph
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from tests.conftest import REPO, run_cli
from tests.test_exports import _load_cypher, falkordb_server  # noqa: F401  (the server fixture)

DATA = REPO / "tests" / "fixtures" / "multisource" / "data"
SEEDS = DATA.parent / "seeds"
ZH, EN, POD = "fictional-zh-2024-10", "fictional-en-2025-03", "fictional-podcast-2025-04"
DEAL = "yunfan-xinghe-acquisition"
SPELL = "li-ming-xinghe-product"

#: node -> (sources, disputed)
NODES: dict[str, tuple[list[str], bool]] = {
    ZH: ([ZH], False),  # a source node lists itself
    EN: ([EN], False),
    POD: ([POD], False),
    "li-ming": ([ZH], False),
    "xinghe": ([ZH], False),
    "yunfan": ([ZH, POD], False),  # two sources that agree: not disputed
    DEAL: ([ZH, EN], True),  # ~$2B against $2.5B
}
#: edge key -> (source, target, sources, disputed): every edge carries the provenance of its record
EDGES: dict[str, tuple[str, str, list[str], bool]] = {
    SPELL: ("li-ming", "xinghe", [ZH, EN], True),  # left against advisor
    "li-ming:sourced_from": ("li-ming", ZH, [ZH], False),
    "xinghe:sourced_from": ("xinghe", ZH, [ZH], False),
    "yunfan:sourced_from": ("yunfan", ZH, [ZH, POD], False),
    f"{DEAL}:sourced_from": (DEAL, ZH, [ZH, EN], True),
    f"{DEAL}:buyer_in:yunfan:{DEAL}": ("yunfan", DEAL, [ZH, EN], True),
    f"{DEAL}:target_of:{DEAL}:xinghe": (DEAL, "xinghe", [ZH, EN], True),
}


@pytest.fixture(scope="module")
def kb() -> Iterator[KnowledgeBase]:
    loaded = load(DATA)
    yield loaded
    loaded.close()


@pytest.fixture(scope="module")
def outs(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("provenance")
    graph = select(build_graph(kb, facts=True))
    written = {}
    for name in ("graphml", "gexf", "json", "csv", "sqlite", "cypher", "neo4j-csv"):
        written[name] = folder / f"out.{name}"
        FORMATS[name].write(kb, graph, written[name])
    return written


def _joined(ids: list[str]) -> str:
    return "; ".join(ids)


def _check_networkx(graph: Any, where: str) -> None:
    """Node by node and edge by edge, value and type (a text of ids; a real boolean)."""
    assert sorted(graph.nodes) == sorted(NODES), where
    for node, (sources, disputed) in NODES.items():
        data = graph.nodes[node]
        assert data["sources"] == _joined(sources) and data["disputed"] is disputed, (where, node, data)
    found = {data["edge_key"]: (u, v, data) for u, v, data in graph.edges(data=True)}
    assert sorted(found) == sorted(EDGES), where
    for key, (u, v, sources, disputed) in EDGES.items():
        got_u, got_v, data = found[key]
        assert (got_u, got_v) == (u, v), (where, key)
        assert data["sources"] == _joined(sources) and data["disputed"] is disputed, (where, key, data)


def test_graphml_read_by_networkx_and_igraph(outs: dict[str, Path]) -> None:
    _check_networkx(nx.read_graphml(outs["graphml"]), "graphml")
    text = outs["graphml"].read_text(encoding="utf-8")
    for scope in "ne":  # one typed key per name, and named ids (Gephi reads d3/d7 as labels)
        assert f'<key id="{scope}_sources" for="{"node" if scope == "n" else "edge"}" attr.name="sources" ' in text
        assert f'<key id="{scope}_disputed" for="{"node" if scope == "n" else "edge"}" attr.name="disputed" ' in text
    assert 'attr.name="disputed" attr.type="boolean"' in text and 'attr.name="sources" attr.type="string"' in text
    assert "Attestation(" not in text  # the `also` items are summarised, never dumped as Python reprs

    igraph = pytest.importorskip("igraph")
    graph = igraph.Graph.Read_GraphML(str(outs["graphml"]))
    nodes = {v["id"]: (v["sources"], v["disputed"]) for v in graph.vs}
    assert nodes == {n: (_joined(s), d) for n, (s, d) in NODES.items()}
    edges = {
        e["edge_key"]: (graph.vs[e.source]["id"], graph.vs[e.target]["id"], e["sources"], e["disputed"])
        for e in graph.es
    }
    assert edges == {k: (u, v, _joined(s), d) for k, (u, v, s, d) in EDGES.items()}
    assert all(type(v["disputed"]) is bool for v in graph.vs) and all(type(e["disputed"]) is bool for e in graph.es)


def test_gexf_declares_a_boolean_and_a_string(outs: dict[str, Path]) -> None:
    graph = nx.read_gexf(outs["gexf"])
    assert sorted(graph.nodes) == sorted(NODES)
    for node, (sources, disputed) in NODES.items():
        assert graph.nodes[node]["sources"] == _joined(sources) and graph.nodes[node]["disputed"] is disputed, node
    found = {data["id"]: (u, v, data) for u, v, data in graph.edges(data=True)}
    assert sorted(found) == sorted(EDGES)
    for key, (u, v, sources, disputed) in EDGES.items():
        assert found[key][:2] == (u, v) and found[key][2]["sources"] == _joined(sources), key
        assert found[key][2]["disputed"] is disputed, key
    text = outs["gexf"].read_text(encoding="utf-8")
    assert 'title="disputed" type="boolean"' in text and 'title="sources" type="string"' in text


def test_node_link_json(outs: dict[str, Path]) -> None:
    data = json.loads(outs["json"].read_text(encoding="utf-8"))
    _check_networkx(nx.node_link_graph(data, edges="edges"), "json")


def test_csv_and_neo4j_csv(outs: dict[str, Path]) -> None:
    with (outs["csv"] / "nodes.csv").open(encoding="utf-8", newline="") as stream:
        nodes = {row["id"]: (row["sources"], row["disputed"]) for row in csv.DictReader(stream)}
    assert nodes == {n: (_joined(s), "true" if d else "false") for n, (s, d) in NODES.items()}
    with (outs["csv"] / "edges.csv").open(encoding="utf-8", newline="") as stream:
        edges = {
            row["key"]: (row["source"], row["target"], row["sources"], row["disputed"])
            for row in csv.DictReader(stream)
        }
    assert edges == {k: (u, v, _joined(s), "true" if d else "false") for k, (u, v, s, d) in EDGES.items()}

    got: dict[str, tuple[str, str]] = {}
    for path in sorted(outs["neo4j-csv"].glob("nodes_*.csv")):
        with path.open(encoding="utf-8", newline="") as stream:
            rows = list(csv.reader(stream))
        header = rows[0]
        assert "sources:string[]" in header and "disputed:boolean" in header, path.name
        at, flag = header.index("sources:string[]"), header.index("disputed:boolean")
        got.update({row[0]: (row[at], row[flag]) for row in rows[1:]})
    assert got == {n: (";".join(s), "true" if d else "false") for n, (s, d) in NODES.items()}
    with (outs["neo4j-csv"] / "relationships.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    at, flag = rows[0].index("sources:string[]"), rows[0].index("disputed:boolean")
    assert {row[3]: (row[0], row[1], row[at], row[flag]) for row in rows[1:]} == {
        k: (u, v, ";".join(s), "true" if d else "false") for k, (u, v, s, d) in EDGES.items()
    }


def test_cypher_sources_are_lists_in_a_real_engine(outs: dict[str, Path], falkordb_server: int) -> None:  # noqa: F811
    graph = _load_cypher(falkordb_server, outs["cypher"], "provenance")
    rows = graph.query("MATCH (n) RETURN n.id, n.sources, n.disputed").result_set
    assert {row[0]: (row[1], row[2]) for row in rows} == NODES
    rows = graph.query("MATCH (a)-[r]->(b) RETURN r.key, a.id, b.id, r.sources, r.disputed").result_set
    assert {row[0]: tuple(row[1:]) for row in rows} == EDGES
    # what a list property is for: every fact a source supports, and every disputed one
    rows = graph.query(f"MATCH (n) WHERE '{EN}' IN n.sources RETURN n.id ORDER BY n.id").result_set
    assert [row[0] for row in rows] == [EN, DEAL]
    rows = graph.query("MATCH ()-[r]->() WHERE r.disputed RETURN r.key ORDER BY r.key").result_set
    assert [row[0] for row in rows] == sorted(k for k, (*_, d) in EDGES.items() if d)


_ZH_SPELL = "星河智能产品负责人李明已经离职"
_EN_SPELL = "Li Ming, head of product at Xinghe AI, has moved to an advisor role and has not left the company"
_ZH_DEAL = "云帆科技据传正洽谈收购星河智能，作价约20亿美元"
_EN_DEAL = "Yunfan Tech agreed to acquire Xinghe AI for $2.5 billion"
_ZH_STEP = "云帆科技据传正洽谈收购星河智能"
_EN_STEP = "Yunfan Tech agreed to acquire Xinghe AI"
_ZH_TEXT = (SEEDS / f"{ZH}.txt").read_text(encoding="utf-8")
_EN_TEXT = (SEEDS / f"{EN}.txt").read_text(encoding="utf-8")


def _at(text: str, quote: str) -> int:
    return text.index(quote)


#: every row of source_claims: fact, fact_kind, part, step, field, value, source, quote, locator,
#: checked, own, preferred, disputed (the foreign key columns are checked apart)
CLAIMS: list[tuple[Any, ...]] = [
    ("xinghe", "firms", None, None, None, None, ZH, "星河智能", _at(_ZH_TEXT, "星河智能"), 1, 1, None, 0),
    ("yunfan", "firms", None, None, None, None, ZH, "云帆科技", _at(_ZH_TEXT, "云帆科技"), 1, 1, None, 0),
    ("yunfan", "firms", None, None, None, None, POD, "Yunfan Tech", None, 0, 0, None, 0),  # no archived text
    ("li-ming", "people", None, None, None, None, ZH, "产品负责人李明", _at(_ZH_TEXT, "产品负责人李明"), 1, 1, None, 0),
    (SPELL, "tenures", None, None, None, None, ZH, _ZH_SPELL, _at(_ZH_TEXT, _ZH_SPELL), 1, 1, None, 1),
    (SPELL, "tenures", None, None, None, None, EN, _EN_SPELL, _at(_EN_TEXT, _EN_SPELL), 1, 0, None, 1),
    (SPELL, "tenures", None, None, "end", "..2024-10", ZH, _ZH_SPELL, _at(_ZH_TEXT, _ZH_SPELL), 1, 1, None, 0),
    (SPELL, "tenures", None, None, "end_cause", "left", ZH, _ZH_SPELL, _at(_ZH_TEXT, _ZH_SPELL), 1, 1, None, 1),
    (SPELL, "tenures", None, None, "end_cause", "advisor", EN, _EN_SPELL, _at(_EN_TEXT, _EN_SPELL), 1, 0, None, 1),
    (SPELL, "tenures", None, None, "title", "Head of product", ZH, _ZH_SPELL, _at(_ZH_TEXT, _ZH_SPELL), 1, 1, None, 0),
    (SPELL, "tenures", None, None, "area", "product", ZH, _ZH_SPELL, _at(_ZH_TEXT, _ZH_SPELL), 1, 1, None, 0),
    (SPELL, "tenures", None, None, "certainty", "confirmed", ZH, _ZH_SPELL, _at(_ZH_TEXT, _ZH_SPELL), 1, 1, None, 0),
    (DEAL, "deals", None, None, None, None, ZH, _ZH_DEAL, _at(_ZH_TEXT, _ZH_DEAL), 1, 1, None, 1),
    (DEAL, "deals", None, None, None, None, EN, _EN_DEAL, _at(_EN_TEXT, _EN_DEAL), 1, 0, None, 1),
    (
        DEAL,
        "deals",
        None,
        None,
        "title",
        "Yunfan Tech acquires Xinghe AI",
        ZH,
        _ZH_DEAL,
        _at(_ZH_TEXT, _ZH_DEAL),
        1,
        1,
        None,
        0,
    ),
    (DEAL, "deals", None, None, "amount", "~$2B", ZH, _ZH_DEAL, _at(_ZH_TEXT, _ZH_DEAL), 1, 1, None, 1),
    (DEAL, "deals", None, None, "amount", "$2.5B", EN, _EN_DEAL, _at(_EN_TEXT, _EN_DEAL), 1, 0, None, 1),
    # the deal's date is its latest step's: stated by that step's source, not by the deal's own.
    # A step with one source gets one row, for the step as a whole; its fields are in deal_history.
    (DEAL, "deals", "history", 1, "status", "rumoured", ZH, _ZH_STEP, _at(_ZH_TEXT, _ZH_STEP), 1, 1, None, 0),
    (DEAL, "deals", "history", 2, "status", "agreed", EN, _EN_STEP, _at(_EN_TEXT, _EN_STEP), 1, 1, None, 0),
]
_LINKS = ("group", "firm", "person", "product", "tenure", "deal", "event", "metric", "claim")
_KIND_LINK = {"groups": "group", "firms": "firm", "people": "person", "tenures": "tenure", "deals": "deal"}
_COLUMNS = "fact, fact_kind, part, step, field, value, source, quote, locator, checked, own, preferred, disputed"


def _claims(path: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    db = sqlite3.connect(path)
    try:
        rows = db.execute(f"SELECT {_COLUMNS} FROM source_claims ORDER BY id").fetchall()
        links = db.execute(
            "SELECT fact_kind, fact, " + ", ".join(f'"{c}"' for c in _LINKS) + " FROM source_claims"
        ).fetchall()
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        return rows, links
    finally:
        db.close()


def test_sqlite_claims_table_row_by_row(outs: dict[str, Path]) -> None:
    rows, links = _claims(outs["sqlite"])
    assert rows == CLAIMS
    for kind, fact, *columns in links:  # a foreign key to the record's own table, and no other
        assert dict(zip(_LINKS, columns, strict=True)) == {c: fact if c == _KIND_LINK[kind] else None for c in _LINKS}
    for *_, source, quote, locator, checked, _own, _preferred, _disputed in rows:
        if checked:  # the locator points at the quote in the archived text
            text = (SEEDS / f"{source}.txt").read_text(encoding="utf-8")
            assert text[locator : locator + len(quote)] == quote


def test_focused_exports_keep_the_claims_and_sources_of_what_they_hold(tmp_path: Path) -> None:
    out = tmp_path / "focus.sqlite"
    assert run_cli("--data", str(DATA), "export", "sqlite", str(out), "--focus", "li-ming").exit_code == 0
    rows, _ = _claims(out)
    held = {"li-ming", "xinghe", SPELL}  # the person, the firm one hop away, and the spell between them
    assert rows == [row for row in CLAIMS if row[0] in held]

    out = tmp_path / "focus.graphml"
    assert run_cli("--data", str(DATA), "export", "graphml", str(out), "--focus", "yunfan").exit_code == 0
    graph = nx.read_graphml(out)
    # the deal one hop away; the sources of what is kept, the ones that are not its own included
    assert sorted(graph.nodes) == sorted(["yunfan", DEAL, ZH, EN, POD])
    out = tmp_path / "spell.graphml"
    assert run_cli("--data", str(DATA), "export", "graphml", str(out), "--focus", "li-ming").exit_code == 0
    assert sorted(nx.read_graphml(out).nodes) == sorted(["li-ming", "xinghe", ZH, EN])  # EN: the spell's second source

    out = tmp_path / "types.sqlite"
    assert run_cli("--data", str(DATA), "export", "sqlite", str(out), "--types", "deal").exit_code == 0
    rows, _ = _claims(out)
    assert rows == [row for row in CLAIMS if row[0] in {DEAL, "yunfan", "xinghe"}]  # and the firms it refers to


def test_a_quote_in_a_changed_layout_is_located_in_the_text_as_it_is(tmp_path: Path) -> None:
    """White space in the archived text (a line break, two spaces) still matches, and the
    locator counts the characters of the text as it is, CRLF line ends included."""
    data = tmp_path / "data"
    data.mkdir()
    (tmp_path / "text.txt").write_bytes("(Fictional.)\r\nAcme  hired\r\nJo Doe … as CTO.".encode())
    cite = {"source": "s", "quote": ["Acme hired Jo Doe"]}
    spec = {
        "sources": [{"id": "s", "title": "Fictional", "file": "../text.txt"}],
        "firms": [{"id": "acme", "name": "Acme", **cite}],
        "people": [{"id": "jo", "name": "Jo Doe", "source": "s", "quote": ["Acme … as CTO"]}],
    }
    for kind, records in spec.items():
        (data / f"{kind}.yaml").write_text(json.dumps({kind: records}), encoding="utf-8")
    kb = load(data)
    try:
        out = tmp_path / "out.sqlite"
        FORMATS["sqlite"].write(kb, select(build_graph(kb, facts=True)), out)
    finally:
        kb.close()
    rows, _ = _claims(out)
    assert [(row[0], row[7], row[8], row[9]) for row in rows] == [
        ("acme", "Acme hired Jo Doe", len("(Fictional.)\r\n"), 1),
        ("jo", "Acme … as CTO", len("(Fictional.)\r\n"), 1),
    ]


def test_a_whole_export_streams_the_same_provenance_as_the_graph(kb: KnowledgeBase, tmp_path: Path) -> None:
    """The whole-knowledge-base path (aiorg.export.whole) and the networkx path agree, byte for byte."""
    from tests.test_export_stream import _assert_same_bytes, _assert_same_graph

    _assert_same_graph(kb)
    _assert_same_bytes(kb, tmp_path)
