"""A record that is an edge (a spell) has its attributes made in place when its kind declares one
edge (aiorg.export.whole.build_kind), and copied for every further edge it makes: with a second
edge declared, or one edge to each item of a list field, the whole export's graph must still be
the networkx graph, attribute order included."""

from __future__ import annotations

import pytest

from aiorg.kb import KnowledgeBase
from aiorg.model import EdgeSpec, Tenure
from tests.test_export_stream import _assert_same_graph

HELD = Tenure.EDGES[0]


@pytest.mark.parametrize(
    "specs",
    [
        (HELD,),
        (HELD, EdgeSpec("firm", "person", "employs", "a second edge of the record")),
        (EdgeSpec("person", "quote", "quoted_as", "an edge to each passage of a list field"),),
        (EdgeSpec("quote", "firm", "said_of", "from each passage"), HELD),
    ],
)
def test_records_that_are_edges_give_the_networkx_graph(
    bundled_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, specs: tuple[EdgeSpec, ...]
) -> None:
    assert len(HELD.source) and HELD.label == "held_role_at"
    monkeypatch.setattr(Tenure, "EDGES", specs)
    _assert_same_graph(bundled_kb)
