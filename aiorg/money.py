"""Money and percentages parsed from what people and sources actually write.

Amounts are stored in US dollars with a bound that says how exact the figure is.
Parsing is always from text, never from YAML's own number typing, because YAML 1.1
reads `14.3e9` as a string but `14.3e+9` as a float.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum


class Bound(StrEnum):
    """How a figure relates to the true value."""

    EXACT = "exact"
    APPROX = "approx"  # "about", "~"
    ESTIMATE = "estimate"  # computed by the source, e.g. from a valuation
    UP_TO = "up_to"  # "up to", "高达"
    AT_LEAST = "at_least"  # "at least", "至少"
    SEVERAL = "several"  # "several billion", "数十亿": a magnitude, not a figure


class MoneyParseError(ValueError):
    """The text is not an amount of money in any supported form."""


_SCALE_WORDS: dict[str, float] = {
    "": 1.0,
    "k": 1e3,
    "thousand": 1e3,
    "千": 1e3,
    "万": 1e4,
    "m": 1e6,
    "mn": 1e6,
    "mm": 1e6,
    "million": 1e6,
    "百万": 1e6,
    "亿": 1e8,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "十亿": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trillion": 1e12,
    "万亿": 1e12,
}
_CURRENCY_WORDS: dict[str, str] = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "美元": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "¥": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "元": "CNY",
    "人民币": "CNY",
    "元人民币": "CNY",  # 14亿元人民币
    "€": "EUR",
    "eur": "EUR",
    "欧元": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "英镑": "GBP",
    "hk$": "HKD",
    "hkd": "HKD",
    "港元": "HKD",
    "港币": "HKD",
    "jpy": "JPY",
    "日元": "JPY",
}
_WORDS_LONGEST_FIRST = sorted(_CURRENCY_WORDS, key=len, reverse=True)
_BOUND_PREFIXES: tuple[tuple[str, Bound], ...] = (
    ("up to", Bound.UP_TO),
    ("高达", Bound.UP_TO),
    ("最多", Bound.UP_TO),
    ("<=", Bound.UP_TO),
    ("at least", Bound.AT_LEAST),
    ("至少", Bound.AT_LEAST),
    (">=", Bound.AT_LEAST),
    ("逾", Bound.AT_LEAST),  # "more than": a floor
    ("超过", Bound.AT_LEAST),
    ("about", Bound.APPROX),
    ("around", Bound.APPROX),
    ("约", Bound.APPROX),
    ("近", Bound.APPROX),  # "nearly"
    ("~", Bound.APPROX),
    ("estimate", Bound.ESTIMATE),
    ("est.", Bound.ESTIMATE),
)
# "several billion" is a magnitude: stored as its lower end (2 of the unit), with the upper end (10) kept.
_SEVERAL = re.compile(r"^several\s*(billion|bn|b|million|mn|m|thousand|k)$")
# The Chinese press writes a magnitude as a count word, then a unit of tens, hundreds or thousands
# and/or a scale word, each multiplying: 数十万 is "several tens of 万", 20万-100万; 数百万 is
# 200万-1000万; 数千亿 is 2000亿-1万亿. 数/几 is "several" (2 to 10 of what follows); 上 is
# "reaching": 上亿 is at least 1亿. 十几亿, 10多亿 and 百亿 (a numeral with no digit) are refused.
_MAGNITUDE = re.compile(r"^(?P<count>[数几上])(?P<unit>[十百千])?(?P<scale>万亿|万|亿)?$")
_UNITS = {"": 1.0, "十": 10.0, "百": 100.0, "千": 1000.0}
_NUMBER = re.compile(r"^(?P<number>\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(?P<scale>万亿|十亿|百万|[a-z]+|[千万亿])?$")


#: the traditional characters money is written with, read as their simplified forms (5億美元, 3萬, 人民幣, 日圓)
_SIMPLIFIED = str.maketrans("億萬幣圓歐鎊約數幾達過", "亿万币元欧镑约数几达过")
#: a figure with commas in it, or spaces between its digits: they must separate thousands
#: (1,000,000, 1,000亿, 1 000 000)
_COMMAS = re.compile(r"[\d,，]*[,，][\d,，]*")
_THOUSANDS = re.compile(r"\d{1,3}(?:[,，]\d{3})+")
_SPACED = re.compile(r"\d+(?:[ \u00a0\u202f]+\d+)+")
_SPACED_THOUSANDS = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+")


def _refuse_commas(text: str, original: str) -> None:
    """Refuse a comma, or a space between digits, that is not a thousands separator: '1,5亿美元',
    '$14,3 billion' (a decimal comma) or '1 5亿美元' would otherwise read as 15亿 or $143 billion."""
    for found in _COMMAS.finditer(text):
        if not _THOUSANDS.fullmatch(found.group()):
            raise MoneyParseError(
                f"{original!r}: a comma in an amount separates thousands (1,000,000); write a decimal point (1.5亿)"
            )
    for found in _SPACED.finditer(text):
        if not _SPACED_THOUSANDS.fullmatch(found.group()):
            raise MoneyParseError(
                f"{original!r}: a space between digits separates thousands (1 000 000); write the figure"
                " without it, with a decimal point (1.5亿)"
            )


def _strip_currency(text: str, original: str) -> tuple[str, str | None]:
    """The text without its currency words, and the currency they name: one word before the
    figure and/or one after it ('人民币3亿元', '14亿元人民币'); words naming different currencies
    are refused."""
    named: list[str] = []
    for word in _WORDS_LONGEST_FIRST:
        if text.startswith(word):
            text = text[len(word) :].strip()
            named.append(_CURRENCY_WORDS[word])
            break
    for word in _WORDS_LONGEST_FIRST:
        if text.endswith(word):
            text = text[: -len(word)].strip()
            named.append(_CURRENCY_WORDS[word])
            break
    if len(set(named)) > 1:
        raise MoneyParseError(f"{original!r} names two currencies, {named[0]} and {named[1]}")
    return text, named[0] if named else None


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in the currency stated, with how exact it is."""

    value: float  # the stated figure (for SEVERAL, the low end of the magnitude)
    currency: str = "USD"
    bound: Bound = Bound.EXACT
    high: float | None = None  # the top of a SEVERAL magnitude

    @classmethod
    def parse(cls, text: str, default_currency: str = "USD") -> Money:
        """Parse '14.3e9', '$14.3B', '143亿美元', 'up to $100M', 'several billion', '1,000,000'.

        A magnitude ('several billion', '数十万美元') takes no bound word before it ('up to several
        billion' is refused), and currency words may stand before and after the figure only when
        they name one currency ('人民币3亿元', '14亿元人民币'; not '人民币3亿美元')."""
        raw = text.strip().translate(_SIMPLIFIED)
        _refuse_commas(raw, text)
        lowered = raw.lower().replace(",", "").replace("，", "").strip()
        bound = Bound.EXACT
        for prefix, prefix_bound in _BOUND_PREFIXES:
            if lowered.startswith(prefix):
                bound, lowered = prefix_bound, lowered[len(prefix) :].strip()
                break
        body, currency = _strip_currency(lowered, text)
        body = body.replace(" ", "") if re.search(r"[\u4e00-\u9fff]", body) else body
        several = _SEVERAL.match(body)
        if several and bound is Bound.EXACT:
            scale = _SCALE_WORDS[several[1]]
            return cls(2 * scale, currency or default_currency, Bound.SEVERAL, 10 * scale)
        magnitude = _MAGNITUDE.match(body)
        if magnitude and (magnitude["unit"] or magnitude["scale"]) and bound is Bound.EXACT:
            size = _UNITS[magnitude["unit"] or ""] * _SCALE_WORDS[magnitude["scale"] or ""]
            if magnitude["count"] == "上":
                return cls(size, currency or default_currency, Bound.AT_LEAST)
            return cls(2 * size, currency or default_currency, Bound.SEVERAL, 10 * size)
        match = _NUMBER.match(body.replace(" ", ""))
        if not match or (match["scale"] or "") not in _SCALE_WORDS:
            raise MoneyParseError(f"{text!r} is not an amount; try 10e9, 10B, $14.3 billion, 143亿美元 or 1,000,000")
        value = float(match["number"]) * _SCALE_WORDS[match["scale"] or ""]
        if not math.isfinite(value):  # 1e400 reads as infinity: no amount, and no bound to compare with
            raise MoneyParseError(f"{text!r} is not a finite number")
        return cls(value, currency or default_currency, bound)

    def describe(self) -> str:
        """Readable amount that keeps the bound: 'up to $100M', 'several billion USD'."""
        figure = format_amount(self.value, self.currency)
        if self.bound is Bound.SEVERAL and self.high is not None:
            return f"several ({figure}–{format_amount(self.high, self.currency)})"
        prefix = {
            Bound.EXACT: "",
            Bound.APPROX: "~",
            Bound.ESTIMATE: "est. ",
            Bound.UP_TO: "up to ",
            Bound.AT_LEAST: "at least ",
        }[self.bound]
        return prefix + figure


