"""Marks follow the value shown first, and sit on what is inferred (README, "An inference says it
is one", "When sources disagree").

- A move's status in `flows`, and a group's membership in `firms`, a firm's profile and `path`,
  read the certainty shown first (aiorg.claims: a preferred `also` source wins), as `people`
  does, both ways; a disputed certainty says so in `flows`; `--known-as-of` counts only the
  sources known by then.
- A deal move's origin taken from the person's current firm is an inference only when that
  spell does not state the person was there on the deal's date.
- A name marks the part of it that is inferred: 'Guessed Name (inferred) (猜名)'.

Every knowledge base here is FICTIONAL, written for these tests: every name is made up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import cli_json as _json
from tests.conftest import cli_text as _cli
from tests.conftest import write_spec

_S = {"source": "s", "quote": "a fictional quote"}
#: one more source, an official statement published later, whose word the data prefers
_T = {"source": "t", "quote": "another fictional quote", "preferred": "the firm's own statement"}
_LEFT = {"start": "2020", "end": "2024-06", "end_cause": "left"}


def _firm(firm: str, **more: Any) -> dict[str, Any]:
    return {"id": firm, "name": firm.title(), **more, **_S}


def _spell(spell: str, person: str, firm: str, **more: Any) -> dict[str, Any]:
    return {"id": spell, "person": person, "firm": firm, "title": "Engineer", **_S, **more}


def _deal(deal: str, buyer: str, person: str, **step: Any) -> dict[str, Any]:
    """A deal moving `person` to `buyer` that names no firm the person leaves."""
    history = [{"date": "2024-10", "status": "agreed", **_S, **step}]
    return {"id": deal, "kind": "recruitment", "buyers": [buyer], "targets": [person], "people": [person], **_S} | {
        "history": history
    }


def _spec() -> dict[str, list[dict[str, Any]]]:
    return {
        "sources": [
            {"id": "s", "title": "A fictional article", "published": "2025-01", "kind": "article"},
            {"id": "t", "title": "A later fictional statement", "published": "2025-06", "kind": "official_statement"},
        ],
        "groups": [
            # the article reads the membership, the firms' statement states it; and the reverse
            {
                "id": "dg",
                "name": "Read Then Said",
                "certainty": "inferred",
                **_S,
                "also": [{**_T, "certainty": "confirmed"}],
            },
            {"id": "dg2", "name": "Said Then Read", **_S, "also": [{**_T, "certainty": "inferred"}]},
        ],
        "firms": [
            _firm("dis", groups=["dg", "dg2"]),
            *(_firm(firm) for firm in ("orig", "lab", "buy", "pod", "den")),
        ],
        "people": [{"id": p, "name": p.title(), **_S} for p in ("ann", "cy", "di", "ed", "flo", "hal", "ivy")],
        "tenures": [
            # Cy: a move the article infers and the statement confirms; Di: the reverse
            _spell("cy-orig", "cy", "orig", **_LEFT),
            _spell(
                "cy-lab",
                "cy",
                "lab",
                start="2024-07",
                after="cy-orig",
                certainty="inferred",
                also=[{**_T, "certainty": "confirmed"}],
            ),
            _spell("di-orig", "di", "orig", **_LEFT),
            _spell("di-lab", "di", "pod", start="2024-07", after="di-orig", also=[{**_T, "certainty": "inferred"}]),
            # Ed: a planned move whose certainty the article implies, which the statement confirms
            _spell("ed-orig", "ed", "orig", **_LEFT),
            _spell(
                "ed-lab",
                "ed",
                "lab",
                start="2024-07",
                after="ed-orig",
                certainty="planned",
                inferred=["certainty"],
                also=[{**_T, "certainty": "confirmed"}],
            ),
            # Hal leaves a spell the article infers and the statement confirms; Ivy the reverse
            _spell("hal-orig", "hal", "orig", **_LEFT, certainty="inferred", also=[{**_T, "certainty": "confirmed"}]),
            _spell("hal-den", "hal", "den", start="2024-07", after="hal-orig"),
            _spell("ivy-orig", "ivy", "orig", **_LEFT, also=[{**_T, "certainty": "inferred"}]),
            _spell("ivy-den", "ivy", "den", start="2024-07", after="ivy-orig"),
            # Ann and Flo: current at Orig since 2020 (stated), moved by deals naming no firm
            _spell("ann-orig", "ann", "orig", start="2020", current=True),
            _spell("flo-orig", "flo", "orig", start="2020", current=True),
        ],
        "deals": [
            # the article infers the agreement, the statement confirms it; and the reverse
            _deal("d-ann", "buy", "ann", certainty="inferred", also=[{**_T, "certainty": "confirmed"}]),
            _deal("d-flo", "pod", "flo", also=[{**_T, "certainty": "inferred"}]),
        ],
    }


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("marks-follow-shown")
    write_spec(folder, _spec())
    return str(folder)


def _flows(*args: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {(row["origin"], row["destination"]): row for row in _json(*args, "flows")}


# --- 1. the certainty shown first ----------------------------------------------------------------


def test_a_move_the_preferred_source_confirms_is_no_inference(data: str) -> None:
    """Cy: `people` shows the statement's `confirmed`; `flows` did say 'inferred', status ['status']."""
    (row,) = [row for row in _json("--data", data, "people") if row["tenure"] == "cy-lab"]
    assert (row["certainty"], row["disputed"]) == ("confirmed", ["certainty"])
    cy = _flows("--data", data)[("orig", "lab")]
    assert cy["people"] == ["cy", "ed"]
    assert cy["status"] == ["moved (cy: certainty disputed, 2 sources)", "moved (ed: certainty disputed, 2 sources)"]
    assert cy["inferred"] == []


