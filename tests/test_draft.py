"""Drafting candidates from an article: verbatim quotes, no watermark, values read exactly."""

from __future__ import annotations

import importlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg.dates import FuzzyDate
from aiorg.draft import deps
from aiorg.draft.build import draft
from aiorg.draft.values import amounts, dates
from aiorg.draft.watermark import watermark_spans
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from tests.draft_support import ROOT, SEED, require_draft_extra

require_draft_extra()  # the drafting libraries are imported lazily: the modules above import without them

FRAGMENTS = ("大模", "型竞", "争美", "国抢", "中国裁人")


@pytest.fixture(scope="module")
def bundled() -> KnowledgeBase:
    return load(ROOT / "data")


@pytest.fixture(scope="module")
def seed_draft(bundled: KnowledgeBase) -> list[dict[str, Any]]:
    return draft(SEED, bundled, FuzzyDate.parse("2025-06"))


@pytest.fixture(scope="module")
def empty_draft() -> list[dict[str, Any]]:
    return draft(SEED, None, FuzzyDate.parse("2025-06"))


def _quotes(candidate: dict[str, Any]) -> list[tuple[str, int]]:
    return [(candidate["quote"], candidate["offset"])] + [(a["quote"], a["offset"]) for a in candidate.get("also", [])]


@pytest.mark.parametrize("which", ["seed_draft", "empty_draft"])
def test_every_quote_is_verbatim_at_its_offset(which: str, request: pytest.FixtureRequest) -> None:
    candidates = request.getfixturevalue(which)
    assert candidates
    for candidate in candidates:
        for quote, offset in _quotes(candidate):
            assert SEED[offset : offset + len(quote)] == quote


@pytest.mark.parametrize("which", ["seed_draft", "empty_draft"])
def test_no_watermark_fragment_is_quoted(which: str, request: pytest.FixtureRequest) -> None:
    spans = watermark_spans(SEED)
    assert len(spans) == 14
    for candidate in request.getfixturevalue(which):
        for quote, offset in _quotes(candidate):
            assert not any(offset < b and a < offset + len(quote) for a, b in spans), quote
        assert candidate.get("name_as_written", "") not in FRAGMENTS


def test_natural_words_that_share_watermark_characters_stay() -> None:
    text = SEED.replace("大模", "", 0)
    spans = watermark_spans(text)
    assert all(text[a:b] != "大模型竞" for a, b in spans)
    assert not watermark_spans("中美大模型厂商和中国的公司")


def test_known_names_resolve_to_their_records(seed_draft: list[dict[str, Any]]) -> None:
    people = {c["id"] for c in seed_draft if c["kind"] == "person" and c["existing"]}
    assert {"wei-wei", "zhang-qianchuan", "mark-zuckerberg", "alexandr-wang", "ilya-sutskever"} <= people


def test_names_match_in_traditional_script(bundled: KnowledgeBase) -> None:
    text = "前MiniMax商業化負責人魏偉已離職，月之暗面的明超平也離開了。"
    found = {c["id"]: c for c in draft(text, bundled, FuzzyDate.parse("2025-06")) if c["kind"] == "person"}
    assert {"wei-wei", "ming-chaoping"} <= set(found)
    assert found["wei-wei"]["quote"] in text  # the quote stays as written, in traditional characters


def test_empty_knowledge_base_discovers_people(empty_draft: list[dict[str, Any]]) -> None:
    names = {c["name"] for c in empty_draft if c["kind"] == "person"}
    assert {"魏伟", "张前川", "马克·扎克伯格", "纳特·弗里德曼", "Alexandr Wang"} <= names


def test_role_changes_keep_the_most_specific_cause(seed_draft: list[dict[str, Any]]) -> None:
    spells = {(c["person"], c["firm"]): c["cause"] for c in seed_draft if c["kind"] == "role_change"}
    assert spells[("zhang-xinhao", "stepfun")] == "advisor"
    assert spells[("john-giannandrea", "apple")] == "demoted"
    assert spells[("nat-friedman", "github")] == "left"


