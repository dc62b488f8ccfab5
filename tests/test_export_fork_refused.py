"""A system that refuses a process (EAGAIN at the process limit, ENOMEM) gets the one-core
export, as split.py promises, not an error blaming the output (found by the second review)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_DATA, run_cli


@pytest.mark.parametrize("fmt", ["json", "graphml"])
def test_a_refused_fork_gives_the_one_core_export(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    want = tmp_path / f"want.{fmt}"
    assert run_cli("export", fmt, str(want), "--data", str(BUNDLED_DATA)).exit_code == 0

    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    pipes = _pipes()
    got = tmp_path / f"got.{fmt}"
    result = run_cli("export", fmt, str(got), "--data", str(BUNDLED_DATA))
    assert (result.exit_code, result.stderr.startswith("wrote")) == (0, True), result.stderr
    assert got.read_bytes() == want.read_bytes()
    assert _pipes() <= pipes  # no pipe left open


def _pipes() -> int:
    """How many pipes this process holds open."""
    found = 0
    for descriptor in Path("/proc/self/fd").iterdir():
        try:
            found += str(descriptor.readlink()).startswith("pipe:")
        except OSError:  # the listing's own descriptor, already closed
            continue
    return found
