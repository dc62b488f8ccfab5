"""Find people, firms, groups and products by any of their names, in either script."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from aiorg.errors import AmbiguousNameError, NotFoundError
from aiorg.kb import KnowledgeBase
from aiorg.model import NAMED_KINDS

# Separators people type or omit freely: "Scale AI" = "ScaleAI", "01.AI" = "01AI", "约翰·詹南德雷亚" = "约翰詹南德雷亚".
_SEPARATORS = re.compile(r"[\s·•・.\-_'’()（）]+")


def normalise_name(text: str) -> str:
    """Case-, width- and separator-insensitive form of a name."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).casefold())


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One name of one record."""

    record_id: str
    kind: str
    name: str


#: the texts of the store joined to the records that carry them
#: (CROSS JOIN keeps this order: texts first, so a scan for one or two characters reads the
#: distinct texts, not a million names; the `+` on kind and field keeps SQLite from walking an
#: index of them instead of the table)
_NAMED = "texts t CROSS JOIN names n ON n.text = t.id CROSS JOIN records r ON r.kind = t.kind AND r.seq = n.seq"
#: the fields that name a record (its id too); titles and categories are searched, not resolved
NAME_FIELDS = ("id", "name", "name_zh", "aliases", "former_names")
_TRIGRAM = 3  # the full-text index finds substrings of at least three characters


@dataclass(frozen=True, slots=True)
class TextHit:
    """One searched text of one record, as the store's name table holds it."""

    norm: str
    kind: str
    record_id: str
    field: str
    text: str
    seq: int
    rowid: int


def _marks(values: tuple[str, ...]) -> str:
    return f"({', '.join('?' * len(values))})"


def texts_containing(kb: KnowledgeBase, needle: str, kinds: tuple[str, ...], fields: tuple[str, ...]) -> list[TextHit]:
    """Every searched text of these kinds and fields whose normalised form contains `needle`
    (itself normalised), through the trigram index, or a scan for one or two characters."""
    if len(needle) >= _TRIGRAM:
        quoted = '"' + needle.replace('"', '""') + '"'
        where = "t.id IN (SELECT rowid FROM texts_fts WHERE texts_fts MATCH ?)"
    else:
        quoted, where = needle, "instr(t.norm, ?) > 0"
    sql = (
        f"SELECT t.norm, t.kind, r.id, t.field, t.text, n.seq, n.rowid FROM {_NAMED}"
        f" WHERE {where} AND +t.kind IN {_marks(kinds)} AND +t.field IN {_marks(fields)}"
    )
    rows = kb.query(sql, (quoted, *kinds, *fields))
    return [TextHit(*row) for row in rows if needle in row[0]]  # the index narrows; this decides


class NameIndex:
    """Every name (id, English, Chinese, alias, former name) of every named record, looked up in
    the store's name table."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb

    def _named(self, where: str, parameters: tuple[str, ...], kinds: tuple[str, ...]) -> list[tuple[str, str]]:
        """(id, kind) of the records of `kinds` with a name matching `where`, each once, in the
        order kinds are listed and then file order."""
        sql = (
            f"SELECT r.id, t.kind, min(n.seq) FROM {_NAMED} WHERE {where} AND +t.kind IN {_marks(kinds)}"
            f" AND +t.field IN {_marks(NAME_FIELDS)} GROUP BY r.id, t.kind"
        )
        rows = self._kb.query(sql, (*parameters, *kinds, *NAME_FIELDS))
        rows.sort(key=lambda row: (kinds.index(row[1]), row[2]))
        return [(str(record_id), str(kind)) for record_id, kind, _ in rows]

    def resolve(self, text: str, kinds: tuple[str, ...] = NAMED_KINDS) -> str:
        """The id of the one record of `kinds` called `text`; raise if none or several."""
        exact = text.strip()
        if self._kb.kind_of(exact) in kinds:
            return exact  # an exact id always wins (the common case in scripts)
        matches = self._named("t.norm = ?", (normalise_name(text),), kinds)
        if len(matches) == 1:
            return matches[0][0]
        if len(matches) > 1:
            raise AmbiguousNameError(text, sorted(f"{m} ({self._kb.name_of(m)})" for m, _ in matches))
        label = " or ".join(k.rstrip("s") if k != "people" else "person" for k in kinds)
        raise NotFoundError(text, self.suggest(text, kinds), label)

    def suggest(self, text: str, kinds: tuple[str, ...] = NAMED_KINDS, limit: int = 3) -> list[str]:
        """The closest known names, for 'did you mean'."""
        sql = (
            f"SELECT DISTINCT t.norm FROM texts t WHERE t.kind IN {_marks(kinds)} AND t.field IN {_marks(NAME_FIELDS)}"
            " AND EXISTS (SELECT 1 FROM names n WHERE n.text = t.id)"  # an edit leaves old texts behind
        )
        keys = [str(key) for (key,) in self._kb.query(sql, (*kinds, *NAME_FIELDS))]
        out: list[str] = []
        for key in difflib.get_close_matches(normalise_name(text), keys, n=limit, cutoff=0.5):
            for record_id, _ in self._named("t.norm = ?", (key,), kinds):
                display = self._kb.name_of(record_id)
                if display not in out:
                    out.append(display)
        return out[:limit]

    def search(self, text: str) -> list[NameEntry]:
        """Every name containing `text` (normalised), best first: where in the name it starts,
        then the shorter name; each record once per name, with the first of its names that reads so."""
        needle = normalise_name(text)
        if not needle:
            return []
        hits = texts_containing(self._kb, needle, NAMED_KINDS, NAME_FIELDS)
        order = {kind: number for number, kind in enumerate(NAMED_KINDS)}
        first_seen: dict[str, tuple[int, int, int]] = {}
        for hit in hits:
            place = (order[hit.kind], hit.seq, hit.rowid)
            first_seen[hit.norm] = min(first_seen.get(hit.norm, place), place)
        best: dict[tuple[str, str], TextHit] = {}  # per name and record: its first name that reads so
        for hit in sorted(hits, key=lambda h: h.rowid):
            best.setdefault((hit.norm, hit.record_id), hit)
        ranked = sorted(
            best.values(),
            key=lambda h: (h.norm.find(needle), len(h.norm), first_seen[h.norm], order[h.kind], h.seq),
        )
        seen: dict[tuple[str, str], NameEntry] = {}
        for hit in ranked:
            seen.setdefault((hit.record_id, hit.text), NameEntry(hit.record_id, hit.kind, hit.text))
        return list(seen.values())
