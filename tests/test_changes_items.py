"""aiorg changes says what changed in an item of a list (a deal's step, a condition, another
source's claim) as the fact it is, never the same text before and after; and it tells apart two
role spells of one person at one firm. On the FICTIONAL knowledge base of tests/changes_kb.py
(Lin Mu, Acme AI, Globex Labs: invented), in a git repository each test builds."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiorg.change_rows import rows_for
from aiorg.changes import changes
from aiorg.cli import main
from aiorg.dates import FuzzyDate
from aiorg.model import Attestation, Certainty, Deal, DealKind, DealStatus, StatusEntry
from tests.changes_kb import Files, base, commit, new_repo, record, two_revisions, write
from tests.conftest import run_cli

STEP = {"date": "2025-05", "status": "rumoured", "source": "s1", "quote": "rumoured stake"}


@pytest.fixture(autouse=True)
def _no_outer_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git must not find a repository above the test's directory; the command is registered."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    entry = ("aiorg.cli.change_commands", "What changed in the knowledge base between two git revisions.")
    monkeypatch.setitem(main.COMMAND_INDEX, "changes", main.COMMAND_INDEX.get("changes", entry))


def _rows(tmp_path: Path, first: Files, second: Files) -> list[dict[str, Any]]:
    rows = changes(two_revisions(tmp_path, first, second), "HEAD~1", "HEAD").rows
    assert all(row["before"] != row["after"] for row in rows), rows  # a row never reads the same twice
    return rows


def _with_step(**step: Any) -> Files:
    files = base()
    record(files, "d-acme-globex")["history"] = [STEP | step]
    return files


def test_a_step_that_only_gains_an_inferred_mark_says_so(tmp_path: Path) -> None:
    """The defect: `history '(source=s1, date=2025-05, status=rumoured, ...)' → '(same text)'`."""
    (row,) = _rows(tmp_path, _with_step(), _with_step(inferred=["date"]))
    assert row["summary"] == "deal d-acme-globex: step rumoured 2025-05: date now marked inferred"
    assert (row["change"], row["field"], row["source"]) == ("changed", "history", "s1")
    assert row["before"] == {"source": "s1", "quote": ["rumoured stake"], "date": "2025-05", "status": "rumoured"} | {
        "certainty": "confirmed"
    }
    assert row["after"] == row["before"] | {"inferred": ["date"]}


def test_every_field_of_a_step_that_differs_is_named(tmp_path: Path) -> None:
    second = _with_step(
        date="2025-05-11..2025-06",
        certainty="reported",
        note="Fictional: the date is read from the talks.",
        reported_by=["initech"],
        quote=["rumoured stake", "a second passage"],
    )
    (row,) = _rows(tmp_path, _with_step(inferred=["date"]), second)
    assert row["summary"] == (
        "deal d-acme-globex: step rumoured: quote adds 'a second passage'; now credited to initech; "
        "note added: 'Fictional: the date is read from the talks.'; date no longer marked inferred; "
        "date 2025-05 → 2025-05-11 to 2025-06; certainty confirmed → reported"
    )


def test_a_step_added_before_the_last_and_one_removed(tmp_path: Path) -> None:
    talks = {"date": "2025-04", "status": "in_talks", "certainty": "reported", "inferred": ["date"]}
    second = base()
    record(second, "d-acme-globex")["history"] = [talks | {"source": "s1", "quote": "q"}, STEP]
    rows = _rows(tmp_path, base(), second)
    assert [r["summary"] for r in rows] == [
        "deal d-acme-globex: step in_talks 2025-04 added (certainty reported; date inferred)"
    ]
    assert (rows[0]["before"], rows[0]["after"]["status"]) == (None, "in_talks")
    (tmp_path / "back").mkdir()
    back = [r["summary"] for r in _rows(tmp_path / "back", second, base())]
    assert back == ["deal d-acme-globex: step in_talks 2025-04 removed (certainty reported; date inferred)"]


def test_a_condition_and_another_sources_claim_read_as_facts(tmp_path: Path) -> None:
    first, second = base(), base()
    condition = {"text": "Fictional: the founders stay two years", "years": 2, "source": "s1", "quote": "q"}
    record(first, "d-acme-globex")["conditions"] = [condition]
    record(second, "d-acme-globex")["conditions"] = [condition | {"years": 3}]
    claim = {"source": "s2", "quote": "林木转任顾问", "end_cause": "advisor"}
    record(first, "t-lin-acme")["also"] = [claim]
    record(second, "t-lin-acme")["also"] = [claim | {"end_cause": "founded", "note": "Fictional note."}]
    summaries = {r["field"]: (r["summary"], r["source"]) for r in _rows(tmp_path, first, second)}
    assert summaries["conditions"] == (
        "deal d-acme-globex: condition 'Fictional: the founders stay two years': years 2 → 3",
        "s1",
    )
    assert summaries["also"] == (
        "Lin Mu's spell at Acme AI: claim from s2: note added: 'Fictional note.'; end_cause advisor → founded",
        "s2",
    )


def test_a_records_own_provenance_fields_read_as_facts(tmp_path: Path) -> None:
    second = base()
    record(second, "p-kim").update(inferred=["name"], reported_by=["initech"], note="Fictional note.")
    rows = _rows(tmp_path, base(), second)
    assert [(r["field"], r["summary"], r["before"], r["after"]) for r in rows] == [
        ("reported_by", "Kim Ode: now credited to initech", None, "initech"),
        ("note", "Kim Ode: note added: 'Fictional note.'", None, "Fictional note."),
        ("inferred", "Kim Ode: name now marked inferred", None, "name"),
    ]


def test_json_and_csv_carry_the_steps_as_structured_values(tmp_path: Path) -> None:
    data = two_revisions(tmp_path, _with_step(), _with_step(inferred=["date"]))
    found = run_cli("--data", str(data), "changes", "--since", "HEAD~1", "--until", "HEAD", "--format", "json")
    (row,) = json.loads(found.stdout)
    assert row["after"]["inferred"] == ["date"] and "inferred" not in row["before"]
    table = run_cli("--data", str(data), "changes", "--since", "HEAD~1", "--until", "HEAD", "--format", "csv")
    (line,) = csv.DictReader(io.StringIO(table.stdout))
    assert json.loads(line["after"]) == row["after"]


def test_two_amounts_written_alike_are_shown_as_stored(tmp_path: Path) -> None:
    """$14.3B and $14,300,010,000 both read "$14.3B": the row gives each figure in full instead."""
    second = base()
    record(second, "d-acme-globex")["amount"] = "14300010000"
    (row,) = _rows(tmp_path, base(), second)
    assert (row["change"], row["field"]) == ("revised", "amount")
    assert json.loads(row["before"])["value"] == 14.3e9 and json.loads(row["after"])["value"] == 14300010000


ADVISOR = {"id": "t-lin-acme-2", "person": "p-lin", "firm": "acme", "title": "Advisor", "start": "2024-09"}


def _twins(first_title: str | None = "Head of product") -> Files:
    """Lin Mu with two spells at Acme AI: head of product, then advisor (FICTIONAL)."""
    files = base()
    spell = record(files, "t-lin-acme")
    if first_title is None:
        del spell["title"]
    else:
        spell["title"] = first_title
    files["tenures.yaml"]["tenures"].append(ADVISOR | {"replaces": "t-lin-acme", "source": "s1", "quote": "q"})
    return files


def test_two_spells_of_a_person_at_one_firm_are_told_apart_by_title(tmp_path: Path) -> None:
    first, second = _twins(), _twins()
    for spell in ("t-lin-acme", "t-lin-acme-2"):
        record(second, spell)["reported_by"] = ["initech"]
    summaries = [r["summary"] for r in _rows(tmp_path, first, second)]
    assert summaries == [
        "Lin Mu's spell at Acme AI as 'Head of product': now credited to initech",
        "Lin Mu's spell at Acme AI as 'Advisor': now credited to initech",
    ]


def test_a_spell_whose_twin_did_not_change_is_still_told_apart(tmp_path: Path) -> None:
    """The other spell is in a file that did not change, written in YAML flow style."""
    first = _twins()
    other = record(first, "t-lin-acme-2")
    first["tenures.yaml"]["tenures"].remove(other)
    data = new_repo(tmp_path / "kb", first)
    flow = ", ".join(f"{k}: {json.dumps(v)}" for k, v in other.items())
    (data / "later.yaml").write_text(f"# fictional test data\ntenures:\n  - {{{flow}}}\n", encoding="utf-8")
    commit(data.parent)
    record(first, "t-lin-acme")["note"] = "Fictional note."
    write(data, first | {"later.yaml": {}})  # keeps later.yaml out of write's hands
    (data / "later.yaml").write_text(f"# fictional test data\ntenures:\n  - {{{flow}}}\n", encoding="utf-8")
    commit(data.parent)
    (row,) = changes(data, "HEAD~1", "HEAD").rows
    assert row["summary"] == "Lin Mu's spell at Acme AI as 'Head of product': note added: 'Fictional note.'"


def test_two_spells_with_no_title_to_tell_them_apart_are_named_by_id(tmp_path: Path) -> None:
    first, second = _twins(first_title=None), _twins(first_title=None)
    record(second, "t-lin-acme")["end_cause"] = "advisor"
    (row,) = _rows(tmp_path, first, second)
    assert row["summary"] == "Lin Mu's spell at Acme AI [t-lin-acme] now ends in 'advisor' (was 'left')"


def test_a_persons_only_spell_at_a_firm_keeps_its_short_name(tmp_path: Path) -> None:
    second = base()
    second["tenures.yaml"]["tenures"].append(ADVISOR | {"firm": "globex", "source": "s1", "quote": "q"})
    record(second, "t-lin-acme")["note"] = "Fictional note."
    summaries = [r["summary"] for r in _rows(tmp_path, base(), second)]
    assert "Lin Mu's spell at Acme AI: note added: 'Fictional note.'" in summaries


_STEPS = st.builds(
    StatusEntry,
    source=st.sampled_from(["s1", "s2"]),
    quote=st.sampled_from([["q"], ["q", "r"], ["q; r"]]),
    reported_by=st.sampled_from([[], ["initech"], ["initech", "globex"]]),
    note=st.sampled_from([None, "Fictional note.", "Another fictional note."]),
    inferred=st.sampled_from([[], ["date"], ["date", "certainty"]]),
    also=st.sampled_from([[], [Attestation(source="s3", quote=["x"])], [Attestation(source="s3", quote=["x; y"])]]),
    date=st.sampled_from([None, FuzzyDate.parse("2025-05"), FuzzyDate.parse("2025-05..2025-06")]),
    status=st.just(DealStatus.RUMOURED),
    certainty=st.sampled_from(list(Certainty)),
)


@settings(max_examples=60, deadline=None)
@given(before=_STEPS, after=_STEPS)
def test_a_changed_step_never_reads_the_same_before_and_after(before: StatusEntry, after: StatusEntry) -> None:
    deal = Deal(id="d-x", kind=DealKind.STAKE, history=[before], source="s1", quote=["q"])
    rows = rows_for(deal, dataclasses.replace(deal, history=[after]), lambda i: None, "a", "b")
    assert all(row["before"] != row["after"] for row in rows), rows
    steps = [row for row in rows if (row["change"], row["field"]) == ("changed", "history")]
    if dataclasses.replace(before, also=after.also) != after:  # more than another source's claims changed
        assert steps, rows
    for row in steps:
        assert "(source=" not in row["summary"] and "→ '(" not in row["summary"], row["summary"]
