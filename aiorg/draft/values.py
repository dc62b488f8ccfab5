"""Money, percentages and dates as articles write them, read exactly: amounts through Decimal
(cn2an and float arithmetic turn 16.4亿 into 1639999999), dates resolved against the day the
article was published, each with its precision."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from aiorg.dates import FuzzyDate
from aiorg.draft import deps
from aiorg.money import Bound, Money

_SCALES = {"": 1, "千": 10**3, "万": 10**4, "亿": 10**8, "万亿": 10**12, "百万": 10**6, "十亿": 10**9}
_EN_SCALES = {"": 1, "k": 10**3, "thousand": 10**3, "m": 10**6, "mn": 10**6, "million": 10**6, "b": 10**9}
_EN_SCALES |= {"bn": 10**9, "billion": 10**9, "t": 10**12, "trillion": 10**12}
_CN_DIGITS = "零一二两三四五六七八九十百千"
MONEY = re.compile(
    r"(?P<bound>高达|至少|约|最多|up to |about |around |at least |nearly |roughly )?"
    r"(?:(?P<several>数十|几十|数|几)(?P<sscale>亿|万|十亿)(?P<scur>美元|元|人民币|港元|欧元)"
    rf"|(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN_DIGITS}]+)\s*(?P<scale>万亿|百万|十亿|[千万亿])?\s*"
    r"(?P<cur>美元|元人民币|人民币|元|港元|欧元)"
    r"|(?P<sign>US\$|\$|€|£)\s?(?P<enum>\d+(?:,\d{3})*(?:\.\d+)?)\s?(?P<enscale>billion|million|trillion|bn|mn|[bmkt])?\b"
    r"|(?P<several_en>several|a few) (?P<sen>billion|million) (?:dollars|USD))",
    re.IGNORECASE,
)
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_CURRENCIES = {"美元": "USD", "元": "CNY", "人民币": "CNY", "元人民币": "CNY", "港元": "HKD", "欧元": "EUR"}
_CURRENCIES |= {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP"}
_BOUNDS = {"高达": "up_to", "最多": "up_to", "up to": "up_to", "至少": "at_least", "at least": "at_least"}
_BOUNDS |= {"约": "approx", "about": "approx", "around": "approx", "nearly": "approx", "roughly": "approx"}


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount found in the text: as written, its exact value, currency and bound."""

    start: int
    end: int
    text: str
    value: Decimal
    currency: str
    bound: str

    def money(self) -> Money:
        """The model's Money for this amount."""
        if self.bound == "several":
            return Money.parse(self.text.strip())
        return Money(float(self.value), self.currency, Bound(self.bound))


def chinese_number(text: str) -> Decimal | None:
    """A number written in digits or Chinese numerals, exactly ('16.4' or '三十五'); None for
    numerals that are no number (千千, a bare 百 before a currency)."""
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", text):
        return Decimal(text.replace(",", ""))
    value = deps.cn2an(text)
    return None if value is None else Decimal(value)


def amounts(text: str) -> list[Amount]:
    """Every amount of money in the text, exactly."""
    out = []
    for match in MONEY.finditer(text):
        bound = _BOUNDS.get((match["bound"] or "").strip().lower(), "exact")
        if match["several"]:
            low = Decimal(20 if match["several"] in ("数十", "几十") else 2) * _SCALES[match["sscale"]]
            out.append(Amount(*match.span(), match.group(), low, _CURRENCIES[match["scur"]], "several"))
        elif match["num"]:
            number = chinese_number(match["num"])
            if number is None:  # not an amount that can be read exactly: propose nothing
                continue
            value = number * _SCALES[match["scale"] or ""]
            out.append(Amount(*match.span(), match.group(), value, _CURRENCIES[match["cur"]], bound))
        elif match["enum"]:
            scale = _EN_SCALES[(match["enscale"] or "").lower()]
            value = Decimal(match["enum"].replace(",", "")) * scale
            out.append(Amount(*match.span(), match.group(), value, _CURRENCIES[match["sign"].lower()], bound))
        elif match["several_en"]:
            low = Decimal(2) * _EN_SCALES[match["sen"].lower()]
            out.append(Amount(*match.span(), match.group(), low, "USD", "several"))
    return out


