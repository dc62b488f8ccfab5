"""aiorg changes: the records a row names are found in unchanged files written in YAML flow style
(`  - {id: x, ...}`), with the id first or anywhere else in the mapping, one name or many (many
are found through an index of every id line). Every name and firm here is invented."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from aiorg.changes import changes
from aiorg.changes_blocks import ID_LINES, find_ids, has_id_key

ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
HEAD = """\
sources:
  - {id: s1, title: Fictional report}
firms:
  - {id: xinghe, name: Xinghe AI, source: s1, quote: x}
  - {name: Yunfan Tech, id: yunfan, source: s1, quote: x}
"""


def _git(top: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(top), *args], check=True, capture_output=True, env={**os.environ, **ENV})


def _moves(tmp_path: Path, count: int, id_first: bool) -> list[tuple[str, str]]:
    """`count` people, each with a spell at Xinghe AI in one flow-style file, committed; then a
    new file, on disk only, with a spell of each at Yunfan Tech after it: the feed's moves."""
    data = tmp_path / "data"
    data.mkdir()
    people, spells, moves = ["people:"], ["tenures:"], ["tenures:"]
    for n in range(count):
        people.append(f"  - {{id: p{n}, name: Person {n}, source: s1, quote: x}}")
        fields = f"person: p{n}, firm: xinghe, end: 2025-03, end_cause: left, source: s1, quote: x"
        spells.append(f"  - {{id: t{n}-x, {fields}}}" if id_first else f"  - {{{fields}, id: t{n}-x}}")
        moves.append(f"  - {{id: t{n}-y, person: p{n}, firm: yunfan, after: t{n}-x, source: s1, quote: x}}")
    (data / "a.yaml").write_text(HEAD + "\n".join(people + spells) + "\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "one")
    (data / "b.yaml").write_text("\n".join(moves) + "\n", encoding="utf-8")
    return [(row["change"], row["summary"]) for row in changes(data, "HEAD").rows]


@pytest.mark.parametrize("id_first", [True, False])
@pytest.mark.parametrize("count", [1, 20])  # 20: more than the names found one pass per file
def test_a_move_from_a_flow_style_spell_names_both_firms(tmp_path: Path, count: int, id_first: bool) -> None:
    moves = _moves(tmp_path, count, id_first)
    assert moves == [
        ("moved", f"Person {n} moved from Xinghe AI to Yunfan Tech") for n in sorted(range(count), key=str)
    ]


def test_a_flow_mapping_that_begins_with_its_id_is_found_by_its_id_line() -> None:
    """Without parsing its file whole; an `id:` inside another record's quote is not its id."""
    raw = b'people:\n  - {id: p-lin-2, quote: "id: p-lin"}\n  - {id: p-lin, name: Lin Mu}\n'
    assert find_ids({"p-lin"}, {"a.yaml": raw}) == {"p-lin": ("a.yaml", raw.index(b"id: p-lin,"))}
    assert [m.group(1) for m in ID_LINES.finditer(b"\n" + raw)] == [b"p-lin-2", b"p-lin"]
    assert has_id_key({"p-lin"}, b"people:\n  - {name: Lin Mu, id: p-lin}\n")
    assert not has_id_key({"p-lin"}, b"people:\n  - {name: Lin Mu, id: p-lin-2}\n")
