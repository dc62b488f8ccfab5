"""The cross-file checks on a clean knowledge base run as bulk set operations: no per-record
Location objects, no per-pair lookups; the places in messages are found only when a problem
needs them, and stay exact."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aiorg import checks
from aiorg.errors import DataError
from aiorg.kb import Location
from aiorg.loader import load

REPO = Path(__file__).resolve().parent.parent


def test_a_clean_knowledge_base_builds_no_location_per_record(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Location] = []

    def counted(*args: object) -> Location:
        location = Location(*args)  # type: ignore[arg-type]
        made.append(location)
        return location

    monkeypatch.setattr(checks, "Location", counted)
    kb = load(REPO / "data", check_quotes=True)
    assert sum(kb.counts().values()) > 100
    assert made == []


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load(folder, check_quotes=True)
    return [str(problem) for problem in caught.value.problems]


_FACT = "    source: zimubang-2025-06\n    quote: 苹果AI与机器学习战略高级副总裁约翰·詹南德雷亚\n"


@pytest.mark.parametrize("duplicate", [False, True])
def test_problems_found_across_files_keep_their_exact_places(tmp_path: Path, duplicate: bool) -> None:
    shutil.copytree(REPO / "data", tmp_path / "data")
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    data = tmp_path / "data"
    _write(
        data,
        "zz-extra.yaml",
        "people:\n"
        f"  - id: zz-one\n    name: Zed One\n{_FACT}"
        f"  - id: zz-two\n    name: Zed Two\n{_FACT}"
        "tenures:\n"
        f"  - id: zz-a\n    person: zz-one\n    firm: minimax\n    title: CEO\n{_FACT}"
        f"  - id: zz-b\n    person: zz-two\n    firm: minimax\n    title: CTO\n    after: zz-a\n{_FACT}"
        f"  - id: zz-c\n    person: zz-one\n    firm: zz-two\n    title: CTO\n{_FACT}"
        "  - id: zz-d\n    person: zz-one\n    firm: minimax\n    title: CTO\n"
        "    source: zimubang-2025-06\n    quote: words nowhere in the seed\n"
        + (f"  - id: zz-a\n    person: zz-two\n    firm: minimax\n    title: CEO\n{_FACT}" if duplicate else ""),
    )
    shown = str(data / "zz-extra.yaml")
    expected = [
        f"{shown}:17:5: zz-b: after zz-a, which is another person's spell",
        f"{shown}:26:11: firm: 'zz-two' is a people record, expected firms",
        f"{shown}:35:12: quote not found verbatim in source 'zimubang-2025-06': 'words nowhere in the seed'",
    ]
    if duplicate:  # the first definition counts: zz-b still follows another person's spell
        expected.append(f"{shown}:36:5: duplicate id 'zz-a' (first defined at {shown}:11)")
    assert [p for p in _problems(data) if "zz-" in p] == expected
