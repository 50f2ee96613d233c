"""Starting a payment: what the caller (grouped_orders) must send, the idempotency key naming one
payment, one succeeded payment per reference, the buyer's way back."""
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from services.common.errors import DomainError, conflict, invalid
from services.common.validation import normalise_email

from .amounts import check_payment_amount, parse_money
from .states import SUCCEEDED

REFERENCE_KINDS = ("sub_order",)


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


def check_reference_payable(attempts) -> None:
    """`attempts`: (state, refunded_late) of each earlier payment of the reference. A new
    payment is refused once one succeeded; money taken late and given back at once (a success
    after a failure) does not count."""
    check_not_already_paid(state for state, refunded_late in attempts if not refunded_late)


def is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url


def with_payment_param(return_url: str, payment_id: str) -> str:
    """`return_url` with `payment=<payment_id>` added to its query string."""
    parts = urlsplit(return_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "payment"]
    query.append(("payment", payment_id))
    return urlunsplit(parts._replace(query=urlencode(query)))
