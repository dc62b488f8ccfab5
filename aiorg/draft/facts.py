"""Role changes, deals and metrics read from one sentence at a time, next to the names in it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from aiorg.draft.cues import (
    DEAL_CUES_EN,
    DEAL_CUES_ZH,
    REPORTED_EN,
    REPORTED_ZH,
    ROLE_CUES_EN,
    ROLE_CUES_ZH,
    RUMOURED,
    STATUS_CUES_EN,
    STATUS_CUES_ZH,
    TITLES_EN,
    TITLES_ZH,
    pattern,
)
from aiorg.draft.known import Mention
from aiorg.draft.values import PERCENT, Amount, DateMention, amounts

#: the more specific cause wins when one spell has several cues
CAUSE_RANK = ("advisor", "founded", "demoted", "left", "appointed", "joined")
_NEGATED = re.compile(r"(?:防止|避免|不会|没有|未曾|拒绝|否认)\S{0,8}$")
_TITLE = re.compile(rf"(?:{pattern(TITLES_ZH)}|{pattern(TITLES_EN)})", re.IGNORECASE)
_METRIC = re.compile(
    r"(?P<name>日活跃用户|月活跃用户|日活|月活|DAU|MAU|daily active users|monthly active users)(?:数)?"
    r"(?:为|达|达到|是|of|:|：)?\s*(?P<value>\d+(?:\.\d+)?\s*(?:万亿|亿|万|million|billion)?)",
    re.IGNORECASE,
)
_METRIC_NAMES = {"日活跃用户": "dau", "日活": "dau", "dau": "dau", "daily active users": "dau"}
_METRIC_NAMES |= {"月活跃用户": "mau", "月活": "mau", "mau": "mau", "monthly active users": "mau"}


@dataclass(slots=True)
class Fact:
    """One role change, deal or metric, with the spans of the text that state it."""

    kind: str  # role_change, deal, metric
    fields: dict[str, Any]
    evidence: list[tuple[int, int]]  # (start, end) in the article
    sentence: int
    confidence: float
    extra: list[tuple[int, int]] = field(default_factory=list)


def _first_cue(cues: tuple[tuple[str, str], ...], text: str, flags: int = 0) -> tuple[str, re.Match[str]] | None:
    for regex, name in cues:
        for match in re.finditer(regex, text, flags):
            if not _NEGATED.search(text[: match.start()]):
                return name, match
    return None


def roles(
    sentence: int, start: int, text: str, mentions: list[Mention], dates: list[DateMention], zh: bool
) -> list[Fact]:
    """Role changes of the people in a sentence (`text` starts at article offset `start`)."""
    cues = ROLE_CUES_ZH if zh else ROLE_CUES_EN
    people = [m for m in mentions if m.kind == "people"]
    firms = [m for m in mentions if m.kind == "firms"]
    out: list[Fact] = []
    tail_from = people[-1].end - start if people else len(text)
    tail_cue = _first_cue(cues, text[tail_from:], 0 if zh else re.IGNORECASE)
    head_cue = _first_cue(cues, text[: people[0].start - start], 0 if zh else re.IGNORECASE) if people else None
    for number, person in enumerate(people):
        lo = people[number - 1].end if number else start
        hi = people[number + 1].start if number + 1 < len(people) else start + len(text)
        segment = text[lo - start : hi - start]
        found = _first_cue(cues, segment, 0 if zh else re.IGNORECASE)
        before = [f for f in firms if lo <= f.start < person.start]
        after = [f for f in firms if person.end <= f.start < hi]
        former = [
            f
            for f in before
            if re.search(r"前\s*$|former\s*$|ex-$", text[max(0, f.start - start - 7) : f.start - start], re.I)
        ]
        cause, cue_at = (found[0], lo + found[1].start()) if found else (None, None)
        if (cause is None and tail_cue and not any(p.start > person.end for p in people[number + 1 :])) or (
            cause is None and tail_cue and len(people) > 1
        ):
            cause, cue_at = tail_cue[0], tail_from + start + tail_cue[1].start()
        if cause is None and head_cue and former:
            cause, cue_at = head_cue[0], start + head_cue[1].start()
        if cause == "founded_firm":
            cause = None
        if cause in ("appointed", "joined"):
            target = [f for f in after if cue_at is not None and f.start > cue_at] or [
                f for f in firms if cue_at is not None and f.start > cue_at
            ]
            firm = target[0] if target else None
        else:
            firm = before[-1] if before else (after[0] if after and cause else None)
        if cause is None and former:
            cause, firm = "left", former[-1]
        if cause is None or firm is None:
            continue
        evidence = [(person.start, person.end), (firm.start, firm.end)]
        if cue_at is not None:
            evidence.append((cue_at, cue_at + 2))
        title = _title_between(text, start, firm, person)
        when = next((d for d in dates if lo <= d.start < hi), dates[0] if dates else None)
        fields: dict[str, Any] = {"person": person, "firm": firm, "cause": cause, "title": title, "date": when}
        fields["certainty"] = _certainty(text, zh)
        out.append(Fact("role_change", fields, evidence, sentence, 0.8 if found else 0.6))
        for other in former[:-1] if firm in former else former:
            if other is not firm:
                fields_other = dict(fields, firm=other, cause="left", title=_title_between(text, start, other, person))
                out.append(
                    Fact(
                        "role_change",
                        fields_other,
                        [(person.start, person.end), (other.start, other.end)],
                        sentence,
                        0.6,
                    )
                )
    return out


def _title_between(text: str, start: int, firm: Mention, person: Mention) -> str | None:
    if firm.end > person.start:
        return None
    between = text[firm.end - start : person.start - start].strip(' 、,，的“”"')
    return between if between and len(between) <= 20 and _TITLE.search(between) else None


def _certainty(text: str, zh: bool) -> str:
    if RUMOURED.search(text):
        return "rumoured"
    return "reported" if (REPORTED_ZH if zh else REPORTED_EN).search(text) else "confirmed"


def deals(
    sentence: int,
    start: int,
    text: str,
    mentions: list[Mention],
    dates: list[DateMention],
    zh: bool,
    affiliation: dict[str, Mention],
) -> list[Fact]:
    """Deals a sentence states: kind, parties, amount, valuation and stake kept apart, and status."""
    flags = 0 if zh else re.IGNORECASE
    cue_list = DEAL_CUES_ZH if zh else DEAL_CUES_EN
    found: list[tuple[int, int, str]] = []
    for regex, kind in cue_list:
        for match in re.finditer(regex, text, flags):
            if not any(a <= match.start() < b for a, b, _ in found):
                found.append((match.start(), match.end(), kind))
    found.sort()
    # "以143亿美元收购Scale AI 49%股份": one stake deal, not an acquisition too
    found = [
        c for c in found if not (c[2] == "acquisition" and any(o[2] == "stake" and 0 < o[0] - c[0] < 25 for o in found))
    ]
    if not found:
        return []
    money = amounts(text)
    stake = PERCENT.search(text)
    status = _first_cue(STATUS_CUES_ZH if zh else STATUS_CUES_EN, text, flags)
    estimate = bool(re.search(r"估值计算|based on (?:its|the) valuation", text))
    out: list[Fact] = []
    local = [(m, m.start - start, m.end - start) for m in mentions]
    for cue_start, cue_end, kind in found:
        targets: list[Mention] = []
        if kind in ("acquisition", "stake", "recruitment", "compensation_offer"):
            window = [
                m
                for m, a, _ in local
                if cue_end <= a <= cue_end + 40
                and m.kind in ("firms", "people")
                and not _TITLE.match(text[m.end - start : m.end - start + 12].lstrip(" "))
                and not re.search(r"前\s*$", text[max(0, a - 2) : a])
            ]
            targets = window[:1] if kind != "recruitment" else []
        if kind == "recruitment" or (kind == "compensation_offer" and not targets):
            targets = [m for m, a, _ in local if m.kind == "people" and a < cue_start][1:] or [
                m for m, a, _ in local if m.kind == "people" and a < cue_start
            ]
        if kind in ("funding_round", "asking_price"):
            clause_from = max(text.rfind(ch, 0, cue_start) for ch in ",，;；")
            targets = [m for m, a, _ in local if clause_from < a < cue_start and m.kind == "firms"]
            if kind == "asking_price":
                targets = [m for m, a, _ in local if m.kind == "people" and a < cue_start][:1] + targets
        buyers = [m for m, a, _ in local if a < cue_start and m not in targets]
        buyer = (
            buyers[-1] if kind not in ("recruitment", "asking_price") and buyers else (buyers[0] if buyers else None)
        )
        if buyer is not None and buyer.kind == "people" and buyer.ids[:1] and buyer.ids[0] in affiliation:
            buyer = affiliation[buyer.ids[0]]
        elif buyer is not None and buyer.kind == "people" and buyer.text in affiliation:
            buyer = affiliation[buyer.text]
        fields: dict[str, Any] = {"kind": kind, "targets": targets, "buyers": [buyer] if buyer else []}
        amount = valuation = None
        for item in money:
            before_text = text[max(0, item.start - 6) : item.start]
            after_text = text[item.end : item.end + 4]
            if "估值" in after_text or "估值" in before_text or "valuation" in after_text + before_text:
                if abs(item.start - cue_end) < 30 or abs(cue_start - item.end) < 30:
                    valuation = item
            elif estimate:
                valuation = Amount(item.start, item.end, item.text, item.value, item.currency, "estimate")
            elif kind == "funding_round" and "融资" not in after_text and "round" not in after_text:
                continue
            elif amount is None and (abs(item.start - cue_end) < 30 or abs(cue_start - item.end) < 30):
                amount = item
        if kind == "funding_round" and amount is not None and "融资" not in text[amount.end : amount.end + 4] and zh:
            amount = None
        fields["amount"] = amount
        fields["valuation"] = valuation
        fields["stake"] = stake.group(1) if stake and kind == "stake" else None
        fields["status"] = _status(kind, status[0] if status else None, text, amount)
        fields["date"] = dates[0] if dates else None
        fields["certainty"] = _certainty(text, zh)
        fields["refers_back"] = bool(
            re.search(
                r"这笔|该交易|此次收购|the deal|the acquisition", text[max(0, cue_start - 4) : cue_end + 2], flags
            )
        )
        evidence = [(start + cue_start, start + cue_end)]
        evidence += [(m.start, m.end) for m in targets]
        evidence += [(start + a.start, start + a.end) for a in (amount, valuation) if a is not None]
        if not targets and not fields["refers_back"] and amount is None and valuation is None:
            continue
        out.append(Fact("deal", fields, evidence, sentence, 0.7 if targets else 0.5))
    return out


def _status(kind: str, cue: str | None, text: str, amount: Amount | None) -> str:
    if cue:
        return cue
    if kind == "asking_price":
        return "asked"
    if kind in ("compensation_offer", "recruitment"):
        return "offered"
    return "completed" if "完成" in text or amount is not None else "rumoured"


def metrics(sentence: int, start: int, text: str, mentions: list[Mention], dates: list[DateMention]) -> list[Fact]:
    """User counts (DAU, MAU) with the product or firm measured."""
    out = []
    for match in _METRIC.finditer(text):
        subjects = [m for m in mentions if m.start - start < match.start() and m.kind in ("products", "firms")]
        if not subjects:
            continue
        fields = {"subject": subjects[-1], "metric": _METRIC_NAMES[match["name"].lower()], "value": match["value"]}
        fields["date"] = dates[0] if dates else None
        evidence = [(subjects[-1].start, subjects[-1].end), (start + match.start(), start + match.end())]
        out.append(Fact("metric", fields, evidence, sentence, 0.7))
    return out