def test_deal_numbers_are_kept_apart(seed_draft: list[dict[str, Any]]) -> None:
    stake = next(c for c in seed_draft if c["kind"] == "deal" and c["deal_kind"] == "stake")
    assert stake["amount"]["value"] == "14300000000" and stake["stake"] == "49" and stake["valuation"] is None


@pytest.mark.parametrize(
    ("text", "published", "language", "expected", "precision"),
    [
        ("去年9月", "2025-06", "zh", "2024-09", "month"),
        ("今年2月", "2025-06", "zh", "2025-02", "month"),
        ("4月中旬", "2025-06", "zh", "2025-04-11..2025-04-20", "range"),
        ("上个月", "2025-06", "zh", "2025-05", "month"),
        ("從去年12月至今", "2025-06", "zh", "2024-12..2025-06", "range"),
        ("2014年", "2025-06", "zh", "2014", "year"),
        ("last week", "2025-06-18", "en", "2025-06-09..2025-06-15", "range"),
        ("in April", "2025-06-18", "en", "2025-04", "month"),
        ("in September", "2025-06-18", "en", "2024-09", "month"),
    ],
)
def test_dates_resolve_against_publication(
    text: str, published: str, language: str, expected: str, precision: str
) -> None:
    from aiorg.draft.text import simplified

    found = dates(simplified(text), FuzzyDate.parse(published), language)
    assert [(d.date.text, d.date.precision.value) for d in found] == [(expected, precision)]


def test_money_is_exact() -> None:
    found = {a.text: a for a in amounts("融资16.4亿美元，开出高达1亿美元，数十亿美元，三十亿元，$14.3 billion")}
    assert found["16.4亿美元"].value == Decimal("1640000000")
    assert found["高达1亿美元"].bound == "up_to"
    assert found["数十亿美元"].bound == "several"
    assert found["三十亿元"].value == Decimal(3000000000) and found["三十亿元"].currency == "CNY"
    assert found["$14.3 billion"].value == Decimal("14300000000")


def test_missing_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def refuse(name: str, package: str | None = None) -> Any:
        return None if name.split(".")[0] == "jieba" else real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", refuse)
    with pytest.raises(deps.MissingExtraError) as error:
        deps.require()
    assert "pip install 'aiorg[draft]'" in str(error.value)
    assert "jieba" in str(error.value) and "opencc" not in str(error.value)
    assert error.value.exit_code == 2


def test_a_library_that_is_there_but_fails_to_import_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def refuse(name: str, package: str | None = None) -> Any:
        if name.split(".")[0] == "cn2an":
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", refuse)
    deps.require()  # it is installed
    with pytest.raises(deps.MissingExtraError) as error:
        deps.cn2an("三十")
    assert str(error.value) == "drafting needs cn2an; install them with: pip install 'aiorg[draft]'"


def test_a_draft_imports_only_what_its_article_needs() -> None:
    """cn2an only for amounts in Chinese numerals; pkg_resources never (jieba finds its files
    beside its modules): each took a tenth of a second or more to import."""
    script = (
        "import sys\n"
        "from aiorg.dates import FuzzyDate\n"
        "from aiorg.draft.build import draft\n"
        "found = draft(sys.argv[1], None, FuzzyDate.parse('2025-06'))\n"
        "firms = [c['name'] for c in found if c['kind'] == 'firm']\n"
        "amounts = [c['amount']['value'] for c in found if c['kind'] == 'deal']\n"
        "print(firms, amounts, 'cn2an' in sys.modules, 'pkg_resources' in sys.modules)\n"
    )
    import subprocess
    import sys

    def run(text: str) -> str:
        done = subprocess.run([sys.executable, "-c", script, text], capture_output=True, text=True, check=True)
        return done.stdout.strip()

    assert run("北辰智能完成融资3000万美元，投资方为天衡集团。") == "['北辰智能', '天衡集团'] ['30000000'] False False"
    assert run("北辰智能完成融资三千万美元，投资方为天衡集团。") == "['北辰智能', '天衡集团'] ['30000000'] True False"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from aiorg.cli import main as cli

    monkeypatched = dict(cli.COMMAND_INDEX)
    cli.COMMAND_INDEX["draft"] = ("aiorg.cli.draft_commands", "Draft candidate facts.")
    try:
        result = cli.app(args=args, prog_name="aiorg", standalone_mode=False)
    finally:
        cli.COMMAND_INDEX.clear()
        cli.COMMAND_INDEX.update(monkeypatched)
    captured = capsys.readouterr()
    return (result if isinstance(result, int) else 0), captured.out, captured.err


