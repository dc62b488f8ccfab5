"""aiorg changes: how rows find the names of records in files that did not change (each record's
`id:` line, however it is written), and reading large files from git."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiorg.changes import changes
from aiorg.cli import main
from tests.changes_kb import base, commit, new_repo, record, render, write


@pytest.fixture(autouse=True)
def _no_outer_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    entry = ("aiorg.cli.change_commands", "What changed in the knowledge base between two git revisions.")
    monkeypatch.setitem(main.COMMAND_INDEX, "changes", main.COMMAND_INDEX.get("changes", entry))


_PEOPLE = """people:
  - id: p-lin-2
    name: Lin Er
    source: s1
    quote: "id: p-lin"
  - id:   'p-lin'
    name: Lin Mu
    source: s2
    quote: 林木
  - id: p-kim
    name: Kim Ode
    source: s1
    quote: Kim Ode
"""

_FIRMS = """firms:
  - id: acme-labs
    name: Acme Labs
    source: s1
    quote: "paid: acme"
  - id: "acme"
    name: Acme AI
    source: s1
    quote: Acme AI
  - id: globex
    name: Globex Labs
    source: s2
    quote: 格洛贝克斯
  - id: initech
    name: Initech
    source: s1
    quote: Initech
"""


def test_names_come_from_id_lines_written_any_way(tmp_path: Path) -> None:
    """An id that begins another id, quoted or with extra spaces, and an `id:` inside a quote are
    told apart; the spell a new one came after is found, and that spell's firm."""
    data = new_repo(tmp_path / "kb")
    (data / "people.yaml").write_text(_PEOPLE, encoding="utf-8")
    (data / "firms.yaml").write_text(_FIRMS, encoding="utf-8")
    commit(data.parent)
    files = base()
    del files["people.yaml"], files["firms.yaml"]
    spell = {"id": "t-lin-globex", "person": "p-lin", "firm": "globex", "after": "t-lin-acme"}
    files["tenures.yaml"]["tenures"].append(spell | {"source": "s2", "quote": "q"})
    record(files, "t-kim-globex").update(end_cause="left")
    for name, records in files.items():
        (data / name).write_text(render(records), encoding="utf-8")
    assert [(r["change"], r["name"], r["summary"]) for r in changes(data, "HEAD").rows] == [
        ("changed", "Kim Ode at Globex Labs", "Kim Ode's spell at Globex Labs now ends in 'left' (was not stated)"),
        ("moved", "Lin Mu at Globex Labs", "Lin Mu moved from Acme AI to Globex Labs"),
    ]


def test_many_names_looked_up_at_once(tmp_path: Path) -> None:
    """Past a few names every id line is indexed once; each row still gets its own person's name."""
    files = base()
    people = [{"id": f"p-{i}", "name": f"Person {i}", "source": "s1", "quote": "q"} for i in range(30)]
    spells = [{"id": f"t-{i}", "person": f"p-{i}", "firm": "acme", "source": "s1", "quote": "q"} for i in range(30)]
    files["people.yaml"]["people"] += people
    files["tenures.yaml"]["tenures"] += spells
    data = new_repo(tmp_path / "kb", files)
    for spell in spells:
        spell["end_cause"] = "left"
    write(data, files)
    rows = changes(data, "HEAD").rows
    assert [(r["record"], r["name"]) for r in rows] == sorted((f"t-{i}", f"Person {i} at Acme AI") for i in range(30))


def test_files_larger_than_a_pipe_read_from_git(tmp_path: Path) -> None:
    """Several files of megabytes, read at two commits in one git call each."""
    files = base()
    files["people.yaml"]["people"] += [
        {"id": f"p-{i}", "name": f"Person {i}", "source": "s1", "quote": "q" * 40} for i in range(20_000)
    ]
    firms = [{"id": f"f-{i}", "name": f"F{i}", "source": "s1", "quote": "q"} for i in range(9000)]
    files["more.yaml"] = {"firms": firms}
    data = new_repo(tmp_path / "kb", files)
    assert (data / "people.yaml").stat().st_size > 1_000_000
    record(files, "p-19999").update(name="Last One")
    record(files, "f-0").update(name="First One")
    write(data, files)
    commit(data.parent)
    rows = changes(data, "HEAD~1", "HEAD").rows
    assert [(r["record"], r["before"], r["after"]) for r in rows] == [
        ("f-0", "F0", "First One"),
        ("p-19999", "Person 19999", "Last One"),
    ]


def test_parsing_workers_run_without_the_cycle_collector() -> None:
    """The workers that parse a large change only build objects reference counting frees."""
    import gc
    import os

    from aiorg.changes import _pool
    from aiorg.parse import PARALLEL_BYTES

    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: no workers")
    with _pool(PARALLEL_BYTES + 1) as pool:
        assert pool is not None
        assert pool.submit(gc.isenabled).result() is False
    assert gc.isenabled()
