"""Find records by any name, title or product category."""

from __future__ import annotations

from typing import Any

from aiorg.kb import KnowledgeBase
from aiorg.model import NAMED_KINDS
from aiorg.names import NAME_FIELDS, NameIndex, normalise_name, texts_containing
from aiorg.queries.common import Row, in_list


def search(kb: KnowledgeBase, names: NameIndex, text: str) -> list[Row]:
    """People, firms, groups and products whose names, aliases, titles or products contain `text`."""
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, record_id: str, field: str, matched: str) -> None:
        if (record_id, field) not in seen:  # one row per record and field: the best-ranked match
            seen.add((record_id, field))
            rows.append(
                {"kind": kind, "id": record_id, "name": kb.name_of(record_id), "field": field, "matched": matched}
            )

    needle = normalise_name(text)
    # One pass over the texts for names, titles and categories (a scan, for one or two characters).
    hits = (
        texts_containing(kb, needle, (*NAMED_KINDS, *_SEARCHED), (*NAME_FIELDS, *_TITLES, *_CATEGORY)) if needle else []
    )
    found = names.search(text, hits)
    kb.prefetch(entry.record_id for entry in found)
    for entry in found:
        add(entry.kind.rstrip("s") if entry.kind != "people" else "person", entry.record_id, "name", entry.name)
    if not needle:
        return rows
    titled = {hit.seq for hit in hits if hit.kind == "tenures" and hit.field in _TITLES}
    spells = _at(kb, "tenures", titled)
    kb.prefetch(i for tenure in spells for i in (tenure.person, tenure.firm))
    for tenure in spells:
        for title in (tenure.title, tenure.title_zh):
            if title and needle in normalise_name(title):
                add("person", tenure.person, f"title at {kb.name_of(tenure.firm)}", title)
    categorised = {hit.seq for hit in hits if hit.kind == "products" and hit.field in _CATEGORY}
    for product in _at(kb, "products", categorised):
        if product.category and needle in normalise_name(product.category):
            add("product", product.id, "category", product.category)
    return rows


#: the other kinds searched (by the fields below): role spells by title, products by category
_SEARCHED = ("tenures", "products")
_TITLES = ("title", "title_zh")
_CATEGORY = ("category",)


def _at(kb: KnowledgeBase, kind: str, seqs: set[int]) -> list[Any]:
    """The records of a kind at these sequence numbers, in file order."""
    if not seqs:
        return []
    return kb.select(kind, f"seq IN {in_list(seqs)}", tuple(sorted(seqs)))
