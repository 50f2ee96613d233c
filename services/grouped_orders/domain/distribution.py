"""Distribution day (issue 10 K5, reference 004 steps 5 and 6): once a grouped order is made
available (status « Clôturée »), the initiator or the bookshop ticks, buyer by buyer, « venu »,
« a tout retiré », « a payé » (a cheque or cash for a sub-order still awaiting its payment),
notes a refund or an extra payment, then « Valider la distribution »: it is distributed, once,
and whoever did not come is listed (and told their books wait at the pickup place).

The rules of a tick: "a tout retiré" implies "venu" (ticking it ticks "venu" too); un-ticking
"venu" un-ticks "a tout retiré". The same tick twice is one change (the second changes nothing
and is not an error: a phone on a flaky connection retries)."""
import re
from decimal import Decimal

from services.common.errors import conflict, invalid
from services.common.validation import fold

from .deadlines import paris_today
from .distribution_date import distribution_label
from .status import AWAITING_PAYMENT, CLOSED, PAID, SUB_CANCELLED

__all__ = ["refundable", "noted_totals", "CAME", "TICKS", "TICK_LABELS", "NOTE_KINDS", "NOTE_LABELS",
           "NOTE_MAX", "NOTE_AMOUNT_MAX",
           "DISTRIBUTION_ALREADY_DONE", "search_key", "matches", "check_can_distribute",
           "check_can_record_pickup_payment",
           "check_tick", "tick_values", "check_pickup_payment", "check_note", "absent_numbers",
           "distribution_recap", "validation_waits_for", "check_validation_day"]

CAME, COLLECTED_ALL = "came", "collected_all"
TICKS = (CAME, COLLECTED_ALL)
TICK_LABELS = {CAME: "venu", COLLECTED_ALL: "a tout retiré"}
REFUND, EXTRA = "refund", "extra"
NOTE_KINDS = (REFUND, EXTRA)
NOTE_LABELS = {REFUND: "Remboursement", EXTRA: "Paiement complémentaire"}
NOTE_MAX = 500
NOTE_AMOUNT_MAX = Decimal("10000.00")
_AMOUNT = re.compile(r"[0-9]{1,5}(\.[0-9]{1,2})?")  # euros, to the cent: « 12,50 », « 3 »
DISTRIBUTION_ALREADY_DONE = ("La distribution de cette commande groupée est déjà validée : "
                             "plus rien ne peut y être coché.")


search_key = fold  # a name as searched (« Éloïse » ~ « eloise »)


def matches(query, first_name, last_name, pupil="") -> bool:
    """Every word of the query is in the first or the last name (either order), or in the
    pupil's name and class the parent gave (the page's own filter looks there too)."""
    words = search_key(query).split()
    name = search_key(f"{first_name} {last_name} {pupil or ''}")
    return all(w in name for w in words)


def check_can_distribute(status: str, distributed: bool):
    """Distribution is ticked once the grouped order is made available, until it is
    validated."""
    if distributed:
        raise conflict(DISTRIBUTION_ALREADY_DONE)
    if status != CLOSED:
        raise conflict("La distribution commence une fois la commande groupée mise à "
                       "disposition par la librairie.")


def validation_waits_for(distribution_date, now):
    """The distribution day when it is still to come (Paris time), else None: « Valider la
    distribution » mails each buyer not ticked « venu » that they were not seen, so it waits
    for the day the books are handed over (no date set: no wait)."""
    if distribution_date is not None and paris_today(now) < distribution_date:
        return distribution_date
    return None


def check_validation_day(distribution_date, now):
    day = validation_waits_for(distribution_date, now)
    if day is not None:
        raise conflict(f"La distribution est prévue {distribution_label(day, '')} : vous "
                       "pourrez la valider ce jour-là, une fois les livres remis (chaque "
                       "acheteur non coché « Venu » reçoit alors un e-mail disant qu'il n'a pas "
                       "été vu). Si elle a eu lieu plus tôt, changez d'abord sa date.")


def check_can_record_pickup_payment(status: str):
    """« a payé » at pickup: from the making available on, also after « Valider la
    distribution » (an absent buyer comes to the pickup place afterwards, as their mail says,
    and pays then); the ticks and the notes close with the validation."""
    check_can_distribute(status, False)


def check_tick(field, sub_status: str):
    if field not in TICKS:
        raise invalid("Case inconnue : « venu » ou « a tout retiré ».",
                      {"field": ["venu ou a tout retiré."]})
    if sub_status == SUB_CANCELLED:
        raise conflict("Cette sous-commande est annulée : rien à distribuer.")


def tick_values(came: bool, collected_all: bool, field: str, value: bool) -> dict:
    """The marks after the tick (only what changes; empty: nothing to do)."""
    wanted = {CAME: came, COLLECTED_ALL: collected_all}
    wanted[field] = bool(value)
    if field == COLLECTED_ALL and value:
        wanted[CAME] = True
    if field == CAME and not value:
        wanted[COLLECTED_ALL] = False
    current = {CAME: came, COLLECTED_ALL: collected_all}
    return {k: v for k, v in wanted.items() if current[k] != v}


