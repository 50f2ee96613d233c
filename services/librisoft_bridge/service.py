"""The librisoft_bridge service: Librisoft pushes its articles and collectivity clients to the
webservice (/librisoft/v1/...) and picks up the classic orders there, which the bridge makes from
validated grouped orders, collectivities' quote requests and collectivity orders; the gateway
and the other services read them over RPC. Each entrypoint is one transaction,
`self.store.run(use_case, ...)`, dumped by its schema."""
import functools

from marshmallow import ValidationError
from nameko.web.handlers import http

from services.common.errors import DomainError
from services.common.nameko_glue import MessagingService, Store, consumes, rpc

from . import import_worker
from .adapters import feeds, webservice
from .domain.orders import COLLECTIVITY_ORDER, GROUPED_ORDER, QUOTE
from .models import Base
from .schemas import (ArticleOut, ArticleReportOut, ClientOut, ClientReportOut, OrderOut,
                      OrderPageOut, SearchResultOut)
from .use_cases import classic_orders, imports, pickup, queries

CLIENT_EVENT = "collectivity_client_updated"
ORDER_EVENT = "classic_order_status_changed"


def route(method: str, path: str):
    """A route of the webservice (nameko's @http under webservice.PREFIX): the method returns a
    dict, answered as JSON once the request's X-Api-Key is checked (adapters.webservice)."""
    def decorate(fn):
        @functools.wraps(fn)
        def entry(self, request, **path_values):
            return webservice.answer(self.store.db, request,
                                     lambda: fn(self, request, **path_values))
        return http(method, webservice.declare(method, path))(entry)
    return decorate


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
            self.store.run(queries.search_articles, query, page, per_page))

    @rpc
    def get_article(self, ean):
        return ArticleOut().dump(self.store.run(queries.get_article, ean))

    @rpc
    def list_clients(self, include_inactive=True):
        return ClientOut(many=True).dump(self.store.run(queries.list_clients, include_inactive))

    @rpc
    def get_client(self, number):
        return ClientOut().dump(self.store.run(queries.get_client, number))

    @rpc
    def list_orders(self, status="all", source_kind=None, page=1, per_page=50):
        return OrderPageOut().dump(self.store.run(
            classic_orders.list_orders, status, source_kind, page, per_page))

    @rpc
    def get_order(self, number):
        return OrderOut().dump(self.store.run(classic_orders.get_order, number))

    @rpc
    def find_orders_by_source(self, source_kind, source_number):
        return OrderOut(many=True).dump(self.store.run(
            classic_orders.find_orders_by_source, source_kind, source_number))

    @rpc
    def import_articles(self, rows):
        return self._import_articles(rows)

    @rpc
    def import_clients(self, rows):
        return self._import_clients(rows)

    # ---- events --------------------------------------------------------------------------
    @consumes("grouped_order_validated")
    def on_grouped_order_validated(self, session, payload, envelope):
        take_or_park(classic_orders.take_grouped_order, session, payload)

    @consumes("quote_requested")
    def on_quote_requested(self, session, payload, envelope):
        take_or_park(classic_orders.take_document, session, QUOTE, payload)

    @consumes("collectivity_order_placed")
    def on_collectivity_order_placed(self, session, payload, envelope):
        take_or_park(classic_orders.take_document, session, COLLECTIVITY_ORDER, payload)

    @consumes("grouped_order_cancelled")
    def on_grouped_order_cancelled(self, session, payload, envelope):
        """A validated grouped order's classic order is cancelled (its validation date says one
        was made; a grouped order cancelled before validation has none)."""
        classic_orders.cancel_source(session, GROUPED_ORDER, payload["number"],
                                     payload["reason"], self._record_order_event,
                                     must_exist=bool(payload.get("validated_at")))

    @consumes("collectivity_order_status_changed")
    def on_collectivity_order_status_changed(self, session, payload, envelope):
        if payload["action"] == "cancelled":
            classic_orders.cancel_source(session, COLLECTIVITY_ORDER, payload["number"],
                                         payload.get("reason") or "", self._record_order_event,
                                         must_exist=True)

    # ---- webservice ----------------------------------------------------------------------
    @route("GET", "/health")
    def http_health(self, request):
        return self.health()

    @route("POST", "/articles")
    def http_import_articles(self, request):
        body, mimetype, charset = webservice.read_feed_body(request)
        if len(body) >= import_worker.OFFLOAD_BYTES:  # parsed, checked and written off the loop
            return ArticleReportOut().dump(import_worker.run(body, mimetype, charset))
        return self._import_articles(feeds.parse(body, mimetype, charset, "articles"))

    @route("POST", "/clients")
    def http_import_clients(self, request):
        return self._import_clients(webservice.read_feed(request, "clients"))

    @route("GET", "/orders")
    def http_list_orders(self, request):
        return OrderPageOut().dump(self.store.run(
            classic_orders.list_orders, **webservice.page_args(request, "pending")))

    @route("GET", "/orders/<number>")
    def http_get_order(self, request, number):
        return OrderOut().dump(self.store.run(classic_orders.get_order, number))

    @route("POST", "/orders/<number>/ack")
    def http_ack_order(self, request, number):
        return OrderOut().dump(
            self.store.run(pickup.acknowledge, number, self._record_order_event))

    @route("POST", "/orders/<number>/cancellation/ack")
    def http_ack_order_cancellation(self, request, number):
        return OrderOut().dump(self.store.run(
            pickup.acknowledge_cancellation, number, self._record_order_event))

    @route("POST", "/orders/<number>/status")
    def http_post_order_status(self, request, number):
        return OrderOut().dump(self.store.run(
            pickup.post_status, number, webservice.read_json(request), self._record_order_event))

    @route(webservice.ANY_METHOD, "/<path:path>")
    def http_unknown_route(self, request, path):
        raise webservice.unknown_route(request)

    # ---- shared --------------------------------------------------------------------------
    def _import_articles(self, rows):
        return ArticleReportOut().dump(self.store.run(imports.import_articles, rows))

    def _import_clients(self, rows):
        return ClientReportOut().dump(
            self.store.run(imports.import_clients, rows, self._record_client_event))

    def _record_client_event(self, session, payload):
        self.store.record(session, CLIENT_EVENT, payload)

    def _record_order_event(self, session, payload):
        self.store.record(session, ORDER_EVENT, payload)
