"""Sources as records of their own, on the fictional multi-source fixture: `aiorg sources`,
`aiorg source ID`, quote locators, unchecked quotes in `validate`, sha256 checks, and a
profile's "Sources" section listing every claim."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from aiorg.checks import locate, quote_in_text
from aiorg.cli import main
from aiorg.errors import ExitCode
from aiorg.queries import shapes
from tests.conftest import run_cli

FIXTURE = Path(__file__).parent / "fixtures" / "multisource"
DATA = FIXTURE / "data"
EN_TEXT = (FIXTURE / "seeds" / "fictional-en-2025-03.txt").read_text(encoding="utf-8")
ZH_TEXT = (FIXTURE / "seeds" / "fictional-zh-2024-10.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The two commands, whether or not aiorg.cli.main lists them yet."""
    monkeypatch.setitem(main.COMMAND_INDEX, "sources", ("aiorg.cli.source_commands", "List every source."))
    monkeypatch.setitem(main.COMMAND_INDEX, "source", ("aiorg.cli.source_commands", "Every claim of one source."))


def _json(*args: str, data: Path = DATA) -> Any:
    result = run_cli("--data", str(data), *args, "--format", "json")
    assert result.exit_code == ExitCode.OK, result.stderr
    return json.loads(result.stdout)


def test_sources_lists_each_source_with_its_claims() -> None:
    rows = _json("sources")
    assert all(tuple(row) == shapes.SOURCE for row in rows)
    assert rows == [
        {
            "source": "fictional-zh-2024-10", "title": "星河智能高管变动（虚构示例）", "kind": "article",
            "publisher": "Fictional Daily", "author": None, "language": "zh", "published": "2024-10-08",
            "url": None, "retrieved": None, "text": "archived", "quotes_checked": True, "sha256": None,
            # people, firms x2, tenure and deal cite it as their own source, and so does the rumoured step
            "claims": 6, "passages": 6,  # one passage each
        },
        {
            "source": "fictional-en-2025-03", "title": "Xinghe AI statement (fictional example)",
            "kind": "official_statement", "publisher": "Xinghe AI (fictional)", "author": None, "language": "en",
            "published": "2025-03-15", "url": None, "retrieved": None, "text": "archived", "quotes_checked": True,
            "sha256": None,
            # the tenure's and the deal's `also` items, and the agreed step
            "claims": 3, "passages": 3,
        },
        {
            "source": "fictional-podcast-2025-04", "title": "Yunfan Tech founder interview (fictional example)",
            "kind": "interview", "publisher": "Fictional Podcast", "author": None, "language": "en",
            "published": "2025-04-02", "url": "https://example.invalid/fictional-podcast-2025-04",
            "retrieved": "2025-04-03", "text": "none", "quotes_checked": False, "sha256": None, "claims": 1,
            "passages": 1,
        },
    ]  # fmt: skip


def test_source_lists_every_claim_with_its_fields_quote_and_locator() -> None:
    rows = _json("source", "fictional-en-2025-03")
    assert all(tuple(row) == shapes.SOURCE_CLAIM for row in rows)
    advisor = "Li Ming, head of product at Xinghe AI, has moved to an advisor role and has not left the company"
    assert rows == [
        {
            "source": "fictional-en-2025-03", "record_kind": "tenures", "record": "li-ming-xinghe-product",
            "name": "Li Ming (李明), Head of product at Xinghe AI (星河智能)", "part": None,
            "fields": ["end_cause: advisor"], "quote": advisor, "locator": EN_TEXT.index(advisor), "checked": "found",
        },
        {
            "source": "fictional-en-2025-03", "record_kind": "deals", "record": "yunfan-xinghe-acquisition",
            "name": "Yunfan Tech acquires Xinghe AI", "part": None, "fields": ["amount: $2.5B"],
            "quote": "Yunfan Tech agreed to acquire Xinghe AI for $2.5 billion",
            "locator": EN_TEXT.index("Yunfan Tech agreed"), "checked": "found",
        },
        {
            "source": "fictional-en-2025-03", "record_kind": "deals", "record": "yunfan-xinghe-acquisition",
            "name": "Yunfan Tech acquires Xinghe AI", "part": "history 2 (agreed)", "fields": ["record"],
            "quote": "Yunfan Tech agreed to acquire Xinghe AI", "locator": EN_TEXT.index("Yunfan Tech agreed"),
            "checked": "found",
        },
    ]  # fmt: skip
    for row in rows:  # the locator is where the quote really begins in the archived text
        assert EN_TEXT[row["locator"] :].startswith(row["quote"])


def test_a_source_without_text_has_unchecked_quotes_and_resolves_by_title() -> None:
    expected = [
        {
            "source": "fictional-podcast-2025-04", "record_kind": "firms", "record": "yunfan",
            "name": "Yunfan Tech (云帆科技)", "part": None, "fields": ["record"], "quote": "Yunfan Tech",
            "locator": None, "checked": "unchecked",
        }
    ]  # fmt: skip
    assert _json("source", "fictional-podcast-2025-04") == expected
    assert _json("source", "yunfan tech founder interview (FICTIONAL example)") == expected


def test_an_unknown_source_is_not_found_with_a_suggestion() -> None:
    result = run_cli("--data", str(DATA), "source", "fictional-en-2025-3")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stderr.startswith("aiorg: error: no source named 'fictional-en-2025-3'; did you mean 'fictional-en-")


