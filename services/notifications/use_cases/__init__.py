"""notifications use cases: an event becomes mail rows (same transaction as the event's
processed mark), a new order also an alert to the bookshop (mail and SMS), due mails and SMS are
sent, the admin's dev pages list them. Re-exported here."""
from .alerts import alert_for_event, list_sms
from .mails import get_mail, gives_anything, list_mails, mail_for_event, mails_for_distribution, queue_mail
from .sending import SENDING, send_due
from .sms import send_due_sms

__all__ = ["alert_for_event", "list_sms", "get_mail", "gives_anything", "list_mails", "mail_for_event",
           "queue_mail", "mails_for_distribution", "SENDING", "send_due", "send_due_sms"]
