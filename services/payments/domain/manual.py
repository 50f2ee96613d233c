"""Manual payments (reference 003 step 1, issue 9): a cheque or cash handed to the bookshop, which
records it from the grouped order's admin page. payments owns them as it owns online payments:
one payment per reference however often it is recorded (the reference's manual key is unique),
the state "succeeded" entered at once (the money is in the bookshop's hands), no provider, no
provider fee, never in a payout (the bookshop cashes the cheque itself).

The cheque number: a French cheque carries a 7-digit number (the first group of its CMC7 line,
printed top right as « N° de chèque »). It is REQUIRED for a cheque and must be exactly 7 digits
(0-9; spaces around it are ignored, spaces inside it too, e.g. « 123 4567 »); anything else —
letters, punctuation, 6 or 8 digits, non-ASCII digits, 0000000 — is refused with a French
message. Cash carries no cheque number."""
import re
from dataclasses import dataclass
from decimal import Decimal

from services.common.errors import invalid

from .amounts import check_payment_amount, parse_money
from .requests import REFERENCE_KINDS

ONLINE, CHEQUE, CASH = "online", "cheque", "cash"
METHODS = (ONLINE, CHEQUE, CASH)
MANUAL_METHODS = (CHEQUE, CASH)
METHOD_LABELS = {ONLINE: "Paiement en ligne", CHEQUE: "Chèque", CASH: "Espèces"}
MANUAL_PROVIDER = "manual"   # a manual payment's `provider`: none, the bookshop itself

CHEQUE_NUMBER_DIGITS = 7
_CHEQUE_RE = re.compile(r"[0-9]{7}")
CHEQUE_NUMBER_HELP = "7 chiffres, inscrits en haut à droite du chèque (ex. : 1234567)."


def check_cheque_number(method: str, number) -> str:
    """The cheque number as kept ("" for cash): 7 ASCII digits, required for a cheque."""
    text = number if isinstance(number, str) else ("" if number is None else None)
    if text is None:
        raise invalid("Le numéro de chèque doit être du texte.",
                      {"cheque_number": [CHEQUE_NUMBER_HELP]})
    text = "".join(text.split())  # spaces around and inside (« 123 4567 ») are ignored
    if method == CASH:
        if text:
            raise invalid("Un paiement en espèces n'a pas de numéro de chèque.",
                          {"cheque_number": ["Laissez ce champ vide pour des espèces."]})
        return ""
    if not text:
        raise invalid("Le numéro du chèque est obligatoire.",
                      {"cheque_number": [f"Obligatoire : {CHEQUE_NUMBER_HELP}"]})
    if text == "0" * CHEQUE_NUMBER_DIGITS:  # 7 digits: not « exactement 7 chiffres »
        raise invalid("Numéro de chèque invalide : « 0000000 » n'est le numéro d'aucun chèque. "
                      "Recopiez celui inscrit en haut à droite du chèque.",
                      {"cheque_number": [CHEQUE_NUMBER_HELP]})
    if not _CHEQUE_RE.fullmatch(text):
        raise invalid(f"Numéro de chèque invalide : « {text[:20]} ». Un numéro de chèque "
                      f"français a exactement {CHEQUE_NUMBER_DIGITS} chiffres.",
                      {"cheque_number": [CHEQUE_NUMBER_HELP]})
    return text


@dataclass(frozen=True)
class ManualPayment:
    """What the bookshop recorded, checked: the payment to create (state succeeded)."""
    reference_kind: str
    reference_id: str
    amount: Decimal
    method: str
    cheque_number: str
    by: str

    @property
    def key(self) -> str:
        """The payment's idempotency key: one manual payment per reference, ever (two clicks,
        two instances: the unique key lets one in)."""
        return manual_key(self.reference_kind, self.reference_id)

    @property
    def description(self) -> str:
        if self.method == CHEQUE:
            return f"Chèque n° {self.cheque_number} reçu à la librairie"
        return "Espèces reçues à la librairie"


def manual_key(reference_kind: str, reference_id: str) -> str:
    return f"manual:{reference_kind}:{reference_id}"[:100]


def manual_payment(reference_kind, reference_id, amount, method, cheque_number,
                   by) -> ManualPayment:
    """Check what the bookshop recorded; DomainError invalid (French) on the first problem."""
    if reference_kind not in REFERENCE_KINDS:
        raise invalid("Type de référence inconnu (attendu : sub_order).",
                      {"reference_kind": ["sub_order"]})
    if not isinstance(reference_id, str) or not reference_id.strip() or len(reference_id) > 64:
        raise invalid("Référence obligatoire (64 caractères au plus).",
                      {"reference_id": ["Obligatoire."]})
    if method not in MANUAL_METHODS:
        raise invalid("Moyen de paiement inconnu : choisissez chèque ou espèces.",
                      {"method": ["Chèque ou espèces."]})
    number = check_cheque_number(method, cheque_number)
    amount = check_payment_amount(parse_money(amount))
    if not isinstance(by, str) or not by.strip():
        raise invalid("Qui enregistre le paiement est obligatoire.", {"by": ["Obligatoire."]})
    return ManualPayment(reference_kind, reference_id.strip(), amount, method, number,
                         by.strip()[:254])


def paid_out(method: str) -> bool:
    """Only online payments are paid out by the provider (with its fee); a cheque or cash is
    already the bookshop's."""
    return method == ONLINE
