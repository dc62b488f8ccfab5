"""A whole graphml or json export is built and written on two cores (aiorg.export.split): the
bytes must be those of the same export written here alone, and anything going wrong in the
forked process must give the same bytes the slow way, not a broken file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aiorg.export import FORMATS
from aiorg.export import split as split_module
from aiorg.export import whole as whole_module
from aiorg.export.whole import ExportGraph
from aiorg.kb import KnowledgeBase
from tests.conftest import no_children_left

FORMAT_NAMES = ("graphml", "json")


def _blank(rows: list[Any]) -> list[str]:
    return [""] * len(rows)


def _alone(kb: KnowledgeBase, name: str, out: Path) -> bytes:
    """The export written without the fork: the graph is built here first."""
    graph = ExportGraph.whole_of(kb)
    assert graph.nodes  # built: the writer then takes the one-core path
    FORMATS[name].write(kb, graph, out)
    return out.read_bytes()


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_two_cores_write_the_bytes_one_core_writes(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    built: list[tuple[str, ...]] = []
    real = whole_module.build_part

    def recorded(kb: KnowledgeBase, kinds: tuple[str, ...]) -> Any:
        built.append(kinds)  # only what this process builds: the fork's list is its own copy
        return real(kb, kinds)

    monkeypatch.setattr(split_module, "build_part", recorded)
    graph = ExportGraph.whole_of(bundled_kb)
    summary = FORMATS[name].write(bundled_kb, graph, tmp_path / f"split.{name}")
    assert built and all(not set(kinds) & set(split_module.FORKED_KINDS) for kinds in built)
    assert not graph.built  # the note's counts did not build the whole graph again
    monkeypatch.undo()
    want = _alone(bundled_kb, name, tmp_path / f"alone.{name}")
    assert (tmp_path / f"split.{name}").read_bytes() == want
    assert summary == f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"
    assert no_children_left()


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_a_failing_fork_gives_the_same_bytes_the_slow_way(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("the forked process fails")

    monkeypatch.setattr(split_module, "_send", broken)
    assert split_module.split_whole(bundled_kb, _blank, _blank) is None
    graph = ExportGraph.whole_of(bundled_kb)
    FORMATS[name].write(bundled_kb, graph, tmp_path / f"split.{name}")
    assert graph.built  # it fell back to building the graph here
    monkeypatch.undo()
    assert (tmp_path / f"split.{name}").read_bytes() == _alone(bundled_kb, name, tmp_path / f"alone.{name}")
    assert no_children_left()


def test_a_fork_that_sends_too_little_is_not_trusted(
    bundled_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    def partial(kb: KnowledgeBase, edge_lines: Any, pipe: Any) -> None:
        split_module._frame(pipe, ([], []))  # the first frame, then the pipe ends with no end frame

    monkeypatch.setattr(split_module, "_send", partial)
    assert split_module.split_whole(bundled_kb, _blank, _blank) is None
    assert no_children_left()
