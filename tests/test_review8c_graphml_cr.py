"""Review 8 (C), defect (minor): GraphML loses a carriage return in a value.

A note written in YAML as "Line one.\\r\\nLine two." (a double-quoted escape; the loader keeps
it) reaches JSON, CSV, SQLite, Cypher and GEXF intact, but GraphML writes the CR raw inside
element text, and every XML parser turns CR LF into LF (XML 1.0, section 2.11), so networkx and
igraph read "Line one.\\nLine two.". Smallest fix: in aiorg/export/graphs.py write "\\r" as
"&#13;" (escape(value, {"\\r": "&#13;"}), and let the no-escape fast path and its template
check for "\\r" too).
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from tests.conftest import one_file_kb, run_cli

KB = """\
sources:
  - {id: s1, title: 极光, kind: article, published: 2024-10-08, file: ../seeds/s1.txt}
people:
  - {id: li-lei, name: Li Lei, name_zh: 李雷, note: "Line one.\\r\\nLine two.\\tTabbed", source: s1, quote: 李雷}
"""
NOTE = "Line one.\r\nLine two.\tTabbed"


def test_graphml_keeps_a_carriage_return_as_json_does(tmp_path: Path) -> None:
    data = one_file_kb(tmp_path, KB, {"s1.txt": "李雷加入极光智能。"})
    as_json = json.loads(run_cli("--data", str(data), "export", "json").stdout)
    assert as_json["nodes"][0]["note"] == NOTE  # the loader keeps it
    out = tmp_path / "kb.graphml"
    assert run_cli("--data", str(data), "export", "graphml", str(out)).exit_code == 0
    assert nx.read_graphml(out).nodes["li-lei"]["note"] == NOTE  # HEAD: "Line one.\nLine two.\tTabbed"
