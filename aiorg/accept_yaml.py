"""The knowledge base's YAML files as text that `aiorg accept` edits by inserting lines.

A reviewed data file is never dumped again: its comments, blank lines, quoting and key order
stay byte for byte. Each file is composed once (libyaml's node tree keeps every line and
column); a new record is inserted after the last line of its kind's list, a new `also:` item
after the last line of the record it is about, and a new deal step into the deal's history.
A UTF-8 byte order mark is kept. Lists and records an editor wrote in flow style (`[...]`,
`{...}`) are valid data but are never edited: adding to one is refused as a located problem.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TypeAlias

import yaml

from aiorg.errors import DataError, Problem

try:  # the libyaml C composer is 10x faster; fall back to pure Python where absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class TextDumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing every string so that the loader reads it back unchanged."""


class _BlockDumper(TextDumper):
    """Lists inside mappings indented under their key (the knowledge base's style), no aliases."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True  # the loader refuses anchors and aliases


#: Characters YAML counts as line breaks besides "\n" and "\r": NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """A string, double-quoted when it holds a character YAML reads as a line break. Written raw,
    such a character shifts the line of everything after it (libyaml counts it as a line), and a
    NEL in a single-quoted scalar is read back as a space; in double quotes it is an escape
    (\\N, \\L, \\P) that reads back as itself."""
    style = '"' if any(c in value for c in _OTHER_BREAKS) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


TextDumper.add_representer(str, _text)


def render_items(items: list[dict[str, Any]], dash_column: int, newline: str = "\n") -> str:
    """Block-list items as YAML text, each dash at `dash_column`."""
    text = yaml.dump(items, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=4096)
    pad = " " * dash_column
    # Split at "\n" only: str.splitlines would also split inside a quoted value at U+2028 and the like.
    return "".join(pad + line + newline for line in text.split("\n")[:-1])


def plain(node: yaml.Node) -> Any:
    """A node as plain Python: every scalar its text, as written."""
    if isinstance(node, yaml.MappingNode):
        return {str(plain(key)): plain(value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [plain(item) for item in node.value]
    return node.value


def value_of(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    """The value node of `key` in a mapping node."""
    return next((value for k, value in mapping.value if k.value == key), None)


#: a line of an inserted text (0-based) where an item starts, and the item's tag (its line in the draft)
Mark: TypeAlias = tuple[int, int | None]
#: (first line, last line, 1-based, of an inserted item; its tag)
Origin: TypeAlias = tuple[int, int, int | None]
#: a tag for each item inserted, or none
Tags: TypeAlias = list[int | None] | None


@dataclass(slots=True)
class YamlFile:
    """One data file: its text, its lines, and for each record kind it holds, the list's node."""

    path: Path
    text: str
    lines: list[str]
    kinds: dict[str, yaml.SequenceNode | None]
    newline: str
    #: (before line, order, text, marks): each mark is (a line of `text`, 0-based, where an item starts; its tag)
    insertions: list[tuple[int, int, str, list[Mark]]] = field(default_factory=list)
    #: the file's name as problems show it
    display: str = ""
    #: "\ufeff" when the file starts with a UTF-8 byte order mark (written back), else ""
    bom: str = ""

    @classmethod
    def read(cls, path: Path, display: str) -> YamlFile:
        """Compose a data file; a YAML error is a ValueError naming the file."""
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError as error:
            raise ValueError(f"{display}: not valid YAML: {error}") from None
        kinds: dict[str, yaml.SequenceNode | None] = {}
        if isinstance(root, yaml.MappingNode):
            for key, value in root.value:
                kinds[str(key.value)] = value if isinstance(value, yaml.SequenceNode) else None
        newline = "\r\n" if "\r\n" in text else "\n"
        bom = "\ufeff" if raw.startswith(codecs.BOM_UTF8) else ""
        return cls(path, text, text.splitlines(keepends=True), kinds, newline, display=display, bom=bom)

    def last_line(self, node: yaml.Node) -> int:
        """The 0-based index of the last line holding any of the node's text."""
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
            last = node.value[-1]
            return self.last_line(last[1] if isinstance(last, tuple) else last)
        end = node.end_mark
        line = end.line if end.column > 0 else end.line - 1
        while line > node.start_mark.line and not self.lines[line].strip():
            line -= 1
        return line

    def _spaced(self, sequence: yaml.SequenceNode) -> bool:
        """True if the list's items are separated by blank lines (the bundled data's style)."""
        if len(sequence.value) < 2:
            return False
        before = sequence.value[1].start_mark.line - 1
        return not self.lines[before].strip()

    def append_items(
        self, sequence: yaml.SequenceNode, items: list[dict[str, Any]], order: int, tags: Tags = None
    ) -> None:
        """New items at the end of a block list; `tags` (one per item) say where each came from."""
        column = sequence.start_mark.column if sequence.value else 2
        spaced = self._spaced(sequence)
        parts = [render_items([item], column, self.newline) for item in items]
        joiner = self.newline if spaced else ""
        text, marks = _joined(parts, tags, joiner, 1 if spaced else 0)
        self.insertions.append((self.last_line(sequence) + 1, order, joiner + text, marks))

    def insert_item_before(
        self, sequence: yaml.SequenceNode, index: int, item: dict[str, Any], order: int, tag: int | None = None
    ) -> None:
        """A new item just before the item at `index` of a block list."""
        column = sequence.start_mark.column
        text = render_items([item], column, self.newline)
        self.insertions.append((sequence.value[index].start_mark.line, order, text, [(0, tag)]))

    def add_also(self, record: yaml.MappingNode, items: list[dict[str, Any]], order: int, tags: Tags = None) -> None:
        """`also:` items on a record (or a deal step): appended to its list, or a new `also:` key.
        A record written as an inline mapping, or an `also:` that is not a block list (inline, or
        empty), is a DataError at its line: accept does not rewrite what an editor wrote."""
        existing = value_of(record, "also")
        if isinstance(existing, yaml.SequenceNode) and not existing.flow_style and existing.value:
            self.append_items(existing, items, order, tags)
            return
        if record.flow_style:
            self._refuse(record, "this record is an inline mapping ({...})", "a block mapping", tags)
        if existing is not None:
            self._refuse(existing, "its 'also' is not a block list", "a block list", tags)
        column = record.value[0][0].start_mark.column
        text, marks = _joined([render_items([item], column + 2, self.newline) for item in items], tags, "", 1)
        self.insertions.append((self.last_line(record) + 1, order, " " * column + "also:" + self.newline + text, marks))

    def _refuse(self, node: yaml.Node, what: str, how: str, tags: Tags) -> NoReturn:
        """Refuse to add to `node` (written in flow style) as a DataError at its line."""
        lines = sorted({tag for tag in tags or [] if tag is not None})
        which = f" (the draft's line {', '.join(map(str, lines))})" if lines else ""
        message = f"{what}: accept cannot add the draft's claim here{which}; write it as {how}"
        raise DataError(
            [Problem(self.display or str(self.path), node.start_mark.line + 1, node.start_mark.column + 1, message)]
        )

    def edited(self) -> str:
        """The file's text with every insertion made (its byte order mark kept); the original
        text when there is none."""
        if not self.insertions:
            return self.bom + self.text
        lines = list(self.lines)
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += self.newline
        for before, _, text, _ in sorted(self.insertions, key=lambda i: (i[0], i[1]), reverse=True):
            lines.insert(before, text)
        return self.bom + "".join(lines)

    def origins(self) -> list[Origin]:
        """Where each inserted item is in the edited text: (first line, last line, 1-based; its tag)."""
        found: list[Origin] = []
        added = 0  # lines inserted above
        for before, _, text, marks in sorted(self.insertions, key=lambda i: (i[0], i[1])):
            found += _ranges(before + added + 1, text, marks)
            added += text.count("\n")
        return found


