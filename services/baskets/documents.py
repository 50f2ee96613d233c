"""Quote requests and collectivity orders (reference 001, "Gérer les devis collectivité",
"Gérer les commandes collectivité"): statuses and their French labels, Librisoft's pickup and the
bookshop's actions. Pure Python: no nameko, no SQL."""
import re
from dataclasses import dataclass
from datetime import date

from services.common.errors import DomainError, conflict, invalid

QUOTE, ORDER = "quote", "order"
KIND_LABELS = {QUOTE: "Demande de devis", ORDER: "Commande"}
EVENT_KIND = {QUOTE: "quote", ORDER: "collectivity_order"}    # source_kind on the wire
PLACED_EVENT = {QUOTE: "quote_requested", ORDER: "collectivity_order_placed"}

PENDING, PICKED_UP = "pending", "picked_up"                    # quotes
PROCESSING, CLOSED, CANCELLED = "processing", "closed", "cancelled"   # orders (and PENDING)
QUOTE_LABELS = {PENDING: "Devis en attente de traitement",
                PICKED_UP: "Devis récupéré par le libraire"}
ORDER_LABELS = {PENDING: "En attente de traitement", PROCESSING: "En cours de traitement",
                CLOSED: "Clôturée", CANCELLED: "Annulée"}
ORDER_TABS = (PENDING, PROCESSING, CLOSED, CANCELLED)

PAYMENT_MODE = "En compte"
DELIVERY_MODES = {"livraison": "Livraison"}
DEFAULT_DELIVERY_MODE = "livraison"

MADE_AVAILABLE, SHIPPED, RESET = "made_available", "shipped", "reset"
ORDER_ACTIONS = (MADE_AVAILABLE, SHIPPED, CLOSED, CANCELLED, RESET)
ORDER_ACTION_LABELS = {MADE_AVAILABLE: "Mettre à disposition", SHIPPED: "Expédier",
                       CLOSED: "Clôturer", CANCELLED: "Annuler",
                       RESET: "Réinitialiser le statut"}
REASON_MAX = 1000
MESSAGE_MAX = 5000


def check_kind(kind) -> str:
    kind = {"collectivity_order": ORDER}.get(kind, kind)
    if kind not in KIND_LABELS:
        raise invalid("Type de document inconnu : « quote » (demande de devis) ou « order » "
                      "(commande).", {"kind": ["quote ou order."]})
    return kind


def status_label(kind, status) -> str:
    return (QUOTE_LABELS if kind == QUOTE else ORDER_LABELS)[status]


def quote_after_pickup(status: str) -> str:
    return PICKED_UP


def order_after_pickup(status: str) -> str:
    """Librisoft picking an order up moves it "En cours de traitement"; a closed or cancelled
    order stays so (the bookshop decided)."""
    return PROCESSING if status == PENDING else status


def check_archivable(archived: bool):
    if archived:
        raise conflict("Ce devis est déjà archivé.")


@dataclass(frozen=True)
class OrderState:
    status: str
    picked_up: bool = False
    made_available: bool = False
    shipped: bool = False


@dataclass(frozen=True)
class OrderChange:
    action: str
    from_status: str
    to_status: str
    made_available: bool
    shipped: bool
    reason: str = ""

    @property
    def mails_client(self) -> bool:
        """Every action but "Réinitialiser le statut" mails the client."""
        return self.action != RESET


def initial_status(picked_up: bool) -> str:
    """The status without any action of the bookshop: pending, or processing once picked up."""
    return PROCESSING if picked_up else PENDING


def order_action(o: OrderState, action: str, reason="") -> OrderChange:
    """The bookshop's actions on an order.

    - made_available / shipped ("Mettre à disposition", "Expédier"): mail the client and are
      recorded with their date; the status does not change; each once, on an open order
      (pending or processing);
    - closed ("Clôturer"): an open order becomes "Clôturée";
    - cancelled ("Annuler"): an open order becomes "Annulée"; the reason is required;
    - reset ("Réinitialiser le statut"): back to the initial status (pending, or processing if
      Librisoft picked it up), the made-available and shipped marks cleared; no mail."""
    if action not in ORDER_ACTIONS:
        raise invalid(f"Action inconnue : « {action} ».", {"action": ["Action inconnue."]})
    open_ = o.status in (PENDING, PROCESSING)
    label = ORDER_LABELS[o.status]
    if action in (MADE_AVAILABLE, SHIPPED):
        done = "mise à disposition" if action == MADE_AVAILABLE else "expédiée"
        if not open_:
            raise conflict(f"Une commande « {label} » ne peut plus être {done}.")
        if o.made_available if action == MADE_AVAILABLE else o.shipped:
            raise conflict(f"Cette commande est déjà {done}.")
        return OrderChange(action, o.status, o.status,
                           o.made_available or action == MADE_AVAILABLE,
                           o.shipped or action == SHIPPED)
    if action == CLOSED:
        if not open_:
            raise conflict(f"Une commande « {label} » ne peut pas être clôturée.")
        return OrderChange(action, o.status, CLOSED, o.made_available, o.shipped)
    if action == CANCELLED:
        reason = str(reason or "").strip()
        if not reason:
            raise invalid("Indiquez le motif de l'annulation.", {"reason": ["Obligatoire."]})
        if len(reason) > REASON_MAX:
            raise invalid("Le motif est trop long.",
                          {"reason": [f"{REASON_MAX} caractères au plus."]})
        if not open_:
            raise conflict(f"Une commande « {label} » ne peut pas être annulée.")
        return OrderChange(action, o.status, CANCELLED, o.made_available, o.shipped, reason)
    initial = initial_status(o.picked_up)
    if o.status == initial and not (o.made_available or o.shipped):
        raise conflict("Cette commande est déjà à son statut initial.")
    return OrderChange(RESET, o.status, initial, False, False)


