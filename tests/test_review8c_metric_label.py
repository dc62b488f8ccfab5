"""Review 8 (C), defect: a metric's node label states a planned, approximate or bounded figure as
an exact one.

Gephi, yEd and Cytoscape show a node's `label`. A fictional source says Aurora *plans* a team of
50 people, has *about* 120 staff, *up to* 3 labs and *at least* 2 offices; the metric records keep
`bound` (planned, approx, up_to, at_least), but every label reads "headcount of Aurora: 50
people", the same as a figure the source states exactly. A chart built from the labels turns a
plan into a fact.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from tests.conftest import one_file_kb, run_cli

TEXT = "极光智能计划组建50人团队，员工约120人，最多3个实验室，至少2个办公室，今年营收9亿元。"

KB = f"""\
sources:
  - id: s1
    title: 极光智能
    kind: article
    published: 2024-10-08
    language: zh
    file: ../seeds/s1.txt
firms:
  - {{id: aurora, name: Aurora, name_zh: 极光智能, source: s1, quote: 极光智能}}
metrics:
  - {{id: m-planned, subject: aurora, metric: team_size, value: 50, unit: people, bound: planned,
     source: s1, quote: 计划组建50人团队}}
  - {{id: m-approx, subject: aurora, metric: headcount, value: 120, unit: people, bound: approx,
     source: s1, quote: 员工约120人}}
  - {{id: m-up-to, subject: aurora, metric: labs, value: 3, bound: up_to, source: s1, quote: 最多3个实验室}}
  - {{id: m-at-least, subject: aurora, metric: offices, value: 2, bound: at_least, source: s1,
     quote: 至少2个办公室}}
  - {{id: m-exact, subject: aurora, metric: revenue_cny, value: 900000000, source: s1, quote: {TEXT[-8:-1]}}}
"""


def _labels(tmp_path: Path) -> dict[str, str]:
    data = one_file_kb(tmp_path, KB, {"s1.txt": TEXT})
    assert run_cli("--data", str(data), "validate").exit_code == 0
    out = tmp_path / "kb.graphml"
    result = run_cli("--data", str(data), "export", "graphml", str(out))
    assert result.exit_code == 0, result.stderr
    graph = nx.read_graphml(out)
    back = json.loads(run_cli("--data", str(data), "export", "json").stdout)
    assert {n["id"]: n["label"] for n in back["nodes"] if n["type"] == "metric"} == {
        n: d["label"] for n, d in graph.nodes(data=True) if d["type"] == "metric"
    }
    return {n: d["label"] for n, d in graph.nodes(data=True) if d["type"] == "metric"}


def test_an_exact_metric_label_is_unchanged(tmp_path: Path) -> None:
    assert _labels(tmp_path)["m-exact"] == "revenue_cny of Aurora (极光智能): 900000000"


def test_a_bounded_metric_label_says_its_bound(tmp_path: Path) -> None:
    labels = _labels(tmp_path)
    assert "planned" in labels["m-planned"], labels["m-planned"]  # HEAD: "team_size of Aurora (极光智能): 50 people"
    assert "~" in labels["m-approx"] or "about" in labels["m-approx"], labels["m-approx"]
    assert "up to" in labels["m-up-to"], labels["m-up-to"]
    assert "at least" in labels["m-at-least"], labels["m-at-least"]
