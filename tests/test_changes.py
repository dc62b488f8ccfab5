"""aiorg changes: the semantic feed between two git revisions, on a small fictional knowledge base."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aiorg.changes import CHANGE_KEYS, changes
from aiorg.cli import main
from aiorg.errors import UsageError
from tests.changes_kb import base, commit, git, new_repo, record, write
from tests.conftest import run_cli


@pytest.fixture(autouse=True)
def _no_outer_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git must not find a repository above the test's directory; the command is registered."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    entry = ("aiorg.cli.change_commands", "What changed in the knowledge base between two git revisions.")
    monkeypatch.setitem(main.COMMAND_INDEX, "changes", main.COMMAND_INDEX.get("changes", entry))


def _row(change: str, kind: str, record_id: str, name: str | None, field: str | None, **rest: Any) -> dict[str, Any]:
    row = {"change": change, "kind": kind, "record": record_id, "name": name, "field": field}
    row |= {"before": rest.get("before"), "after": rest.get("after"), "summary": rest["summary"]}
    return row | {"source": rest.get("source")}


def _feed(data: Path, since: str = "HEAD~1", until: str | None = "HEAD") -> list[dict[str, Any]]:
    """The rows without the revision range (checked once, in test_rows_carry_the_range)."""
    return [{k: v for k, v in row.items() if k not in ("since", "until")} for row in changes(data, since, until).rows]


def _edited(tmp_path: Path, edit: Any) -> Path:
    data = new_repo(tmp_path / "kb")
    files = base()
    edit(files)
    write(data, files)
    commit(data.parent)
    return data


def test_end_cause_changed(tmp_path: Path) -> None:
    data = _edited(tmp_path, lambda f: record(f, "t-lin-acme").update(end_cause="advisor"))
    summary = "Lin Mu's spell at Acme AI now ends in 'advisor' (was 'left')"
    assert _feed(data) == [
        _row(
            "changed",
            "tenures",
            "t-lin-acme",
            "Lin Mu at Acme AI",
            "end_cause",
            before="left",
            after="advisor",
            summary=summary,
            source="s1",
        )
    ]


def test_a_new_spell_after_one_at_another_firm_is_a_move(tmp_path: Path) -> None:
    spell = {"id": "t-lin-globex", "person": "p-lin", "firm": "globex", "start": "2024-10", "after": "t-lin-acme"}
    spell |= {"source": "s2", "quote": "林木加入格洛贝克斯"}
    data = _edited(tmp_path, lambda f: f["tenures.yaml"]["tenures"].append(spell))
    assert _feed(data) == [
        _row(
            "moved",
            "tenures",
            "t-lin-globex",
            "Lin Mu at Globex Labs",
            "after",
            before="Acme AI",
            after="Globex Labs",
            summary="Lin Mu moved from Acme AI to Globex Labs",
            source="s2",
        )
    ]


def test_a_status_step_added(tmp_path: Path) -> None:
    step = {"date": "2025-06", "status": "agreed", "source": "s2", "quote": "双方已达成协议"}
    data = _edited(tmp_path, lambda f: record(f, "d-acme-globex")["history"].append(step))
    assert _feed(data) == [
        _row(
            "status",
            "deals",
            "d-acme-globex",
            None,
            "status",
            before="rumoured",
            after="agreed",
            summary="Deal d-acme-globex: status rumoured → agreed",
            source="s2",
        ),
        _row(
            "source_added",
            "deals",
            "d-acme-globex",
            None,
            "history",
            after="s2",
            summary="Source s2 added to deal d-acme-globex (history)",
            source="s2",
        ),
    ]


def test_an_amount_revised_and_the_same_amount_written_otherwise_is_no_change(tmp_path: Path) -> None:
    data = _edited(tmp_path, lambda f: record(f, "d-acme-globex").update(amount="$15B"))
    assert _feed(data) == [
        _row(
            "revised",
            "deals",
            "d-acme-globex",
            None,
            "amount",
            before="$14.3B",
            after="$15B",
            summary="Amount of deal d-acme-globex revised: $14.3B → $15B",
            source="s1",
        )
    ]
    files = base()
    record(files, "d-acme-globex").update(amount="143亿美元")
    write(data, files)
    assert _feed(data, "HEAD~1", None) == []


def test_records_added_and_removed(tmp_path: Path) -> None:
    def edit(files: Any) -> None:
        files["people.yaml"]["people"].append({"id": "p-new", "name": "Ada Vale", "source": "s3", "quote": "Ada"})
        files["firms.yaml"]["firms"] = [f for f in files["firms.yaml"]["firms"] if f["id"] != "initech"]

    assert _feed(_edited(tmp_path, edit)) == [
        _row(
            "removed",
            "firms",
            "initech",
            "Initech",
            None,
            before="Initech",
            summary="Removed firm Initech [initech]",
            source="s1",
        ),
        _row(
            "added",
            "people",
            "p-new",
            "Ada Vale",
            None,
            after="Ada Vale",
            summary="Added person Ada Vale [p-new]",
            source="s3",
        ),
    ]


def test_a_source_replaced_on_a_record(tmp_path: Path) -> None:
    data = _edited(tmp_path, lambda f: record(f, "p-kim").update(source="s3"))
    assert _feed(data) == [
        _row(
            "source_added",
            "people",
            "p-kim",
            "Kim Ode",
            "source",
            after="s3",
            summary="Source s3 added to Kim Ode (source)",
            source="s3",
        ),
        _row(
            "source_removed",
            "people",
            "p-kim",
            "Kim Ode",
            "source",
            before="s1",
            summary="Source s1 removed from Kim Ode (source)",
            source="s1",
        ),
    ]


def test_a_record_moved_between_files_is_not_removed_and_added(tmp_path: Path) -> None:
    def edit(files: Any) -> None:
        kim = record(files, "p-kim")
        files["people.yaml"]["people"].remove(kim)
        hooli = {"id": "hooli", "name": "Hooli", "source": "s1", "quote": "H"}
        files["more.yaml"] = {"people": [kim], "firms": [hooli]}

    assert _feed(_edited(tmp_path, edit)) == [
        _row("added", "firms", "hooli", "Hooli", None, after="Hooli", summary="Added firm Hooli [hooli]", source="s1")
    ]


def test_nothing_changed(tmp_path: Path) -> None:
    data = new_repo(tmp_path / "kb")
    (data / "people.yaml").write_text((data / "people.yaml").read_text() + "  # a comment only\n")
    commit(data.parent)
    assert _feed(data) == []
    result = run_cli("--data", str(data), "changes", "--since", "HEAD~1", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_rows_carry_the_range_and_the_declared_keys(tmp_path: Path) -> None:
    data = _edited(tmp_path, lambda f: record(f, "p-kim").update(name="Kim Odell"))
    first = git(data.parent, "rev-parse", "HEAD~1").strip()[:10]
    feed = changes(data, "HEAD~1", None)
    assert [tuple(row) for row in feed.rows] == [CHANGE_KEYS]
    assert (feed.rows[0]["since"], feed.rows[0]["until"]) == (first, "working tree")
    assert feed.rows[0]["summary"] == "Kim Odell: name 'Kim Ode' → 'Kim Odell'"
    result = run_cli("--data", str(data), "changes", "--since", "HEAD~1", "--format", "csv")
    assert result.stdout.splitlines()[0] == ",".join(CHANGE_KEYS)


def test_working_tree_is_the_default_until(tmp_path: Path) -> None:
    data = new_repo(tmp_path / "kb")
    files = base()
    record(files, "t-lin-acme").update(end_cause="founded")
    write(data, files)
    (data / "extra.yaml").write_text('people:\n  - id: p-x\n    name: "Xu Yi"\n    source: s1\n    quote: Xu\n')
    uncommitted = changes(data, "HEAD").rows
    assert [(r["change"], r["record"], r["after"]) for r in uncommitted] == [
        ("added", "p-x", "Xu Yi"),  # a file git does not track yet is part of the knowledge base
        ("changed", "t-lin-acme", "founded"),
    ]
    assert changes(data, "HEAD", "HEAD").rows == []


def test_a_date_names_the_last_commit_before_it(tmp_path: Path) -> None:
    data = new_repo(tmp_path / "kb")
    with pytest.raises(UsageError, match="no commit was made before 1990-01-01"):
        changes(data, "1990-01-01")
    assert changes(data, "2090-01-01").rows == []


def test_not_a_repository(tmp_path: Path) -> None:
    data = tmp_path / "plain" / "data"
    write(data, base())
    result = run_cli("--data", str(data), "changes", "--since", "HEAD~1")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"aiorg: error: changes needs the knowledge base in a git repository; {data} is not in one"
    )


def test_an_unknown_revision(tmp_path: Path) -> None:
    data = new_repo(tmp_path / "kb")
    result = run_cli("--data", str(data), "changes", "--since", "no-such-tag")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "aiorg: error: unknown revision 'no-such-tag'; give a commit, a tag, HEAD~N or a date YYYY-MM-DD"
    ]


def test_an_added_source_and_a_removed_deal_are_named_once(tmp_path: Path) -> None:
    def edit(files: Any) -> None:
        files["sources.yaml"]["sources"].append({"id": "s4", "title": "Fictional report four", "publisher": "X"})
        del files["deals.yaml"]

    rows = _feed(_edited(tmp_path, edit))
    summaries = sorted(row["summary"] for row in rows if row["change"] in ("added", "removed"))
    assert summaries == ["Added source 'Fictional report four' [s4]", "Removed deal d-acme-globex"]


def test_a_revised_claim_of_another_source_cites_that_source(tmp_path: Path) -> None:
    also = {"source": "s2", "end_cause": "advisor", "quote": "林木转任顾问"}
    data = new_repo(tmp_path / "kb")
    files = base()
    record(files, "t-lin-acme")["also"] = [dict(also)]
    write(data, files)
    commit(data.parent)
    record(files, "t-lin-acme")["also"] = [also | {"end_cause": "founded"}]
    write(data, files)
    commit(data.parent)
    (row,) = _feed(data)
    assert (row["change"], row["field"], row["source"]) == ("changed", "also", "s2")  # not the record's own s1