def test_cli_json_and_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text("前MiniMax商业化负责人魏伟已离职。", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    base = ["--data", str(empty), "draft", str(article), "--source-id", "s1", "--published", "2025-06"]
    _, out, err = _run([*base, "--format", "json"], capsys)
    candidates = json.loads(out)
    assert any(c["kind"] == "person" and c["name"] == "魏伟" for c in candidates)
    assert "empty" in err
    _, out, _ = _run(base, capsys)
    assert "review: pending" in out and "people:" in out and "end_cause: left" in out


def test_a_draft_against_an_empty_knowledge_base_uses_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no knowledge base there are no names to cache, but jieba's dictionary still comes from
    the cache (a second faster); --no-cache reads it whole."""
    from aiorg.cache import Cache
    from aiorg.draft import build

    caches: list[object] = []
    real = build.draft

    def spy(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        caches.append(kwargs.get("cache"))
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "draft", spy)
    article = tmp_path / "a.txt"
    article.write_text("前MiniMax商业化负责人魏伟已离职。", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    base = ["--data", str(empty), "draft", str(article), "--source-id", "s1", "--published", "2025-06"]
    _run(base, capsys)
    _run([*base, "--no-cache"], capsys)
    assert [type(cache) for cache in caches] == [Cache, type(None)]


@given(
    st.text(alphabet="大模型ab \n", max_size=40),
    st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45)), max_size=4),
    st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45)), max_size=2),
)
def test_the_masked_text_blanks_exactly_the_noise(
    text: str, noise: list[tuple[int, int]], boilerplate: list[tuple[int, int]]
) -> None:
    """Drafting reads each sentence with its watermark fragments and boilerplate blanked: the
    masked text is the simplified one, a space wherever is_noise says a character is noise."""
    from aiorg.draft.text import Article

    article = Article(text, "zh", text, noise, boilerplate)
    expected = "".join(" " if article.is_noise(i, i + 1) else ch for i, ch in enumerate(text))
    assert article.masked == expected


def test_the_seeds_watermark_is_blanked_in_the_masked_text() -> None:
    from aiorg.draft.text import Article

    article = Article.read(SEED)
    assert article.noise and len(article.masked) == len(article.simple)
    for a, b in article.noise:
        assert article.masked[a:b] == " " * (b - a)


def test_numerals_that_are_no_number_propose_no_amount() -> None:
    """cn2an refuses 千千 and a bare 百 (ValueError): the deal is still proposed, with no amount
    rather than a crash or a guess."""
    from aiorg.draft.values import amounts

    text = "北辰智能完成融资千千万美元。天衡集团出资百美元。星河科技完成融资三千万美元。"
    assert [(a.text, a.value) for a in amounts(text)] == [("三千万美元", Decimal(30_000_000))]
    found = draft(text, None, FuzzyDate.parse("2025-06"))
    deals = {c["targets"][0]: c.get("amount") for c in found if c["kind"] == "deal"}
    assert deals == {
        "北辰智能": None,
        "星河科技": {"text": "三千万美元", "value": "30000000", "currency": "USD", "bound": "exact"},
    }
