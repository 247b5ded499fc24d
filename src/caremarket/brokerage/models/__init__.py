"""Brokerage: the people care is sourced for, their referrals, and how each is placed."""

from caremarket.brokerage.models.agreements import AgreementVariation, ServiceAgreement
from caremarket.brokerage.models.awards import Award
from caremarket.brokerage.models.competitions import Bid, Competition
from caremarket.brokerage.models.inbox import InboxItem
from caremarket.brokerage.models.notifications import Notification, PersonalDataAccess
from caremarket.brokerage.models.offers import Offer
from caremarket.brokerage.models.people import Person
from caremarket.brokerage.models.proposals import VariationProposal
from caremarket.brokerage.models.referrals import Referral, ReferralEvent
from caremarket.brokerage.models.spot_approvals import SpotApproval

__all__ = [
    "AgreementVariation",
    "Award",
    "Bid",
    "Competition",
    "InboxItem",
    "Notification",
    "Offer",
    "Person",
    "PersonalDataAccess",
    "Referral",
    "ReferralEvent",
    "ServiceAgreement",
    "SpotApproval",
    "VariationProposal",
]
