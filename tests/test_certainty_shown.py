"""A fact that is not confirmed (planned, reported, rumoured, inferred) says so in every 80-column
table: the Certainty column gives way to the width only while every row shown is confirmed, and
`deals` has one. Checked on the bundled data (Alexandr Wang's planned Meta role, Koray
Kavukcuoglu's reported Google one, the reported offer meta-wang-offer) and on the FICTIONAL
knowledge base below (a planned appointment with a long title, a reported acquisition)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from aiorg.cli.columns import DEAL_COLUMNS, PEOPLE_COLUMNS, TIMELINE_COLUMNS, dates_for_table
from aiorg.render import Column, OutputFormat, render_table
from tests.conftest import one_file_kb, run_cli

KB = """\
sources:
  - {id: s1, title: 北辰人事, kind: article, published: 2024-10-08, file: ../seeds/s1.txt}
firms:
  - {id: beichen, name: Beichen Intelligence Technology, name_zh: 北辰智能科技, country: CN, source: s1, quote: 北辰}
  - {id: nanxing, name: Nanxing, name_zh: 南星, country: CN, source: s1, quote: 南星}
people:
  - {id: ouyang, name: Ouyang Mingyuan, name_zh: 欧阳明远, source: s1, quote: 欧阳明远}
  - {id: zhang-wei, name: Zhang Wei, name_zh: 张伟, source: s1, quote: 张伟}
tenures:
  - id: ouyang-bc
    person: ouyang
    firm: beichen
    title: Chief Executive Officer and Chief Scientist of the Research Institute
    kind: executive
    start: 2024-10
    certainty: planned
    source: s1
    quote: 北辰计划由欧阳明远出任首席执行官兼首席科学家
  - id: zhang-wei-bc
    person: zhang-wei
    firm: beichen
    title: Chief Technology Officer of the Research Institute
    kind: executive
    start: 2023
    source: s1
    quote: 张伟任北辰首席技术官
deals:
  - id: beichen-buys-nanxing
    kind: acquisition
    title: Beichen is reported to buy Nanxing
    buyers: [beichen]
    targets: [nanxing]
    amount: 15亿美元
    history:
      - {status: agreed, date: 2024-10, certainty: reported, source: s1, quote: 据报道北辰以15亿美元收购南星}
    source: s1
    quote: 据报道北辰以15亿美元收购南星
