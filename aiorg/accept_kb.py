"""What `aiorg accept` needs to know of the knowledge base: every record by id, where it is
written, and the keys a candidate is matched on (names in either script, a spell's person and
firm, a deal's kind and parties, a metric's subject and date)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from aiorg.accept_yaml import YamlFile, plain
from aiorg.datafiles import data_files, display_path
from aiorg.errors import DataError, Problem
from aiorg.model import NAMED_KINDS, RECORD_KINDS
from aiorg.names import normalise_name, simplifier, singular

#: the name fields of a named record, matched in either script
NAME_FIELDS = ("name", "name_zh", "aliases", "former_names")
_SLUG = re.compile(r"[0-9a-z]+(?:-[0-9a-z]+)*")


def fold(name: str) -> str:
    """A name as names are compared: simplified characters, case, width and separators folded."""
    simplify = simplifier()
    return normalise_name(simplify(name) if simplify is not None else name)


def names_of(record: dict[str, Any]) -> list[str]:
    """Every name a (plain) record gives, as written."""
    out: list[str] = []
    for key in NAME_FIELDS:
        value = record.get(key)
        out.extend(str(v) for v in (value if isinstance(value, list) else [value]) if v)
    return out


def is_slug(text: str) -> bool:
    """True for an id such as 'li-ming' or 'xinghe-2'."""
    return bool(_SLUG.fullmatch(text))


def slug(text: str) -> str:
    """'Li Ming' -> 'li-ming'; '' when the text has no Latin letters or digits."""
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-")


def name_hash(name: str) -> str:
    """Eight hex digits of the folded name: a stable id part for a name with no Latin letters."""
    return hashlib.sha256(fold(name).encode("utf-8")).hexdigest()[:8]


def ref_fields(kind: str) -> tuple[str, ...]:
    """The fields of a kind whose values are ids of other records."""
    return tuple(f.name for f in fields(RECORD_KINDS[kind]) if f.metadata.get("ref") and f.name != "source")


def field_names(cls: type) -> set[str]:
    """Every field name of a model class."""
    return {f.name for f in fields(cls)}


@dataclass(slots=True)
class Existing:
    """A record already in the knowledge base: its plain values, its node and its file."""

    kind: str
    data: dict[str, Any]
    node: yaml.MappingNode
    file: YamlFile

    def sources(self) -> set[str]:
        """The sources the record already cites: its own and its `also` items'."""
        also = self.data.get("also") or []
        return {str(self.data.get("source"))} | {str(a.get("source")) for a in also if isinstance(a, dict)}


@dataclass(slots=True)
class Knowledge:
    """The knowledge base's files, indexed for matching."""

    data_dir: Path
    files: list[YamlFile] = field(default_factory=list)
    records: dict[str, Existing] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    names: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (kind, folded name): ids
    keys: dict[tuple[Any, ...], list[str]] = field(default_factory=dict)  # match key: ids

    @classmethod
    def read(cls, data_dir: Path) -> Knowledge:
        """Compose every data file; raise DataError if one cannot be read."""
        known = cls(data_dir)
        paths, problems = data_files(data_dir) if data_dir.is_dir() else ([], [])
        for path in paths:
            display = str(Path(display_path(path.parent)) / path.name)
            try:
                known.files.append(YamlFile.read(path, display))
            except (OSError, UnicodeDecodeError, ValueError) as error:
                problems.append(Problem(display, None, None, str(error)))
        if problems:
            raise DataError(problems)
        for yaml_file in known.files:
            for kind, sequence in yaml_file.kinds.items():
                if kind not in RECORD_KINDS or sequence is None:
                    continue
                for node in sequence.value:
                    if isinstance(node, yaml.MappingNode):
                        known.add(Existing(kind, plain(node), node, yaml_file))
        return known

    def add(self, record: Existing) -> None:
        """Index a record (one already written, or one this merge adds)."""
        record_id = str(record.data.get("id"))
        self.records.setdefault(record_id, record)
        self.ids.add(record_id)
        self.index(record.kind, record.data, record_id)

    def index(self, kind: str, data: dict[str, Any], record_id: str) -> None:
        """Index a record's match keys under its id."""
        self.ids.add(record_id)
        if kind in NAMED_KINDS:
            for name in names_of(data):
                self.names.setdefault((kind, fold(name)), set()).add(record_id)
        key = match_key(kind, data)
        if key is not None:
            self.keys.setdefault(key, []).append(record_id)

    def file_for(self, kind: str) -> YamlFile | None:
        """The file new records of a kind go to: the one named for the kind, else the first holding it."""
        holding = [f for f in self.files if f.kinds.get(kind) is not None]
        named = [f for f in holding if f.path.stem == kind]
        found = named or holding
        return found[0] if found else None

    def fresh_id(self, base: str) -> str:
        """`base`, or `base-2`, `base-3` ...: an id no record of any kind has; it is taken at once."""
        candidate, number = base, 1
        while candidate in self.ids:
            number += 1
            candidate = f"{base}-{number}"
        self.ids.add(candidate)
        return candidate


def match_key(kind: str, data: dict[str, Any]) -> tuple[Any, ...] | None:
    """What makes two records of a kind the same fact, apart from the id."""
    if kind == "tenures":
        return (kind, str(data.get("person")), str(data.get("firm")))
    if kind == "deals":
        parties = [frozenset(str(v) for v in (data.get(side) or [])) for side in ("buyers", "targets")]
        return (kind, str(data.get("kind")), *parties)
    if kind == "metrics":
        return (kind, str(data.get("subject")), str(data.get("metric")), str(data.get("as_of")))
    return None


def named_id(kind: str, draft_id: str, data: dict[str, Any]) -> str:
    """The id `accept` starts from for a new person, firm, group or product: the drafted id when it
    is a clean slug, else the slug of its Latin name, else the kind and a hash of its name."""
    if is_slug(draft_id) and not draft_id.startswith("new-"):
        return draft_id
    names = names_of(data)
    for name in names:
        latin = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        if latin and len(latin) * 2 >= len(name) and slug(latin) and all(ord(c) < 0x2E80 for c in name):
            return slug(latin)
    return f"{singular(kind)}-{name_hash(names[0] if names else draft_id)}"


def derived_id(kind: str, data: dict[str, Any]) -> str:
    """The id `accept` gives a record of a kind with no clean id of its own, from the fields it is matched by."""
    if kind == "tenures":
        cause = data.get("end_cause")
        return "-".join(str(p) for p in (data.get("person"), data.get("firm"), cause) if p)
    if kind == "deals":
        return "-".join([*(data.get("buyers") or ["unknown"]), *(data.get("targets") or []), str(data.get("kind"))])
    if kind == "metrics":
        return f"{data.get('subject')}-{data.get('metric')}"
    quote = data.get("quote")
    return f"{singular(kind)}-{name_hash(str(quote))}"
