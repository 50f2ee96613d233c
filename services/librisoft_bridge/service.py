"""The librisoft_bridge service: Librisoft pushes its articles and collectivity clients to the
webservice (/librisoft/v1/...) and picks up the classic orders there, which the bridge makes from
validated grouped orders, collectivities' quote requests and collectivity orders; the gateway
and the other services read them over RPC. Each entrypoint is load -> handler -> dump."""
from marshmallow import ValidationError

from services.common.errors import DomainError
from services.common.nameko_glue import MessagingService, Store, consumes, rpc

from . import feeds, handlers, import_worker, order_handlers, web
from .models import Base
from .orders import COLLECTIVITY_ORDER, GROUPED_ORDER, QUOTE
from .schemas import (ArticleOut, ArticleReportOut, ClientOut, ClientReportOut, OrderOut,
                      OrderPageOut, SearchResultOut)

CLIENT_EVENT = "collectivity_client_updated"
ORDER_EVENT = "classic_order_status_changed"


def take_or_park(take, *args):
    """Make the classic order of an event; one that can make no sound order is parked (a
    ValidationError for the inbox), since retrying the same event would fail again."""
    try:
        return take(*args)
    except DomainError as exc:
        raise ValidationError({"payload": [exc.message]}) from exc


class LibrisoftBridgeService(MessagingService):
    name = "librisoft_bridge"
    store = Store(Base.metadata)

    # ---- RPC -----------------------------------------------------------------------------
    @rpc
    def search_articles(self, query="", page=1, per_page=20):
        return SearchResultOut().dump(
            handlers.search_articles(self.store.db, query, page, per_page))

    @rpc
    def get_article(self, ean):
        return ArticleOut().dump(handlers.get_article(self.store.db, ean))

    @rpc
    def list_clients(self, include_inactive=True):
        return ClientOut(many=True).dump(handlers.list_clients(self.store.db, include_inactive))

    @rpc
    def get_client(self, number):
        return ClientOut().dump(handlers.get_client(self.store.db, number))

    @rpc
    def list_orders(self, status="all", source_kind=None, page=1, per_page=50):
        return OrderPageOut().dump(
            order_handlers.list_orders(self.store.db, status, source_kind, page, per_page))

    @rpc
    def get_order(self, number):
        return OrderOut().dump(order_handlers.get_order(self.store.db, number))

    @rpc
    def find_orders_by_source(self, source_kind, source_number):
        return OrderOut(many=True).dump(
            order_handlers.find_orders_by_source(self.store.db, source_kind, source_number))

    @rpc
    def import_articles(self, rows):
        return self._import_articles(rows)

    @rpc
    def import_clients(self, rows):
        return self._import_clients(rows)

    # ---- events --------------------------------------------------------------------------
    @consumes("grouped_order_validated")
    def on_grouped_order_validated(self, session, payload, envelope):
        take_or_park(order_handlers.take_grouped_order, session, payload)

    @consumes("quote_requested")
    def on_quote_requested(self, session, payload, envelope):
        take_or_park(order_handlers.take_document, session, QUOTE, payload)

    @consumes("collectivity_order_placed")
    def on_collectivity_order_placed(self, session, payload, envelope):
        take_or_park(order_handlers.take_document, session, COLLECTIVITY_ORDER, payload)

    @consumes("grouped_order_cancelled")
    def on_grouped_order_cancelled(self, session, payload, envelope):
        """A validated grouped order's classic order is cancelled (its validation date says one
        was made; a grouped order cancelled before validation has none)."""
        order_handlers.cancel_source(session, GROUPED_ORDER, payload["number"],
                                     payload["reason"], self._record_order_event,
                                     must_exist=bool(payload.get("validated_at")))

    @consumes("collectivity_order_status_changed")
    def on_collectivity_order_status_changed(self, session, payload, envelope):
        if payload["action"] == "cancelled":
            order_handlers.cancel_source(session, COLLECTIVITY_ORDER, payload["number"],
                                         payload.get("reason") or "", self._record_order_event,
                                         must_exist=True)

    # ---- webservice ----------------------------------------------------------------------
    @web.route("GET", "/health")
    def http_health(self, request):
        return self.health()

    @web.route("POST", "/articles")
    def http_import_articles(self, request):
        body, mimetype, charset = web.read_feed_body(request)
        if len(body) >= import_worker.OFFLOAD_BYTES:  # parsed, checked and written off the loop
            return ArticleReportOut().dump(import_worker.run(body, mimetype, charset))
        return self._import_articles(feeds.parse(body, mimetype, charset, "articles"))

    @web.route("POST", "/clients")
    def http_import_clients(self, request):
        return self._import_clients(web.read_feed(request, "clients"))

    @web.route("GET", "/orders")
    def http_list_orders(self, request):
        return OrderPageOut().dump(
            order_handlers.list_orders(self.store.db, **web.page_args(request, "pending")))

    @web.route("GET", "/orders/<number>")
    def http_get_order(self, request, number):
        return OrderOut().dump(order_handlers.get_order(self.store.db, number))

    @web.route("POST", "/orders/<number>/ack")
    def http_ack_order(self, request, number):
        return OrderOut().dump(
            order_handlers.acknowledge(self.store.db, number, self._record_order_event))

    @web.route("POST", "/orders/<number>/cancellation/ack")
    def http_ack_order_cancellation(self, request, number):
        return OrderOut().dump(order_handlers.acknowledge_cancellation(
            self.store.db, number, self._record_order_event))

    @web.route("POST", "/orders/<number>/status")
    def http_post_order_status(self, request, number):
        return OrderOut().dump(order_handlers.post_status(
            self.store.db, number, web.read_json(request), self._record_order_event))

    @web.route(web.ANY_METHOD, "/<path:path>")
    def http_unknown_route(self, request, path):
        raise web.unknown_route(request)

    # ---- shared --------------------------------------------------------------------------
    def _import_articles(self, rows):
        return ArticleReportOut().dump(handlers.import_articles(self.store.db, rows))

    def _import_clients(self, rows):
        return ClientReportOut().dump(
            handlers.import_clients(self.store.db, rows, self._record_client_event))

    def _record_client_event(self, session, payload):
        self.store.record(session, CLIENT_EVENT, payload)

    def _record_order_event(self, session, payload):
        self.store.record(session, ORDER_EVENT, payload)
