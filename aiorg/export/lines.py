"""Written lines of a whole graph export (aiorg.export.split) put in order and written out.

The two processes' lines are two sorted runs. They are merged a chunk at a time as they are
written, and each chunk is written by a helper thread while this one merges the next: the
write (the kernel copying the text into the page cache, 0.2-0.9 s at 100k people depending on
how much memory it must reclaim) then overlaps the merge instead of following it. Only one
write is ever under way, and it is waited for before anything else is written or the stream
is closed.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Iterator
from operator import lt
from types import TracebackType
from typing import IO

#: lines written at a time (a chunk of the merge is at most twice as many)
CHUNK = 16384


class Merged:
    """Two runs of UTF-8 lines, each sorted by its strictly increasing keys, no key in both:
    their lines in key order, made a chunk at a time (`chunks`)."""

    def __init__(self, keys: list[str], lines: list[bytes], more_keys: list[str], more_lines: list[bytes]) -> None:
        self._runs = (keys, lines), (more_keys, more_lines)

    def __len__(self) -> int:
        return sum(len(lines) for _, lines in self._runs)

    def chunks(self, size: int = CHUNK) -> Iterator[list[bytes]]:
        """The lines in key order, at most 2 * size at a time: each chunk goes up to the lesser of
        the keys `size` further on in either run, and its two parts are merged by key."""
        (a_keys, a_lines), (b_keys, b_lines) = self._runs
        a = b = 0
        while a < len(a_keys) or b < len(b_keys):
            if a == len(a_keys):
                bound = b_keys[min(b + size, len(b_keys)) - 1]
            elif b == len(b_keys):
                bound = a_keys[min(a + size, len(a_keys)) - 1]
            else:
                bound = min(a_keys[min(a + size, len(a_keys)) - 1], b_keys[min(b + size, len(b_keys)) - 1])
            a_end, b_end = bisect_right(a_keys, bound, a), bisect_right(b_keys, bound, b)
            if a_end == a or b_end == b:  # one run only up to the bound
                yield a_lines[a:a_end] if b_end == b else b_lines[b:b_end]
            else:
                keys = a_keys[a:a_end] + b_keys[b:b_end]
                lines = a_lines[a:a_end] + b_lines[b:b_end]
                yield [lines[i] for i in sorted(range(len(keys)), key=keys.__getitem__)]
            a, b = a_end, b_end


def increasing(keys: list[str]) -> bool:
    """Whether these keys are strictly increasing (a run Merged can take)."""
    return all(map(lt, keys, keys[1:]))


def write_lines(stream: IO[str], lines: Merged | list[bytes], separator: bytes = b"") -> None:
    """Write UTF-8 lines, `separator` between them, to a text stream: through its binary buffer
    when it has one (they need no decoding and encoding again), a chunk at a time, each written
    by a helper thread while the next is made (see the module's docstring)."""
    stream.flush()
    binary: IO[bytes] | None = getattr(stream, "buffer", None)
    if isinstance(lines, Merged):
        chunks = lines.chunks()
    else:
        chunks = (lines[start : start + CHUNK] for start in range(0, len(lines), CHUNK))
    before = b""
    if binary is None:
        for chunk in chunks:
            stream.write((before + separator.join(chunk)).decode())
            before = separator
        return
    with _Background(binary) as background:
        for chunk in chunks:
            background.write(before + separator.join(chunk))
            before = separator
    binary.flush()


class _Background:
    """Writes to a binary stream one piece at a time in a helper thread. An error writing is
    raised here by the next write or on leaving; leaving always waits for the thread."""

    def __init__(self, binary: IO[bytes]) -> None:
        self._binary = binary
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def write(self, data: bytes) -> None:
        self._wait()
        self._thread = threading.Thread(target=self._write, args=(data,), daemon=True)
        self._thread.start()

    def _write(self, data: bytes) -> None:
        try:
            self._binary.write(data)
        except BaseException as error:  # noqa: BLE001 - raised again in the writing thread
            self._error = error

    def _wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def __enter__(self) -> _Background:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self._wait()
            return
        if self._thread is not None:  # already failing: only make sure nothing is still writing
            self._thread.join()
