"""Read one YAML file into PyYAML's node tree, refusing YAML's traps before anything is built.

We compose with libyaml (C) but never construct Python objects: the record schema, not
YAML 1.1, decides what `NO` or `012` means, and every node keeps its line and column.
Before composing we check the things that must not reach the parser or the data:
size, encoding (UTF-8, BOM allowed, UTF-16 refused), control characters, and anchors
(aliases are refused, so a "billion laughs" file is answered at once). libyaml itself
caps nesting at 1000 levels. Duplicate and non-string keys are reported by the loader,
which walks every mapping.
"""

from __future__ import annotations

import codecs
import functools
import os
import re
import stat
import zlib
from pathlib import Path

import yaml

from aiorg.errors import Problem

try:  # the libyaml C parser is 10x faster; fall back to pure Python where absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 128 * 1024 * 1024
# Characters that cannot appear in XML 1.0 exports or a terminal line.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# In the file's text, also the characters YAML reads as line breaks besides \n and \r: libyaml
# counts each as a line, so every later line number would be wrong, and folds NEL to a space.
# Written as double-quoted escapes (\N, \L, \P) they are kept in the value.
_OTHER_BREAKS = {"\x85": "N", "\u2028": "L", "\u2029": "P"}
_FORBIDDEN_IN_TEXT = re.compile(_FORBIDDEN_CHARS.pattern[:-1] + "".join(_OTHER_BREAKS) + "]")
# An anchor (&name) or alias (*name) where a YAML node can start; quoted text like "Tom & Jerry" does not match.
# That is: a sigil at the start of a line or after one of `\s[{,:-?`. Written as "a sigil, not
# preceded by any other character" so the regex engine only stops at sigils (8x faster).
_ANCHOR_ALIAS_OR_TAG = re.compile(r"[&*!](?<![^\s\[{,:\-?][&*!])")
STR_TAG = "tag:yaml.org,2002:str"
PLAIN_TAG = "!plain"  # an unquoted scalar whose YAML 1.1 type is worked out only when it matters