def test_source_table_says_unchecked() -> None:
    result = run_cli("--data", str(DATA), "source", "fictional-podcast-2025-04", env={"COLUMNS": "200"})
    assert result.exit_code == ExitCode.OK
    assert "unchecked" in result.stdout and "Yunfan Tech (云帆科技)" in result.stdout


def test_validate_counts_unchecked_quotes_and_names_their_sources() -> None:
    result = run_cli("--data", str(DATA), "validate")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stderr == (
        f"ok: 8 records in {DATA}, 9 quotes found in their sources,"
        " 1 unchecked (sources without text: fictional-podcast-2025-04)\n"
    )


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "kb")
    return tmp_path / "kb" / "data"


def test_a_missing_text_file_makes_its_quotes_unchecked_not_found(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data.parent / "seeds" / "fictional-en-2025-03.txt").unlink()
    result = run_cli("--data", str(data), "validate")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stderr == (
        f"ok: 8 records in {data}, 6 quotes found in their sources,"
        " 4 unchecked (sources without text: fictional-en-2025-03, fictional-podcast-2025-04)\n"
    )
    assert {row["checked"] for row in _json("source", "fictional-en-2025-03", data=data)} == {"unchecked"}
    assert [row["text"] for row in _json("sources", data=data)] == ["archived", "missing", "none"]


def _with_sha256(data: Path, digest: str) -> None:
    sources = data / "sources.yaml"
    text = (DATA / "sources.yaml").read_text(encoding="utf-8")
    marker = "    file: ../seeds/fictional-en-2025-03.txt\n"
    sources.write_text(text.replace(marker, marker + f"    sha256: {digest}\n"), encoding="utf-8")


def test_validate_reports_an_archived_text_whose_hash_differs(tmp_path: Path) -> None:
    import hashlib

    data = _copy(tmp_path)
    actual = hashlib.sha256((data.parent / "seeds" / "fictional-en-2025-03.txt").read_bytes()).hexdigest()
    _with_sha256(data, actual.upper())  # hex in either case
    assert run_cli("--data", str(data), "validate").exit_code == ExitCode.OK
    assert _json("sources", data=data)[1]["sha256"] == "matches"
    _with_sha256(data, "ab" * 32)
    result = run_cli("--data", str(data), "validate")
    assert result.exit_code == ExitCode.DATA_ERROR
    text_path = data / "../seeds/fictional-en-2025-03.txt"
    assert result.stderr.splitlines() == [
        f"{data / 'sources.yaml'}:10:5: source 'fictional-en-2025-03': the SHA-256 of its text {text_path} is"
        f" {actual}, not '{'ab' * 32}' as given",
        "aiorg: 1 problem found in the knowledge base",
    ]


def test_profile_sources_list_every_claim_and_career_shows_the_dispute() -> None:
    profile = _json("person", "li-ming")
    assert [row["cause_text"] for row in profile["career"]] == ["advisor | left (disputed, 2 sources)"]
    advisor = "Li Ming, head of product at Xinghe AI, has moved to an advisor role and has not left the company"
    assert all(tuple(row) == shapes.QUOTE for row in profile["quotes"])
    assert profile["quotes"] == [
        {
            "record": "li-ming", "part": None, "source": "fictional-zh-2024-10", "fields": ["record"],
            "quote": "产品负责人李明", "locator": ZH_TEXT.index("产品负责人李明"), "checked": "found",
        },
        {
            "record": "li-ming-xinghe-product", "part": None, "source": "fictional-zh-2024-10", "fields": ["record"],
            "quote": "星河智能产品负责人李明已经离职", "locator": ZH_TEXT.index("星河智能产品负责人李明"),
            "checked": "found",
        },
        {
            "record": "li-ming-xinghe-product", "part": None, "source": "fictional-en-2025-03",
            "fields": ["end_cause: advisor"], "quote": advisor, "locator": EN_TEXT.index(advisor), "checked": "found",
        },
    ]  # fmt: skip


def test_firm_profile_lists_deal_steps_and_the_disputed_amount() -> None:
    profile = _json("firm", "yunfan")
    [deal] = profile["deals_as_buyer"]
    assert deal["amount"] == "$2.5B | ~$2B (disputed, 2 sources)"
    rows = _json("firm", "yunfan", "--section", "deals_as_buyer")
    assert rows == [deal]


def test_locate_matches_the_quote_check() -> None:
    text = "Intro.\nLi Ming said\n  he had   left, and then\tmore words … and an end."
    assert locate("Li Ming said he had left", text) == text.index("Li Ming")
    assert locate("he had left … an end", text) == text.index("he had")
    assert quote_in_text("he had left … an end", " ".join(text.split()))
    assert locate("an end … Li Ming", text) is None  # parts must come in order
    assert locate("not there", text) is None
    assert locate("星河智能产品负责人李明已经离职", ZH_TEXT) == ZH_TEXT.index("星河智能")


def test_the_multi_source_example_in_the_data_format_doc_is_valid(tmp_path: Path) -> None:
    from aiorg.parse import load_file

    doc = (Path(__file__).parent.parent / "docs" / "data-format.md").read_text(encoding="utf-8")
    section = doc.split("## Many sources for one fact", 1)[1].split("## An example of every record kind", 1)[0]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    for case in ("preferred:", "amount: $2.5 billion", "status: agreed", "sha256:", "retrieved:", "url:"):
        assert case in example, case
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    result = load_file(path, "example.yaml")
    assert result.problems == []
    assert result.records is not None and len(result.records) == 6
