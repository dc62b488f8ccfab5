"""`flows --from FIRM` keeps a person from 'not stated' who once had a role at FIRM (Nat Friedman,
once GitHub's CEO, moved by a Meta deal that names no firm he leaves): the note says why the row
is there and that it does not say he left from FIRM, so a script counting who left FIRM is told."""

from __future__ import annotations

from tests.conftest import run_cli

WHY = "listed as they once had a role at github, which does not say they left from there"


def test_from_says_why_a_not_stated_row_is_listed() -> None:
    result = run_cli("flows", "--from", "github", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert '"origin": null' in result.stdout and "Nat Friedman" in result.stdout
    assert WHY in result.stderr


def test_without_from_the_note_does_not_say_it() -> None:
    result = run_cli("flows")
    assert result.exit_code == 0, result.stderr
    assert "in rows from 'not stated'" in result.stderr and "once had a role" not in result.stderr


def test_the_help_says_it() -> None:
    assert "who once had a role there" in " ".join(run_cli("flows", "--help", env={"COLUMNS": "200"}).stdout.split())