_DEFAULT_TAGS = {
    yaml.ScalarNode: STR_TAG,
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _Composer(_Loader):
    """libyaml's composer with a lean tag resolver: same YAML 1.1 answers, no path resolvers.

    PyYAML's resolver is pure Python and called for every scalar; most of ours (ids, names,
    Chinese text) start with a character no implicit type can start with, so we look that up first.
    """

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        # Plain scalars are typed later, and only where the schema expects text (see implicit_type).
        return PLAIN_TAG if kind is yaml.ScalarNode and implicit[0] else _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        """We use no path resolvers; skip PyYAML's bookkeeping for them."""

    def ascend_resolver(self) -> None:
        """We use no path resolvers; skip PyYAML's bookkeeping for them."""


class YamlProblemsError(Exception):
    """Raised with every problem found in one file."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def position(node: yaml.Node) -> tuple[int, int]:
    """1-based line and column of a node."""
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def implicit_type(node: yaml.ScalarNode) -> str | None:
    """What YAML 1.1 would make of an unquoted scalar ('bool', 'int', ...), or None if it is text.

    Only the quoting style matters: explicit tags never get this far (see _scan)."""
    return None if node.style else implicit_of_text(node.value)


@functools.lru_cache(maxsize=65536)
def implicit_of_text(text: str) -> str | None:
    for tag, pattern in yaml.resolver.Resolver.yaml_implicit_resolvers.get(text[:1] if text else "", ()):
        if pattern.match(text):
            kind = str(tag).rsplit(":", 1)[-1]
            return None if kind == "str" else kind
    return None


def decode(raw: bytes, path: str) -> str:
    """Bytes to text: UTF-8 (a BOM is fine), with the place of any bad byte."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise YamlProblemsError([Problem(path, None, None, "file is UTF-16; save it as UTF-8")])
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        message = f"invalid UTF-8 byte 0x{raw[error.start]:02x}; save the file as UTF-8"
        raise YamlProblemsError([Problem(path, line, column, message)]) from None


def read_bytes(path: Path, display: str) -> bytes:
    """A file's bytes, after checking its size against the documented limit."""
    try:
        # Non-blocking, so a FIFO put in place of the file cannot hang us; then only a regular file is read.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as stream:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                message = "is not a regular file (a FIFO, socket or device); only regular files are read"
                raise YamlProblemsError([Problem(display, None, None, message)])
            if info.st_size > MAX_FILE_BYTES:
                message = f"file is {info.st_size} bytes; the limit is {MAX_FILE_BYTES} (split it)"
                raise YamlProblemsError([Problem(display, None, None, message)])
            return stream.read()
    except OSError as error:
        raise YamlProblemsError([Problem(display, None, None, f"cannot read: {error.strerror}")]) from None


def read_file(path: Path, display: str | None = None) -> yaml.Node | None:
    """Read and compose one file; None for an empty or comment-only file."""
    shown = display or str(path)
    return parse_text(decode(read_bytes(path, shown), shown), shown)


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _scan(text: str, path: str) -> None:
    """Checks on the raw text that are cheaper and safer before parsing."""
    bad = _FORBIDDEN_IN_TEXT.search(text)
    if bad:
        line, column = _offset_position(text, bad.start())
        character = bad.group()
        message = f"control character U+{ord(character):04X} is not allowed"
        if character in _OTHER_BREAKS:
            escape = _OTHER_BREAKS[character]
            message = (
                f"U+{ord(character):04X} is read by YAML as a line break; delete it,"
                f" or write it as \\{escape} inside double quotes"
            )
        raise YamlProblemsError([Problem(path, line, column, message)])
    if _ANCHOR_ALIAS_OR_TAG.search(text):
        _refuse_anchors_and_tags(text, path)


def _refuse_anchors_and_tags(text: str, path: str) -> None:
    """One pass over the tokens. Anchors and aliases are refused (a "billion laughs" needs both),
    and so are tags: `!!python/object/apply:...` must never reach a constructor."""
    loader = _Loader(text)
    problems: list[Problem] = []
    try:
        while loader.check_token():
            token = loader.get_token()
            mark = token.start_mark if token is not None else None
            if token is None or mark is None:
                continue
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                kind, sigil = ("aliases", "*") if isinstance(token, yaml.AliasToken) else ("anchors", "&")
                message = f"{kind} ({sigil}{token.value}) are not supported; write the value out"
                raise YamlProblemsError([*problems, Problem(path, mark.line + 1, mark.column + 1, message)])
            if isinstance(token, yaml.TagToken):
                handle, suffix = token.value
                message = f"YAML tags like '{handle or ''}{suffix}' are not allowed; remove the tag"
                problems.append(Problem(path, mark.line + 1, mark.column + 1, message))
    except yaml.YAMLError:
        pass  # a syntax error; composing reports it with its place
    if problems:
        raise YamlProblemsError(problems)


def forbidden_character(value: str) -> str | None:
    """The first control character or surrogate in `value` (a double-quoted escape can produce one)."""
    match = _FORBIDDEN_CHARS.search(value)
    return match.group() if match else None


def _syntax_problem(error: yaml.YAMLError, path: str, text: str) -> Problem:
    if isinstance(error, yaml.reader.ReaderError):
        reader_line, reader_column = _offset_position(text, error.position)
        return Problem(path, reader_line, reader_column, f"control character U+{error.character:04X} is not allowed")
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line: int | None = mark.line + 1 if mark is not None else None
        column: int | None = mark.column + 1 if mark is not None else None
        message = " ".join(part for part in (error.context, error.problem) if part) or "invalid YAML"
        if message.startswith("expected a single document"):
            message = "only one YAML document per file is allowed (remove '---')"
            return Problem(path, line, column, message)
        if (mark is not None and text[mark.index : mark.index + 1] == "\t") or "'\\t'" in message:
            message += " (hint: indent YAML with spaces, not tabs)"
        return Problem(path, line, column, f"YAML syntax error: {message}")
    return Problem(path, None, None, f"YAML error: {error}")


#: A chunk is at least this long (the last may be shorter). It then ends before the first record
#: whose opening line's hash picks it (one in CUT_ONE_IN), or at the first record start after
#: CHUNK_LIMIT: where chunks end depends only on the text near the cut, so an edit changes the
#: chunk it is in (and rarely the next), and every other chunk's text, hence its cached payload,
#: stays the same (see aiorg.parse.parse_bytes).
CHUNK_CHARS = 16 * 1024
CHUNK_LIMIT = 128 * 1024
CUT_ONE_IN = 8
_RECORD_START = re.compile(r"^  - ", re.MULTILINE)
_TOP_LEVEL_LINE = re.compile(r"\n[^ \n#]")  # a line that starts in column 1 (a key, `---`, ...)
_FIRST_RECORD = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*  - ")  # blank and comment lines, then a record


class ChunkFailedError(Exception):
    """A chunk did not parse on its own; the caller parses the whole file instead."""


def chunk_texts(text: str, path: str) -> list[tuple[int, str]] | None:
    """For a file holding one record kind as a two-space-indented list: (line offset, text) per
    chunk of whole records, each a small YAML document of its own. None if the file is small
    (under two chunks) or not shaped so. Each chunk gets the pre-parse checks when it is composed."""
    if len(text) < 2 * CHUNK_CHARS:
        return None
    header = re.match(r"(?:[ \t]*(?:#[^\n]*)?\n)*[a-z]+:[ \t]*\n", text)  # comments, then `kind:`
    if header is None or _TOP_LEVEL_LINE.search(text, header.end() - 1):
        return None  # more than one top-level key, a document marker, or something unusual: parse whole
    # Every chunk must start with a record: so must the first, after blank and comment lines only
    # (else a chunk of comments reads as `kind:` with no list, or a list indented otherwise as valid).
    first = _FIRST_RECORD.match(text, header.end())
    if first is None:
        return None
    prefix = header.group()
    prefix_lines = prefix.count("\n")
    chunks = []
    start, consumed = header.end(), prefix_lines
    while start < len(text):
        end = _cut(text, start, max(start, first.end()))
        chunks.append((consumed - prefix_lines, prefix + text[start:end]))
        consumed += text.count("\n", start, end)
        start = end
    return chunks


def _cut(text: str, start: int, after: int) -> int:
    """Where the chunk starting at `start` ends: never inside a record, nor before `after`."""
    at = max(start + CHUNK_CHARS, after)
    while at < len(text):
        boundary = _RECORD_START.search(text, at)
        if boundary is None:
            break
        cut = boundary.start()
        line_end = text.find("\n", cut)
        opening = text[cut : line_end if line_end >= 0 else len(text)]
        if cut - start >= CHUNK_LIMIT or zlib.crc32(opening.encode()) % CUT_ONE_IN == 0:
            return cut
        at = cut + 1
    return len(text)


def compose_chunk(chunk: str) -> yaml.Node | None:
    """Check and compose one chunk; ChunkFailedError if it is not clean on its own (the whole
    file is then parsed in one piece, which reports the problem at its exact place)."""
    try:
        _scan(chunk, "")
        root: yaml.Node | None = yaml.compose(chunk, Loader=_Composer)
        return root
    except (yaml.YAMLError, YamlProblemsError):
        raise ChunkFailedError from None


def parse_text(text: str, path: str) -> yaml.Node | None:
    """Compose YAML text into located nodes after the pre-parse checks; raise on any problem."""
    _scan(text, path)
    try:
        root: yaml.Node | None = yaml.compose(text, Loader=_Composer)
        return root
    except yaml.YAMLError as error:
        raise YamlProblemsError([_syntax_problem(error, path, text)]) from None
    except RecursionError:  # only the pure-Python parser recurses; libyaml caps nesting itself
        raise YamlProblemsError([Problem(path, None, None, "nesting is too deep")]) from None
