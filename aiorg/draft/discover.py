"""People and firms the knowledge base does not have, found from how the article names them:
transliterated names ("马克·扎克伯格"), a name after a title ("商业化负责人魏伟", "CEO Alexandr
Wang"), a firm before a title ("前智谱COO"), a firm in a list with other firms, a firm a
deal or a report is about, and jieba's part-of-speech tags for person (nr) and organisation (nt)
names. Every found name is a Mention with no record ids and the cue that gave it away."""

from __future__ import annotations

import re
from collections.abc import Iterable

from aiorg.cache import Cache
from aiorg.draft.cues import AREAS_ZH, ROLE_CUES_ZH, SURNAMES, TITLES_EN, TITLES_ZH, pattern
from aiorg.draft.known import Mention
from aiorg.draft.lexicon import spellings
from aiorg.draft.tagger import tagger
from aiorg.draft.text import Article

_HAN = r"[\u4e00-\u9fff]"
_TITLE_ZH = pattern(TITLES_ZH)
_TITLE_ANY = f"(?:{_TITLE_ZH}|{pattern(('CEO', 'COO', 'CTO', 'CFO', 'CPO', 'VP'))})"
#: characters that transliterated foreign names are written with
_SOUNDS = set(
    "阿埃艾爱安昂奥巴拜班邦包贝本比宾波伯博布查达戴丹道德迪蒂杜多厄恩法菲费芬丰弗福盖甘戈格根古哈海汉豪赫亨胡"
    "华霍基吉加贾杰金卡凯坎康考柯科克肯库夸奎拉莱兰朗劳勒雷里利莉连林琳卢鲁伦罗洛马迈麦曼梅门蒙米缪莫姆穆纳娜奈"
    "南内尼宁纽努诺欧帕派潘佩彭皮珀普齐奇恰乔切丘萨塞桑瑟森沙莎尚什舍施斯松苏索塔泰坦汤唐特滕提汀通图托瓦万威韦"
    "维温文沃乌伍西希锡谢辛休雅亚扬耶伊因英尤约泽扎詹兹卓佐翰武茨黛娅琼妮丝玛莱山姆尔伽"
)
_SOUNDS_FIRM = re.compile(f"[{''.join(sorted(_SOUNDS))}]{{2,4}}公司")
_TRANSLITERATED = re.compile(r"[^\W\d_]+·[^\W\d_]+")
#: what may follow a name after a title; none of these ends a three-character name ("刘洋已于": 刘洋)
_AFTER_NAME = "等被因在已也的和及今去曾则仍将于说表"
_AFTER_TITLE_ZH = re.compile(
    rf"{_TITLE_ANY}\s*(?:——)?\s*({_HAN}{{2}}(?:(?![{_AFTER_NAME}]){_HAN})?)(?=[\s、，,。(（{_AFTER_NAME}]|$)"
)
_LATIN_NAME = r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}"
_AFTER_TITLE_LATIN = re.compile(rf"{_TITLE_ANY}\s*(?:——)?\s*({_LATIN_NAME})(?![A-Za-z])")
_EN_TITLE = pattern(TITLES_EN)
#: names keep their capitals (only the words around them are read in any case)
_EN_PERSON = re.compile(
    rf"\b({_LATIN_NAME})(?i:,| is| was| has| had| who)(?i: (?:the|a|an|its|their))?(?: [\w'’-]+)?\s+(?i:{_EN_TITLE})\b"
    rf"|(?i:{_EN_TITLE})(?: of [A-Z][\w.]*(?: [A-Z][\w.]*)*)?,? ({_LATIN_NAME})\b"
    rf"|\b({_LATIN_NAME}) (?:joined|was (?:promoted|appointed|named|hired)|has been (?:promoted|appointed|named))"
    rf"\b[^.;]{{0,40}}?\b(?i:{_EN_TITLE})\b"
)
#: a capitalised name ending in a word firms are named with ("Quarry Holdings", "Halcyon AI")
_EN_SUFFIXED_FIRM = re.compile(
    r"\b((?:[A-Z][A-Za-z0-9&-]+ ){1,3}(?:Holdings|Capital|Group|Systems|Labs|Technologies|Partners|Ventures"
    r"|Robotics|AI|Inc\.|Corp\.))(?![A-Za-z])"
)
#: a firm written with one of those words is also written without it ("Brightwater Labs", "Brightwater")
FIRM_WORDS = re.compile(r" (?:Holdings|Capital|Group|Systems|Labs|Technologies|Partners|Ventures|Robotics|AI)$")
#: words that start a sentence or a clause, not a name
_LEADING = {"Neither", "Nor", "Both", "And", "Or", "At", "From", "By", "For", "With", "While", "Rival", "Rivals"}
#: Chinese firm names: two characters and a word firms are named with ("北辰智能", "天衡集团") ...
_HAN_SUFFIXED_FIRM = re.compile(r"[\u4e00-\u9fff]{2}(?:智能|科技|集团|资本|控股|实验室|研究院)")
#: ... unless the two characters make it an ordinary phrase ("人工智能", "风险资本")
_ORDINARY_PREFIX = {"人工", "通用", "机器", "群体", "计算", "金融", "信息", "数字", "前沿", "尖端", "风险", "私募"}
_ORDINARY_PREFIX |= {"国有", "民营", "产业", "大型", "跨国", "高新", "国际", "全球", "中国", "美国", "互联", "超级"}
#: ... or a name after a word that introduces a firm ("离开星河智算", "竞争对手北辰智能"), as long as the
#: article writes it again: the longest run of three to six characters there that recurs
_FIRM_INTRO_ZH = re.compile(
    r"(?:离开|加入|加盟|收购|创办|创立|入股|竞争对手|对手|新创|创企|初创公司|(?:智能|智慧|科技|模型|语音|芯片|AI)公司)"
    r"([\u4e00-\u9fff]{3,8})"
)
_NOT_NAME_START = set("这该此其一两几每各本某那哪")
_JOINING = set("和与及或的在了是对向从把被将")  # "挖角和资本" is no firm
_FIRM_TOKEN = r"(?:[A-Z][A-Za-z0-9.]*(?: (?:AI|Labs?|Technologies|Systems|Intelligence|[A-Z][a-z]+))*)"
_FIRM_BEFORE_TITLE = re.compile(
    rf"(?:(?:(?<![\u4e00-\u9fff])|(?<=于)|(?<=括)|(?<=是))前|作为|包括|原任)\s*({_FIRM_TOKEN}|{_HAN}{{2,6}}?)\s*(?:[“\"「][^”\"」]{{1,8}}[”\"」])?"
    rf"(?:{pattern(AREAS_ZH)})?(?:{_TITLE_ANY})"
)
_LATIN_FIRM_BEFORE_TITLE = re.compile(rf"({_FIRM_TOKEN})\s*(?:{pattern(AREAS_ZH)})?(?:{_TITLE_ANY})")
_MEDIA = re.compile(
    rf"据\s*《?({_FIRM_TOKEN}|{_HAN}{{2,6}}?)》?\s*(?:报道|爆料|了解|获悉)|《({_HAN}{{2,8}})》|外媒({_FIRM_TOKEN})"
)
_FIRM_CUES = re.compile(
    rf"(?:收购|从|加入|投资|创办|创立|离开|来自|对)\s*({_FIRM_TOKEN})"
    rf"|({_FIRM_TOKEN})\s*(?:完成|内部|等大厂|公司|的CEO|的现任CEO|团队|创始人|联合创始人)"
    rf"|(?:创企|初创公司|公司|平台)\s*({_FIRM_TOKEN})"
)
_EN_FIRM = re.compile(
    r"\b(?:at|from|joined|joins|left|leaves|acquire[sd]?|buy|bought|invest(?:ed)? in|stake in|of)\s+"
    r"((?:[A-Z][\w.]*[A-Za-z0-9])(?: (?:AI|Labs?|[A-Z][a-z]+))*)"
)
_LIST_SEPARATOR = re.compile(r"\s*(?:、|和|及|与|到|,|，)\s*")
_NOT_FIRM = {
    "AI",
    "AGI",
    "CEO",
    "COO",
    "CTO",
    "CFO",
    "HR",
    "The",
    "A",
    "An",
    "In",
    "On",
    "He",
    "She",
    "It",
    "They",
    "But",
    "Fictional",
    "This",
    "That",
    "Its",
    "His",
    "Her",
    "After",
    "Before",
    "Last",
    "When",
    "According",
    "As",
    "Chinese",
    "American",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Note",
}
_NOT_PERSON_END = set("的了在是和与及等被")
_ORGANISATION_WORDS = "公司|集团|科技|智能|实验室|研究院|大学"
_ORGANISATION_END = re.compile(f"(?:{_ORGANISATION_WORDS})$")
#: what a piece must hold for jieba to find a name there that drafting keeps
_TAGGABLE = re.compile(f"[{''.join(sorted(SURNAMES))}]|{_ORGANISATION_WORDS}")
_LATIN_EDGE = re.compile(r"[A-Za-z0-9]")
#: a two-character name opens its clause and a role change follows in it ("陈静于今年4月加入…")
_CLAUSE_START = re.compile(r"(?:^|[\s，,。；;：:！!？?）)」”])$")
_ROLE_CHANGE_ZH = "|".join(regex for regex, cause in ROLE_CUES_ZH if cause != "founded_firm")
_ROLE_CHANGE_NEXT = re.compile(rf"\s*(?:[于在已曾被将也则因][^，,。；;：:]{{0,16}}?)?(?:{_ROLE_CHANGE_ZH})")
#: the cue of a name from the lexicon of well-known firms, followed by its English name
WELL_KNOWN = "well-known firm: "


