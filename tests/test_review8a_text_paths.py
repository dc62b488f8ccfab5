"""Review 8 (a journalist's review of sources, time and change), defect: whether a quote is
checked depends on the directory the knowledge base was first read from.

A source's `file` is kept in the store as the path of the YAML file *as typed* joined with
`file` (aiorg/parse.py `ParsedFile.source_texts`: `self.path.parent / file`), so after one run
from the knowledge base's parent (`aiorg --data kb/data ...`) the store holds
`kb/data/../seeds/a.txt`, a path relative to that directory. Every later run from anywhere else
(`cd kb && aiorg --data data ...`, or an absolute `--data`) finds no text there while nothing in
data/ changed: `sources` says the archived text is `missing`, `source ID` and the profiles mark
every quote `unchecked` with no locator, exports write `checked` 0, and `validate` exits 0 with
"0 quotes found in their sources, 2 unchecked (sources without text: s-a)", a false statement
about a source whose text is right there. (From some other directory the same relative path
can name another copy's seeds/, and quotes are then located in the wrong text.)

Reproduce (fresh cache): `aiorg --data kb/data sources; cd kb; aiorg --data data sources` ->
text `missing`. `--no-cache` gives `archived`.

Smallest fix: keep an absolute path (`self.path.resolve().parent / file`, or resolve in
`store/files.py` before insert_source_texts), or store the path relative to the data directory
and join it with the data directory when the store is read (aiorg/store/read.py
`source_texts`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import one_file_kb, run_cli

TEXT = "李明说：“我离开了星河智能。”后来，李明说：“我离开了星河智能。”王芳，产品负责人。\n"
KB = """\
sources:
  - {id: s-a, title: 测试（虚构）, published: 2024-10-08, file: ../seeds/a.txt}
people:
  - {id: li-ming, name: Li Ming, name_zh: 李明, source: s-a, quote: 我离开了星河智能}
  - {id: wang-fang, name: Wang Fang, name_zh: 王芳, source: s-a, quote: 王芳，产品负责人}
"""


def test_quotes_stay_checked_from_another_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one_file_kb(tmp_path / "kb", KB, {"a.txt": TEXT})
    monkeypatch.chdir(tmp_path)
    first = run_cli("--data", "kb/data", "sources", "--format", "json")
    assert [row["text"] for row in json.loads(first.stdout)] == ["archived"]

    monkeypatch.chdir(tmp_path / "kb")  # the same knowledge base, nothing edited
    listed = json.loads(run_cli("--data", "data", "sources", "--format", "json").stdout)
    assert [(row["text"], row["quotes_checked"]) for row in listed] == [("archived", True)]
    rows = json.loads(run_cli("--data", "data", "source", "s-a", "--format", "json").stdout)
    # the quote is found at its first place (it is there twice), then the second one
    assert [(r["record"], r["locator"], r["checked"]) for r in rows] == [
        ("li-ming", 5, "found"),
        ("wang-fang", 33, "found"),
    ]
    validated = run_cli("--data", "data", "validate")
    assert validated.exit_code == 0
    assert "every quote found in its source" in validated.stdout + validated.stderr, validated.stderr
