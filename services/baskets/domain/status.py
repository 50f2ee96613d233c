"""Quote requests and collectivity orders (reference 001, "Gérer les devis collectivité",
"Gérer les commandes collectivité"): statuses and their French labels, Librisoft's pickup and the
bookshop's actions. Pure Python: no nameko, no SQL."""
from dataclasses import dataclass

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
SHIPPED_LABEL, MADE_AVAILABLE_LABEL = "Expédiée", "À disposition à la librairie"
# a delivered order made available is ready for its delivery (the logistician's), not waiting
# at the bookshop (it said « À disposition à la librairie » and mailed so)
READY_TO_DELIVER_LABEL = "Prête à être livrée"

PAYMENT_MODE = "En compte"
DELIVERY_MODES = {"livraison": "Livraison", "retrait": "Retrait à la librairie"}
DEFAULT_DELIVERY_MODE = "livraison"
PICKUP_MODE = "retrait"  # the collectivity fetches its books at the bookshop: no address

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


def status_label(kind, status, made_available=False, shipped=False, delivered=False) -> str:
    """The status as the client and the bookshop read it: an order still open that was
    shipped or made available says so (it read « En attente de traitement » after « Expédier »,
    while the mail said it was on its way)."""
    if kind != QUOTE and status in (PENDING, PROCESSING):
        if shipped:
            return SHIPPED_LABEL
        if made_available:
            return READY_TO_DELIVER_LABEL if delivered else MADE_AVAILABLE_LABEL
    return (QUOTE_LABELS if kind == QUOTE else ORDER_LABELS)[status]


def quote_after_pickup(status: str) -> str:
    return PICKED_UP


def order_after_pickup(status: str) -> str:
    """Librisoft picking an order up moves it "En cours de traitement"; a closed or cancelled
    order stays so (the bookshop decided)."""
    return PROCESSING if status == PENDING else status


def after_pickup(kind: str, status: str) -> str:
    """The status of a quote ("récupéré") or an order once Librisoft picked it up."""
    return (quote_after_pickup if kind == QUOTE else order_after_pickup)(status)


def librisoft_status_applies(at, last_at) -> bool:
    """Librisoft's number and status posted `at` replace those of `last_at` unless a status
    posted later than this one was applied already (the events may come out of order)."""
    return last_at is None or at >= last_at


LIBRISOFT_CANCEL_TOLD, LIBRISOFT_CANCEL_DONE = "librisoft_cancel_told", "librisoft_cancel_done"


def librisoft_cancellation_steps(told: bool, acknowledged: bool, recorded) -> list:
    """The bridge cancelled the classic order of a cancelled order (Librisoft is told: it lists
    it among the cancellations to apply), then Librisoft acknowledged it: each once in the
    history (`recorded`: the actions already there), so the bookshop sees that Librisoft
    knows."""
    return [action for action, done in ((LIBRISOFT_CANCEL_TOLD, told),
                                        (LIBRISOFT_CANCEL_DONE, acknowledged))
            if done and action not in recorded]


def check_archivable(archived: bool):
    if archived:
        raise conflict("Ce devis est déjà archivé.")


