"""Draft an article: find the names, read the facts next to them, and turn each into a candidate
record with its verbatim quote, offset and confidence (the library's one entry point: `draft`)."""

from __future__ import annotations

import datetime
import itertools
import re
from typing import Any

from aiorg.cache import Cache
from aiorg.dates import FuzzyDate
from aiorg.draft import deps
from aiorg.draft.deal_merge import merge_deal
from aiorg.draft.discover import FIRM_WORDS, WELL_KNOWN, discover
from aiorg.draft.facts import Fact, deals, metrics
from aiorg.draft.known import KnownNames, Mention
from aiorg.draft.moves import moves
from aiorg.draft.output import number_repeats, spell_id
from aiorg.draft.roles import appositive, roles, written_with
from aiorg.draft.spells import Spells
from aiorg.draft.text import Article, Span, quote_spans, simplified
from aiorg.draft.values import DateMention, dates
from aiorg.kb import KnowledgeBase
from aiorg.model import SpellState

_FORMER_NAME = re.compile(r"\s*[(（]\s*")
_FORMER_TAIL = re.compile(r"\s*(?:的)?前身|\s*'s former name|,? (?:now|later) ")
_SINGULAR = {"people": "person", "firms": "firm", "groups": "group", "products": "product"}


def draft(
    text: str,
    kb: KnowledgeBase | None,
    published: FuzzyDate,
    language: str = "auto",
    names: KnownNames | None = None,
    cache: Cache | None = None,
) -> list[dict[str, Any]]:
    """Every candidate fact of the article, in text order within each kind. The cache (else the
    one `names` was made with, if any) keeps what drafting reads in the shape that loads fast."""
    deps.require()
    article = Article.read(text, language)
    zh = article.language == "zh"
    known = (names or KnownNames(kb)).find(article)
    if cache is None and names is not None:
        cache = names.cache
    mentions = sorted([*known, *discover(article, known, cache)], key=lambda m: m.start)
    keys = _entity_keys(article.simple, mentions)
    affiliation = _affiliations(article, mentions, keys)
    topic = _topic(mentions, keys)
    facts: list[Fact] = []
    all_dates: list[DateMention] = []
    for number, sentence in enumerate(article.sentences):
        body = article.masked[sentence.start : sentence.end]
        inside = [m for m in mentions if sentence.start <= m.start < sentence.end]
        when = [
            DateMention(a, b, article.text[a:b], d.date)  # quoted as written (上個月), not as matched (上个月)
            for d in dates(body, published, article.language)
            for a, b in [(d.start + sentence.start, d.end + sentence.start)]
        ]
        all_dates.extend(when)
        changes = roles(number, sentence.start, body, inside, when, zh, affiliation, topic)
        facts += changes + moves(number, sentence.start, body, inside, when, zh, changes, lambda m: keys[m.start])
        facts += deals(number, sentence.start, body, inside, when, zh, affiliation)
        facts += metrics(number, sentence.start, body, inside, when)
    out = _entity_candidates(article, mentions, keys)
    out += _fact_candidates(article, _merged(facts, keys), keys)
    _link_moves(out, kb)
    out += [_date_candidate(d) for d in all_dates]
    return out


def _key(mention: Mention) -> str:
    if len(mention.ids) == 1:
        return mention.ids[0]
    if mention.cue.startswith(WELL_KNOWN):  # every spelling of a well-known firm is one firm
        return f"new:{mention.kind}:{mention.cue.removeprefix(WELL_KNOWN)}"
    return f"new:{mention.kind}:{simplified(mention.text)}"


def _entity_keys(text: str, mentions: list[Mention]) -> dict[int, str]:
    """One key per entity: its record id, or (new) the fullest name it is written with."""
    keys: dict[int, str] = {}
    full = [m for m in mentions if not m.ids and ("·" in m.text or " " in m.text)]
    for mention in mentions:
        key = _key(mention)
        if not mention.ids:
            whole = next((f for f in full if f is not mention and _part_of(mention, f)), None)
            if whole is not None:
                key = _key(whole)
        keys[mention.start] = key
    # "Facebook(Meta前身)": a firm's former name written beside it is the same firm
    for before, after in itertools.pairwise(mentions):
        same = before.kind == after.kind == "firms" and not before.ids
        if same and _FORMER_NAME.fullmatch(text[before.end : after.start]) and _FORMER_TAIL.match(text, after.end):
            for mention in mentions:
                if keys[mention.start] == keys[before.start]:
                    keys[mention.start] = keys[after.start]
    return keys


