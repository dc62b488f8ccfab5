"""The graph is derived from the model's edge declarations, with typed, scalar attributes."""

from __future__ import annotations

from aiorg.graph import build_graph
from aiorg.kb import KnowledgeBase
from aiorg.model import RECORD_TYPES


def test_node_types(bundled_kb: KnowledgeBase) -> None:
    graph = build_graph(bundled_kb)
    types = {data["type"] for _, data in graph.nodes(data=True)}
    assert types == {"source", "group", "firm", "person", "product", "deal"}
    assert graph.nodes["moonshot"]["label"] == "Moonshot AI (月之暗面)"


def test_edge_types_come_from_the_model(bundled_kb: KnowledgeBase) -> None:
    graph = build_graph(bundled_kb)
    declared = {spec.label for cls in RECORD_TYPES for spec in cls.EDGES} | {"sourced_from"}
    used = {data["type"] for _, _, data in graph.edges(data=True)}
    assert used <= declared
    assert {"held_role_at", "buyer_in", "target_of", "moves_person", "member_of", "makes"} <= used


def test_tenure_edges_carry_their_attributes(bundled_kb: KnowledgeBase) -> None:
    graph = build_graph(bundled_kb)
    data = graph.get_edge_data("zhang-xinhao", "stepfun")["zhang-xinhao-stepfun-product"]
    assert data["type"] == "held_role_at"
    assert data["end_cause"] == "advisor" and data["end"] == "..2025-06" and data["end_latest"] == "2025-06-30"
    assert data["state"] == "ended"


def test_deal_nodes_keep_numbers_as_numbers(bundled_kb: KnowledgeBase) -> None:
    graph = build_graph(bundled_kb)
    deal = graph.nodes["meta-scale-stake"]
    assert deal["amount_usd"] == 14.3e9 and isinstance(deal["amount_usd"], float)
    assert deal["stake"] == 49.0 and deal["status"] == "agreed"
    assert "five years" in deal["conditions"]


def test_no_none_list_or_dict_attributes(bundled_kb: KnowledgeBase) -> None:
    graph = build_graph(bundled_kb)
    values = [v for _, d in graph.nodes(data=True) for v in d.values()]
    values += [v for _, _, d in graph.edges(data=True) for v in d.values()]
    assert all(isinstance(v, (str, int, float, bool)) for v in values)
