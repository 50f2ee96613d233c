"""Which mail each event gives: pure rendering (to, subject, body) from the event payload.
The texts follow reference 000's mails (creation, buyer's confirmation, availability)."""
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from jinja2 import Environment, FileSystemLoader, StrictUndefined

ROLE_LABELS = {"admin": "Libraire (administrateur)", "utilisateur": "Utilisateur",
               "approbateur": "Approbateur", "collectivite": "Collectivité"}


def paris_time(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso), "d MMMM y 'à' HH:mm",
                           tzinfo="Europe/Paris", locale="fr_FR")


def stamp(iso: str) -> str:
    """The reference's "30/03/2022 (à 11:51:45)"."""
    return format_datetime(datetime.fromisoformat(iso), "dd/MM/y '(à' HH:mm:ss')'",
                           tzinfo="Europe/Paris", locale="fr_FR")


def day(iso: str) -> str:
    return format_date(date.fromisoformat(iso[:10]), "dd/MM/y", locale="fr_FR")


def eur(value) -> str:
    return format_currency(Decimal(str(value)), "EUR", locale="fr_FR")


_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
_env.filters.update(stamp=stamp, day=day, eur=eur, paris_time=paris_time)

# kind -> (subject, who receives it)
MAILS = {
    "account_created": ("Votre compte collectivité a été créé", lambda p: p["email"]),
    "password_reset_requested": ("Réinitialisation de votre mot de passe",
                                 lambda p: p["email"]),
    "grouped_order_created": ("Votre commande groupée n° {number} est créée",
                              lambda p: p["initiator_email"]),
    "grouped_order_deadline_passed": ("Commande groupée n° {number} : {closed_title}",
                                      lambda p: p["initiator_email"]),
    "grouped_order_validated": ("Commande groupée n° {number} validée par la librairie",
                                lambda p: p["initiator_email"]),
    "grouped_order_made_available": ("Votre commande n° {number} est prête",
                                     lambda p: p["initiator_email"]),
    "grouped_order_cancelled": ("Commande groupée n° {number} annulée",
                                lambda p: p["initiator_email"]),
    "sub_order_paid": ("Confirmation de votre commande n° {sub_order_number}",
                       lambda p: p["buyer"]["email"]),
    "sub_order_cancelled": ("Annulation de votre commande n° {sub_order_number}",
                            lambda p: p["buyer"]["email"]),
    "sub_order_refunded": ("Remboursement de {amount_label} — commande n° {sub_order_number}",
                           lambda p: p["buyer"]["email"]),
    "payment_failed": ("Votre paiement n'a pas abouti", lambda p: p["customer_email"]),
    "quote_requested": ("Demande de devis n° {number} enregistrée",
                        lambda p: [p["placed_by_email"], p["basket_creator_email"],
                                   _bookshop()]),
    "collectivity_order_placed": ("Commande collectivité n° {number} enregistrée",
                                  lambda p: [p["placed_by_email"], p["basket_creator_email"],
                                             _bookshop()]),
    "collectivity_order_status_changed": ("Votre commande n° {number} : {action_title}",
                                          lambda p: p["to_emails"]),
    "collectivity_message_sent": ("Message de la librairie au sujet de votre {kind_label} "
                                  "n° {number}", lambda p: p["to_emails"]),
}


# what happened to a collectivity order, as the mail's title (its status alone, "En cours de
# traitement", says nothing of a shipment or of books waiting at the shop)
ACTION_TITLES = {"made_available": "Mise à disposition à la librairie",
                 "shipped": "Expédiée", "closed": "Clôturée", "cancelled": "Annulée"}


def _bookshop():
    """The bookshop's own address, told of every new quote request and order."""
    from services.common import config
    return config.env("BOOKSHOP_EMAIL", "commandes@librairie.test")


def render(kind: str, payload: dict, public_url: str) -> tuple:
    """(to — an address or a list —, subject, body) for an event of type `kind`."""
    subject, recipient = MAILS[kind]
    from services.common import config
    context = dict(payload, public_url=public_url.rstrip("/"), bookshop=config.bookshop())
    if kind == "grouped_order_deadline_passed":
        context["closed_title"] = "souscriptions closes par la librairie" if payload.get(
            "closed_early") else "la date limite est passée"
    if kind == "collectivity_order_status_changed":
        context["action_title"] = ACTION_TITLES.get(payload["action"],
                                                    payload["status_label"])
    if kind == "account_created":
        context["role_label"] = ROLE_LABELS.get(payload["role"], payload["role"])
    if kind == "password_reset_requested":
        context["expires_at_label"] = paris_time(payload["expires_at"])
    if kind == "sub_order_refunded":
        context["amount_label"] = eur(payload["amount"])
    if kind == "collectivity_message_sent":
        context["kind_label"] = "demande de devis" if payload["kind"] == "quote" else "commande"
    body = _env.get_template(f"{kind}.txt").render(**context)
    return recipient(payload), subject.format(**context), body


def wanted(kind: str, payload: dict) -> bool:
    """Some events mail only in some cases (a failed payment: not when the buyer gave up)."""
    if kind == "payment_failed":
        return bool(payload.get("customer_email")) and payload["state"] != "cancelled"
    if kind == "collectivity_order_status_changed":
        return payload["action"] != "reset"  # a correction of the bookshop's, not news
    return True
