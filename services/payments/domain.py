"""Payment rules: the states of reference 003 (Oxatis' "Paiement" column) as a forward-only
state machine, the checks on a payment request and on a refund. Pure Python: no nameko, no SQL.

    pending --> processing --> succeeded --> refunded
       |            |--------> refused | cancelled | error
       '--> error   (the provider could not even open its page)

A success notified after a refusal, an abandon or an error (a bank that captured after all) is
the one way back: the money was taken although the buyer was told it was not, so it is recorded
(succeeded, without telling anyone it was paid) and refunded at once, in the same transaction
(`late_success`).
"""
import re
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from services.common.errors import DomainError, conflict, invalid
from services.common.validation import normalise_email

PENDING, PROCESSING, SUCCEEDED = "pending", "processing", "succeeded"
REFUSED, CANCELLED, ERROR, REFUNDED = "refused", "cancelled", "error", "refunded"

STATE_LABELS = {
    PENDING: "En attente du paiement",
    PROCESSING: "Paiement en cours de traitement",
    SUCCEEDED: "Paiement confirmé",
    REFUSED: "Paiement refusé",
    CANCELLED: "Annulé",
    ERROR: "Erreur technique",
    REFUNDED: "Remboursé",
}
STATES = tuple(STATE_LABELS)
FAILED_STATES = (REFUSED, CANCELLED, ERROR)

TRANSITIONS = {
    PENDING: frozenset({PROCESSING, ERROR}),
    PROCESSING: frozenset({SUCCEEDED, REFUSED, CANCELLED, ERROR}),
    SUCCEEDED: frozenset({REFUNDED}),
    REFUSED: frozenset(), CANCELLED: frozenset(), ERROR: frozenset(), REFUNDED: frozenset(),
}

LATE_SUCCESS_REASON = ("Paiement reçu après un refus ou un abandon : remboursé "
                       "automatiquement.")

FAILURE_REASONS = {
    REFUSED: "Paiement refusé par la banque de l'acheteur.",
    CANCELLED: "Paiement abandonné par l'acheteur.",
    ERROR: "Erreur technique chez le prestataire de paiement.",
}

REFERENCE_KINDS = ("sub_order",)
MIN_AMOUNT = Decimal("0.01")
MAX_AMOUNT = Decimal("10000.00")
CENT = Decimal("0.01")
MONEY_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def state_label(state: str) -> str:
    return STATE_LABELS[state]


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, ())


def move(current: str, target: str) -> str:
    """The new state, or DomainError conflict if the machine does not go from current to target."""
    if not can_move(current, target):
        raise conflict(f"Un paiement « {STATE_LABELS.get(current, current)} » ne peut pas passer "
                       f"à « {STATE_LABELS.get(target, target)} ».")
    return target


def late_success(current: str, target: str) -> bool:
    """A success notified once the payment had failed (refused, cancelled, error): the money is
    taken and must go back, automatically."""
    return target == SUCCEEDED and current in FAILED_STATES


# ---- money ----------------------------------------------------------------------------------
def parse_money(value, field="amount") -> Decimal:
    """A Decimal with 2 places from "14.90" (a string, an int or a Decimal; never a float)."""
    if isinstance(value, (float, bool)) or not isinstance(value, (str, int, Decimal)):
        raise invalid("Le montant doit être une chaîne décimale, par exemple « 14.90 ».",
                      {field: ["Montant attendu sous forme de texte, par exemple « 14.90 »."]})
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and (len(text) > 20 or not MONEY_RE.fullmatch(text)):
        raise invalid("Le montant n'est pas un nombre décimal valide.",
                      {field: ["Nombre décimal attendu, par exemple « 14.90 »."]})
    amount = Decimal(text)  # a string matched the pattern above
    if not amount.is_finite() or abs(amount) >= 10 ** 12:
        raise invalid("Le montant n'est pas un nombre décimal valide.",
                      {field: ["Nombre décimal attendu, par exemple « 14.90 »."]})
    if amount != amount.quantize(CENT):
        raise invalid("Le montant a au plus deux décimales.", {field: ["Deux décimales au plus."]})
    return amount.quantize(CENT)


def money_str(amount: Decimal) -> str:
    return str(Decimal(amount).quantize(CENT))


