"""Find records by any name, title or product category."""

from __future__ import annotations

from typing import Any

from aiorg.kb import KnowledgeBase
from aiorg.model import NAMED_KINDS
from aiorg.names import NAME_TEXTS, NameIndex, in_simplified, normalise_name, singular, texts_in
from aiorg.queries.common import Page, Row, first, in_list
from aiorg.queries.inferred import fields_of, mark, name_text, named, unshown
from aiorg.store.schema import READ_SIMPLIFIED

#: how a row's `field` names the field of a record that a name hit is in
_LABELS = {
    "name": "name",
    "name_zh": "Chinese name",
    "aliases": "alias",
    "former_names": "former name",
    "id": "id",
}
#: the same, for a hit on a name's reading in simplified characters (黄志明 finding 黃志明)
_READ = ", read in simplified characters"
NAME_MATCHES = {**_LABELS, **{field + READ_SIMPLIFIED: label + _READ for field, label in _LABELS.items()}}


def search(kb: KnowledgeBase, names: NameIndex, text: str) -> list[Row]:
    """People, firms, groups and products whose names, aliases, titles or products contain `text`,
    or its reading in simplified characters when it is written in traditional ones (張 finds the
    records named 张 and those named 張). A name, title or category kept in traditional
    characters is found by its reading in simplified ones too (张 finds 張 too): the row shows it
    as written and says it was read so (`Chinese name read in simplified characters`). Without
    OpenCC (the `draft` extra) neither the typed text nor the stored ones are read otherwise.

    A text its record marks inferred says so in `matched` ('Meta AI lab (inferred)': an alias the
    source implies), a record's `name` when the record marks its name or Chinese name inferred,
    and a title's `field` names the spell's firm as it is marked (the spell's `firm` or the firm's
    own name inferred), and its person when that is inferred ('title at Meta (inferred)', '...
    (person inferred)').

    A row's `inferred` names those fields, for a machine to read without parsing the texts: the
    record's `name` and `name_zh` and the name field it matched (`aliases`, `former_names`, ...)
    where the record marks them inferred, and for a title the spell's `person`, `firm`, `title`
    or `title_zh`, for a category the product's `category`. A title's firm whose own record
    infers its name is marked in `field` only, as a `people` row marks it in `firm_name`."""
    return search_page(kb, names, text).rows


def search_page(kb: KnowledgeBase, names: NameIndex, text: str, limit: int | None = None) -> Page:
    """The first `limit` rows of `search` (all when None) and how many it has: every match is
    found and ranked from the store's texts, and only the records shown are read for their names."""
    # (id, field or "names") -> the row's kind, id, field, matched text, the record's field that holds a name,
    # and the inferred fields of the spell or product the text is in
    found: dict[tuple[str, str], tuple[str, str, str, str, str | None, list[str]]] = {}

    def add(
        kind: str,
        record_id: str,
        field: str,
        matched: str,
        key: str | None = None,
        name: str | None = None,
        inferred: list[str] | None = None,
    ) -> None:
        # one row per record and field: the best-ranked match
        found.setdefault((record_id, key or field), (kind, record_id, field, matched, name, inferred or []))

    simple = in_simplified(text)
    needles = [n for n in dict.fromkeys(normalise_name(t) for t in (text, simple) if t) if n]
    # One pass over the texts for names, titles and categories (a scan, for one or two characters).
    kinds, fields = (*NAMED_KINDS, *_SEARCHED), (*NAME_TEXTS, *_TITLES, *_CATEGORY)
    hits = texts_in(kb, needles, kinds, fields)
    for entry in names.search(text, hits, also=(simple,) if simple else ()):
        # a record's best-ranked name only, whichever of its names it is
        name_field = entry.field.removesuffix(READ_SIMPLIFIED)
        add(singular(entry.kind), entry.record_id, NAME_MATCHES[entry.field], entry.name, "names", name_field)
    if needles:
        read = {(hit.record_id, hit.text) for hit in hits if hit.field.endswith(READ_SIMPLIFIED)}
        titled = {hit.seq for hit in hits if hit.kind == "tenures" and hit.field in _TITLES}
        spells = _at(kb, "tenures", titled)
        kb.prefetch(tenure.firm for tenure in spells)  # a title's row names its firm
        for tenure in spells:
            for name, title in (("title", tenure.title), ("title_zh", tenure.title_zh)):
                if title and (how := _how(tenure.id, title, needles, read)) is not None:
                    firm = name_text(kb, tenure.firm, tenure, "firm")
                    where = f"title at {firm}{how}{unshown(tenure, ('person',))}"
                    spell = named(fields_of(tenure), ("person", "firm", name))
                    add("person", tenure.person, where, mark(title, tenure, name), inferred=spell)
        categorised = {hit.seq for hit in hits if hit.kind == "products" and hit.field in _CATEGORY}
        for product in _at(kb, "products", categorised):
            if product.category and (how := _how(product.id, product.category, needles, read)) is not None:
                category, inferred = mark(product.category, product, "category"), named(fields_of(product), _OWN)
                add("product", product.id, f"category{how}", category, inferred=inferred)
    shown = list(found.values())[: first(limit, len(found))]
    kb.prefetch(record_id for _, record_id, *_ in shown)
    rows: list[Row] = [
        {
            "kind": kind,
            "id": record_id,
            "name": name_text(kb, record_id),
            "field": field,
            "matched": mark(matched, kb.by_id[record_id], name) if name is not None else matched,
            "inferred": _inferred(kb.by_id[record_id], name, within),
        }
        for kind, record_id, field, matched, name, within in shown
    ]
    return Page(rows, len(found))


def _inferred(record: Any, name: str | None, within: list[str]) -> list[str]:
    """A row's `inferred`: its record's `name` and `name_zh` (shown in `name`) and the name field
    it matched, where the record marks them inferred, then `within`: the fields of the spell
    whose title it matched (`person`, `firm`, the title) or the product's `category`."""
    fields = dict.fromkeys(("name", "name_zh", *((name,) if name is not None else ())))
    return list(dict.fromkeys([*named(fields_of(record), fields), *within]))


#: the other kinds searched (by the fields below): role spells by title, products by category
_SEARCHED = ("tenures", "products")
_TITLES = ("title", "title_zh", *(field + READ_SIMPLIFIED for field in ("title", "title_zh")))
_CATEGORY = ("category", "category" + READ_SIMPLIFIED)
#: a product's field a category row shows
_OWN = ("category",)


def _how(record_id: str, text: str, needles: list[str], read: set[tuple[str, str]]) -> str | None:
    """'' when a record's text holds a needle as written, the note saying so when its reading
    in simplified characters does (a hit on it: `read`), None when neither does."""
    normalised = normalise_name(text)
    if any(needle in normalised for needle in needles):
        return ""
    return _READ if (record_id, text) in read else None


def _at(kb: KnowledgeBase, kind: str, seqs: set[int]) -> list[Any]:
    """The records of a kind at these sequence numbers, in file order."""
    if not seqs:
        return []
    return kb.select(kind, f"seq IN {in_list(seqs)}", tuple(sorted(seqs)))
