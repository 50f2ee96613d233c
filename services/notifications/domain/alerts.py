"""New-order alerts (reference 002 §1, issue 9): for each new order the bookshop receives a mail
and, when a mobile number is set in its profile (`BOOKSHOP_MOBILE`), an SMS. Which events are a
new order, what the alert says (what, by whom, the amount TTC, the admin page), and the SMS
text: at most 160 characters of the GSM 03.38 alphabet (no emoji), in French."""
import unicodedata
from decimal import Decimal

from services.common.money import money

from .mails import admin_path

# the events that are "a new order" for the bookshop
ALERT_KINDS = ("sub_order_paid", "grouped_order_validated", "collectivity_order_placed",
               "quote_requested")
ALERT_MAIL_KIND = "new_order_alert"
SMS_MAX = 160
# GSM 03.38 basic alphabet (one septet each): what every phone shows without switching to UCS-2
GSM_CHARS = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
_REPLACE = {"’": "'", "‘": "'", "«": '"', "»": '"', "“": '"', "”": '"', "—": "-", "–": "-",
            "…": "...", "\u00a0": " ", "\u202f": " ", "€": "EUR", "œ": "oe", "Œ": "OE"}


def is_alert(kind: str) -> bool:
    return kind in ALERT_KINDS


def amount_label(value) -> str:
    """`29,80 EUR` (GSM-friendly: no € sign, no narrow space)."""
    return f"{money(Decimal(str(value)))} EUR".replace(".", ",")


def titled_lines(payload: dict, ref: dict) -> list:
    """(title, quantity) of each title of a grouped-order event (its `lines`, issue 10), or of
    its one article (an event from before reading lists)."""
    if payload.get("lines"):
        return [(line["title"], line["quantity"]) for line in payload["lines"]]
    return [(ref["article"]["title"], payload["quantity"])]


def order_alert(kind: str, payload: dict) -> dict:
    """What the bookshop is told of a new order: its title, the customer, the lines ordered
    (title, quantity), the amount TTC and the path of its admin page."""
    if kind == "sub_order_paid":
        ref, buyer = payload["grouped_order"], payload["buyer"]
        return {"title": f"Sous-commande n° {payload['sub_order_number']} payée "
                         f"(commande groupée n° {ref['number']})",
                "short": f"Sous-cde {payload['sub_order_number']} (groupée {ref['number']})",
                "customer": f"{buyer['first_name']} {buyer['last_name']}".strip(),
                "customer_email": buyer["email"],
                "lines": titled_lines(payload, ref),
                "total_ttc": Decimal(str(payload["total_ttc"])),
                # its page on the order desk (it links to its grouped order)
                "admin_path": f"/admin/commandes/sub_order/{payload['sub_order_number']}"}
    if kind == "grouped_order_validated":
        return {"title": f"Commande groupée n° {payload['number']} validée",
                "short": f"Cde groupée {payload['number']} validée",
                "customer": payload["client_name"],
                "customer_email": payload["initiator_email"],
                "lines": titled_lines(payload, payload),
                "total_ttc": Decimal(str(payload["total_ttc"])),
                "admin_path": f"/admin/commandes-groupees/{payload['number']}"}
    if kind in ("collectivity_order_placed", "quote_requested"):
        quote = kind == "quote_requested"
        return {"title": f"{'Demande de devis' if quote else 'Commande collectivité'} "
                         f"n° {payload['number']}",
                "short": f"{'Devis' if quote else 'Cde collectivite'} {payload['number']}",
                "customer": payload["client_name"],
                "customer_email": payload["placed_by_email"],
                "lines": [(line["title"], line["quantity"]) for line in payload["lines"]],
                "total_ttc": Decimal(str(payload["totals"]["total_ttc"])),
                "admin_path": admin_path(kind, payload),
                # a quote request is no order: its own words, its own mail filter
                **({"head": "Nouvelle demande de devis"} if quote else {})}
    raise ValueError(f"not a new order: {kind}")


def alert_heading(alert: dict) -> str:
    """The start of the bookshop's mail subject: « Nouvelle commande : Commande collectivité
    n° 3 », or « Nouvelle demande de devis : n° 1 » (not « Nouvelle commande : Demande de
    devis n° 1 »: a quote request is no order)."""
    head, title = alert.get("head", "Nouvelle commande"), alert["title"]
    if head != "Nouvelle commande" and title.startswith("Demande de devis "):
        title = title[len("Demande de devis "):]
    return f"{head} : {title}"


def message_key(kind: str, event_id):
    """What a mail's Message-ID is derived from: its event, and for the bookshop's alert a
    suffix, so that the alert and the event's own mail to the same address (a quote request
    also mails `BOOKSHOP_EMAIL`) never share a Message-ID."""
    if event_id and kind == ALERT_MAIL_KIND:
        return f"{event_id}.alerte"
    return event_id


def gsm(text: str) -> str:
    """`text` in the GSM 03.38 basic alphabet: typographic signs replaced, other accents
    dropped (ê -> e, ç -> c), anything else (emoji) removed."""
    out = []
    for char in text:
        char = _REPLACE.get(char, char)
        for c in char:
            if c in GSM_CHARS:
                out.append(c)
                continue
            base = unicodedata.normalize("NFKD", c).encode("ascii", "ignore").decode()
            out.append("".join(b for b in base if b in GSM_CHARS))
    return "".join(out)


def sms_text(alert: dict, shop_name: str) -> str:
    """`Nouvelle commande : Sous-cde 147 (groupée 62), Jared Leto, 29,80 EUR TTC. <shop>` (a
    quote request: `Nouvelle demande de devis 12, …`),
    cut to SMS_MAX characters (the customer's name shortened first)."""
    head = (f"{alert['head']} {alert['short'].split()[-1]}, " if alert.get("head")
            else f"Nouvelle commande : {alert['short']}, ")
    tail = f", {amount_label(alert['total_ttc'])} TTC. {shop_name}"
    room = SMS_MAX - len(gsm(head + tail))
    customer = gsm(alert["customer"])
    if len(customer) > room:
        customer = customer[:max(0, room - 3)].rstrip() + "..."
    return gsm(head + customer + tail)[:SMS_MAX]


def mobile_number(raw: str) -> str:
    """The bookshop's mobile in international form (`06 12 34 56 78` -> `+33612345678`); ''
    when unset. Separators (spaces, dots, dashes) are dropped; a French national number gets
    +33; anything else is kept as written (the provider judges it)."""
    number = "".join(c for c in (raw or "") if c.isdigit() or c == "+")
    if number.startswith("00"):
        number = "+" + number[2:]
    if len(number) == 10 and number.startswith("0"):
        number = "+33" + number[1:]
    return number
