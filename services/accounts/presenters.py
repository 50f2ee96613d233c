"""What the accounts RPCs and events return: accounts and clients as dicts for the wire."""
from services.common.roles import ROLE_LABELS, creatable_by

from .models import Account, Client


def account_view(account: Account, clients: dict | None = None) -> dict:
    return {
        "id": account.id, "email": account.email, "role": account.role,
        "role_label": ROLE_LABELS[account.role], "active": account.active,
        "creatable_roles": list(creatable_by(account.role)),
        "session_version": account.session_version,
        "created_at": account.created_at.isoformat(),
        "created_by_id": account.created_by_id,
        "last_login_at": account.last_login_at.isoformat() if account.last_login_at else None,
        "clients": [{"number": n, "name": (clients or {}).get(n, n)}
                    for n in account.client_numbers],
    }


def client_view(c: Client) -> dict:
    return {
        "number": c.number, "name": c.name, "addresses": c.addresses or [], "phone": c.phone,
        "email": c.email, "gencod": c.gencod, "active": c.active,
        "discounts": {"vat_2_1": str(c.discount_2_1), "vat_5_5": str(c.discount_5_5),
                      "vat_20": str(c.discount_20), "school": str(c.discount_school)},
        "lang_law_warning": c.lang_law_warning, "blocked": bool(c.blocked),
        "revision": c.revision,
        "siret": c.siret, "chorus_service_code": c.chorus_service_code,
    }