"""

SEED = "北辰计划由欧阳明远出任首席执行官兼首席科学家。张伟任北辰首席技术官。据报道北辰以15亿美元收购南星。"

NARROW = {"COLUMNS": "80", "NO_COLOR": "1"}


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return one_file_kb(tmp_path_factory.mktemp("certainty-shown"), KB, {"s1.txt": SEED})


def _row_line(out: str, start: str) -> str:
    """The first line of the table row whose first cell starts with `start`."""
    (line,) = [line for line in out.splitlines() if line.startswith("│ " + start)]
    return line


def _block(out: str, name: str) -> str:
    """The vertical-layout block (a row drawn as `Field  value` lines) that names `name`."""
    (block,) = [b for b in re.split(r"^── \d+ ─+$", out, flags=re.M) if name in b]
    return block


def test_the_fixture_is_valid(kb: Path) -> None:
    result = run_cli("--data", str(kb), "validate")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_a_planned_appointment_says_so_at_80_columns(kb: Path) -> None:
    result = run_cli("--data", str(kb), "people", env=NARROW)
    assert result.exit_code == 0, result.stderr
    assert "Certainty" in result.stdout.splitlines()[1]  # the header row
    assert "planned" in _row_line(result.stdout, "Ouyang")
    assert "confirmed" in _row_line(result.stdout, "Zhang")
    assert "Certainty" not in result.stderr  # not in the "hidden to fit" note
    assert all(len(line) <= 80 for line in result.stdout.splitlines())


def test_a_reported_deal_says_so_at_80_columns(kb: Path) -> None:
    result = run_cli("--data", str(kb), "deals", env=NARROW)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert re.search(r"^(?:│ )?Certainty\b", out, flags=re.M), out  # a table's header or a vertical field
    assert "reported" in out and "Certainty" not in result.stderr


def test_a_planned_appointment_says_so_in_the_timeline_at_80_columns(kb: Path) -> None:
    result = run_cli("--data", str(kb), "timeline", env=NARROW)
    assert result.exit_code == 0, result.stderr
    assert "planned" in result.stdout and "reported" in result.stdout
    assert "Certainty" not in result.stderr


def test_the_bundled_meta_people_say_wang_is_only_planned() -> None:
    result = run_cli("people", "--at", "meta", env=NARROW)
    assert result.exit_code == 0, result.stderr
    line = _row_line(result.stdout, "Alexandr")
    assert "planned" in line
    assert "Certainty" not in result.stderr


def test_the_bundled_google_people_say_the_chief_architect_role_is_only_planned() -> None:
    """被爆料将任命: reported that Google *will* appoint him, so the role is planned, never a held
    one whose end is merely not stated."""
    result = run_cli("people", "--at", "google", env=NARROW)
    assert result.exit_code == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("│ Koray")]
    google = next(line for line in rows if "Google" in line)
    assert "planned" in google and "end" not in google, result.stdout
    assert "Certainty" not in result.stderr


def test_the_bundled_deals_say_the_wang_offer_is_reported() -> None:
    out = run_cli("deals", env=NARROW).stdout
    assert re.search(r"^Certainty +reported$", _block(out, "meta-wang-offer"), flags=re.M), out
    wide = run_cli("deals", env={"COLUMNS": "400", "NO_COLOR": "1"}).stdout
    assert "Certainty" in wide.splitlines()[1] and "reported" in _row_line(wide, "meta-wang-offer")


def test_the_bundled_meta_timeline_says_which_facts_are_not_confirmed() -> None:
    out = run_cli("timeline", "--firm", "meta", env=NARROW).stdout
    assert re.search(r"^Certainty +planned$", _block(out, "wang-meta-superintelligence-lead"), flags=re.M), out


ROWS = [
    {"name": "Ouyang Mingyuan", "name_zh": "欧阳明远", "firm_name": "Beichen Intelligence Technology (北辰智能科技)",
     "title": "Chief Executive Officer and Chief Scientist of the Research Institute", "cause_text": "",
     "when": "2024-10", "certainty": "planned", "source": "some-rather-long-source-id-2024-10"},
    {"name": "Zhang Wei", "name_zh": "张伟", "firm_name": "Beichen Intelligence Technology (北辰智能科技)",
     "title": "Chief Technology Officer of the Research Institute", "cause_text": "",
     "when": "2023", "certainty": "confirmed", "source": "some-rather-long-source-id-2024-10"},
]  # fmt: skip


def _table(rows: list[dict[str, str]], columns: list[Column], width: int = 80) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    import contextlib

    with contextlib.redirect_stderr(err):
        render_table(rows, columns, out, width=width)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("certainty", ["planned", "reported", "rumoured", "inferred"])
def test_the_renderer_keeps_certainty_while_a_row_is_not_confirmed(certainty: str) -> None:
    rows = [dict(ROWS[0], certainty=certainty), ROWS[1]]
    out, err = _table(rows, PEOPLE_COLUMNS)
    assert "hidden to fit 80 columns: Title, Source" in err  # the others still give way
    assert certainty in _row_line(out, "Ouyang")


def test_the_renderer_may_hide_certainty_when_every_row_is_confirmed_and_says_so() -> None:
    rows = [dict(row, certainty="confirmed") for row in ROWS]
    out, err = _table(rows, PEOPLE_COLUMNS)
    assert "Certainty" not in out.splitlines()[1]
    assert "Certainty" in err  # named in the note, not dropped silently


def test_every_listing_with_a_certainty_has_a_column_for_it() -> None:
    for columns in (PEOPLE_COLUMNS, DEAL_COLUMNS, TIMELINE_COLUMNS):
        (column,) = [c for c in columns if c.key == "certainty"]
        assert column.hideable([{"certainty": "reported"}]) == 0
        assert column.hideable([{"certainty": "confirmed"}]) > 0


def test_an_inferred_date_keeps_its_mark_on_a_line_of_its_own_in_a_table() -> None:
    rows = [{"when": "c. 2025-06 (inferred)"}, {"when": "2024-09 | by 2024-10 (disputed, 2 sources)"}]
    drawn = dates_for_table(rows, OutputFormat.TABLE)
    assert [row["when"] for row in drawn] == ["c. 2025-06\n(inferred)", "2024-09 |\nby 2024-10\n(disputed,\n2 sources)"]
    assert dates_for_table(rows, OutputFormat.JSON) == rows


def test_a_profile_section_with_an_inferred_date_stays_a_table_at_80_columns() -> None:
    """`firm meta`'s people section was a table, and fell into one block per row once Wang's start
    read 'c. 2025-06 (inferred)' on one line; the profile's sections take the listings' date lines."""
    out = run_cli("firm", "meta", env=NARROW).stdout
    section = out[out.index("People who joined, in the role they joined in") :].split("\n\n")[0]
    assert "┌" in section and "── 1 ──" not in section, section
    assert "(inferred)" in section and "planned" in section, section
    assert all(len(line) <= 80 for line in out.splitlines())
