"""Grouped orders (reference 000, "Gestion des commandes groupées"). Pure Python.

A collectivity account initiates a grouped order for one article at its public price, with a
deadline (the last day of subscriptions) and a pickup place. Buyers subscribe from a public link
and pay online; after the deadline the bookshop validates it (every sub-order paid or cancelled)
and it becomes a classic order for Librisoft; once the books are in, it is made available."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from services.common.errors import conflict, invalid
from services.common.validation import normalise_email, whole_number

PARIS = ZoneInfo("Europe/Paris")
CENT = Decimal("0.01")
MAX_QUANTITY = 30
MAX_DEADLINE_DAYS = 365
NAME_MAX = 100

# grouped order statuses
OPEN = "open"
AWAITING_VALIDATION = "awaiting_validation"
PROCESSING = "processing"
CLOSED = "closed"
CANCELLED = "cancelled"
STATUS_LABELS = {OPEN: "Commande ouverte", AWAITING_VALIDATION: "En attente de validation",
                 PROCESSING: "En attente de traitement", CLOSED: "Clôturée",
                 CANCELLED: "Annulée"}
# the bookshop's tabs (reference 000, "Consultation")
TABS = {"validation": (OPEN, AWAITING_VALIDATION), "traitement": (PROCESSING,),
        "cloturees": (CLOSED,), "annulees": (CANCELLED,)}

# sub-order statuses
AWAITING_PAYMENT = "awaiting_payment"
PAID = "paid"
SUB_CANCELLED = "cancelled"
SUB_LABELS = {AWAITING_PAYMENT: "En attente de paiement", PAID: "Payée",
              SUB_CANCELLED: "Annulée"}
REFUND_LABELS = {None: "", "requested": "Remboursement demandé", "refunded": "Remboursée"}

# why money that was not owed went back by itself (shown to the bookshop, told to the buyer)
AFTER_CANCELLATION = "paiement reçu après annulation"
AFTER_FAILURE = "paiement reçu après un refus"
PAID_TWICE = "paiement reçu alors que la commande était déjà payée"
WRONG_AMOUNT = "montant reçu différent du montant dû"
AUTO_REFUND_LABELS = {"requested": "Remboursement automatique demandé",
                      "refunded": "Remboursé automatiquement"}

DEADLINE_WARNING = "LA DATE LIMITE APPROCHE !"


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def closes_at(deadline: date) -> datetime:
    """Subscriptions are open until the end of the deadline day, Paris time."""
    return datetime.combine(deadline + timedelta(days=1), time(0, 0),
                            tzinfo=PARIS).astimezone(timezone.utc)


def paris_today(now: datetime) -> date:
    return now.astimezone(PARIS).date()


def days_left(deadline: date, now: datetime) -> int:
    """The days of subscription left, today included (0 once closed): on the eve of the
    deadline, 2 — and validation comes 2 days later too, the day after the deadline."""
    if now >= closes_at(deadline):
        return 0
    return max(0, (deadline - paris_today(now)).days + 1)


def deadline_approaching(status: str, deadline: date, now: datetime) -> bool:
    """The warning of "Mes commandes groupées": open, and in the last 2 days."""
    return status == OPEN and now < closes_at(deadline) and days_left(deadline, now) <= 2


def check_deadline(deadline, now: datetime) -> date:
    if deadline in (None, ""):
        raise invalid("Choisissez la date limite : le dernier jour où les acheteurs peuvent "
                      "commander.", {"deadline": ["La date limite est obligatoire."]})
    if isinstance(deadline, str):
        try:
            deadline = date.fromisoformat(deadline)
        except ValueError:
            raise invalid("La date limite n'est pas une date valide.",
                          {"deadline": ["Date invalide (JJ/MM/AAAA)."]})
    if deadline is None:
        raise invalid("La date limite est obligatoire.", {"deadline": ["Obligatoire."]})
    today = paris_today(now)
    if deadline < today:
        raise invalid("La date limite ne peut pas être dans le passé.",
                      {"deadline": ["Choisissez aujourd'hui ou une date à venir."]})
    if deadline > today + timedelta(days=MAX_DEADLINE_DAYS):
        raise invalid("La date limite doit être dans moins d'un an.",
                      {"deadline": ["Au plus un an."]})
    return deadline


def check_buyer(first_name, last_name, email, quantity, accepted_terms):
    errors = {}
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    for key, value, label in (("first_name", first_name, "Le prénom"),
                              ("last_name", last_name, "Le nom")):
        if not value:
            errors[key] = [f"{label} est obligatoire."]
        elif len(value) > NAME_MAX:
            errors[key] = [f"{label} est trop long ({NAME_MAX} caractères au plus)."]
    try:
        email = normalise_email(email)
    except ValueError as exc:
        errors["email"] = [str(exc)]
    quantity = whole_number(quantity)  # 2.5 or "2.5" is refused, never truncated
    if quantity is None or not 1 <= quantity <= MAX_QUANTITY:
        errors["quantity"] = [f"Quantité : un nombre entier entre 1 et {MAX_QUANTITY}."]
    if not accepted_terms:
        errors["accepted_terms"] = ["Acceptez les conditions générales de vente."]
    if errors:
        raise invalid("Vérifiez les informations saisies.", errors)
    return first_name, last_name, email, quantity


@dataclass
class Sub:
    """What the rules need to know of a sub-order."""
    number: int
    quantity: int
    unit_price: Decimal
    status: str

    @property
    def total(self) -> Decimal:
        return money(self.unit_price * self.quantity)


@dataclass
class Summary:
    """"Récapitulatif de l'ensemble des sous-commandes"."""
    articles: dict = field(default_factory=lambda: {SUB_CANCELLED: 0, AWAITING_PAYMENT: 0,
                                                     PAID: 0})
    sub_orders: dict = field(default_factory=lambda: {SUB_CANCELLED: 0, AWAITING_PAYMENT: 0,
                                                       PAID: 0})
    totals: dict = field(default_factory=lambda: {AWAITING_PAYMENT: Decimal("0.00"),
                                                   PAID: Decimal("0.00")})


def summarize(subs) -> Summary:
    s = Summary()
    for sub in subs:
        s.articles[sub.status] += sub.quantity
        s.sub_orders[sub.status] += 1
        if sub.status in s.totals:
            s.totals[sub.status] += sub.total
    return s


def can_subscribe(status: str, deadline: date, now: datetime) -> bool:
    return status == OPEN and now < closes_at(deadline)


def check_subscription_open(status, deadline, now):
    if not can_subscribe(status, deadline, now):
        raise conflict("Les souscriptions à cette commande groupée sont closes : aucun "
                       "paiement ne peut plus être commencé.")


def validation_blockers(status: str, deadline: date, now: datetime, subs) -> list:
    """Why the bookshop cannot validate yet (empty: it can)."""
    if status in (PROCESSING, CLOSED):
        return ["Cette commande groupée a déjà été validée et envoyée vers LIBRISOFT."]
    if status == CANCELLED:
        return ["Cette commande groupée est annulée."]
    reasons = []
    # once the bookshop has closed the subscriptions (status no longer open), no more waiting
    if status == OPEN and now < closes_at(deadline):
        days = days_left(deadline, now)  # the same count as « Il reste … jours »
        reasons.append("Vous pourrez valider cette commande groupée demain, une fois les "
                       "souscriptions closes." if days <= 1 else
                       f"Vous pourrez valider cette commande groupée dans {days} jours.")
    pending = [s.number for s in subs if s.status == AWAITING_PAYMENT]
    if pending:
        reasons.append("Des paiements sont en attente de traitement (sous-commande"
                       f"{'s' if len(pending) > 1 else ''} n° "
                       f"{', '.join(map(str, pending))}) : validez-les ou annulez-les.")
    if not any(s.status == PAID for s in subs):
        reasons.append("Aucune sous-commande n'est payée.")
    return reasons


def check_can_validate(status, deadline, now, subs):
    reasons = validation_blockers(status, deadline, now, subs)
    if reasons:
        raise conflict(" ".join(reasons), {"validation": reasons})


# wanted status -> the statuses it may be reached from (the guarded UPDATE's condition)
TRANSITIONS = {
    AWAITING_VALIDATION: (OPEN,),
    PROCESSING: (AWAITING_VALIDATION, OPEN),
    CLOSED: (PROCESSING,),
    CANCELLED: (OPEN, AWAITING_VALIDATION, PROCESSING),
}
ALREADY_DONE = ("Cette action a déjà été faite sur cette commande groupée, ou son statut a "
                "changé entre-temps : rechargez la page.")
SUB_ALREADY_DONE = ("Cette sous-commande vient d'être modifiée par une autre action : rechargez "
                    "la page pour voir son état actuel.")


def sources(wanted: str) -> tuple:
    """The statuses from which a grouped order may move to `wanted`."""
    return TRANSITIONS.get(wanted, ())


def check_transition(current: str, wanted: str):
    if current == wanted:  # the same request twice: the first one did it
        raise conflict(f"Cette commande groupée est déjà « {STATUS_LABELS[current]} » : "
                       "l'action a déjà été faite.")
    if current not in sources(wanted):
        raise conflict(f"Impossible de passer de « {STATUS_LABELS[current]} » à "
                       f"« {STATUS_LABELS[wanted]} ».")


def previous_status(current: str) -> str:
    """"Réinitialiser le statut": one step back."""
    if current == CLOSED:
        return PROCESSING
    raise conflict("Seule une commande groupée clôturée peut revenir au statut précédent.")


def check_can_close_now(status: str):
    """« Clore les souscriptions maintenant »: only an open grouped order."""
    if status != OPEN:
        raise conflict("Les souscriptions de cette commande groupée sont déjà closes."
                       if status in (AWAITING_VALIDATION, PROCESSING, CLOSED) else
                       "Cette commande groupée est annulée.")


def check_sub_order_action(sub_status: str, group_status: str, action: str):
    """The bookshop validates (a cheque handed over) or cancels a sub-order by hand."""
    if group_status in (PROCESSING, CLOSED, CANCELLED):
        raise conflict("La commande groupée n'accepte plus de modification de ses "
                       "sous-commandes.")
    if action == "validate" and sub_status != AWAITING_PAYMENT:
        raise conflict("Seule une sous-commande en attente de paiement peut être validée.")
    if action == "cancel" and sub_status == SUB_CANCELLED:
        raise conflict("Cette sous-commande est déjà annulée.")


def unowed_payment_reason(sub_status: str, group_status: str, late: bool = False,
                          right_amount: bool = True) -> str:
    """Why a payment the sub-order does not count is refunded automatically: the sub-order or
    its grouped order was cancelled, the bank captured after a refusal (`late`), the sub-order
    was already paid, or the amount was not the one owed."""
    if sub_status == SUB_CANCELLED or group_status == CANCELLED:
        return AFTER_CANCELLATION
    if late:
        return AFTER_FAILURE
    if sub_status == PAID:
        return PAID_TWICE
    return AFTER_FAILURE if right_amount else WRONG_AMOUNT


def payment_outcome(sub_status: str, group_status: str) -> str:
    """What a confirmed payment does: "paid", "refund" (the sub-order or its grouped order was
    cancelled meanwhile, or it was already paid by another attempt) or "ignore"."""
    if sub_status == AWAITING_PAYMENT and group_status not in (CANCELLED,):
        return "paid"
    return "refund"
