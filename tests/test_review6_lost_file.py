"""Review 6 (431e312): a file that yields no records is not a lost file when it is empty.

An empty file, or one of comments only, is read: it defines no id at all. Since 431e312 its
"file is empty" problem counts as a lost file, and every unknown id elsewhere is held back: the
one real unknown id ('john-giannandreo', a typo) is not reported until the empty file is gone,
and a reporter fixing problems one run at a time is told the knowledge base has one problem when
it has two."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiorg.errors import DataError
from aiorg.loader import load
from tests.test_lost_file_problems import _replace_line


@pytest.mark.parametrize("text", ["", "# notes for later\n", "\n\n"])
def test_an_empty_file_does_not_hide_an_unknown_id(data: Path, text: str) -> None:
    line = _replace_line(data / "tenures.yaml", "person: john-giannandrea", "person: john-giannandreo")
    (data / "notes.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(data)
    problems = [str(p) for p in caught.value.problems]
    assert any(p.startswith(f"{data}/notes.yaml") and "empty" in p for p in problems), problems
    assert any(
        p.startswith(f"{data}/tenures.yaml:{line}:") and "unknown people id 'john-giannandreo'" in p for p in problems
    ), problems
