"""Countries as people type them: ISO 3166 code, English name or Chinese name (CN, China, 中国).

Firms store an ISO code (see aiorg.model.Firm.country). The table covers the countries of the
bundled data and those AI firms are most often based in; a code found in a knowledge base but
not here is still accepted as written.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from aiorg.errors import UsageError

#: ISO code, then the names people type for it (English first, then Chinese: simplified, then traditional)
COUNTRIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "CN",
        (
            "China",
            "PRC",
            "People's Republic of China",
            "Mainland China",
            "中国",
            "中国大陆",
            "中华人民共和国",
            "中國",
            "中國大陸",
            "中華人民共和國",
        ),
    ),
    ("US", ("United States", "USA", "United States of America", "America", "U.S.", "U.S.A.", "美国", "美國")),
    ("GB", ("United Kingdom", "UK", "Britain", "Great Britain", "England", "英国", "英國")),
    ("FR", ("France", "法国", "法國")),
    ("DE", ("Germany", "德国", "德國")),
    ("CA", ("Canada", "加拿大")),
    ("IL", ("Israel", "以色列")),
    ("IN", ("India", "印度")),
    ("JP", ("Japan", "日本")),
    ("KR", ("South Korea", "Korea", "Republic of Korea", "韩国", "韓國", "南韓")),
    ("SG", ("Singapore", "新加坡")),
    ("HK", ("Hong Kong", "香港")),
    ("TW", ("Taiwan", "台湾", "臺灣", "台灣")),
    ("AE", ("United Arab Emirates", "UAE", "阿联酋", "阿聯酋")),
    ("SA", ("Saudi Arabia", "沙特阿拉伯", "沙特", "沙烏地阿拉伯")),
    ("CH", ("Switzerland", "瑞士")),
    ("NL", ("Netherlands", "Holland", "荷兰", "荷蘭")),
    ("SE", ("Sweden", "瑞典")),
)


def fold(text: str) -> str:
    """Case- and space-insensitive form of a country name."""
    return " ".join(text.casefold().split())


_BY_SPELLING = {fold(spelling): code for code, names in COUNTRIES for spelling in (code, *names)}


def spellings(code: str) -> set[str]:
    """Every folded spelling of the country with this code (the code itself included)."""
    return {spelling for spelling, known in _BY_SPELLING.items() if known == code} | {fold(code)}


def country_code(text: str) -> str | None:
    """The ISO code of a country written any known way, or None."""
    return _BY_SPELLING.get(fold(text))


def same_country(stored: str | None, code: str) -> bool:
    """Whether a firm's stored country is the country with this code."""
    return stored is not None and (country_code(stored) or fold(stored)) == (country_code(code) or fold(code))


def parse_country(text: str, in_data: Iterable[str], option: str = "--country") -> str:
    """The code of the country `text` names: from the table, or as some firm in the data writes it.
    Raise UsageError listing the known countries if it names none."""
    text = unicodedata.normalize("NFKC", text)  # as typed: full-width letters are letters
    code = country_code(text)
    if code is not None:
        return code
    stored = {fold(value): value for value in in_data if value}
    if fold(text) in stored:
        return stored[fold(text)]
    table = [f"{code} ({names[0]}, {next(n for n in names if not n.isascii())})" for code, names in COUNTRIES]
    extra = sorted(value for value in stored.values() if country_code(value) is None)
    raise UsageError(f"{option}: unknown country {text!r}; known: {', '.join(table + extra)}")
