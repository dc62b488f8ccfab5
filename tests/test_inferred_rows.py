"""A row names the fields whose values it shows are inferences in its `inferred` key (README, "An
inference says it is one"), ids, ISO dates and numbers among them, and the tables mark the values
they show bare; `flows`, `conflicts` and `source` mark the inferred texts they write.

On the bundled data and on a small fictional knowledge base written here (every name made up);
tests/test_inferred_marks_oracle.py checks the key against the oracle on random ones.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from aiorg import queries
from aiorg.queries import deal_tuples
from tests.conftest import cli_json as _json
from tests.conftest import cli_text as _cli
from tests.conftest import write_spec
from tests.test_oracle import QUOTE, _load


def _cells(table: str, first: str) -> list[str]:
    """The cells of the table row whose first cell is `first`, each one's lines joined by spaces."""
    lines = [line.split("│")[1:-1] for line in table.splitlines() if line.startswith("│")]
    start = next(i for i, line in enumerate(lines) if line[0].strip() == first)
    end = next((i for i in range(start + 1, len(lines)) if lines[i][0].strip()), len(lines))
    columns = zip(*lines[start:end], strict=True)
    return [" ".join(part.strip() for part in column if part.strip()) for column in columns]


def _fits(text: str, width: int) -> bool:
    from aiorg.layout import cell_width

    return all(cell_width(line) <= width for line in text.splitlines())


# --- the bundled data ---------------------------------------------------------------------------


def test_bundled_deal_and_timeline_rows_name_their_inferences() -> None:
    """data/deals.yaml: meta-ssi-acquisition `inferred: [valuation]` (and its steps' `[status]`:
    a refusal read as the rejection), meta-scale-stake's agreed step `[date]` (and its talks' and
    wang-scale-ask's); data/tenures.yaml: wang-meta-superintelligence-lead `[start]`."""
    rows = {row["deal"]: row for row in _json("deals", "--min", "10e9")}
    assert rows["meta-ssi-acquisition"]["inferred"] == ["valuation", "history.status"]
    assert rows["meta-scale-stake"]["inferred"] == ["history.date"]
    assert rows["wang-scale-ask"]["inferred"] == ["history.date"]  # worked out from the order of events
    header, *lines = list(csv.reader(io.StringIO(_cli("deals", "--min", "10e9", "--format", "csv"))))
    marks = [dict(zip(header, line, strict=True))["inferred"] for line in lines[:2]]
    assert marks == ["valuation; history.status", "valuation"]
    facts = {(row["record"], row["kind"]): row["inferred"] for row in _json("timeline", "--firm", "meta")}
    assert facts[("wang-meta-superintelligence-lead", "role_start")] == ["start"]
    assert facts[("meta-scale-stake", "deal:agreed")] == ["history.date"]
    assert facts[("meta-scale-stake", "deal:in_talks")] == ["history.date"]
    assert facts[("meta-wang-offer", "deal:offered")] == []  # 4月中旬: stated


# --- a fictional knowledge base -----------------------------------------------------------------

_SAID = {"source": "s", "quote": QUOTE}


