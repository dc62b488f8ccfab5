"""What each export says, and where and how it is written: names that cannot clash, every
record kind present, typed neo4j columns, focus on sqlite, full disks, pipes, devices and links."""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import sqlite3
import stat
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from aiorg.errors import ExitCode
from aiorg.kb import KnowledgeBase
from tests.conftest import run_cli


def _export(tmp_path: Path, fmt: str, *extra: str, name: str | None = None) -> Path:
    out = tmp_path / (name or f"out.{fmt}")
    result = run_cli("export", fmt, str(out), *extra)
    assert result.exit_code == 0, result.stderr
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_csv_edges_start_and_end_where_the_records_say(tmp_path: Path, bundled_kb: KnowledgeBase) -> None:
    edges = _rows(_export(tmp_path, "csv", name="csv") / "edges.csv")
    spells = {row["key"]: row for row in edges if row["relation"] == "held_role_at"}
    assert {key: (row["source"], row["target"]) for key, row in spells.items()} == {
        t.id: (t.person, t.firm) for t in bundled_kb.tenures
    }
    assert all(row["cites"] == t.source for t in bundled_kb.tenures for row in [spells[t.id]])
    assert "type" not in edges[0]  # Gephi reads a `type` column as the edge direction
    became = [row for row in edges if row["relation"] == "became"]
    assert became and all(row["source"] != row["cites"] for row in became)


def test_json_loads_with_networkx_defaults_and_keeps_endpoints(tmp_path: Path, bundled_kb: KnowledgeBase) -> None:
    data = json.loads(_export(tmp_path, "json").read_text(encoding="utf-8"))
    graph = nx.node_link_graph(data)  # no edges="links": networkx's current default
    for tenure in bundled_kb.tenures:
        edge = graph.get_edge_data(tenure.person, tenure.firm)[tenure.id]
        assert edge["relation"] == "held_role_at" and edge["cites"] == tenure.source


def test_every_event_metric_and_claim_is_in_the_graph_exports(tmp_path: Path, bundled_kb: KnowledgeBase) -> None:
    graph = nx.node_link_graph(json.loads(_export(tmp_path, "json").read_text(encoding="utf-8")))
    for kind, node_type, relation in (("events", "event", "about"), ("metrics", "metric", "measures")):
        for record in bundled_kb.records(kind):
            assert graph.nodes[record.id]["type"] == node_type
            subjects = getattr(record, "subjects", None) or [getattr(record, "subject", None)]
            assert {v for _, v, r in graph.out_edges(record.id, data="relation") if r == relation} == set(subjects)
    for claim in bundled_kb.claims:
        assert graph.nodes[claim.id]["text"] == claim.text and graph.nodes[claim.id]["strategy"] == claim.strategy
    dau = graph.nodes["gemini-dau-2025-03"]
    assert dau["value"] == 35_000_000 and dau["metric"] == "dau" and graph.has_edge("gemini-dau-2025-03", "gemini")
    graphml = nx.read_graphml(_export(tmp_path, "graphml"))
    assert graphml.nodes["gemini-dau-2025-03"]["value"] == 35_000_000
    assert nx.read_gexf(_export(tmp_path, "gexf")).nodes["gemini-dau-2025-03"]["value"] == 35_000_000


def test_graphml_key_ids_cannot_be_read_as_yed_labels(tmp_path: Path) -> None:
    root = ET.parse(_export(tmp_path, "graphml")).getroot()
    keys = root.findall("{http://graphml.graphdrawing.org/xmlns}key")
    assert not [k.get("id") for k in keys if re.fullmatch(r"d\d+", k.get("id", ""))]
    labels = [(k.get("for"), k.get("id")) for k in keys if k.get("attr.name") == "label"]
    assert labels == [("node", "n_label")]


