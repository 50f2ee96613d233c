"""Order details as PDF (issue 9, reference 002 « Voir le détail de la commande en format
PDF »): any order for the bookshop; for a collectivity account, its own grouped orders (their
initiator) and its clients' quotes and orders. The parent's sub-order is on its result page's
link (`subscription.document_pdf`). Who may read which document is decided by the owning
service (`order_document_pdf`), never here alone: another's is a 404."""
import base64

from flask import Blueprint, Response, g, url_for

from ..rpc_client import slow_rpc
from ..security import ADMIN, COLLECTIVITY, allow

bp = Blueprint("documents", __name__)

# the URL's word for each kind (services.common.contracts.documents.KINDS)
SLUGS = {"sub_order": "sous-commande", "grouped_order": "commande-groupee",
         "collectivity_order": "commande-collectivite", "quote": "devis"}
KINDS = {slug: kind for kind, slug in SLUGS.items()}
KIND_RULE = ("<any('sous-commande', 'commande-groupee', 'commande-collectivite', 'devis')"
             ":kind>")
OWNERS = {"sub_order": "grouped_orders", "grouped_order": "grouped_orders",
          "collectivity_order": "baskets", "quote": "baskets"}


def pdf_response(data_b64: str, kind: str, number) -> Response:
    return Response(base64.b64decode(data_b64), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{SLUGS[kind]}-{number}.pdf"',
        "Cache-Control": "private, no-store"})


def document_pdf(kind: str, number: int) -> Response:
    """The signed-in account's PDF of (kind, number), as the owner decides."""
    if OWNERS[kind] == "grouped_orders":
        data = slow_rpc("grouped_orders", "order_document_pdf", kind, number,
                        {"actor_id": g.user["id"]})
    else:
        data = slow_rpc("baskets", "order_document_pdf", g.user["id"], kind, number)
    return pdf_response(data, kind, number)


@bp.get(f"/admin/commandes/{KIND_RULE}/<int:number>/pdf")
@allow(ADMIN)
def admin_pdf(kind, number):
    return document_pdf(KINDS[kind], number)


@bp.get(f"/mes-commandes/{KIND_RULE}/<int:number>/pdf")
@allow(*COLLECTIVITY)
def my_pdf(kind, number):
    return document_pdf(KINDS[kind], number)


def pdf_url(kind: str, number, admin: bool = False) -> str:
    """The PDF link of an order named by its kind (sub_order, grouped_order,
    collectivity_order, quote) and number, for the bookshop or for its customer."""
    endpoint = "documents.admin_pdf" if admin else "documents.my_pdf"
    return url_for(endpoint, kind=SLUGS[kind], number=number)