def _joined(parts: list[str], tags: Tags, joiner: str, first: int) -> tuple[str, list[Mark]]:
    """Rendered items joined by `joiner`, with the line where each starts: the first at line
    `first` (0-based) of the inserted text they are part of."""
    marks: list[Mark] = []
    line = first
    for index, part in enumerate(parts):
        marks.append((line, tags[index] if tags is not None else None))
        line += part.count("\n") + joiner.count("\n")
    return joiner.join(parts), marks


def _ranges(start: int, text: str, marks: list[Mark]) -> list[Origin]:
    """The 1-based line ranges of the marked items of an inserted `text` that starts at line `start`."""
    ends = [line for line, _ in marks[1:]] + [text.count("\n")]
    return [(start + line, start + end - 1, tag) for (line, tag), end in zip(marks, ends, strict=True)]


def new_file_text(kind: str, records: list[dict[str, Any]], note: str, tags: Tags = None) -> tuple[str, list[Origin]]:
    """A new data file holding one kind's records, and where each record is in it."""
    text, marks = _joined([render_items([record], 2) for record in records], tags, "\n", 0)
    return f"# {note}\n{kind}:\n" + text, _ranges(3, text, marks)


def load_draft(text: str) -> tuple[Any, dict[int, int]]:
    """A draft file as plain Python (PyYAML's safe types), and the line (1-based) where each
    mapping starts, keyed by the mapping's id()."""
    lines: dict[int, int] = {}

    class _Lined(yaml.SafeLoader):
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
            mapping = super().construct_mapping(node, deep=True)
            lines[id(mapping)] = node.start_mark.line + 1
            return mapping

    _Lined.add_constructor(
        "tag:yaml.org,2002:map",
        lambda loader, node: loader.construct_mapping(node),  # type: ignore[arg-type]
    )
    return yaml.load(text, Loader=_Lined), lines  # a SafeLoader subclass
