"""Read one YAML file into a small tree of located nodes, refusing YAML's traps.

We never construct Python objects with PyYAML. We read libyaml's event stream and
build the tree ourselves, iteratively, so that:
- every value keeps its line and column for error messages;
- duplicate keys, aliases (billion-laughs bombs), explicit tags (``!!python/...``),
  several documents and absurd nesting are reported instead of silently accepted;
- scalars stay text: the record schema, not YAML 1.1, decides what ``NO`` or
  ``012`` means.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from aiorg.errors import Problem

try:  # the libyaml C parser is 10x faster; fall back to pure Python where absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 128 * 1024 * 1024
MAX_DEPTH = 64
_STR_TAG = "tag:yaml.org,2002:str"
# Characters that cannot appear in XML 1.0 exports or a terminal line.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_RESOLVER = yaml.resolver.Resolver()


@dataclass(slots=True)
class Scalar:
    """A scalar as written; `plain` is False when it was quoted."""

    text: str
    plain: bool
    line: int
    column: int

    def implicit_type(self) -> str | None:
        """What YAML 1.1 would have made of an unquoted scalar: 'bool', 'int', ... or None."""
        if not self.plain:
            return None
        tag: str = _RESOLVER.resolve(yaml.ScalarNode, self.text, (True, False))  # type: ignore[no-untyped-call]
        kind = tag.rsplit(":", 1)[-1]
        return None if kind == "str" else kind


@dataclass(slots=True)
class Mapping:
    """A mapping in file order; keys are plain or quoted strings."""

    items: list[tuple[Scalar, Node]] = field(default_factory=list)
    line: int = 0
    column: int = 0


@dataclass(slots=True)
class Sequence:
    """A list of nodes in file order."""

    items: list[Node] = field(default_factory=list)
    line: int = 0
    column: int = 0


Node = Scalar | Mapping | Sequence


class YamlProblemsError(Exception):
    """Raised with every problem found in one file."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


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
        raise YamlProblemsError(
            [Problem(path, line, column, f"invalid UTF-8 byte 0x{raw[error.start]:02x}; save the file as UTF-8")]
        ) from None


def read_file(path: Path, display: str | None = None) -> Node | None:
    """Read and parse one file; None for an empty or comment-only file."""
    shown = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlProblemsError(
                [Problem(shown, None, None, f"file is {size} bytes; the limit is {MAX_FILE_BYTES} (split it)")]
            )
        raw = path.read_bytes()
    except OSError as error:
        raise YamlProblemsError([Problem(shown, None, None, f"cannot read: {error.strerror}")]) from None
    return parse_text(decode(raw, shown), shown)


def _position(mark: yaml.Mark | None) -> tuple[int | None, int | None]:
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def _syntax_problem(error: yaml.YAMLError, path: str, text: str) -> Problem:
    if isinstance(error, yaml.reader.ReaderError):
        # The reader reports a character offset, not a line; work the line and column out.
        offset = error.position
        reader_line = text.count("\n", 0, offset) + 1
        reader_column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return Problem(path, reader_line, reader_column, f"control character U+{error.character:04X} is not allowed")
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line, column = _position(mark)
        message = " ".join(part for part in (error.context, error.problem) if part) or "invalid YAML"
        if (mark is not None and text[mark.index : mark.index + 1] == "\t") or "'\\t'" in message:
            message += " (hint: indent YAML with spaces, not tabs)"
        return Problem(path, line, column, f"YAML syntax error: {message}")
    return Problem(path, None, None, f"YAML error: {error}")


def _check_chars(text: str, line: int, column: int, path: str, problems: list[Problem]) -> None:
    bad = _FORBIDDEN_CHARS.search(text)
    if bad:
        problems.append(
            Problem(path, line, column, f"control character U+{ord(bad.group()):04X} is not allowed in text")
        )


_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class _Composer:
    """Builds located nodes from libyaml events without recursion; collects problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.root: Node | None = None
        self.stack: list[Mapping | Sequence] = []
        self.pending_keys: list[Scalar | None] = []  # per open mapping: the key awaiting its value
        self.seen_keys: list[dict[str, Scalar]] = []  # per open mapping: keys so far, for duplicates
        self.documents = 0

    def problem(self, line: int, column: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, column, message))

    def fail(self, line: int, column: int, message: str) -> YamlProblemsError:
        """A problem after which parsing cannot usefully go on."""
        self.problem(line, column, message)
        return YamlProblemsError(self.problems)

    def feed(self, event: yaml.Event) -> bool:
        """Handle one event; False means stop reading."""
        mark = event.start_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.problem(line, column, "only one YAML document per file is allowed (remove '---')")
                return False
        elif isinstance(event, yaml.AliasEvent):
            # Reject at the first alias: expanding aliases is how "billion laughs" files blow up.
            raise self.fail(line, column, f"aliases (*{event.anchor}) are not supported; write the value out")
        elif isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.attach(self.start_node(event, line, column), line, column)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            finished = self.stack.pop()
            if isinstance(finished, Mapping):
                self.pending_keys.pop()
                self.seen_keys.pop()
        return True

    def start_node(self, event: yaml.NodeEvent, line: int, column: int) -> Node:
        tag = getattr(event, "tag", None)
        allowed = (_STR_TAG, "!", *(_COLLECTION_TAGS if not isinstance(event, yaml.ScalarEvent) else ()))
        if tag is not None and tag not in allowed:
            self.problem(line, column, f"YAML tags like {tag!r} are not allowed; remove the tag")
        if isinstance(event, yaml.ScalarEvent):
            _check_chars(event.value, line, column, self.path, self.problems)
            return Scalar(event.value, event.style in ("", None) and tag is None, line, column)
        if isinstance(event, yaml.MappingStartEvent):
            return Mapping([], line, column)
        return Sequence([], line, column)

    def attach(self, node: Node, line: int, column: int) -> None:
        if not self.stack:
            self.root = node
        elif isinstance(self.stack[-1], Sequence):
            self.stack[-1].items.append(node)
        elif self.pending_keys[-1] is None:
            self.add_key(node, line, column)
            return
        else:
            key = self.pending_keys[-1]
            assert key is not None
            self.stack[-1].items.append((key, node))
            self.pending_keys[-1] = None
        if isinstance(node, (Mapping, Sequence)):
            if len(self.stack) >= MAX_DEPTH:
                raise self.fail(line, column, f"nesting deeper than {MAX_DEPTH} levels is not allowed")
            self.stack.append(node)
            if isinstance(node, Mapping):
                self.pending_keys.append(None)
                self.seen_keys.append({})

    def add_key(self, node: Node, line: int, column: int) -> None:
        if not isinstance(node, Scalar):
            raise self.fail(line, column, "a mapping key must be a string, not a list or mapping")
        implicit = node.implicit_type()
        if implicit is not None:
            self.problem(line, column, f"key {node.text!r} would be read as {implicit}; quote it")
        previous = self.seen_keys[-1].get(node.text)
        if previous is not None:
            self.problem(
                line, column, f"duplicate key {node.text!r} (first at line {previous.line}); one value would be lost"
            )
        else:
            self.seen_keys[-1][node.text] = node
        self.pending_keys[-1] = node


def parse_text(text: str, path: str) -> Node | None:
    """Parse YAML text to located nodes, collecting every problem before raising."""
    composer = _Composer(path)
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if event is None or not composer.feed(event):
                break
    except yaml.YAMLError as error:
        composer.problems.append(_syntax_problem(error, path, text))
    if composer.problems:
        raise YamlProblemsError(composer.problems)
    return composer.root
