"""Which mail each event gives, to whom, in which case, with which subject (reference 000's
mails: creation, buyer's confirmation, availability; issue 9's collectivity documents). The
body is the template `templates/<kind>.txt`; `wording` gives the words a mail chooses."""
from datetime import date

from services.common.progress import SILENT
from services.common.roles import role_label

BOOKSHOP_DEFAULT_EMAIL = "commandes@librairie.test"

BUYER = "buyer"        # the buyer of a sub-order
DOCUMENT = "document"  # who placed a quote request or order, who made the basket, the bookshop
BOOKSHOP = "bookshop"  # the bookshop's own address

# kind -> (subject, formatted with the payload and `wording`; who receives it: the payload's
# field holding the address or addresses, or BUYER, or DOCUMENT)
MAILS = {
    "account_created": ("Votre compte collectivité a été créé", "email"),
    "password_reset_requested": ("Réinitialisation de votre mot de passe", "email"),
    "grouped_order_created": ("Votre commande groupée n° {number} est créée",
                              "initiator_email"),
    "grouped_order_deadline_passed": ("Commande groupée n° {number} : {closed_title}",
                                      "initiator_email"),
    "grouped_order_validated": ("Commande groupée n° {number} validée par la librairie",
                                "initiator_email"),
    "grouped_order_made_available": ("Votre commande groupée n° {number} est prête",
                                     "initiator_email"),
    "grouped_order_cancelled": ("Commande groupée n° {number} annulée", "initiator_email"),
    # its initiator reopened it after its close: the bookshop is told (it may have closed it)
    "grouped_order_reopened": ("Commande groupée n° {number} rouverte par l'initiateur "
                               "jusqu'au {deadline_label}", BOOKSHOP),
    # issue 10: the minimum of copies was not reached at the deadline (one event per mail)
    "grouped_order_failed": ("Commande groupée n° {number} annulée : minimum d'exemplaires "
                             "non atteint", "to_email"),
    # distribution day (issue 10 K5): the recap to the initiator; to each absent buyer, where
    # their books wait
    "grouped_order_distributed": ("Commande groupée n° {number} : distribution validée",
                                  "initiator_email"),
    "grouped_order_distributed_absent": ("Vos livres vous attendent — commande "
                                         "n° {sub_order_number}", BUYER),
    "sub_order_paid": ("Confirmation de votre commande n° {sub_order_number}", BUYER),
    # issue 9: a buyer paying by cheque or cash at the bookshop is told how (no online payment)
    "sub_order_placed": ("Commande n° {sub_order_number} : {method_title}", BUYER),
    "sub_order_cancelled": ("Annulation de votre commande n° {sub_order_number}", BUYER),
    "sub_order_refunded": ("Remboursement de {amount_label} — commande n° {sub_order_number}",
                           BUYER),
    # issue 10 (K3): a title of the buyer's list came short
    "sub_order_adjusted": ("Votre commande n° {sub_order_number} est modifiée : "
                           "{adjusted_title}", BUYER),
    "payment_failed": ("Votre paiement n'a pas abouti", "customer_email"),
    "quote_requested": ("Demande de devis n° {number} enregistrée", DOCUMENT),
    "collectivity_order_placed": ("Commande collectivité n° {number} enregistrée", DOCUMENT),
    "collectivity_order_status_changed": ("Votre commande n° {number} : {action_title}",
                                          "to_emails"),
    "collectivity_message_sent": ("Message de la librairie au sujet de votre {kind_label} "
                                  "n° {number}", "to_emails"),
    # reference 001's approval chain: a basket now waits for its new holders
    "basket_moved": ("{moved_title} : panier « {basket_name} » ({client_name})", "to_emails"),
    # reminders before the deadline (issue 10, K1)
    "grouped_order_deadline_approached": ("Commande groupée n° {number} : la date limite "
                                          "approche ({days_label})", "initiator_email"),
    # issue 10 K5: a buyer's books are ready (where, when, what to bring), or the new date
    "sub_order_made_available": ("{ready_title} — commande n° {sub_order_number}", BUYER),
    # issue 10 K5: the day before distribution day
    "sub_order_distribution_reminded": ("Rappel : distribution de vos livres demain — "
                                        "commande n° {sub_order_number}", BUYER),
    # the bookshop corrected a mistyped address: the buyer told at the new one
    "sub_order_email_corrected": ("Votre commande n° {sub_order_number} : adresse e-mail "
                                  "corrigée", BUYER),
    "sub_order_payment_reminded": ("Rappel : votre commande n° {sub_order_number} attend son "
                                   "paiement", BUYER),
    # the desk's progress (reference 002 §2): the status first, « notamment grâce à l'entête »
    "order_progressed": ("{label} — votre {order_label} n° {number}", "customer_email"),
    # an invoice or a credit note issued (reference 003 step 2): to the order's customer
    "invoice_issued": ("{document_title}", "customer_email"),
}
KINDS = tuple(MAILS)

# what happened to a collectivity order, as the mail's title (its status alone, "En cours de
# traitement", says nothing of a shipment or of books waiting at the shop)
METHOD_TITLES = {"cheque": "votre chèque à apporter à la librairie",
                 "cash": "votre paiement en espèces à la librairie",
                 "pickup": "à payer au retrait des livres"}

ACTION_TITLES = {"made_available": "Mise à disposition à la librairie",
                 "shipped": "Expédiée", "closed": "Clôturée", "cancelled": "Annulée"}

