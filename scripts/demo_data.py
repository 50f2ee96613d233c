"""Demo data for `make run`.

    python -m scripts.demo_data prepare   # before the services start: admin account, API key
    python -m scripts.demo_data load      # once they run: Librisoft feeds through the bridge's
                                          # webservice, then demo collectivity accounts

Idempotent: run it again and nothing is duplicated."""
import sys
import time
from datetime import datetime, timezone

import requests

from services.common import config
from services.common.errors import DomainError

ADMIN = ("admin@librairie.test", "demo-admin-2026")
ACCOUNTS = [  # (email, password, role, clients): a school with the whole chain
    ("collectivite@ecole-jules-ferry.test", "demo-collectivite", "collectivite", ["16"]),
    ("approbateur@ecole-jules-ferry.test", "demo-approbateur", "approbateur", ["16"]),
    ("utilisateur@ecole-jules-ferry.test", "demo-utilisateur", "utilisateur", ["16"]),
]
KEY_FILE = "librisoft-demo-api-key"
BRIDGE_URL = config.env("LIBRISOFT_BRIDGE_URL", "http://127.0.0.1:8101")


def prepare():
    from services.accounts import use_cases
    from services.accounts.models import Base as AccountsBase
    from services.common.db import Database
    from services.librisoft_bridge import keys
    from services.librisoft_bridge.models import Base as BridgeBase

    accounts = Database("accounts", AccountsBase.metadata)
    try:
        with accounts.transaction() as session:
            use_cases.create_admin(session, *ADMIN, datetime.now(timezone.utc))
        print(f"demo: admin account {ADMIN[0]} created")
    except DomainError:
        pass  # already there
    key_path = config.var_dir() / KEY_FILE
    if not key_path.exists():
        key_path.write_text(keys.create_key(Database("librisoft_bridge", BridgeBase.metadata),
                                            "demo"))
        key_path.chmod(0o600)


def rpc_proxy():
    from nameko.standalone.rpc import ClusterRpcProxy
    import services.common.wire  # noqa: F401
    return ClusterRpcProxy({"AMQP_URI": config.amqp_uri()}, timeout=10)


def wait_for_services(rpc, timeout=90):
    deadline = time.time() + timeout
    for name in config.SERVICES:
        while True:
            try:
                if getattr(rpc, name).health()["status"] == "ok":
                    break
            except Exception:
                if time.time() > deadline:
                    raise SystemExit(f"demo: the {name} service did not start (see its log)")
                time.sleep(0.5)


def push(kind, rows, key):
    response = requests.post(f"{BRIDGE_URL}/librisoft/v1/{kind}", json={kind: rows},
                             headers={"X-Api-Key": key}, timeout=60)
    response.raise_for_status()
    report = response.json()
    print(f"demo: Librisoft {kind} feed: {report['created']} created, {report['updated']} "
          f"updated, {report['unchanged']} unchanged, {len(report['rejected'])} rejected")


def load():
    from services.librisoft_bridge.demo import demo_articles, demo_clients

    key = (config.var_dir() / KEY_FILE).read_text().strip()
    with rpc_proxy() as rpc:
        wait_for_services(rpc)
        push("clients", demo_clients(), key)
        push("articles", demo_articles(300), key)
        admin = rpc.accounts.authenticate(*ADMIN, "127.0.0.1")
        deadline = time.time() + 30
        while not {"16"} <= {c["number"] for c in rpc.accounts.assignable_clients(admin["id"])}:
            if time.time() > deadline:
                raise SystemExit("demo: the clients did not reach the accounts service")
            time.sleep(0.3)
        existing = {a["email"] for a in rpc.accounts.list_accounts(admin["id"])}
        for email, password, role, clients in ACCOUNTS:
            if email not in existing:
                rpc.accounts.create_account(admin["id"], {
                    "email": email, "password": password, "role": role,
                    "client_numbers": clients})
        link, reading_list = demo_grouped_order(rpc)
    url = config.env("PUBLIC_URL", "http://localhost:8000")
    print(f"""
  The suite runs on {url}
  Demo logins (e-mail / password):
    Libraire (admin)   {ADMIN[0]} / {ADMIN[1]}""")
    for email, password, role, _ in ACCOUNTS:
        print(f"    {role:<18} {email} / {password}")
    print(f"  A grouped order is open for the parents: {link}")
    print(f"  A reading list of 3 titles (one optional) too: {reading_list}")
    print(f"  Mails land in {config.var_dir() / 'mail'} and on {url}/admin/mails"
          f"\n  Librisoft webservice: {BRIDGE_URL}/librisoft/v1/ (X-Api-Key in "
          f"var/{KEY_FILE})\n  Stop with Ctrl-C.\n")


def demo_grouped_order(rpc):
    """Two open grouped orders of the demo Collectivité account: one title (WESTERN
    COQUILLETTES), and a reading list (issue 10) of three, CEMETERY ROAD optional. Their public
    links."""
    from datetime import date, timedelta
    teacher = rpc.accounts.authenticate(ACCOUNTS[0][0], ACCOUNTS[0][1], "127.0.0.1")
    mine = rpc.grouped_orders.list_my_grouped_orders(teacher["id"])
    deadline = (date.today() + timedelta(days=14)).isoformat()
    single = [go for go in mine if len(go["titles"]) == 1]
    if not single:
        single = [rpc.grouped_orders.create_grouped_order(teacher["id"], {
            "client_number": "16", "ean": "9791097284657", "pickup": "bookshop",
            "deadline": deadline, "comment": "Lecture de la classe de CM2"})]
    lists = [go for go in mine if len(go["titles"]) > 1]
    if not lists:
        lists = [rpc.grouped_orders.create_grouped_order(teacher["id"], {
            "client_number": "16", "pickup": "bookshop", "deadline": deadline,
            "titles": [{"ean": "9791097284657"}, {"ean": "9782362210419"},
                       {"ean": "9782330150136", "optional": True}],
            "comment": "Liste de lecture de la classe de 3e"})]
    return single[0]["subscription_url"], lists[0]["subscription_url"]


if __name__ == "__main__":
    {"prepare": prepare, "load": load}.get((sys.argv[1:] or [""])[0],
                                          lambda: print(__doc__))()
