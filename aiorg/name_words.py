"""The words of a name as people type them: Latin words, pieces of Chinese, and generic words.

A typed name such as "Baichuan Intelligence" or "百川智能科技" is cut into terms. A term is a
Latin word (a run of letters or digits outside the CJK blocks) or a piece of CJK text (a run of
CJK characters with the generic words below cut out). A term is *distinctive* unless it is a
generic word ("AI", "Inc", "科技", "智能"), or a single letter or character: only distinctive
terms can make a partial match on their own.

A Latin term matches a name holding that word; a CJK term matches a name whose normalised form
(aiorg.names.normalise_name) contains it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# CJK ideographs, kana and hangul: scripts written without spaces between words.
_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_LATIN_WORD = re.compile(rf"[^\W_{_CJK}]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")

#: words in many firms' names that tell no firm apart
GENERIC_LATIN = frozenset(
    (
        *("ai", "artificial", "intelligence", "intelligent", "technology", "technologies", "tech"),
        *("inc", "incorporated", "ltd", "llc", "co", "corp", "corporation", "company", "companies"),
        *("lab", "labs", "group", "holding", "holdings", "limited", "systems", "international", "global"),
        *("the", "of", "and"),
    )
)
GENERIC_CJK = ("人工智能", "有限公司", "科技", "智能", "公司", "集团", "技术", "实验室", "控股")
_GENERIC_CJK = re.compile("|".join(sorted(GENERIC_CJK, key=len, reverse=True)))


@dataclass(frozen=True, slots=True)
class Term:
    """One word or CJK piece of a typed name."""

    text: str  # casefolded, NFKC
    cjk: bool
    distinctive: bool


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def latin_words(name: str) -> set[str]:
    """The Latin (non-CJK) words of a name, folded: "Baichuan AI (百川智能)" -> {baichuan, ai}."""
    return set(_LATIN_WORD.findall(_fold(name)))


def terms(typed: str) -> list[Term]:
    """The terms of a typed name, each once, in the order typed."""
    folded = _fold(typed)
    found: dict[tuple[str, bool], Term] = {}
    for word in _LATIN_WORD.findall(folded):
        distinctive = len(word) > 1 and word not in GENERIC_LATIN
        found.setdefault((word, False), Term(word, False, distinctive))
    for run in _CJK_RUN.findall(folded):
        for generic in _GENERIC_CJK.findall(run):
            found.setdefault((generic, True), Term(generic, True, False))
        for piece in _GENERIC_CJK.split(run):
            if piece:
                found.setdefault((piece, True), Term(piece, True, len(piece) > 1))
    return list(found.values())


def term_matches(term: Term, name: str, norm: str) -> bool:
    """Whether a name (as written, and normalised) holds the term."""
    return term.text in norm if term.cjk else term.text in latin_words(name)


def core(typed: str) -> str:
    """The distinctive terms of a typed name joined: what suggestions compare ("" if none)."""
    return "".join(t.text for t in terms(typed) if t.distinctive)
