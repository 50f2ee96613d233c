"""notifications use cases: an event becomes mail rows (same transaction as the event's
processed mark), due mails are sent, the admin's dev page lists them. Re-exported here."""
from .mails import get_mail, list_mails, mail_for_event, queue_mail
from .sending import SENDING, send_due

__all__ = ["get_mail", "list_mails", "mail_for_event", "queue_mail", "SENDING", "send_due"]
