"""The notifications service: mails for the events of the suite, sent through the mail relay
(files under var/mail/ by default, SMTP when SMTP_HOST is set), and the bookshop's new-order
alerts (a mail, and an SMS through `adapters.sms` when BOOKSHOP_MOBILE is set). Each consumer is one line:
`use_cases.mail_for_event` in the event's transaction."""
import logging

import eventlet
from nameko.events import EventHandler
from nameko.extensions import DependencyProvider

from services.common.clock import utcnow
from services.common.config import public_url
from services.common.nameko_glue import MessagingService, Store, consumes, rpc, timer

from . import use_cases
from .adapters import sms
from .adapters.transport import from_environment
from .models import Base


log = logging.getLogger(__name__)


class MailTransport(DependencyProvider):
    """The transport from the environment, and a lock so that one sender runs per process
    (across processes, rows are claimed with SKIP LOCKED).

    The mails an event gives go as soon as its consumer has committed them (issue 11: the
    validation mail was waiting for the next tick of the one-second timer, which stays for
    retries and for what another instance left)."""

    def setup(self):
        self.transport = from_environment()
        self.sms = sms.from_environment()
        self.lock = eventlet.semaphore.Semaphore()

    def get_dependency(self, worker_ctx):
        return self

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        # a consumer that queued its mails (not one that skipped its event, or met a duplicate)
        if isinstance(worker_ctx.entrypoint, EventHandler) and result == "processed":
            self.container.spawn_managed_thread(self.send_due)

    def send_due(self):
        """Send what is due, unless a send runs already in this process (it takes them too).
        Never raises: an exception in a managed thread would stop the container."""
        if not self.lock.acquire(blocking=False):
            return
        try:
            store = next(d for d in self.container.dependencies if isinstance(d, Store))
            use_cases.send_due(store.database, self.transport, utcnow)
        except Exception:  # noqa: BLE001  (database down: the timer comes back)
            log.exception("sending the due mails failed")
        try:
            use_cases.send_due_sms(store.database, self.sms, utcnow)
        except Exception:  # noqa: BLE001
            log.exception("sending the due SMS failed")
        finally:
            self.lock.release()


