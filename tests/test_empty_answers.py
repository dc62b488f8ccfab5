"""An empty answer exits 0 and says so in one line on stderr in every format (README "Output"):
a table prints nothing, JSON prints [] and CSV its header, so a script can tell "nothing matched"
from a failure without parsing stdout, and a person reading a JSON file is told too."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli

EMPTY = [
    ("deals", "--min", "1e15"),
    ("people", "--left", "meta", "--since", "2030"),
    ("firms", "--country", "FR"),
    ("conflicts",),
]


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "excel"])
@pytest.mark.parametrize("args", EMPTY, ids=[a[0] for a in EMPTY])
def test_an_empty_answer_says_so_in_every_format(args: tuple[str, ...], fmt: str) -> None:
    result = run_cli(*args, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.strip().split("\n")
    assert len(lines) == 1 and lines[0].startswith("note: "), result.stderr
    if fmt == "table":
        assert result.stdout == ""
    elif fmt == "json":
        assert result.stdout == "[]\n"
    else:
        assert result.stdout.lstrip("\ufeff").count("\n") == 1  # the header only
