"""notifications rules (reference 000's mails, issues 2, 3 and 9): which event mails whom, in
which case, with which subject and which words; and how sending is retried. Pure Python: no
nameko, no SQL, no I/O. The texts themselves are the templates (`templates/<kind>.txt`), put
together by `presenters` (dates and amounts in French)."""
from .mails import (ACTION_TITLES, BOOKSHOP_DEFAULT_EMAIL, KINDS, MAILS, admin_path,
                    copied_to_bookshop, recipients, subject, wanted, wording)
from .alerts import (ALERT_KINDS, ALERT_MAIL_KIND, SMS_MAX, alert_heading, amount_label, gsm,
                     is_alert, message_key, mobile_number, order_alert, sms_text)
from .sending import SEND_LEASE, retry_delay

__all__ = ["ACTION_TITLES", "BOOKSHOP_DEFAULT_EMAIL", "KINDS", "MAILS", "recipients", "subject",
           "admin_path", "copied_to_bookshop", "wanted", "wording", "SEND_LEASE", "retry_delay",
           "ALERT_KINDS", "ALERT_MAIL_KIND", "SMS_MAX", "alert_heading", "amount_label", "gsm", "is_alert",
           "message_key", "mobile_number", "order_alert", "sms_text"]
