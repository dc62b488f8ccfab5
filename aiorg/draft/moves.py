"""Moves between firms: where a sentence says one person left firm A for firm B, the spell at B
comes `after` the spell at A (what `aiorg flows` reads). Only a move the words state is linked,
never two changes that merely share a sentence:

- a departure and a start joined by nothing but a connective, the person's own in both: "left
  Xinghe AI and joined Yunfan Tech", "离开星河智能加入云帆科技", "从星河智能离职后，加入云帆科技";
- a move from one firm to another in one phrase: "从星河智能跳槽到云帆科技", "由A转投B", "moved from
  A to B", "joined B from A". Its person is the one named in its clause before it, else the only
  person the sentence names before it; with neither, nothing is drafted. A move "to A's rival
  B" ("跳槽到星河智能的对手云帆科技") is to B, and a "move" from a firm to the same firm links nothing.

A departure whose firm the draft only guessed (the article's firm, marked inferred) links nothing.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from aiorg.draft.facts import Fact, certainty
from aiorg.draft.known import Mention
from aiorg.draft.roles import NEGATED
from aiorg.draft.values import DateMention

#: what may stand between a departure and the start that follows it, and nothing else
_THEN_ZH = re.compile(r"\s*(?:之后|以后|后)?\s*[，,]?\s*(?:并|随后|随即|转而|后来|又|再)?\s*(?:正式|已经|已)?\s*")
_THEN_EN = re.compile(
    r"\s*,?\s*(?:and\s+|then\s+|before\s+(?:he\s+|she\s+|they\s+)?)?(?:then\s+|later\s+|subsequently\s+)?",
    re.IGNORECASE,
)
#: a move from firm A (before) to firm B (after): the words before A, and the words between them
_FROM_A_ZH = re.compile(r"(?:从|由)\s*$")
_A_TO_B_ZH = re.compile(
    r"\s*(?:离职|辞职|出走|离开)?\s*(?:之后|后)?\s*[，,]?\s*(?:跳槽|转投|转战|转会|投奔|加盟|加入|跳到|转到|转至)(?:到|至|了)?\s*"
)
_FROM_A_EN = re.compile(
    r"\b(?:moved|moves|moving|jumped|jumps|switched|switches|defected|went|came)\s+(?:over\s+)?from\s+$", re.IGNORECASE
)
_A_TO_B_EN = re.compile(r"\s+to\s+", re.IGNORECASE)
#: "joined B from A": the words before B, and between B and A
_JOINED_B_EN = re.compile(r"\b(?:joined|joins|joining)\s+$", re.IGNORECASE)
_B_FROM_A_EN = re.compile(r"\s+from\s+", re.IGNORECASE)
#: what a firm is to the firm named before it: "星河智能的对手云帆科技", "Xinghe AI's rival Yunfan Tech"
_RELATED_ZH = re.compile(r"\s*的\s*(?:主要|最大的?|老)?(?:竞争)?对手(?:公司)?\s*|\s*的\s*(?:子公司|母公司|关联公司)\s*")
_RELATED_EN = re.compile(
    r"(?:'s|’s)\s+(?:main\s+|chief\s+|biggest\s+|closest\s+|longtime\s+)?(?:rival|competitor|subsidiary|parent)\s+",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[，,；;：:（(）)]|——")
_STARTS = ("joined", "appointed")


def moves(
    sentence: int,
    start: int,
    text: str,
    mentions: list[Mention],
    dates: list[DateMention],
    zh: bool,
    facts: list[Fact],
    key: Callable[[Mention], str],
) -> list[Fact]:
    """Link the sentence's role changes (`facts`, from aiorg.draft.roles) that make a move: the
    start at B gets `after`, the departure from A (aiorg.draft.spells finds its spell). Returns the
    spells a one-phrase move adds ("从A跳槽到B": left A, joined B), linked the same way. `text`
    starts at article offset `start`."""
    for left in facts:
        if left.fields["cause"] != "left" or left.fields["firm_inferred"] or len(left.evidence) < 3:
            continue
        cue_start, cue_end = left.evidence[0]
        firm_a = left.fields["firm"]
        named = cue_start < firm_a.start and start <= firm_a.start and firm_a.end <= start + len(text)
        end = firm_a.end if named else cue_end  # "left Xinghe AI and joined": from the firm on
        for joined in facts:
            if joined.fields["cause"] not in _STARTS or len(joined.evidence) < 3 or "after" in joined.fields:
                continue
            same = key(joined.fields["person"]) == key(left.fields["person"])
            other_firm = key(joined.fields["firm"]) != key(firm_a)
            gap = text[end - start : joined.evidence[0][0] - start]
            if same and other_firm and end <= joined.evidence[0][0] and (_THEN_ZH if zh else _THEN_EN).fullmatch(gap):
                joined.fields["after"] = left
    return _phrased(sentence, start, text, mentions, dates, zh, key)


def _phrased(
    sentence: int,
    start: int,
    text: str,
    mentions: list[Mention],
    dates: list[DateMention],
    zh: bool,
    key: Callable[[Mention], str],
) -> list[Fact]:
    """The spells of each one-phrase move in the sentence: left A, and joined B after it. A move
    "to A's rival B" ("跳槽到星河智能的对手云帆科技") is to B; a "move" from a firm to itself is none."""
    firms = [m for m in mentions if m.kind == "firms"]
    from_a, a_to_b = (_FROM_A_ZH, _A_TO_B_ZH) if zh else (_FROM_A_EN, _A_TO_B_EN)
    out: list[Fact] = []
    for index, (first, second) in enumerate(itertools.pairwise(firms)):
        before = text[: first.start - start]
        between = text[first.end - start : second.start - start]
        firm_b: Mention | None
        if (found := from_a.search(before)) and a_to_b.fullmatch(between):
            firm_a, firm_b, at = first, second, found.start()
            if key(firm_b) == key(firm_a):
                firm_b = _related(text, start, firms[index + 2 :], firm_b, zh)
        elif not zh and (found := _JOINED_B_EN.search(before)) and _B_FROM_A_EN.fullmatch(between):
            firm_a, firm_b, at = second, first, found.start()
        else:
            continue
        if firm_b is None or key(firm_b) == key(firm_a) or NEGATED.search(text[:at]):
            continue
        person = _subject(text, start, mentions, at)
        if person is None:
            continue
        phrase = (start + at, max(first.end, second.end))
        when = next((d for d in dates if d.start - start <= at), None)
        fields: dict[str, Any] = {"person": person, "title": None, "date": when, "firm_inferred": False}
        fields["certainty"] = certainty(text, zh)
        spans = [phrase, (person.start, person.end)]
        left = Fact("role_change", fields | {"firm": firm_a, "cause": "left"}, [*spans, _span(firm_a)], sentence, 0.7)
        joined = fields | {"firm": firm_b, "cause": "joined", "after": left}
        out += [left, Fact("role_change", joined, [*spans, _span(firm_b)], sentence, 0.7)]
    return out


def _related(text: str, start: int, rest: list[Mention], named: Mention, zh: bool) -> Mention | None:
    """The firm a move goes to when the firm left is named again to say what it is to it: "到
    星河智能的对手云帆科技", "to Xinghe AI's rival Yunfan Tech" (`named` is the second Xinghe)."""
    if not rest:
        return None
    between = text[named.end - start : rest[0].start - start]
    return rest[0] if (_RELATED_ZH if zh else _RELATED_EN).fullmatch(between) else None


def _subject(text: str, start: int, mentions: list[Mention], at: int) -> Mention | None:
    """Who moves: the last person of the clause before the phrase, else the one person before it."""
    people = [m for m in mentions if m.kind == "people" and m.end - start <= at]
    clause = max((m.end() for m in _CLAUSE.finditer(text, 0, at)), default=0)
    own = [p for p in people if p.start - start >= clause]
    if own:
        return own[-1]
    return people[0] if len({p.text for p in people}) == 1 else None


def _span(mention: Mention) -> tuple[int, int]:
    return mention.start, mention.end
