from __future__ import annotations

import random
import secrets
import string
from datetime import date, timedelta

from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from sandbox.doctypes import KINDS_WITHOUT_ATCUD, SequenceKind
from sandbox.models.accounts import SandboxAccount

NOT_REGISTERED = "N/D"  # relevant for ATCUD, not registered at the Tax Authority
NOT_APPLICABLE = "N/A"  # not relevant for ATCUD

_CODE_ALPHABET = string.ascii_uppercase + string.digits


def new_validation_code(rng: random.Random | None = None) -> str:
    """An AT validation code: 8 upper-case letters and digits, e.g. "JF7K2Q9X"."""
    pick = rng.choice if rng is not None else secrets.choice
    return "".join(pick(_CODE_ALPHABET) for _ in range(8))


class SequenceQuerySet(models.QuerySet):
    def create_with_counters(
        self,
        *,
        account: SandboxAccount,
        serie: str,
        is_default: bool = False,
        registered: bool = True,
        registering_until=None,
        rng: random.Random | None = None,
    ) -> SandboxSequence:
        with transaction.atomic():
            if is_default:
                self.filter(account=account, is_default=True).update(is_default=False)
            sequence = self.create(
                account=account,
                serie=serie,
                is_default=is_default,
                registering_until=registering_until,
            )
            SandboxSequenceCounter.objects.bulk_create(
                SandboxSequenceCounter(
                    sequence=sequence,
                    kind=kind,
                    validation_code=_initial_code(kind, registered, rng),
                )
                for kind in SequenceKind
            )
        return sequence


def _initial_code(kind: str, registered: bool, rng: random.Random | None) -> str:
    if kind in KINDS_WITHOUT_ATCUD:
        return NOT_APPLICABLE
    return new_validation_code(rng) if registered else NOT_REGISTERED


class SandboxSequence(models.Model):
    """A document series ("serie"), e.g. "2026" or "A", with one counter per document kind."""

    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="sequences")
    serie = models.CharField(max_length=50)
    is_default = models.BooleanField(default=False)
    # While set and in the future, the Tax Authority registration is still running.
    registering_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SequenceQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(Lower("serie"), "account", name="sandbox_sequence_serie_unique")
        ]

    def __str__(self) -> str:
        return self.serie

    @property
    def is_registering(self) -> bool:
        return self.registering_until is not None and self.registering_until > timezone.now()

    @property
    def is_registered(self) -> bool:
        """Every ATCUD-relevant counter has a validation code."""
        return not any(c.validation_code == NOT_REGISTERED for c in self.counters.all())

    def register(self, rng: random.Random | None = None) -> None:
        """Give every relevant counter still at N/D a validation code."""
        for counter in self.counters.filter(validation_code=NOT_REGISTERED):
            SandboxSequenceCounter.objects.filter(
                pk=counter.pk, validation_code=NOT_REGISTERED
            ).update(validation_code=new_validation_code(rng))

    def make_default(self) -> None:
        with transaction.atomic():
            SandboxSequence.objects.filter(account_id=self.account_id, is_default=True).exclude(
                pk=self.pk
            ).update(is_default=False)
            SandboxSequence.objects.filter(pk=self.pk).update(is_default=True)
        self.is_default = True


class DateBeforeLastError(Exception):
    def __init__(self, last_date: date) -> None:
        super().__init__(last_date)
        self.last_date = last_date


class SandboxSequenceCounter(models.Model):
    """One kind's numbering in a sequence. Its pk is the API's `current_<kind>_sequence_id`."""

    sequence = models.ForeignKey(SandboxSequence, on_delete=models.CASCADE, related_name="counters")
    kind = models.CharField(max_length=30, choices=SequenceKind.choices)
    number = models.PositiveIntegerField(default=0)  # the last number given
    validation_code = models.CharField(max_length=20)
    last_date = models.DateField(null=True, blank=True)
    last_hash = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["sequence", "kind"], name="sandbox_counter_kind_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.kind}"

    def claim_next(self, on: date) -> tuple[int, str]:
        """Take the next number for a document dated `on`; returns (number, previous hash).

        An optimistic lock on the old number, so two finalizations racing in different
        processes never get the same number; the loser reads again and retries.
        """
        for _ in range(50):
            current = SandboxSequenceCounter.objects.values("number", "last_date", "last_hash").get(
                pk=self.pk
            )
            if current["last_date"] is not None and on < current["last_date"]:
                raise DateBeforeLastError(current["last_date"])
            number = current["number"] + 1
            claimed = SandboxSequenceCounter.objects.filter(
                pk=self.pk, number=current["number"]
            ).update(number=number, last_date=on)
            if claimed:
                self.number, self.last_date = number, on
                return number, current["last_hash"]
        raise RuntimeError("Could not claim a sequence number.")

    def record_hash(self, number: int, saft_hash: str) -> None:
        SandboxSequenceCounter.objects.filter(pk=self.pk, number=number).update(last_hash=saft_hash)

    def atcud(self, number: int) -> str:
        if self.validation_code in (NOT_REGISTERED, NOT_APPLICABLE):
            return self.validation_code
        return f"{self.validation_code}-{number}"


def registering_window(account: SandboxAccount):
    if not account.sequence_registering_seconds:
        return None
    return timezone.now() + timedelta(seconds=account.sequence_registering_seconds)
