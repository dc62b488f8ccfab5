"""A fast composer for the plain, regular YAML that knowledge-base files are written in.

libyaml through PyYAML builds a Python mark and event for every token, which makes it the
slowest step of a cold load. This module composes the same node tree, line by line in pure
Python, for a strict subset of YAML:

- block mappings with plain keys, and block sequences of `- ` items (a mapping may start on an
  item's line); each nested block is indented deeper than its parent;
- one-line scalars: plain, double-quoted without a backslash, single-quoted (`''` is a quote);
- one-line flow sequences and mappings of such scalars, `[a, "b"]` and `{date: 2020, quote: 收购}`;
- full-line and trailing comments, blank lines, CRLF line ends.

Anything else (block scalars, multi-line scalars, empty values, tabs, anchors, tags, `?` keys,
quoted keys, document markers, indentless sequences, a `: ` or `#` where it is not certain
what libyaml would make of it) raises OutsideSubsetError, and the caller composes the text with
libyaml. When in doubt we give up: the tree returned must be exactly libyaml's (classes, tags,
values, styles, and the line and column of every start mark). End marks are not kept.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable

import yaml

from aiorg.yamlsource import MAP_TAG, PLAIN_STYLE, PLAIN_TAG, SEQ_TAG, STR_TAG

# Characters outside the subset: anything libyaml reads as a line break or refuses (tab, CR,
# NEL, U+2028/2029, C0/C1 controls, BOM, surrogates, U+FFFE/FFFF).
_OUTSIDE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# Characters that cannot start a plain scalar here (`-` can, when a non-space follows it).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_NO_START = _INDICATORS | {" "}  # what a value's first character must not be for the common case
_END = frozenset(": ")
# A plain scalar inside a flow collection: it stops at a flow indicator; `:`, `#` and `?` make us give up.
_FLOW_PLAIN = re.compile(r"[^,\[\]{}:#?]*")
_MAX_KEY = 1000  # libyaml refuses a simple key longer than 1024 characters
_MAX_DEPTH = 64


class OutsideSubsetError(Exception):
    """The text uses YAML this composer does not handle; compose it with libyaml instead."""


class Mark(tuple[int, int]):
    """Where a node starts (0-based, like libyaml's marks): all that the converter reads."""

    __slots__ = ()
    line = property(operator.itemgetter(0))
    column = property(operator.itemgetter(1))

    def __repr__(self) -> str:
        return f"Mark(line={self.line}, column={self.column})"


# PyYAML's node classes, typed loosely: our start marks are Mark, not yaml.Mark, and end marks None.
_Scalar: Callable[..., yaml.ScalarNode] = yaml.ScalarNode
_Mapping: Callable[..., yaml.MappingNode] = yaml.MappingNode
_Sequence: Callable[..., yaml.SequenceNode] = yaml.SequenceNode
_new = tuple.__new__


def compose(text: str) -> yaml.Node | None:
    """The node tree libyaml would compose from `text` (None for no content), or OutsideSubsetError."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _OUTSIDE.search(text) or "\n---" in text or "\n..." in text or text.startswith(("---", "...")):
        raise OutsideSubsetError
    composer = _Composer(text.split("\n"))
    try:
        return composer.document()
    except (IndexError, RecursionError):  # a line ended where a token was expected; too deep
        raise OutsideSubsetError from None


class _Composer:
    """Composes block structure line by line; `self.i` is the next line to read."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.keys: set[str] = set()  # plain keys already checked
        self.i = 0

    def document(self) -> yaml.Node | None:
        indent = self._skip()
        if indent < 0:
            return None
        if self.lines[self.i].startswith("- ", indent):
            root: yaml.Node = self._sequence(indent, 0)
        else:
            root = self._mapping(indent, indent, 0)
        if self._skip() >= 0:
            raise OutsideSubsetError  # something after the root at a smaller indent
        return root

    def _skip(self) -> int:
        """Move to the next line with content; its indent, or -1 at the end."""
        lines, i = self.lines, self.i
        while i < len(lines):
            line = lines[i]
            content = line.lstrip(" ")
            if content and content[0] != "#":
                self.i = i
                return len(line) - len(content)
            i += 1
        self.i = i
        return -1

    def _sequence(self, indent: int, depth: int) -> yaml.SequenceNode:
        """A block sequence whose `-` items are at column `indent`, starting on line self.i."""
        if depth > _MAX_DEPTH:
            raise OutsideSubsetError
        lines = self.lines
        items: list[yaml.Node] = []
        node = _Sequence(SEQ_TAG, items, _new(Mark, (self.i, indent)), None, False)
        while True:
            i = self.i
            line = lines[i]
            if not line.startswith("- ", indent):
                raise OutsideSubsetError  # an empty item, `-x`, or a key at the sequence's indent
            column = indent + 2
            if line[column] == " ":
                column = len(line) - len(line[column:].lstrip(" "))
            first = line[column]
            if first == "#" or (first == "-" and line[column + 1 : column + 2] in ("", " ")):
                raise OutsideSubsetError  # an item on the next lines, or a sequence in a sequence
            if _key_end(line, column) >= 0:
                items.append(self._mapping(column, indent, depth + 1))
            else:
                items.append(_inline_value(line, column, i, depth))
                self.i = i + 1
            next_indent = self._skip()
            if next_indent < indent:
                return node
            if next_indent != indent:
                raise OutsideSubsetError  # a continuation line, or an item indented differently

    def _mapping(self, column: int, parent: int, depth: int) -> yaml.MappingNode:
        """A block mapping whose keys are at `column`; its first key is on line self.i at that
        column (after a `- ` whose dash is at `parent` if parent < column).

        The loop is written out for the common line, `key: plain value`, whose value was seen before."""
        if depth > _MAX_DEPTH:
            raise OutsideSubsetError
        lines, keys = self.lines, self.keys
        count = len(lines)
        pad = " " * column
        i = self.i
        line = lines[i]
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        node = _Mapping(MAP_TAG, pairs, _new(Mark, (i, column)), None, False)
        while True:
            end = line.find(": ", column)
            if end < 0:  # `key:` ending the line, or not a key line at all
                end = len(line) - 1
                if line[end] != ":":
                    raise OutsideSubsetError
            key = line[column:end]
            if key not in keys:
                _check_key(key)
                keys.add(key)
            start = end + 2
            value = line[start:]
            if value and value[0] not in _NO_START and "#" not in value and ": " not in value and value[-1] not in _END:
                # A plain scalar that surely ends the line: no comment, no `: `, no trailing space or colon.
                pairs.append(
                    (
                        _Scalar(PLAIN_TAG, key, _new(Mark, (i, column)), None, PLAIN_STYLE),
                        _Scalar(PLAIN_TAG, value, _new(Mark, (i, start)), None, PLAIN_STYLE),
                    )
                )
                i += 1
            else:
                key_node = _Scalar(PLAIN_TAG, key, _new(Mark, (i, column)), None, PLAIN_STYLE)
                self.i = i
                pairs.append((key_node, self._value(line, start, column, depth)))
                i = self.i
            if i < count:  # the next line is most often the next key
                line = lines[i]
                if line.startswith(pad) and line[column : column + 1] not in ("", " ", "#"):
                    continue
            self.i = i
            next_indent = self._skip()
            if next_indent == column:
                i = self.i
                line = lines[i]
                continue
            if next_indent < column and (next_indent <= parent or parent == column):
                return node
            raise OutsideSubsetError  # deeper (a continuation) or between this block and its parent

    def _value(self, line: str, start: int, column: int, depth: int) -> yaml.Node:
        """The value of the key on line self.i whose `: ` ends at `start`; self.i moves past it."""
        i = self.i
        if line[start : start + 1] == " ":
            start = len(line) - len(line[start:].lstrip(" "))
        if start < len(line) and line[start] != "#":
            self.i = i + 1
            return _inline_value(line, start, i, depth)
        self.i = i + 1  # `key:` with its value on the next lines
        child = self._skip()
        if child <= column:
            raise OutsideSubsetError  # an empty value or an indentless sequence
        child_line = self.lines[self.i]
        if child_line.startswith("- ", child):
            return self._sequence(child, depth + 1)
        if _key_end(child_line, child) < 0:
            raise OutsideSubsetError  # a scalar on the next line
        return self._mapping(child, child, depth + 1)


def _key_end(line: str, column: int) -> int:
    """Where the `: ` (or a final `:`) after a plain key starting at `column` is, or -1."""
    if line[column] in "\"'[{":
        return -1  # a quoted or flow key: given up on as a value that does not end its line
    end = line.find(": ", column)
    if end < 0:
        end = len(line) - 1
        if line[end] != ":":
            return -1
    comment = line.find(" #", column, end)
    return end if comment < 0 else -1


def _check_key(key: str) -> None:
    """Give up on a key unless it is surely a plain scalar ending at its `:`."""
    if not key or ":" in key or "#" in key or key[-1] == " " or len(key) > _MAX_KEY:
        raise OutsideSubsetError
    _check_plain_start(key)


def _check_plain_start(text: str) -> None:
    first = text[0]
    if first in _INDICATORS and (first != "-" or text[1:2] in ("", " ")):
        raise OutsideSubsetError


def _inline_value(line: str, start: int, i: int, depth: int) -> yaml.Node:
    """The value that starts at `start` (a non-space, not a comment) and ends the line."""
    first = line[start]
    if first == '"' or first == "'":
        value, end = _quoted(line, start)
        _check_end(line, end)
        return _Scalar(STR_TAG, value, _new(Mark, (i, start)), None, first)
    if first == "[" or first == "{":
        node, end = _flow(line, start, i, depth + 1)
        _check_end(line, end)
        return node
    return _Scalar(PLAIN_TAG, _block_plain(line[start:]), _new(Mark, (i, start)), None, PLAIN_STYLE)


def _block_plain(rest: str) -> str:
    """A one-line plain scalar in block context, given the rest of its line."""
    _check_plain_start(rest)
    comment = rest.find(" #")
    value = (rest if comment < 0 else rest[:comment]).rstrip(" ")
    if ": " in value or value[-1] == ":":
        raise OutsideSubsetError  # a key where a value belongs, or a `: ` libyaml would refuse
    return value


def _check_end(line: str, end: int) -> None:
    """After a quoted scalar or a flow collection only spaces and a comment may follow."""
    rest = line[end:]
    if rest and (rest[0] != " " or rest.lstrip(" ")[:1] not in ("", "#")):
        raise OutsideSubsetError


def _quoted(line: str, start: int) -> tuple[str, int]:
    """A one-line quoted scalar starting at `start`: its value and the index after it."""
    if line[start] == '"':
        end = line.find('"', start + 1)
        if end < 0:
            raise OutsideSubsetError  # continues on the next line
        value = line[start + 1 : end]
        if "\\" in value:
            raise OutsideSubsetError  # escapes are left to libyaml
        return value, end + 1
    end = line.find("'", start + 1)
    while end >= 0 and line[end + 1 : end + 2] == "'":
        end = line.find("'", end + 2)
    if end < 0:
        raise OutsideSubsetError
    return line[start + 1 : end].replace("''", "'"), end + 1


def _flow(line: str, start: int, i: int, depth: int) -> tuple[yaml.Node, int]:
    """A flow sequence or mapping that opens at `start` and closes on the same line."""
    if depth > _MAX_DEPTH:
        raise OutsideSubsetError
    is_mapping = line[start] == "{"
    closer = "}" if is_mapping else "]"
    items: list[yaml.Node] = []
    pairs: list[tuple[yaml.Node, yaml.Node]] = []
    at = _skip_spaces(line, start + 1)
    if line[at] == closer:
        at += 1
    else:
        while True:
            if is_mapping:
                key, at = _flow_plain(line, at, i)
                if line[at] != ":" or line[at + 1] != " " or len(key.value) > _MAX_KEY:
                    raise OutsideSubsetError  # no `: `, or a key libyaml would not take as simple
                value, at = _flow_node(line, _skip_spaces(line, at + 2), i, depth)
                pairs.append((key, value))
            else:
                value, at = _flow_node(line, at, i, depth)
                items.append(value)
            at = _skip_spaces(line, at)
            if line[at] == closer:
                at += 1
                break
            if line[at] != ",":
                raise OutsideSubsetError
            at = _skip_spaces(line, at + 1)
            if line[at] in ",]}":
                raise OutsideSubsetError  # an empty entry or a trailing comma
    if is_mapping:
        return _Mapping(MAP_TAG, pairs, _new(Mark, (i, start)), None, True), at
    return _Sequence(SEQ_TAG, items, _new(Mark, (i, start)), None, True), at


def _flow_node(line: str, at: int, i: int, depth: int) -> tuple[yaml.Node, int]:
    first = line[at]
    if first == '"' or first == "'":
        value, end = _quoted(line, at)
        return _Scalar(STR_TAG, value, _new(Mark, (i, at)), None, first), end
    if first == "[" or first == "{":
        return _flow(line, at, i, depth + 1)
    return _flow_plain(line, at, i)


def _flow_plain(line: str, at: int, i: int) -> tuple[yaml.ScalarNode, int]:
    """A plain scalar inside a flow collection, ending at `,[]{}`; `:` only as a key's end."""
    first = line[at]
    if first in _INDICATORS and (first != "-" or line[at + 1 : at + 2] in _NO_START or at + 1 == len(line)):
        raise OutsideSubsetError  # `-` may start one when a character that is no indicator follows
    match = _FLOW_PLAIN.match(line, at + 1)
    assert match is not None  # the pattern matches the empty string
    end = match.end()
    value = line[at:end].rstrip(" ")
    after = line[end : end + 2]
    if after[:1] in ("#", "?") or (after[:1] == ":" and after != ": "):
        raise OutsideSubsetError
    return _Scalar(PLAIN_TAG, value, _new(Mark, (i, at)), None, PLAIN_STYLE), at + len(value)


def _skip_spaces(line: str, at: int) -> int:
    while line[at] == " ":
        at += 1
    return at
