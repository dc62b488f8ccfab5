"""Generate a realistic synthetic knowledge base in aiorg's own format.

    python benchmarks/generate.py 100000 /tmp/aiorg-100k [--sources-per-fact 2]

writes DIR/data/{sources,groups,firms,people,tenures,deals,events}.yaml and DIR/seeds/source.txt.
Sizes scale with the number of people: firms = people/10, deals = people/2, about three role
spells per person, names in both scripts, departures, advisor moves and deal histories. The
result passes `aiorg validate` (every quote is in the generated source text).

With --sources-per-fact 2, a second source (an official statement, published later) speaks for
every role spell that ended and every deal, each with its own quote: it repeats most values and
disagrees on about a third (another end cause, end date, amount or stake).
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from pathlib import Path

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建波宁浩凯琳晨雪峰鑫鸿博文涵子轩宇"
_PINYIN_TEXT = (
    "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng Liang Xie Song Tang Xu "
    "Han Feng Deng Cao Peng Zeng Xiao Tian Dong Yuan Pan Yu Jiang Cai Yu Du Ye Cheng Su Wei Lu Ding Ren Shen Wei Fang "
    "Na Min Jing Li Qiang Lei Jun Yang Yong Yan Jie Juan Tao Ming Chao Xiu Xia Ping Gang Gui Ying Hua Yu Ping "
    "Hong Peng "
    "Hui Jian Bo Ning Hao Kai Lin Chen Xue Feng Xin Hong Bo Wen Han Zi Xuan Yu"
)
PINYIN = dict(zip(SURNAMES + GIVEN, _PINYIN_TEXT.split(), strict=False))
FIRM_WORDS = [
    "Deep",
    "Moon",
    "Star",
    "Step",
    "Zero",
    "Mini",
    "Bai",
    "Zhi",
    "Yue",
    "Hai",
    "Tian",
    "Xing",
    "Long",
    "Feng",
]
FIRM_ZH = ["深", "月", "星", "阶", "零", "迷", "百", "智", "跃", "海", "天", "行", "龙", "风"]
TITLES = [
    ("Head of product", "产品负责人", "product"),
    ("VP of sales", "销售副总裁", "commercial"),
    ("Chief scientist", "首席科学家", "research"),
    ("COO", "首席运营官", "management"),
    ("Engineer", "工程师", "engineering"),
]
QUOTES = ["据报道", "宣布离职", "改任顾问", "完成融资", "收购", "加入公司", "被爆料"]
CAUSES = ["left", "founded", "advisor", "demoted", "reported"]


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _second(rng: random.Random, sources: int, indent: str, **values: str) -> str:
    """The `also` item of the second source: the same values, or (a third of the time) one other."""
    if sources < 2:
        return ""
    stated = dict(values)
    if rng.random() < 0.35:
        name = rng.choice(sorted(stated))
        stated[name] = _DIFFERENT[name](rng, stated[name])
    fields = ", ".join(f"{name}: {_q(value)}" for name, value in stated.items())
    return f"{indent}also:\n{indent}  - {{source: synthetic-2, quote: {rng.choice(QUOTES)}, {fields}}}\n"


_DIFFERENT: dict[str, Callable[[random.Random, str], str]] = {
    "end_cause": lambda rng, old: rng.choice([c for c in CAUSES if c != old]),
    "end": lambda rng, old: f"{int(old[:4]) + 1}{old[4:]}",
    "amount": lambda rng, old: rng.choice([a for a in ("2e9", "15e9", "$300M", "500万") if a != old]),
    "stake": lambda rng, old: f"{rng.randint(1, 100)}%",
}


def generate(people: int, out: Path, seed: int = 2025, sources: int = 1) -> None:
    """Write the knowledge base for `people` people under `out`, with `sources` sources per fact (1 or 2)."""
    rng = random.Random(seed)
    data, seeds = out / "data", out / "seeds"
    data.mkdir(parents=True, exist_ok=True)
    seeds.mkdir(parents=True, exist_ok=True)
    (seeds / "source.txt").write_text("。".join(QUOTES) + "。\n", encoding="utf-8")
    (data / "sources.yaml").write_text(
        "sources:\n  - id: synthetic\n    title: Synthetic benchmark source\n    published: 2025-06\n"
        "    language: zh\n    file: ../seeds/source.txt\n"
        + (
            "  - id: synthetic-2\n    title: Second synthetic source\n    kind: official_statement\n"
            "    published: 2025-09\n    language: zh\n    file: ../seeds/source.txt\n"
            if sources > 1
            else ""
        ),
        encoding="utf-8",
    )
    firms = max(10, people // 10)
    with (data / "groups.yaml").open("w", encoding="utf-8") as f:
        f.write("groups:\n")
        for g in range(max(1, firms // 100)):
            f.write(f"  - {{id: group-{g}, name: Group {g}, name_zh: 第{g}组, source: synthetic, quote: 据报道}}\n")
    with (data / "firms.yaml").open("w", encoding="utf-8") as f:
        f.write("firms:\n")
        for i in range(firms):
            en = f"{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_WORDS)} AI {i}"
            zh = f"{rng.choice(FIRM_ZH)}{rng.choice(FIRM_ZH)}智能{i}"
            f.write(
                f"  - id: firm-{i}\n    name: {_q(en)}\n    name_zh: {zh}\n    country: {rng.choice(['CN', 'US'])}\n"
                f"    category: startup\n    groups: [group-{i % max(1, firms // 100)}]\n    source: synthetic\n"
                f"    quote: 据报道\n"
            )
    with (data / "people.yaml").open("w", encoding="utf-8") as f:
        f.write("people:\n")
        for i in range(people):
            surname, given = rng.choice(SURNAMES), rng.choice(GIVEN) + rng.choice(GIVEN)
            en = f"{PINYIN.get(surname, 'Li')} {PINYIN.get(given[0], 'Wei')}{PINYIN.get(given[1], 'Ming').lower()} {i}"
            f.write(
                f"  - id: person-{i}\n    name: {_q(en)}\n    name_zh: {surname}{given}{i}\n"
                f"    aliases: [{_q(en.split()[0] + ' ' + str(i))}]\n    source: synthetic\n    quote: 据报道\n"
            )
    with (data / "tenures.yaml").open("w", encoding="utf-8") as f:
        f.write("tenures:\n")
        for i in range(people):
            spells = rng.randint(1, 5)
            year = rng.randint(2012, 2019)
            for s in range(spells):
                title, title_zh, area = rng.choice(TITLES)
                start = f"{year}-{rng.randint(1, 12):02d}"
                last = s == spells - 1
                f.write(
                    f"  - id: t-{i}-{s}\n    person: person-{i}\n    firm: firm-{rng.randrange(firms)}\n"
                    f"    title: {title}\n    title_zh: {title_zh}\n    area: {area}\n    kind: executive\n"
                    f"    start: {start}\n"
                )
                if s:
                    f.write(f"    after: t-{i}-{s - 1}\n")
                if last and rng.random() < 0.5:
                    f.write("    current: true\n")
                else:
                    year += rng.randint(1, 2)
                    cause = rng.choice(CAUSES)
                    end = f"{year}-{rng.randint(1, 12):02d}" if rng.random() < 0.7 else f"{year}..{year + 1}"
                    f.write(f"    end: {_q(end)}\n    end_cause: {cause}\n")
                    f.write(_second(rng, sources, "    ", end_cause=cause, end=end))
                f.write(f"    source: synthetic\n    quote: {rng.choice(QUOTES)}\n")
    with (data / "deals.yaml").open("w", encoding="utf-8") as f:
        f.write("deals:\n")
        for i in range(people // 2):
            buyer, target = rng.randrange(firms), rng.randrange(firms)
            amount = rng.choice(["1e9", "143亿美元", "$250M", "up to 1亿美元", "数十亿美元", "3500万"])
            f.write(
                f"  - id: deal-{i}\n    kind: {rng.choice(['acquisition', 'stake', 'funding_round'])}\n"
                f"    buyers: [firm-{buyer}]\n    targets: [firm-{target}]\n    amount: {_q(amount)}\n"
            )
            stated = {"amount": amount}
            if rng.random() < 0.3:
                stated["stake"] = f"{rng.randint(1, 100)}%"
                f.write(f"    stake: {stated['stake']}\n    people: [person-{rng.randrange(people)}]\n")
            f.write(_second(rng, sources, "    ", **stated))
            f.write("    history:\n")
            year = 2020 + rng.randint(0, 3)
            for step, status in enumerate(["rumoured", "in_talks", "agreed", "completed"][: rng.randint(1, 4)]):
                f.write(f"      - {{date: {year + step // 2}, status: {status}, source: synthetic, quote: 收购}}\n")
            if rng.random() < 0.1:
                f.write(
                    "    conditions:\n      - {text: Five-year retention, years: 5, source: synthetic, quote: 收购}\n"
                )
            f.write("    source: synthetic\n    quote: 收购\n")
    with (data / "events.yaml").open("w", encoding="utf-8") as f:
        f.write("events:\n")
        for i in range(max(1, firms // 5)):
            f.write(
                f"  - {{id: event-{i}, kind: reorganisation, subjects: [firm-{rng.randrange(firms)}], "
                f"date: 2024-0{rng.randint(1, 9)}, text: Reorganised, source: synthetic, quote: 据报道}}\n"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write a synthetic knowledge base.")
    parser.add_argument("people", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--sources-per-fact", type=int, choices=(1, 2), default=1)
    arguments = parser.parse_args()
    generate(arguments.people, arguments.out, sources=arguments.sources_per_fact)