def check_pickup_payment(sub_status: str):
    """« a payé » at pickup: only a sub-order still awaiting its payment (a buyer who chose to
    pay at pickup, issue 10 K5)."""
    if sub_status == PAID:
        raise conflict("Cette sous-commande est déjà payée.")
    if sub_status != AWAITING_PAYMENT:
        raise conflict("Cette sous-commande est annulée : rien à payer.")


def refundable(sub_status, sub_total, noted, credited=Decimal("0")) -> Decimal:
    """What may still be handed back at pickup: what the buyer paid (the sub-order's total once
    paid) plus the extra payments noted, less the refunds noted and what credit notes gave back
    already (`credited`: not handed back a second time in cash). `noted`: (kind, amount)."""
    paid = Decimal(sub_total) - Decimal(credited) if sub_status == PAID else Decimal("0")
    for kind, amount in noted:
        paid += amount if kind == EXTRA else -amount
    return max(Decimal("0.00"), paid)


def noted_totals(noted) -> dict:
    """A sub-order's notes at pickup summed: what was handed back (`refunded`) and what was
    paid more (`extra`), each to the cent. `noted`: (kind, amount)."""
    totals = {k: sum((Decimal(a) for kind, a in noted if kind == k), Decimal("0.00"))
              for k in NOTE_KINDS}
    return {"refunded": totals[REFUND], "extra": totals[EXTRA]}


def check_note(kind, amount, comment, can_refund=None) -> tuple:
    """A refund or an extra payment noted at pickup: (kind, amount as Decimal, comment). A
    refund is at most `can_refund` (`refundable`: never more than the buyer paid)."""
    if kind not in NOTE_KINDS:
        raise invalid("Choisissez : remboursement ou paiement complémentaire.",
                      {"kind": ["Remboursement ou paiement complémentaire."]})
    # « 12,50 € », « 12.50 », « 12,5 »: as a person types it (the euro sign was refused)
    text = "".join(str(amount or "").split()).removesuffix("€").replace(",", ".")
    value = Decimal(text) if _AMOUNT.fullmatch(text) else None
    if value is None or value <= 0 or value > NOTE_AMOUNT_MAX:
        raise invalid("Le montant doit être un nombre positif en euros, au centime près "
                      "(ex. : 12,50).", {"amount": ["Ex. : 12,50 (10 000 € au plus)."]})
    if kind == REFUND and can_refund is not None and value > can_refund:
        shown = f"{can_refund:.2f}".replace(".", ",")
        raise invalid(f"Le remboursement ne peut pas dépasser ce qui reste à rendre à "
                      f"l'acheteur : {shown} € (ce qu'il a payé, moins les remboursements "
                      f"déjà notés).", {"amount": [f"{shown} € au plus."]})
    comment = (comment or "").strip()
    if not comment:
        raise invalid("Dites en un mot pourquoi (ex. : livre abîmé, monnaie rendue).",
                      {"comment": ["Obligatoire."]})
    if len(comment) > NOTE_MAX:
        raise invalid(f"Le commentaire fait au plus {NOTE_MAX} caractères.",
                      {"comment": [f"{NOTE_MAX} caractères au plus."]})
    return kind, value.quantize(Decimal("0.01")), comment


def absent_numbers(subs, came) -> list:
    """Who did not come: the sub-orders not cancelled whose « venu » is not ticked.
    `subs`: (number, status) pairs; `came`: the numbers ticked « venu »."""
    return [number for number, status in subs if status != SUB_CANCELLED and number not in came]


def distribution_recap(subs, marks, notes, owing=None) -> dict:
    """The figures of a distribution: buyers expected, came, collected everything, absent; the
    notes' refunds and extra payments. `subs`: (number, status); `marks`: number -> (came,
    collected_all); `notes`: (kind, amount); `owing`: number -> amount still due (the
    sub-orders to be paid at pickup and not paid yet). Who came without paying
    (`came_owing`) and who did not come (`absent_owing`), with the money not collected: they
    stay unpaid, never counted as paid."""
    owing = owing or {}
    expected = [n for n, s in subs if s != SUB_CANCELLED]
    came = [n for n in expected if marks.get(n, (False, False))[0]]
    collected = [n for n in expected if marks.get(n, (False, False))[1]]
    totals = {k: sum((a for kind, a in notes if kind == k), Decimal("0.00")) for k in NOTE_KINDS}
    came_owing = [n for n in came if n in owing]
    absent_owing = [n for n in expected if n in owing and n not in came]
    return {"expected": len(expected), "came": len(came), "collected_all": len(collected),
            "absent": len(expected) - len(came), "refunds": totals[REFUND],
            "extra_payments": totals[EXTRA],
            "came_owing": came_owing,
            "came_owing_total": sum((owing[n] for n in came_owing), Decimal("0.00")),
            "absent_owing": absent_owing,
            "absent_owing_total": sum((owing[n] for n in absent_owing), Decimal("0.00"))}
