"""Role changes read clause by clause: each cue goes to the one person it is about.

A sentence is cut into clauses at commas, semicolons, colons and brackets (not at the list mark
、). A cue ("离职", "joined") belongs to the nearest person before it in its clause; a clause with
no person continues the subject of the clause before it ("张前川因个人原因淡出公司事务 ,改任产品
顾问一职"), unless it names a subject of its own that is not a name ("多位高管离开公司"). An
object cue ("任命", "hired") belongs to the first person after it. A cue that governs a list
("相继离开", "均…离开", "all left") is given to every person listed with a firm and title in the
sentence, and only then. "前FIRM TITLE PERSON" ("former Acme CTO Jane Doe") says the spell at that
one firm ended.

The firm of a spell that ends is the one the cue names (淡出苹果公司, 从月之暗面离职, left Acme),
else the firm the person is written with in the sentence (firm, title, name, with no clause
mark between: a publisher named in another clause, "字母榜获悉,…张心皓", never counts), else the
one the article writes them with elsewhere. A spell that starts is at the firm after the cue
(加入Meta, 担任谷歌…, joined Acme).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from aiorg.draft.cues import ROLE_CUES_EN, ROLE_CUES_ZH, TITLES_EN, TITLES_ZH, pattern
from aiorg.draft.facts import Fact, certainty
from aiorg.draft.known import Mention
from aiorg.draft.values import DateMention

_CLAUSE = re.compile(r"[，,；;：:（(）)]|——")
_TITLE = re.compile(rf"(?:{pattern(TITLES_ZH)}|{pattern(TITLES_EN)})", re.IGNORECASE)
NEGATED = re.compile(r"(?:防止|避免|不会|没有|未曾|拒绝|否认|whether|denied|not)[^，,。;；]{0,20}$", re.IGNORECASE)
#: a cue whose person comes after it
_OBJECT_ZH = re.compile(r"任命|挖来|聘请|招来")
_OBJECT_EN = re.compile(r"\b(?:hired|appointed|named|recruited|poached)\b", re.IGNORECASE)
_PASSIVE_EN = re.compile(r"\b(?:was|were|been|be|is|being)\s+$", re.IGNORECASE)
#: "赵磊于上周被伽马公司任命为总裁": the person before 被 is the one appointed, by the firm after it
_PASSIVE_ZH = re.compile(r"被(?![爆曝传指称])[^，,。;；]{0,16}$")  # not 被爆料 (reported)
#: a cue that governs a list of people
_COLLECTIVE = re.compile(r"(?:相继|均|都|纷纷|先后|一批)\S{0,4}$|\b(?:all|both|each)\s+(?:\w+\s+)?$", re.IGNORECASE)
#: a clause's own subject that is not a name: the cue is about them, not an earlier person
_OWN_SUBJECT = re.compile(r"高管|员工|成员|人员|他们|她们|我们|官方|团队|公司|\S们")
#: in English the subject opens the clause ("the company's chief scientist" and "left the company" name none)
_OWN_SUBJECT_EN = re.compile(
    r"\s*(?:and\s+)?(?:the\s+|its\s+|their\s+|several\s+|many\s+|some\s+|other\s+)?"
    r"(?:they|executives|staff|employees|company|researchers|engineers|people)\b(?!['’]s)",
    re.IGNORECASE,
)
#: "the head of research at ", "a vice president of ": an apposition's title, then its firm
_TITLE_AT = re.compile(
    rf"(?:the |an? |its )?(?:[\w-]+ ){{0,3}}?(?:{pattern(TITLES_EN)})(?: of [a-z][\w ]{{0,20}}?)? (?:at|of) ",
    re.IGNORECASE,
)
_FORMER = re.compile(r"(?:前|former|ex-)\s*$", re.IGNORECASE)
_ENDS = ("advisor", "founded", "demoted", "left")


@dataclass(frozen=True, slots=True)
class _Clause:
    start: int  # offsets in the sentence text
    end: int


def _clauses(text: str) -> list[_Clause]:
    out = []
    at = 0
    for match in _CLAUSE.finditer(text):
        out.append(_Clause(at, match.start()))
        at = match.end()
    out.append(_Clause(at, len(text)))
    return out


def written_with(text: str, start: int, person: Mention, firms: list[Mention]) -> Mention | None:
    """The firm a person is written with: firm, titles, name, no clause mark in between."""
    for firm in sorted((f for f in firms if f.end <= person.start), key=lambda f: -f.end):
        gap = text[firm.end - start : person.start - start]
        if len(gap) > 30 or _CLAUSE.search(gap) or "。" in gap:
            return None
        if _TITLE.search(gap):
            return firm
    return None


def appositive(text: str, person: Mention, firms: list[Mention]) -> Mention | None:
    """The firm of an English apposition: "Elena Petrova, Brightwater's director of research," or
    "Helen Park, the head of research at Gamma Corp,"."""
    comma = re.match(r"\s*,\s*", text[person.end :])
    if comma is None:
        return None
    at = person.end + comma.end()
    firm = next((f for f in firms if f.start == at), None)
    if firm is not None:
        described = re.match(r"['’]s ([^,.;]{0,40})", text[firm.end :])
        return firm if described and _TITLE.search(described[1]) else None
    title = _TITLE_AT.match(text, at)
    return next((f for f in firms if title and f.start == title.end()), None)


def roles(
    sentence: int,
    start: int,
    text: str,
    mentions: list[Mention],
    dates: list[DateMention],
    zh: bool,
    affiliation: dict[str, Mention],
    topic: Mention | None = None,
) -> list[Fact]:
    """Role changes of the people in a sentence (`text` starts at article offset `start`).

    `topic` is the firm the article is about: the firm of a spell that changes when neither the
    cue nor anything else in the article names one ("产品副总裁彭书涵则遭到降职", "Tom Alvarez,
    vice president of product, was demoted"). Such a firm is marked as inferred."""
    flags = 0 if zh else re.IGNORECASE
    people = [m for m in mentions if m.kind == "people"]
    firms = [m for m in mentions if m.kind == "firms"]
    clauses = _clauses(text)
    out: list[Fact] = []

    def clause_of(at: int) -> int:
        return next(i for i, c in enumerate(clauses) if at <= c.end)

    def add(person: Mention, firm: Mention, cause: str, cue: tuple[int, int] | None, confidence: float) -> None:
        # the cue first: the quote is the stretch that holds it ("…孙宇<watermark>已于今年3月离职": 离职)
        evidence = [(person.start, person.end), (firm.start, firm.end)]
        if cue is not None:
            evidence.insert(0, (start + cue[0], start + cue[1]))
        cue_at = cue[0] if cue is not None else None
        when = next((d for d in dates if cue_at is not None and d.start - start <= cue_at), None)
        title = _title_between(text, start, firm, person)
        fields: dict[str, Any] = {"person": person, "firm": firm, "cause": cause, "title": title, "date": when}
        fields["firm_inferred"] = firm is topic and not any(f.start == firm.start for f in firms)
        fields["certainty"] = certainty(text, zh)
        out.append(Fact("role_change", fields, evidence, sentence, confidence))

    def home(person: Mention) -> Mention | None:
        found = written_with(text, start, person, firms) or affiliation.get(
            person.ids[0] if person.ids else person.text
        )
        return found or topic

    def own_subject(words: str) -> bool:
        return bool(_OWN_SUBJECT.search(words) if zh else _OWN_SUBJECT_EN.match(words))

    listed = [p for p in people if written_with(text, start, p, firms) is not None]
    taken: list[tuple[int, int]] = []  # a cue inside a more specific one is not read again
    for regex, cause in ROLE_CUES_ZH if zh else ROLE_CUES_EN:
        for match in re.finditer(regex, text, flags):
            at, until = match.start(), match.end()
            if any(a <= at < b for a, b in taken):
                continue
            taken.append((at, until))
            if cause == "founded_firm" or NEGATED.search(text[:at]):
                continue
            number = clause_of(at)
            clause = clauses[number]
            local = [p for p in people if clause.start <= p.start - start < at]
            subjects: list[Mention] = []
            objective = (_OBJECT_ZH if zh else _OBJECT_EN).fullmatch(match.group())
            passive = (_PASSIVE_ZH if zh else _PASSIVE_EN).search(text[clause.start : at])
            if passive and zh:  # the one appointed stands before 被; who stands after it appoints
                local = [p for p in local if p.start - start < clause.start + passive.start()]
            if objective and not passive:
                subjects = [p for p in people if until <= p.start - start < clause.end][:1]
            elif local:
                subjects = local[-1:]
            elif _COLLECTIVE.search(text[clause.start : at]) and len(listed) >= 2:
                subjects = listed
            elif not own_subject(text[clause.start : at]):
                for back in range(number - 1, -1, -1):
                    earlier = [p for p in people if clauses[back].start <= p.start - start < clauses[back].end]
                    if earlier:
                        subjects = earlier[-1:]
                        break
                    if own_subject(text[clauses[back].start : clauses[back].end]):
                        break
            for person in subjects:
                firm = _firm(text, start, firms, person, cause, at, until, clause, home)
                if firm is None and passive and cause in ("appointed", "joined"):  # 被伽马公司任命: the agent
                    agent = [
                        f
                        for f in firms
                        if person.end <= f.start and clause.start + passive.start() <= f.start - start < at
                    ]
                    firm = agent[-1] if agent else None
                if firm is not None:
                    add(person, firm, cause, (at, until), 0.5 if firm is topic else 0.8 if local or objective else 0.6)
    for firm in firms:  # "前智谱COO张帆": the spell at that firm ended
        if not _FORMER.search(text[max(0, firm.start - start - 7) : firm.start - start]):
            continue
        after = [p for p in people if p.start >= firm.end and written_with(text, start, p, [firm]) is firm]
        if after:
            add(after[0], firm, "left", None, 0.6)
    return out


def _firm(
    text: str,
    start: int,
    firms: list[Mention],
    person: Mention,
    cause: str,
    at: int,
    until: int,
    clause: _Clause,
    home: Any,
) -> Mention | None:
    """The firm of the spell a cue changes."""
    after = [f for f in firms if at <= f.start - start < clause.end and f.start >= person.end]
    if cause in ("appointed", "joined"):
        return after[0] if after else None
    # the firm a cue names; for a founder, the firm named after the cue is the new one ("离职创办深蓝序列")
    named = [f for f in after if f.start - start <= until + 2 and (cause != "founded" or f.start - start < until)]
    if named:
        return named[0]
    between = [f for f in firms if person.end <= f.start and f.end - start <= at and clause.start <= f.start - start]
    if between:
        return between[-1]
    found: Mention | None = home(person)
    return found


def _title_between(text: str, start: int, firm: Mention, person: Mention) -> str | None:
    if firm.end > person.start:
        return None
    between = text[firm.end - start : person.start - start].strip(' 、,，的“”"')
    return between if between and len(between) <= 20 and _TITLE.search(between) else None
