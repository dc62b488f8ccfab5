"""The strategy taxonomy: the labels a firm's catch-up strategy can carry, with their meaning in
English and Chinese. Claims (aiorg.model) cite a label; aiorg.strategy derives them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Strategy(StrEnum):
    """The strategy taxonomy; labels are described in STRATEGY_LABELS."""

    BUY_TALENT = "buy_talent"
    RETRENCH = "retrench"
    PIVOT = "pivot"
    REORGANISE = "reorganise"
    LEAN_EFFICIENCY = "lean_efficiency"
    MISSION_RETENTION = "mission_retention"


@dataclass(frozen=True, slots=True)
class StrategyLabel:
    """A taxonomy entry: id, names in both scripts, one-line definition."""

    id: Strategy
    name: str
    name_zh: str
    definition: str


STRATEGY_LABELS: dict[Strategy, StrategyLabel] = {
    label.id: label
    for label in (
        StrategyLabel(
            Strategy.BUY_TALENT,
            "Buy talent and time",
            "砸钱抢人 / 用金钱换时间",
            "Spends heavily on acquisitions, stakes and offers to bring in people fast.",
        ),
        StrategyLabel(
            Strategy.RETRENCH,
            "Retrench and focus",
            "裁员节流 / 收缩有限资源",
            "Sheds executives and side products to concentrate scarce resources on the core model.",
        ),
        StrategyLabel(Strategy.PIVOT, "Pivot", "转向", "Gives up the general race for a narrower goal or vertical."),
        StrategyLabel(
            Strategy.REORGANISE,
            "Reorganise leadership",
            "重组团队",
            "Restructures teams and appoints or demotes leaders to catch up.",
        ),
        StrategyLabel(
            Strategy.LEAN_EFFICIENCY,
            "Lean engineering efficiency",
            "工程创新、以小博大",
            "Matches leaders' results at a fraction of their spending through engineering.",
        ),
        StrategyLabel(
            Strategy.MISSION_RETENTION,
            "Mission-driven retention",
            "以使命吸引人才",
            "Keeps and attracts talent with an ambitious mission rather than money.",
        ),
    )
}
