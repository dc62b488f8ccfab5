"""Record blocks: a data file in the usual shape (top-level `kind:` keys over lists of two-space
`  - ` records) cut into the text of each record, without parsing it, for `aiorg changes`: which
blocks differ between two versions of a file, and where a record's `id:` line is."""

from __future__ import annotations

import bisect
import re

from aiorg.model import RECORD_KINDS

_TOP_LEVEL = re.compile(rb"\n[^ \t\n#]")  # a line that starts in column 1 (after its newline)
SECTION_KEY = re.compile(rb"([a-z_]+):[ \t]*(?:#[^\n]*)?")
RECORD = b"\n  - "
# A record's `id:` line: `  - id: x`, `    id: x`, or a flow mapping that begins with its id,
# `  - {id: x, name: ...}` (any other place of an id is found by `has_id_key`).
_ID_LINE = re.compile(rb" *(?:- +)?(?:\{ *)?id: *['\"]?([a-z0-9][a-z0-9._-]*)['\"]? *\r?")
ID_LINES = re.compile(rb"\n *(?:- )?(?:\{ *)?id: *['\"]?([a-z0-9][a-z0-9._-]*)")

#: (kind, block text) of one record, as written in its file
Block = tuple[str, bytes]


def document(kind: str, blocks: list[bytes]) -> bytes:
    return kind.encode() + b":\n" + b"".join(blocks)


def find_ids(ids: set[str], files: dict[str, bytes]) -> dict[str, tuple[str, int]]:
    """Where each record's `id:` line is, in the first file that has one: one pass over each file
    for all the ids (the regex engine skips to each `id:`), not one per id and way of quoting."""
    found: dict[str, tuple[str, int]] = {}
    for path, raw in files.items():
        wanted = sorted(i.encode() for i in ids - found.keys())
        if not wanted:
            break
        ending = rb"['\"]? *(?:\r?$|(?=[,}]))"  # the line's end, or the next key of a flow mapping
        pattern = re.compile(rb"id: *['\"]?(" + b"|".join(map(re.escape, wanted)) + rb")" + ending, re.MULTILINE)
        for match in pattern.finditer(raw):
            record_id = match.group(1).decode()
            line = _ID_LINE.fullmatch(raw, raw.rfind(b"\n", 0, match.start()) + 1, match.end())
            if record_id not in found and line is not None and line.group(1).decode() == record_id:
                found[record_id] = (path, match.start())
    return found


def has_id_key(ids: set[str], raw: bytes) -> bool:
    """Whether a file has an `id` key with one of these values, written any way (`id: x`,
    `{name: N, id: x}`, `"id": "x"`): the file to parse whole for a record `find_ids` missed."""
    if not ids:
        return False
    names = b"|".join(re.escape(i.encode()) for i in sorted(ids))
    return re.search(rb"\bid['\"]? *: *['\"]?(?:" + names + rb")(?![a-z0-9._-])", raw) is not None