def to_usd(money: Money, rates: dict[str, float]) -> float | None:
    """The amount in US dollars: as stated, or through `rates` (USD per unit) rounded to the cent,
    so that 人民币3亿元 at 0.14 is $42,000,000 (not 42000000.00000001, which `--max $42M` would
    leave out); None without a rate."""
    if money.currency == "USD":
        return money.value
    rate = rates.get(money.currency)
    return round(money.value * rate, 2) if rate is not None else None


#: currencies that have been worth less than a US dollar throughout: a rate of 1 or more for one of
#: them is a rate written the other way round (the press's "1美元兑7.2元")
_CHEAPER_THAN_A_DOLLAR = frozenset({"CNY", "HKD", "JPY"})


def parse_rate(text: str) -> tuple[str, float]:
    """Parse 'CNY=0.14' (US dollars per unit of the currency) into the code amounts are stored
    under: RMB, 人民币 and 元 are CNY, as in amounts. Raise ValueError for any other text, for a
    currency no amount can be in, and for USD (compared as it is)."""
    code, _, number = text.partition("=")
    try:
        rate = float(number)
    except ValueError:
        raise ValueError(f"{text!r} is not a rate; write it like CNY=0.14 (US dollars per unit)") from None
    if not code.strip() or not 0 < rate < float("inf"):
        raise ValueError(f"{text!r} is not a rate; write it like CNY=0.14 (US dollars per unit)")
    stored = _CURRENCY_WORDS.get(code.strip().lower().translate(_SIMPLIFIED))
    if stored is None:
        known = ", ".join(sorted(set(_CURRENCY_WORDS.values()) - {"USD"}))
        raise ValueError(f"{code.strip()!r} is not a currency amounts are written in; give a rate for {known}")
    if stored == "USD":
        raise ValueError(f"{text!r}: amounts in US dollars are compared as they are and take no rate")
    if stored in _CHEAPER_THAN_A_DOLLAR and rate >= 1:
        why = f"{text!r}: one {stored} is worth less than a US dollar, and a rate is US dollars per {stored}"
        if rate < 2:  # its inverse is about 1 too: no rate to suggest
            raise ValueError(f"{why}, so it is below 1")
        raise ValueError(f"{why}; {rate:g} {stored} to the dollar is --rate {stored}={1 / rate:.4g}")
    return stored, rate


