"""Review 8 (C), defect: a list of names is joined with "; " in GraphML, GEXF, JSON, CSV and
Cypher, so an alias that itself holds "; " cannot be told from two aliases.

A fictional firm has two aliases, "Aurora; Inc" and "AI". Every graph export writes
`aliases` = "Aurora; Inc; AI", which any reader splits into three aliases (Aurora, Inc, AI).
neo4j-csv already refuses such a value with one line naming it (aiorg/export/cypher.py): the
other formats say nothing and write the ambiguous text. Smallest fix: refuse "; " (or ";") in
an item of a list-of-names field when the knowledge base is validated, or refuse it in every
export the way neo4j-csv does.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import one_file_kb, run_cli

TEXT = "极光智能（Aurora; Inc，简称AI）发布新模型。"
KB = """\
sources:
  - {id: s1, title: 极光, kind: article, published: 2024-10-08, file: ../seeds/s1.txt}
firms:
  - id: aurora
    name: Aurora
    name_zh: 极光智能
    aliases: ["Aurora; Inc", AI]
    source: s1
    quote: 极光智能（Aurora; Inc，简称AI）
"""


def _aliases(out: Path, fmt: str) -> str:
    if fmt == "graphml":
        return str(nx.read_graphml(out).nodes["aurora"]["aliases"])
    if fmt == "gexf":
        return str(nx.read_gexf(out).nodes["aurora"]["aliases"])
    (node,) = [n for n in json.loads(out.read_text(encoding="utf-8"))["nodes"] if n["id"] == "aurora"]
    return str(node["aliases"])


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_an_alias_holding_the_separator_is_not_split_in_two(tmp_path: Path, fmt: str) -> None:
    data = one_file_kb(tmp_path, KB, {"s1.txt": TEXT})
    out = tmp_path / f"kb.{fmt}"
    result = run_cli("--data", str(data), "export", fmt, str(out))
    if result.exit_code != 0:  # refused, as neo4j-csv refuses it: a fix
        assert "Aurora; Inc" in result.stderr and result.stderr.count("\n") <= 2, result.stderr
        return
    # HEAD: "Aurora; Inc; AI", read back as three aliases
    assert _aliases(out, fmt).split("; ") == ["Aurora; Inc", "AI"]


def test_the_knowledge_base_refuses_it_at_its_line(tmp_path: Path) -> None:
    """The fix: refused when the data is read, at its place, so no export (neo4j-csv included)
    is ever written from it."""
    data = one_file_kb(tmp_path, KB, {"s1.txt": TEXT})
    result = run_cli("--data", str(data), "export", "neo4j-csv", str(tmp_path / "neo4j"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{data / 'kb.yaml'}:7:15: aliases: 'Aurora; Inc' holds"), result.stderr
    assert not (tmp_path / "neo4j").exists()
