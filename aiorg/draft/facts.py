"""Deals and metrics read from one sentence at a time, next to the names in it (role changes: roles)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from aiorg.draft.cues import (
    AGENT_AFTER_EN,
    DEAL_CUES_EN,
    DEAL_CUES_ZH,
    FROM_AFTER_EN,
    PASSIVE_BEFORE_ZH,
    REPORTED_EN,
    REPORTED_ZH,
    ROUND_NAME,
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
_NEGATED = re.compile(r"(?:防止|避免|不会|没有|未曾|拒绝|否认)[^，,。;；]{0,12}$")
_CLAUSE = re.compile(r"[，,；;：:（(）)]|——")
_FORMER_BEFORE = re.compile(r"(?:前|former|ex-)\s*$", re.IGNORECASE)
#: money that is a valuation ("140亿美元估值", "$2 billion valuation")
_VALUED = re.compile(r"\s*(?:的)?(?:估值|(?:post-money |pre-money )?valuation)", re.IGNORECASE)
#: money after the word valuation ("投后估值达25亿美元", "at a valuation of $3 billion", "valued at $3 billion")
_VALUED_AFTER = re.compile(
    r"(?:估值|valuation of|valued at)\s*(?:达到|达|为|约为|约|高达|逾|超过|about|around|roughly|nearly)?\s*$",
    re.IGNORECASE,
)
#: a price worked out from a valuation ("根据…估值计算", "based on its valuation")
_BASED_ON = re.compile(r"估值计算|based on (?:its|the|their) (?:latest )?valuation", re.IGNORECASE)
#: a deal named again, not a new one ("这笔收购", "一旦收购成功", "the deal")
_REFERS_BACK = re.compile(r"(?:这笔|该|此次|这一|一旦|the|this)\s*$", re.IGNORECASE)
_REFERS_BACK_AFTER = re.compile(r"成功|案|\s+(?:deal|would)", re.IGNORECASE)
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


def certainty(text: str, zh: bool) -> str:
    """How firmly the sentence states its facts: rumoured, reported or confirmed."""
    if RUMOURED.search(text):
        return "rumoured"
    return "reported" if (REPORTED_ZH if zh else REPORTED_EN).search(text) else "confirmed"


def _clause_span(text: str, at: int) -> tuple[int, int]:
    """The clause around a position: between commas, semicolons, colons and brackets."""
    lo = max((m.end() for m in _CLAUSE.finditer(text, 0, at)), default=0)
    hi = next((m.start() for m in _CLAUSE.finditer(text, at)), len(text))
    return lo, hi


def deals(
    sentence: int,
    start: int,
    text: str,
    mentions: list[Mention],
    dates: list[DateMention],
    zh: bool,
    affiliation: dict[str, Mention],
) -> list[Fact]:
    """Deals a sentence states: kind, parties, amount, valuation and stake kept apart, and status.

    Each cue is read with its own clause: the target is the firm after it (a person for
    recruitment and offers), the buyer the nearest party before it (a person stands for the firm
    they are written with), the amount the money in the clause, the valuation money followed by
    估值/valuation. Money "computed from the valuation" (估值计算) is an estimated valuation of the
    deal the sentence refers back to, not an amount."""
    flags = 0 if zh else re.IGNORECASE
    found: list[tuple[int, int, str]] = []
    for regex, kind in DEAL_CUES_ZH if zh else DEAL_CUES_EN:
        for match in re.finditer(regex, text, flags):
            if not any(a <= match.start() < b for a, b, _ in found):
                found.append((match.start(), match.end(), kind))
    found.sort()
    # "以143亿美元收购Scale AI 49%股份": one stake deal, read from the verb
    for stake_cue in [c for c in found if c[2] == "stake"]:
        verb = next((c for c in found if c[2] == "acquisition" and 0 < stake_cue[0] - c[0] < 25), None)
        if verb is not None:
            found.remove(stake_cue)
            found[found.index(verb)] = (verb[0], verb[1], "stake")
    if not found:
        return []
    money = amounts(text)
    stake = PERCENT.search(text)
    clauses = [_clause_span(text, c[0]) for c in found]
    valued = [
        m for m in money if _VALUED.match(text, m.end) or _VALUED_AFTER.search(text[max(0, m.start - 20) : m.start])
    ]
    based = _BASED_ON.search(text)
    estimate = None
    if based is not None:  # the money after "…估值计算," in a clause naming the deal again is its price
        again = [_clause_span(text, c[0]) for c in found if _names_again(text, c[0], c[1])]
        estimate = next(
            (m for m in money if m.start > based.end() and m not in valued and any(a <= m.start < b for a, b in again)),
            None,
        )
    local = [(m, m.start - start) for m in mentions]

    def party(mention: Mention) -> Mention:
        if mention.kind != "people":
            return mention
        return affiliation.get(mention.ids[0] if mention.ids else mention.text, mention)

    out: list[Fact] = []
    for cue_start, cue_end, kind in found:
        lo, hi = _clause_span(text, cue_start)
        clause = [(m, a) for m, a in local if lo <= a < hi]
        after = [m for m, a in clause if a >= cue_end and not _FORMER_BEFORE.search(text[max(0, a - 7) : a])]
        after = [m for m in after if not _TITLE.match(text[m.end - start : m.end - start + 12].lstrip(" "))]
        before = [m for m, a in clause if a < cue_start]
        targets: list[Mention] = []
        actor: Mention | None = None
        parties_inferred = False
        if kind in ("acquisition", "stake", "funding_round"):
            targets = [m for m in after if m.kind == "firms"][:1]
            if kind == "funding_round":
                targets = [m for m in before if m.kind == "firms"][-1:] or targets
            else:
                actor, targets, parties_inferred = _parties(text, start, (lo, cue_start, cue_end), local, after, zh)
        elif kind in ("recruitment", "compensation_offer"):
            recipients = [m for m, a in clause if a < cue_start and re.search(r"(?:向|对)\s*$|\bto\s+$", text[lo:a])]
            people = [m for m in before if m.kind == "people"]
            targets = recipients or people[1:] or [m for m in after if m.kind == "people"]
            sentence_people = [m for m, a in local if m.kind == "people" and a < cue_start]
            if not targets and kind == "compensation_offer":
                targets = sentence_people[1:]
            others = [m for m in before if m not in targets] or [m for m in sentence_people if m not in targets]
            actor = others[0] if others else None
        elif kind == "asking_price":
            targets = [m for m, a in local if a < cue_start and m.kind == "people"][:1]
            targets += [m for m in before if m.kind == "firms"]
            others = [m for m, a in local if m not in targets and m.kind == "people"]
            actor = others[0] if others else None
        if actor is None and kind in ("acquisition", "stake"):
            actor = next((m for m, a in reversed(local) if a < lo and m.kind == "firms" and m not in targets), None)
        buyer = party(actor) if actor is not None else None
        targets = [t for t in targets if t is not buyer]
        fields: dict[str, Any] = {"kind": kind, "targets": targets, "buyers": [buyer] if buyer else []}
        fields["parties_inferred"] = parties_inferred
        in_clause = [m for m in money if lo <= m.start < hi]
        amount = next((m for m in in_clause if m not in valued and m is not estimate), None)
        valuation = next((m for m in in_clause if m in valued), None)
        if valuation is None and kind in ("funding_round", "acquisition"):  # "融资，投后估值达…": a later clause
            valuation = next(
                (m for m in valued if m.start >= hi and not any(hi <= c[0] < m.start for c in found)), None
            )
        refers_back = _names_again(text, cue_start, cue_end) and not targets
        if estimate is not None and (refers_back or (based is not None and lo <= based.start() < hi)):
            valuation = valuation or Amount(
                *_span(estimate), estimate.text, estimate.value, estimate.currency, "estimate"
            )
            if refers_back and based is not None and not (lo <= based.start() < hi):
                in_clause_valued = [m for m in valued if based.start() - 30 < m.start < based.start()]
                valuation = in_clause_valued[0] if in_clause_valued else valuation
        if refers_back and valuation is None and based is not None:
            valuation = next((m for m in valued if m.start < based.start()), None)
        if kind in ("asking_price", "compensation_offer") and amount is None:
            continue
        fields["amount"] = amount
        fields["valuation"] = valuation
        fields["stake"] = stake.group(1) if stake and kind == "stake" else None
        status = _first_cue(STATUS_CUES_ZH if zh else STATUS_CUES_EN, _others_blank(text, clauses, (lo, hi)), flags)
        fields["status"], fields["status_inferred"] = _status(kind, status[0] if status else None, amount)
        fields["date"] = next((d for d in dates if lo <= d.start - start < hi), dates[0] if dates else None)
        fields["certainty"] = certainty(text, zh)
        fields["refers_back"] = refers_back
        fields["round"] = round_name(text[lo:hi]) if kind == "funding_round" else None
        evidence = [(start + cue_start, start + cue_end)]
        evidence += [(m.start, m.end) for m in targets]
        evidence += [(start + a.start, start + a.end) for a in (amount, valuation) if a is not None]
        if not targets and not refers_back:
            continue
        out.append(Fact("deal", fields, evidence, sentence, 0.7 if targets else 0.5))
    return out


_ROUND_WORDS = {"天使": "angel", "种子": "seed"}


def round_name(text: str) -> str | None:
    """The name of the funding round a clause tells, in one spelling for every way of writing it
    ("B轮", "Series B" and "series b" are all "b"; "天使轮" and "angel round" "angel"), or None."""
    found = ROUND_NAME.search(text)
    if found is None:
        return None
    name = next(group for group in found.groups() if group)
    return _ROUND_WORDS.get(name, re.sub(r"[-\s]", "", name.lower()))


def _parties(
    text: str, start: int, cue: tuple[int, int, int], local: list[tuple[Mention, int]], after: list[Mention], zh: bool
) -> tuple[Mention | None, list[Mention], bool]:
    """Buyer, targets and whether their order is a guess, for an acquisition or a stake.

    In the active order ("X acquired Y", "X收购Y") the buyer is the nearest name before the cue
    and the target the first firm after it. After an agent marker the order turns: "Y was acquired
    by X", "a takeover bid from X" (the first name after the cue), "Y被X收购" (the name after 被 or
    遭, or 由 with no firm after the cue) name the buyer X, and the target is the last firm before
    the cue (with none in the clause, the last one before it in the sentence, marked a guess). A
    bare "from" ("bought assets from X") keeps the active order but marks it a guess: X may be the
    seller or the bidder."""
    lo, cue_start, cue_end = cue
    before = [m for m, a in local if lo <= a < cue_start]
    firms_after = [m for m in after if m.kind == "firms"]
    agent: Mention | None = None
    if not zh and after:
        gap = text[cue_end : after[0].start - start]
        if AGENT_AFTER_EN.match(gap):
            agent = after[0]
        elif firms_after and firms_after[0] is after[0] and FROM_AFTER_EN.match(gap):
            return (before[-1] if before else None), firms_after[:1], True
    elif zh and not firms_after:
        agent = next(
            (
                m
                for m, a in reversed(local)
                if lo <= a < cue_start and m.kind in ("firms", "people") and PASSIVE_BEFORE_ZH.search(text[lo:a])
            ),
            None,
        )
    if agent is None:
        return (before[-1] if before else None), firms_after[:1], False
    at = agent.start - start
    targets = [m for m, a in local if lo <= a < min(at, cue_start) and m.kind == "firms"][-1:]
    if targets:
        return agent, targets, False
    return agent, [m for m, a in local if a < lo and m.kind == "firms"][-1:], True


def _names_again(text: str, cue_start: int, cue_end: int) -> bool:
    """Whether a deal cue names a deal already told ("这笔收购", "一旦收购成功", "the deal")."""
    lo, _ = _clause_span(text, cue_start)
    return bool(_REFERS_BACK.search(text[lo:cue_start]) or _REFERS_BACK_AFTER.match(text, cue_end))


def _others_blank(text: str, clauses: list[tuple[int, int]], own: tuple[int, int]) -> str:
    """The sentence with the clauses of its other deals blanked out: a status word there is theirs
    ("Perplexity完成新一轮融资…，一旦收购成功": 完成 is the funding round's, not the acquisition's)."""
    chars = list(text)
    for lo, hi in clauses:
        if (lo, hi) != own:
            chars[lo:hi] = " " * (hi - lo)
    return "".join(chars)


def _span(amount: Amount) -> tuple[int, int]:
    return amount.start, amount.end


def _status(kind: str, cue: str | None, amount: Amount | None) -> tuple[str, bool]:
    """The deal's status, and whether it is a guess (no word of the sentence says it).

    A status cue decides; an ask is asked and an offer or recruitment offered (the kind's own cue
    says so). With nothing said, the draft guesses the least it can read into a stated deal and
    marks the guess: agreed when a price is stated (a price was agreed, not that the deal closed),
    rumoured otherwise."""
    if cue:
        return cue, False
    if kind == "asking_price":
        return "asked", False
    if kind in ("compensation_offer", "recruitment"):
        return "offered", False
    return ("agreed" if amount is not None else "rumoured"), True


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
