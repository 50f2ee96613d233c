"""The accounts service: web accounts, roles, sign-in, passwords, and the replica of the
collectivity clients that librisoft_bridge publishes. Entrypoints: load -> handler -> dump."""
from datetime import datetime, timezone

from eventlet import tpool

from services.common import idempotency
from services.common.errors import unauthorized
from services.common.nameko_glue import MessagingService, Store, consumes, rpc

from . import handlers, passwords
from .models import Base


passwords.run_cpu_bound = tpool.execute  # argon2 off the event loop


def now():
    return datetime.now(timezone.utc)


class AccountsService(MessagingService):
    name = "accounts"
    store = Store(Base.metadata)

    def _do(self, fn, *args, **kwargs):
        with self.store.transaction() as session:
            return fn(session, *args, **kwargs)

    # -- events -------------------------------------------------------------------------------
    @consumes("collectivity_client_updated")
    def on_collectivity_client_updated(self, session, payload, envelope):
        handlers.apply_client_update(session, payload, now())

    # -- sign-in ------------------------------------------------------------------------------
    @rpc
    def authenticate(self, email, password, ip=None):
        """The account and its new `session_id`. Two transactions: the attempt is counted (and
        throttled) under lock first, then the password is checked without holding the lock."""
        attempt_id = self._do(handlers.reserve_login_attempt, email, ip, now())
        account = self._do(handlers.check_login, attempt_id, email, password, now())
        if account is None:
            raise unauthorized("Adresse e-mail ou mot de passe incorrect.")
        return account

    @rpc
    def session_account(self, session_id):
        return self._do(handlers.session_account, session_id, now())

    @rpc
    def end_session(self, session_id):
        return {"ended": self._do(handlers.end_session, session_id, now())}

    @rpc
    def get_account(self, account_id):
        return self._do(handlers.get_account, account_id)

    @rpc
    def change_password(self, account_id, current, new, confirmation=None):
        return self._do(handlers.change_password, account_id, current, new, confirmation, now())

    @rpc
    def request_password_reset(self, email):
        self._do(handlers.request_password_reset, email, now(), self.store.record)
        return {"status": "ok"}

    @rpc
    def reset_password(self, token, new, confirmation=None):
        return self._do(handlers.reset_password, token, new, confirmation, now())

    # -- accounts -----------------------------------------------------------------------------
    @rpc
    def create_account(self, actor_id, data, idempotency_key=None):
        data = dict(data or {})
        # what is compared on a retry: the request without its password
        request = {k: v for k, v in data.items() if k not in ("password", "confirmation")}
        return idempotency.once(self.store, idempotency_key, "create_account", actor_id,
                                request, handlers.create_account, actor_id, data, now(),
                                self.store.record)

    @rpc
    def list_accounts(self, actor_id):
        return self._do(handlers.list_accounts, actor_id)

    @rpc
    def set_account_active(self, actor_id, account_id, active, idempotency_key=None):
        return idempotency.once(self.store, idempotency_key, "set_account_active", actor_id,
                                [account_id, bool(active)], handlers.set_active, actor_id,
                                account_id, active)

    @rpc
    def assignable_clients(self, actor_id):
        return self._do(handlers.assignable_clients, actor_id)

    @rpc
    def get_client_for_account(self, account_id, client_number):
        return self._do(handlers.client_for_account, account_id, client_number)

    @rpc
    def clients_overview(self, actor_id):
        return self._do(handlers.clients_overview, actor_id)