def _part_of(part: Mention, whole: Mention) -> bool:
    """Whether a discovered name is written as part of a fuller one: a transliterated name's part
    ("扎克伯格"), a Latin person's surname ("Okafor"), a firm without its firm word ("Brightwater")."""
    if part.kind != whole.kind:
        return False
    if part.text in whole.text.split("·"):
        return True
    if part.kind == "people":
        return " " in whole.text and whole.text.rsplit(" ", 1)[1] == part.text
    return FIRM_WORDS.sub("", whole.text) == part.text


def _affiliations(article: Article, mentions: list[Mention], keys: dict[int, str]) -> dict[str, Mention]:
    """The firm each person is written with ("作为Meta创始人的马克·扎克伯格": firm, title, name in one
    clause), by record id and by every name of the person: where a spell ends when no firm is
    named, and the buyer a person stands for in a deal."""
    out: dict[str, Mention] = {}
    firms = [m for m in mentions if m.kind == "firms"]
    for mention in mentions:
        if mention.kind == "people" and keys[mention.start] not in out:
            firm = written_with(article.simple, 0, mention, firms) or appositive(article.simple, mention, firms)
            if firm is not None:
                out[keys[mention.start]] = firm
    for mention in mentions:
        if mention.kind == "people" and keys[mention.start] in out:
            out.setdefault(mention.text, out[keys[mention.start]])
            for record_id in mention.ids:
                out.setdefault(record_id, out[keys[mention.start]])
    return out


def _topic(mentions: list[Mention], keys: dict[int, str]) -> Mention | None:
    """The firm the article is about: named at least four times, and more often than any other."""
    counts: dict[str, list[Mention]] = {}
    for mention in mentions:
        if mention.kind == "firms":
            counts.setdefault(keys[mention.start], []).append(mention)
    ranked = sorted(counts.values(), key=len, reverse=True)
    if not ranked or len(ranked[0]) < 4 or (len(ranked) > 1 and len(ranked[1]) == len(ranked[0])):
        return None
    return ranked[0][0]


def _quote(article: Article, fact_spans: list[tuple[int, int]]) -> list[Span]:
    sentence = next(s for s in article.sentences if s.start <= fact_spans[0][0] < s.end + 1)
    spans = quote_spans(article.text, sentence, [Span(a, b) for a, b in fact_spans])
    anchor = fact_spans[0][0]
    spans.sort(key=lambda s: not (s.start <= anchor < s.end))
    return spans


def _located(article: Article, spans: list[Span]) -> dict[str, Any]:
    first, rest = spans[0], spans[1:]
    return {
        "quote": article.text[first.start : first.end],
        "offset": first.start,
        "also": [{"quote": article.text[s.start : s.end], "offset": s.start} for s in rest],
    }


