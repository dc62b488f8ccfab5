"""Every command has help with an example; errors are one line with documented exit codes."""

from __future__ import annotations

import json

import pytest

from aiorg.cli.main import app
from aiorg.errors import ExitCode
from tests.conftest import run_cli


def _command_names() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_commands_are_registered() -> None:
    assert {"validate", "stats", "people"} <= set(_command_names())


def test_the_command_index_matches_the_commands() -> None:
    """`aiorg --help` lists commands from COMMAND_INDEX without importing them: it must say what
    each command's own help says, and list every command there is."""
    import importlib
    import inspect

    from aiorg.cli.main import COMMAND_INDEX

    modules = [
        "kb_commands",
        "query_commands",
        "profile_commands",
        "strategy_commands",
        "export_commands",
        "draft_commands",
        "change_commands",
        "source_commands",
        "conflict_commands",
        "accept_commands",
        "serve_commands",
    ]
    actual = {
        name: (f"aiorg.cli.{module}", (inspect.getdoc(function) or "").split("\n\n")[0])
        for module in modules
        for name, function in importlib.import_module(f"aiorg.cli.{module}").COMMANDS.items()
    }
    assert actual == COMMAND_INDEX


@pytest.mark.parametrize("command", _command_names())
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert "Example: aiorg " in result.stdout


def test_top_level_help() -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    assert "people" in result.stdout and "Example: aiorg people --left minimax" in result.stdout


def test_unknown_name_suggests_and_exits_not_found() -> None:
    result = run_cli("people", "--left", "minimx")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stderr == "aiorg: error: no firm named 'minimx'; did you mean 'MiniMax'?\n"
    assert result.stdout == ""


def test_bad_date_is_a_usage_error() -> None:
    result = run_cli("people", "--since", "last year")
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert result.stderr.startswith("aiorg: error: --since: ") and "Traceback" not in result.stderr


def test_missing_data_dir_is_a_usage_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--data", str(tmp_path / "nope"), "people")
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert result.stderr == f"aiorg: error: --data: no such directory: {tmp_path / 'nope'}\n"


def test_env_var_points_at_another_knowledge_base(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("people", env={"AIORG_DATA": str(tmp_path)})
    assert result.exit_code == ExitCode.DATA_ERROR
    assert "no .yaml files found" in result.stderr


def test_stats_json() -> None:
    result = run_cli("stats", "--format", "json")
    assert result.exit_code == 0
    counts = {row["kind"]: row["count"] for row in json.loads(result.stdout)}
    assert counts["people"] == 17 and counts["firms"] >= 20 and counts["graph nodes"] > 0


def test_people_left_minimax_table() -> None:
    result = run_cli("people", "--left", "minimax", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Wei Wei" in result.stdout and "魏伟" in result.stdout
    assert "moved to advisor role (has not formally left)" in result.stdout
    assert result.stderr == ""


def test_internal_errors_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import aiorg.queries.people_page

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(aiorg.queries.people_page, "people_page", broken)
    result = run_cli("people")
    assert result.exit_code == ExitCode.INTERNAL_ERROR
    assert result.stderr == "aiorg: internal error: RuntimeError: boom (rerun with --debug for the traceback)\n"


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import aiorg.queries.people_page

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(aiorg.queries.people_page, "people_page", broken)
    with pytest.raises(RuntimeError, match="boom"):
        run_cli("--debug", "people")
