"""The rows mark every inferred name, title, status, party and text as the oracle does, and name
every inferred field they show in their `inferred` key, on random knowledge bases
(tests/test_oracle.py's, with certainties and conditions) given random `inferred` lists on every
field a row shows; both deal paths (the store's tuples, cached, and the decoded records)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg import queries
from aiorg.errors import UsageError
from aiorg.model import Certainty
from aiorg.money import Money
from aiorg.queries import Basis
from tests import oracle
from tests.oracle_rows import DEAL_FIELDS
from tests.test_oracle import FIRMS, QUOTE, _load, knowledge_bases

#: the fields each kind's rows show (as text, inside a timeline's text, or bare), that may be inferred
_MARKABLE = {
    "tenures": ["person", "firm", "title", "title_zh", "start", "end", "end_cause", "current", "area", "certainty"],
    "deals": list(DEAL_FIELDS),
    "events": ["kind", "subjects", "into", "date", "text", "certainty"],
    "metrics": ["subject", "metric", "value", "unit", "as_of", "certainty"],
}
_CERTAINTIES = st.sampled_from([c.value for c in Certainty])
_counter = iter(range(10**9))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("inferred-marks-oracle")


def _chosen(draw: st.DrawFn, record: dict[str, Any], fields: list[str]) -> None:
    stated = [f for f in fields if record.get(f) not in (None, [], "")]
    chosen = draw(st.lists(st.sampled_from(stated), unique=True)) if stated else []
    if chosen:
        record["inferred"] = chosen


@st.composite
def inferring_knowledge_bases(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    """tests/test_oracle.py's knowledge bases, some certainties and conditions stated, with random
    `inferred` lists on the fields they state."""
    spec = draw(knowledge_bases())
    for record in [*(r for kind in _MARKABLE if kind != "deals" for r in spec.get(kind, [])),
                   *(step for deal in spec.get("deals", []) for step in deal["history"])]:  # fmt: skip
        if draw(st.integers(0, 2)) == 0:
            record["certainty"] = draw(_CERTAINTIES)
    for deal in spec.get("deals", []):
        if draw(st.booleans()):
            deal["conditions"] = [{"text": "stay two years", "source": "s", "quote": QUOTE}]
    for kind, fields in _MARKABLE.items():
        for record in spec.get(kind, []):
            _chosen(draw, record, fields)
    for deal in spec.get("deals", []):
        for step in deal["history"]:
            _chosen(draw, step, ["date", "status", "certainty"])
        for condition in deal.get("conditions", []):
            _chosen(draw, condition, ["text"])
    return spec


@given(spec=inferring_knowledge_bases(), cached=st.booleans(), left=st.one_of(st.none(), st.sampled_from(FIRMS)))
def test_people_rows_equal_the_oracle(scratch: Path, spec: Any, cached: bool, left: Any) -> None:
    kb = _load(spec, scratch / str(next(_counter)), cached)
    assert queries.people(kb, left=left) == oracle.people_rows(spec, left=left)


@given(
    spec=inferring_knowledge_bases(),
    cached=st.booleans(),
    minimum=st.sampled_from([None, "1e8", "2e9", "14.3e9"]),
    basis=st.sampled_from([b.value for b in Basis]),
)
def test_deal_rows_equal_the_oracle(scratch: Path, spec: Any, cached: bool, minimum: str | None, basis: str) -> None:
    kb = _load(spec, scratch / str(next(_counter)), cached)
    low = Money.parse(minimum) if minimum else None
    rates = {"CNY": 0.14, "EUR": 1.1}
    rows = queries.deals(kb, minimum=low, basis=Basis(basis), rates=rates)
    assert rows == oracle.deal_rows(spec, minimum=low.value if low else None, basis=basis, rates=rates)


@given(spec=inferring_knowledge_bases(), cached=st.booleans(), firm=st.one_of(st.none(), st.sampled_from(FIRMS)))
def test_timeline_rows_equal_the_oracle(scratch: Path, spec: Any, cached: bool, firm: Any) -> None:
    kb = _load(spec, scratch / str(next(_counter)), cached)
    try:
        rows = queries.timeline(kb, firm=firm)
    except UsageError:
        return
    assert rows == oracle.timeline_rows(spec, firm=firm)