# an order on the desk, as its customer names it (services.common.contracts.payloads.ORDER_KINDS)
ORDER_LABELS = {"sub_order": "commande", "grouped_order": "commande groupée",
                "collectivity_order": "commande", "quote": "demande de devis"}


def recipients(kind: str, payload: dict, bookshop_email: str):
    """The address (or list of addresses) an event of type `kind` is mailed to. The bookshop's
    own address is told of every new quote request and order."""
    to = MAILS[kind][1]
    if to == BUYER:
        return payload["buyer"]["email"]
    if to == DOCUMENT:
        return [payload["placed_by_email"], payload["basket_creator_email"], bookshop_email]
    if to == BOOKSHOP:
        return bookshop_email
    if kind == "order_progressed" and payload.get("cc_emails"):
        # a collectivity's order: its client's contact, who placed it, who made its basket
        return [a for a in [payload.get("customer_email"), *payload["cc_emails"]]
                if (a or "").strip()]
    return payload[to]


def copied_to_bookshop(kind: str) -> bool:
    """Whether the bookshop gets its own copy of the mail (a quote request, an order)."""
    return MAILS[kind][1] == DOCUMENT


def admin_path(kind: str, payload: dict) -> str:
    """The admin's page of the quote request or order a mail is about."""
    quote = kind == "quote_requested"
    return f"/admin/{'devis' if quote else 'commandes'}-collectivite/{payload['number']}"


def subject(kind: str) -> str:
    """The subject's pattern (formatted with the payload and `wording`)."""
    return MAILS[kind][0]


def wanted(kind: str, payload: dict) -> bool:
    """Some events mail only in some cases (a failed payment: not when the buyer gave up)."""
    if kind == "invoice_issued":  # the customer's copy; none without an address
        return bool(payload.get("customer_email"))
    if kind == "payment_failed":
        return bool(payload.get("customer_email")) and payload["state"] != "cancelled"
    if kind == "collectivity_order_status_changed":
        return payload["action"] != "reset"  # a correction of the bookshop's, not news
    if kind == "order_progressed":
        # every state but Annulée and Erreur (reference 002 §2), once: not when the owner's
        # own event mailed the customer already; nobody to mail, no mail
        return (payload["to_status"] not in SILENT and payload.get("mail", True)
                and any((a or "").strip() for a in
                        [payload.get("customer_email"), *(payload.get("cc_emails") or ())]))
    if kind == "sub_order_cancelled" and payload.get("credit_note_number"):
        return False  # the credit note's mail and its refund's told the buyer already
    if kind in ("grouped_order_cancelled", "sub_order_cancelled"):
        return not payload.get("minimum_failed")  # grouped_order_failed mails them instead
    if kind == "sub_order_placed":  # online: the provider's page, then sub_order_paid
        return payload.get("payment_method") in METHOD_TITLES
    return True


def days_label(days_left: int) -> str:
    """The subscription days left, today included, in words."""
    if days_left <= 1:
        return "dernier jour aujourd'hui"
    return f"il reste {days_left} jours, aujourd'hui compris"


def wording(kind: str, payload: dict) -> dict:
    """The words a mail chooses from its event (titles, labels), for its subject and body."""
    if kind == "grouped_order_reopened":
        day = date.fromisoformat(payload["deadline"])
        return {"deadline_label": day.strftime("%d/%m/%Y")}
    if kind == "grouped_order_deadline_passed":
        return {"closed_title": "souscriptions closes par la librairie"
                if payload.get("closed_early") else "la date limite est passée"}
    if kind == "collectivity_order_status_changed":
        if payload["action"] == "made_available" and \
                payload.get("delivery_mode") == "livraison":
            return {"action_title": "Prête à être livrée", "delivered": True}
        return {"action_title": ACTION_TITLES.get(payload["action"], payload["status_label"]),
                "delivered": False}
    if kind == "sub_order_placed":
        return {"method_title": METHOD_TITLES.get(payload.get("payment_method"), "")}
    if kind in ("grouped_order_deadline_approached", "sub_order_payment_reminded"):
        return {"days_label": days_label(payload["days_left"]),
                "reminds_buyers": bool(payload.get("reminds_buyers", True))}
    if kind == "sub_order_adjusted":  # issue 10: cut by the bookshop, or under its minimum
        return {"adjusted_title": "minimum non atteint pour un titre"
                if payload.get("cause") == "minimum_not_reached" else "titre indisponible"}
    if kind == "sub_order_made_available":
        return {"ready_title": "Nouvelle date de distribution de vos livres"
                if payload.get("rescheduled") else "Vos livres sont prêts"}
    if kind == "account_created":
        return {"role_label": role_label(payload["role"])}
    if kind == "basket_moved":
        return {"moved_title": "Panier à valider" if payload["action"] == "submitted"
                else "Panier retourné"}
    if kind == "collectivity_message_sent":
        return {"kind_label": "demande de devis" if payload["kind"] == "quote" else "commande"}
    if kind == "order_progressed":
        return {"order_label": ORDER_LABELS[payload["order"]["kind"]],
                "number": payload["order"]["number"]}
    if kind == "invoice_issued":
        order = ORDER_LABELS.get(payload["order"]["kind"], "commande")
        if payload["kind"] == "credit_note":
            title = (f"Avoir n° {payload['number']} sur votre facture n° "
                     f"{payload.get('invoice_number') or ''}").strip()
        else:
            title = f"Votre facture n° {payload['number']}"
        return {"document_title": f"{title} — {order} n° {payload['order']['number']}",
                "order_label": order}
    return {}