def _entity_candidates(article: Article, mentions: list[Mention], keys: dict[int, str]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for mention in mentions:
        key = keys[mention.start]
        if key in seen:
            names = seen[key].setdefault("written", [])
            if mention.text not in names and mention.text != seen[key]["name_as_written"]:
                names.append(mention.text)
            continue
        sentence = next((s for s in article.sentences if s.start <= mention.start < s.end), None)
        if sentence is None:
            continue
        spans = quote_spans(article.text, sentence, [Span(mention.start, mention.end)])
        if not spans:
            continue
        record: dict[str, Any] = {"kind": _SINGULAR[mention.kind], **_located(article, spans)}
        record["confidence"] = 0.95 if mention.ids else (0.8 if "title" in mention.cue else 0.6)
        record["name_as_written"] = mention.text
        if mention.ids:
            record["id"] = mention.ids[0]
            record["existing"] = True
            if len(mention.ids) > 1:
                record["ambiguous"] = list(mention.ids)
                record["confidence"] = 0.5
        else:
            record["existing"] = False
            record["id"] = _new_id(mention.text, mention.kind)
            record["name"] = mention.text
            plain = simplified(mention.text)
            if plain != mention.text:
                record["name_simplified"] = plain
            record["cue"] = mention.cue
        seen[key] = record
    return list(seen.values())


def _new_id(name: str, kind: str) -> str:
    slug = re.sub(r"[^0-9a-z]+", "-", name.lower()).strip("-")
    return slug if slug and re.fullmatch(r"[0-9a-z-]+", slug) else f"new-{_SINGULAR[kind]}-{simplified(name)}"


def _merged(facts: list[Fact], keys: dict[int, str]) -> list[Fact]:
    """One fact per spell (aiorg.draft.spells) and per deal (aiorg.draft.deal_merge)."""
    out: list[Fact] = []
    spells = Spells(keys)
    for fact in facts:
        if fact.kind == "role_change":
            if (spell := spells.add(fact)) is not None:
                out.append(spell)
        elif fact.kind == "deal":
            merge_deal(out, fact, keys)
        else:
            out.append(fact)
    spells.link()
    return out


def _fact_candidates(article: Article, facts: list[Fact], keys: dict[int, str]) -> list[dict[str, Any]]:
    out = []
    made: dict[int, dict[str, Any]] = {}  # id(spell) -> its candidate
    for fact in facts:
        spans = _quote(article, fact.evidence)
        if not spans:
            continue
        record: dict[str, Any] = {"kind": fact.kind, **_located(article, spans), "confidence": fact.confidence}
        for start, end in fact.extra:  # a deal's sentence quoted already is not quoted again
            quoted = {record["offset"], *(also["offset"] for also in record["also"])} if fact.kind == "deal" else ()
            more = [s for s in _quote(article, [(start, end)]) if s.start not in quoted]
            record["also"] += [{"quote": article.text[s.start : s.end], "offset": s.start} for s in more]
        fields = fact.fields
        if fact.kind == "role_change":
            record |= {
                "person": keys[fields["person"].start].removeprefix("new:people:"),
                "firm": keys[fields["firm"].start].removeprefix("new:firms:"),
                "cause": fields["cause"],
                "title": fields["title"],
                "certainty": fields["certainty"],
                "date": fields["date"].date.text if fields["date"] else None,
                "firm_inferred": fields["firm_inferred"],
            }
            if fields["start"] is not None:  # a spell the article tells both the start and the end of
                record["start"] = fields["start"].date.text
            made[id(fact)] = record
        elif fact.kind == "deal":
            record |= {
                "deal_kind": fields["kind"],
                "buyers": [_plain(keys[m.start]) for m in fields["buyers"]],
                "targets": [_plain(keys[m.start]) for m in fields["targets"]],
                "amount": _money(fields["amount"]),
                "valuation": _money(fields["valuation"]),
                "stake": fields["stake"],
                **_steps(fields.get("steps", [fields["status"]]), fields.get("step_dates", [fields["date"]])),
                "status_inferred": fields["status_inferred"],
                "parties_inferred": fields["parties_inferred"],
                "certainty": fields["certainty"],
                "date": fields["date"].date.text if fields["date"] else None,
            }
        else:
            record |= {
                "subject": _plain(keys[fields["subject"].start]),
                "metric": fields["metric"],
                "value": fields["value"],
                "as_of": fields["date"].date.text if fields["date"] else None,
            }
        out.append(record)
    for fact in facts:  # the spell this one follows (a stated move): _link_moves names it
        if fact.kind == "role_change" and "after" in fact.fields and id(fact) in made:
            made[id(fact)]["after_spell"] = made.get(id(fact.fields["after"]))
    number_repeats(out)
    return out


def _steps(statuses: list[str], dates: list[Any]) -> dict[str, list[Any]]:
    """A deal's steps as told, each with its own sentence's date (or none), the dated ones put in
    date order among themselves (an article may tell the completion before the announcement)."""
    dated = [at for at, day in enumerate(dates) if day is not None]
    ordered = sorted(dated, key=lambda at: (dates[at].date.earliest or datetime.date.min, at))
    place = dict(zip(dated, ordered, strict=True))  # the step each dated position takes
    steps = [place.get(at, at) for at in range(len(statuses))]
    return {
        "status": [statuses[at] for at in steps],
        "step_dates": [dates[at].date.text if dates[at] is not None else None for at in steps],
    }


def _link_moves(candidates: list[dict[str, Any]], kb: KnowledgeBase | None) -> None:
    """Give each spell a move starts its `after`: the id of the person's spell at the firm left,
    the knowledge base's own when it has one (the one not ended, if it has several), else the
    drafted one, which is moved before the spell that names it (aiorg accept maps a drafted id
    to the id it gives that spell)."""
    for joined in [c for c in candidates if c["kind"] == "role_change"]:
        left = joined.pop("after_spell", None)
        if left is None:
            continue
        known = [t for t in (kb.tenures_by_person.get(joined["person"], []) if kb else []) if t.firm == left["firm"]]
        if len(known) > 1:
            known = [t for t in known if t.state is not SpellState.ENDED]
        if len(known) == 1:
            joined["after"] = known[0].id
        else:
            joined["after"] = spell_id(left)
            if candidates.index(left) > candidates.index(joined):
                candidates.remove(left)
                candidates.insert(candidates.index(joined), left)


def _plain(key: str) -> str:
    return key.split(":", 2)[2] if key.startswith("new:") else key


def _money(amount: Any) -> dict[str, str] | None:
    """An amount as JSON: as written, its exact value in plain digits, currency and bound."""
    if amount is None:
        return None
    value = format(amount.value.normalize(), "f")
    return {"text": amount.text, "value": value, "currency": amount.currency, "bound": amount.bound}


def _date_candidate(mention: DateMention) -> dict[str, Any]:
    return {
        "kind": "date",
        "quote": mention.text,
        "offset": mention.start,
        "confidence": 0.9,
        "value": mention.date.text,
        "precision": mention.date.precision.value,
    }
