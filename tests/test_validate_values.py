"""Values and files that used to get past `validate`: infinite numbers, quotes without words,
and YAML names that are not regular files inside the data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aiorg.convert import has_words
from aiorg.errors import DataError, ExitCode
from aiorg.loader import load
from tests.conftest import REPO, run_cli

_KB = """\
sources:
  - id: s
    title: T
firms:
  - id: f
    name: F
    source: s
    quote: q
deals:
  - id: d
    kind: stake
    buyers: [f]
    amount: {amount}
    history:
      - status: agreed
        source: s
        quote: q
    source: s
    quote: q
"""


def _kb(tmp_path: Path, amount: str = "1e9") -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "kb.yaml").write_text(_KB.format(amount=amount), encoding="utf-8")
    return data


@pytest.mark.parametrize("amount", ["1e400", "'1e400'", "$1e300 trillion", "1e309亿"])
def test_an_infinite_amount_is_refused_where_it_is_written(tmp_path: Path, amount: str) -> None:
    data = _kb(tmp_path, amount)
    with pytest.raises(DataError) as caught:
        load(data)
    assert [(p.line, p.column) for p in caught.value.problems] == [(13, 13)]
    assert caught.value.problems[0].message.endswith("is not a finite number")


def test_deals_as_json_never_prints_infinity(tmp_path: Path) -> None:
    data = _kb(tmp_path, "1e400")
    result = run_cli("--data", str(data), "deals", "--format", "json")
    assert result.exit_code == 1
    assert "Infinity" not in result.stdout
    assert "amount: '1e400' is not a finite number" in result.stderr


def test_a_large_finite_amount_is_still_accepted(tmp_path: Path) -> None:
    assert load(_kb(tmp_path, "1e300")).deals[0].amount is not None


@pytest.mark.parametrize("quote", ["…", "...", " … ... ", "——，。!?", "\u3000", "……"])
def test_a_quote_without_words_has_none(quote: str) -> None:
    assert not has_words(quote)


@pytest.mark.parametrize("quote", ["甲…乙", "a", "49%", "Ⅻ"])
def test_a_quote_with_a_letter_or_digit_has_words(quote: str) -> None:
    assert has_words(quote)


def test_a_link_out_of_the_data_directory_is_refused_and_not_read(tmp_path: Path) -> None:
    data = _kb(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_text("people: [{id: x, name: TOP-SECRET-CONTENT}]\n", encoding="utf-8")
    (data / "evil.yaml").symlink_to(secret)
    result = run_cli("--data", str(data), "validate")
    assert result.exit_code == 1
    assert "TOP-SECRET-CONTENT" not in result.stderr + result.stdout
    assert result.stderr.splitlines()[0] == (
        f"{data / 'evil.yaml'}: is a symbolic link to a file outside the data directory; copy the file in instead"
    )


def test_a_link_within_the_data_directory_is_read(tmp_path: Path) -> None:
    data = _kb(tmp_path)
    (data / "sub").mkdir()
    (data / "kb.yaml").rename(data / "sub" / "real.txt")
    (data / "kb.yaml").symlink_to(Path("sub") / "real.txt")
    assert [d.id for d in load(data).deals] == ["d"]


def test_a_dangling_link_is_reported(tmp_path: Path) -> None:
    data = _kb(tmp_path)
    (data / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    with pytest.raises(DataError) as caught:
        load(data)
    assert [(p.path, p.line, p.message) for p in caught.value.problems] == [
        (str(data / "gone.yaml"), None, "is a symbolic link to a missing file")
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("cached", [True, False])
def test_a_fifo_is_reported_without_blocking(tmp_path: Path, cached: bool) -> None:
    data = _kb(tmp_path)
    if cached:  # a warm store must not hide the new name either
        assert run_cli("--data", str(data), "deals").exit_code == 0
    os.mkfifo(data / "pipe.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "aiorg", "--data", str(data), "deals"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{data / 'pipe.yaml'}: is not a regular file (a FIFO, socket or device); only regular files are read"
    )


def test_inferred_must_name_a_field_of_the_record(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "kb.yaml").write_text(
        "sources:\n  - id: s\n    title: t\nfirms:\n  - id: a\n    name: A\n    source: s\n"
        "    quote: a quote\n    inferred: [parnet]\n",
        encoding="utf-8",
    )
    result = run_cli("--data", str(data), "firms")
    assert result.exit_code == ExitCode.DATA_ERROR
    assert "kb.yaml:5:5: a: inferred: 'parnet' is not a field (did you mean 'parent'?)" in result.stderr
