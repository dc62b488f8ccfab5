"""Find records by any name, title or product category."""

from __future__ import annotations

from typing import Any

from aiorg.kb import KnowledgeBase
from aiorg.model import NAMED_KINDS
from aiorg.names import NAME_FIELDS, NameIndex, in_simplified, normalise_name, singular, texts_in
from aiorg.queries.common import Row, in_list

#: how a row's `field` names the field of a record that a name hit is in
NAME_MATCHES = {
    "name": "name",
    "name_zh": "Chinese name",
    "aliases": "alias",
    "former_names": "former name",
    "id": "id",
}


def search(kb: KnowledgeBase, names: NameIndex, text: str) -> list[Row]:
    """People, firms, groups and products whose names, aliases, titles or products contain `text`,
    or its reading in simplified characters when it is written in traditional ones (張 finds the
    records named 张 and those named 張; a name kept only in traditional characters is found by
    its own characters, not by their simplified reading)."""
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, record_id: str, field: str, matched: str, key: str | None = None) -> None:
        if (record_id, key or field) not in seen:  # one row per record and field: the best-ranked match
            seen.add((record_id, key or field))
            rows.append(
                {"kind": kind, "id": record_id, "name": kb.name_of(record_id), "field": field, "matched": matched}
            )

    simple = in_simplified(text)
    needles = [n for n in dict.fromkeys(normalise_name(t) for t in (text, simple) if t) if n]
    # One pass over the texts for names, titles and categories (a scan, for one or two characters).
    kinds, fields = (*NAMED_KINDS, *_SEARCHED), (*NAME_FIELDS, *_TITLES, *_CATEGORY)
    hits = texts_in(kb, needles, kinds, fields)
    found = names.search(text, hits, also=(simple,) if simple else ())
    kb.prefetch(entry.record_id for entry in found)
    for entry in found:  # a record's best-ranked name only, whichever of its names it is
        add(singular(entry.kind), entry.record_id, NAME_MATCHES[entry.field], entry.name, key="names")
    if not needles:
        return rows
    titled = {hit.seq for hit in hits if hit.kind == "tenures" and hit.field in _TITLES}
    spells = _at(kb, "tenures", titled)
    kb.prefetch(i for tenure in spells for i in (tenure.person, tenure.firm))
    for tenure in spells:
        for title in (tenure.title, tenure.title_zh):
            if title and _holds(title, needles):
                add("person", tenure.person, f"title at {kb.name_of(tenure.firm)}", title)
    categorised = {hit.seq for hit in hits if hit.kind == "products" and hit.field in _CATEGORY}
    for product in _at(kb, "products", categorised):
        if product.category and _holds(product.category, needles):
            add("product", product.id, "category", product.category)
    return rows


#: the other kinds searched (by the fields below): role spells by title, products by category
_SEARCHED = ("tenures", "products")
_TITLES = ("title", "title_zh")
_CATEGORY = ("category",)


def _holds(text: str, needles: list[str]) -> bool:
    normalised = normalise_name(text)
    return any(needle in normalised for needle in needles)


def _at(kb: KnowledgeBase, kind: str, seqs: set[int]) -> list[Any]:
    """The records of a kind at these sequence numbers, in file order."""
    if not seqs:
        return []
    return kb.select(kind, f"seq IN {in_list(seqs)}", tuple(sorted(seqs)))
