"""How mails are sent: at least once, never lost (see `use_cases.sending.send_due`)."""
from datetime import timedelta

# how long a mail stays claimed by the sender that marked it "sending" (longer than an SMTP
# exchange); a mail still "sending" after that was interrupted (its process died)
SEND_LEASE = timedelta(seconds=60)


def retry_delay(attempts: int) -> timedelta:
    """How long a mail waits after a temporary failure (SMTP down, a 4xx): 2, 4, 8 s… 10 min."""
    return timedelta(seconds=min(600, 2 ** attempts))
