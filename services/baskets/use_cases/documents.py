"""`order_document(kind, number)` of a quote or a collectivity order (issue 9), the shape of
services.common.contracts.documents, checked before it leaves; and who may read it."""
from services.common.contracts.documents import dump_document
from services.common.errors import not_found

from ..domain import documents, status
from ..presenters.documents import detail_url
from ..presenters.documents import order_document as present
from .baskets import actor_of
from .placing import find


def billing_client_number(session, wire_kind, number) -> str:
    """Whose SIRET the document carries: its billing client's (asked of accounts)."""
    doc = find(session, documents.kind_of(wire_kind), number)
    return doc.billing_client_number or doc.client_number


def order_document(session, wire_kind, number, client, public_url="") -> dict:
    """`client`: accounts' view of the billing client (with `siret`, `chorus_service_code`),
    or None when accounts does not know it; `public_url`: the site's, for `detail_url`."""
    doc = find(session, documents.kind_of(wire_kind), number)
    view = present(doc, client)
    if public_url:
        view["detail_url"] = detail_url(doc, public_url)
    return dump_document(view)


def check_access(session, account, wire_kind, number):
    """`account`: the reader as accounts gives it (re-checked active by the service). The
    bookshop reads any document; a collectivity account (any role) only its clients'; anything
    else: not found (another's is not even said to exist)."""
    kind = documents.kind_of(wire_kind)
    doc = find(session, kind, number)
    if not documents.may_read(account["role"], actor_of(account).client_numbers,
                              doc.client_number):
        raise not_found(f"{status.KIND_LABELS[kind]} introuvable.")
