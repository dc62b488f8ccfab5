"""The columns each command's table shows, and which ones give way first on a narrow terminal."""

from __future__ import annotations

from aiorg.render import Column

PEOPLE_COLUMNS = [
    Column("name", "Name"),
    Column("name_zh", "中文名"),
    Column("firm_name", "Firm", wrap=True),
    Column("title", "Title", wrap=True, drop=1),
    Column("cause_text", "Cause / state", wrap=True),
    Column("when", "When", wrap=True),
    Column("certainty", "Certainty", drop=2),
    Column("source", "Source", drop=3),
]
CAREER_COLUMNS = [
    Column("firm_name", "Firm"),
    Column("title", "Title", wrap=True),
    Column("kind", "Kind"),
    Column("start", "Start"),
    Column("end", "End"),
    Column("state", "State"),
    Column("cause_text", "Cause", wrap=True),
    Column("certainty", "Certainty"),
]
DEAL_COLUMNS = [
    Column("deal", "Deal"),
    Column("buyer_names", "Buyers"),
    Column("target_names", "Targets"),
    Column("kind", "Kind"),
    Column("status_text", "Status", wrap=True),
    Column("amount", "Amount"),
    Column("valuation", "Valuation"),
    Column("stake_percent", "Stake %"),
    Column("matched_on", "Matched on"),
    Column("value", "Value"),
    Column("when", "When"),
    Column("conditions", "Conditions", wrap=True),
]
# In a profile no money filter applies, so there is no matched number to show.
PROFILE_DEAL_COLUMNS = [c for c in DEAL_COLUMNS if c.key not in ("matched_on", "value")]
EVENT_COLUMNS = [
    Column("when", "When"),
    Column("kind", "Kind"),
    Column("text", "What happened", wrap=True),
    Column("certainty", "Certainty"),
]
QUOTE_COLUMNS = [Column("record", "Fact"), Column("source", "Source"), Column("quote", "Quote", wrap=True)]
FIRM_COLUMNS = [
    Column("firm", "Id"),
    Column("name", "Name"),
    Column("name_zh", "中文名"),
    Column("country", "Country"),
    Column("category", "Category"),
    Column("groups", "Groups"),
    Column("people", "People"),
    Column("departures", "Departures"),
    Column("deals", "Deals"),
]
