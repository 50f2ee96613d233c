"""The roles and who-creates-whom table, written once (services.common.roles): the accounts
service's rules and the gateway's authorization read the same one."""
from services.accounts import domain as accounts
from services.accounts.presenters import account_view
from services.common import roles
from services.common.offload import native_thread


def test_the_gateway_and_accounts_share_one_table():
    from gateway import security
    assert security.MANAGERS == roles.MANAGERS == ("admin", "approbateur", "collectivite")
    assert security.COLLECTIVITY == roles.COLLECTIVITY_ROLES == accounts.COLLECTIVITY_ROLES
    assert accounts.CREATABLE is roles.CREATABLE and accounts.ROLE_LABELS is roles.ROLE_LABELS
    # whoever may create an account is a manager for the gateway, and no one else
    assert {r for r in roles.ROLES if roles.creatable_by(r)} == set(security.MANAGERS)


def test_an_account_says_which_roles_it_may_create():
    class Account:
        id, email, role, active, session_version = 1, "a@b.fr", "approbateur", True, 1
        created_by_id, last_login_at, client_numbers = None, None, ["16"]

        class created_at:
            isoformat = staticmethod(lambda: "2027-01-15T08:00:00+00:00")

    view = account_view(Account())
    assert view["creatable_roles"] == ["utilisateur"] and view["role_label"] == "Approbateur"


def test_the_mails_name_roles_as_the_site_does():
    assert roles.role_label("collectivite") == "Collectivité"
    assert roles.role_label("inconnu") == "inconnu"


def test_cpu_bound_work_runs_in_a_native_thread():
    import threading
    assert native_thread(lambda a, b: (a + b, threading.current_thread().name), 1, 2)[0] == 3
