"""Small writers the demo builder composes: one place that knows how to make a provider, an
appointment or a price, so the three commissioners' builders read as their seed describes."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.text import slugify

from caremarket.frameworks.models import Appointment, Lot, PanelMember, Price
from caremarket.market.models import CareGroup, ServiceType, Specialism, Zone
from caremarket.providers.models import Location, Provider


@dataclass
class Reference:
    care_groups: dict[str, CareGroup]
    service_types: dict[str, ServiceType]
    specialisms: dict[str, Specialism]

    @classmethod
    def load(cls) -> Reference:
        return cls(
            care_groups={c.code: c for c in CareGroup.objects.all()},
            service_types={s.code: s for s in ServiceType.objects.all()},
            specialisms={s.code: s for s in Specialism.objects.all()},
        )


@dataclass
class Factory:
    rng: random.Random
    ref: Reference
    cqc_serial: int = 100_000_000
    prices: list[Price] = field(default_factory=list)

    def provider(
        self,
        name: str,
        *,
        services: list[str],
        care_groups: list[str],
        specialisms: list[str] = (),
        town: str = "",
        postcode_district: str = "",  # type: ignore[assignment]
        regulated: bool = False,
        fictitious: bool = True,
        description: str = "",
    ) -> Provider:
        slug = slugify(name)[:80]
        provider = Provider.objects.create(
            name=name,
            slug=slug,
            is_fictitious=fictitious,
            description=description,
            email=f"referrals@{slug[:40]}.example",
            phone=self._phone(),
            website=f"https://{slug[:40]}.example",
        )
        provider.service_types.set([self.ref.service_types[s] for s in services])
        provider.care_groups.set([self.ref.care_groups[c] for c in care_groups])
        provider.specialisms.set([self.ref.specialisms[s] for s in specialisms])
        if town:
            self.cqc_serial += self.rng.randint(1, 9_999)
            Location.objects.create(
                provider=provider,
                name=f"{name.split(' ')[0]} {town} office",
                town=town,
                address=f"{self.rng.randint(1, 120)} {self.rng.choice(_STREETS)}",
                postcode=f"{postcode_district} {self.rng.randint(1, 9)}"
                f"{self.rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{self.rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                if postcode_district
                else "",
                cqc_location_id=f"1-{self.cqc_serial}" if regulated else None,
            )
        return provider

    def appoint(
        self,
        provider: Provider,
        lot: Lot,
        zones: list[Zone],
        *,
        appointed_on: date,
        prime_zones: list[Zone] = (),
        quality: Decimal | None = None,  # type: ignore[assignment]
        status: str = Appointment.Status.ACTIVE,
    ) -> Appointment:
        appointment = Appointment.objects.create(
            provider=provider,
            lot=lot,
            appointed_on=appointed_on,
            status=status,
            quality_score=quality if quality is not None else self.quality(),
        )
        appointment.zones.set(zones)
        appointment.prime_zones.set(prime_zones)
        return appointment

    def panel(
        self, prime: Appointment, provider: Provider, zones: list[Zone], joined: date
    ) -> None:
        member = PanelMember.objects.create(prime=prime, provider=provider, joined_on=joined)
        member.zones.set(zones)

    def price(
        self, appointment: Appointment, zone: Zone, unit: str, amount: Decimal, effective_from: date
    ) -> None:
        self.prices.append(
            Price(
                appointment=appointment,
                zone=zone,
                unit=unit,
                amount=amount.quantize(Decimal("0.01")),
                effective_from=effective_from,
            )
        )

    def flush_prices(self) -> int:
        from simple_history.utils import bulk_create_with_history

        count = len(self.prices)
        bulk_create_with_history(self.prices, Price, batch_size=500)
        self.prices = []
        return count

    def quality(self) -> Decimal:
        return Decimal(self.rng.randint(5500, 9600)) / 100

    def money(self, low: float, high: float) -> Decimal:
        return Decimal(str(round(self.rng.uniform(low, high), 2)))

    def _phone(self) -> str:
        return f"01{self.rng.randint(200, 999)} {self.rng.randint(100000, 999999)}"


_STREETS = [
    "High Street",
    "Fore Street",
    "Station Road",
    "Church Lane",
    "Mill Road",
    "Market Place",
    "Harbour Road",
    "Victoria Road",
    "Queen Street",
    "The Square",
]
