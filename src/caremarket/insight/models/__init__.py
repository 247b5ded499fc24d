"""Market sufficiency's own records: what councils import (packages in place, people
awaiting care, population), the editable parameters and prevalence rates, and the
statement with its narrative and action plan."""

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

__all__ = [
    "ActionPlanItem",
    "AwaitingCareRecord",
    "Narrative",
    "PackageInPlace",
    "PopulationCount",
    "PrevalenceRate",
    "Sector",
    "Setting",
    "Statement",
    "SufficiencyParameters",
]
