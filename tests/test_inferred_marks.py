"""Every inferred value a command shows says it is one (README, "An inference says it is one").

Text a row writes for a value its record marks `inferred` carries " (inferred)" (a firm's or
party's name, a title, a status, each alias, a name inside a timeline's text); text resting on an
inferred value it does not write names the field ('(subjects inferred)'); ids, ISO dates and
numbers stay bare, and a profile lists them in its `inferred` and marks them in its tables.

On the bundled data, on a small fictional knowledge base (written here, every name made up) in
table, json and csv, on the site's deals_over, and against the oracle on random knowledge bases.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from aiorg import queries
from aiorg.money import Money
from aiorg.queries import deals
from aiorg.serve.canned import DEALS_OVER
from aiorg.serve.plugins.aiorg_site import norm, usd
from aiorg.serve.site import build_database
from tests.conftest import cli_json as _json
from tests.conftest import cli_text as _cli
from tests.conftest import write_spec
from tests.test_oracle import QUOTE, _load

INFERRED = " (inferred)"


def _fits(text: str, width: int = 80) -> bool:
    from aiorg.layout import cell_width

    return all(cell_width(line) <= width for line in text.splitlines())


# --- the bundled data ---------------------------------------------------------------------------


def test_bundled_career_start_the_data_infers_says_so() -> None:
    """data/tenures.yaml: wang-meta-superintelligence-lead has `inferred: [start]`."""
    profile = _json("person", "alexandr-wang")
    career = {row["tenure"]: row for row in profile["career"]}
    assert career["wang-meta-superintelligence-lead"]["start"] == "~2025-06"  # the machine field stays bare
    index = [row["tenure"] for row in profile["career"]].index("wang-meta-superintelligence-lead")
    assert profile["inferred"]["career"][index] == ["start"]
    table = _cli("person", "alexandr-wang")
    start = next(line for line in table.splitlines() if "c. 2025-06" in line)
    below = table.splitlines()[table.splitlines().index(start) + 1]
    assert below[start.index("c. 2025-06") :].startswith("(inferred)"), table  # under the date, in its column
    assert _fits(table)


def test_bundled_parent_the_data_infers_says_so() -> None:
    """data/firms.yaml: deepmind has `inferred: [parent]`."""
    profile = _json("firm", "deepmind")
    assert (profile["parent"], profile["inferred"]["firm"]) == ("google", ["parent"])
    assert "Part of: google (inferred)\n" in _cli("firm", "deepmind")
    assert "Part of: meta\n" in _cli("firm", "meta-superintelligence-team")  # stated: unmarked


def test_bundled_aliases_subjects_and_metric_subject_say_so() -> None:
    """meta-superintelligence-team: `inferred: [aliases]`; its headcount metric `[subject]`; the
    team_formed event `[subjects]`."""
    profile = _json("firm", "meta-superintelligence-team")
    assert profile["aliases"] == ["Meta AI lab (inferred)", "AI实验室 (inferred)"]
    assert profile["inferred"]["metrics"] == [["subject"]] and profile["inferred"]["events"] == [["subjects"]]
    assert profile["events"][0]["text"].endswith("Meta's AI business (subjects inferred)")
    table = _cli("firm", "meta-superintelligence-team")
    assert "Also known as: Meta AI lab (inferred); AI实验室 (inferred)" in table
    assert "meta-superintelligence-team (inferred)" in table  # the metric's Of
    assert _fits(table)
    texts = {row["record"]: row["text"] for row in _json("timeline", "--firm", "meta-superintelligence-team")}
    assert texts["meta-superintelligence-team-size"] == (
        "Meta superintelligence team (超级智能团队) (inferred) headcount = 50 people (planned)"
    )
    assert texts["meta-superintelligence-team-formed"].endswith("Meta's AI business (subjects inferred)")
    firms = {row["firm"]: row["aliases"] for row in _json("firms")}
    assert firms["meta-superintelligence-team"] == ["Meta AI lab (inferred)", "AI实验室 (inferred)"]
    assert firms["01ai"] and not any("inferred" in alias for alias in firms["01ai"])  # stated: unmarked


def test_bundled_event_date_the_data_infers_says_so_in_a_profile() -> None:
    """data/events.yaml: 01ai-gives-up-agi has `inferred: [date]`; a profile's events say so as
    the timeline does."""
    events = {row["event"]: row for row in _json("firm", "01ai")["events"]}
    assert (events["01ai-gives-up-agi"]["when"], events["01ai-gives-up-agi"]["date"]) == (
        "2024-07 to 2025-06 (inferred)",
        "2024-07..2025-06",
    )
    assert events["six-dragons-executive-departures"]["when"] == "2024-07 to 2025-06"


def test_bundled_strategy_evidence_names_what_it_rests_on() -> None:
    evidence = [e for row in _json("strategy", "meta") for e in row["evidence"]]
    texts = {(e["record"], e["signal"]): e["text"] for e in evidence}
    assert texts[("wang-meta-superintelligence-lead", "leadership_changes")].endswith("[planned] (start inferred)")
    assert texts[("meta-scale-stake", "buyer_deals")].endswith("[agreed] (date inferred)")
    assert texts[("meta-superintelligence-team-formed", "reorganisations")].endswith("business (subjects inferred)")
    assert texts[("meta-ai-reorganisation", "reorganisations")].endswith("Meta's AI team (date inferred)")
    assert texts[("meta-openai-signing-bonuses", "buyer_deals")].endswith("$100M [offered]")  # nothing inferred


# --- a fictional knowledge base -----------------------------------------------------------------


def inferred_spec() -> dict[str, list[dict[str, Any]]]:
    """Fictional records with one inferred field of each kind a command shows."""
    said = {"source": "s", "quote": QUOTE}
    return {
        "sources": [{"id": "s", "title": "A fictional article", "published": "2025-01", "kind": "article"}],
        "groups": [],
        "products": [],
        "claims": [],
        "firms": [
            {"id": "acme", "name": "Acme", "aliases": ["Acme Labs"], "inferred": ["aliases"], **said},
            {"id": "acme-lab", "name": "Acme Lab", "parent": "acme", "inferred": ["parent"], **said},
            {"id": "bolt", "name": "Bolt", **said},
        ],
        "people": [{"id": "ann", "name": "Ann", **said}, {"id": "bo", "name": "Bo", **said}],
        "tenures": [
            {
                "id": "t-ann",
                "person": "ann",
                "firm": "acme-lab",
                "title": "Chief Scientist",
                "start": "2024-03",
                "end": "2024-09",
                "end_cause": "left",
                "inferred": ["firm", "title", "start"],
                **said,
            },
            {
                "id": "t-bo",
                "person": "bo",
                "firm": "bolt",
                "title": "Engineer",
                "title_zh": "工程师",
                "start": "2024-02",
                "current": True,
                "inferred": ["title_zh"],
                **said,
            },
        ],
        "deals": [
            {
                "id": "d-buy",
                "title": "Bolt buys Acme",
                "kind": "acquisition",
                "buyers": ["bolt"],
                "targets": ["acme"],
                "amount": "1B",
                "stake": "20%",
                "inferred": ["title", "targets", "stake"],
                **said,
                "conditions": [{"text": "Ann stays two years", "inferred": ["text"], **said}],
                "history": [
                    {"date": "2024-01", "status": "in_talks", **said},
                    {"date": "2024-06", "status": "agreed", "inferred": ["status"], **said},
                ],
            },
        ],
        "events": [
            {
                "id": "e-lab",
                "kind": "team_formed",
                "subjects": ["acme-lab"],
                "date": "2024-05",
                "text": "A new lab is set up",
                "inferred": ["subjects"],
                **said,
            },
        ],
        "metrics": [
            {
                "id": "m-lab",
                "subject": "acme-lab",
                "metric": "headcount",
                "value": 40,
                "unit": "people",
                "as_of": "2024-06",
                "inferred": ["subject"],
                **said,
            },
        ],
    }


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("inferred-marks")
    write_spec(folder, inferred_spec())
    return str(folder)


def test_people_rows_mark_an_inferred_firm_and_titles(data: str) -> None:
    rows = {row["tenure"]: row for row in _json("--data", data, "people")}
    ann, bo = rows["t-ann"], rows["t-bo"]
    assert (ann["firm"], ann["firm_name"], ann["title"]) == (
        "acme-lab",
        "Acme Lab (inferred)",
        "Chief Scientist (inferred)",
    )
    assert (bo["firm_name"], bo["title"], bo["title_zh"]) == ("Bolt", "Engineer", "工程师 (inferred)")
    table = _cli("--data", data, "people")
    assert "Acme Lab   │" in table and "(inferred) │" in table and _fits(table)
    _header, *lines = list(csv.reader(io.StringIO(_cli("--data", data, "people", "--format", "csv"))))
    assert {"Acme Lab (inferred)", "Chief Scientist (inferred)"} <= set(lines[1])


def test_a_marked_name_does_not_change_the_order(tmp_path: Path) -> None:
    """People rows are ordered by the person's name as stated: 'Ann (inferred)' does not sort
    after 'Ann', and two spells of one person stay in file order."""
    spec = inferred_spec()
    said = {"source": "s", "quote": QUOTE}
    spec["tenures"] = [
        {"id": "t0", "person": "ann", "firm": "bolt", "current": True, "inferred": ["person"], **said},
        {"id": "t1", "person": "ann", "firm": "bolt", "current": True, **said},
    ]
    rows = queries.people(_load(spec, tmp_path, False))
    assert [(row["tenure"], row["name"]) for row in rows] == [("t0", "Ann (inferred)"), ("t1", "Ann")]


def test_deal_rows_mark_an_inferred_status_title_party_and_condition(data: str) -> None:
    (row,) = _json("--data", data, "deals")
    assert (row["title"], row["status"], row["status_text"]) == (
        "Bolt buys Acme (inferred)",
        "agreed",
        "agreed (inferred)",
    )
    assert (row["targets"], row["target_names"], row["buyer_names"]) == (["acme"], ["Acme (inferred)"], ["Bolt"])
    assert (row["conditions"], row["stake_percent"]) == (["Ann stays two years (inferred)"], 20.0)
    table = _cli("--data", data, "deals", width=120)
    assert table.count("(inferred)") == 4 and _fits(table, 120)  # target, status, stake (`inferred`), condition
    assert _json("--data", data, "deals", "--no-cache") == [row]  # the decoded path says the same


def test_timeline_texts_mark_what_they_write_and_name_what_they_rest_on(data: str) -> None:
    texts = [(row["record"], row["text"]) for row in _json("--data", data, "timeline")]
    assert texts == [
        ("d-buy", "Bolt buys Acme (inferred) — in_talks (targets inferred)"),
        ("t-bo", "Bo starts as Engineer at Bolt"),
        ("t-ann", "Ann starts as Chief Scientist (inferred) at Acme Lab (inferred)"),
        ("e-lab", "A new lab is set up (subjects inferred)"),
        ("d-buy", "Bolt buys Acme (inferred) — agreed (inferred) (targets inferred)"),
        ("m-lab", "Acme Lab (inferred) headcount = 40 people"),
        ("t-ann", "Ann: Chief Scientist (inferred) at Acme Lab (inferred) ends — left"),
    ]
    assert _fits(_cli("--data", data, "timeline"))


def test_a_profile_marks_the_machine_values_it_shows(data: str) -> None:
    """An ended spell's inferred start (its row's `when` is the end), a parent, a metric's subject
    and a deal's stake: bare in JSON, named in `inferred`, marked in the tables."""
    ann = _json("--data", data, "person", "ann")
    assert (ann["career"][0]["start"], ann["career"][0]["when"]) == ("2024-03", "2024-09")
    assert ann["inferred"] == {"career": [["firm", "title", "start"]]}
    table = _cli("--data", data, "person", "ann")
    lines = table.splitlines()
    row = next(i for i, line in enumerate(lines) if "2024-03" in line)
    assert lines[row + 1][lines[row].index("2024-03") :].startswith("(inferred)"), table
    assert _fits(table)
    lab = _json("--data", data, "firm", "acme-lab")
    assert (lab["parent"], lab["metrics"][0]["subject"]) == ("acme", "acme-lab")
    assert lab["inferred"]["firm"] == ["parent"] and lab["inferred"]["metrics"] == [["subject"]]
    table = _cli("--data", data, "firm", "acme-lab")
    assert "Part of: acme (inferred)" in table and "acme-lab (inferred)" in table and _fits(table)
    assert "A new lab is set up (subjects inferred)" in table
    acme = _json("--data", data, "firm", "acme")
    assert acme["aliases"] == ["Acme Labs (inferred)"]
    assert acme["inferred"]["deals_as_target"] == [["title", "targets", "stake", "history.status"]]
    wide = _cli("--data", data, "firm", "acme", width=160)
    assert "Also known as: Acme Labs (inferred)" in wide and "20 (inferred)" in wide  # Stake %
    assert _json("--data", data, "firm", "bolt")["inferred"] == {
        "people_joined": [["title_zh"]],
        "deals_as_buyer": [["title", "targets", "stake", "history.status"]],
    }


