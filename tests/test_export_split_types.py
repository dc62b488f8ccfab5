"""A whole JSON export needs no attribute types (GraphML's keys do): its two processes work out
none of the rows' signatures, and its bytes stay those of the one-core export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aiorg.export import FORMATS
from aiorg.export import split as split_module
from aiorg.export.whole import ExportGraph
from aiorg.kb import KnowledgeBase
from tests.conftest import no_children_left
from tests.test_export_split import _alone


@pytest.mark.parametrize(("name", "typed"), [("json", False), ("graphml", True)])
def test_only_graphml_works_out_the_rows_types(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, typed: bool
) -> None:
    worked_out: list[int] = []
    real = split_module._signatures

    def counted(rows: Any) -> Any:
        found = real(rows)
        worked_out.append(len(found))
        return found

    monkeypatch.setattr(split_module, "_signatures", counted)
    FORMATS[name].write(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / f"split.{name}")
    assert bool(worked_out) == typed  # this process's (the forked one's list is its own copy)
    monkeypatch.undo()
    assert (tmp_path / f"split.{name}").read_bytes() == _alone(bundled_kb, name, tmp_path / f"alone.{name}")
    assert no_children_left()


def test_the_forked_process_sends_no_signatures_when_none_are_needed(
    bundled_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    received: list[Any] = []
    real = split_module._receive

    def kept(pipe: Any) -> Any:
        found = real(pipe)
        received.append(found)
        return found

    monkeypatch.setattr(split_module, "_receive", kept)
    blank = lambda rows: [""] * len(rows)  # noqa: E731
    assert split_module.split_whole(bundled_kb, blank, blank, types=False) is not None
    assert split_module.split_whole(bundled_kb, blank, blank) is not None
    (_, _, without, _), (_, _, with_types, _) = received
    assert without == set() and with_types