def discover(article: Article, known: list[Mention], cache: Cache | None = None) -> list[Mention]:
    """Names found from their cues, where no known name already stands (the cache keeps jieba's
    dictionary in the shape that loads fast: see aiorg.draft.tagger)."""
    text = article.simple
    found: list[Mention] = []

    def add(start: int, end: int, kind: str, cue: str) -> None:
        name = article.text[start:end]
        if end - start < 2 or article.is_noise(start, end) or name.strip() in _NOT_FIRM:
            return
        if any(m.start < end and start < m.end for m in (*known, *found)):
            return
        found.append(Mention(start, end, name, kind, (), cue))

    for written, english in spellings():  # household names (苹果, 谷歌) carry no cue of their own
        for match in re.finditer(re.escape(written), text):
            start, end = match.span()
            if _LATIN_EDGE.match(written) and (
                (start > 0 and _LATIN_EDGE.match(text[start - 1])) or (end < len(text) and _LATIN_EDGE.match(text[end]))
            ):
                continue
            add(start, end, "firms", f"{WELL_KNOWN}{english}")
    for match in _TRANSLITERATED.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start] not in _SOUNDS:
            start += 1
        while end > start and text[end - 1] not in _SOUNDS:
            end -= 1
        dot = text.find("·", start, end)
        if dot < 0:
            continue
        first = dot  # the sounds run back from the dot, four at most (a title ends before them)
        while first > max(start, dot - 4) and text[first - 1] in _SOUNDS:
            first -= 1
        last = dot + 1
        while last < end and text[last] in _SOUNDS:
            last += 1
        if dot - first >= 1 and last - dot - 1 >= 2:
            add(first, last, "people", "transliterated name")
    for match in _AFTER_TITLE_ZH.finditer(article.masked):  # a watermark piece may end a name ("孙宇型竞已于")
        if match[1][0] in SURNAMES and match[1][-1] not in _NOT_PERSON_END:
            add(match.start(1), match.end(1), "people", "name after a title")
    for regex in (_AFTER_TITLE_LATIN, _EN_PERSON):
        for match in regex.finditer(article.text):
            group = next(g for g in range(1, (match.lastindex or 0) + 1) if match[g])
            start, words = match.start(group), match[group].split(" ")
            while len(words) > 2 and (words[0] in _LEADING or words[0] in _NOT_FIRM):  # "In April Chen Jing"
                start += len(words[0]) + 1
                words = words[1:]
            if words[0] not in _LEADING and words[0] not in _NOT_FIRM:
                add(start, match.end(group), "people", "name beside a title")
    _suffixed_firms(article, add)
    if article.language == "zh":
        _tagged(article, add, cache)
    _repeats(article, [*known, *found], found)
    for regex in (_FIRM_BEFORE_TITLE, _LATIN_FIRM_BEFORE_TITLE, _MEDIA, _FIRM_CUES, _EN_FIRM):
        for match in regex.finditer(text):
            for group in range(1, (match.lastindex or 0) + 1):
                if match[group]:
                    start, end = match.span(group)
                    add(start, end, "firms", "firm beside a title, deal or report")
    _repeats(article, [*known, *found], found)
    _lists(article, [*known, *found], add)
    _repeats(article, [*known, *found], found)
    return sorted(found, key=lambda m: m.start)


