"""A buyer's side (reference 000, "Souscription"): the subscription form, and whether a
sub-order may be paid."""
from datetime import date, datetime

from services.common.errors import invalid
from services.common.validation import normalise_email, whole_number

from .closing import can_subscribe, check_subscription_open
from .status import AWAITING_PAYMENT

__all__ = ["MAX_QUANTITY", "NAME_MAX", "check_buyer", "can_pay", "check_can_pay"]

MAX_QUANTITY = 30
NAME_MAX = 100


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


def can_pay(sub_status: str, group_status: str, deadline: date, now: datetime) -> bool:
    """The buyer's page offers to pay: the sub-order awaits payment and subscriptions are open."""
    return sub_status == AWAITING_PAYMENT and can_subscribe(group_status, deadline, now)


def check_can_pay(sub_status: str, group_status: str, deadline: date, now: datetime):
    """No payment can start once subscriptions are closed, nor for a sub-order that does not
    await one."""
    check_subscription_open(group_status, deadline, now)
    if sub_status != AWAITING_PAYMENT:
        raise invalid("Cette sous-commande n'attend pas de paiement.")
