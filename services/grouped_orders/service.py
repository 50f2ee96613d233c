"""The grouped_orders service: grouped orders, their public subscription and payment, the
bookshop's validation, the deadline timer. nameko only: each entrypoint checks the account when
it must, then runs its use case in one transaction (`store.run`), or once per idempotency key
(`store.once`)."""
import base64

from services.common import order_pdf

from services.common import config
from services.common.clock import utcnow
from services.common.errors import forbidden
from services.common.nameko_glue import (MessagingService, RpcProxy, Store, consumes, rpc,
                                         timer)

from . import domain, sheet, supplier_sheet
from .models import Base
from .use_cases import (bookshop, buyers, capacity, distribution, distribution_date,
                        distribution_eve, documents,
                        initiator, invoice_events, librisoft_events, opening, payment_events,
                        reminders, suppliers, unavailability)

DEADLINE_INTERVAL = float(config.env("GROUPED_ORDERS_DEADLINE_INTERVAL", "30"))


def reminder_days():
    """(initiator's, buyers') days before the deadline the reminder mails go (issue 10, K1):
    REMINDER_DAYS_BEFORE_DEADLINE and BUYER_REMINDER_DAYS_BEFORE_DEADLINE, calendar days,
    default 3 each, 0 turns one off (domain.reminders)."""
    return (domain.reminder_days(config.env("REMINDER_DAYS_BEFORE_DEADLINE", "3")),
            domain.reminder_days(config.env("BUYER_REMINDER_DAYS_BEFORE_DEADLINE", "3")))


def bookshop_label():
    """The pickup place "at the bookshop" (BOOKSHOP_NAME, BOOKSHOP_ADDRESS)."""
    return domain.bookshop_pickup_label(config.bookshop())


def default_payment_methods():
    """How buyers of a new grouped order may pay, until the bookshop changes it on the grouped
    order's page: GROUPED_ORDER_PAYMENT_METHODS ("online", "online,cheque", "online,cheque,cash")."""
    return domain.default_payment_methods(config.env("GROUPED_ORDER_PAYMENT_METHODS", "online"))