GEXF_GRAPH_ATTRIBUTES = {"timeformat", "start", "startopen", "end", "endopen", "defaultedgetype", "idtype", "mode"}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_gexf_keeps_to_the_schema(tmp_path: Path) -> None:
    """The GEXF 1.2 schema's rules that networkx's writer breaks or that Gephi's timeline needs."""
    root = ET.parse(_export(tmp_path, "gexf")).getroot()
    ns = "{http://www.gexf.net/1.2draft}"
    assert root.get("version") == "1.2"
    (graph,) = root.findall(f"{ns}graph")
    assert set(graph.attrib) <= GEXF_GRAPH_ATTRIBUTES  # no name="": not in the schema
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    assert graph.get("defaultedgetype") in ("directed", "undirected", "mutual")
    for element in root.iter():
        for bound in ("start", "end"):
            if element.tag in (f"{ns}node", f"{ns}edge") and bound in element.attrib:
                assert ISO_DAY.fullmatch(element.attrib[bound]), element.attrib
    types = {a.get("type") for a in root.iter(f"{ns}attribute")}
    assert types <= {"integer", "long", "double", "float", "boolean", "string", "liststring", "anyURI", "date"}
    edge_ids = [e.get("id") for e in root.iter(f"{ns}edge")]
    assert all(edge_ids) and len(set(edge_ids)) == len(edge_ids)


def test_no_consumer_can_read_an_unknown_spell_as_ended(tmp_path: Path, bundled_kb: KnowledgeBase) -> None:
    import igraph

    graph = igraph.Graph.Read_GraphML(str(_export(tmp_path, "graphml")))
    assert "current" not in graph.es.attributes()  # igraph fills a missing boolean with False
    states = {e["edge_key"]: e["state"] for e in graph.es if e["relation"] == "held_role_at"}
    assert states == {t.id: t.state.value for t in bundled_kb.tenures}
    assert "unknown" in states.values()


def test_cypher_relationships_read_forwards(tmp_path: Path) -> None:
    script = _export(tmp_path, "cypher").read_text(encoding="utf-8")
    assert "TARGET_OF" not in script
    targets = re.findall(r"MATCH \(a:(\w+) .*?\(b:(\w+) .*?-\[r:TARGETS ", script)
    assert targets and {a for a, _ in targets} == {"Deal"}


def test_neo4j_csv_types_dates_and_lists(tmp_path: Path, bundled_kb: KnowledgeBase) -> None:
    out = _export(tmp_path, "neo4j-csv", name="neo4j")
    with (out / "relationships.csv").open(encoding="utf-8") as stream:
        header = next(csv.reader(stream))
    assert {"start_earliest:date", "end_latest:date", "start", "quote"} <= set(header)
    firms = _rows(out / "nodes_Firm.csv")
    assert {"aliases:string[]", "groups:string[]"} <= set(firms[0])
    for firm in bundled_kb.firms:
        row = next(row for row in firms if row["id:ID"] == firm.id)
        assert row["groups:string[]"] == ";".join(firm.groups) and row["aliases:string[]"] == ";".join(firm.aliases)
    assert any(len(firm.groups) > 1 for firm in bundled_kb.firms)
    events = _rows(out / "nodes_Event.csv")
    assert all(re.fullmatch(r"(\d{4}-\d{2}-\d{2})?", row["date_earliest:date"]) for row in events)


def test_sqlite_focus_restricts_the_database(tmp_path: Path, bundled_kb: KnowledgeBase) -> None:
    out = tmp_path / "minimax.db"
    result = run_cli("export", "sqlite", str(out), "--focus", "minimax")
    assert result.exit_code == 0, result.stderr
    db = sqlite3.connect(out)
    firms = {row[0] for row in db.execute("SELECT id FROM firms")}
    spells = {row[0] for row in db.execute("SELECT id FROM tenures")}
    assert "minimax" in firms and len(firms) < len(bundled_kb.firms)
    assert {t.id for t in bundled_kb.tenures if t.firm == "minimax"} <= spells
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert result.stderr.startswith(f"wrote sqlite to {out}: ")
    db.close()


