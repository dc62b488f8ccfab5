"""Every graph export says which of a deal node's values are aiorg's reading (README, "An inference
says it is one"; aiorg.step_marks): its `inferred` names its steps' (`history.status`,
`history.date`) as the `deals` rows do, and `status_history` and `conditions` write " (inferred)"
right after each inferred value, as the rows' `status_text` and `conditions` write it.

Each format is read back by its real consumer (networkx for GraphML, GEXF and node-link JSON;
csv for CSV and neo4j-admin's CSV; FalkorDB for the Cypher script), and every deal node is
compared with what `aiorg deals --format json` says of that deal, for the whole-knowledge-base
export (records read from their tuples) and a `--types` one (the networkx graph of decoded
records). On the bundled data (the SSI deal's steps infer their status: a refusal read as a
rejection) and on a small knowledge base written here, every name in it fictional.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import networkx as nx

from aiorg.kb import KnowledgeBase
from aiorg.step_marks import MARK
from tests.conftest import cli_json, run_cli, write_spec
from tests.test_exports import _load_cypher, falkordb_server  # noqa: F401  (the server fixture)

#: the formats read back here without a server, and the file or folder each writes
FORMATS = ("graphml", "gexf", "json", "csv", "neo4j-csv")
_SAID = {"source": "s", "quote": "a fictional quote"}
_STEPS = ("history.status", "history.date")


def _spec() -> dict[str, list[dict[str, Any]]]:
    """Fictional deals whose steps and conditions infer different values."""
    return {
        "sources": [{"id": "s", "title": "A fictional article", "published": "2025-01", "kind": "article"}],
        "firms": [{"id": f, "name": f.title(), **_SAID} for f in ("acme", "bolt", "cato")],
        "deals": [
            {  # its own figure inferred; an earlier step's status and a condition's text too
                "id": "d-read",
                "kind": "acquisition",
                "buyers": ["acme"],
                "targets": ["bolt"],
                "amount": "1B",
                "inferred": ["amount"],
                **_SAID,
                "conditions": [
                    {"text": "Bolt's founders stay", "inferred": ["text"], **_SAID},
                    {"text": "Two years", "years": 2, "inferred": ["years"], **_SAID},
                ],
                "history": [
                    {"date": "2024-03", "status": "in_talks", "inferred": ["date"], **_SAID},
                    {"date": "2024-06", "status": "agreed", "inferred": ["status"], **_SAID},
                    {"status": "completed", **_SAID},
                ],
            },
            {  # nothing of its own inferred: its latest step's status and the date it is dated by
                "id": "d-said",
                "kind": "stake",
                "buyers": ["bolt"],
                "targets": ["acme"],
                **_SAID,
                "history": [
                    {"date": "2024-01", "status": "offered", **_SAID},
                    {"date": "2024-02", "status": "rejected", "inferred": ["status", "date"], **_SAID},
                ],
            },
            {  # it infers its conditions as a whole
                "id": "d-terms",
                "kind": "acquihire",
                "buyers": ["cato"],
                "targets": ["bolt"],
                "inferred": ["conditions"],
                **_SAID,
                "conditions": [{"text": "Staff move to Cato", **_SAID}, {"text": "Three years", **_SAID}],
                "history": [{"date": "2024-05", "status": "agreed", **_SAID}],
            },
            {  # nothing inferred anywhere
                "id": "d-plain",
                "kind": "stake",
                "buyers": ["cato"],
                "targets": ["acme"],
                **_SAID,
                "history": [{"date": "2024-07", "status": "completed", **_SAID}],
            },
        ],
    }


def _deal_nodes(kind: str, out: Path) -> dict[str, dict[str, str]]:
    """Every deal node's attributes as the format's consumer reads them, as text."""
    if kind in ("graphml", "gexf", "json"):
        if kind == "graphml":
            graph = nx.read_graphml(out)
        elif kind == "gexf":
            graph = nx.read_gexf(out)
        else:
            graph = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")))
        return {n: {k: str(v) for k, v in d.items()} for n, d in graph.nodes(data=True) if d.get("type") == "deal"}
    if kind == "csv":
        with (out / "nodes.csv").open(encoding="utf-8", newline="") as stream:
            rows = [row for row in csv.DictReader(stream) if row["type"] == "deal"]
        return {row.pop("id"): {k: v for k, v in row.items() if v != ""} for row in rows}
    with (out / "nodes_Deal.csv").open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        typed = next(reader)  # name:type
        header = [cell.split(":")[0] or cell for cell in typed]
        arrays = {cell.split(":")[0] for cell in typed if cell.endswith(":string[]")}
        found = {}
        for cells in reader:
            row = {name: cell for name, cell in zip(header, cells, strict=True) if cell != ""}
            for name in arrays & row.keys():  # neo4j's string[]: items joined by ';'
                row[name] = "; ".join(row[name].split(";"))
            found[row.pop("id")] = row
        return found


def _steps(text: str) -> list[tuple[str, str | None]]:
    """`status_history` as (status text, date text) per step: 'rejected (inferred)@..2025-06'; a
    step's certainty written after its status ('offered [reported]@2025') is left out."""
    steps = [(step.split("@")[0], step.split("@")[1] if "@" in step else None) for step in text.split(" → ")]
    return [(re.sub(r" \[[a-z]+\]$", "", status), day) for status, day in steps]


