"""The two processes of a whole graphml or json export share the spells (aiorg.export.split.HERE_SHARE):
the forked one builds the first of them in file order and this one the rest. Whatever the share,
the bytes are those of the one-core export, and each spell is built by exactly one process."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from aiorg.export import FORMATS
from aiorg.export import split as split_module
from aiorg.export.whole import ExportGraph
from aiorg.kb import KnowledgeBase
from tests.conftest import no_children_left
from tests.test_export_split import _alone


@pytest.mark.parametrize("share", [0.0, 0.13, 0.5, 0.99, 1.0])
@pytest.mark.parametrize("name", ["graphml", "json"])
def test_any_share_of_the_spells_gives_the_one_core_bytes(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, share: float
) -> None:
    monkeypatch.setattr(split_module, "HERE_SHARE", share)
    graph = ExportGraph.whole_of(bundled_kb)
    FORMATS[name].write(bundled_kb, graph, tmp_path / f"split.{name}")
    assert not graph.built  # written on two cores
    monkeypatch.undo()
    assert (tmp_path / f"split.{name}").read_bytes() == _alone(bundled_kb, name, tmp_path / f"alone.{name}")
    assert no_children_left()


@pytest.mark.parametrize("share", [0.0, 0.13, 0.5, 1.0])
def test_this_process_builds_the_last_share_of_the_spells_and_the_other_the_rest(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, share: float
) -> None:
    """Which spells each process builds (by sequence number), told by the forked one through a file."""
    from aiorg.export.whole import build_kind as real

    here, seen = os.getpid(), tmp_path / "seen"

    def watched(kb: KnowledgeBase, kind: str, records: Iterable[tuple[int, Any]], *rest: Any) -> None:
        taken = list(records)
        if kind == "tenures":
            with seen.open("a") as log:
                log.writelines(f"{'here' if os.getpid() == here else 'there'} {seq}\n" for seq, _ in taken)
        real(kb, kind, taken, *rest)

    monkeypatch.setattr(split_module, "HERE_SHARE", share)
    monkeypatch.setattr(split_module, "build_kind", watched)
    blank = lambda rows: [""] * len(rows)  # noqa: E731
    assert split_module.split_whole(bundled_kb, blank, blank) is not None
    assert no_children_left()
    built = [line.split() for line in seen.read_text().splitlines()]
    everything = [seq for seq, _ in bundled_kb.stream_tuples("tenures")]
    assert len(everything) > 3
    assert sorted(int(seq) for _, seq in built) == everything  # each spell once
    mine = sorted(int(seq) for side, seq in built if side == "here")
    assert mine == everything[len(everything) - int(len(everything) * share) :]
    assert len(mine) == int(len(everything) * share)