def _suffixed_firms(article: Article, add: object) -> None:
    """Firms named with a firm word ("Quarry Holdings", "天衡集团"), and Chinese names written after a
    word that introduces a firm and written again elsewhere in the article."""
    assert callable(add)
    text = article.simple
    for match in _EN_SUFFIXED_FIRM.finditer(text):
        start, words = match.start(1), match[1].split(" ")
        while len(words) > 2 and (words[0] in _LEADING or words[0] in _NOT_FIRM):
            start += len(words[0]) + 1
            words = words[1:]
        adjective = words[-1] == "AI" and re.search(r"\b(?:the|a|an)\s+$", text[max(0, start - 5) : start])
        if words[0] not in _LEADING and words[0] not in _NOT_FIRM and not adjective:  # not "the Seattle AI startup"
            add(start, match.end(1), "firms", "name with a firm word")
    for match in _HAN_SUFFIXED_FIRM.finditer(text):
        prefix = match.group()[:2]
        if prefix not in _ORDINARY_PREFIX and prefix[0] not in _NOT_NAME_START and not set(prefix) & _JOINING:
            add(_sounds_before(text, match.start()), match.end(), "firms", "name with a firm word")
    for match in _SOUNDS_FIRM.finditer(text):  # "伽马公司": a transliterated name and 公司
        if match.start() == 0 or text[match.start() - 1] not in _SOUNDS:
            add(match.start(), match.end(), "firms", "transliterated name with 公司")
    for match in _FIRM_INTRO_ZH.finditer(text):
        run = match[1]
        for length in range(min(6, len(run)), 2, -1):
            if run[0] not in _NOT_NAME_START and text.count(run[:length]) >= 2:
                add(match.start(1), match.start(1) + length, "firms", "firm after a word that introduces one")
                break


