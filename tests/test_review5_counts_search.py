"""Review 5 defect: an answer that disagrees with what the user then opens.

`aiorg stats` says "graph nodes 65, graph edges 138" on the bundled data; every full export of
the same knowledge base has 112 nodes and 263 edges (its own "wrote json …: 112 nodes, 263
edges" line says so), because stats counts a graph without the events, metrics and claims the
README says "a full export carries". Nothing says which graph is counted."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli


def test_stats_counts_the_graph_an_export_writes(tmp_path: Path) -> None:
    stats = {r["kind"]: r["count"] for r in json.loads(run_cli("stats", "--format", "json").stdout)}
    out = tmp_path / "kb.json"
    assert run_cli("export", "json", str(out)).exit_code == 0
    graph = json.loads(out.read_text(encoding="utf-8"))
    assert (stats["graph nodes"], stats["graph edges"]) == (len(graph["nodes"]), len(graph["edges"]))
