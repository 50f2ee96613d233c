"""The librisoft_bridge service: Librisoft pushes its articles and collectivity clients to the
webservice (/librisoft/v1/...); the gateway and the other services read them over RPC. Each
entrypoint is load -> handler -> dump."""
from services.common.nameko_glue import MessagingService, Store, rpc

from . import handlers, web
from .models import Base
from .schemas import ArticleOut, ArticleReportOut, ClientOut, ClientReportOut, SearchResultOut

CLIENT_EVENT = "collectivity_client_updated"


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
    def import_articles(self, rows):
        return self._import_articles(rows)

    @rpc
    def import_clients(self, rows):
        return self._import_clients(rows)

    # ---- webservice ----------------------------------------------------------------------
    @web.route("GET", "/health")
    def http_health(self, request):
        return self.health()

    @web.route("POST", "/articles")
    def http_import_articles(self, request):
        return self._import_articles(web.read_feed(request, "articles"))

    @web.route("POST", "/clients")
    def http_import_clients(self, request):
        return self._import_clients(web.read_feed(request, "clients"))

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
