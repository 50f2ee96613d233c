"""The mentions a French invoice must carry (Code de commerce L441-9 and R123-237, CGI art. 242
nonies A), decided from the order: who the buyer is, whether it was paid already, when it is due.

- Payment: an order paid online (or by cheque) before it is invoiced is "acquittée"; otherwise
  it is due `payment_days` after the date of issue (30 days by default: the legal ceiling for
  public buyers, Code de la commande publique R2192-10, and the usual term between companies).
- Late payment: penalties at three times the legal interest rate (L441-10) are always printed;
  the fixed indemnity of 40 € for recovery costs (D441-5) only for a professional buyer (a
  collectivity client: a consumer, a parent's sub-order, owes none).
- No discount for early payment ("Pas d'escompte pour paiement anticipé").
- "TVA acquittée sur les débits" is NOT printed: a bookshop sells goods, whose VAT is due on
  delivery (CGI art. 269); the option on debits concerns services only.
- A credit note (avoir) asks the customer for nothing: it names the invoice it corrects (its
  number and date) and what becomes of its amount (`credit_note_settlement`): refunded when the
  invoice was paid, deducted from what the invoice asks when it was not. None of the mentions
  about a late payment, the recovery indemnity or an early payment's discount applies to it."""
from datetime import timedelta
from decimal import Decimal

from services.common.money import money

from .numbering import paris

ZERO = Decimal("0.00")
PAID_STATES = ("Paiement confirmé",)
LATE_PENALTIES = ("En cas de retard de paiement, des pénalités sont exigibles au taux de trois "
                  "fois le taux d'intérêt légal (art. L441-10 du Code de commerce).")
RECOVERY_INDEMNITY = ("Tout professionnel en retard de paiement doit en outre une indemnité "
                      "forfaitaire de 40 € pour frais de recouvrement (art. D441-5 du Code de "
                      "commerce).")
NO_DISCOUNT = "Pas d'escompte pour paiement anticipé."
PUBLIC_BUYER = ("Facture électronique Factur-X (EN 16931) déposable sur Chorus Pro.")
PUBLIC_BUYER_CREDIT = ("Avoir électronique Factur-X (EN 16931) déposable sur Chorus Pro, "
                       "rattaché à la facture qu'il corrige.")


def professional(customer: dict) -> bool:
    """A collectivity client (it has a client number or a SIRET) buys as a professional."""
    return bool(customer.get("client_number") or customer.get("siret")
                or customer.get("public_buyer"))


def paid_already(payment: dict) -> bool:
    return bool(payment) and payment.get("state_label") in PAID_STATES


def payment_terms(issued_at, payment: dict, payment_days: int) -> dict:
    """{paid, due_on}: paid already, due on the day of issue; else `payment_days` later."""
    issued_on = paris(issued_at).date()
    if paid_already(payment):
        return {"paid": True, "due_on": issued_on}
    return {"paid": False, "due_on": issued_on + timedelta(days=payment_days)}


def settlement(total_ttc, paid: bool, refunded_at_pickup=ZERO, extra_at_pickup=ZERO) -> dict:
    """What an invoice says was paid: the order's total once paid (`paid`), less what was handed
    back at pickup, plus what was paid more there = the net paid; the total TTC less the net
    paid = the balance (a refund at pickup: to be settled by a credit note). To the cent."""
    refunded, extra = money(refunded_at_pickup or ZERO), money(extra_at_pickup or ZERO)
    gross = money(total_ttc) if paid else ZERO
    net = gross - refunded + extra
    return {"paid": gross, "refunded_at_pickup": refunded, "extra_at_pickup": extra,
            "net_paid": net, "balance": money(total_ttc) - net}


def credit_note_settlement(credit_ttc, invoice_paid: bool, invoice_balance=ZERO,
                           earlier_credited=ZERO) -> dict:
    """What a credit note's amount becomes, to the cent.

    - Its invoice was paid (`invoice_paid`): the bookshop owes it back, `refund`. A refund already
      handed over at pickup on distribution day (the invoice's positive `balance`, « à
      régulariser par un avoir ») is regularised first, by the credit notes in their order
      (`earlier_credited`: the TTC of the invoice's credit notes before this one):
      `already_refunded` is the part of this one already handed back, `to_refund` the rest.
    - It was not (a collectivity order invoiced before its payment): `deduct`, the amount comes
      off what the invoice asks (`to_deduct`)."""
    credit = money(credit_ttc)
    if not invoice_paid:
        return {"mode": "deduct", "credited": credit, "already_refunded": ZERO,
                "to_refund": ZERO, "to_deduct": credit}
    handed_back = max(ZERO, money(invoice_balance or ZERO) - money(earlier_credited or ZERO))
    already = min(credit, handed_back)
    return {"mode": "refund", "credited": credit, "already_refunded": already,
            "to_refund": credit - already, "to_deduct": ZERO}


def to_regularise(balance, credited) -> Decimal:
    """What of an invoice's balance handed back at pickup (« à régulariser par un avoir ») no
    credit note covers yet (`credited`: its credit notes' TTC); zero when none is owed."""
    return max(ZERO, money(balance or ZERO) - money(credited or ZERO))


def legal_notes(customer: dict, kind: str = "invoice") -> list:
    """The mentions printed under the payment terms: an invoice's (late payment, the recovery
    indemnity for a professional, no discount, Factur-X), a credit note's (Factur-X only)."""
    if kind == "credit_note":
        return [PUBLIC_BUYER_CREDIT] if customer.get("public_buyer") else []
    notes = [LATE_PENALTIES]
    if professional(customer):
        notes.append(RECOVERY_INDEMNITY)
    notes.append(NO_DISCOUNT)
    if customer.get("public_buyer"):
        notes.append(PUBLIC_BUYER)
    return notes