def block_at(raw: bytes, tops: list[int], offset: int) -> Block | None:
    """The record block around an id line at `offset` (`tops`: the file's top_lines); None if the
    file is not in the usual shape."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    start = line_start if raw.startswith(b"  - ", line_start) else raw.rfind(RECORD, 0, offset) + 1
    index = bisect.bisect_right(tops, start) - 1
    if start <= 0 or index < 0:
        return None
    key = SECTION_KEY.fullmatch(raw, tops[index], line_end(raw, tops[index]))
    if key is None or key.group(1).decode() not in RECORD_KINDS:
        return None
    ends = [e for e in (raw.find(RECORD, start) + 1, *tops[index + 1 : index + 2]) if e > start]
    end = min(ends, default=len(raw))
    return key.group(1).decode(), raw[start:end].rstrip(b"\n") + b"\n"


def line_end(raw: bytes, at: int) -> int:
    end = raw.find(b"\n", at)
    return len(raw) if end < 0 else end


def top_lines(raw: bytes) -> list[int]:
    """Offsets of the lines that start in column 1 (keys, `---`, a list at the top level)."""
    first = [0] if raw[:1] not in (b"", b" ", b"\t", b"\n", b"#") else []
    return first + [m.start() + 1 for m in _TOP_LEVEL.finditer(raw)]


def split_blocks(
    raw: bytes, start: int = 0, end: int | None = None, tops: list[int] | None = None
) -> list[Block] | None:
    """(kind, block) for the records between `start` and `end` (record boundaries) of a file made
    of `kind:` keys over two-space `  - ` lists; each block is a record's text with any comments
    after it. None for a file of any other shape. `tops`: the file's top_lines, if known."""
    end = len(raw) if end is None else end
    tops = top_lines(raw) if tops is None else tops
    if not tops or not _comments_only(raw[: tops[0]]):
        return None
    blocks: list[Block] = []
    for top, following in zip(tops, [*tops[1:], len(raw)], strict=True):
        key_end = line_end(raw, top)
        key = SECTION_KEY.fullmatch(raw, top, key_end)
        first = raw.find(RECORD, key_end, following)
        if key is None or key.group(1).decode() not in RECORD_KINDS or first < 0:
            return None  # not a record kind, `kind: []`, a list indented otherwise, or no records
        if not _comments_only(raw[key_end:first]):
            return None
        low, high = max(start, first + 1), min(end, following)
        if low >= high:
            continue
        kind = key.group(1).decode()
        pieces = (b"\n" + raw[low:high]).split(RECORD)
        if pieces[0].strip():
            return None  # `start` was not a record boundary: cannot happen, but never guess
        blocks += [(kind, b"  - " + piece.rstrip(b"\n") + b"\n") for piece in pieces[1:]]
    return blocks


def changed_blocks(
    old: bytes, new: bytes, tops: tuple[list[int] | None, list[int] | None] = (None, None)
) -> tuple[list[Block] | None, list[Block] | None]:
    """The blocks of each version of a file that are not in the other. Only the part between the
    longest common beginning and end (widened to whole records) is cut up, so one edit in a
    large file costs a comparison of its bytes, not a parse."""
    prefix = _common_prefix(old, new)
    suffix = _common_suffix(old, new, prefix)
    start = old.rfind(RECORD, 0, prefix) + 1  # the start of the record the first difference is in
    found = old.find(RECORD, len(old) - suffix)  # the first record wholly in the common end
    old_end = found + 1 if found >= 0 else len(old)
    new_end = old_end + len(new) - len(old) if found >= 0 else len(new)
    before, after = split_blocks(old, start, old_end, tops[0]), split_blocks(new, start, new_end, tops[1])
    if before is None or after is None:
        return None, None
    mine, theirs = set(before), set(after)
    return [b for b in before if b not in theirs], [b for b in after if b not in mine]


_STEP = 1 << 16


def _common_prefix(a: bytes, b: bytes) -> int:
    """How many leading bytes are the same (compared a block at a time, then bisected)."""
    limit, size = min(len(a), len(b)), 0
    while size + _STEP <= limit and a[size : size + _STEP] == b[size : size + _STEP]:
        size += _STEP
    low, high = size, min(size + _STEP, limit)
    while low < high:
        middle = (low + high + 1) // 2
        if a[size:middle] == b[size:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: bytes, b: bytes, prefix: int) -> int:
    """How many trailing bytes are the same, not reaching into the common prefix."""
    limit, size = min(len(a), len(b)) - prefix, 0
    while (
        size + _STEP <= limit and a[len(a) - size - _STEP : len(a) - size] == b[len(b) - size - _STEP : len(b) - size]
    ):
        size += _STEP
    low, high = size, min(size + _STEP, limit)
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle : len(a) - size] == b[len(b) - middle : len(b) - size]:
            low = middle
        else:
            high = middle - 1
    return low


def _comments_only(raw: bytes) -> bool:
    return all(not line.strip() or line.lstrip().startswith(b"#") for line in raw.split(b"\n"))
