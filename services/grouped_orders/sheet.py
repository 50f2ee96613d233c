"""The list of sub-orders as a PDF, laid out as the sign-in sheet for the distribution
(a column to sign), drawn with reportlab (services.common.sheets: a school's 1,000 buyers in
about half a second, where WeasyPrint's table layout took many seconds). The service still
renders in a child process (`python -m services.grouped_orders.sheet` reads the view as JSON on
stdin, writes the PDF on stdout) so that its event loop keeps serving other requests. A
presenter-side adapter: it draws what presenters.grouped_order_view returns."""
import json
import sys
from functools import lru_cache
from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date, format_datetime

from services.common.money import eur as _eur
from services.common.sheets import Column, Sheet, render_sheet

from .domain.distribution import search_key
from .domain.suppliers import supplier_of

CHILD_MODULE = "services.grouped_orders.sheet"  # this module, run as `python -m`


@lru_cache(maxsize=4096)
def eur(value) -> str:
    """services.common.money.eur, once per amount: a school's sheet repeats the same few
    totals, and babel's formatting was a third of the drawing's time."""
    return _eur(value)

COLUMNS = [Column("N°", 5), Column("Nom", 12), Column("Prénom", 10), Column("Email", 19),
           Column("Date d'achat", 15), Column("Quantité", 7, "right"), Column("Statut", 11),
           Column("Total TTC", 8, "right"), Column("Signature", 16)]
# a reading list (issue 10): each buyer's titles instead of the e-mail and the date
LIST_COLUMNS = [Column("N°", 5), Column("Nom", 12), Column("Prénom", 10), Column("Titres", 34),
                Column("Quantité", 7, "right"), Column("Statut", 11),
                Column("Total TTC", 8, "right"), Column("Signature", 16)]


# issue 10 K5: a grouped order whose buyers may pay at pickup gets a column of the amount due
PICKUP_COLUMN = Column("À payer au retrait", 9, "right")


def with_pickup_column(columns) -> list:
    """The columns with « À payer au retrait » before the signature."""
    return columns[:-1] + [PICKUP_COLUMN, columns[-1]]


def pickup_due(s: dict) -> str:
    """The amount a buyer paying at pickup hands over (empty once paid, or for the others)."""
    return eur(s["total"]) if s.get("at_pickup") else ""


def has_pickup(view: dict) -> bool:
    return "pickup" in (view.get("payment_methods") or []) or bool(
        ((view.get("summary") or {}).get("at_pickup") or {}).get("sub_orders"))


def _when(iso):
    return format_datetime(datetime.fromisoformat(iso), "dd/MM/y (à HH:mm:ss)",
                           tzinfo="Europe/Paris", locale="fr_FR")


def _plural(n, word):
    return f"{n} {word}{'s' if n > 1 else ''}"


def status_text(s: dict) -> str:
    """The status cell: how a sub-order paid by hand was paid (« Payée — chèque n° 1234567 »),
    and how one awaiting its payment will pay when not online (« … — chèque à recevoir »)."""
    method = s.get("payment_method") or "online"
    if method == "online":
        return s["status_label"]
    if s.get("at_pickup"):
        return f"{s['status_label']} — à payer au retrait"
    if s["status"] == "paid":
        return f"{s['status_label']} — {s['paid_by']}"
    if s["status"] == "awaiting_payment":
        return f"{s['status_label']} — {'chèque' if method == 'cheque' else 'espèces'} à " \
               "recevoir"
    return s["status_label"]


def named(s: dict) -> str:
    """The name cell: the buyer's last name, and the pupil the books are for when the parent
    gave it (the teacher checks who comes for which child)."""
    return s["last_name"] + (f"\nÉlève : {s['pupil']}" if s.get("pupil") else "")


def by_name(subs) -> list:
    """The buyers as the distribution page lists them: by last name, then first name (accents
    and case ignored), so that a parent's line is found at a glance on distribution day."""
    return sorted(subs, key=lambda s: (search_key(s["last_name"]), search_key(s["first_name"]),
                                       s["number"]))