def test_strategy_evidence_names_the_inferred_fields(data: str) -> None:
    evidence = {(e["record"], e["signal"]): e["text"] for r in _json("--data", data, "strategy") for e in r["evidence"]}
    assert evidence[("e-lab", "reorganisations")] == "A new lab is set up (subjects inferred)"
    assert evidence[("d-buy", "buyer_deals")].endswith("(title, targets, stake, status inferred)")


# --- the site -----------------------------------------------------------------------------------


def _site(kb: Any, folder: Path) -> sqlite3.Connection:
    build_database(kb, folder / "aiorg.db")
    db = sqlite3.connect(folder / "aiorg.db")
    db.row_factory = sqlite3.Row
    db.create_function("aiorg_norm", 1, norm, deterministic=True)
    db.create_function("aiorg_usd", 1, usd, deterministic=True)
    return db


_TEXTS = ("title", "status_text", "value", "amount", "valuation", "when")


@pytest.mark.parametrize("typed", ["1e6", "2e9", "3e10"])
def test_deals_over_shows_the_texts_deals_min_shows(tmp_path: Path, bundled_kb: Any, typed: str) -> None:
    """Its texts are the CLI's, marks and all ('est. $32B (inferred)'), on the bundled data and
    the fictional one (an inferred status, title and target)."""
    shown: dict[str, dict[str, dict[str, Any]]] = {}
    for name, kb in (("bundled", bundled_kb), ("fictional", _load(inferred_spec(), tmp_path / "kb", False))):
        (tmp_path / name).mkdir(exist_ok=True)
        rows = [dict(row) for row in _site(kb, tmp_path / name).execute(DEALS_OVER.sql, {"usd": typed})]
        expected = deals(kb, minimum=Money.parse(typed))
        assert [{k: r[k] for k in _TEXTS} for r in rows] == [{k: e[k] for k in _TEXTS} for e in expected]
        assert [r["target_names"] for r in rows] == [", ".join(e["target_names"]) for e in expected]
        shown[name] = {r["deal"]: r for r in rows}
    if typed == "3e10":  # data/deals.yaml: inferred: [valuation]
        assert shown["bundled"]["meta-ssi-acquisition"]["value"] == "est. $32B (inferred)"
    if typed == "1e6":
        fictional = shown["fictional"]["d-buy"]
        assert (fictional["status_text"], fictional["target_names"]) == ("agreed (inferred)", "Acme (inferred)")
