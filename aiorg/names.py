"""Find people, firms, groups and products by any of their names, in either script."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from aiorg.errors import AmbiguousNameError, NotFoundError
from aiorg.kb import KnowledgeBase
from aiorg.model import NAMED_KINDS
from aiorg.name_words import Term, core, term_matches, terms
from aiorg.store.schema import READ_SIMPLIFIED

# Separators people type or omit freely: "Scale AI" = "ScaleAI", "01.AI" = "01AI", "约翰·詹南德雷亚" = "约翰詹南德雷亚".
_SEPARATORS = re.compile(r"[\s·•・‧∙.\-_'’()（）]+")  # ‧ (U+2027): Taiwan's interpunct


def normalise_name(text: str) -> str:
    """Case-, width- and separator-insensitive form of a name."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).casefold())


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One name of one record, and the field that holds it (one of NAME_TEXTS: as written, or as read)."""

    record_id: str
    kind: str
    name: str
    field: str


#: the texts of the store joined to the records that carry them
#: (CROSS JOIN keeps this order: texts first, so a scan for one or two characters reads the
#: distinct texts, not a million names; the `+` on kind and field keeps SQLite from walking an
#: index of them instead of the table)
_NAMED = "texts t CROSS JOIN names n ON n.text = t.id CROSS JOIN records r ON r.kind = t.kind AND r.seq = n.seq"
#: the fields that name a record (its id too); titles and categories are searched, not resolved
NAME_FIELDS = ("id", "name", "name_zh", "aliases", "former_names")
#: the store's rows of those names as read in simplified characters (see aiorg.store.schema):
#: 黃志明 is found, resolved and made ambiguous by 黄志明 as by itself
READINGS = tuple(field + READ_SIMPLIFIED for field in NAME_FIELDS)
#: the fields of the store's texts that name a record: the names as written, and as read
NAME_TEXTS = (*NAME_FIELDS, *READINGS)
#: which of a record's texts that read alike a search shows: its name before an alias, its id
#: last, a text as written before one read in simplified characters
_PREFERRED = ("name", "name_zh", "aliases", "former_names", *READINGS, "id")
_TRIGRAM = 3  # the full-text index finds substrings of at least three characters
_NEAREST = 200  # names compared letter by letter for 'did you mean', best-ranked by the index first
_CLOSE = 0.6  # how alike (difflib's ratio) a name must be to be suggested for its spelling alone


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


def texts_in(kb: KnowledgeBase, needles: list[str], kinds: tuple[str, ...], fields: tuple[str, ...]) -> list[TextHit]:
    """The texts containing any of these normalised needles, each once (see texts_containing)."""
    if len(needles) == 1:
        return texts_containing(kb, needles[0], kinds, fields)
    return list(dict.fromkeys(hit for needle in needles for hit in texts_containing(kb, needle, kinds, fields)))


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The record a typed name resolved to, and whether only part of a name matched."""

    record_id: str
    partial: bool
    also: tuple[str, ...] = ()  # other records whose names hold every distinctive word of an exact name
    read_as: str | None = None  # the name in simplified characters, when only that matched


@cache
def converter_installed() -> bool:
    """Whether OpenCC (the `draft` extra) is installed, for the store's schema version on every
    command: found without importing OpenCC or aiorg.draft (whose `logging` costs 4 ms)."""
    import importlib.util

    try:
        return importlib.util.find_spec("opencc") is not None
    except (ImportError, ValueError):
        return False


def stored_reading(text: str) -> str | None:
    """A text the store holds, in simplified characters when that differs, else None; always None
    without OpenCC (the rest of the `draft` extra is not needed), or with one that fails to load."""
    if not _HAN.search(text) or not converter_installed():
        return None
    from aiorg.draft.deps import MissingExtraError
    from aiorg.draft.text import simplified

    try:
        simple = simplified(text)
    except MissingExtraError:
        return None
    return simple if simple != text else None


@cache
def simplifier() -> Callable[[str], str] | None:
    """Traditional-to-simplified conversion (OpenCC, from the `draft` extra), or None without it."""
    from aiorg.draft import deps

    try:
        deps.require()
    except deps.MissingExtraError:
        return None
    from aiorg.draft.text import simplified

    return simplified


class AmbiguousMatchError(AmbiguousNameError):
    """Part of a name (a surname, a word, a piece of a Chinese name) names several records."""

    def __init__(self, name: str, candidates: list[str], noun: str, record_ids: list[str]) -> None:
        super().__init__(name, candidates, noun, "give the id or the full name", record_ids)


