"""Review 5 defect: the site's `who_left` read only a spell's own source, so on a disputed
departure it disagreed with `aiorg people --left`, whose answer it says it gives ("Same answer as
‘aiorg people --left FIRM’").

Fictional two-source fixture: an article says Li Ming left Xinghe AI; Xinghe's later official
statement says he moved to an advisor role and has not left. The CLI shows `advisor` first
(an official statement outweighs an article), `formal_departure: false`, `disputed:
["end_cause"]`; the site showed a plain `left`, with nothing saying that a source disagrees.
It also left out a spell whose own source says demoted while another says left, which the CLI
lists (`extended` below adds one, at a unit of Xinghe AI).

who_left now reads the site table `departed_spells`, filled by the CLI's own query: the tests
below compare the site's rows, field by field, with `aiorg people --left FIRM --format json`
for every firm of the fixtures and of the bundled data, in the database and through a running
`aiorg serve`."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from aiorg.loader import load
from aiorg.queries import people
from aiorg.serve.canned import WHO_LEFT
from aiorg.serve.plugins.aiorg_site import norm, usd
from aiorg.serve.site import build_database
from tests.conftest import BUNDLED_DATA, REPO, run_cli

MULTISOURCE = REPO / "tests" / "fixtures" / "multisource"
DATA = MULTISOURCE / "data"

#: a unit of Xinghe AI and a spell there that its own source calls a demotion and another a departure
EXTENSION = {
    "firms.yaml": """\
  - id: xinghe-lab
    name: Xinghe Lab
    name_zh: 星河实验室
    category: unit
    parent: xinghe
    source: fictional-en-2025-03
    quote: Xinghe Lab
""",
    "people.yaml": """\
  - id: wang-fang
    name: Wang Fang
    name_zh: 王芳
    source: fictional-en-2025-03
    quote: Wang Fang
""",
    "tenures.yaml": """\
  - id: wang-fang-xinghe-lab
    person: wang-fang
    firm: xinghe-lab
    title: Lab director
    end: 2025-02
    end_cause: demoted
    source: fictional-podcast-2025-04
    quote: Wang Fang was demoted from lab director
    also:
      - source: fictional-en-2025-03
        quote: Wang Fang, director of Xinghe Lab, left in February
        end_cause: left
""",
}


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The multi-source fixture plus EXTENSION (and the fictional sentence its quote cites)."""
    root = tmp_path_factory.mktemp("extended") / "multisource"
    shutil.copytree(MULTISOURCE, root)
    for name, text in EXTENSION.items():
        with (root / "data" / name).open("a", encoding="utf-8") as out:
            out.write(text)
    with (root / "seeds" / "fictional-en-2025-03.txt").open("a", encoding="utf-8") as out:
        out.write("Wang Fang, director of Xinghe Lab, left in February, the company said.\n")
    assert run_cli("--data", str(root / "data"), "validate").exit_code == 0
    return root / "data"


def site(data: Path, folder: Path) -> Any:
    import sqlite3

    out = folder / "aiorg.db"
    build_database(load(data), out)
    db = sqlite3.connect(out)
    db.row_factory = sqlite3.Row
    db.create_function("aiorg_norm", 1, norm, deterministic=True)
    db.create_function("aiorg_usd", 1, usd, deterministic=True)
    return db


def as_cli_row(row: dict[str, Any]) -> dict[str, Any]:
    """A who_left row as the CLI's JSON writes it: lists decoded, the yes/no as a boolean."""
    return {
        **row,
        "disputed": json.loads(row["disputed"]),
        "inferred": json.loads(row["inferred"]),
        "sources": json.loads(row["sources"]),
        "formal_departure": bool(row["formal_departure"]),
    }


def cli_left(data: Path, firm: str) -> list[dict[str, Any]]:
    result = run_cli("--data", str(data), "people", "--left", firm, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout or "[]")
    return rows


def test_who_left_gives_the_cli_answer_on_a_disputed_departure(tmp_path: Path) -> None:
    (expected,) = people(load(DATA), left="xinghe")
    assert (expected["cause"], expected["disputed"]) == ("advisor", ["end_cause"])  # the CLI's answer
    (row,) = [dict(r) for r in site(DATA, tmp_path).execute(WHO_LEFT.sql, {"firm": "星河智能"})]
    assert row["tenure"] == expected["tenure"]
    assert row["cause"] == expected["cause"], "the site calls a disputed advisor move a plain departure"
    assert (row["cause_text"], row["disputed"], row["formal_departure"]) == (
        "advisor | left (disputed, 2 sources)",
        '["end_cause"]',
        0,
    )


def test_who_left_keeps_a_spell_another_source_calls_a_departure(extended: Path, tmp_path: Path) -> None:
    db = site(extended, tmp_path)
    rows = [dict(r) for r in db.execute(WHO_LEFT.sql, {"firm": "星河智能"})]
    assert [(r["tenure"], r["cause"], r["cause_text"]) for r in rows] == [
        ("li-ming-xinghe-product", "advisor", "advisor | left (disputed, 2 sources)"),
        ("wang-fang-xinghe-lab", "left", "left | demoted (disputed, 2 sources)"),
    ]
    assert [r["tenure"] for r in db.execute(WHO_LEFT.sql, {"firm": "Xinghe Lab"})] == ["wang-fang-xinghe-lab"]


@pytest.mark.parametrize("which", ["multisource", "extended", "bundled"])
def test_who_left_equals_the_cli_json_for_every_firm(which: str, extended: Path, tmp_path: Path) -> None:
    data = {"multisource": DATA, "extended": extended, "bundled": BUNDLED_DATA}[which]
    db = site(data, tmp_path)
    answered = 0
    for firm in load(data).firms:
        expected = cli_left(data, firm.id)
        for typed in (firm.id, firm.name_zh or firm.id):
            rows = [as_cli_row(dict(r)) for r in db.execute(WHO_LEFT.sql, {"firm": typed})]
            assert rows == expected, (firm.id, typed)
        answered += bool(expected)
    assert answered >= {"multisource": 1, "extended": 2, "bundled": 5}[which]  # not all empty answers


# --- through `aiorg serve`, as a colleague's script would read it ---------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_served_who_left_json_equals_the_cli(extended: Path, tmp_path: Path) -> None:
    pytest.importorskip("datasette", reason="the web extra is not installed: pip install 'aiorg[web]'")
    from tests.test_serve_site import SERVE_ENTRY

    port = _free_port()
    aiorg = f"from aiorg.cli import main; main.COMMAND_INDEX.setdefault('serve', {SERVE_ENTRY!r}); main.main()"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "AIORG_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen(
        [sys.executable, "-c", aiorg, "--data", str(extended), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}/aiorg/who_left.json?_shape=array&firm={quote('星河智能')}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    rows = json.loads(response.read())
                break
            except OSError:
                assert process.poll() is None, process.communicate()[1].decode()[-2000:]
                assert time.monotonic() < deadline, "aiorg serve did not answer in 60 s"
                time.sleep(0.1)
        assert [as_cli_row(row) for row in rows] == cli_left(extended, "xinghe")
        assert [row["cause"] for row in rows] == ["advisor", "left"]
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0 and err.decode().strip().splitlines()[-1] == "aiorg: stopped"
