"""Property-based tests: the loader either loads or reports located problems, and anything
that loads exports to files that read back cleanly."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
import yaml
from hypothesis import given
from hypothesis import strategies as st

from aiorg.errors import DataError
from aiorg.export import FORMATS
from aiorg.export.graphs import select
from aiorg.graph import build_graph
from aiorg.loader import load
from aiorg.parse import load_file

KINDS = ["sources", "people", "firms", "tenures", "deals", "events", "claims", "metrics", "products", "groups"]


def _load_bytes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kb.yaml"
        path.write_bytes(raw)
        result = load_file(path, "kb.yaml")
        for problem in result.problems:
            assert problem.path == "kb.yaml" and problem.message
            assert problem.line is None or problem.line >= 1


@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_the_loader(raw: bytes) -> None:
    _load_bytes(raw)


@given(st.text(alphabet=st.sampled_from(list("ab:-[]{},&*!#'\"\n\t |>?%@`~\\0123NOyes.中文\x00\x07")), max_size=200))
def test_yaml_like_text_never_crashes_the_loader(text: str) -> None:
    _load_bytes(text.encode("utf-8", "surrogatepass"))


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(
        ["NO", "on", "12:30", "012", "1.10", ".inf", "2024-02-30", "2024-09", "~", "143亿美元", "up to $100M"]
    ),
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.one_of(st.sampled_from([*KINDS, "id", "name", "quote"]), st.text(max_size=6)), inner, max_size=4
        )
    ),
    max_leaves=20,
)


@given(
    st.dictionaries(
        st.sampled_from(KINDS),
        st.lists(
            st.dictionaries(
                st.sampled_from(
                    ["id", "name", "person", "firm", "source", "quote", "kind", "history", "end", "end_cause", "amount"]
                ),
                documents,
                max_size=6,
            ),
            max_size=3,
        ),
        max_size=4,
    )
)
def test_arbitrary_yaml_structures_never_crash_the_loader(document: dict[str, Any]) -> None:
    _load_bytes(yaml.safe_dump(document, allow_unicode=True).encode("utf-8", "surrogatepass"))


ids = st.sampled_from(["a", "b", "c", "acme", "beta", "s", "nobody"])
names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=10)
dates = st.sampled_from(["2024", "2024-09", "~2025-06", "2024-12..2025-06", "..2025-06", "2025-13", None])


@st.composite
def knowledge_bases(draw: st.DrawFn) -> dict[str, Any]:
    """Well-typed records whose references and dates may or may not hold together."""
    people = [{"id": i, "name": draw(names), "source": "s", "quote": "q"} for i in draw(st.sets(ids, max_size=3))]
    firms = [{"id": f"f-{i}", "name": draw(names), "source": "s", "quote": "q"} for i in draw(st.sets(ids, max_size=3))]
    tenures = [
        {
            "id": f"t{n}",
            "person": draw(ids),
            "firm": f"f-{draw(ids)}",
            "title": draw(names),
            "end": draw(dates),
            "end_cause": draw(st.sampled_from(["left", "advisor", "demoted", None])),
            "source": "s",
            "quote": "q",
        }
        for n in range(draw(st.integers(0, 3)))
    ]
    deals = [
        {
            "id": f"d{n}",
            "kind": "stake",
            "buyers": [f"f-{draw(ids)}"],
            "targets": [f"f-{draw(ids)}"],
            "amount": draw(st.sampled_from(["1e9", "143亿美元", "several billion", "junk"])),
            "stake": draw(st.sampled_from(["49%", "150%", "10"])),
            "history": [{"status": "agreed", "date": draw(dates), "source": "s", "quote": "q"}],
            "source": "s",
            "quote": "q",
        }
        for n in range(draw(st.integers(0, 2)))
    ]
    return {
        "sources": [{"id": "s", "title": "T"}],
        "people": people,
        "firms": firms,
        "tenures": tenures,
        "deals": deals,
    }


def _strip_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value]
    return value


@given(knowledge_bases())
def test_consistent_or_not_every_load_ends_well_and_every_export_reads_back(kb_data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "data").mkdir()
        (root / "data" / "kb.yaml").write_text(
            yaml.safe_dump(_strip_none(kb_data), allow_unicode=True), encoding="utf-8"
        )
        try:
            kb = load(root / "data")
        except DataError as error:
            assert error.problems and all(p.message for p in error.problems)
            return
        graph = select(build_graph(kb))
        for name in ("graphml", "gexf", "json", "sqlite", "cypher"):
            FORMATS[name].write(kb, graph, root / f"out.{name}")
        assert nx.read_graphml(root / "out.graphml").number_of_nodes() == graph.number_of_nodes()
        assert nx.read_gexf(root / "out.gexf").number_of_nodes() == graph.number_of_nodes()
        loaded = json.loads((root / "out.json").read_text(encoding="utf-8"))
        assert len(loaded["nodes"]) == graph.number_of_nodes()
        db = sqlite3.connect(root / "out.sqlite")
        assert db.execute("SELECT count(*) FROM people").fetchone()[0] == len(kb.people)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        db.close()
