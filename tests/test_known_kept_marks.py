"""What we knew when keeps an inference an inference (README, "What we knew when").

When a record's own source is not yet published but another source that reports the same fact
is, the view keeps the fields no other source can give (who, which firm, the parent link) as the
record's own source gave them. It dropped that source's `inferred` marks with its values, so a
unit below a firm only by an inferred parent link read as a stated unit of it: `people --at hold
--known-as-of 2025-03` listed 'Arm' bare where every other day says 'Arm (parent inferred)'
(found by the second reviewer). A fictional knowledge base: every name in it is made up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from aiorg import queries
from aiorg.known import known_as_of
from aiorg.loader import load
from aiorg.model import Firm
from tests.conftest import write_spec

_SAID = {"quote": "a quote"}


def _spec() -> dict[str, list[dict[str, object]]]:
    return {
        "sources": [
            {"id": "early", "title": "A fictional early report", "published": "2025-01", "kind": "article"},
            {"id": "late", "title": "A fictional later profile", "published": "2025-06", "kind": "article"},
        ],
        "firms": [
            {"id": "hold", "name": "Hold", "source": "early", **_SAID},
            # the later source reads Arm as Hold's; the early one reports Arm too, saying nothing of it
            {"id": "arm", "name": "Arm", "parent": "hold", "inferred": ["parent"], "source": "late", **_SAID,
             "also": [{"source": "early", **_SAID}]},
        ],
        "people": [{"id": "ann", "name": "Ann", "source": "early", **_SAID}],
        "tenures": [{"id": "ann-arm", "person": "ann", "firm": "arm", "current": True, "source": "early", **_SAID}],
    }  # fmt: skip


def test_a_kept_parent_link_stays_inferred(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_spec(data, _spec())
    kb = load(data)
    then = known_as_of(kb, date(2025, 3, 31))
    arm = then.by_id["arm"]
    assert isinstance(arm, Firm) and arm.parent == "hold" and "parent" in arm.inferred
    for view in (kb, then):  # the same answer on both days: the link is an inference either way
        rows = queries.people(view, at="hold")
        assert [(row["firm_name"], row["inferred"]) for row in rows] == [("Arm (parent inferred)", ["parent"])]
