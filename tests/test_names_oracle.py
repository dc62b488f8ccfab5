"""NameIndex.lookup against a naive oracle: the matching rules of issue 13 applied in memory to
every name of every record, on generated names in both scripts."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg.errors import AmbiguousNameError, NotFoundError
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.model import NAMED_KINDS
from aiorg.name_words import GENERIC_CJK, GENERIC_LATIN
from aiorg.names import NameIndex, normalise_name

SURNAMES = [("Zhang", "张"), ("Li", "李"), ("Wang", "王"), ("Chen", "陈")]
GIVEN = [("Wei", "伟"), ("Fang", "芳"), ("Hao", "浩"), ("Jing", "静"), ("Ming", "明"), ("Tao", "涛")]
FIRM_WORDS = [("Deep", "深度"), ("Moon", "月之"), ("Bai", "百"), ("Chuan", "川"), ("Star", "星辰"), ("Zero", "零一")]
FIRM_TAILS = [("AI", "智能"), ("Technology", "科技"), ("Intelligence", "人工智能"), ("Labs", ""), ("", "")]
KINDS = [("people",), ("firms",), ("groups",), ("firms", "people"), NAMED_KINDS]


@dataclass(frozen=True)
class Named:
    kind: str
    id: str
    names: tuple[str, ...]


def _generate(seed: int = 13) -> list[Named]:
    rng = random.Random(seed)
    records: list[Named] = []
    for number in range(40):
        (sur, sur_zh), (g1, g1_zh), (g2, g2_zh) = rng.choice(SURNAMES), rng.choice(GIVEN), rng.choice(GIVEN)
        name = f"{sur} {g1}{g2.lower()}" if number % 3 else f"{sur} {g1} {g2}"
        aliases = [sur] if number % 7 == 0 else []
        aliases += [f"{g1_zh}·{sur_zh}{g2_zh}"] if number % 5 == 0 else []
        records.append(Named("people", f"p{number}", (f"p{number}", name, f"{sur_zh}{g1_zh}{g2_zh}", *aliases)))
    for number in range(20):
        (w1, w1_zh), (w2, w2_zh), (tail, tail_zh) = (
            rng.choice(FIRM_WORDS),
            rng.choice(FIRM_WORDS),
            rng.choice(FIRM_TAILS),
        )
        name = " ".join(part for part in (f"{w1}{w2.lower()}" if number % 2 else f"{w1} {w2}", tail) if part)
        records.append(Named("firms", f"f{number}", (f"f{number}", name, f"{w1_zh}{w2_zh}{tail_zh}")))
    records.append(Named("groups", "g0", ("g0", "Six little dragons", "AI六小龙", "六小龙")))
    records.append(Named("groups", "g1", ("g1", "Moon Group", "月之组")))
    return records


RECORDS = _generate()


def _yaml(records: list[Named]) -> str:
    lines = ["sources:\n  - {id: s, title: T}\n"]
    for kind in ("people", "firms", "groups"):
        lines.append(f"{kind}:\n")
        for record in (r for r in records if r.kind == kind):
            _, name, name_zh, *aliases = record.names
            alias_list = ", ".join(f'"{a}"' for a in aliases)
            lines.append(
                f'  - {{id: {record.id}, name: "{name}", name_zh: "{name_zh}", aliases: [{alias_list}],'
                " source: s, quote: q}\n"
            )
    return "".join(lines)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> NameIndex:
    data = tmp_path_factory.mktemp("names") / "data"
    data.mkdir()
    (data / "kb.yaml").write_text(_yaml(RECORDS), encoding="utf-8")
    kb: KnowledgeBase = load(data)
    return NameIndex(kb)


# --- the oracle: the rules, written out plainly over every name ------------------------------------


def _terms(typed: str) -> list[tuple[str, bool, bool]]:
    """(text, is_cjk, distinctive) for each word and CJK piece of a typed name, each once."""
    folded = unicodedata.normalize("NFKC", typed).casefold()
    out: list[tuple[str, bool, bool]] = []
    for word in re.findall(r"[a-z0-9]+", folded):
        out.append((word, False, len(word) > 1 and word not in GENERIC_LATIN))
    generic = sorted(GENERIC_CJK, key=len, reverse=True)
    for run in re.findall(r"[\u4e00-\u9fff]+", folded):
        piece, at = "", 0
        while at < len(run):
            word = next((g for g in generic if run.startswith(g, at)), None)
            if word is None:
                piece, at = piece + run[at], at + 1
                continue
            out += [(piece, True, len(piece) > 1)] if piece else []
            out.append((word, True, False))
            piece, at = "", at + len(word)
        out += [(piece, True, len(piece) > 1)] if piece else []
    return list(dict.fromkeys(out))


def _holds(record: Named, term: tuple[str, bool, bool]) -> bool:
    text, cjk, _ = term
    if cjk:
        return any(text in normalise_name(name) for name in record.names)
    return any(text in re.findall(r"[a-z0-9]+", name.casefold()) for name in record.names)


def oracle(typed: str, kinds: tuple[str, ...]) -> tuple[str, ...]:
    """('id', id, other ids holding it...) | ('partial', id) | ('ambiguous', ids...) | ('none',)"""
    among = sorted((r for r in RECORDS if r.kind in kinds), key=lambda r: kinds.index(r.kind))
    if typed.strip() in {r.id for r in among}:
        return ("id", typed.strip())
    exact = [r.id for r in among if any(normalise_name(n) == normalise_name(typed) for n in r.names)]
    if len(exact) == 1:
        return ("id", exact[0], *(r for r in _partial(typed, among) if r != exact[0]))
    if exact:
        return ("ambiguous", *sorted(exact))
    found = _partial(typed, among)
    if len(found) == 1:
        return ("partial", found[0])
    return ("ambiguous", *found) if found else ("none",)


def _partial(typed: str, among: list[Named]) -> list[str]:
    terms = _terms(typed)
    distinctive = [t for t in terms if t[2]]
    found = [r for r in among if distinctive and all(_holds(r, t) for t in distinctive)]
    if len(found) > 1:
        found = [r for r in found if all(_holds(r, t) for t in terms)] or found
    return [r.id for r in found]


def actual(index: NameIndex, typed: str, kinds: tuple[str, ...]) -> tuple[str, ...]:
    try:
        match = index.lookup(typed, kinds)
    except AmbiguousNameError as error:  # AmbiguousMatchError too
        return ("ambiguous", *error.record_ids)
    except NotFoundError:
        return ("none",)
    return ("partial", match.record_id) if match.partial else ("id", match.record_id, *match.also)


def _pieces(record: Named) -> set[str]:
    """Every word of every name, and every CJK substring of two to four characters."""
    out: set[str] = set()
    for name in record.names:
        out.update(re.findall(r"[A-Za-z0-9]+", name))
        norm = normalise_name(name)
        out.update(norm[i : i + n] for n in (1, 2, 3, 4) for i in range(len(norm) - n + 1) if not norm.isascii())
    return out


@pytest.mark.parametrize("kinds", KINDS)
def test_every_word_and_piece_of_every_name_as_the_oracle_says(index: NameIndex, kinds: tuple[str, ...]) -> None:
    typed = sorted(set().union(*(_pieces(r) for r in RECORDS)))
    wrong = [
        (t, actual(index, t, kinds), oracle(t, kinds)) for t in typed if actual(index, t, kinds) != oracle(t, kinds)
    ]
    assert wrong == []
    outcomes = {oracle(t, kinds)[0] for t in typed}
    assert len(outcomes) == 4 or kinds == ("groups",), outcomes  # the generated names exercise every outcome


VOCABULARY = sorted(
    {w for pair in SURNAMES + GIVEN + FIRM_WORDS + FIRM_TAILS for w in pair if w}
    | {"six", "little", "dragons", "六小龙", "Group", "Inc", "xyz", "龙", "·"}
)
TYPED = st.lists(
    st.tuples(
        st.sampled_from(VOCABULARY), st.sampled_from(["upper", "lower", "same"]), st.sampled_from(["", " ", "."])
    ),
    min_size=1,
    max_size=4,
).map(
    lambda parts: "".join(
        (word.upper() if case == "upper" else word.lower() if case == "lower" else word) + gap
        for word, case, gap in parts
    )
)


@given(typed=TYPED, kinds=st.sampled_from(KINDS))
def test_typed_names_as_the_oracle_says(index: NameIndex, typed: str, kinds: tuple[str, ...]) -> None:
    assert actual(index, typed, kinds) == oracle(typed, kinds), typed


@given(surname=st.sampled_from(SURNAMES), kinds=st.sampled_from([("people",), NAMED_KINDS]))
def test_a_shared_surname_never_resolves_silently(
    index: NameIndex, surname: tuple[str, str], kinds: tuple[str, ...]
) -> None:
    holders = [r.id for r in RECORDS if r.kind == "people" and r.names[1].split()[0] == surname[0]]
    assert len(holders) > 1  # the generated names share every surname
    outcome = actual(index, surname[0].lower(), kinds)
    if outcome[0] == "id":  # a surname that is one person's alias is that person's name...
        assert set(holders) <= set(outcome[1:])  # ... but the others are named beside them
    else:  # several people's alias (all listed), or nobody's (every holder listed)
        assert outcome[0] == "ambiguous" and len(outcome) > 2
        assert set(outcome[1:]) <= set(holders)
        assert set(outcome[1:]) == set(holders) or all(surname[0] in r.names for r in RECORDS if r.id in outcome)
