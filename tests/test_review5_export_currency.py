"""Review 5 defect: an amount in another currency is exported as if it were US dollars.

`beta-xingchen` (fictional) is 50亿元, CNY 5B, with no exchange rate anywhere. `aiorg deals`
rightly gives `amount_usd: null`, and `strategy` refuses to count it, but every graph export
writes `amount_usd = 5000000000.0`, and the served site shows it as "$5B": a journalist who
sizes nodes or sorts deals by `amount_usd` reads a ~$0.7B deal as $5B."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import run_cli
from tests.test_review5_kb import write_kb

DEAL = "beta-xingchen"


@pytest.fixture(scope="module")
def kb_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_kb(tmp_path_factory.mktemp("review5-currency"))


def _export(kb_data: Path, fmt: str, out: Path) -> Path:
    result = run_cli("--data", str(kb_data), "export", fmt, str(out))
    assert result.exit_code == 0, result.stderr
    return out


def _not_dollars(value: object) -> None:
    """A CNY amount has no US-dollar figure: absent, empty or null, never the yuan figure."""
    assert value in (None, "", float("nan")) or value != value, value  # NaN != NaN
    assert value != 5e9 and value != "5000000000.0"


def test_cli_deals_has_no_usd_figure_for_yuan(kb_data: Path) -> None:
    rows = json.loads(run_cli("--data", str(kb_data), "deals", "--format", "json").stdout)
    (row,) = [r for r in rows if r["deal"] == DEAL]
    assert row["amount_usd"] is None and row["currency"] == "CNY"  # the reference answer


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_xml_exports(kb_data: Path, tmp_path: Path, fmt: str) -> None:
    out = _export(kb_data, fmt, tmp_path / f"kb.{fmt}")
    graph = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert graph.nodes[DEAL]["amount_text"] == "CNY 5B"
    _not_dollars(graph.nodes[DEAL].get("amount_usd"))


def test_node_link_json(kb_data: Path, tmp_path: Path) -> None:
    out = _export(kb_data, "json", tmp_path / "kb.json")
    (node,) = [n for n in json.loads(out.read_text(encoding="utf-8"))["nodes"] if n["id"] == DEAL]
    _not_dollars(node.get("amount_usd"))


def test_csv(kb_data: Path, tmp_path: Path) -> None:
    out = _export(kb_data, "csv", tmp_path / "csv")
    with (out / "nodes.csv").open(encoding="utf-8", newline="") as f:
        (node,) = [r for r in csv.DictReader(f) if r["id"] == DEAL]
    _not_dollars(node.get("amount_usd"))


def test_sqlite(kb_data: Path, tmp_path: Path) -> None:
    out = _export(kb_data, "sqlite", tmp_path / "kb.db")
    ((usd, text),) = sqlite3.connect(out).execute("SELECT amount_usd, amount_text FROM deals WHERE id = ?", (DEAL,))
    assert text == "CNY 5B"
    _not_dollars(usd)


def test_cypher(kb_data: Path, tmp_path: Path) -> None:
    out = _export(kb_data, "cypher", tmp_path / "kb.cypher")
    (line,) = [
        line for line in out.read_text(encoding="utf-8").splitlines() if f'MERGE (n:Deal {{id: "{DEAL}"}})' in line
    ]
    assert "`amount_usd` = 5000000000.0" not in line
