"""Outgoing email through SES v2, as simple content (the message is rendered by the service)."""

from __future__ import annotations

from typing import Any

from case_reviews.adapters.aws import new_client


class Mailer:
    """Sends plain-text email from the library's verified sender identity."""

    def __init__(self, sender: str, client: Any | None = None) -> None:
        self.sender = sender
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = new_client("sesv2")
        return self._client

    def send(self, to: str, subject: str, body: str) -> str:
        """Send one message; returns the SES message id."""
        response = self.client.send_email(
            FromEmailAddress=self.sender,
            Destination={"ToAddresses": [to]},
            Content={
                "Simple": {
                    "Subject": {"Data": subject, "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": body, "Charset": "UTF-8"}},
                }
            },
        )
        return str(response["MessageId"])