def sheet(view: dict) -> Sheet:
    """The sign-in sheet of a grouped order's view (as `get`/`get_for_initiator` return it)."""
    subs = by_name(view["sub_orders"])
    created = format_datetime(datetime.fromisoformat(view["created_at"]), "dd/MM/y",
                              tzinfo="Europe/Paris", locale="fr_FR")
    deadline = format_date(date.fromisoformat(view["deadline"]), "dd/MM/y", locale="fr_FR")
    article = view["article"]
    summary = view["summary"]
    titles = view.get("titles") or []
    several = len(titles) > 1
    if several:
        rows = [[str(s["number"]), named(s), s["first_name"],
                 "\n".join(f"{x['quantity']} × {x['title']}" for x in s["lines"]
                           if x["quantity"]),
                 str(s["quantity"]), status_text(s), eur(s["total"]), ""] for s in subs]
    else:
        rows = [[str(s["number"]), named(s), s["first_name"], s["email"],
                 _when(s["created_at"]), str(s["quantity"]), status_text(s), eur(s["total"]),
                 ""] for s in subs]
    ean = f"EAN {article.get('ean', '')}" + (f" · {article['author']}" if article.get("author")
                                             else "")
    # the price and "facultatif" first: a long title is cut at the block's width; an optional
    # title dropped at the close (under its minimum) says so (it was listed as if still there)
    progress = {t.get("ean"): t for t in (view.get("progress") or {}).get("titles") or []}

    def dropped(t) -> bool:
        p = progress.get(t.get("ean"))
        return bool(p) and not t["required"] and view.get("status") != "open" and \
            not p.get("minimum_reached")
    described = ("Titres", [f"{eur(t['price_ttc'])} TTC"
                            + (" (retiré)" if dropped(t) else
                               "" if t["required"] else " (facultatif)") + f" — {t['title']}"
                            for t in titles]) \
        if several else ("Article", [article.get("title", ""), ean,
                                     f"Prix unitaire : {eur(view['unit_price'])} TTC"])
    per_title = [f"{t['title']} : annulés {t['copies']['cancelled']} · en attente de paiement "
                 f"{t['copies']['awaiting_payment']} · payés {t['copies']['paid']} · "
                 f"« Payés » {eur(t['total_paid'])}" for t in view.get("by_title", [])] \
        if several else []
    columns = LIST_COLUMNS if several else COLUMNS
    at_pickup = summary.get("at_pickup") or {}
    pickup_summary = []
    if has_pickup(view):
        columns = with_pickup_column(columns)
        rows = [row[:-1] + [pickup_due(s), row[-1]] for row, s in zip(rows, subs)]
        pickup_summary = [f"À encaisser au retrait : {at_pickup.get('sub_orders', 0)} "
                          f"sous-commande(s), {at_pickup.get('articles', 0)} article(s), "
                          f"{eur(at_pickup.get('total', '0.00'))} (comptés en attente de "
                          f"paiement, pas en payés)"]
    return Sheet(
        title=f"Commande groupée n° {view['number']} — créée le {created} "
              f"({_plural(len(subs), 'sous-commande')})",
        columns=columns, rows=rows,
        struck={i for i, s in enumerate(subs) if s["status"] == "cancelled"},
        meta=[described,
              ("Client", [view["client_name"], view["initiator_email"]]),
              ("Mise à disposition", view["pickup_label"].split("\n")),
              # distribution day, once set (the sheet is what the teacher prints for it)
              *([("Distribution", view["distribution_label"].split(", ", 1))]
                if view.get("distribution_date") and view.get("distribution_label") else []),
              ("Date limite", [deadline, f"Statut : {view['status_label']}"])],
        summary_title="Récapitulatif de l'ensemble des sous-commandes",
        summary=[
            f"Total articles : annulés {summary['articles']['cancelled']} · en attente de "
            f"paiement {summary['articles']['awaiting_payment']} · payés "
            f"{summary['articles']['paid']}",
            f"Total sous-commandes : annulées {summary['sub_orders']['cancelled']} · en attente "
            f"de paiement {summary['sub_orders']['awaiting_payment']} · payées "
            f"{summary['sub_orders']['paid']}",
            f"Total TTC : « En attente de paiement » {eur(summary['total_awaiting'])} · "
            f"« Payées » {eur(summary['total_paid'])}", *pickup_summary, *per_title],
        author=view.get("client_name", ""))


