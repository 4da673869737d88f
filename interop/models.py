"""Each FHIR message received: one row per MessageHeader id, so a message is processed once."""

from django.conf import settings
from django.db import models


class ReceivedMessage(models.Model):
    """A BaRS-style message a sender's system posted to ``$process-message``, and what it did.

    The unique MessageHeader id is what refuses a message sent again (409): the row is inserted in
    the same transaction as the referral it makes, so of two copies arriving at once one commits.
    """

    class Kind(models.TextChoices):
        REFERRAL = "referral", "New referral"
        CANCELLATION = "cancellation", "Cancellation"

    header_id = models.CharField("MessageHeader id", max_length=64, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The sender's own ServiceRequest id: a later cancellation names it.
    service_request_id = models.CharField(max_length=64)
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="fhir_messages")
    received_at = models.DateTimeField(auto_now_add=True)
    request_id = models.CharField("X-Request-ID", max_length=200, blank=True)
    correlation_id = models.CharField("X-Correlation-ID", max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            # One referral per ServiceRequest a sender sends, however many message ids carry it.
            models.UniqueConstraint(
                fields=["sender", "service_request_id"],
                condition=models.Q(kind="referral"),
                name="message_one_referral_per_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.header_id}"
