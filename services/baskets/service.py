"""The baskets service: collectivity baskets and their approval chain, their prices, the quote
requests and orders made from them, the bookshop's management of those, Librisoft's pickup.

Every entrypoint re-checks the actor over accounts.get_account (active, role, clients), then
is one use case in one transaction (`self.store.run`, or `self.store.once` per idempotency
key). Prices come from accounts.get_client_for_account (the client's discounts) and
librisoft_bridge.get_article (the current public price)."""
import base64

from services.common import order_pdf
from services.common.nameko_glue import RpcProxy  # nested calls bounded by the deadline

from services.common.clock import utcnow as now
from services.common import config
from services.common.config import public_url
from services.common.errors import DomainError, forbidden
from services.common.nameko_glue import MessagingService, Store, consumes, rpc

from .domain.chain import check_account
from .models import Base
from .use_cases import baskets, bookshop, documents, invoice_events, placing


def _refuse(session, refusal):
    """What `once` runs when the request cannot be made: its refusal (nothing stored)."""
    raise refusal


class BasketsService(MessagingService):
    name = "baskets"
    store = Store(Base.metadata)
    accounts = RpcProxy("accounts")
    catalogue = RpcProxy("librisoft_bridge")

    def _account(self, actor_id, admin=False):
        try:
            account = self.accounts.get_account(actor_id)
        except DomainError as exc:
            if exc.code == "not_found":
                raise forbidden("Compte inconnu ou désactivé.")
            raise
        check_account(account["active"], account["role"], admin)
        return account

    def _client(self, actor_id, client_number):
        return self.accounts.get_client_for_account(actor_id, client_number)

    def _articles(self, eans):
        """The current articles, fetched in parallel: EAN -> article, or None if gone."""
        replies = {ean: self.catalogue.get_article.call_async(ean) for ean in eans}
        found = {}
        for ean, reply in replies.items():
            try:
                found[ean] = reply.result()
            except DomainError as exc:
                if exc.code not in ("not_found", "invalid"):  # gone, or never an EAN
                    raise
                found[ean] = None
        return found

    def _targets(self, account, basket_id):
        return self.store.run(baskets.pricing_targets, account, basket_id)

    # -- baskets ------------------------------------------------------------------------------
    @rpc
    def basket_menus(self, actor_id):
        return self.store.run(baskets.menus, self._account(actor_id))

    @rpc
    def list_my_baskets(self, actor_id, include_transformed=False):
        return self.store.run(baskets.list_mine, self._account(actor_id),
                              bool(include_transformed))

    @rpc
    def create_basket(self, actor_id, client_number=None, name="", idempotency_key=None,
                      ean=None, quantity=1):
        """`ean` (and `quantity`): « Ajouter au panier » into a new basket, the basket and its
        first line in one transaction (a line refused leaves no empty basket behind)."""
        account = self._account(actor_id)
        client = self._client(actor_id, baskets.client_of(account, client_number))
        article = self.catalogue.get_article(str(ean).strip()[:20]) if ean else None
        return self.store.once(idempotency_key, "create_basket", actor_id,
                               [client_number, name] + ([ean, quantity] if ean else []),
                               baskets.create, account, client, name, now(), article, quantity)

    @rpc
    def get_basket(self, actor_id, basket_id):
        """Re-priced from the current articles and discounts unless transformed (frozen)."""
        account = self._account(actor_id)
        targets = self._targets(account, basket_id)
        client = articles = None
        if not targets["frozen"]:
            try:
                client = self._client(actor_id, targets["client_number"])
            except DomainError as exc:  # the client is no longer active: last known prices
                if exc.code != "forbidden":
                    raise
            articles = self._articles(targets["eans"])
        return self.store.run(baskets.get, account, basket_id, now(), client, articles)

    @rpc
    def rename_basket(self, actor_id, basket_id, name, idempotency_key=None):
        return self.store.once(idempotency_key, "rename_basket", actor_id, [basket_id, name],
                               baskets.rename, self._account(actor_id), basket_id, name, now())

    @rpc
    def delete_basket(self, actor_id, basket_id, idempotency_key=None):
        return self.store.once(idempotency_key, "delete_basket", actor_id, [basket_id],
                               baskets.delete, self._account(actor_id), basket_id)

    @rpc
    def add_line(self, actor_id, basket_id, ean, quantity=1, idempotency_key=None):
        account = self._account(actor_id)
        targets = self._targets(account, basket_id)
        client = self._client(actor_id, targets["client_number"])
        article = self.catalogue.get_article(str(ean or "").strip()[:20])
        return self.store.once(idempotency_key, "add_line", actor_id,
                               [basket_id, ean, quantity],
                               baskets.add_line, account, basket_id, article, quantity, now(),
                               client)

    @rpc
    def set_quantity(self, actor_id, basket_id, ean, quantity, idempotency_key=None):
        account = self._account(actor_id)
        client = self._client(actor_id, self._targets(account, basket_id)["client_number"])
        return self.store.once(idempotency_key, "set_quantity", actor_id,
                               [basket_id, ean, quantity],
                               baskets.set_quantity, account, basket_id, ean, quantity, now(),
                               client)

    @rpc
    def remove_line(self, actor_id, basket_id, ean, idempotency_key=None):
        account = self._account(actor_id)
        client = self._client(actor_id, self._targets(account, basket_id)["client_number"])
        return self.store.once(idempotency_key, "remove_line", actor_id, [basket_id, ean],
                               baskets.remove_line, account, basket_id, ean, now(), client)

    def _holders(self, account, basket_id):
        """The basket's client's active accounts by role: who a moved basket is mailed to.
        (None, the refusal) when the account cannot see the basket (any more): a twin of a
        move that has just been made with the same key gets that move's answer, not a 404."""
        try:
            client_number = self._targets(account, basket_id)["client_number"]
        except DomainError as exc:
            return None, exc
        return self.accounts.client_account_emails(client_number), None

    @rpc
    def submit_basket(self, actor_id, basket_id, idempotency_key=None):
        account = self._account(actor_id)
        holders, refusal = self._holders(account, basket_id)
        if refusal is not None:  # the key's answer if it was used, else the refusal
            return self.store.once(idempotency_key, "submit_basket", actor_id, [basket_id],
                                   _refuse, refusal)
        return self.store.once(idempotency_key, "submit_basket", actor_id, [basket_id],
                               baskets.submit, account, basket_id, now(), holders,
                               self.store.record, public_url())

    @rpc
    def recall_basket(self, actor_id, basket_id, idempotency_key=None):
        return self.store.once(idempotency_key, "recall_basket", actor_id, [basket_id],
                               baskets.recall, self._account(actor_id), basket_id, now())

    @rpc
    def unlock_basket(self, actor_id, basket_id, idempotency_key=None):
        return self.store.once(idempotency_key, "unlock_basket", actor_id, [basket_id],
                               baskets.unlock, self._account(actor_id), basket_id, now())

    @rpc
    def lock_basket(self, actor_id, basket_id, idempotency_key=None):
        return self.store.once(idempotency_key, "lock_basket", actor_id, [basket_id],
                               baskets.lock, self._account(actor_id), basket_id, now())

    @rpc
    def return_basket(self, actor_id, basket_id, comment="", idempotency_key=None):
        account = self._account(actor_id)
        holders, refusal = self._holders(account, basket_id)
        if refusal is not None:
            return self.store.once(idempotency_key, "return_basket", actor_id,
                                   [basket_id, comment], _refuse, refusal)
        return self.store.once(idempotency_key, "return_basket", actor_id,
                               [basket_id, comment],
                               baskets.return_, account, basket_id, comment, now(), holders,
                               self.store.record, public_url())

    @rpc
    def baskets_to_validate(self, actor_id):
        return self.store.run(baskets.to_validate, self._account(actor_id))

    @rpc
    def baskets_waiting_for(self, client_numbers, role):
        """For the gateway, before an account is deactivated: the baskets of its clients waiting
        at its role's level (the caller checked it manages that account)."""
        return self.store.run(baskets.waiting_for, list(client_numbers or ())[:50], role)

    @rpc
    def validated_baskets(self, actor_id):
        return self.store.run(baskets.validated, self._account(actor_id))

    @rpc
    def article_price(self, actor_id, client_number, ean):
        account = self._account(actor_id)
        client = self._client(actor_id, baskets.client_of(account, client_number))
        article = self.catalogue.get_article(str(ean or "").strip()[:20])
        return baskets.article_price(account, client, article)

    @rpc
    def article_prices(self, actor_id, client_number, eans):
        """The collectivity's own price of a catalogue page's articles: EAN -> price (as
        `article_price`), in one call."""
        account = self._account(actor_id)
        client = self._client(actor_id, baskets.client_of(account, client_number))
        articles = self._articles([str(e or "").strip()[:20] for e in (eans or [])][:50])
        return {ean: baskets.article_price(account, client, article)
                for ean, article in articles.items() if article}

    # -- quote requests and orders ------------------------------------------------------------
    @rpc
    def transform_basket(self, actor_id, basket_id, kind, reference, comment="",
                         delivery_address=0, idempotency_key=None, expected_total=None,
                         delivery_mode=None):
        """`expected_total`: the total TTC the confirming page showed (a changed price since:
        conflict, nothing placed); None: not checked."""
        account = self._account(actor_id)
        targets = self._targets(account, basket_id)
        client = self._client(actor_id, targets["client_number"])
        articles = {} if targets["frozen"] else self._articles(targets["eans"])
        return self.store.once(idempotency_key, "transform_basket", actor_id,
                               [basket_id, kind, reference, comment, delivery_address,
                                expected_total, delivery_mode],
                               placing.transform, account, basket_id, kind, reference, comment,
                               client, articles, now(), self.store.record, public_url(),
                               delivery_address, expected_total, delivery_mode)

    @rpc
    def list_my_documents(self, actor_id, kind):
        return self.store.run(placing.list_mine, self._account(actor_id), kind)

    @rpc
    def basket_from_document(self, actor_id, kind, number, idempotency_key=None):
        """« Commander à nouveau »: a new basket of one's own with the lines of one's client's
        quote or order, at today's prices (`skipped`: articles gone from the catalogue)."""
        account = self._account(actor_id)
        doc = self.store.run(placing.get_mine, account, kind, number, public_url())
        client = self._client(actor_id, doc["client_number"])
        articles = self._articles([x["ean"] for x in doc["lines"]])
        return self.store.once(idempotency_key, "basket_from_document", actor_id,
                               [kind, number], baskets.from_document, account, client, doc,
                               articles, now())

    @rpc
    def get_my_document(self, actor_id, kind, number):
        return self.store.run(placing.get_mine, self._account(actor_id), kind, number,
                              public_url())

    # -- order documents (issue 9) -------------------------------------------------------------
    def _billing_client(self, client_number):
        """The billing client as accounts has it now (SIRET, Chorus Pro service code), or None
        if accounts does not know it (the document still prints, without them)."""
        try:
            return self.accounts.get_client(client_number)
        except DomainError as exc:
            if exc.code != "not_found":
                raise
            return None

    @rpc
    def order_document(self, kind, number):
        """A quote's or a collectivity order's document (services.common.contracts.documents),
        for the services that print, invoice or hand it off (no account: not for browsers)."""
        return self._document(kind, number)

    def _document(self, kind, number):
        client_number = self.store.run(documents.billing_client_number, kind, number)
        return self.store.run(documents.order_document, kind, number,
                              self._billing_client(client_number), public_url())

    @rpc
    def order_document_pdf(self, actor_id, kind, number):
        """The document's PDF, base64: the bookshop reads any; a collectivity account (any role)
        its clients' only; anyone else: not found."""
        try:
            account = self.accounts.get_account(actor_id)
        except DomainError as exc:
            if exc.code == "not_found":
                raise forbidden("Compte inconnu ou désactivé.")
            raise
        if not account["active"]:
            raise forbidden("Compte inconnu ou désactivé.")
        self.store.run(documents.check_access, account, kind, number)
        document = self._document(kind, number)
        return base64.b64encode(order_pdf.render_in_child(document, config.bookshop())).decode()

    @consumes("classic_order_status_changed")
    def on_classic_order_status_changed(self, session, payload, envelope):
        placing.on_classic_order_status_changed(session, payload, now(),
                                                envelope.get("occurred_at"))

    @consumes("invoice_issued")
    def on_invoice_issued(self, session, payload, envelope):
        """An invoiced collectivity order can no longer be cancelled (until a credit note
        cancels its invoice)."""
        invoice_events.on_invoice_issued(session, payload, now())

    # -- bookshop -----------------------------------------------------------------------------
    @rpc
    def admin_list_quotes(self, actor_id, archived=False, search="", page=1, per_page=50):
        self._account(actor_id, admin=True)
        return self.store.run(bookshop.list_quotes, bool(archived), search, page, per_page)

    @rpc
    def admin_archive_quote(self, actor_id, number, idempotency_key=None):
        admin = self._account(actor_id, admin=True)
        return self.store.once(idempotency_key, "admin_archive_quote", actor_id, [number],
                               bookshop.archive_quote, admin, number, now(), public_url())

    @rpc
    def admin_list_orders(self, actor_id, tab="pending", filters=None):
        self._account(actor_id, admin=True)
        return self.store.run(bookshop.list_orders, tab, filters)

    @rpc
    def admin_get_document(self, actor_id, kind, number):
        self._account(actor_id, admin=True)
        return self.store.run(bookshop.get_document, kind, number, public_url())

    @rpc
    def admin_order_action(self, actor_id, number, action, reason="", idempotency_key=None):
        admin = self._account(actor_id, admin=True)
        return self.store.once(idempotency_key, "admin_order_action", actor_id,
                               [number, action, reason], bookshop.order_action, admin, number,
                               action, reason, now(), self.store.record, public_url())

    @rpc
    def admin_send_message(self, actor_id, kind, number, message, idempotency_key=None):
        admin = self._account(actor_id, admin=True)
        return self.store.once(idempotency_key, "admin_send_message", actor_id,
                               [kind, number, message], bookshop.send_message, admin, kind,
                               number, message, now(), self.store.record, public_url())
