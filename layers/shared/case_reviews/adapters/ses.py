"""Outgoing email through SES v2, as simple content (the message is rendered by the service)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from case_reviews.domain.errors import UndeliverableAddress

# SES's answers for an address it will not send to.
_REFUSED_ADDRESS = {"InvalidParameterValue", "MessageRejected", "BadRequestException"}


class Mailer:
    """Sends email (text, and HTML when given) from the library's verified sender identity.

    Bounces and complaints are handled by SES: the sender identity's configuration set
    (template.yaml) suppresses addresses that bounce or complain.
    """

    def __init__(self, client: Any, sender: str, reply_to: str | None = None) -> None:
        self.client = client
        self.sender = sender
        self.reply_to = reply_to

    def send(
        self,
        to: str | Sequence[str],
        subject: str,
        text: str,
        html: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> str:
        """Send one message, to one address or to several together; returns the SES message id.

        `headers` are extra header fields (List-Unsubscribe, List-Unsubscribe-Post): SES v2 takes them
        with simple content (`Content.Simple.Headers`), so no raw MIME message is built here.
        """
        body: dict[str, Any] = {"Text": {"Data": text, "Charset": "UTF-8"}}
        if html is not None:
            body["Html"] = {"Data": html, "Charset": "UTF-8"}
        simple: dict[str, Any] = {"Subject": {"Data": subject, "Charset": "UTF-8"}, "Body": body}
        if headers:
            simple["Headers"] = [{"Name": name, "Value": value} for name, value in headers.items()]
        try:
            response = self.client.send_email(
                FromEmailAddress=self.sender,
                Destination={"ToAddresses": [to] if isinstance(to, str) else list(to)},
                **({"ReplyToAddresses": [self.reply_to]} if self.reply_to else {}),
                Content={"Simple": simple},
            )
        except ClientError as error:
            # An address SES will never take (malformed to it, or rejected) is the sender's to handle;
            # throttling and other passing failures stay errors, for the caller's retries.
            if error.response.get("Error", {}).get("Code") in _REFUSED_ADDRESS:
                raise UndeliverableAddress(str(error)) from error
            raise
        return str(response["MessageId"])
