"""Find watermark fragments and boilerplate: text that is in the article but is not its content.

Watermarks are phrases chopped into pieces of two to four characters and strewn through the
opening paragraphs in order, cycle after cycle ("大模 … 型竞 … 争美 … 国抢 … 中国裁人 … 大模 …").
A piece of a known phrase counts as a fragment only inside such a chain: each piece continues
the phrase where the one before it stopped, the next one follows within `_REACH` characters,
and the same piece recurs in the chain (or lies between pieces that recur). So "大模型" in
"中美大模型厂商", or a lone "中国", is left alone. Boilerplate is the republication notice,
comment prompts and template markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: phrases known to be strewn into articles as watermarks (add new ones here)
WATERMARK_PHRASES: tuple[str, ...] = ("大模型竞争美国抢中国裁人",)
_SHORTEST = 2  # a fragment has at least two characters
_REACH = 160  # the next fragment of a chain follows within this many characters
_CHAIN = 4  # a chain has at least this many fragments

#: lines that are boilerplate, not reporting
_BOILERPLATE = re.compile(
    r"^\s*(?:特别声明|特別聲明|免责声明|免責聲明|版权声明|版權聲明|发表评论|發表評論|责任编辑|責任編輯|"
    r"Disclaimer|All rights reserved|Copyright|Editor'?s note)|<#[^>]*#>|^\s*[A-Z]\s*$|转载请|轉載請|版权归|版權歸",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Piece:
    """One occurrence of part of a watermark phrase."""

    start: int
    end: int
    phrase: int  # which phrase
    lo: int  # where in the phrase it starts
    hi: int  # and ends


def _pieces(text: str, number: int, phrase: str) -> list[Piece]:
    """Every maximal occurrence of a part (two characters or more) of the phrase."""
    found: list[Piece] = []
    i = 0
    while i < len(text):
        best: Piece | None = None
        for lo in range(len(phrase) - _SHORTEST + 1):
            length = 0
            while i + length < len(text) and lo + length < len(phrase) and text[i + length] == phrase[lo + length]:
                length += 1
            if length >= _SHORTEST and (best is None or length > best.hi - best.lo):
                best = Piece(i, i + length, number, lo, lo + length)
        if best is not None:
            found.append(best)
            i = best.end
        else:
            i += 1
    return found


def watermark_spans(text: str, phrases: tuple[str, ...] = WATERMARK_PHRASES) -> list[tuple[int, int]]:
    """(start, end) of every watermark fragment in the text, in order."""
    spans: list[tuple[int, int]] = []
    for number, phrase in enumerate(phrases):
        pieces = _pieces(text, number, phrase)
        chains: list[list[Piece]] = []
        for piece in pieces:  # each piece continues the nearest chain it can, else starts one
            fits = [c for c in chains if c[-1].hi % len(phrase) == piece.lo and piece.start - c[-1].end <= _REACH]
            if fits:
                max(fits, key=lambda c: c[-1].end).append(piece)
            else:
                chains.append([piece])
        for chain in chains:
            if len(chain) >= _CHAIN:
                spans.extend((p.start, p.end) for p in _fragments(chain))
    return sorted(spans)


def _fragments(chain: list[Piece]) -> list[Piece]:
    """The pieces of a chain that are watermark: each that recurs in it, and each run of pieces
    between two that recur (大模 型竞 争美 国抢 [中国裁人] 大模 …: a piece seen once, but the phrase
    goes on through it). A run at either end of the chain, which nothing continues, is left alone:
    it may be the article's own words ("中国" after the last "国抢")."""
    shapes = [(p.lo, p.hi) for p in chain]
    recurs = [shapes.count(shape) >= 2 for shape in shapes]
    marked = [i for i, r in enumerate(recurs) if r]
    if not marked:
        return []
    return chain[marked[0] : marked[-1] + 1]


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line that is boilerplate (notices, comment prompts, template markers)."""
    spans = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if _BOILERPLATE.search(line):
            spans.append((offset, offset + len(line)))
        offset += len(line)
    return spans
