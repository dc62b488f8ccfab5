"""The closed vocabularies of the model: every enum a record field takes its values from.

Declared here and re-exported by aiorg.model, which is where the rest of the code imports them.
"""

from __future__ import annotations

from enum import StrEnum


class Area(StrEnum):
    """What part of the business a role is responsible for."""

    PRODUCT = "product"
    COMMERCIAL = "commercial"
    RESEARCH = "research"
    ENGINEERING = "engineering"
    MANAGEMENT = "management"


class RoleKind(StrEnum):
    """Crunchbase-style job types."""

    EXECUTIVE = "executive"
    EMPLOYEE = "employee"
    FOUNDER = "founder"
    ADVISOR = "advisor"
    BOARD = "board"


class EndCause(StrEnum):
    """Why a role spell ended; see README 'What "left" means'."""

    LEFT = "left"  # formally left the firm
    FOUNDED = "founded"  # formally left to found a company
    ADVISOR = "advisor"  # moved to an advisor role; has not formally left
    DEMOTED = "demoted"  # demoted or sidelined; still at the firm
    REPORTED = "reported"  # reported to have left, not confirmed


#: causes that count as leaving a firm for `people --left`
DEPARTURE_CAUSES = frozenset({EndCause.LEFT, EndCause.FOUNDED, EndCause.ADVISOR, EndCause.REPORTED})
#: causes that count as a formal departure for `people --left --formal`
FORMAL_DEPARTURE_CAUSES = frozenset({EndCause.LEFT, EndCause.FOUNDED})


class Certainty(StrEnum):
    """How firmly the source states a fact."""

    CONFIRMED = "confirmed"  # stated as fact, or officially confirmed
    REPORTED = "reported"  # reported by media ("被爆", "据…报道")
    RUMOURED = "rumoured"  # hearsay or anonymous ("传来…消息", anonymous posts)
    PLANNED = "planned"  # announced or intended, not yet in effect
    INFERRED = "inferred"  # follows from the source but is not said in words


class SourceKind(StrEnum):
    """What kind of document a source is; the order is how much its word weighs when sources
    disagree (see aiorg.claims)."""

    FILING = "filing"  # a regulatory or court filing
    OFFICIAL_STATEMENT = "official_statement"  # the firm's or person's own announcement
    INTERVIEW = "interview"  # the person quoted on the record
    ARTICLE = "article"  # a news report
    SOCIAL_POST = "social_post"  # a post on social media, a forum or a rumour mill


class SpellState(StrEnum):
    """LittleSis-style three-state 'is this role current?'."""

    CURRENT = "current"
    ENDED = "ended"
    UNKNOWN = "unknown"


class DealKind(StrEnum):
    """What kind of transaction or offer a deal record is."""

    ACQUISITION = "acquisition"
    STAKE = "stake"
    FUNDING_ROUND = "funding_round"
    ACQUIHIRE = "acquihire"
    COMPENSATION_OFFER = "compensation_offer"
    ASKING_PRICE = "asking_price"
    RECRUITMENT = "recruitment"
    MERGER = "merger"


class DealStatus(StrEnum):
    """Where a deal stands; the last history entry is the current status."""

    RUMOURED = "rumoured"
    IN_TALKS = "in_talks"
    OFFERED = "offered"
    ASKED = "asked"
    AGREED = "agreed"
    COMPLETED = "completed"
    REJECTED = "rejected"
    ABANDONED = "abandoned"


class FirmCategory(StrEnum):
    """Broad type of organisation."""

    BIG_TECH = "big_tech"
    STARTUP = "startup"
    LAB = "lab"  # a research lab or unit
    UNIT = "unit"  # a team or division inside a firm
    MEDIA = "media"


class ProductKind(StrEnum):
    """What a product is."""

    MODEL = "model"
    APP = "app"
    SERVICE = "service"


class EventKind(StrEnum):
    """Dated happenings that are neither role spells nor deals."""

    RELEASED = "released"
    RENAMED = "renamed"
    SCALED_BACK = "scaled_back"  # stopped large-scale investment
    SHUT_DOWN = "shut_down"
    MERGED = "merged"  # a product or team folded into another
    PIVOT = "pivot"
    REORGANISATION = "reorganisation"
    TEAM_FORMED = "team_formed"
    CONTROVERSY = "controversy"
    MILESTONE = "milestone"
    STATEMENT = "statement"
    DEPARTURES = "departures"  # a wave of executive departures, people unnamed
    RECRUITING = "recruiting"  # a recruiting drive, people unnamed
