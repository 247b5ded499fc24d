"""Market sufficiency's own records: what councils import (packages in place, people
awaiting care, population), the editable parameters and prevalence rates, and the
statement with its narrative and action plan."""

from caremarket.insight.models.market import (
    DAY_SERVICE,
    REPLACEMENT_SERVICES,
    DayServiceStatus,
    OperatingStatus,
)
from caremarket.insight.models.parameters import PrevalenceRate, SufficiencyParameters
from caremarket.insight.models.records import (
    AwaitingCareRecord,
    PackageInPlace,
    PopulationCount,
    Setting,
)
from caremarket.insight.models.statements import (
    ActionPlanItem,
    Narrative,
    Sector,
    Statement,
)
from caremarket.insight.models.summary import FigureChange, Measure

__all__ = [
    "DAY_SERVICE",
    "REPLACEMENT_SERVICES",
    "ActionPlanItem",
    "AwaitingCareRecord",
    "DayServiceStatus",
    "FigureChange",
    "Measure",
    "Narrative",
    "OperatingStatus",
    "PackageInPlace",
    "PopulationCount",
    "PrevalenceRate",
    "Sector",
    "Setting",
    "Statement",
    "SufficiencyParameters",
]