def spec() -> dict[str, list[dict[str, Any]]]:
    """Fictional records, inferred where a listing shows a value bare or a command writes a text."""
    return {
        "sources": [
            {"id": "s", "title": "A fictional article", "published": "2025-01", "kind": "article"},
            {"id": "s2", "title": "A later fictional article", "published": "2025-02", "kind": "article"},
        ],
        "groups": [],
        "products": [],
        "claims": [],
        "firms": [
            {"id": "acme", "name": "Acme", "aliases": ["Acme Labs"], "inferred": ["aliases"], **_SAID},
            {"id": "bolt", "name": "Bolt", **_SAID},
            {"id": "core", "name": "Core", **_SAID},
        ],
        "people": [{"id": p, "name": p.title(), **_SAID} for p in ("ann", "bo", "cy")],
        "tenures": [
            {"id": "t-ann-bolt", "person": "ann", "firm": "bolt", "end": "2023-12", "end_cause": "left", **_SAID},
            {
                "id": "t-ann",
                "person": "ann",
                "firm": "acme",
                "title": "Chief Scientist",
                "start": "2024-01",
                "current": True,
                "after": "t-ann-bolt",
                "inferred": ["person", "firm", "after"],
                **_SAID,
            },
            {
                "id": "t-cy",
                "person": "cy",
                "firm": "core",
                "title": "Head of AI",
                "start": "2023-05",
                "current": True,
                "inferred": ["title"],
                **_SAID,
            },
            {
                "id": "t-bo",
                "person": "bo",
                "firm": "acme",
                "end": "2024-09",
                "end_cause": "left",
                "inferred": ["end"],
                **_SAID,
                "also": [{"source": "s2", "quote": QUOTE, "end": "2024-10"}],
            },
        ],
        "deals": [
            {
                "id": "d-buy",
                "kind": "acquihire",
                "buyers": ["bolt"],
                "targets": ["core"],
                "people": ["cy"],
                "amount": "1B",
                "stake": "30%",
                "inferred": ["kind", "buyers", "people", "stake", "conditions"],
                **_SAID,
                "conditions": [{"text": "Cy stays two years", **_SAID}],
                "history": [
                    {"date": "2024-02", "status": "in_talks", **_SAID},
                    {
                        "date": "2024-06",
                        "status": "agreed",
                        "certainty": "reported",
                        "inferred": ["status", "certainty"],
                        **_SAID,
                    },
                ],
            },
            {
                "id": "d-two",
                "kind": "stake",
                "buyers": ["acme"],
                "targets": ["core"],
                "amount": "1B",
                "inferred": ["amount"],
                **_SAID,
                "also": [{"source": "s2", "quote": QUOTE, "amount": "2B"}],
                "history": [{"date": "2024-08", "status": "agreed", **_SAID}],
            },
        ],
        "events": [
            {
                "id": "e-pivot",
                "kind": "pivot",
                "subjects": ["acme"],
                "date": "2024-07",
                "text": "Acme turns to robots",
                "inferred": ["kind"],
                **_SAID,
            }
        ],
        "metrics": [
            {
                "id": "m-acme",
                "subject": "acme",
                "metric": "headcount",
                "value": 40,
                "unit": "people",
                "as_of": "2024-06",
                "inferred": ["value"],
                **_SAID,
            }
        ],
    }


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("inferred-rows")
    write_spec(folder, spec())
    return str(folder)


_BUY = ["kind", "buyers", "people", "stake", "conditions", "history.status", "history.certainty"]


def test_a_deal_row_names_its_inferred_fields_on_both_paths(tmp_path: Path) -> None:
    """Its kind, parties, stake, conditions and latest step's status and certainty; read from its
    tuple (cached) and decoded alike. An inferred amount another source's value is shown in
    place of is not named: the row shows that source's value (its note marks the inferred one)."""
    kb = _load(spec(), tmp_path / "kb", True)
    rows = {row["deal"]: row for row in queries.deals(kb)}
    assert rows["d-buy"]["inferred"] == _BUY
    assert rows["d-buy"]["conditions"] == ["Cy stays two years (inferred)"]  # the deal infers its conditions
    assert (rows["d-buy"]["kind"], rows["d-buy"]["stake_percent"], rows["d-buy"]["people"]) == (
        "acquihire",
        30.0,
        ["cy"],
    )  # the machine values stay bare
    assert (rows["d-two"]["amount"], rows["d-two"]["inferred"]) == ("$2B | $1B (inferred) (disputed, 2 sources)", [])
    with mock.patch.object(deal_tuples, "readable", lambda row: False):
        assert queries.deals(kb) == list(rows.values())