def test_sqlite_decodes_each_record_once(
    tmp_path: Path, bundled_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claims table reads the records the record tables decoded, not a second stream of them
    (at 100k people decoding every record again took about 3 s)."""
    from aiorg.export.sqlite import write_sqlite
    from aiorg.export.whole import ExportGraph

    def again(*args: object) -> None:
        raise AssertionError("the sqlite export decoded the records a second time")

    monkeypatch.setattr(KnowledgeBase, "stream", again)
    write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "kb.db")
    db = sqlite3.connect(tmp_path / "kb.db")
    assert db.execute("SELECT count(*) FROM source_claims").fetchone()[0] >= sum(bundled_kb.counts().values()) - 1
    db.close()


def test_sqlite_is_synced_before_it_replaces_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The temporary database is written without a journal or SQLite's syncs, so it is synced
    once, complete, before the rename: the file that replaces the old one is never partly on disk."""
    out = tmp_path / "kb.db"
    out.write_text("previous", encoding="utf-8")
    synced: list[tuple[int, bool]] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append((os.fstat(fd).st_ino, out.read_bytes() == b"previous"))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    assert run_cli("export", "sqlite", str(out)).exit_code == 0
    assert (out.stat().st_ino, True) in synced  # the new file, synced while the old one was still in place
    assert not list(tmp_path.glob("*-journal"))


def test_sqlite_refuses_a_reference_to_a_missing_record(tmp_path: Path, bundled_kb: KnowledgeBase) -> None:
    """Foreign keys are checked once, after the rows are in: a spell at a firm the database does
    not hold still fails the export, and leaves no file."""
    from aiorg.export.sqlite import write_sqlite
    from aiorg.export.whole import ExportGraph

    spell = bundled_kb.tenures[0]
    part = bundled_kb.subset({spell.id, spell.person, spell.source})  # not its firm
    with pytest.raises(RuntimeError, match="foreign key"):
        write_sqlite(part, ExportGraph.whole_of(part), tmp_path / "kb.db")
    assert list(tmp_path.iterdir()) == []


def test_sqlite_on_a_full_disk_is_an_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = sqlite3.connect

    def tiny(path: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        db: sqlite3.Connection = real(path, *args, **kwargs)
        db.execute("PRAGMA max_page_count = 4")  # SQLITE_FULL, as on a full disk
        return db

    monkeypatch.setattr(sqlite3, "connect", tiny)
    out = tmp_path / "kb.db"
    result = run_cli("export", "sqlite", str(out))
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.stderr
    assert str(out) in result.stderr and len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_directory_export_is_replaced_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "csv"
    out.mkdir()
    (out / "nodes.csv").write_text("old nodes\n", encoding="utf-8")
    (out / "edges.csv").write_text("old edges\n", encoding="utf-8")
    real = csv.DictWriter
    headers: list[int] = []

    class FullDisk(real):  # type: ignore[misc, valid-type]
        def writeheader(self) -> Any:
            headers.append(1)
            if len(headers) == 2:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return super().writeheader()

    monkeypatch.setattr(csv, "DictWriter", FullDisk)
    result = run_cli("export", "csv", str(out))
    assert (out / "nodes.csv").read_text(encoding="utf-8") == "old nodes\n"  # no mix of old and new
    assert (out / "edges.csv").read_text(encoding="utf-8") == "old edges\n"
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.stderr
    assert result.stderr == f"aiorg: error: {out / 'edges.csv'}: cannot write: No space left on device\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv"]
    monkeypatch.setattr(csv, "DictWriter", real)
    assert run_cli("export", "csv", str(out)).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv"]
    assert _rows(out / "edges.csv")[0]["relation"]


def test_a_directory_export_never_deletes_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("export", "neo4j-csv", str(tmp_path))
    assert result.exit_code == ExitCode.OUTPUT_ERROR
    assert str(tmp_path) in result.stderr and "notes.txt" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_fifo_is_written_as_a_stream(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run_cli("export", "json", str(fifo), "--focus", "minimax")
    assert result.exit_code == 0, result.stderr
    reader.join(timeout=10)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert "minimax" in {n["id"] for n in json.loads(received[0])["nodes"]}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_full_character_device_is_an_output_error_and_stays_a_device(tmp_path: Path) -> None:
    device = tmp_path / "full"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # a private /dev/full
        device.open("wb").close()
    except OSError:
        pytest.skip("cannot make a character device here")
    result = run_cli("export", "json", str(device))
    assert result.exit_code == ExitCode.OUTPUT_ERROR
    assert result.stderr == f"aiorg: error: {device}: cannot write: No space left on device\n"
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_a_symlink_stays_a_link_and_its_target_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    result = run_cli("export", "json", str(link), "--focus", "minimax")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and link.resolve() == target
    assert json.loads(target.read_text(encoding="utf-8"))["edges"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_a_socket_is_refused_by_name(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        result = run_cli("export", "json", str(path))
    finally:
        server.close()
    assert result.exit_code == ExitCode.OUTPUT_ERROR and str(path) in result.stderr
    assert stat.S_ISSOCK(path.lstat().st_mode)
