"""Supported living: schemes, the properties and rooms in them, who lives there and the voids.

Housing and care are separate in supported living (seed 004, 1d): a property's landlord is
not the scheme's care provider, and a person holds their own tenancy.
"""

from caremarket.supported_living.models.properties import Landlord, Property
from caremarket.supported_living.models.residents import ResidentCount, VoidPolicy
from caremarket.supported_living.models.rooms import Room, RoomQuerySet, RoomStatusChange
from caremarket.supported_living.models.schemes import Scheme, SupportGroup

__all__ = [
    "Landlord",
    "Property",
    "ResidentCount",
    "Room",
    "RoomQuerySet",
    "RoomStatusChange",
    "Scheme",
    "SupportGroup",
    "VoidPolicy",
]