class OtherKindError(NotFoundError):
    """A name, exactly, of a record of another kind than the one asked for."""

    def __init__(self, name: str, record_id: str, kind: str, wanted: str) -> None:
        self.name, self.suggestions = name, [record_id]
        self.record_id, self.kind, self.wanted = record_id, kind, wanted
        Exception.__init__(self, f"{name!r} is a {singular(kind)} (id {record_id}), not a {wanted}")


def singular(kind: str) -> str:
    """'person' for 'people', 'firm' for 'firms'."""
    return "person" if kind == "people" else kind.rstrip("s")


def _plural_noun(kinds: tuple[str, ...]) -> str:
    return " or ".join(kinds) if len(kinds) < len(NAMED_KINDS) else "records"


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
            f" AND +t.field IN {_marks(NAME_TEXTS)} GROUP BY r.id, t.kind"
        )
        rows = self._kb.query(sql, (*parameters, *kinds, *NAME_TEXTS))
        rows.sort(key=lambda row: (kinds.index(row[1]), row[2]))
        return [(str(record_id), str(kind)) for record_id, kind, _ in rows]

    def resolve(self, text: str, kinds: tuple[str, ...] = NAMED_KINDS) -> str:
        """The id of the one record of `kinds` called `text`; raise if none or several."""
        return self.lookup(text, kinds).record_id

    def lookup(self, text: str, kinds: tuple[str, ...] = NAMED_KINDS) -> NameMatch:
        """The one record of `kinds` that `text` names: an exact id or name first, else the one
        record whose names hold every distinctive word of `text` (see aiorg.name_words). A name in
        traditional characters is also read in simplified ones (陳靜 is 陈静: names are kept in the
        script the article used), and so is every name the store holds (a name typed in simplified
        characters finds 陳靜 written so), and an exact name in either script beats part of one in
        either: 张伟 is ambiguous when one record is 张伟 and another 張偉, typed in either script.
        Without OpenCC (the `draft` extra) no name, typed or stored, is read in the other script.
        Raise AmbiguousNameError if several records match, NotFoundError if none does."""
        exact = text.strip()
        if self._kb.kind_of(exact) in kinds:
            return NameMatch(exact, partial=False)  # an exact id always wins (the common case in scripts)
        simple = in_simplified(text)
        readings = (text,) if simple is None else (text, simple)
        typed = self._named("t.norm = ?", (normalise_name(text),), kinds)
        matches = _merged(typed, self._named("t.norm = ?", (normalise_name(simple),), kinds) if simple else [])
        if len(matches) == 1:  # say so when the names of other records hold it too ("Wang" is an alias)
            found = matches[0][0]
            also = tuple(m for m in _merged(*(self.partial(r, kinds) for r in readings)) if m != found)
            return NameMatch(found, partial=False, also=also, read_as=None if typed else simple)
        if len(matches) > 1:
            ids = sorted(m for m, _ in matches)
            noun = _plural_noun(tuple(dict.fromkeys(k for _, k in matches)))
            raise AmbiguousNameError(text, [f"{self._kb.name_of(m)} [{m}]" for m in ids], noun, record_ids=ids)
        as_typed = self.partial(text, kinds)
        partial = _merged(as_typed, self.partial(simple, kinds) if simple else [])
        if len(partial) == 1:
            return NameMatch(partial[0], partial=True, read_as=None if as_typed else simple)
        if partial:
            self._kb.prefetch(partial[: AmbiguousMatchError.shown])
            shown = [f"{self._kb.name_of(m)} [{m}]" for m in partial[: AmbiguousMatchError.shown]]
            raise AmbiguousMatchError(text, shown + partial[len(shown) :], _plural_noun(kinds), partial)
        wanted = " or ".join(singular(k) for k in kinds)
        others = tuple(k for k in NAMED_KINDS if k not in kinds)
        elsewhere = _merged(*(self._named("t.norm = ?", (normalise_name(r),), others) for r in readings if others))
        if len(elsewhere) == 1:
            raise OtherKindError(text, elsewhere[0][0], elsewhere[0][1], wanted)
        error = NotFoundError(text, self.suggest(text, kinds), wanted)
        if _HAN.search(text) and simplifier() is None:
            from aiorg.draft.deps import INSTALL_HINT

            error.args = (f"{error}; a name in traditional characters is read as simplified with: {INSTALL_HINT}",)
        raise error

    def _holding(self, term: Term, kinds: tuple[str, ...]) -> dict[str, tuple[int, int]]:
        """The records of `kinds` with a name holding `term`, each with its (kind, seq) order."""
        order = {kind: number for number, kind in enumerate(kinds)}
        found: dict[str, tuple[int, int]] = {}
        for hit in texts_containing(self._kb, term.text, kinds, NAME_TEXTS):
            if term_matches(term, hit.text, hit.norm):
                found[hit.record_id] = (order[hit.kind], hit.seq)
        return found

    def names_of(self, record_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
        """(text, normalised) of every name of each of these records."""
        out: dict[str, list[tuple[str, str]]] = {record_id: [] for record_id in record_ids}
        for start in range(0, len(record_ids), 5000):
            chunk = record_ids[start : start + 5000]
            sql = (
                "SELECT r.id, t.text, t.norm FROM records r CROSS JOIN names n ON n.seq = r.seq"
                f" CROSS JOIN texts t ON t.id = n.text AND t.kind = r.kind WHERE r.id IN {_marks(tuple(chunk))}"
                f" AND t.field IN {_marks(NAME_TEXTS)}"
            )
            for record_id, name, norm in self._kb.query(sql, (*chunk, *NAME_TEXTS)):
                out[str(record_id)].append((str(name), str(norm)))
        return out

    def partial(self, text: str, kinds: tuple[str, ...] = NAMED_KINDS) -> list[str]:
        """Ids of the records of `kinds` whose names hold every distinctive term of `text`, in
        kind and file order; when several do, only those holding every term (generic ones too)
        if any does."""
        typed = terms(text)
        # the longest term first: the trigram index finds it, and the fewest records hold it
        distinctive = sorted((term for term in typed if term.distinctive), key=lambda t: -len(t.text))
        if not distinctive:
            return []
        found = self._holding(distinctive[0], kinds)
        rest = [term for term in typed if term is not distinctive[0]]
        if found and rest:  # the other terms are checked on the names of the records found
            names = self.names_of(list(found))
            found = {r: place for r, place in found.items() if all(_held(t, names[r]) for t in rest if t.distinctive)}
            closer = {r: place for r, place in found.items() if all(_held(t, names[r]) for t in rest)}
            found = closer if len(found) > 1 and closer else found
        return sorted(found, key=found.__getitem__)

    def suggest(self, text: str, kinds: tuple[str, ...] = NAMED_KINDS, limit: int = 3) -> list[str]:
        """The closest known names, for 'did you mean': first the records sharing most distinctive
        words or CJK pieces with `text`, then names spelled like its distinctive part (generic
        words such as "AI" or "科技" never make a name look close)."""
        wanted = core(text) or normalise_name(text)
        order = {kind: number for number, kind in enumerate(kinds)}
        scores: dict[str, tuple[int, float, int, int]] = {}  # terms held, likeness, kind, seq

        shared: dict[str, set[str]] = {}  # record id: the distinctive terms its names hold
        places: dict[str, tuple[str, int]] = {}
        distinctive = [t for t in terms(text) if t.distinctive]
        if any(len(t.text) >= _TRIGRAM for t in distinctive):  # a short word ("17") costs a scan; likeness covers it
            distinctive = [t for t in distinctive if len(t.text) >= _TRIGRAM]
        for term in distinctive:
            for hit in texts_containing(self._kb, term.text, kinds, NAME_TEXTS):
                if term_matches(term, hit.text, hit.norm):
                    shared.setdefault(hit.record_id, set()).add(term.text)
                    places[hit.record_id] = (hit.kind, hit.seq)

        def score(record_id: str, kind: str, seq: int, name: str) -> None:
            likeness = max(_likeness(wanted, c) for c in (core(name) or normalise_name(name), *_pieces(name)))
            holds = len(shared.get(record_id, ()))
            if holds or likeness >= _CLOSE:
                best = scores.get(record_id, (0, 0.0, 0, 0))
                scores[record_id] = max(best, (holds, likeness, -order[kind], -seq))

        for hit in self._spelled_like(wanted, kinds):
            score(hit.record_id, hit.kind, hit.seq, hit.norm if hit.field in READINGS else hit.text)
        most = max((len(held) for held in shared.values()), default=0)
        sharing_most = [record_id for record_id, held in shared.items() if len(held) == most]
        if len(sharing_most) <= _NEAREST:  # else (a common surname) the nearest spellings stand for them
            for record_id, names in self.names_of(sharing_most).items():
                for name, _ in names:
                    score(record_id, *places[record_id], name)
        ranked = sorted(scores, key=scores.__getitem__, reverse=True)[:limit]
        self._kb.prefetch(ranked)
        return [self._kb.name_of(record_id) for record_id in ranked]

    def _spelled_like(self, wanted: str, kinds: tuple[str, ...]) -> list[TextHit]:
        """Names sharing the most three-character pieces with `wanted`, through the trigram index."""
        grams = sorted({wanted[i : i + _TRIGRAM] for i in range(len(wanted) - _TRIGRAM + 1)})
        if not grams:
            return []
        match = " OR ".join('"' + gram.replace('"', '""') + '"' for gram in grams)
        sql = (
            f"SELECT t.norm, t.kind, r.id, t.field, t.text, n.seq, n.rowid FROM (SELECT f.rowid AS id FROM texts_fts f"
            f" CROSS JOIN texts x ON x.id = f.rowid WHERE texts_fts MATCH ? AND x.kind IN {_marks(kinds)}"
            f" AND x.field IN {_marks(NAME_TEXTS)} ORDER BY f.rank LIMIT {_NEAREST}) near"
            f" CROSS JOIN texts t ON t.id = near.id CROSS JOIN names n ON n.text = t.id"
            " CROSS JOIN records r ON r.kind = t.kind AND r.seq = n.seq"
        )
        return [TextHit(*row) for row in self._kb.query(sql, (match, *kinds, *NAME_TEXTS))]

    def search(self, text: str, found: list[TextHit] | None = None, also: tuple[str, ...] = ()) -> list[NameEntry]:
        """Every name containing `text` or one of the readings `also` (normalised), best first:
        where in the name one starts, then the shorter name, then the name holding `text` as
        typed, then a name written so before one read so in simplified characters; each record
        once per name, with the first of its names that reads so (a name before an alias or former
        name, its id last). An entry found through a reading has the reading's field (READINGS)
        and the name as written (黃志明 for 黄志明).
        `found`: the texts containing them, when the caller read them (of any kinds and fields)."""
        needles = [needle for needle in dict.fromkeys(map(normalise_name, (text, *also))) if needle]
        if not needles:
            return []
        if found is None:
            found = texts_in(self._kb, needles, NAMED_KINDS, NAME_TEXTS)
        hits = [hit for hit in found if hit.kind in NAMED_KINDS and hit.field in NAME_TEXTS]
        order = {kind: number for number, kind in enumerate(NAMED_KINDS)}
        first_seen: dict[str, tuple[int, int, int]] = {}
        for hit in hits:
            place = (order[hit.kind], hit.seq, hit.rowid)
            first_seen[hit.norm] = min(first_seen.get(hit.norm, place), place)
        best: dict[tuple[str, str], TextHit] = {}  # per name and record: its first name that reads so
        for hit in sorted(hits, key=lambda h: (_PREFERRED.index(h.field), h.rowid)):
            best.setdefault((hit.norm, hit.record_id), hit)
        ranked = sorted(
            best.values(),
            key=lambda h: (
                _starts(h.norm, needles),
                len(h.norm),
                needles[0] not in h.norm,
                h.field in READINGS,  # a name written as typed before one read so
                first_seen[h.norm],
                order[h.kind],
                h.seq,
            ),
        )
        seen: dict[tuple[str, str], NameEntry] = {}
        for hit in ranked:
            seen.setdefault((hit.record_id, hit.text), NameEntry(hit.record_id, hit.kind, hit.text, hit.field))
        return list(seen.values())


def in_simplified(text: str) -> str | None:
    """`text` in simplified characters when that differs (and the converter is installed), else None."""
    if not _HAN.search(text):
        return None
    simplify = simplifier()
    simple = simplify(text) if simplify is not None else text
    return simple if simple != text else None


_T = TypeVar("_T")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _merged(*found: list[_T]) -> list[_T]:
    """The items of these lists, each once, in the order first met."""
    return list(dict.fromkeys(item for items in found for item in items))


def _starts(norm: str, needles: list[str]) -> int:
    """Where in a normalised name the first of these needles it holds begins."""
    if len(needles) == 1:  # the common case, for every hit of a search
        return norm.find(needles[0])
    return min((at for at in (norm.find(needle) for needle in needles) if at >= 0), default=len(norm))


def _held(term: Term, names: list[tuple[str, str]]) -> bool:
    """Whether one of these (text, normalised) names holds the term."""
    return any(term_matches(term, name, norm) for name, norm in names)


def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _pieces(name: str) -> list[str]:
    """The distinctive terms of a name, each compared on its own ("苏茨克佛" is close to 苏茨克弗)."""
    return [term.text for term in terms(name) if term.distinctive]