def order_actions(o: OrderState) -> list:
    names = []
    for action in ORDER_ACTIONS:
        try:
            order_action(o, action, "motif" if action == CANCELLED else "")
        except DomainError:
            continue
        names.append(action)
    return names


def list_action(librisoft_status) -> str | None:
    """The one button of the orders list, by Librisoft's status (reference 001: "en fonction de
    l'état de la commande (Attente fournisseur(s) ou Préparation commande), un bouton Mettre à
    disposition ou un bouton Expédier"), read in that order."""
    status = (librisoft_status or "").strip().lower()
    if status.startswith("attente fournisseur"):
        return MADE_AVAILABLE
    if status.startswith("préparation") or status.startswith("preparation"):
        return SHIPPED
    return None


def check_message(message) -> str:
    message = str(message or "").strip()
    if not message:
        raise invalid("Le message est vide.", {"message": ["Obligatoire."]})
    if len(message) > MESSAGE_MAX:
        raise invalid("Le message est trop long.",
                      {"message": [f"{MESSAGE_MAX} caractères au plus."]})
    return message


@dataclass(frozen=True)
class OrderFilters:
    """"Filtrer les commandes" of the bookshop's orders page."""
    eans: tuple = ()
    client_delivered: str = ""
    client_invoiced: str = ""
    date_from: date | None = None
    date_to: date | None = None
    delivery_mode: str = ""
    number: str = ""              # the site's order number or Librisoft's
    page: int = 1
    per_page: int = 50

    def as_dict(self) -> dict:
        return {"eans": list(self.eans), "client_delivered": self.client_delivered,
                "client_invoiced": self.client_invoiced,
                "date_from": self.date_from.isoformat() if self.date_from else "",
                "date_to": self.date_to.isoformat() if self.date_to else "",
                "delivery_mode": self.delivery_mode, "number": self.number,
                "page": self.page, "per_page": self.per_page}


def _date(value, key, errors):
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        errors[key] = ["Date invalide (AAAA-MM-JJ)."]
        return None


def page_args(page, per_page) -> tuple[int, int]:
    """A page number (1..1,000,000) and a page size (1..200, 50 by default)."""
    return _int(page, 1, 1, 1_000_000), _int(per_page, 50, 1, 200)


def _int(value, default, low, high):
    try:
        return min(high, max(low, int(value)))
    except (TypeError, ValueError):
        return default


def check_filters(filters) -> OrderFilters:
    f = dict(filters or {})
    errors = {}
    eans = f.get("eans") or ()
    if isinstance(eans, str):
        eans = re.split(r"[\s,;]+", eans)
    eans = tuple(dict.fromkeys(str(e).strip() for e in eans if str(e).strip()))
    if len(eans) > 50 or any(len(e) > 20 for e in eans):
        errors["eans"] = ["Au plus 50 codes EAN de 20 caractères."]
    date_from = _date(f.get("date_from"), "date_from", errors)
    date_to = _date(f.get("date_to"), "date_to", errors)
    if date_from and date_to and date_from > date_to:
        errors["date_to"] = ["La date de fin précède la date de départ."]
    mode = str(f.get("delivery_mode") or "").strip()
    if mode and mode not in DELIVERY_MODES:
        errors["delivery_mode"] = ["Mode de livraison inconnu."]
    if errors:
        raise invalid("Vérifiez les filtres.", errors)
    return OrderFilters(
        eans, str(f.get("client_delivered") or "").strip()[:40],
        str(f.get("client_invoiced") or "").strip()[:40], date_from, date_to, mode,
        str(f.get("number") or "").strip()[:40], _int(f.get("page"), 1, 1, 1_000_000),
        _int(f.get("per_page"), 50, 1, 200))
