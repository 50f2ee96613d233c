"""The gateway's pages rendered by Flask's test client, the services answered by a fake RPC
pool: what a page shows, for the data a service gives."""
import pytest

from services.common.errors import DomainError

USERS = {
    "admin": {"id": 1, "email": "admin@librairie.test", "role": "admin",
              "role_label": "Libraire (administrateur)", "clients": [],
              "creatable_roles": ["collectivite", "approbateur", "utilisateur"]},
    "collectivite": {"id": 2, "email": "achats@ecole.fr", "role": "collectivite",
                     "role_label": "Collectivité",
                     "clients": [{"number": "16", "name": "ECOLE JULES FERRY"}],
                     "creatable_roles": ["approbateur", "utilisateur"]},
    "approbateur": {"id": 3, "email": "chef@ecole.fr", "role": "approbateur",
                    "role_label": "Approbateur",
                    "clients": [{"number": "16", "name": "ECOLE JULES FERRY"}],
                    "creatable_roles": ["utilisateur"]},
    "utilisateur": {"id": 4, "email": "biblio@ecole.fr", "role": "utilisateur",
                    "role_label": "Utilisateur",
                    "clients": [{"number": "16", "name": "ECOLE JULES FERRY"}],
                    "creatable_roles": []},
}


ZERO_TOTALS = {"total_ht": "0.00", "vat_total": "0.00", "total_ttc": "0.00"}
NO_INVOICES = {("invoicing", "order_invoices"): [], ("invoicing", "invoices_for_orders"): {},
               ("invoicing", "list_invoices"): {"items": [], "totals": {
                   "invoice": dict(ZERO_TOTALS, count=0),
                   "credit_note": dict(ZERO_TOTALS, count=0), "net": ZERO_TOTALS}}}
# a grouped order's page asks for its titles cut (issue 10, K3): none unless a test says so
NO_ADJUSTMENTS = {("grouped_orders", m): {"lines": [], "titles": [], "can_adjust": False,
                                          "unchecked": False}
                  for m in ("admin_adjustments", "my_adjustments")}
# a parent's page asks the desk where their order stands: registered, unless a test says so
NOT_MOVED = {("order_desk", "get_order"): {"progress": "registered",
                                           "progress_label": "Commande enregistrée"}}


class FakeRpc:
    """`answers[(service, method)]` is a value or a function of the call's arguments."""

    def __init__(self):
        self.answers, self.calls, self.keywords = {}, [], {}

    def call(self, service, method, *args, **kwargs):
        self.calls.append((service, method, args))
        self.keywords[(service, method)] = kwargs  # the last call's
        if (service, method) in (("accounts", "get_account"), ("accounts", "session_account")):
            account_id = int(str(args[0]).removeprefix("sid-"))
            user = next(u for u in USERS.values() if u["id"] == account_id)
            return dict(user, active=True, session_version=1, last_login_at=None)
        if (service, method) == ("baskets", "basket_menus"):
            return []
        answer = self.answers.get((service, method))
        if answer is None and (service, method) in NO_INVOICES:
            return NO_INVOICES[(service, method)]  # the pages that show an order's invoices
        if answer is None and (service, method) in NO_ADJUSTMENTS:
            return NO_ADJUSTMENTS[(service, method)]
        if answer is None and (service, method) in NOT_MOVED:
            return NOT_MOVED[(service, method)]
        if answer is None:
            raise AssertionError(f"unexpected RPC {service}.{method}{args}")
        if isinstance(answer, DomainError):
            raise answer
        return answer(*args) if callable(answer) else answer

    def called(self, service, method):
        return [args for s, m, args in self.calls if (s, m) == (service, method)]

    def close(self):
        pass


@pytest.fixture
def rpc():
    return FakeRpc()


def _create_app(rpc):
    from gateway.app import create_app
    application = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False,
                              "PUBLIC_URL": "http://localhost"})
    for name in ("rpc", "rpc_health", "rpc_slow"):
        application.extensions[name] = rpc
    return application


@pytest.fixture(scope="session")
def shared_app():
    """The gateway's app, built once for the tier: building it (routes, the OpenAPI document)
    was most of the tier's time. What a test changes is its own: the fake RPC pool (set again
    for each test), its client's cookies; a test that adds routes takes `fresh_app`."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("GATEWAY_SECRET_KEY", "unit-tests")
        yield _create_app(FakeRpc())


@pytest.fixture
def app(shared_app, rpc, monkeypatch, tmp_path):
    monkeypatch.setenv("GATEWAY_SECRET_KEY", "unit-tests")
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    for name in ("rpc", "rpc_health", "rpc_slow"):
        shared_app.extensions[name] = rpc
    return shared_app


@pytest.fixture
def fresh_app(rpc, monkeypatch, tmp_path):
    """An app of the test's own (e.g. to add a route to it)."""
    monkeypatch.setenv("GATEWAY_SECRET_KEY", "unit-tests")
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    return _create_app(rpc)


@pytest.fixture
def client(app):
    return app.test_client()


def sign_in(client, who):
    with client.session_transaction() as session:
        session["sid"] = f"sid-{USERS[who]['id']}"  # a server-side session (accounts)
    return client