def test_a_move_the_preferred_source_infers_says_so(data: str) -> None:
    """Di: the reverse; `flows` did say 'moved', inferred [], though `people` shows inferred."""
    (row,) = [row for row in _json("--data", data, "people") if row["tenure"] == "di-lab"]
    assert row["certainty"] == "inferred"
    di = _flows("--data", data)[("orig", "pod")]
    assert di["status"][0] == "inferred (di: certainty disputed, 2 sources)"
    assert di["inferred"] == ["status"]


def test_the_spell_left_reads_its_certainty_shown_first(data: str) -> None:
    """Hal leaves a spell the preferred statement confirms: a stated origin. Ivy's the statement
    infers: an inferred origin (the spell left is inferred as a whole)."""
    den = _flows("--data", data)[("orig", "den")]
    assert den["status"] == [
        "moved (hal: certainty disputed, 2 sources)",
        "moved (ivy: certainty disputed, 2 sources) (ivy: origin inferred)",
    ]
    assert den["inferred"] == ["origin"]


def test_a_deal_step_reads_its_certainty_shown_first(data: str) -> None:
    """Ann's deal: the article infers it, the statement confirms it: not 'deal agreed (inferred)'.
    Flo's deal: the reverse."""
    rows = _flows("--data", data)
    ann, flo = rows[("orig", "buy")], rows[("orig", "pod")]
    assert (ann["status"], ann["inferred"]) == (["deal agreed (ann: certainty disputed, 2 sources)"], [])
    assert flo["status"][1] == "deal agreed (inferred) (flo: certainty disputed, 2 sources)"
    assert flo["inferred"] == ["status"]
    assert "deal agreed (inferred) (flo: certainty disputed, 2 sources)" in " ".join(
        _cli("--data", data, "flows", width=200).split()
    )


