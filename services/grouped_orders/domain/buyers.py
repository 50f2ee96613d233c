"""A buyer's side (reference 000, "Souscription"): the subscription form, and whether a
sub-order may be paid."""
from datetime import date, datetime, timedelta

from services.common.errors import DomainError, conflict, invalid, throttled
from services.common.validation import normalise_email, whole_number

from .closing import can_subscribe, check_subscription_open
from .status import AWAITING_PAYMENT, SUB_CANCELLED
from .titles import MAX_QUANTITY, check_lines

__all__ = ["MAX_QUANTITY", "NAME_MAX", "check_buyer", "check_pupil", "check_corrected_email",
           "check_subscription",
           "quantities_asked",
           "can_pay", "check_can_pay", "BUYER_CANCEL_REASON", "check_buyer_can_cancel",
           "SUBSCRIPTIONS_PER_EMAIL", "SUBSCRIPTION_WINDOW", "check_subscription_rate"]

BUYER_CANCEL_REASON = "Annulée par le parent depuis sa page de commande"

NAME_MAX = 100
# orders one e-mail address may place on one grouped order within the window: a family's
# children and a retry fit; a script mailing « votre commande » to someone else's inbox (each
# order mails its address) or filling the bookshop's desk from the public link does not
SUBSCRIPTIONS_PER_EMAIL = 5
SUBSCRIPTION_WINDOW = timedelta(minutes=10)


def check_subscription_rate(recent_with_this_email: int):
    """A French 429 once the address placed SUBSCRIPTIONS_PER_EMAIL orders on this grouped
    order within SUBSCRIPTION_WINDOW (a double click is not counted twice: its key answers)."""
    if recent_with_this_email >= SUBSCRIPTIONS_PER_EMAIL:
        raise throttled(f"Cette adresse e-mail a déjà passé {SUBSCRIPTIONS_PER_EMAIL} commandes "
                        "sur cette commande groupée en quelques minutes. Réessayez dans "
                        "10 minutes, ou contactez la librairie.")


def _check_person(first_name, last_name, email, accepted_terms, errors):
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
    if not accepted_terms:
        errors["accepted_terms"] = ["Acceptez les conditions générales de vente."]
    return first_name, last_name, email


def check_corrected_email(current: str, email, sub_status: str = "",
                          refund_state=None) -> str:
    """The bookshop corrects a buyer's mistyped e-mail: a valid address (normalised as the
    form's), not the one the order has; not on a cancelled order with nothing more to tell its
    buyer (a refund still on its way is: its mail goes to the corrected address)."""
    if sub_status == SUB_CANCELLED and refund_state != "requested":
        raise conflict("Cette commande est annulée : il n'y a plus rien à envoyer à l'acheteur.")
    try:
        email = normalise_email(email)
    except ValueError as exc:
        raise invalid(str(exc), {"email": [str(exc)]}) from None
    if email == (current or "").lower():
        raise conflict("C'est déjà l'adresse e-mail de cette commande.")
    return email


def check_pupil(pupil) -> str:
    """The pupil (and class) the books are for: optional, as typed (spaces folded), at most
    NAME_MAX characters."""
    pupil = " ".join(str(pupil or "").split())
    if len(pupil) > NAME_MAX:
        raise invalid("Vérifiez les informations saisies.", {
            "pupil": [f"Le nom de l'élève est trop long ({NAME_MAX} caractères au plus)."]})
    return pupil


def check_buyer(first_name, last_name, email, quantity, accepted_terms):
    """The form of a single title: who, how many copies, the terms accepted."""
    errors = {}
    first_name, last_name, email = _check_person(first_name, last_name, email, accepted_terms,
                                                 errors)
    quantity = whole_number(quantity)  # 2.5 or "2.5" is refused, never truncated
    if quantity is None or not 1 <= quantity <= MAX_QUANTITY:
        errors["quantity"] = [f"Quantité : un nombre entier entre 1 et {MAX_QUANTITY}."]
    if errors:
        raise invalid("Vérifiez les informations saisies.", errors)
    return first_name, last_name, email, quantity


def quantities_asked(titles, lines, quantity) -> tuple[dict, bool]:
    """What a buyer asked for: `lines` ([{"ean", "quantity"}] or {ean: quantity}) or, for a
    grouped order of one title, `quantity` alone (as before reading lists). Answers ({ean:
    quantity}, whether it was the single `quantity`)."""
    if lines is None:
        if len(titles) > 1:
            raise invalid("Indiquez la quantité de chaque titre.",
                          {"quantity": ["Une quantité par titre (0 pour un titre facultatif)."]})
        return {titles[0].ean: quantity}, True
    if isinstance(lines, dict):
        return {str(k): v for k, v in lines.items()}, False
    asked = {}
    for line in lines:
        ean = str((line or {}).get("ean", "")) if isinstance(line, dict) else ""
        if not ean or ean in asked:
            raise invalid("Une quantité par titre, chaque titre une fois.",
                          {"quantity": ["Titre absent ou en double."]})
        asked[ean] = line.get("quantity")
    return asked, False


def check_subscription(first_name, last_name, email, titles, quantities: dict, accepted_terms,
                       single=False):
    """A subscription to a reading list: who, the quantity of each title (domain.check_lines),
    the terms accepted; every mistake said at once. `single`: the buyer gave one `quantity`
    for a grouped order of one title (its mistake is then said under "quantity")."""
    errors = {}
    first_name, last_name, email = _check_person(first_name, last_name, email, accepted_terms,
                                                 errors)
    lines = []
    try:
        lines = check_lines(titles, quantities)
    except DomainError as exc:
        found = dict(exc.details or {})
        if single:
            found = {"quantity": sum(found.values(), [])}
        errors.update(found)
    if errors:
        raise invalid("Vérifiez les informations saisies.", errors)
    return first_name, last_name, email, lines


def can_pay(sub_status: str, group_status: str, deadline: date, now: datetime) -> bool:
    """The buyer's page offers to pay: the sub-order awaits payment and subscriptions are open
    (a sub-order exists only once they opened)."""
    return sub_status == AWAITING_PAYMENT and can_subscribe(group_status, deadline, now)


def check_can_pay(sub_status: str, group_status: str, deadline: date, now: datetime):
    """No payment can start once subscriptions are closed, nor for a sub-order that does not
    await one."""
    check_subscription_open(group_status, deadline, now)
    if sub_status != AWAITING_PAYMENT:
        raise invalid("Cette sous-commande n'attend pas de paiement.")


def check_buyer_can_cancel(sub_status: str, group_status: str, deadline: date, now: datetime):
    """A parent cancels their own order (a wrong quantity, an order sent twice) while it awaits
    payment and subscriptions are open (`can_pay`: the page offers both together). Nothing was
    paid, so nothing is refunded; a payment that succeeds afterwards at the provider is
    refunded as not owed (payment_events). Paid: the bookshop cancels and refunds."""
    if sub_status == SUB_CANCELLED:
        raise conflict("Cette commande est déjà annulée.")
    if sub_status != AWAITING_PAYMENT:
        raise conflict("Une commande payée ne s'annule plus depuis cette page : contactez la "
                       "librairie, qui l'annulera et vous remboursera.")
    if not can_pay(sub_status, group_status, deadline, now):
        raise conflict("Les souscriptions sont closes : la commande ne peut plus être annulée "
                       "depuis cette page. Contactez la librairie ou l'enseignant.")
