"""The change feed as JSON, written from its rows' tuples a batch at a time.

The text is the same, byte for byte, as aiorg.render.render_json writes for the same rows as dicts
(one row per line, Chinese kept readable, keys in order), but no dict is made per row and the
whole text is never held at once: a feed of everything at 100k people is 2.4 million rows and
818 MB of JSON, which took 20 s and 4 GB more than the rest of the command when written in one
piece. Each row is a fixed template of its keys with each value encoded by json's own C string
encoder (a value other than text or null, by json's encoder as render_json's does).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator, Sequence
from typing import IO, Any, cast

from aiorg.changes import Compared, Differences, Key
from aiorg.store import die_with_parent

#: rows encoded and written at a time
BATCH = 20_000
#: record pairs handed to row-making at a time when a feed is written from its differences
PAIRS = 5_000
#: characters of the child's text read back at a time
READ_CHARS = 1 << 22
#: from about this many differing records on, a second process makes and encodes the second half
SPLIT_PAIRS = 50_000

_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
_text = cast(Any, json.encoder).encode_basestring  # the encoder's own, for ensure_ascii=False
_SEPARATOR = ",\n  "


def write_json(rows: Sequence[tuple[Any, ...]], keys: Sequence[str], stream: IO[str]) -> None:
    """Write rows (values in the order of `keys`) as render_json writes the dicts of those keys."""
    out = _Output(stream)
    template = _template(keys)
    for start in range(0, len(rows), BATCH):
        out.add(_encoded(rows[start : start + BATCH], template))
    out.close()


def write_feed_json(compared: Compared, keys: Sequence[str], stream: IO[str]) -> bool:
    """Write the feed of `compared` as write_json writes its rows; whether it had any. A large feed is made on two
    cores: it is cut in two at a key near its middle, and a forked child finds the differences of
    the second part, makes their rows and encodes them into a temporary file while this process
    does the first part and writes it; then the child's text follows (only text crosses, no rows:
    rows sent back to be encoded here cost more than they saved). If the child cannot be made or
    fails, this process does its part too, so the output is the same either way."""
    template = _template(keys)
    middle = compared.middle(SPLIT_PAIRS) if (os.cpu_count() or 1) > 1 and hasattr(os, "fork") else None
    out = _Output(stream)
    with tempfile.TemporaryFile() as spill:
        child = _fork(compared, middle, template, spill) if middle is not None else None
        try:
            for text in _texts(compared.part(None, middle), template):
                out.add(text)
            done = child is not None and _succeeded(child)
            child = None  # reaped
            if done:
                out.copy(spill)
            elif middle is not None:
                for text in _texts(compared.part(middle, None), template):
                    out.add(text)
        finally:
            if child is not None:  # this process is leaving on an error: leave no child
                with contextlib.suppress(OSError):
                    os.kill(child, signal.SIGKILL)
                    os.waitpid(child, 0)
    out.close()
    return out.started


class _Output:
    """The JSON list around the row texts: `[`, the separators, `]` (or `[]` for no rows)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream, self.started = stream, False

    def add(self, text: str, joined: bool = False) -> None:
        """Write rows' text (nothing if empty); `joined`: text that goes on the last text directly."""
        if not text:
            return
        self.stream.write(text if joined else (_SEPARATOR if self.started else "[\n  ") + text)
        self.started = True

    def copy(self, spill: IO[bytes]) -> None:
        """Write the rows' text a child left in `spill` (UTF-8): as bytes straight to a UTF-8
        stream's buffer when there is one (no decoding and encoding again: 2 s of 400 MB), else
        read back as text in pieces."""
        size = spill.seek(0, os.SEEK_END)
        spill.seek(0)
        if not size:
            return
        binary = _utf8_buffer(self.stream)
        if binary is not None:
            self.stream.write(_SEPARATOR if self.started else "[\n  ")
            self.stream.flush()  # what this process wrote goes first
            shutil.copyfileobj(spill, binary, 1 << 22)
            self.started = True
            return
        reader = io.TextIOWrapper(spill, encoding="utf-8", newline="")
        first = True
        while text := reader.read(READ_CHARS):
            self.add(text, joined=not first)  # the child's text is one list of rows, read in pieces
            first = False
        reader.detach()

    def close(self) -> None:
        self.stream.write("\n]\n" if self.started else "[]\n")


def _utf8_buffer(stream: IO[str]) -> IO[bytes] | None:
    """The byte stream under a text stream that writes UTF-8 and "\n" as it is, else None."""
    buffer = getattr(stream, "buffer", None)
    encoding = getattr(stream, "encoding", None)
    if buffer is None or not isinstance(encoding, str) or os.linesep != "\n":
        return None
    try:
        return cast(IO[bytes], buffer) if codecs.lookup(encoding).name == "utf-8" else None
    except LookupError:
        return None


def _fork(compared: Compared, middle: Key, template: str, spill: IO[bytes]) -> int | None:
    """A child writing into `spill` the rows of the records from `middle` on (the texts joined by
    the separator); its process id, or None if none could be made."""
    parent = os.getpid()
    try:
        child = os.fork()
    except OSError:
        return None
    if child:
        return child
    code = 1
    try:
        die_with_parent(parent)
        first = True
        for text in _texts(compared.part(middle, None), template):
            spill.write((b"" if first else _SEPARATOR.encode()) + text.encode("utf-8"))
            first = False
        spill.flush()
        code = 0
    finally:
        os._exit(code)  # never the parent's cleanup or buffered output


def _succeeded(child: int) -> bool:
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _texts(found: Differences, template: str) -> Iterator[str]:
    """The text of the rows of `found`, a few thousand records at a time (empty texts skipped)."""
    for at in range(0, len(found.pairs), PAIRS):
        text = _encoded(found.rows(at, at + PAIRS), template)
        if text:
            yield text


def _template(keys: Sequence[str]) -> str:
    return "{" + ", ".join(_text(key).replace("%", "%%") + ": %s" for key in keys) + "}"


def _encoded(rows: Sequence[tuple[Any, ...]], template: str) -> str:
    """Rows' JSON objects joined by the separator."""
    encode = _ENCODER.encode
    return _SEPARATOR.join(
        [
            template % tuple(["null" if v is None else _text(v) if type(v) is str else encode(v) for v in row])
            for row in rows
        ]
    )
