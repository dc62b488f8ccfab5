"""A file that cannot be read at all is the one problem reported: references into it elsewhere
are not reported as unknown ids (which would bury the real problem under dozens of lines)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiorg.cache import Cache
from aiorg.errors import DataError
from aiorg.loader import load


def _problems(data: Path, cache: Cache | None = None) -> list[str]:
    with pytest.raises(DataError) as caught:
        load(data, cache=cache)
    return [str(p) for p in caught.value.problems]


def _replace_line(path: Path, old: str, new: str) -> int:
    """Replace the first line holding `old`; its 1-based number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if old in line)
    lines[number] = lines[number].replace(old, new)
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def test_a_yaml_syntax_error_in_people_is_the_only_problem(data: Path, tmp_path: Path) -> None:
    line = _replace_line(data / "people.yaml", "name: John Giannandrea", "name: [John Giannandrea")
    for cache in (None, Cache(tmp_path / "cache")):
        (problem,) = _problems(data, cache)  # the spells, deals and events naming people are not reported
        assert problem.startswith(f"{data}/people.yaml:{line + 1}:") and "YAML syntax error" in problem


def test_a_file_of_bad_bytes_is_the_only_problem(data: Path) -> None:
    (data / "firms.yaml").write_bytes((data / "firms.yaml").read_bytes() + b"\n# \xff\n")
    (problem,) = _problems(data)
    assert problem.startswith(f"{data}/firms.yaml:") and "UTF-8" in problem


def test_an_unknown_id_is_still_reported_when_every_file_reads(data: Path) -> None:
    line = _replace_line(data / "tenures.yaml", "person: john-giannandrea", "person: john-giannandreo")
    (problem,) = _problems(data)
    assert problem.startswith(f"{data}/tenures.yaml:{line}:") and "unknown people id 'john-giannandreo'" in problem


def test_an_unknown_id_is_still_reported_beside_a_record_level_problem(data: Path) -> None:
    _replace_line(data / "tenures.yaml", "person: john-giannandrea", "person: john-giannandreo")
    _replace_line(data / "firms.yaml", "name:", "nam:")  # one bad record: the file's other records read
    problems = _problems(data)
    assert any("unknown people id 'john-giannandreo'" in p for p in problems), problems
    assert any("unknown field 'nam'" in p for p in problems), problems
