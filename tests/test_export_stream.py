"""A whole export is built without networkx (aiorg.export.whole); it must give exactly what the
networkx path gives: the same nodes and edges, attributes in the same order, and the same bytes
in every format, on the bundled data, a generated 1k knowledge base and hypothesis-made ones
(with repeated list values, which a MultiDiGraph collapses into one edge)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings

from aiorg.export import FORMATS
from aiorg.export import whole as whole_module
from aiorg.export.graphs import attribute_types, select, write_json
from aiorg.export.naming import edge_attributes
from aiorg.export.whole import ExportGraph, whole_graph
from aiorg.graph import build_graph
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from tests.conftest import BUNDLED_DATA, REPO, run_cli
from tests.test_graph_store import graphs
from tests.test_oracle import _load


def _networkx_parts(kb: KnowledgeBase) -> tuple[list[Any], list[Any]]:
    """The nodes and edges every export wrote before: select(build_graph(kb, facts=True))."""
    graph = select(build_graph(kb, facts=True))
    nodes = [(n, list(d.items())) for n, d in graph.nodes(data=True)]
    edges = [(u, v, k, list(d.items())) for u, v, k, d in graph.edges(keys=True, data=True)]
    return nodes, edges


def _streamed_parts(kb: KnowledgeBase) -> tuple[list[Any], list[Any]]:
    nodes, edges = whole_graph(kb)
    return [(n, list(d.items())) for n, d in nodes], [(u, v, k, list(d.items())) for u, v, k, d in edges]


def _assert_same_graph(kb: KnowledgeBase) -> None:
    """Node by node and edge by edge (types included: 1 and 1.0 differ in a GraphML key)."""
    expected_nodes, expected_edges = _networkx_parts(kb)
    nodes, edges = _streamed_parts(kb)
    assert len(nodes) == len(expected_nodes) and len(edges) == len(expected_edges)
    for got, want in zip(nodes, expected_nodes, strict=True):
        assert got == want and [type(v) for _, v in got[1]] == [type(v) for _, v in want[1]], want[0]
    for got, want in zip(edges, expected_edges, strict=True):
        assert got == want and [type(v) for _, v in got[3]] == [type(v) for _, v in want[3]], want[:3]


def _files(out: Path) -> Iterator[tuple[str, bytes]]:
    if out.is_dir():
        for path in sorted(out.iterdir()):
            yield path.name, path.read_bytes()
    else:
        yield out.name, out.read_bytes()


def _assert_same_bytes(kb: KnowledgeBase, folder: Path) -> None:
    """Every format, written from the whole-export graph and from the networkx graph."""
    selected = select(build_graph(kb, facts=True))
    (folder / "streamed").mkdir()
    (folder / "networkx").mkdir()
    for name, fmt in FORMATS.items():
        streamed, networked = folder / "streamed" / f"out.{name}", folder / "networkx" / f"out.{name}"
        fmt.write(kb, ExportGraph.whole_of(kb), streamed)
        fmt.write(kb, selected, networked)
        assert [n for n, _ in _files(streamed)] == [n for n, _ in _files(networked)], name
        for (file, got), (_, want) in zip(_files(streamed), _files(networked), strict=True):
            assert got == want, f"{name}: {file} differs"


@pytest.fixture(scope="module")
def generated_kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    """benchmarks/generate.py's knowledge base of 1,000 people."""
    folder = tmp_path_factory.mktemp("k1")
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), "1000", str(folder)],
        check=True,
        capture_output=True,
    )
    kb = load(folder / "data")
    yield kb
    kb.close()


def test_bundled_whole_graph_equals_the_networkx_graph(bundled_kb: KnowledgeBase) -> None:
    _assert_same_graph(bundled_kb)


def test_generated_whole_graph_equals_the_networkx_graph(generated_kb: KnowledgeBase) -> None:
    _assert_same_graph(generated_kb)


def test_records_read_in_small_chunks_give_the_same_graph(
    bundled_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whole_module, "_CHUNK", 3)  # chunk ends fall inside every kind
    _assert_same_graph(bundled_kb)


