"""Questions users ask, as pure functions: knowledge base in, rows out.

Every row is a flat dict with stable keys (documented in the README); the CLI renders them and
never adds to them, so `--format json` equals these rows. Each module answers one family of
questions, narrowing through the store's indexes (see aiorg.kb) before it decodes a record.
"""

from aiorg.queries.common import ANY_TIME, CAUSE_TEXT, Row, Window, firm_family, first_quote
from aiorg.queries.deals import Basis, deal_figures, deal_row, deals, unconverted_currencies
from aiorg.queries.flows import flows
from aiorg.queries.people import SpellView, people, people_undecided, source_published, spell_view, tenure_row
from aiorg.queries.profiles import firm_profile, firm_row, firms, person_profile
from aiorg.queries.search import search
from aiorg.queries.stats import stats
from aiorg.queries.timeline import timeline

__all__ = [
    "ANY_TIME",
    "CAUSE_TEXT",
    "Basis",
    "Row",
    "SpellView",
    "Window",
    "deal_figures",
    "deal_row",
    "deals",
    "firm_family",
    "firm_profile",
    "firm_row",
    "firms",
    "first_quote",
    "flows",
    "people",
    "people_undecided",
    "person_profile",
    "search",
    "source_published",
    "spell_view",
    "stats",
    "tenure_row",
    "timeline",
    "unconverted_currencies",
]