class GroupedOrdersService(MessagingService):
    name = "grouped_orders"
    store = Store(Base.metadata)
    accounts = RpcProxy("accounts")  # nested calls bounded by the deadline
    catalogue = RpcProxy("librisoft_bridge")
    payments = RpcProxy("payments")

    def _account(self, actor_id, admin=False):
        account = self.accounts.get_account(actor_id)
        if not account["active"] or (account["role"] == "admin") != admin:
            raise forbidden()
        return account

    # -- initiator ----------------------------------------------------------------------------
    @rpc
    def pickup_options(self, actor_id, client_number):
        self._account(actor_id)
        client = self.accounts.get_client_for_account(actor_id, client_number)
        return domain.pickup_choices(client, bookshop_label())

    @rpc
    def create_grouped_order(self, actor_id, data, idempotency_key=None):
        initiator_account = self._account(actor_id)
        data = dict(data or {})
        client = self.accounts.get_client_for_account(actor_id, str(data.get("client_number")))
        articles = [dict(self.catalogue.get_article(ean), optional=optional)
                    for ean, optional in domain.titles_asked(data)]
        return self.store.once(idempotency_key, "create_grouped_order", actor_id, data,
                               initiator.create, initiator_account, client, articles, data,
                               utcnow(), self.store.record, config.public_url(),
                               bookshop_label(), default_payment_methods())

    @rpc
    def list_my_grouped_orders(self, actor_id):
        return self.store.run(initiator.list_for_initiator, actor_id, utcnow(),
                              config.public_url())

    @rpc
    def get_my_grouped_order(self, actor_id, number):
        return self.store.run(initiator.get_for_initiator, int(number), actor_id, utcnow(),
                              config.public_url())

    @rpc
    def change_deadline(self, actor_id, number, deadline, idempotency_key=None):
        return self.store.once(idempotency_key, "change_deadline", actor_id,
                               {"number": int(number), "deadline": deadline},
                               initiator.change_deadline, int(number), actor_id, deadline,
                               utcnow(), config.public_url(), self.store.record)

    @rpc
    def cancel_my_grouped_order(self, actor_id, number, reason, idempotency_key=None):
        """The initiator cancels their own grouped order (not validated, no parent paid)."""
        return self.store.once(idempotency_key, "cancel_my_grouped_order", actor_id,
                               {"number": int(number), "reason": reason},
                               initiator.cancel_by_initiator, int(number), actor_id, reason,
                               utcnow(), self.store.record, config.public_url())

    @rpc
    def export_pdf(self, actor_id, number, kind="global"):
        """The sign-in sheet, base64: the initiator's own grouped order, or any for the admin;
        `kind` "global" (every buyer) or "publishers" (one section per publisher, issue 10 K4)."""
        role = self.accounts.get_account(actor_id)["role"]
        view = self.store.run(initiator.sheet_view, int(number), actor_id, role, utcnow(),
                              config.public_url())
        kind = kind if kind in sheet.KINDS else "global"
        return base64.b64encode(sheet.render_in_child(view, kind=kind)).decode()

    # -- totals to send to suppliers (issue 10 K2) ----------------------------------------------
    def _reader_role(self, actor_id):
        account = self.accounts.get_account(actor_id)
        if not account["active"]:
            raise forbidden()
        return account["role"]

    @rpc
    def supplier_recap(self, actor_id, number):
        """« Récapitulatif par produits » of one grouped order: per publisher and title, copies
        paid and awaiting, TTC and HT per VAT rate. The bookshop's any; an initiator's own."""
        return self.store.run(suppliers.order_recap, int(number), actor_id,
                              self._reader_role(actor_id))

    @rpc
    def admin_supplier_recap(self, actor_id, start, end):
        """« Vue globale »: the same for every grouped order (not cancelled) whose deadline is
        from `start` to `end` (Paris days, ISO), the bookshop's only."""
        self._account(actor_id, admin=True)
        return self.store.run(suppliers.period_recap, start, end)

    @rpc
    def supplier_recap_pdf(self, actor_id, number=None, start=None, end=None):
        """Either recap as a PDF, base64 (rendered in a child process)."""
        view = self.admin_supplier_recap(actor_id, start, end) if number is None \
            else self.supplier_recap(actor_id, number)
        return base64.b64encode(supplier_sheet.render_in_child(view)).decode()

    # -- order documents (issue 9) -------------------------------------------------------------
    @rpc
    def order_document(self, kind, number):
        """A sub-order's or a grouped order's document (services.common.contracts.documents),
        for the services that print, invoice or hand it off (no account: not for browsers)."""
        return self.store.run(documents.order_document, kind, number, config.public_url())

    @rpc
    def order_document_pdf(self, kind, number, access):
        """The document's PDF, base64, for whoever may read it: `access` is `{"actor_id"}` (the
        bookshop: any; a collectivity account: its own grouped orders and their sub-orders) or
        `{"token", "buyer_token"}` (a parent: their sub-order). Anyone else: not found."""
        access = dict(access or {})
        if access.get("actor_id") is not None:
            account = self.accounts.get_account(access["actor_id"])
            if not account["active"]:
                raise forbidden()
            access = ({"admin": True} if account["role"] == "admin"
                      else {"initiator_id": account["id"]})
        else:
            access = {"token": access.get("token"), "buyer_token": access.get("buyer_token")}
        document = self.store.run(documents.readable_document, kind, number, access)
        return base64.b64encode(order_pdf.render_in_child(document, config.bookshop())).decode()

    # -- buyers -------------------------------------------------------------------------------
    @rpc
    def public_grouped_order(self, token):
        return self.store.run(buyers.public, token, utcnow())

    @rpc
    def subscribe(self, token, data, idempotency_key=None):
        data = dict(data or {})
        return self.store.once(idempotency_key, "subscribe", "", {"token": token, "data": data},
                               buyers.subscribe, token, data, utcnow(), self.store.record,
                               config.public_url())

    @rpc
    def buyer_status(self, token, buyer_token):
        return self.store.run(buyers.buyer_status, token, buyer_token, utcnow())

    @rpc
    def start_payment(self, token, buyer_token, return_url, idempotency_key=None):
        """With a key, a retry finds the first attempt again and, through the attempt's own
        key, the same payment at the provider (even if the first answer was lost)."""
        attempt = self.store.once(idempotency_key, "start_payment", "",
                                  {"token": token, "buyer_token": buyer_token,
                                   "return_url": return_url},
                                  buyers.begin_payment_attempt, token, buyer_token, utcnow())
        return self._pay(attempt, return_url)

    @rpc
    def cancel_subscription(self, token, buyer_token, idempotency_key=None):
        """The parent cancels their own unpaid order while subscriptions are open; once per
        key (a double tap gets the first answer). The buyer's page view."""
        return self.store.once(idempotency_key, "cancel_subscription", "",
                               {"token": token, "buyer_token": buyer_token},
                               buyers.cancel_by_buyer, token, buyer_token, utcnow(),
                               self.store.record, config.public_url())

    @rpc
    def subscribe_and_pay(self, token, data, idempotency_key=None):
        """The subscription form's POST in one RPC and one transaction (issue 11): the
        sub-order, its lines, the attempt to pay online (its own idempotency key towards
        payments) and the outbox rows. The payment itself is made by `pay_subscription` when the
        buyer's browser follows the 303 to the payment page, off the POST's path. A retry with
        the form's key gets the same sub-order and attempt (`attempt_id`, None for a cheque or
        cash at the bookshop)."""
        data = dict(data or {})
        begun = self.store.once(idempotency_key, "subscribe_and_pay", "",
                                {"token": token, "data": data},
                                buyers.subscribe_and_begin_payment, token, data, utcnow(),
                                self.store.record, config.public_url())
        attempt = begun["attempt"]
        return dict(begun["sub"], attempt_id=attempt["attempt_id"] if attempt else None)

    @rpc
    def pay_subscription(self, token, buyer_token, return_url):
        """The payment page (issue 11): the payment of the attempt the form recorded, created
        once (the attempt's key towards payments: a reload, a second tab, a retry after a lost
        answer find the same payment, no double charge), refused after the deadline (French
        409). `redirect_url` None: nothing to pay online (paid, cancelled, cheque or cash, the
        attempt refused or abandoned): the result page tells the buyer."""
        attempt = self.store.run(buyers.attempt_to_pay, token, buyer_token, utcnow())
        if attempt is None:
            return {"payment_id": None, "redirect_url": None}
        if attempt["redirect_url"]:
            return {"payment_id": attempt["payment_id"], "redirect_url": attempt["redirect_url"]}
        return self._pay(attempt, return_url)

    def _pay(self, attempt, return_url):
        """Steps 2 and 3 of paying: the payment for the attempt (its own idempotency key towards
        payments: no double charge), attached to the attempt."""
        payment = self.payments.start_payment({
            "reference_kind": attempt["reference_kind"],
            "reference_id": attempt["reference_id"], "amount": attempt["amount"],
            "description": attempt["description"], "customer_email": attempt["customer_email"],
            "return_url": return_url, "idempotency_key": attempt["idempotency_key"]})
        self.store.run(buyers.attach_payment, attempt["attempt_id"], payment)
        return {"payment_id": payment["payment_id"], "redirect_url": payment["redirect_url"]}

    @consumes("payment_succeeded")
    def on_payment_succeeded(self, session, payload, envelope):
        payment_events.on_payment_succeeded(session, payload, utcnow(), self.store.record,
                                            config.public_url())

    @consumes("payment_failed")
    def on_payment_failed(self, session, payload, envelope):
        payment_events.on_payment_failed(session, payload)

    @consumes("payment_refunded")
    def on_payment_refunded(self, session, payload, envelope):
        payment_events.on_payment_refunded(session, payload, utcnow(), self.store.record,
                                           config.public_url())

    @consumes("classic_order_status_changed")
    def on_classic_order_status_changed(self, session, payload, envelope):
        librisoft_events.on_classic_order_status_changed(session, payload)

    @consumes("invoice_issued")
    def on_invoice_issued(self, session, payload, envelope):
        """An invoiced sub-order can no longer be cancelled (until a credit note cancels it); a
        credit note owing its buyer money asks payments to refund it."""
        invoice_events.on_invoice_issued(session, payload, utcnow(), self.store.record,
                                         config.public_url())

    # -- bookshop -----------------------------------------------------------------------------
    @rpc
    def admin_list(self, actor_id, tab="validation"):
        self._account(actor_id, admin=True)
        return self.store.run(bookshop.list_tab, tab, utcnow(), config.public_url())

    @rpc
    def admin_get(self, actor_id, number):
        self._account(actor_id, admin=True)
        return self.store.run(bookshop.get, int(number), utcnow(), config.public_url())

    def _admin_once(self, actor_id, idempotency_key, action, request, use_case, *args,
                    record=True):
        """The bookshop's `action`, an admin's only, once per idempotency key:
        `use_case(session, *args, now, record, public_url)` (without `record` if not `record`)."""
        self._account(actor_id, admin=True)
        events = (self.store.record,) if record else ()
        return self.store.once(idempotency_key, action, actor_id, request, use_case, *args,
                               utcnow(), *events, config.public_url())

    @rpc
    def admin_validate_sub_order(self, actor_id, sub_number, idempotency_key=None):
        return self._admin_once(actor_id, idempotency_key, "admin_validate_sub_order",
                                {"sub_number": int(sub_number)}, bookshop.validate_sub_order,
                                int(sub_number))

    @rpc
    def admin_record_manual_payment(self, actor_id, sub_number, method, cheque_number="",
                                    idempotency_key=None):
        """The bookshop received the sub-order's cheque (its number: 7 digits) or cash (issue
        9): payments records it, once per sub-order (a bad number is its 400, nothing changed;
        a second validation a 409), and the sub-order is paid by it, in one transaction of
        ours holding the sub-order's lock (bookshop.record_manual_payment)."""
        account = self._account(actor_id, admin=True)
        sub_number = int(sub_number)
        return self.store.once(idempotency_key, "admin_record_manual_payment", actor_id,
                               {"sub_number": sub_number, "method": method,
                                "cheque_number": cheque_number},
                               bookshop.record_manual_payment, sub_number, method,
                               cheque_number, account["email"],
                               self.payments.record_manual_payment, utcnow(),
                               self.store.record, config.public_url())

    @rpc
    def admin_set_payment_methods(self, actor_id, number, cheque, cash, pickup=False,
                                  idempotency_key=None):
        """Allow (or not) a cheque and / or cash at the bookshop, and / or paying at pickup
        (issue 10 K5), for this grouped order."""
        return self._admin_once(actor_id, idempotency_key, "admin_set_payment_methods",
                                {"number": int(number), "cheque": cheque, "cash": cash,
                                 "pickup": pickup},
                                bookshop.set_payment_methods, int(number), cheque, cash,
                                pickup, record=False)

    @rpc
    def admin_correct_buyer_email(self, actor_id, sub_number, email, idempotency_key=None):
        """A buyer's mistyped e-mail corrected; they are told at the new one."""
        return self._admin_once(actor_id, idempotency_key, "admin_correct_buyer_email",
                                {"sub_number": int(sub_number), "email": str(email or "")},
                                bookshop.correct_buyer_email, int(sub_number), email)

    @rpc
    def admin_cancel_sub_order(self, actor_id, sub_number, reason="", idempotency_key=None):
        return self._admin_once(actor_id, idempotency_key, "admin_cancel_sub_order",
                                {"sub_number": int(sub_number), "reason": reason},
                                bookshop.cancel_sub_order, int(sub_number), reason)

    @rpc
    def validate_grouped_order(self, actor_id, number, idempotency_key=None):
        return self._admin_once(actor_id, idempotency_key, "validate_grouped_order",
                                {"number": int(number)}, bookshop.validate, int(number))

    @rpc
    def close_subscriptions_now(self, actor_id, number, idempotency_key=None):
        return self._admin_once(actor_id, idempotency_key, "close_subscriptions_now",
                                {"number": int(number)}, bookshop.close_now, int(number))

    @rpc
    def cancel_grouped_order(self, actor_id, number, reason, idempotency_key=None):
        return self._admin_once(actor_id, idempotency_key, "cancel_grouped_order",
                                {"number": int(number), "reason": reason}, bookshop.cancel,
                                int(number), reason)

    @rpc
    def make_available(self, actor_id, number, idempotency_key=None):
        return self._admin_once(actor_id, idempotency_key, "make_available",
                                {"number": int(number)}, bookshop.make_available, int(number))

    @rpc
    def reset_status(self, actor_id, number, idempotency_key=None):
        return self._admin_once(actor_id, idempotency_key, "reset_status",
                                {"number": int(number)}, bookshop.reset_status, int(number),
                                record=False)

    # -- distribution day (issue 10 K5): the initiator (its own) or the bookshop (any) ------
    def _distributor(self, actor_id):
        account = self.accounts.get_account(actor_id)
        if not account["active"]:
            raise forbidden()
        return {"id": account["id"], "role": account["role"], "email": account["email"]}

    @rpc
    def distribution(self, actor_id, number, query=""):
        account = self._distributor(actor_id)
        return self.store.run(distribution.view, int(number), account, str(query or ""),
                              utcnow(), config.public_url())

    @rpc
    def distribution_tick(self, actor_id, number, sub_number, field, value,
                          idempotency_key=None):
        """« venu » / « a tout retiré » (`field`: came / collected_all), saved at once; the
        same tick twice is one change; a retry with the key gets the first answer."""
        account = self._distributor(actor_id)
        return self.store.once(idempotency_key, "distribution_tick", actor_id,
                               {"number": int(number), "sub_number": int(sub_number),
                                "field": field, "value": bool(value)},
                               distribution.tick, int(number), int(sub_number), field,
                               bool(value), account, utcnow())

    @rpc
    def distribution_payment(self, actor_id, number, sub_number, method, cheque_number="",
                             idempotency_key=None):
        """« a payé » at pickup: a cheque (7 digits) or cash, recorded by payments once."""
        account = self._distributor(actor_id)
        return self.store.once(idempotency_key, "distribution_payment", actor_id,
                               {"number": int(number), "sub_number": int(sub_number),
                                "method": method, "cheque_number": cheque_number},
                               distribution.record_pickup_payment, int(number),
                               int(sub_number), method, cheque_number, account,
                               self.payments.record_manual_payment, utcnow(),
                               self.store.record, config.public_url())

    @rpc
    def distribution_note(self, actor_id, number, sub_number, kind, amount, comment,
                          idempotency_key=None):
        account = self._distributor(actor_id)
        return self.store.once(idempotency_key, "distribution_note", actor_id,
                               {"number": int(number), "sub_number": int(sub_number),
                                "kind": kind, "amount": str(amount), "comment": comment},
                               distribution.add_note, int(number), int(sub_number), kind,
                               amount, comment, account, utcnow())

    @rpc
    def validate_distribution(self, actor_id, number, idempotency_key=None):
        account = self._distributor(actor_id)
        return self.store.once(idempotency_key, "validate_distribution", actor_id,
                               {"number": int(number)}, distribution.validate, int(number),
                               account, utcnow(), self.store.record, config.public_url())

    @rpc
    def set_distribution_date(self, actor_id, number, day, slot="", idempotency_key=None):
        """The distribution's date and optional slot (the initiator's own grouped order, or
        the bookshop's any), once validated; changed after availability: the buyers told."""
        account = self._distributor(actor_id)
        return self.store.once(idempotency_key, "set_distribution_date", actor_id,
                               {"number": int(number), "day": str(day or ""),
                                "slot": str(slot or "")},
                               distribution_date.set_distribution_date, int(number),
                               str(day or ""), str(slot or ""), account, utcnow(),
                               self.store.record, config.public_url())

    @rpc
    def admin_set_buyer_ready_mails(self, actor_id, number, enabled, idempotency_key=None):
        """The bookshop turns this grouped order's buyer mails (books ready, new date) on or
        off."""
        return self._admin_once(actor_id, idempotency_key, "admin_set_buyer_ready_mails",
                                {"number": int(number), "enabled": bool(enabled)},
                                distribution_date.set_buyer_ready_mails, int(number),
                                bool(enabled), record=False)

    @timer(interval=DEADLINE_INTERVAL)
    def close_expired(self):
        """Deadlines passed, then the reminders due (each its own transaction)."""
        self.store.run(bookshop.close_expired, utcnow(), self.store.record, config.public_url())
        self.store.run(reminders.send_reminders, utcnow(), self.store.record,
                       config.public_url(), *reminder_days())
        # the buyers reminded the day before distribution day (issue 10 K5)
        self.store.run(distribution_eve.remind_eve, utcnow(), self.store.record,
                       config.public_url())

    # -- opening day and reminders (issue 10, K1) -----------------------------------------------
    @rpc
    def change_opening(self, actor_id, number, opens_on, idempotency_key=None):
        """The initiator moves the opening day while subscriptions have not opened yet."""
        return self.store.once(idempotency_key, "change_opening", actor_id,
                               {"number": int(number), "opens_on": opens_on},
                               opening.change_opening, int(number), actor_id, opens_on,
                               utcnow(), config.public_url())

    @rpc
    def admin_set_buyer_reminders(self, actor_id, number, enabled, idempotency_key=None):
        """The bookshop turns the reminders to this grouped order's unpaid buyers on or off."""
        return self._admin_once(actor_id, idempotency_key, "admin_set_buyer_reminders",
                                {"number": int(number), "enabled": bool(enabled)},
                                reminders.set_buyer_reminders, int(number), bool(enabled),
                                record=False)

    # -- the minimum and the cap (issue 10) ----------------------------------------------------
    @rpc
    def public_progress(self, token):
        """The public page's progress toward the minimum and the cap (polled by its script)."""
        return self.store.run(capacity.public_progress, token, utcnow())

    @rpc
    def change_copy_limits(self, actor_id, number, min_copies, max_copies,
                           idempotency_key=None, title_minimums=None):
        """The initiator changes the minimum and the cap while the grouped order is open;
        `title_minimums` ({ean: value}; None: unchanged): each title's own minimum."""
        self._account(actor_id)
        return self.store.once(idempotency_key, "change_copy_limits", actor_id,
                               {"number": int(number), "min_copies": min_copies,
                                "max_copies": max_copies, "title_minimums": title_minimums},
                               capacity.change_copy_limits, int(number), actor_id, min_copies,
                               max_copies, utcnow(), config.public_url(), title_minimums)

    # -- a title becomes unavailable (issue 10, K3) ----------------------------------------
    @rpc
    def admin_set_title_available(self, actor_id, number, title_id, available,
                                  idempotency_key=None):
        """The copies a title will actually get: the sub-orders adjusted, refunds asked."""
        return self._admin_once(actor_id, idempotency_key, "admin_set_title_available",
                                {"number": int(number), "title_id": int(title_id),
                                 "available": available},
                                unavailability.set_available, int(number), int(title_id),
                                available)

    @rpc
    def admin_preview_title_available(self, actor_id, number, title_id, available):
        """What « Corriger » would do (nothing written): the copies ordered, each buyer cut."""
        self._account(actor_id, admin=True)
        return self.store.run(unavailability.preview_available, int(number), int(title_id),
                              available)

    @rpc
    def admin_confirm_adjustments(self, actor_id, number, idempotency_key=None):
        """« J'ai vérifié »: the adjusted lines no longer show in red."""
        self._account(actor_id, admin=True)
        return self.store.once(idempotency_key, "admin_confirm_adjustments", actor_id,
                               {"number": int(number)}, unavailability.confirm, int(number),
                               utcnow())

    @rpc
    def admin_adjustments(self, actor_id, number):
        self._account(actor_id, admin=True)
        return self.store.run(unavailability.admin_view, int(number))

    @rpc
    def my_adjustments(self, actor_id, number):
        self._account(actor_id)
        return self.store.run(unavailability.initiator_view, int(number), actor_id)
