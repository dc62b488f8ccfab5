"""Second review of chunk reuse (an edited file is parsed again only where it changed): after each
edit, every command must answer exactly as a load without the cache does, with every problem at
the same file:line:column, also when the edit moves lines above reused chunks."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from aiorg import yamlsource
from tests.conftest import REPO, converted_chunks, run_cli

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate

COMMANDS = [
    ("people", "-f", "json"),
    ("person", "person-5", "-f", "json"),
    ("timeline", "-f", "json"),
    ("validate",),
]


def _answers(data: Path, cache: Path, *extra: str) -> list[tuple[int, str, str]]:
    env = {"AIORG_CACHE_DIR": str(cache)}
    answers = []
    for command in COMMANDS:
        result = run_cli("--data", str(data), *extra, *command, env=env)
        answers.append((result.exit_code, result.stdout, result.stderr))
    return answers


def _records(text: str) -> tuple[str, list[str]]:
    head, *records = re.split(r"(?m)^(?=  - )", text)
    return head, records


def _without_person_5(text: str) -> str:
    head, records = _records(text)
    return head + "".join(r for r in records if not r.startswith("  - id: person-5\n"))


def _lines_above(text: str) -> str:
    return text.replace("tenures:\n", "tenures:\n  # two lines\n  # added above every chunk\n", 1)


def _last_record_first(text: str) -> str:
    head, records = _records(text)
    return head + "".join([records[-3], *records[:-3], *records[-2:]])


def _crlf_body(text: str) -> str:
    head, _, body = text.partition("\n")
    return head + "\n" + body.replace("\n", "\r\n")


def _bad_value_below(text: str) -> str:
    at = text.index("end_cause: ", len(text) * 2 // 3)
    return text[:at] + "end_cause: sacked" + text[text.index("\n", at) :]


# (file, edit of the file's current text); applied in order, each to the result of the last
STEPS: list[tuple[str, Callable[[str], str]]] = [
    ("tenures.yaml", _lines_above),
    ("people.yaml", _without_person_5),  # references to her in moved, reused tenures chunks dangle
    ("tenures.yaml", _bad_value_below),
    ("tenures.yaml", _last_record_first),
    ("tenures.yaml", _crlf_body),
]


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(yamlsource, "CHUNK_CHARS", 1500)  # tenures.yaml: dozens of chunks
    generate(40, tmp_path / "kb")
    return tmp_path / "kb" / "data"


def test_every_edit_answers_as_a_load_without_the_cache(
    kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    original = {name: (kb / name).read_bytes() for name in ("people.yaml", "tenures.yaml")}
    assert _answers(kb, cache) == _answers(kb, cache, "--no-cache")  # warm
    converted = converted_chunks(monkeypatch)
    for name, edit in STEPS:
        path = kb / name
        path.write_bytes(edit(path.read_bytes().decode()).encode())
        converted.clear()
        cached = _answers(kb, cache)
        if edit is _lines_above:  # only the first chunk's text changed: the rest are reused, moved
            assert converted == [0]
        assert cached == _answers(kb, cache, "--no-cache"), edit.__name__
    for name, raw in original.items():  # reverted: the previous versions come back from the cache
        (kb / name).write_bytes(raw)
    assert _answers(kb, cache) == _answers(kb, cache, "--no-cache")


def test_dangling_references_in_reused_chunks_are_reported_where_they_now_are(kb: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _answers(kb, cache)
    tenures = kb / "tenures.yaml"
    tenures.write_text(_lines_above(tenures.read_text()))
    _answers(kb, cache)  # the moved chunks are cached under the new version
    (kb / "people.yaml").write_text(_without_person_5((kb / "people.yaml").read_text()))
    result = run_cli("--data", str(kb), "people", env={"AIORG_CACHE_DIR": str(cache)})
    lines = tenures.read_text().splitlines()
    expected = [n for n, line in enumerate(lines, 1) if line == "    person: person-5"]
    assert expected and result.exit_code != 0
    reported = [int(m) for m in re.findall(r"tenures\.yaml:(\d+):\d+: .*person-5", result.stderr)]
    assert reported == expected