# the sign-in sheet per publisher (issue 10 K4, reference 004 step 4): one section per publisher
PUBLISHER_COLUMNS = [Column("N°", 5), Column("Nom", 12), Column("Prénom", 10),
                     Column("Titres de l'éditeur", 29), Column("Quantité", 7, "right"),
                     Column("Montant TTC", 12, "right"), Column("Paiement", 15),
                     Column("Signature", 16)]
KINDS = ("global", "publishers")


def publisher_sections(view: dict) -> list:
    """[(publisher, [(sub, [its lines of that publisher's titles])])], publishers by name,
    buyers by name; cancelled sub-orders and lines of 0 copies left out."""
    sections = {}
    for s in by_name(view["sub_orders"]):
        if s["status"] == "cancelled":
            continue
        mine = {}
        for x in s["lines"]:
            if x["quantity"]:
                mine.setdefault(supplier_of(x.get("publisher", "")), []).append(x)
        for name, lines in mine.items():
            sections.setdefault(name, []).append((s, lines))
    return sorted(sections.items(), key=lambda item: item[0].casefold())


def publishers_sheet(view: dict) -> Sheet:
    """The sign-in sheet per publisher: each buyer of that publisher's titles, their copies,
    the amount of those lines, paid (how: the cheque's number) or due, a box to sign."""
    base = sheet(view)
    rows, sections, summary = [], {}, []
    for name, buyers in publisher_sections(view):
        sections[len(rows)] = f"Éditeur : {name} ({_plural(len(buyers), 'acheteur')})"
        copies = {"paid": 0, "awaiting_payment": 0}
        amounts = {"paid": Decimal("0.00"), "awaiting_payment": Decimal("0.00")}
        for s, lines in buyers:
            amount = sum((Decimal(x["total"]) for x in lines), Decimal("0.00"))
            quantity = sum(x["quantity"] for x in lines)
            copies[s["status"]] = copies.get(s["status"], 0) + quantity
            amounts[s["status"]] = amounts.get(s["status"], Decimal("0.00")) + amount
            due = "" if s["status"] == "paid" else \
                " (au retrait)" if s.get("at_pickup") else " (à payer)"
            rows.append([str(s["number"]), named(s), s["first_name"],
                         "\n".join(f"{x['quantity']} × {x['title']}" for x in lines),
                         str(quantity), eur(amount) + due, status_text(s), ""])
        summary.append(f"{name} : payés {copies['paid']} ex. ({eur(amounts['paid'])}) · en "
                       f"attente de paiement {copies['awaiting_payment']} ex. "
                       f"({eur(amounts['awaiting_payment'])})")
    return Sheet(title=base.title.replace("Commande groupée", "Émargement par éditeur — "
                                          "commande groupée", 1),
                 columns=PUBLISHER_COLUMNS, rows=rows, sections=sections, meta=base.meta,
                 summary_title="Récapitulatif par éditeur", summary=summary,
                 author=base.author)


def render(view: dict, kind: str = "global") -> bytes:
    return render_sheet(publishers_sheet(view) if kind == "publishers" else sheet(view))


def render_in_child(view: dict, timeout=120, kind: str = "global") -> bytes:
    """Render in a child process (services.common.offload): the service's loop keeps serving."""
    from services.common.offload import run_in_child
    return run_in_child(CHILD_MODULE, json.dumps({"sheet_kind": kind, "view": view}).encode(),
                        timeout)


def _main(data: dict) -> bytes:
    if "sheet_kind" in data:
        return render(data["view"], data["sheet_kind"])
    return render(data)


if __name__ == "__main__":
    sys.stdout.buffer.write(_main(json.load(sys.stdin)))
