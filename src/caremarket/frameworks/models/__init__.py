"""How a commissioner buys: frameworks with lots, entry windows, appointments and prices.

The seeds give five arrangements and this one model carries them all: Devon's open framework
(provider's own price per zone, annual entry windows), Devon's and the Isle of Wight's
prime-provider contracts (a lead per zone, subcontractor panels, a minimum share), Staffordshire's
flexible framework (banded weekly rates, call-off by competition) and approved lists.
Dates decide state: a window is open because today falls inside it, a price applies because
its effective date has come.
"""

from caremarket.frameworks.models.appointments import Appointment, GuaranteedBlock, PanelMember
from caremarket.frameworks.models.entry import (
    Answer,
    Application,
    ApplicationPrice,
    EntryTerms,
    PassFailAnswer,
    PassFailItem,
    PriceRevision,
    QualityQuestion,
    Score,
)
from caremarket.frameworks.models.frameworks import (
    PERCENT,
    EntryWindow,
    ExtensionOption,
    Framework,
    Lot,
)
from caremarket.frameworks.models.prices import Band, CommissionerRate, Price

__all__ = [
    "PERCENT",
    "Answer",
    "Application",
    "ApplicationPrice",
    "Appointment",
    "Band",
    "CommissionerRate",
    "EntryTerms",
    "EntryWindow",
    "ExtensionOption",
    "Framework",
    "GuaranteedBlock",
    "Lot",
    "PanelMember",
    "PassFailAnswer",
    "PassFailItem",
    "Price",
    "PriceRevision",
    "QualityQuestion",
    "Score",
]