def check_payment_amount(amount: Decimal) -> Decimal:
    if amount < MIN_AMOUNT or amount > MAX_AMOUNT:
        raise invalid("Le montant doit être supérieur à 0 € et ne pas dépasser 10 000 €.",
                      {"amount": ["Entre 0,01 € et 10 000 €."]})
    return amount


# ---- starting a payment ---------------------------------------------------------------------
@dataclass(frozen=True)
class StartRequest:
    reference_kind: str
    reference_id: str
    amount: Decimal
    description: str
    customer_email: str
    return_url: str
    idempotency_key: str


def _text(data, name, label, max_len, problems):
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        problems[name] = [f"{label} : obligatoire."]
        return ""
    value = value.strip()
    if len(value) > max_len:
        problems[name] = [f"{label} : {max_len} caractères au plus."]
    return value


def start_request(data) -> StartRequest:
    """Check what the caller sent to start a payment; DomainError invalid lists every problem."""
    if not isinstance(data, dict):
        raise invalid("Demande de paiement illisible : un objet est attendu.")
    problems = {}
    kind = _text(data, "reference_kind", "Type de référence", 40, problems)
    if kind and kind not in REFERENCE_KINDS:
        problems["reference_kind"] = ["Type de référence inconnu (attendu : sub_order)."]
    reference_id = _text(data, "reference_id", "Référence", 64, problems)
    description = _text(data, "description", "Description", 200, problems)
    email = _text(data, "customer_email", "Adresse e-mail", 254, problems)
    if email:
        try:
            email = normalise_email(email)
        except ValueError as exc:
            problems["customer_email"] = [str(exc)]
    return_url = _text(data, "return_url", "Adresse de retour", 2000, problems)
    if return_url and not is_http_url(return_url):
        problems["return_url"] = ["Adresse http(s) absolue attendue."]
    key = _text(data, "idempotency_key", "Clé d'idempotence", 100, problems)
    amount, amount_error = None, None
    try:
        amount = check_payment_amount(parse_money(data.get("amount")))
    except DomainError as exc:
        amount_error = exc
        problems.update(exc.details)
    if amount_error is not None and len(problems) == 1:
        raise amount_error  # its own, more precise message
    if problems:
        raise invalid("La demande de paiement est incomplète ou invalide.", problems)
    return StartRequest(kind, reference_id, amount, description, email, return_url, key)


def same_request(stored: StartRequest, again: StartRequest):
    """The same idempotency key must name the same payment."""
    if (stored.reference_kind, stored.reference_id, stored.amount) != \
            (again.reference_kind, again.reference_id, again.amount):
        raise conflict("Cette clé d'idempotence a déjà servi pour un autre paiement.",
                       {"idempotency_key": ["Déjà utilisée pour une autre référence ou un "
                                            "autre montant."]})


def check_not_already_paid(states_of_reference) -> None:
    if SUCCEEDED in set(states_of_reference):
        raise conflict("Cette commande est déjà payée : aucun nouveau paiement n'est possible.")


def is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url


def with_payment_param(return_url: str, payment_id: str) -> str:
    """`return_url` with `payment=<payment_id>` added to its query string."""
    parts = urlsplit(return_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "payment"]
    query.append(("payment", payment_id))
    return urlunsplit(parts._replace(query=urlencode(query)))


# ---- refunds --------------------------------------------------------------------------------
def refund_needed(state: str, paid: Decimal, amount: Decimal) -> bool:
    """False when the payment is already refunded (nothing to do); True when a refund of
    `amount` may go ahead; DomainError otherwise."""
    if state == REFUNDED:
        return False
    if state != SUCCEEDED:
        raise invalid(f"Seul un paiement confirmé peut être remboursé (état actuel : "
                      f"« {STATE_LABELS.get(state, state)} »).")
    if amount <= 0:
        raise invalid("Le montant à rembourser doit être supérieur à 0 €.",
                      {"amount": ["Supérieur à 0 €."]})
    if amount > paid:
        raise invalid(f"Le remboursement ({money_str(amount)} €) ne peut pas dépasser le montant "
                      f"payé ({money_str(paid)} €).", {"amount": ["Supérieur au montant payé."]})
    return True
