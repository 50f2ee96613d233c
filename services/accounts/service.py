"""The accounts service: web accounts, roles, sign-in, passwords, and the replica of the
collectivity clients that librisoft_bridge publishes. Entrypoints: `self.store.run(use_case, …)`."""
from services.common.clock import utcnow
from services.common.errors import unauthorized
from services.common.nameko_glue import MessagingService, RpcProxy, Store, consumes, rpc
from services.common.offload import native_thread

from . import use_cases
from .adapters import passwords
from .models import Base


passwords.run_cpu_bound = native_thread  # argon2 off the event loop


class AccountsService(MessagingService):
    name = "accounts"
    store = Store(Base.metadata)
    baskets = RpcProxy("baskets")

    # -- events -------------------------------------------------------------------------------
    @consumes("collectivity_client_updated")
    def on_collectivity_client_updated(self, session, payload, envelope):
        use_cases.apply_client_update(session, payload, utcnow())

    # -- sign-in ------------------------------------------------------------------------------
    @rpc
    def authenticate(self, email, password, ip=None):
        """The account and its new `session_id`. Two transactions: the attempt is counted (and
        throttled) under lock first, then the password is checked without holding the lock."""
        attempt_id = self.store.run(use_cases.reserve_login_attempt, email, ip, utcnow())
        account = self.store.run(use_cases.check_login, attempt_id, email, password, utcnow())
        if account is None:
            raise unauthorized("Adresse e-mail ou mot de passe incorrect.")
        return account

    @rpc
    def session_account(self, session_id):
        return self.store.run(use_cases.session_account, session_id, utcnow())

    @rpc
    def end_session(self, session_id):
        return {"ended": self.store.run(use_cases.end_session, session_id, utcnow())}

    @rpc
    def get_account(self, account_id):
        return self.store.run(use_cases.get_account, account_id)

    @rpc
    def change_password(self, account_id, current, new, confirmation=None):
        return self.store.run(use_cases.change_password, account_id, current, new,
                              confirmation, utcnow())

    @rpc
    def request_password_reset(self, email):
        self.store.run(use_cases.request_password_reset, email, utcnow(), self.store.record)
        return {"status": "ok"}

    @rpc
    def reset_link_valid(self, token):
        """Whether a password reset link may still be used (the page asks before its form)."""
        return self.store.run(use_cases.reset_link_valid, str(token or "")[:200], utcnow())

    @rpc
    def reset_password(self, token, new, confirmation=None):
        return self.store.run(use_cases.reset_password, token, new, confirmation, utcnow())

    # -- accounts -----------------------------------------------------------------------------
    @rpc
    def create_account(self, actor_id, data, idempotency_key=None):
        data = dict(data or {})
        # what is compared on a retry: the request without its password
        request = {k: v for k, v in data.items() if k not in ("password", "confirmation")}
        return self.store.once(idempotency_key, "create_account", actor_id, request,
                               use_cases.create_account, actor_id, data, utcnow(),
                               self.store.record)

    @rpc
    def list_accounts(self, actor_id):
        return self.store.run(use_cases.list_accounts, actor_id)

    @rpc
    def set_account_active(self, actor_id, account_id, active, idempotency_key=None):
        return self.store.once(idempotency_key, "set_account_active", actor_id,
                               [account_id, bool(active)], use_cases.set_active, actor_id,
                               account_id, active, self.baskets.baskets_waiting_for)

    @rpc
    def assignable_clients(self, actor_id):
        return self.store.run(use_cases.assignable_clients, actor_id)

    @rpc
    def get_client_for_account(self, account_id, client_number):
        return self.store.run(use_cases.client_for_account, account_id, client_number)

    @rpc
    def clients_overview(self, actor_id):
        return self.store.run(use_cases.clients_overview, actor_id)

    @rpc
    def get_client(self, client_number):
        """For the services printing a client (baskets' documents: SIRET, Chorus code)."""
        return self.store.run(use_cases.get_client, client_number)

    @rpc
    def client_account_emails(self, client_number):
        """For baskets: who is told that a basket waits for them (active accounts, by role)."""
        return self.store.run(use_cases.client_account_emails, client_number)

    @rpc
    def admin_get_client(self, actor_id, client_number):
        return self.store.run(use_cases.admin_get_client, actor_id, client_number)

    @rpc
    def set_client_billing(self, actor_id, client_number, siret, chorus_service_code,
                           idempotency_key=None):
        return self.store.once(idempotency_key, "set_client_billing", actor_id,
                               [client_number, siret, chorus_service_code],
                               use_cases.set_client_billing, actor_id, client_number, siret,
                               chorus_service_code, utcnow())