def format_amount(value: float, currency: str = "USD") -> str:
    """Compact money: $14.3B, $100M, $3B."""
    symbol = "$" if currency == "USD" else f"{currency} "
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= scale:
            return f"{symbol}{value / scale:.4g}{suffix}"
    return f"{symbol}{value:.4g}"


def parse_percent(text: str) -> float:
    """Parse '49%', '49' or '49.5 %' into a percentage number; raise ValueError otherwise."""
    body = text.strip().rstrip("%％").strip()
    try:
        value = float(body)
    except ValueError:
        raise ValueError(f"{text!r} is not a percentage; write it like 49%") from None
    if not 0 <= value <= 100:
        raise ValueError(f"{text!r} is outside 0–100%")
    return value


def parse_number(text: str) -> float:
    """Parse a plain quantity: '49%', '3500万', '1.6亿', '3.5e8', '50'; raise ValueError otherwise."""
    body = text.strip().replace(",", "").rstrip("%％").strip()
    match = _NUMBER.match(body.replace(" ", "").lower())
    if not match or (match["scale"] or "") not in _SCALE_WORDS:
        raise ValueError(f"{text!r} is not a number; write it like 49, 49%, 3.5e8 or 3500万")
    return float(match["number"]) * _SCALE_WORDS[match["scale"] or ""]