def _sounds_before(text: str, start: int) -> int:
    """Where a firm name written with a firm word starts: a transliterated name runs back one or
    two characters more ("阿尔法智能", not "尔法智能"; "欧米伽资本"), when every character of it is
    one names are transliterated with and the one before it is not."""
    if not all(c in _SOUNDS for c in text[start : start + 2]):
        return start
    first = start
    while first > max(0, start - 2) and text[first - 1] in _SOUNDS:
        first -= 1
    return first if first == 0 or text[first - 1] not in _SOUNDS else start


def _tagged(article: Article, add: object, cache: Cache | None) -> None:
    """jieba's person (nr) names that start with a common surname, and organisation (nt) names.

    Each piece is cut on its own, so a piece with neither a surname nor a word organisation names
    end with, which can hold no such name, is not cut at all (the HMM is most of the tagger's time)."""
    assert callable(add)
    pieces = [p for s in article.sentences for p in s.pieces if _TAGGABLE.search(article.simple, p.start, p.end)]
    if not pieces:
        return
    posseg = tagger(article.simple, cache)
    freq = posseg.tokenizer.FREQ
    for piece in pieces:
        at = piece.start
        for word, flag in posseg.cut(article.simple[piece.start : piece.end]):
            start = article.simple.find(word, at)
            if start < 0:
                continue
            at = start + len(word)
            straddle = (article.simple[max(start - 1, 0) : start + 1], article.simple[at - 1 : at + 1])
            if any(len(w) == 2 and freq.get(w, 0) > 0 for w in straddle):
                continue  # its edge is half of a dictionary word (真金白银: 真金)
            if flag == "nr" and len(word) == 3 and word[0] in SURNAMES:
                add(start, at, "people", "person name (jieba nr)")
            elif flag == "nr" and len(word) == 2 and word[0] in SURNAMES and not freq.get(word):
                if _CLAUSE_START.search(article.masked, 0, start) and _ROLE_CHANGE_NEXT.match(article.masked, at):
                    add(start, at, "people", "person name (jieba nr) that a role change follows")
            elif flag == "nt" and _ORGANISATION_END.search(word):
                add(start, at, "firms", "organisation name (jieba nt)")


