"""The article as drafting reads it: its script, a simplified twin for matching, and its
sentences and clauses with their character offsets in the text as written."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from aiorg.draft import deps
from aiorg.draft.watermark import boilerplate_spans, watermark_spans

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
# sentence ends: Chinese full stops, ! ?, a full stop before a space or line end, and line breaks
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』)）]*|\.(?=\s|$)[”’\"]?|\n+")
_CLAUSE_BREAK = re.compile(r"[，,、：:（(）)—]")


def detect_language(text: str) -> str:
    """'zh' when Chinese characters outnumber a fifth of the letters, else 'en'."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk * 5 >= latin and cjk > 0 else "en"


def simplified(text: str) -> str:
    """The text in simplified characters, character for character (same length, same offsets)."""
    if not _CJK.search(text):
        return text
    convert = deps.to_simplified().convert
    whole = convert(text)
    if len(whole) == len(text):
        return whole
    return "".join(out if len(out := convert(ch)) == 1 else ch for ch in text)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article: [start, end) in the text as written."""

    start: int
    end: int


@dataclass(slots=True)
class Sentence:
    """One sentence: where it is, and the stretches of it that are free of watermark fragments."""

    start: int
    end: int
    pieces: list[Span]  # watermark-free, stripped stretches, in order
    paragraph: int


@dataclass
class Article:
    """An article's text as written, and what drafting derives from it."""

    text: str
    language: str
    simple: str = ""  # the same text in simplified characters (for matching only)
    noise: list[tuple[int, int]] = field(default_factory=list)  # watermark fragments
    boilerplate: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def read(cls, text: str, language: str = "auto") -> Article:
        """Normalise line ends, detect the language, and find watermarks and boilerplate."""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        lang = detect_language(text) if language == "auto" else language
        return cls(text, lang, simplified(text), watermark_spans(text), boilerplate_spans(text))

    def is_noise(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a watermark fragment or boilerplate."""
        return any(a < end and start < b for a, b in (*self.noise, *self.boilerplate))

    @cached_property
    def masked(self) -> str:
        """The simplified text with every character of a watermark fragment or boilerplate a space."""
        chars = list(self.simple)
        for a, b in (*self.noise, *self.boilerplate):
            for at in range(max(a, 0), min(b, len(chars))):
                chars[at] = " "
        return "".join(chars)

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Every sentence outside boilerplate, with its watermark-free pieces."""
        out: list[Sentence] = []
        paragraph = 0
        start = 0
        for match in _SENTENCE_END.finditer(self.text + "\n"):
            end = min(match.end(), len(self.text))
            if "\n\n" in self.text[start:end] or (match.group().startswith("\n") and len(match.group()) > 1):
                paragraph += 1
            self._add(out, start, end, paragraph)
            start = match.end()
        return out

    def _add(self, out: list[Sentence], start: int, end: int, paragraph: int) -> None:
        if any(a < end and start < b for a, b in self.boilerplate):
            return
        cuts = sorted((a, b) for a, b in self.noise if a < end and start < b)
        pieces: list[Span] = []
        at = start
        for a, b in [*cuts, (end, end)]:
            piece = strip(self.text, at, min(a, end))
            if piece is not None:
                pieces.append(piece)
            at = max(at, b)
        if pieces:
            out.append(Sentence(pieces[0].start, pieces[-1].end, pieces, paragraph))


def strip(text: str, start: int, end: int) -> Span | None:
    """The span without surrounding spaces and line breaks, or None if nothing is left."""
    while start < end and (text[start].isspace() or text[start] in "\u3000"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "\u3000"):
        end -= 1
    return Span(start, end) if end > start else None


def clause_bounds(text: str, sentence: Sentence, start: int, end: int) -> Span:
    """[start, end) widened to the clause marks around it, inside its watermark-free piece."""
    piece = next((p for p in sentence.pieces if p.start <= start < p.end), sentence.pieces[0])
    lo = start
    while lo > piece.start and not _CLAUSE_BREAK.match(text[lo - 1]):
        lo -= 1
    hi = end
    while hi < piece.end and not _CLAUSE_BREAK.match(text[hi]):
        hi += 1
    return strip(text, lo, min(hi, piece.end)) or Span(start, end)


def quote_spans(text: str, sentence: Sentence, spans: list[Span]) -> list[Span]:
    """The smallest clause-aligned stretches of the sentence that hold all these spans, one per
    watermark-free piece they touch (a quote never holds a fragment)."""
    out: list[Span] = []
    for piece in sentence.pieces:
        inside = [s for s in spans if piece.start <= s.start < piece.end]
        if not inside:
            continue
        lo = min(s.start for s in inside)
        hi = min(max(s.end for s in inside), piece.end)
        first = clause_bounds(text, sentence, lo, lo + 1)
        last = clause_bounds(text, sentence, max(hi - 1, lo), hi)
        span = strip(text, first.start, last.end)
        if span is not None:
            out.append(span)
    return out


def fold(char: str) -> str:
    """One character as name matching compares it: width- and case-folded, or '' for a separator."""
    if char in " \t\n\u3000·•・.-_'’()（）":
        return ""
    folded = unicodedata.normalize("NFKC", char).casefold()
    return folded if len(folded) == 1 else char.casefold()[:1] or char
