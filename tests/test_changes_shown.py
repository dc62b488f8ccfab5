"""aiorg changes on a record with `also` claims (more sources): a field's row says what the listings
show (the value shown first, and whether sources disagree), ranked by each revision's own sources.
On the small fictional knowledge base of tests/changes_kb.py (Lin Mu, Acme AI: invented)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aiorg.changes import changes
from tests.changes_kb import Files, base, commit, new_repo, record, write

ADVISOR = {"source": "s2", "quote": "林木转任顾问", "end_cause": "advisor"}


@pytest.fixture(autouse=True)
def _no_outer_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def _kinds(files: Files, **kinds: str) -> Files:
    """The files with these sources given a kind (s2="official_statement")."""
    for source, kind in kinds.items():
        record(files, source)["kind"] = kind
    return files


def _feed(tmp_path: Path, first: Files, second: Files) -> list[tuple[Any, ...]]:
    """(change, field, summary, source) of each row from `first` to `second`, committed in turn."""
    data = new_repo(tmp_path / "kb", first)
    write(data, second)
    commit(data.parent)
    return [(r["change"], r["field"], r["summary"], r["source"]) for r in changes(data, "HEAD~1", "HEAD").rows]


def test_a_new_official_source_that_changes_the_end_shown_first(tmp_path: Path) -> None:
    """The row says what the people listing shows; the `also` item says nothing more, so no row."""
    second = _kinds(base(), s2="official_statement")
    record(second, "t-lin-acme")["also"] = [dict(ADVISOR)]
    summary = "Lin Mu's spell at Acme AI now ends in 'advisor | left (disputed, 2 sources)' (was 'left')"
    assert _feed(tmp_path, _kinds(base(), s2="official_statement"), second) == [
        ("changed", "end_cause", summary, "s2"),
        ("source_added", "also", "Source s2 added to Lin Mu's spell at Acme AI (also)", "s2"),
    ]


def test_a_weaker_source_that_disputes_the_end_shown_first(tmp_path: Path) -> None:
    """A social post does not change the value shown first, but the end is now disputed."""
    second = _kinds(base(), s2="social_post")
    record(second, "t-lin-acme")["also"] = [dict(ADVISOR)]
    summary = "Lin Mu's spell at Acme AI now ends in 'left | advisor (disputed, 2 sources)' (was 'left')"
    assert _feed(tmp_path, _kinds(base(), s2="social_post"), second)[0] == ("changed", "end_cause", summary, "s2")


def test_an_also_claim_withdrawn_is_the_end_shown_first_again(tmp_path: Path) -> None:
    first = _kinds(base(), s2="official_statement")
    record(first, "t-lin-acme")["also"] = [dict(ADVISOR)]
    summary = "Lin Mu's spell at Acme AI now ends in 'left' (was 'advisor | left (disputed, 2 sources)')"
    assert _feed(tmp_path, first, _kinds(base(), s2="official_statement")) == [
        ("changed", "end_cause", summary, "s2"),
        ("source_removed", "also", "Source s2 removed from Lin Mu's spell at Acme AI (also)", "s2"),
    ]


def test_an_also_claim_that_agrees_keeps_its_row(tmp_path: Path) -> None:
    """Nothing a listing shows changes: the `also` row is what says that s2 now says it too."""
    second = base()
    record(second, "t-lin-acme")["also"] = [ADVISOR | {"end_cause": "left"}]
    rows = _feed(tmp_path, base(), second)
    assert [(change, field) for change, field, _, _ in rows] == [("changed", "also"), ("source_added", "also")]


def test_each_revision_ranks_its_claims_by_its_own_sources(tmp_path: Path) -> None:
    """s2 was a social post and is now an official statement (its claim's quote also changed):
    the value shown first moved from 'left' to 'advisor', though the claims say what they said."""
    first = _kinds(base(), s2="social_post")
    record(first, "t-lin-acme")["also"] = [dict(ADVISOR)]
    second = _kinds(base(), s2="official_statement")
    record(second, "t-lin-acme")["also"] = [ADVISOR | {"quote": "林木转任顾问。"}]
    rows = _feed(tmp_path, first, second)
    summary = (
        "Lin Mu's spell at Acme AI now ends in 'advisor | left (disputed, 2 sources)'"
        " (was 'left | advisor (disputed, 2 sources)')"
    )
    assert ("changed", "end_cause", summary, "s2") in rows, rows


def test_a_new_source_that_revises_the_amount_shown_first(tmp_path: Path) -> None:
    second = _kinds(base(), s3="filing")
    record(second, "d-acme-globex")["also"] = [{"source": "s3", "quote": "$15 billion", "amount": "$15B"}]
    rows = _feed(tmp_path, _kinds(base(), s3="filing"), second)
    summary = "Amount of deal d-acme-globex revised: $14.3B → $15B | $14.3B (disputed, 2 sources)"
    assert rows[0] == ("revised", "amount", summary, "s3")
    assert [row[:2] for row in rows[1:]] == [("source_added", "also")]


def test_a_source_that_says_the_spell_is_ongoing_hides_its_end(tmp_path: Path) -> None:
    """As the people listing shows it: no end, and the state disputed; every row cites s2, whose
    word changed what is shown (not s1, whose end is only read as `current: false`)."""
    second = _kinds(base(), s2="official_statement")
    record(second, "t-lin-acme")["also"] = [{"source": "s2", "quote": "林木仍在", "current": "true"}]
    rows = _feed(tmp_path, _kinds(base(), s2="official_statement"), second)
    assert [(field, source) for _, field, _, source in rows] == [
        ("end", "s2"),
        ("current", "s2"),
        ("end_cause", "s2"),
        ("also", "s2"),
    ]
    assert rows[1][2] == "Lin Mu's spell at Acme AI: current not stated → 'true | false (disputed, 2 sources)'"
    assert rows[2][2] == "Lin Mu's spell at Acme AI no longer says how it ended (was 'left')"
