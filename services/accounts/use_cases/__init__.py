"""Accounts use cases (the transactions): each takes a SQLAlchemy session (the unit of work,
committed by the caller), the time, and a `record(session, event_type, payload)` for events;
load -> domain decision -> persist -> record. The same functions serve RPC, events, the CLI,
scripts and tests. Re-exported here (`use_cases.create_account`, ...)."""
from .accounts import create_account, create_admin, get_account, list_accounts, set_active
from .clients import (admin_get_client, apply_client_update, assignable_clients,
                      client_account_emails, client_for_account, clients_overview, get_client,
                      set_client_billing)
from .common import client_names, load_actor
from .passwords import (change_password, request_password_reset, reset_link_valid,
                        reset_password)
from .sign_in import (authenticate, check_login, end_session, open_session,
                      reserve_login_attempt, session_account)

__all__ = ["create_account", "create_admin", "get_account", "list_accounts", "set_active",
           "apply_client_update", "assignable_clients", "client_account_emails", "client_for_account",
           "clients_overview", "admin_get_client", "get_client", "set_client_billing",
           "client_names", "load_actor", "change_password",
           "request_password_reset", "reset_link_valid", "reset_password", "authenticate", "check_login",
           "end_session", "open_session", "reserve_login_attempt", "session_account"]
