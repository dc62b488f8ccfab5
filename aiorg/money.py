"""Money and percentages parsed from what people and sources actually write.

Amounts are stored in US dollars with a bound that says how exact the figure is.
Parsing is always from text, never from YAML's own number typing, because YAML 1.1
reads `14.3e9` as a string but `14.3e+9` as a float.
"""

from __future__ import annotations

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
_BOUND_PREFIXES: tuple[tuple[str, Bound], ...] = (
    ("up to", Bound.UP_TO),
    ("高达", Bound.UP_TO),
    ("最多", Bound.UP_TO),
    ("<=", Bound.UP_TO),
    ("at least", Bound.AT_LEAST),
    ("至少", Bound.AT_LEAST),
    (">=", Bound.AT_LEAST),
    ("about", Bound.APPROX),
    ("around", Bound.APPROX),
    ("约", Bound.APPROX),
    ("~", Bound.APPROX),
    ("estimate", Bound.ESTIMATE),
    ("est.", Bound.ESTIMATE),
)
# "several billion" is a magnitude: stored as its lower end, with the upper end kept.
_SEVERAL = re.compile(r"^(?:several|数十|几十|数)\s*(billion|bn|b|million|mn|m|亿|万|十亿)$")
_NUMBER = re.compile(r"^(?P<number>\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(?P<scale>万亿|十亿|百万|[a-z]+|[千万亿])?$")


def _strip_currency(text: str) -> tuple[str, str | None]:
    currency = None
    for word in sorted(_CURRENCY_WORDS, key=len, reverse=True):
        if text.startswith(word):
            return text[len(word) :].strip(), _CURRENCY_WORDS[word]
        if text.endswith(word):
            text, currency = text[: -len(word)].strip(), _CURRENCY_WORDS[word]
            break
    return text, currency


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in the currency stated, with how exact it is."""

    value: float  # the stated figure (for SEVERAL, the low end of the magnitude)
    currency: str = "USD"
    bound: Bound = Bound.EXACT
    high: float | None = None  # the top of a SEVERAL magnitude

    @classmethod
    def parse(cls, text: str, default_currency: str = "USD") -> Money:
        """Parse '14.3e9', '$14.3B', '143亿美元', 'up to $100M', 'several billion', '1,000,000'."""
        raw = text.strip()
        lowered = raw.lower().replace(",", "").replace("，", "").strip()
        bound = Bound.EXACT
        for prefix, prefix_bound in _BOUND_PREFIXES:
            if lowered.startswith(prefix):
                bound, lowered = prefix_bound, lowered[len(prefix) :].strip()
                break
        body, currency = _strip_currency(lowered)
        body = body.replace(" ", "") if re.search(r"[\u4e00-\u9fff]", body) else body
        several = _SEVERAL.match(body)
        if several:
            scale = _SCALE_WORDS[several[1]]
            low, high = (
                (20 * scale, 100 * scale)
                if several[1] == "亿" and body.startswith(("数十", "几十"))
                else (2 * scale, 10 * scale)
            )
            return cls(low, currency or default_currency, Bound.SEVERAL, high)
        match = _NUMBER.match(body.replace(" ", ""))
        if not match or (match["scale"] or "") not in _SCALE_WORDS:
            raise MoneyParseError(f"{text!r} is not an amount; try 10e9, 10B, $14.3 billion, 143亿美元 or 1,000,000")
        value = float(match["number"]) * _SCALE_WORDS[match["scale"] or ""]
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
    """The amount in US dollars: as stated, or through `rates` (USD per unit); None without a rate."""
    if money.currency == "USD":
        return money.value
    rate = rates.get(money.currency)
    return money.value * rate if rate is not None else None


def parse_rate(text: str) -> tuple[str, float]:
    """Parse 'CNY=0.14' (US dollars per unit of the currency); raise ValueError otherwise."""
    code, _, number = text.partition("=")
    code = code.strip().upper()
    try:
        rate = float(number)
    except ValueError:
        raise ValueError(f"{text!r} is not a rate; write it like CNY=0.14 (US dollars per unit)") from None
    if not code.isalpha() or not 0 < rate < float("inf"):
        raise ValueError(f"{text!r} is not a rate; write it like CNY=0.14 (US dollars per unit)")
    return code, rate


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
