"""Fee reviews (the annual review of a framework's rates, its consultation and the repricing
of live agreements it leads to) and band reviews (a person moved to another band)."""

from caremarket.pricing.models.bands import BandReview
from caremarket.pricing.models.reviews import (
    CostLine,
    FeeReview,
    ProviderComment,
    Repricing,
)

__all__ = ["BandReview", "CostLine", "FeeReview", "ProviderComment", "Repricing"]