# --- dates -------------------------------------------------------------------------------------
_MONTHS_EN = {name: number for number, name in enumerate(calendar.month_name) if name}
_ZH_DATE = re.compile(
    r"(?P<range>从)?(?:(?P<year>\d{4})年|(?P<rel>去年|今年|前年|明年))?(?:(?P<month>\d{1,2}|[一二三四五六七八九十]{1,2})月(?:份)?"
    r"(?P<part>初|中旬|上旬|下旬|底|末)?(?:(?P<day>\d{1,2})日)?)?(?P<half>上半年|下半年|年初|年底|年末|初)?(?P<now>至今)?"
    r"|(?P<lastmonth>上个月|上月)|(?P<thismonth>本月|这个月)"
)
_EN_DATE = re.compile(
    r"\b(?:(?P<lastweek>last week)|(?P<lastmonth>last month)|(?P<lastyear>last year)|(?P<thisyear>this year)"
    r"|(?:in |since |by |early |late |mid-)*(?P<month>" + "|".join(_MONTHS_EN) + r")(?: (?P<day>\d{1,2}))?"
    r"(?:,? (?P<year>\d{4}))?|in (?P<yearonly>\d{4}))\b"
)
_ZH_MONTH = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {"十一": 11, "十二": 12}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in the text and what it resolves to."""

    start: int
    end: int
    text: str
    date: FuzzyDate


def _month_span(year: int, month: int, part: str | None) -> str:
    last = calendar.monthrange(year, month)[1]
    head = f"{year:04d}-{month:02d}"
    spans = {"初": (1, 10), "上旬": (1, 10), "中旬": (11, 20), "下旬": (21, last), "底": (21, last), "末": (21, last)}
    if part in spans:
        lo, hi = spans[part]
        return f"{head}-{lo:02d}..{head}-{hi:02d}"
    return head


def _published_parts(published: FuzzyDate) -> tuple[int, int, date | None]:
    day = published.latest or published.earliest or date.today()
    exact = day if published.precision.value == "day" else None
    return day.year, day.month, exact


def dates(text: str, published: FuzzyDate, language: str) -> list[DateMention]:
    """Every date expression in the text, resolved against the publication date."""
    year_now, month_now, day_now = _published_parts(published)
    now_text = published.text.lstrip("~")
    out: list[DateMention] = []
    regex = _ZH_DATE if language == "zh" else _EN_DATE
    for match in regex.finditer(text):
        if not match.group().strip():
            continue
        resolved = _resolve_zh(match, year_now, month_now, now_text) if language == "zh" else None
        if language != "zh":
            resolved = _resolve_en(match, year_now, month_now, day_now)
        if resolved:
            try:
                out.append(DateMention(*match.span(), match.group(), FuzzyDate.parse(resolved)))
            except ValueError:
                continue
    return out


def _resolve_zh(match: re.Match[str], year_now: int, month_now: int, now_text: str) -> str | None:
    if match["lastmonth"]:
        last_year, last_month = (year_now, month_now - 1) if month_now > 1 else (year_now - 1, 12)
        return f"{last_year:04d}-{last_month:02d}"
    if match["thismonth"]:
        return f"{year_now:04d}-{month_now:02d}"
    rel = {"去年": -1, "今年": 0, "前年": -2, "明年": 1}
    year: int | None = int(match["year"]) if match["year"] else year_now + rel[match["rel"]] if match["rel"] else None
    month_text = match["month"]
    if month_text is None:
        if year is None:
            return None
        half = match["half"]
        if half == "上半年":
            return f"{year}-01..{year}-06"
        if half == "下半年":
            return f"{year}-07..{year}-12"
        if half in ("年初", "初"):
            return f"~{year}-01..{year}-04"
        if half in ("年底", "年末"):
            return f"{year}-10..{year}-12"
        if not (match["year"] or match["rel"]) or not match.group().rstrip("至今从"):
            return None
        return f"{year}..{now_text}" if match["now"] else str(year)
    month = int(month_text) if month_text.isdigit() else _ZH_MONTH.get(month_text, 0)
    if not 1 <= month <= 12:
        return None
    if year is None:  # "4月份": this year's, unless that is still to come
        year = year_now if month <= month_now else year_now - 1
    if match["day"]:
        return f"{year:04d}-{month:02d}-{int(match['day']):02d}"
    span = _month_span(year, month, match["part"])
    if match["now"]:
        return f"{span.split('..')[0]}..{now_text}"
    return span


def _resolve_en(match: re.Match[str], year_now: int, month_now: int, day_now: date | None) -> str | None:
    if match["lastweek"]:
        if day_now is None:
            return f"~{year_now:04d}-{month_now:02d}"
        start = day_now - timedelta(days=day_now.weekday() + 7)
        return f"{start.isoformat()}..{(start + timedelta(days=6)).isoformat()}"
    if match["lastmonth"]:
        year, month = (year_now, month_now - 1) if month_now > 1 else (year_now - 1, 12)
        return f"{year:04d}-{month:02d}"
    if match["lastyear"]:
        return str(year_now - 1)
    if match["thisyear"]:
        return str(year_now)
    if match["yearonly"]:
        return match["yearonly"]
    month = _MONTHS_EN[match["month"]]
    year = int(match["year"]) if match["year"] else (year_now if month <= month_now else year_now - 1)
    if match["day"]:
        return f"{year:04d}-{month:02d}-{int(match['day']):02d}"
    return f"{year:04d}-{month:02d}"