class NotificationsService(MessagingService):
    name = "notifications"
    store = Store(Base.metadata)
    mail = MailTransport()

    def _queue(self, session, kind, payload, envelope):
        use_cases.mail_for_event(session, kind, payload, envelope, utcnow(), public_url())
        use_cases.alert_for_event(session, kind, payload, envelope, utcnow(), public_url())

    @consumes("account_created")
    def on_account_created(self, session, payload, envelope):
        self._queue(session, "account_created", payload, envelope)

    @consumes("password_reset_requested")
    def on_password_reset_requested(self, session, payload, envelope):
        self._queue(session, "password_reset_requested", payload, envelope)

    @consumes("grouped_order_created")
    def on_grouped_order_created(self, session, payload, envelope):
        self._queue(session, "grouped_order_created", payload, envelope)

    @consumes("grouped_order_deadline_passed")
    def on_grouped_order_deadline_passed(self, session, payload, envelope):
        self._queue(session, "grouped_order_deadline_passed", payload, envelope)

    @consumes("grouped_order_reopened")
    def on_grouped_order_reopened(self, session, payload, envelope):
        """Its initiator reopened a closed grouped order: the bookshop is told."""
        self._queue(session, "grouped_order_reopened", payload, envelope)

    @consumes("grouped_order_validated")
    def on_grouped_order_validated(self, session, payload, envelope):
        self._queue(session, "grouped_order_validated", payload, envelope)

    @consumes("grouped_order_made_available")
    def on_grouped_order_made_available(self, session, payload, envelope):
        self._queue(session, "grouped_order_made_available", payload, envelope)

    @consumes("grouped_order_cancelled")
    def on_grouped_order_cancelled(self, session, payload, envelope):
        self._queue(session, "grouped_order_cancelled", payload, envelope)

    @consumes("grouped_order_failed")
    def on_grouped_order_failed(self, session, payload, envelope):
        """Issue 10: the minimum was not reached; one event per recipient."""
        self._queue(session, "grouped_order_failed", payload, envelope)
    @consumes("grouped_order_distributed")
    def on_grouped_order_distributed(self, session, payload, envelope):
        """The closing mails of distribution day: the initiator's recap, the absent buyers'."""
        use_cases.mails_for_distribution(session, payload, envelope, utcnow(), public_url())

    @consumes("sub_order_paid")
    def on_sub_order_paid(self, session, payload, envelope):
        self._queue(session, "sub_order_paid", payload, envelope)

    @consumes("sub_order_placed", wanted=lambda payload: use_cases.gives_anything(
        "sub_order_placed", payload))
    def on_sub_order_placed(self, session, payload, envelope):
        """A buyer paying by cheque or cash at the bookshop: how, how much, where, by when."""
        self._queue(session, "sub_order_placed", payload, envelope)

    @consumes("sub_order_cancelled")
    def on_sub_order_cancelled(self, session, payload, envelope):
        self._queue(session, "sub_order_cancelled", payload, envelope)

    @consumes("sub_order_refunded")
    def on_sub_order_refunded(self, session, payload, envelope):
        self._queue(session, "sub_order_refunded", payload, envelope)

    @consumes("invoice_issued", wanted=lambda payload: use_cases.gives_anything(
        "invoice_issued", payload))
    def on_invoice_issued(self, session, payload, envelope):
        """The customer's copy of an invoice or a credit note: where to download it, what to
        pay or what is given back."""
        self._queue(session, "invoice_issued", payload, envelope)

    @consumes("sub_order_distribution_reminded")
    def on_sub_order_distribution_reminded(self, session, payload, envelope):
        self._queue(session, "sub_order_distribution_reminded", payload, envelope)

    @consumes("sub_order_adjusted")
    def on_sub_order_adjusted(self, session, payload, envelope):
        self._queue(session, "sub_order_adjusted", payload, envelope)

    @consumes("payment_failed")
    def on_payment_failed(self, session, payload, envelope):
        self._queue(session, "payment_failed", payload, envelope)

    @consumes("quote_requested")
    def on_quote_requested(self, session, payload, envelope):
        self._queue(session, "quote_requested", payload, envelope)

    @consumes("collectivity_order_placed")
    def on_collectivity_order_placed(self, session, payload, envelope):
        self._queue(session, "collectivity_order_placed", payload, envelope)

    @consumes("collectivity_order_status_changed")
    def on_collectivity_order_status_changed(self, session, payload, envelope):
        self._queue(session, "collectivity_order_status_changed", payload, envelope)

    @consumes("collectivity_message_sent")
    def on_collectivity_message_sent(self, session, payload, envelope):
        self._queue(session, "collectivity_message_sent", payload, envelope)

    @consumes("basket_moved")
    def on_basket_moved(self, session, payload, envelope):
        self._queue(session, "basket_moved", payload, envelope)

    @consumes("order_progressed")
    def on_order_progressed(self, session, payload, envelope):
        self._queue(session, "order_progressed", payload, envelope)

    @consumes("grouped_order_deadline_approached")
    def on_grouped_order_deadline_approached(self, session, payload, envelope):
        """The initiator's reminder before the deadline, with the figures so far (K1)."""
        self._queue(session, "grouped_order_deadline_approached", payload, envelope)

    @consumes("sub_order_made_available")
    def on_sub_order_made_available(self, session, payload, envelope):
        """A buyer's books are ready, or the distribution's new date (issue 10 K5)."""
        self._queue(session, "sub_order_made_available", payload, envelope)

    @consumes("sub_order_email_corrected")
    def on_sub_order_email_corrected(self, session, payload, envelope):
        """A buyer's mistyped e-mail corrected by the bookshop: told at the new one."""
        self._queue(session, "sub_order_email_corrected", payload, envelope)

    @consumes("sub_order_payment_reminded")
    def on_sub_order_payment_reminded(self, session, payload, envelope):
        """An unpaid buyer's reminder: their link to pay, or the cheque / cash instructions."""
        self._queue(session, "sub_order_payment_reminded", payload, envelope)

    @timer(interval=1)
    def send_mails(self):
        self.mail.send_due()

    @rpc
    def list_mails(self, limit=100, to=None):
        return self.store.run(use_cases.list_mails, limit, to)

    @rpc
    def list_sms(self, limit=100):
        return self.store.run(use_cases.list_sms, limit)

    @rpc
    def get_mail(self, mail_id):
        return self.store.run(use_cases.get_mail, mail_id)
