"""One error style for every mistake a user can make on the command line, and the global
options (--data, --debug, --no-cache) wherever they are typed. Runs `aiorg.cli.main.main`, the
console script's own entry point, so Click's errors go through the same path as in a terminal."""

from __future__ import annotations

import gc
import shlex
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from aiorg.cli import main as cli_main
from aiorg.errors import ExitCode
from tests.conftest import BUNDLED_DATA, REPO


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


class _ExitedError(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


Runner = Callable[..., Run]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Runner]:
    """`cli(*args)` runs the console script's main() in-process and returns its exit code and streams."""

    def fake_exit(code: int) -> None:
        raise _ExitedError(code)

    monkeypatch.setattr(cli_main, "exit_process", fake_exit)
    monkeypatch.setenv("COLUMNS", "100")

    def run(*args: str) -> Run:
        capsys.readouterr()
        try:
            cli_main.main(list(args))
            code = -1
        except _ExitedError as exited:
            code = exited.code
        finally:
            gc.enable()
        out, err = capsys.readouterr()
        return Run(code, out, err)

    yield run


ONE_LINE_USAGE_ERRORS = [
    (["peple"], "aiorg: error: no such command 'peple'. Did you mean 'people'? (see 'aiorg --help')"),
    (["people", "--left"], "aiorg: error: option '--left' requires an argument (see 'aiorg people --help')"),
    (["person"], "aiorg: error: missing argument 'name' (see 'aiorg person --help')"),
    (["--data", "/no/such/dir", "people"], "aiorg: error: --data: no such directory: /no/such/dir"),
    (["people", "--data", "/no/such/dir"], "aiorg: error: --data: no such directory: /no/such/dir"),
    (
        ["people", "--data", str(BUNDLED_DATA / "people.yaml")],
        f"aiorg: error: --data: {BUNDLED_DATA / 'people.yaml'} is a file, not a knowledge base directory;"
        f" give the directory that holds it: --data {BUNDLED_DATA}",
    ),
    (["strategy", "--rules", "/no/such/rules.yaml"], "aiorg: error: --rules: no such file: /no/such/rules.yaml"),
    (["deals", "--since", "2025-13"], "aiorg: error: --since: '2025-13' has no month 13"),
    (["strategy", "--matrix", "--until", "2025-13"], "aiorg: error: --until: '2025-13' has no month 13"),
    (["people", "--as-of", "2025-13"], "aiorg: error: --as-of: '2025-13' has no month 13"),
    (["timeline", "--since", "2025-13"], "aiorg: error: --since: '2025-13' has no month 13"),
]


@pytest.mark.parametrize(("args", "line"), ONE_LINE_USAGE_ERRORS, ids=[" ".join(a) for a, _ in ONE_LINE_USAGE_ERRORS])
def test_usage_errors_are_one_line_and_exit_2(cli: Runner, args: list[str], line: str) -> None:
    result = cli(*args)
    assert (result.code, result.stdout, result.stderr) == (ExitCode.USAGE_ERROR, "", line + "\n")


def test_a_bad_rules_file_is_a_usage_error_naming_its_place(cli: Runner, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("labels: [\n", encoding="utf-8")
    result = cli("strategy", "--rules", str(rules))
    assert result.code == ExitCode.USAGE_ERROR
    assert result.stderr.startswith(f"{rules}:2:1: YAML syntax error")
    assert result.stderr.endswith("aiorg: 1 problem found in the --rules file\n")


def test_a_missing_aiorg_data_directory_is_named(cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIORG_DATA", "/no/such/kb")
    result = cli("stats")
    assert (result.code, result.stderr) == (
        ExitCode.USAGE_ERROR,
        "aiorg: error: $AIORG_DATA: no such directory: /no/such/kb\n",
    )


@pytest.mark.parametrize("where", ["before", "after"])
def test_global_options_work_before_and_after_the_command(cli: Runner, tmp_path: Path, where: str) -> None:
    copy = tmp_path / "kb"
    shutil.copytree(BUNDLED_DATA, copy / "data")
    shutil.copytree(REPO / "seeds", copy / "seeds")
    people = copy / "data" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("Wei Wei", "Wei Weiwei", 1), encoding="utf-8")
    options = ["--data", str(copy / "data"), "--no-cache"]
    args = [*options, "people", "--left", "minimax"] if where == "before" else ["people", "--left", "minimax", *options]
    result = cli(*args, "--format", "csv")
    assert result.code == ExitCode.OK, result.stderr
    assert "Wei Weiwei" in result.stdout


def test_debug_after_the_command_shows_the_traceback(cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    """The internal-error hint says to rerun with --debug; that works wherever --debug is typed."""
    import aiorg.queries.people_page

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(aiorg.queries.people_page, "people_page", broken)
    hinted = cli("people")
    assert hinted.code == ExitCode.INTERNAL_ERROR
    assert "rerun with --debug" in hinted.stderr
    for args in (["--debug", "people"], ["people", "--debug"]):
        with pytest.raises(RuntimeError, match="boom"):
            cli(*args)


#: For `aiorg draft article.txt ...`: a made-up article, not a report of real events.
FICTIONAL_ARTICLE = (
    "（虚构示例，非真实新闻）据报道，虚构公司星河智能的产品负责人李明已于去年9月离职，加入另一家虚构公司云帆科技。\n"
)


def _examples() -> list[tuple[str, str]]:
    """Every `Example:` line that `aiorg --help` and each command's --help print."""
    from aiorg.cli.main import COMMAND_INDEX, app

    found: list[tuple[str, str]] = []
    for command in ["", *COMMAND_INDEX]:
        from typer.testing import CliRunner

        text = CliRunner().invoke(app, [*command.split(), "--help"]).stdout
        lines = text.splitlines()
        for number, line in enumerate(lines):
            if "Example:" in line:  # Click wraps a long example onto the lines below it
                more = [next_line.strip() for next_line in lines[number + 1 :]]
                rest = more[: more.index("")] if "" in more else more
                found.append((command or "aiorg", " ".join([line.split("Example:", 1)[1].strip(), *rest])))
    return found


@pytest.mark.parametrize(("command", "example"), _examples())
def test_every_example_that_help_prints_runs_as_printed(
    cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, example: str
) -> None:
    """Run from a fresh folder holding `my-kb/` (a copy of the bundled knowledge base), so an
    example that names a path or writes a file works there as it would for a reader."""
    shutil.copytree(BUNDLED_DATA, tmp_path / "my-kb" / "data")
    shutil.copytree(REPO / "seeds", tmp_path / "my-kb" / "seeds")
    (tmp_path / "article.txt").write_text(FICTIONAL_ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    if "draft.yaml" in example:  # as a reader would have it: a draft of the article, every candidate kept
        drafted = cli("--data", "my-kb/data", "draft", "article.txt", "--source-id", "example-2025-06",
                      "--published", "2025-06", "--out", "draft.yaml")  # fmt: skip
        assert drafted.code == ExitCode.OK, drafted.stderr
        draft = tmp_path / "draft.yaml"
        draft.write_text(draft.read_text(encoding="utf-8").replace("review: pending", "review: accept"), "utf-8")
        example = example.replace("aiorg accept", "aiorg --data my-kb/data accept")
    words = shlex.split(example)
    assert words[0] == "aiorg", example
    result = cli(*words[1:])
    assert result.code == ExitCode.OK, (example, result.stderr)
    wrote = [path.name for path in tmp_path.iterdir() if path.name != "my-kb"]
    assert result.stdout.strip() or result.stderr.startswith("ok:") or wrote, example
