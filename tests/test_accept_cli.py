"""`aiorg accept` end to end: draft a FICTIONAL article against a copy of the fictional fixture
knowledge base, mark every candidate accepted, accept, validate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aiorg.cli import main
from aiorg.draft.output import REVIEW_HEADER
from aiorg.loader import load
from aiorg.model import Deal
from tests.conftest import run_cli

HERE = Path(__file__).resolve().parent
ARTICLE = HERE / "accept_articles" / "fictional-xinghe-2025-05.txt"
SRC = "fictional-news-2025-05"


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command, registered as aiorg.cli.main will register it (if it is not yet)."""
    if "accept" not in main.COMMAND_INDEX:
        summary = "Merge the candidates a reviewer kept in a draft into the knowledge base, validated first."
        monkeypatch.setitem(main.COMMAND_INDEX, "accept", ("aiorg.cli.accept_commands", summary))


def kb_copy(tmp_path: Path) -> Path:
    shutil.copytree(HERE / "fixtures" / "multisource", tmp_path / "kb")
    return tmp_path / "kb" / "data"


def drafted(tmp_path: Path, data: Path) -> Path:
    out = tmp_path / "draft.yaml"
    args = ("--data", str(data), "draft", str(ARTICLE), "--source-id", SRC, "--published", "2025-05-20")
    result = run_cli(*args, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def test_draft_mark_accept_validate(tmp_path: Path) -> None:
    data = kb_copy(tmp_path)
    draft = drafted(tmp_path, data)
    text = draft.read_text(encoding="utf-8")
    assert text.startswith("\n".join(REVIEW_HEADER)) and "review: accept" in text  # how to mark, in the file
    draft.write_text(text.replace("review: pending", "review: accept"), encoding="utf-8")
    result = run_cli("--data", str(data), "accept", str(draft))
    assert result.exit_code == 0, result.stderr
    assert "records added" in result.stderr and "claims added to existing records" in result.stderr
    assert "0 candidates skipped (rejected)" in result.stderr and "sources.yaml" in result.stderr
    checked = run_cli("--data", str(data), "validate")
    assert checked.exit_code == 0, checked.stderr
    kb = load(data, check_quotes=True)
    deal = kb.by_id["yunfan-xinghe-acquisition"]
    assert isinstance(deal, Deal) and (deal.history[-1].status.value, deal.history[-1].source) == ("completed", SRC)
    assert kb.kind_of("zhou-lan") == "people" and kb.kind_of("quarry-holdings") == "firms"
    again = run_cli("--data", str(data), "accept", str(draft))
    assert again.exit_code == 0 and "0 records added, 0 claims added" in again.stderr


def test_pending_candidates_stop_the_merge_with_exit_1_and_dry_run_writes_nothing(tmp_path: Path) -> None:
    data = kb_copy(tmp_path)
    draft = drafted(tmp_path, data)
    before = {p: p.read_bytes() for p in sorted((tmp_path / "kb").rglob("*")) if p.is_file()}
    refused = run_cli("--data", str(data), "accept", str(draft))
    assert refused.exit_code == 1 and "still 'review: pending'" in refused.stderr
    dry = run_cli("--data", str(data), "accept", str(draft), "--skip-pending", "--dry-run")
    assert dry.exit_code == 0 and dry.stderr.startswith("dry run, nothing written: 0 records added")
    after = {p: p.read_bytes() for p in sorted((tmp_path / "kb").rglob("*")) if p.is_file()}
    assert after == before


def test_a_quote_not_in_the_article_is_reported_at_its_candidate_in_the_draft(tmp_path: Path) -> None:
    data = kb_copy(tmp_path)
    draft = drafted(tmp_path, data)
    text = draft.read_text(encoding="utf-8").replace("review: pending", "review: accept")
    text = text.replace("quote: Zhou Lan\n", "quote: Zhou Lan said nothing of the sort\n")
    draft.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    quoted = lines.index(next(line for line in lines if "said nothing of the sort" in line))
    start = max(i for i in range(quoted + 1) if lines[i].lstrip().startswith("- "))  # the candidate's first line
    before = {p: p.read_bytes() for p in sorted((tmp_path / "kb").rglob("*")) if p.is_file()}
    result = run_cli("--data", str(data), "accept", str(draft))
    assert result.exit_code == 1
    # The merged line is in no real file (nothing was written): the problem names the draft's line.
    assert result.stderr.startswith(f"{draft}:{start + 1}:") and "quote not found verbatim" in result.stderr
    assert f"as merged into {data}/people.yaml)" in result.stderr
    assert ".accept-" not in result.stderr
    assert {p: p.read_bytes() for p in sorted((tmp_path / "kb").rglob("*")) if p.is_file()} == before


def test_help_says_how_to_mark_candidates() -> None:
    result = run_cli("accept", "--help")
    assert result.exit_code == 0
    assert "review: accept" in result.stdout and "review: reject" in result.stdout and "--skip-pending" in result.stdout