def _lists(article: Article, mentions: Iterable[Mention], add: object) -> None:
    """Items listed with a firm ("从智谱到月之暗面、阶跃星辰、MiniMax、百川智能和零一万物") are firms."""
    assert callable(add)
    firms = [m for m in mentions if m.kind == "firms"]
    for sentence in article.sentences:
        for piece in sentence.pieces:
            chunk = article.simple[piece.start : piece.end]
            for clause in re.finditer(r"[^，,。；;：:!！?？()（）]+", chunk):
                parts = [p.strip() for p in _LIST_SEPARATOR.split(clause.group()) if p.strip()]
                if len(parts) < 3:
                    continue
                base = piece.start + clause.start()
                spans = []
                cursor = 0
                for part in parts:
                    where = clause.group().find(part, cursor)
                    cursor = where + len(part)
                    spans.append((base + where, base + cursor, part))
                listed = [s for s in spans if any(f.start <= s[0] and s[1] <= f.end + 1 for f in firms)]
                if len(listed) < 2:
                    continue
                for start, end, part in spans:
                    lead = re.match(r"(?:从|包括|如|相比|比如|还有)", part)
                    if lead:
                        start, part = start + lead.end(), part[lead.end() :]
                    if 2 <= len(part) <= 8 and re.fullmatch(rf"{_HAN}+|[A-Za-z0-9. ]+", part):
                        add(start, end, "firms", "listed with other firms")


def _repeats(article: Article, mentions: list[Mention], found: list[Mention]) -> None:
    """Every other place a discovered name (or the surname part of a transliterated one) is written."""
    names: dict[str, str] = {}
    for mention in found:
        names.setdefault(mention.text, mention.kind)
        if "·" in mention.text:
            first, _, last = mention.text.partition("·")
            names.setdefault(last, mention.kind)
            if len(first) >= 3:
                names.setdefault(first, mention.kind)
        elif mention.kind == "people" and re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)+", mention.text):
            names.setdefault(mention.text.rsplit(" ", 1)[1], "people")  # "Okafor" of "Maya Okafor"
        elif mention.kind == "firms" and FIRM_WORDS.search(mention.text):
            names.setdefault(FIRM_WORDS.sub("", mention.text), "firms")  # "Brightwater" of "Brightwater Labs"
    taken = [(m.start, m.end) for m in mentions]
    for name, kind in sorted(names.items(), key=lambda item: -len(item[0])):
        for match in re.finditer(re.escape(name), article.text):
            start, end = match.span()
            if article.is_noise(start, end) or any(a < end and start < b for a, b in taken):
                continue
            if re.match(r"[A-Za-z0-9]", name) and (
                (start > 0 and re.match(r"[A-Za-z0-9]", article.text[start - 1]))
                or (end < len(article.text) and re.match(r"[A-Za-z0-9]", article.text[end]))
            ):
                continue
            taken.append((start, end))
            found.append(Mention(start, end, name, kind, (), "named again"))