def _certainties(text: str) -> list[str]:
    """Each step's certainty as `status_history` writes it: 'confirmed' when it writes none."""
    found = [re.search(r" \[([a-z]+)\]$", step.split("@")[0]) for step in text.split(" → ")]
    return [match.group(1) if match else "confirmed" for match in found]


def _check(nodes: dict[str, dict[str, str]], rows: list[dict[str, Any]], where: str) -> None:
    """Each deal node says what the deal's `deals` row says is inferred, and writes it as the row does."""
    assert set(nodes) == {row["deal"] for row in rows}, where
    for row in rows:
        node, at = nodes[row["deal"]], (where, row["deal"])
        names = node["inferred"].split("; ") if "inferred" in node else []
        assert node["status"] == row["status"], at
        assert [n for n in names if n in _STEPS] == [n for n in row["inferred"] if n in _STEPS], at
        assert set(row["inferred"]) - {"history.certainty"} <= set(names), at
        assert _steps(node["status_history"])[-1][0] == row["status_text"].split(" (superseded by ")[0], at
        dated = [day for _, day in _steps(node["status_history"]) if day is not None]
        if dated:
            assert dated[-1].removesuffix(MARK) == row["date"], at
            assert dated[-1].endswith(MARK) == ("history.date" in row["inferred"]), at
        assert node.get("conditions") == ("; ".join(row["conditions"]) or None), at


def _exports(tmp_path: Path, *data: str) -> dict[str, dict[str, dict[str, str]]]:
    """Each format written whole and with --types (the graph path), its deal nodes read back."""
    found = {}
    for kind in FORMATS:
        for name, extra in (("whole", ()), ("types", ("--types", "deal,firm,person"))):
            out = tmp_path / f"{name}.{kind}"
            result = run_cli("export", kind, str(out), *extra, *data)
            assert result.exit_code == 0, result.stderr
            found[f"{kind} {name}"] = _deal_nodes(kind, out)
    return found


def test_bundled_ssi_deal_says_its_status_is_read(tmp_path: Path, bundled_kb: KnowledgeBase) -> None:
    """data/deals.yaml, meta-ssi-acquisition: both steps `inferred: [status]`, the deal
    `inferred: [valuation]`; meta-scale-stake's steps infer their dates."""
    rows = cli_json("deals")
    for where, nodes in _exports(tmp_path).items():
        ssi = nodes["meta-ssi-acquisition"]
        assert ssi["inferred"] == "valuation; history.status", where
        # CNBC's reported attempt read as an offer: reported, and its status an inference
        assert ssi["status_history"] == "offered (inferred) [reported]@..2025-06 → rejected (inferred)@..2025-06", where
        for deal in bundled_kb.deals:  # every step's own certainty, in every format and both paths
            said = [step.certainty.value for step in deal.history]
            shown = [c if c != step.status.value else "confirmed" for c, step in zip(said, deal.history, strict=True)]
            assert _certainties(nodes[deal.id]["status_history"]) == shown, (where, deal.id)
        assert nodes["meta-scale-stake"]["inferred"] == "history.date", where
        _check(nodes, rows, where)


def test_fictional_steps_and_conditions(tmp_path: Path) -> None:
    """An earlier step's inferred status or date is marked in `status_history` only; a deal's
    `inferred` names its latest step's status and the date of the step dating it."""
    data = tmp_path / "data"
    write_spec(data, _spec())
    rows = cli_json("deals", "--data", str(data))
    for where, nodes in _exports(tmp_path, "--data", str(data)).items():
        assert nodes["d-read"]["inferred"] == "amount", where
        steps = "in_talks@2024-03 (inferred) → agreed (inferred)@2024-06 → completed"
        assert nodes["d-read"]["status_history"] == steps, where
        assert nodes["d-read"]["conditions"] == "Bolt's founders stay (inferred); Two years", where
        assert nodes["d-said"]["inferred"] == "history.status; history.date", where
        steps = "offered@2024-01 → rejected (inferred)@2024-02 (inferred)"
        assert nodes["d-said"]["status_history"] == steps, where
        assert nodes["d-terms"]["conditions"] == "Staff move to Cato (inferred); Three years (inferred)", where
        assert "inferred" not in nodes["d-plain"], where
        _check(nodes, rows, where)


def test_bundled_cypher_in_falkordb(tmp_path: Path, falkordb_server: int) -> None:  # noqa: F811
    """The Cypher script, loaded into FalkorDB, holds what the `deals` rows say of each deal."""
    out = tmp_path / "out.cypher"
    assert run_cli("export", "cypher", str(out)).exit_code == 0
    graph = _load_cypher(falkordb_server, out, "deal-marks")
    found = graph.query("MATCH (d:Deal) RETURN d.id, d.status, d.inferred, d.status_history, d.conditions")
    nodes = {
        deal: {
            name: value
            for name, value in zip(("status", "inferred", "status_history", "conditions"), rest, strict=True)
            if value is not None
        }
        for deal, *rest in found.result_set
    }
    assert nodes["meta-ssi-acquisition"]["inferred"] == "valuation; history.status"
    _check(nodes, cli_json("deals"), "cypher")


def test_the_mark_is_the_rows_mark() -> None:
    """The exports write the mark the CLI's rows write (aiorg.step_marks cannot import it)."""
    from aiorg.queries.common import INFERRED

    assert MARK == INFERRED