def test_group_marks_read_the_certainty_shown_first(data: str) -> None:
    """dg: the article reads the membership, the preferred statement states it; dg2 the reverse.
    `conflicts` shows confirmed first for dg, inferred for dg2, and so must every mark."""
    shown = {row["record"]: row["value"] for row in _json("--data", data, "conflicts") if row["claim"] == 1}
    assert (shown["dg"], shown["dg2"]) == ("confirmed", "inferred")
    assert "Groups: dg; dg2 (inferred)" in _cli("--data", data, "firm", "dis")
    assert _json("--data", data, "firm", "dis")["inferred"]["groups"] == [[], ["certainty"]]
    (firm,) = [row for row in _json("--data", data, "firms") if row["firm"] == "dis"]
    assert firm["inferred"] == ["groups"]  # through dg2
    assert "dg; dg2 (inferred)" in _cli("--data", data, "firms", width=200)
    (said,) = _json("--data", data, "path", "dis", "dg")
    (read,) = _json("--data", data, "path", "dis", "dg2")
    assert (said["relation"], read["relation"]) == ("member of", "member of (membership inferred)")


def test_known_as_of_counts_only_the_sources_known_then(data: str) -> None:
    """Before the statement (published 2025-06) only the article is known: Cy's move and Ann's
    deal are its inferences, Di's move is stated, and dg is the read group, dg2 a stated one."""
    rows = _flows("--known-as-of", "2025-03", "--data", data)
    assert rows[("orig", "lab")]["status"] == ["inferred", "planned (inferred)"]
    assert rows[("orig", "pod")]["status"] == ["moved", "deal agreed"]
    assert rows[("orig", "buy")]["status"] == ["deal agreed (inferred)"]
    (said,) = _json("--known-as-of", "2025-03", "--data", data, "path", "dis", "dg")
    (read,) = _json("--known-as-of", "2025-03", "--data", data, "path", "dis", "dg2")
    assert (said["relation"], read["relation"]) == ("member of (membership inferred)", "member of")


def _told_late(records: Any) -> None:
    """Each record (or deal step) that has another source takes its own word from 'late'."""
    for record in records:
        if "also" in record:
            record["source"] = "late"
        _told_late(record.get("history", []))


def test_a_known_also_source_tells_the_fact_alone(tmp_path: Path) -> None:
    """Where the record's own source is not known yet and the statement is, the statement's
    certainty is the fact's (aiorg.known)."""
    spec = _spec()
    spec["sources"].append({"id": "late", "title": "A fictional late article", "published": "2025-09"})
    for records in spec.values():
        _told_late(records)
    write_spec(tmp_path, spec)
    rows = _flows("--known-as-of", "2025-07", "--data", str(tmp_path))
    lab, pod = rows[("orig", "lab")], rows[("orig", "pod")]
    assert (lab["people"], lab["status"], lab["inferred"]) == (["cy", "ed"], ["moved"], [])  # both confirmed
    # Di's move, Flo's deal (whose step the statement does not date: nothing places Flo at Orig then)
    assert pod["status"] == ["inferred", "deal agreed (inferred) (flo: origin inferred)"]
    (read,) = _json("--known-as-of", "2025-07", "--data", str(tmp_path), "path", "dis", "dg")
    assert read["relation"] == "member of"


# --- 2. an origin taken from the current firm ----------------------------------------------------


def _origin_spec(spell: dict[str, Any], **step: Any) -> dict[str, list[dict[str, Any]]]:
    """Gil, whose one current spell is `spell`, moved to Buy by a deal that names no firm."""
    return {
        "sources": [
            {"id": "s", "title": "A fictional article", "published": "~2025-06", "kind": "article"},
            {"id": "t", "title": "A later fictional statement", "published": "2025-09", "kind": "official_statement"},
        ],
        "firms": [_firm("orig"), _firm("buy")],
        "people": [{"id": "gil", "name": "Gil", **_S}],
        "tenures": [{"id": "gil-orig", "person": "gil", "firm": "orig", "title": "CEO", **_S, **spell}],
        "deals": [_deal("d-gil", "buy", "gil", **({"date": "~2025-06"} | step))],
    }


