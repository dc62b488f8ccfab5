"""A `people` row names the fields whose values it shows are inferences in its `inferred` key, as
`deals` and `timeline` rows do, and `search` marks the inferred alias or title it matched (README,
"An inference says it is one"). On the bundled data and on tests/test_inferred_rows.py's
fictional knowledge base, with one more spell (every name made up)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from aiorg import queries
from tests.conftest import cli_json as _json
from tests.conftest import cli_text as _cli
from tests.conftest import write_spec
from tests.test_inferred_rows import _SAID, spec
from tests.test_oracle import _load


def _spec() -> dict[str, list[dict[str, Any]]]:
    made_up = spec()
    made_up["people"].append({"id": "di", "name": "Di", **_SAID})
    ended = {"start": "2023-01", "end": "2024-03", "end_cause": "left", "inferred": ["end", "end_cause"]}
    made_up["tenures"].append({"id": "t-di", "person": "di", "firm": "bolt", **ended, **_SAID})
    # ongoing by inference; a later source, preferred, says the spell ended
    ends = {"source": "s2", "quote": _SAID["quote"], "end_cause": "left", "preferred": "the later report is firmer"}
    for spell, person, more in (("t-di-core", "di", {"also": [ends]}), ("t-bo-core", "bo", {})):
        ongoing = {"current": True, "inferred": ["current"], **_SAID, **more}
        made_up["tenures"].append({"id": spell, "person": person, "firm": "core", **ongoing})
    return made_up


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("inferred-people")
    write_spec(folder, _spec())
    return str(folder)


def test_bundled_spell_rows_name_an_inferred_start() -> None:
    """data/tenures.yaml: wang-meta-superintelligence-lead `inferred: [start]`, in the listing and
    in a profile's section written alone (`--section`), where nothing else would say so."""
    rows = {row["tenure"]: row["inferred"] for row in _json("people")}
    assert rows["wang-meta-superintelligence-lead"] == ["start"]
    assert rows["wei-wei-minimax-commercial"] == []
    joined = _json("firm", "meta", "--section", "people_joined")
    assert {row["tenure"]: row["inferred"] for row in joined}["wang-meta-superintelligence-lead"] == ["start"]
    lines = csv.DictReader(io.StringIO(_cli("firm", "meta", "--section", "people_joined", "--format", "csv")))
    assert {line["tenure"]: line["inferred"] for line in lines}["wang-meta-superintelligence-lead"] == "start"


def test_a_spell_row_names_what_it_shows_as_the_record_states_it(data: str) -> None:
    rows = {row["tenure"]: row["inferred"] for row in _json("--data", data, "people")}
    assert rows["t-ann"] == ["person", "firm"]  # its `after` is not a field a row shows
    assert rows["t-cy"] == ["title"]
    assert rows["t-bo"] == []  # the end shown first is the later source's, 2024-10
    assert rows["t-di"] == ["end", "end_cause"]
    assert rows["t-bo-core"] == ["current"]  # the row's state, current, is the inference
    assert rows["t-di-core"] == []  # shown ended, on the preferred source's word


def test_as_of_a_day_before_an_inferred_end_the_row_does_not_name_it(tmp_path: Path) -> None:
    kb = _load(_spec(), tmp_path / "kb", False)
    (row,) = [row for row in queries.people(kb, as_of=date(2023, 6, 1)) if row["tenure"] == "t-di"]
    assert (row["state"], row["end"], row["inferred"]) == ("current", None, [])


def test_a_profile_gives_its_spell_rows_lists(data: str) -> None:
    ann = _json("--data", data, "person", "ann")
    assert [row["inferred"] for row in ann["career"]] == ann["inferred"]["career"] == [[], ["person", "firm"]]


def test_search_marks_an_inferred_alias_and_title(data: str) -> None:
    (alias,) = _json("--data", data, "search", "Acme Labs")
    assert (alias["field"], alias["matched"]) == ("alias", "Acme Labs (inferred)")
    (title,) = _json("--data", data, "search", "Chief Scientist")
    assert (title["id"], title["field"], title["matched"]) == (
        "ann",
        "title at Acme (inferred) (person inferred)",
        "Chief Scientist",
    )
    (head,) = _json("--data", data, "search", "Head of AI")
    assert (head["field"], head["matched"]) == ("title at Core", "Head of AI (inferred)")
    assert _json("--data", data, "search", "Bolt")[0]["matched"] == "Bolt"  # stated: unmarked


def test_bundled_search_marks_the_inferred_alias() -> None:
    """data/firms.yaml: meta-superintelligence-team `inferred: [aliases]`."""
    (row,) = _json("search", "Meta AI lab")
    assert (row["id"], row["field"], row["matched"]) == (
        "meta-superintelligence-team",
        "alias",
        "Meta AI lab (inferred)",
    )
