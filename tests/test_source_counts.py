"""`aiorg sources` counts claims and the passages they quote; `aiorg source ID` lists one row per
quoted passage, and a claim may quote several. The two must agree and name their units: `source
ID` says how many passages it lists and how many claims they are, the claims are the number
`sources` gives in Claims, and the rows are the number it gives in Passages.

Checked on the bundled data and on a copy of the fictional multi-source fixture whose claims
quote several passages each (tests/fixtures/multisource is fictional)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from aiorg.errors import ExitCode
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.queries.sources import source_quotes, sources
from tests.conftest import BUNDLED_DATA, run_cli

FIXTURE = Path(__file__).parent / "fixtures" / "multisource"
COUNTED = re.compile(r"([\d,]+) quoted passages? of ([\d,]+) claims?")


@pytest.fixture(scope="module")
def several_passages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fictional fixture, with a firm's own claim quoting two passages of the Chinese report
    and an `also` item quoting two passages of the podcast (which has no text)."""
    root = tmp_path_factory.mktemp("several-passages")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    firms = root / "data" / "firms.yaml"
    text = firms.read_text(encoding="utf-8")
    text = text.replace("    quote: 星河智能\n", "    quote: [星河智能, 产品负责人李明]\n", 1)
    text = text.replace("        quote: Yunfan Tech\n", "        quote: [Yunfan Tech, founder interview]\n", 1)
    firms.write_text(text, encoding="utf-8")
    return root / "data"


def _said(data: Path, source: str, *args: str) -> tuple[list[object], tuple[int, int]]:
    """`source ID`'s rows as JSON, and the (passages, claims) its note gives."""
    result = run_cli("--data", str(data), "source", source, "--format", "json", *args)
    assert result.exit_code == ExitCode.OK, result.stderr
    (counted,) = COUNTED.findall(result.stderr)
    return json.loads(result.stdout), (int(counted[0].replace(",", "")), int(counted[1].replace(",", "")))


def _agree(data: Path) -> list[tuple[str, int, int]]:
    """(source, passages, claims) of every source, having checked that `sources` and `source ID` agree."""
    listed = run_cli("--data", str(data), "sources", "--format", "json")
    assert listed.exit_code == ExitCode.OK, listed.stderr
    seen = []
    for row in json.loads(listed.stdout):
        rows, (passages, claims) = _said(data, row["source"])
        assert claims == row["claims"], row["source"]  # the number `sources` gives
        assert passages == len(rows) == row["passages"], row["source"]  # the rows `source ID` lists
        seen.append((row["source"], passages, claims))
    return seen


def test_sources_and_source_agree_on_the_bundled_data(bundled_kb: KnowledgeBase) -> None:
    seen = _agree(BUNDLED_DATA)
    assert all(passages >= claims > 0 for _, passages, claims in seen)
    assert any(passages > claims for _, passages, claims in seen)  # the case the note is there for
    for row in sources(bundled_kb):
        found = source_quotes(bundled_kb, row["source"])
        assert (found.claims, len(found.rows)) == (row["claims"], row["passages"])


def test_sources_and_source_agree_when_claims_quote_several_passages(several_passages: Path) -> None:
    assert _agree(several_passages) == [
        ("fictional-zh-2024-10", 7, 6),  # the firm's own claim quotes two passages
        ("fictional-en-2025-03", 3, 3),
        ("fictional-podcast-2025-04", 2, 1),  # one `also` item, two (unchecked) passages
    ]
    kb = load(several_passages)
    try:
        listed = [(row["claims"], row["passages"]) for row in sources(kb)]
        assert listed == [(6, 7), (3, 3), (1, 2)]
        found = [source_quotes(kb, row["source"]) for row in sources(kb)]
        assert [(each.claims, len(each.rows)) for each in found] == listed
    finally:
        kb.close()


def test_a_cut_table_names_both_units(several_passages: Path) -> None:
    result = run_cli("--data", str(several_passages), "source", "fictional-zh-2024-10", "--limit", "2")
    assert result.exit_code == ExitCode.OK, result.stderr
    said = "note: showing the first 2 of 7 quoted passages of 6 claims, in file order; --limit 0 shows all"
    assert said in result.stderr and "note: 7 quoted passages" not in result.stderr
    whole = run_cli("--data", str(several_passages), "source", "fictional-podcast-2025-04", "--limit", "0")
    assert "note: 2 quoted passages of 1 claim\n" in whole.stderr and "showing" not in whole.stderr


def test_the_sources_table_shows_passages_beside_claims_in_80_columns() -> None:
    """The 80-column table keeps both counts (it hides Title and Lang, and says so), so a reader
    sees the 196 rows `source ID` lists beside the 149 claims."""
    result = run_cli("sources", env={"COLUMNS": "80"})
    assert result.exit_code == ExitCode.OK, result.stderr
    header = next(line for line in result.stdout.splitlines() if "Claims" in line)
    assert "Passages" in header and max(len(line) for line in result.stdout.splitlines()) <= 80
    (count,) = (line for line in result.stdout.splitlines() if "zimubang-2025-06" in line)
    assert [cell.strip() for cell in count.split("│")][-3:-1] == ["149", "196"]
    assert "note: hidden to fit 80 columns: Title, Lang" in result.stderr


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 100])
def test_a_page_is_the_first_rows_of_the_whole_answer(several_passages: Path, limit: int) -> None:
    """`source ID`'s table reads only the records its page needs: the page is exactly the first
    `limit` rows of the whole answer, in order, and the counts are the whole answer's."""
    for data in (BUNDLED_DATA, several_passages):
        kb = load(data)
        try:
            for row in sources(kb):
                whole, page = source_quotes(kb, row["source"]), source_quotes(kb, row["source"], limit)
                assert page.rows == whole.rows[:limit]
                assert (page.claims, page.total) == (whole.claims, len(whole.rows)) == (row["claims"], row["passages"])
        finally:
            kb.close()
