"""Final review (fixed): an inverted-rate refusal suggests the rate to give instead; for a rate
of exactly 1 it suggested '--rate CNY=1', which is itself refused with the same advice."""

from __future__ import annotations

import re

import pytest

from aiorg.money import parse_rate


@pytest.mark.parametrize("text", ["CNY=1", "RMB=1", "HKD=1", "JPY=1.00001", "CNY=7.2"])
def test_the_rate_suggested_instead_is_accepted(text: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_rate(text)
    suggested = re.findall(r"--rate (\S+)$", str(refused.value))
    if not suggested:  # a rate near 1 has no inverse to suggest: the message says what a rate is
        assert str(refused.value).endswith("so it is below 1")
        return
    code, rate = parse_rate(suggested[0])  # the advice must be followable
    assert rate < 1 and code in text.replace("RMB", "CNY")
