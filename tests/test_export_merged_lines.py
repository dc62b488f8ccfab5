"""The lines of a two-core export (aiorg.export.lines): two sorted runs merged a chunk at a time
must give the lines in key order, and writing them in a helper thread must write every byte in
order and report a failed write."""

from __future__ import annotations

import io
import threading
from typing import IO, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg.export.lines import Merged, increasing, write_lines

_keys = st.sets(st.text(alphabet="ab\0c", max_size=4), max_size=60)


def _runs(keys: set[str], mine: list[bool]) -> tuple[list[str], list[str]]:
    ordered = sorted(keys)
    chosen = [key for key, here in zip(ordered, mine, strict=False) if here]
    return chosen, [key for key in ordered if key not in set(chosen)]


@given(_keys, st.lists(st.booleans(), max_size=60), st.integers(1, 7))
def test_chunks_give_both_runs_lines_in_key_order(keys: set[str], mine: list[bool], size: int) -> None:
    first, second = _runs(keys, mine)
    merged = Merged(first, [k.encode() for k in first], second, [k.encode() for k in second])
    chunks = list(merged.chunks(size))
    assert [line for chunk in chunks for line in chunk] == [k.encode() for k in sorted(keys)]
    assert all(0 < len(chunk) <= 2 * size for chunk in chunks)
    assert len(merged) == len(keys)


def test_increasing_wants_each_key_after_the_one_before() -> None:
    assert increasing([]) and increasing(["a"]) and increasing(["a", "a\0b", "b"])
    assert not increasing(["a", "a"]) and not increasing(["b", "a"])


class _Binary(io.BytesIO):
    """A binary buffer that notes which threads wrote to it."""

    def __init__(self) -> None:
        super().__init__()
        self.writers: set[int] = set()

    def write(self, data: Any) -> int:
        self.writers.add(threading.get_ident())
        return super().write(data)


class _Text(io.StringIO):
    """A text stream with this binary buffer (as a file's), or none (as a StringIO)."""

    def __init__(self, binary: IO[bytes] | None) -> None:
        super().__init__()
        if binary is not None:
            setattr(self, "buffer", binary)  # noqa: B010 - TextIO's buffer is read-only to mypy


@given(_keys, st.lists(st.booleans(), max_size=60), st.sampled_from([b"", b",\n"]))
def test_written_lines_are_the_merged_lines_joined(keys: set[str], mine: list[bool], separator: bytes) -> None:
    first, second = _runs(keys, mine)
    want = separator.join(k.encode() for k in sorted(keys))
    binary = _Binary()
    write_lines(
        _Text(binary), Merged(first, [k.encode() for k in first], second, [k.encode() for k in second]), separator
    )
    assert binary.getvalue() == want
    plain = _Text(None)  # no binary buffer: written as text
    write_lines(plain, [k.encode() for k in sorted(keys)], separator)
    assert plain.getvalue().encode() == want


def test_lines_are_written_by_a_helper_thread_in_order() -> None:
    lines = [f"{n:06}\n".encode() for n in range(100_000)]  # several chunks
    binary = _Binary()
    write_lines(_Text(binary), lines)
    assert binary.getvalue() == b"".join(lines)
    assert binary.writers and threading.get_ident() not in binary.writers


class _Full(io.BytesIO):
    def __init__(self, fail_at: int) -> None:
        super().__init__()
        self.calls, self.fail_at = 0, fail_at

    def write(self, data: Any) -> int:
        self.calls += 1
        if self.calls == self.fail_at:
            raise OSError(28, "No space left on device")
        return super().write(data)


@pytest.mark.parametrize("fail_at", [1, 2, 7])
def test_a_failed_write_in_the_helper_thread_is_raised_here(fail_at: int) -> None:
    lines = [f"{n:06}\n".encode() for n in range(100_000)]  # 7 chunks
    with pytest.raises(OSError, match="No space left"):
        write_lines(_Text(_Full(fail_at)), lines)
    assert threading.active_count() == 1  # nothing left writing