def test_the_deals_table_marks_the_values_it_shows_bare(data: str) -> None:
    """Kind, Stake % and Certainty: the values `inferred` names that the table writes as they are."""
    table = _cli("--data", data, "deals", width=200)
    cells = _cells(table, "d-buy")
    for cell in ("acquihire (inferred)", "30 (inferred)", "reported (inferred)", "Bolt (inferred)"):
        assert cell in cells, table
    assert "Core" in cells and "stake" in _cells(table, "d-two") and _fits(table, 200)
    narrow = _cli("--data", data, "deals", width=80)
    assert narrow.count("(inferred)") >= 4 and _fits(narrow, 80)
    rows = {row["deal"]: row for row in csv.DictReader(io.StringIO(_cli("--data", data, "deals", "--format", "csv")))}
    assert (rows["d-buy"]["inferred"], rows["d-buy"]["kind"], rows["d-two"]["inferred"]) == (
        "; ".join(_BUY),
        "acquihire",
        "",
    )


def test_timeline_rows_name_what_they_show_and_rest_on(data: str) -> None:
    rows = [(row["record"], row["kind"], row["inferred"]) for row in _json("--data", data, "timeline")]
    assert rows == [
        ("t-cy", "role_start", ["title"]),
        ("t-ann-bolt", "role_end:left", []),
        ("t-ann", "role_start", ["person", "firm"]),
        ("d-buy", "deal:in_talks", ["buyers", "people"]),
        ("d-buy", "deal:agreed", ["buyers", "people", "history.status", "history.certainty"]),
        ("m-acme", "metric:headcount", ["value"]),
        ("e-pivot", "pivot", ["kind"]),
        ("d-two", "deal:agreed", []),
        ("t-bo", "role_end:left", []),  # the end shown first is the later source's, 2024-10
    ]
    table = _cli("--data", data, "timeline", width=120)
    assert "pivot (inferred)" in table and _fits(table, 120)


def test_a_profile_section_carries_the_key_in_json_and_csv(data: str) -> None:
    """`--section` writes only the rows: each says which of its values are inferences."""
    (row,) = _json("--data", data, "firm", "bolt", "--section", "deals_as_buyer")
    assert row["inferred"] == _BUY
    assert _json("--data", data, "firm", "bolt")["inferred"]["deals_as_buyer"] == [_BUY]
    (line,) = csv.DictReader(io.StringIO(_cli("--data", data, "firm", "bolt", "--section", "deals", "--format", "csv")))
    assert line["inferred"] == "; ".join(_BUY)


def test_flows_mark_an_inferred_person_firm_move_and_status(data: str) -> None:
    rows = {(row["origin"], row["destination"]): row for row in _json("--data", data, "flows")}
    ann = rows[("bolt", "acme")]
    assert (ann["names"], ann["status"]) == (["Ann (inferred)"], ["moved (ann: destination, move inferred)"])
    cy = rows[("core", "bolt")]
    assert (cy["names"], cy["status"]) == (["Cy (inferred)"], ["deal agreed (inferred) (cy: destination inferred)"])
    assert _fits(_cli("--data", data, "flows"), 80)


def test_conflicts_mark_the_inferred_claim(data: str) -> None:
    rows = [(row["record"], row["field"], row["claim"], row["value"]) for row in _json("--data", data, "conflicts")]
    assert rows == [
        ("t-bo", "end", 1, "2024-10"),
        ("t-bo", "end", 2, "2024-09 (inferred)"),
        ("d-two", "amount", 1, "$2B"),
        ("d-two", "amount", 2, "$1B (inferred)"),
    ]


def test_a_source_names_its_records_as_they_are_marked(data: str) -> None:
    names = {row["record"]: row["name"] for row in _json("--data", data, "source", "s")}
    assert names["t-ann"] == "Ann (inferred), Chief Scientist at Acme (inferred)"
    assert names["t-cy"] == "Cy, Head of AI (inferred) at Core"
    assert names["t-bo"] == "Bo, at Acme"