@pytest.mark.parametrize(
    ("spell", "step", "marked"),
    [
        # the article that dates the talks calls him the current CEO: stated (Daniel Gross's case)
        ({"current": True}, {}, False),
        ({"current": True, "start": "2020"}, {}, False),
        ({"current": True, "start": "~2025-06"}, {}, False),  # no later, as the dates are written
        # it may have begun after the deal: 2025 may be December
        ({"current": True, "start": "2025"}, {}, True),
        # no start, and only a source published after the deal calls it current
        ({"current": True, "source": "t"}, {}, True),
        ({"current": True}, {"date": "2024-10"}, True),
        # the spell is an inference, as a whole (its certainty shown first) or in a field used
        ({"current": True, "certainty": "inferred"}, {}, True),
        ({"current": True, "also": [{**_T, "certainty": "inferred"}]}, {}, True),
        ({"current": True, "inferred": ["firm"]}, {}, True),
        ({"current": True, "start": "2020", "inferred": ["start"]}, {}, True),
        ({"current": True, "certainty": "planned"}, {}, True),  # not in effect yet
        # the preferred source confirms a spell the article infers
        (
            {"current": True, "start": "2020", "certainty": "inferred", "also": [{**_T, "certainty": "confirmed"}]},
            {},
            False,
        ),
        # the deal's date is itself an inference
        ({"current": True}, {"inferred": ["date"]}, True),
        # not said to be ongoing: nothing says he was still there
        ({"start": "2020"}, {}, True),
    ],
)
def test_an_origin_from_the_current_firm_is_marked_only_when_nothing_places_him_there(
    tmp_path: Path, spell: dict[str, Any], step: dict[str, Any], marked: bool
) -> None:
    write_spec(tmp_path, _origin_spec(spell, **step))
    (row,) = _json("--data", str(tmp_path), "flows")
    assert row["origin"] == "orig"
    expected = "deal agreed (gil: origin inferred)" if marked else "deal agreed"
    assert row["status"] == [expected]
    assert ("origin" in row["inferred"]) is marked


# --- 3. a name marks the part that is inferred --------------------------------------------------


def test_a_name_marks_the_part_that_is_inferred(tmp_path: Path) -> None:
    spec = _origin_spec({"current": True, "start": "2020"})
    spec["firms"] = [
        {"id": "orig", "name": "Guessed Name", "name_zh": "猜名", "inferred": ["name"], **_S},
        {"id": "buy", "name": "Buyco", "name_zh": "买方", "inferred": ["name_zh"], **_S},
    ]
    spec["people"] = [
        {"id": "gil", "name": "Gil", "name_zh": "吉尔", "inferred": ["name", "name_zh"], **_S},
        {"id": "hu", "name": "Hu", "name_zh": "胡", "inferred": ["name_zh"], **_S},
    ]
    spec["tenures"] += [
        _spell("gil-old", "gil", "buy", start="2010", end="2019", end_cause="left", inferred=["firm"]),
        # Hu, whose Chinese name is inferred, moved by a deal that infers who it moves
        _spell("hu-orig", "hu", "orig", start="2020", current=True),
    ]
    spec["deals"].append(_deal("d-hu", "buy", "hu", date="~2025-06") | {"inferred": ["people"]})
    write_spec(tmp_path, spec)
    (row,) = _json("--data", str(tmp_path), "flows")
    assert (row["origin_name"], row["destination_name"], row["names"]) == (
        "Guessed Name (inferred) (猜名)",  # the English name only: the Chinese one is stated
        "Buyco (买方 (inferred))",  # the Chinese name only
        ["Gil (吉尔) (inferred)", "Hu (胡) (inferred)"],  # the whole name: each name, or who it is
    )
    (old,) = [row for row in _json("--data", str(tmp_path), "people") if row["tenure"] == "gil-old"]
    assert old["firm_name"] == "Buyco (买方) (inferred)"  # which firm it is: the whole name
    assert "Guessed Name (inferred) (猜名)" in " ".join(_cli("--data", str(tmp_path), "flows", width=200).split())