@dataclass(frozen=True)
class OrderState:
    status: str
    picked_up: bool = False
    made_available: bool = False
    shipped: bool = False
    at_bookshop: bool = False  # « Retrait à la librairie »: made available, never shipped


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

    def values(self, now) -> dict:
        """What the change writes on the order: its status, the date of the action (made
        available, shipped, closed, cancelled with its reason); a reset clears them all."""
        values = {"status": self.to_status}
        if self.action == MADE_AVAILABLE:
            values["made_available_at"] = now
        elif self.action == SHIPPED:
            values["shipped_at"] = now
        elif self.action == CLOSED:
            values["closed_at"] = now
        elif self.action == CANCELLED:
            values.update(cancelled_at=now, cancel_reason=self.reason)
        else:  # reset
            values.update(made_available_at=None, shipped_at=None, closed_at=None,
                          cancelled_at=None, cancel_reason="")
        return values

    @property
    def unset(self) -> tuple:
        """The dates that must still be unset for the change to apply (each mark once)."""
        return {MADE_AVAILABLE: ("made_available_at",),
                SHIPPED: ("shipped_at",)}.get(self.action, ())


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
    - reset ("Réinitialiser le statut"): an order back to its initial status (pending, or
      processing if Librisoft picked it up), the made-available and shipped marks cleared; no
      mail (a closed order too: a « Clôturer » by mistake). A cancelled order is final:
      Librisoft cancelled it and the client was told."""
    if action not in ORDER_ACTIONS:
        raise invalid(f"Action inconnue : « {action} ».", {"action": ["Action inconnue."]})
    open_ = o.status in (PENDING, PROCESSING)
    label = ORDER_LABELS[o.status]
    if action == MADE_AVAILABLE and o.shipped:  # the client was told it is on its way
        raise conflict("Cette commande est déjà expédiée : elle n'est plus à mettre à "
                       "disposition à la librairie.")
    if action == SHIPPED and o.at_bookshop:
        raise conflict("Cette commande est à retirer à la librairie : mettez-la à disposition, "
                       "elle n'est pas expédiée.")
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
        reason = _required_text(reason, "reason", REASON_MAX,
                                "Indiquez le motif de l'annulation.", "Le motif est trop long.")
        if not open_:
            raise conflict(f"Une commande « {label} » ne peut pas être annulée.")
        return OrderChange(action, o.status, CANCELLED, o.made_available, o.shipped, reason)
    if o.status == CANCELLED:  # Librisoft cancelled it, the client was told: final
        raise conflict("Une commande annulée ne peut pas être réinitialisée : l'annulation est "
                       "définitive (Librisoft et le client en ont été informés).")
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


ARCHIVE, MESSAGE = "archive", "message"
QUOTE_ACTION_LABELS = {ARCHIVE: "Archiver", MESSAGE: "Envoyer un message"}


def quote_actions(archived: bool) -> list:
    """The bookshop may message the client about a quote, and archive it once."""
    return [MESSAGE] + ([] if archived else [ARCHIVE])


def bookshop_order_actions(o: OrderState) -> list:
    """The bookshop's actions on an order now, and its message to the client (always)."""
    return order_actions(o) + [MESSAGE]


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


def quote_list_action(archived: bool) -> str | None:
    """The one button of the quotes list: "Archiver", until it is."""
    return None if archived else ARCHIVE


def order_list_action(o: OrderState, librisoft_status) -> str | None:
    """The one button of the orders list: Librisoft's status suggests it (`list_action`), the
    order's state must allow it."""
    suggested = list_action(librisoft_status)
    return suggested if suggested in order_actions(o) else None


def check_message(message) -> str:
    return _required_text(message, "message", MESSAGE_MAX, "Le message est vide.",
                          "Le message est trop long.")


def _required_text(value, field_name, limit, empty, too_long) -> str:
    """A text the bookshop must write (a message, the reason of a cancellation), trimmed."""
    value = str(value or "").strip()
    if not value:
        raise invalid(empty, {field_name: ["Obligatoire."]})
    if len(value) > limit:
        raise invalid(too_long, {field_name: [f"{limit} caractères au plus."]})
    return value


BLOCKED_MESSAGE = ("Le compte client « {name} » est bloqué à la librairie : aucune commande ne "
                   "peut être passée pour lui. Vous pouvez demander un devis ; pour débloquer "
                   "le compte, contactez la librairie.")


def check_client_may_order(client: dict, kind: str) -> None:
    """« Client bloqué » in Librisoft (unpaid invoices, a closed account): its baskets may
    still become quote requests, never orders."""
    if kind == ORDER and client.get("blocked"):
        raise conflict(BLOCKED_MESSAGE.format(name=client.get("name") or client.get("number")),
                       {"kind": ["Client bloqué : demande de devis seulement."]})


def check_delivery_mode(mode) -> str:
    """« livraison » (the default: to one of the client's addresses) or « retrait » (at the
    bookshop)."""
    mode = str(mode or DEFAULT_DELIVERY_MODE).strip()
    if mode not in DELIVERY_MODES:
        raise invalid("Choisissez : livraison à une adresse du client, ou retrait à la "
                      "librairie.", {"delivery_mode": ["livraison ou retrait."]})
    return mode


def check_delivery_address(addresses, index) -> dict:
    """"Vérification des coordonnées du client" (reference 001, annexe §3): the chosen address
    among the client's (`index`, the first by default) must be complete."""
    addresses = addresses or []
    try:
        position = int(index or 0)
        address = addresses[position] if position >= 0 else None  # -1: not the last one
    except (IndexError, TypeError, ValueError):
        address = None
    if address is None and addresses:  # not one of the client's: say so, not « incomplete »
        raise invalid("Choisissez l'une des adresses de livraison du client.",
                      {"delivery_address": ["Adresse de livraison inconnue."]})
    if not address or not (address.get("line1") or address.get("label")) or \
            not address.get("postal_code") or not address.get("city"):
        raise invalid("Les coordonnées de livraison du client sont incomplètes : demandez à la "
                      "librairie de les compléter dans LIBRISOFT.",
                      {"delivery_address": ["Adresse de livraison incomplète."]})
    return address