def test_each_record_provenance_is_worked_out_once(bundled_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """A node record's `sources` and `disputed` are on its node and on each of its edges: worked
    out once for all of them (at 100k people, twice took about a second)."""
    import aiorg.graph

    calls: list[str] = []
    real = aiorg.graph.provenance

    def counted(record: Any) -> tuple[str, bool]:
        calls.append(record.id)
        return real(record)

    monkeypatch.setattr(aiorg.graph, "provenance", counted)
    monkeypatch.setattr(whole_module, "provenance", counted, raising=False)
    _assert_same_graph(bundled_kb)  # the networkx path asks for it twice a node record
    calls.clear()
    whole_graph(bundled_kb)
    assert calls and len(calls) == len(set(calls))


def test_bundled_exports_are_byte_identical_to_the_networkx_path(bundled_kb: KnowledgeBase, tmp_path: Path) -> None:
    _assert_same_bytes(bundled_kb, tmp_path)


def test_generated_exports_are_byte_identical_to_the_networkx_path(generated_kb: KnowledgeBase, tmp_path: Path) -> None:
    _assert_same_bytes(generated_kb, tmp_path)


def test_the_cli_writes_a_whole_export_from_the_whole_graph(
    tmp_path: Path, bundled_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI takes the path without networkx for a whole export (and the bytes agree)."""
    import aiorg.graph

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a whole export must not build the networkx graph")

    monkeypatch.setattr(aiorg.graph, "build_graph", refuse)
    out = tmp_path / "out.graphml"
    result = run_cli("--data", str(BUNDLED_DATA), "export", "graphml", str(out))
    assert result.exit_code == 0, result.stderr
    monkeypatch.undo()
    FORMATS["graphml"].write(bundled_kb, select(build_graph(bundled_kb, facts=True)), tmp_path / "nx.graphml")
    assert out.read_bytes() == (tmp_path / "nx.graphml").read_bytes()


_scratch = count()


@settings(max_examples=15)
@given(spec=graphs())
def test_generated_knowledge_bases_give_the_same_graph(tmp_path_factory: pytest.TempPathFactory, spec: Any) -> None:
    kb = _load(spec, tmp_path_factory.mktemp(f"stream{next(_scratch)}"), False)
    try:
        _assert_same_graph(kb)
    finally:
        kb.close()


# --- the JSON writer streams what json.dump wrote ---------------------------------------------


def _json_dump(graph: nx.MultiDiGraph) -> str:
    """The JSON writer aiorg had before it streamed: one json.dump of the whole document."""
    data = {
        "directed": True,
        "multigraph": True,
        "graph": dict(graph.graph),
        "nodes": [{"id": node, **attributes} for node, attributes in graph.nodes(data=True)],
        "edges": [
            {"source": u, "target": v, "key": key, **edge_attributes(attributes)}
            for u, v, key, attributes in graph.edges(keys=True, data=True)
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _written_json(graph: nx.MultiDiGraph, path: Path) -> str:
    write_json(None, ExportGraph.of(graph), path)  # type: ignore[arg-type]  # the writer never reads kb
    return path.read_text(encoding="utf-8")


def test_json_writer_equals_json_dump_on_the_bundled_data(bundled_kb: KnowledgeBase, tmp_path: Path) -> None:
    graph = select(build_graph(bundled_kb, facts=True))
    assert _written_json(graph, tmp_path / "a.json") == _json_dump(graph)


def test_json_writer_equals_json_dump_on_awkward_values(tmp_path: Path) -> None:
    graph = nx.MultiDiGraph(name="g 图", nested={"a": [1, 2.5]})
    graph.add_node('a\n"b" 汤姆🚀', flag=True, off=False, n=-3, x=1e300, y=0.1, z=math.inf, w=-math.inf, q=math.nan)
    graph.add_node("bare")
    graph.add_edge("bare", 'a\n"b" 汤姆🚀', key="k\\", type="target_of", text="\t\u2028")
    graph.add_edge("bare", "bare", key="%s", **{"100%s": "%d", "type": "makes"})  # % in names and values
    graph.add_edge("bare", "bare", key="clash", **{"source": "not the source", "relation": 1})  # overridden
    graph.add_node("bare 2", **{"id": "not the id"})
    # texts escaped together and cut apart at U+E000: a text holding it must still come out whole
    graph.add_node("cut \ue000 here", label="a\ue000b", note='\ue000"\ue000', type="person")
    graph.add_edge("cut \ue000 here", "bare", key="\ue000", type="makes", text="\x00\ue000\\")
    assert _written_json(graph, tmp_path / "b.json") == _json_dump(graph)
    empty = nx.MultiDiGraph()
    assert _written_json(empty, tmp_path / "c.json") == _json_dump(empty)


def test_json_rows_of_one_shape_may_hold_other_types(tmp_path: Path) -> None:
    """A layout is made from the first row of its names; later rows with a text where it had a
    literal, or a literal where it had a text, are written right all the same."""
    graph = nx.MultiDiGraph()
    graph.add_node("a", flag=True, note="x", **{"{0}": "{1}", "%s": 1})
    graph.add_node("b", flag="yes & no", note=2.5, **{"{0}": "}{", "%s": "%d"})
    graph.add_node("c", flag=False, note="\ue000", **{"{0}": False, "%s": None})
    graph.add_edge("a", "b", key="k1", type="makes", disputed=True)
    graph.add_edge("b", "c", key="k2", type="makes", disputed="no")
    assert _written_json(graph, tmp_path / "d.json") == _json_dump(graph)


def _count_calls(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[Any]:
    calls: list[Any] = []
    real = getattr(module, name)

    def counted(value: Any) -> str:
        calls.append(value)
        return str(real(value))

    monkeypatch.setattr(module, name, counted)
    return calls


def _not_text(graph: nx.MultiDiGraph) -> int:
    rows = [data for _, data in graph.nodes(data=True)] + [d for *_, d in graph.edges(keys=True, data=True)]
    return sum(type(value) is not str for data in rows for value in data.values())


def test_writers_convert_only_the_values_that_are_not_text(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every row holds `disputed` (a boolean): a row's texts are still escaped in one call, and
    only its literals converted one by one (calling the converter on every value of every row
    was a third of the time of a 100k export)."""
    import aiorg.export.graphs as graphs
    import aiorg.export.nodelink as nodelink

    graph = select(build_graph(bundled_kb, facts=True))
    literals = _not_text(graph)
    assert literals >= graph.number_of_nodes()  # every node's `disputed`, at least
    json_calls = _count_calls(monkeypatch, nodelink, "_json_value")
    escapes = _count_calls(monkeypatch, nodelink, "_json_text")
    _written_json(graph, tmp_path / "a.json")
    assert len(json_calls) == literals and all(type(value) is not str for value in json_calls)
    rows = graph.number_of_nodes() + graph.number_of_edges()
    layouts = {(1, *d) for _, d in graph.nodes(data=True)} | {(3, *d) for *_, d in graph.edges(data=True)}
    assert len(escapes) <= rows + sum(layout[0] + len(layout) - 1 for layout in layouts)  # a row; a layout's names
    graphml_calls = _count_calls(monkeypatch, graphs, "_graphml_value")
    graphs.write_graphml(None, ExportGraph.of(graph), tmp_path / "a.graphml")  # type: ignore[arg-type]
    escaped = [
        d
        for d in [*(d for _, d in graph.nodes(data=True)), *(d for *_, d in graph.edges(data=True))]
        if any(type(v) is str and ("&" in v or "<" in v or ">" in v) for v in d.values())
    ]
    assert len(graphml_calls) <= literals + sum(len(d) for d in escaped)


def test_edges_to_records_left_out_give_the_same_bare_nodes(bundled_kb: KnowledgeBase) -> None:
    """networkx adds an edge's missing end as a node without attributes; so must the whole graph.
    (A loaded knowledge base has no such edges; a subset of one, unvalidated, does.)"""
    tenure = bundled_kb.tenures[0]
    deal = bundled_kb.deals[0]
    part = bundled_kb.subset({tenure.id, tenure.person, deal.id})  # no firm, no source
    try:
        assert any(not data for _, data in whole_graph(part)[0])
        _assert_same_graph(part)
    finally:
        part.close()


def _naive_types(graph: nx.MultiDiGraph, rename: Any) -> dict[tuple[str, str], set[type]]:
    seen: dict[tuple[str, str], set[type]] = {}
    for _, data in graph.nodes(data=True):
        for name, value in data.items():
            seen.setdefault(("node", name), set()).add(type(value))
    for *_, data in graph.edges(data=True):
        for name, value in rename(data).items():
            seen.setdefault(("edge", name), set()).add(type(value))
    return seen


@pytest.mark.parametrize("clash", [False, True])
def test_attribute_types_equal_a_naive_count(bundled_kb: KnowledgeBase, clash: bool) -> None:
    """attribute_types gathers (name, type) pairs in bulk and renames `type` once; per attribute
    of every node and every renamed edge it must give the same answer."""
    graph = select(build_graph(bundled_kb, facts=True))
    if clash:
        graph.add_edge("x", "y", key="z", type="makes", relation=1)  # edge_attributes overwrites this `relation`
    renames = (dict, edge_attributes, lambda d: {k.upper(): v for k, v in d.items()})
    for rename in renames:
        assert attribute_types(graph, edges=rename) == _naive_types(graph, rename)
    assert attribute_types(graph, edges=edge_attributes)[("edge", "relation")] == {str}


# --- scalar_attributes takes shortcuts; the naive twin below is what it replaced --------------


def _naive_scalar_attributes(record: Any) -> dict[str, Any]:
    """aiorg.graph.scalar_attributes before its per-class plan and fast paths."""
    import dataclasses
    from enum import Enum

    from aiorg.dates import FuzzyDate
    from aiorg.model import Deal, Tenure
    from aiorg.money import Money

    def flatten(attributes: dict[str, Any], name: str, value: Any) -> None:
        if value is None or value == []:
            return
        if isinstance(value, Enum):
            attributes[name] = value.value
        elif isinstance(value, FuzzyDate):
            attributes[name] = value.text
            if value.earliest:
                attributes[f"{name}_earliest"] = value.earliest.isoformat()
            if value.latest:
                attributes[f"{name}_latest"] = value.latest.isoformat()
        elif isinstance(value, Money):
            if value.currency == "USD":  # no dollar figure for another currency without a rate
                attributes[f"{name}_usd"] = float(value.value)
            attributes[f"{name}_bound"] = value.bound.value
            attributes[f"{name}_text"] = value.describe()
            attributes[f"{name}_currency"] = value.currency
        elif isinstance(value, list):
            attributes[name] = (" … " if name == "quote" else "; ").join(str(v) for v in value)
        else:
            assert isinstance(value, (str, int, float, bool))
            attributes[name] = value

    attributes: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        if f.name in ("history", "conditions", "id") or (isinstance(record, Tenure) and f.name == "current"):
            continue
        flatten(attributes, "cites" if f.name == "source" else f.name, getattr(record, f.name))
    if isinstance(record, Tenure):
        attributes["state"] = record.state.value
    if isinstance(record, Deal):
        attributes["status"] = record.status.value
        flatten(attributes, "date", record.date)

        def marked(text: str, part: Any, name: str) -> str:  # " (inferred)" right after an inferred value
            return f"{text} (inferred)" if name in part.inferred else text

        def sure(e: Any) -> str:  # a step's certainty, unless confirmed or its status says it
            return "" if e.certainty.value in ("confirmed", e.status.value) else f" [{e.certainty.value}]"

        attributes["status_history"] = " → ".join(
            marked(e.status.value, e, "status") + sure(e) + (f"@{marked(e.date.text, e, 'date')}" if e.date else "")
            for e in record.history
        )
        if record.conditions:
            every = "conditions" in record.inferred
            attributes["conditions"] = "; ".join(
                f"{c.text} (inferred)" if every else marked(c.text, c, "text") for c in record.conditions
            )
        steps = []  # the deal's status and date are its steps': `inferred` names them as the deals rows do
        if "status" in record.history[-1].inferred:
            steps.append("history.status")
        dated = [e for e in record.history if e.date is not None]
        if dated and "date" in dated[-1].inferred:
            steps.append("history.date")
        if steps:
            attributes["inferred"] = "; ".join([*record.inferred, *steps])
    return attributes


@pytest.mark.parametrize("which", ["bundled", "generated"])
def test_scalar_attributes_equal_the_naive_twin(
    which: str, bundled_kb: KnowledgeBase, generated_kb: KnowledgeBase
) -> None:
    from aiorg.graph import scalar_attributes
    from aiorg.model import RECORD_KINDS

    kb = bundled_kb if which == "bundled" else generated_kb
    for kind in RECORD_KINDS:
        for record in kb.records(kind):
            got, want = scalar_attributes(record), _naive_scalar_attributes(record)
            assert list(got.items()) == list(want.items()), record.id
            assert [type(v) for v in got.values()] == [type(v) for v in want.values()], record.id


# --- the GraphML writer fills a template per attribute layout; the naive twin is what it replaced --


def _naive_graphml(graph: nx.MultiDiGraph) -> str:
    from xml.sax.saxutils import escape, quoteattr

    def value_text(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return escape(repr(value) if isinstance(value, float) else str(value))

    kinds = attribute_types(graph, edges=edge_attributes)
    keys = {(scope, name): f"{scope[0]}_{name}" for scope, name in sorted(kinds)}
    types = {bool: "boolean", int: "long", float: "double", str: "string"}
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    for (scope, name), key in keys.items():
        (kind,) = kinds[(scope, name)]
        text += f'  <key id="{key}" for="{scope}" attr.name={quoteattr(name)} attr.type="{types[kind]}" />\n'
    text += '  <graph edgedefault="directed">\n'
    for node, data in graph.nodes(data=True):
        cells = "".join(f'<data key="{keys[("node", k)]}">{value_text(v)}</data>' for k, v in data.items())
        text += f"    <node id={quoteattr(str(node))}>{cells}</node>\n"
    for u, v, key, data in graph.edges(keys=True, data=True):
        cells = "".join(
            f'<data key="{keys[("edge", k)]}">{value_text(x)}</data>' for k, x in edge_attributes(data).items()
        )
        text += (
            f"    <edge id={quoteattr(str(key))} source={quoteattr(str(u))} target={quoteattr(str(v))}>{cells}</edge>\n"
        )
    return text + "  </graph>\n</graphml>\n"


def test_graphml_writer_equals_the_naive_twin(bundled_kb: KnowledgeBase, tmp_path: Path) -> None:
    from aiorg.export.graphs import write_graphml

    awkward = nx.MultiDiGraph()
    awkward.add_node("a'b\"c\n&<>\t\r", label="x & <y>", flag=True, n=2, w=0.5)
    awkward.add_node('plain "quoted"', label="it's")
    awkward.add_edge("Tom & Jerry", "<b>", key="x>y", type="makes")  # only &, < or >: escaped all the same
    awkward.add_edge('plain "quoted"', "a'b\"c\n&<>\t\r", key="%s & 'k'", type="target_of", note="100%s")
    awkward.add_edge('plain "quoted"', 'plain "quoted"', key="no type", note="%d")
    awkward.add_edge('plain "quoted"', 'plain "quoted"', key="both", type="makes", relation="first")
    awkward.add_edge("plain", "plain", key="only the key\n", type="makes")  # one end needs quoting, the rest not
    awkward.add_edge("plain", "tab\there", key="k", type="makes", text="\x00 <")
    for graph in (select(build_graph(bundled_kb, facts=True)), awkward):
        write_graphml(None, ExportGraph.of(graph), tmp_path / "out.graphml")  # type: ignore[arg-type]
        assert (tmp_path / "out.graphml").read_text(encoding="utf-8") == _naive_graphml(graph)


@pytest.mark.parametrize("alias", ["A;B", "A; B"])
def test_neo4j_csv_refuses_a_list_item_holding_the_delimiter(tmp_path: Path, alias: str) -> None:
    """neo4j-csv splits the joined attribute, and reads the record only when an item holds ';':
    the refusal must still name the record's item as it is."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "kb.yaml").write_text(
        "sources:\n  - {id: s, title: T}\n"
        f"firms:\n  - {{id: acme, name: Acme, aliases: ['x', {json.dumps(alias)}], source: s, quote: q}}\n",
        encoding="utf-8",
    )
    result = run_cli("--data", str(data), "export", "neo4j-csv", str(tmp_path / "out"))
    assert result.exit_code != 0
    if "; " in alias:  # the separator every export joins names with: refused when the data is read
        assert f"aliases: {alias!r} holds '; ', which exports join a name list with" in result.stderr
    else:
        assert f"acme.aliases value {alias!r} holds the array delimiter ';'" in result.stderr
    assert not (tmp_path / "out").exists()


def _gexf_of_the_whole_tree(graph: nx.MultiDiGraph) -> str:
    """The GEXF writer aiorg had before it wrote in chunks: networkx's tree of the whole graph."""
    from xml.etree.ElementTree import tostring

    from networkx.readwrite.gexf import GEXFWriter

    from aiorg.export.gexf import timed

    copy = nx.MultiDiGraph()
    copy.add_nodes_from((node, timed(dict(data))) for node, data in graph.nodes(data=True))
    for u, v, key, data in graph.edges(keys=True, data=True):
        copy.add_edge(u, v, key=key, **timed({"id": key, **edge_attributes(data)}))
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(copy)
    meta = writer.xml.find("meta")
    assert meta is not None
    meta.attrib.pop("lastmodifieddate", None)
    for element in writer.xml.iter("graph"):
        element.attrib.pop("name", None)
        element.set("timeformat", "date")
    writer.indent(writer.xml)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + tostring(writer.xml, encoding="unicode").rstrip("\n") + "\n"


@pytest.mark.parametrize("chunk", [1, 3, 4096])
def test_gexf_written_in_chunks_equals_the_whole_tree(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    from aiorg.export import gexf

    monkeypatch.setattr(gexf, "_CHUNK", chunk)
    awkward = nx.MultiDiGraph()
    awkward.add_node("a", label="x & <y> 汤姆", start="2020", start_earliest="2020-01-01", n=2, w=0.5, flag=True)
    awkward.add_node("d", type="deal", date_earliest="2021-05-01", start="2021")
    awkward.add_node("b")
    # a target that is the source of a later edge in the same chunk: edges still come by source
    awkward.add_edge("a", "d", key="k1", type="target_of", end="2022", end_latest="2022-12-31")
    awkward.add_edge("b", "x", key="k2", type="makes")
    awkward.add_edge("d", "y", key="k3", type="makes", note="\ue000 line\nbreak")
    empty, only_nodes = nx.MultiDiGraph(), nx.MultiDiGraph()
    only_nodes.add_node("alone", label="a")
    for graph in (select(build_graph(bundled_kb, facts=True)), select(awkward), empty, only_nodes):
        gexf.write_gexf(bundled_kb, ExportGraph.of(graph), tmp_path / "out.gexf")
        assert (tmp_path / "out.gexf").read_text(encoding="utf-8") == _gexf_of_the_whole_tree(graph)


def test_gexf_chunks_do_not_outlive_their_chunk(bundled_kb: KnowledgeBase, tmp_path: Path) -> None:
    """The CLI runs with the cyclic collector off; a networkx graph refers to itself, so each
    chunk's graph must be emptied or all of them (8 GB at 100k people) stay alive to the end."""
    import gc

    from aiorg.export import gexf

    graph = ExportGraph.whole_of(bundled_kb)
    graph.nodes  # noqa: B018 - built before counting
    gc.collect()
    gc.disable()
    try:
        gexf.write_gexf(bundled_kb, graph, tmp_path / "out.gexf")
        alive = [g for g in gc.get_objects() if isinstance(g, nx.MultiDiGraph) and len(g)]
    finally:
        gc.enable()
    assert alive == []
