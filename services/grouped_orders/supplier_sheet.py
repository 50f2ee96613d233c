"""The totals to send to suppliers as a PDF (issue 10 K2: « Récapitulatif par produits », « vue
globale »), drawn with reportlab (services.common.sheets) from what
presenters.supplier_recap_view returns: one section per publisher, a line per title, the
publisher's subtotal per VAT rate, the totals per rate and overall. Rendered in a child process
as the sign-in sheet is (`python -m services.grouped_orders.supplier_sheet`, the view as JSON on
stdin, the PDF on stdout), so that the service's loop keeps serving."""
import json
import sys
from datetime import date

from babel.dates import format_date

from services.common.money import eur
from services.common.sheets import Column, Sheet, render_sheet

CHILD_MODULE = "services.grouped_orders.supplier_sheet"

COLUMNS = [Column("Titre", 26), Column("EAN", 12), Column("TVA", 5, "right"),
           Column("Payés", 6, "right"), Column("Total TTC payé", 9, "right"),
           Column("Total HT payé", 9, "right"), Column("En attente", 7, "right"),
           Column("TTC en attente", 9, "right"), Column("HT en attente", 9, "right"),
           Column("À encaisser au retrait", 8, "right"), Column("TTC au retrait", 9, "right"),
           Column("HT au retrait", 9, "right")]


def day(iso: str) -> str:
    return format_date(date.fromisoformat(iso), "dd/MM/y", locale="fr_FR")


def rate_label(rate: str) -> str:
    return f"{rate.replace('.', ',')} %"


def figures_cells(f: dict) -> list:
    return [str(f["copies_paid"]), eur(f["ttc_paid"]), eur(f["ht_paid"]),
            str(f["copies_awaiting"]), eur(f["ttc_awaiting"]), eur(f["ht_awaiting"]),
            str(f["copies_at_pickup"]), eur(f["ttc_at_pickup"]), eur(f["ht_at_pickup"])]


def pickup_words(f: dict) -> str:
    """The summary's « à encaisser au retrait » part (none when there is none)."""
    if not f["copies_at_pickup"]:
        return ""
    return (f" · à encaisser au retrait {f['copies_at_pickup']} ex. — "
            f"{eur(f['ttc_at_pickup'])} TTC, {eur(f['ht_at_pickup'])} HT")


def title_of(view: dict) -> str:
    if view.get("number") is not None:
        return f"Récapitulatif par produits — commande groupée n° {view['number']}"
    return f"Vue globale des commandes groupées — clôture du {day(view['start'])} au " \
           f"{day(view['end'])}"


def recap_sheet(view: dict) -> Sheet:
    rows, sections, bold = [], {}, set()
    for p in view["publishers"]:
        sections[len(rows)] = f"Éditeur : {p['name']}"
        for t in p["titles"]:
            rows.append([t["title"], t["ean"], rate_label(t["vat_rate"]), *figures_cells(t)])
        for r in p["by_rate"] if len(p["by_rate"]) > 1 else []:
            bold.add(len(rows))
            rows.append([f"Sous-total {p['name']} — TVA {rate_label(r['vat_rate'])}", "",
                         rate_label(r["vat_rate"]), *figures_cells(r)])
        bold.add(len(rows))
        rows.append([f"Total {p['name']}", "", "", *figures_cells(p["totals"])])
    t = view["totals"]
    summary = [f"TVA {rate_label(r['vat_rate'])} : payés {r['copies_paid']} ex. — "
               f"{eur(r['ttc_paid'])} TTC, {eur(r['ht_paid'])} HT, TVA {eur(r['vat_paid'])} · "
               f"en attente {r['copies_awaiting']} ex. — {eur(r['ttc_awaiting'])} TTC, "
               f"{eur(r['ht_awaiting'])} HT{pickup_words(r)}" for r in view["by_rate"]]
    summary.append(f"Total : payés {t['copies_paid']} ex. — {eur(t['ttc_paid'])} TTC, "
                   f"{eur(t['ht_paid'])} HT, TVA {eur(t['vat_paid'])} · en attente "
                   f"{t['copies_awaiting']} ex. — {eur(t['ttc_awaiting'])} TTC, "
                   f"{eur(t['ht_awaiting'])} HT{pickup_words(t)}")
    orders = view["grouped_orders"]
    listed = [f"n° {g['number']} — {g['client_name']} — clôture le {day(g['deadline'])} — "
              f"{g['status_label']}" for g in orders[:6]]
    if len(orders) > 6:
        listed.append(f"… et {len(orders) - 6} autres (voir le CSV)")
    return Sheet(title=title_of(view), columns=COLUMNS, rows=rows, sections=sections,
                 bold=bold,
                 meta=[(f"Commandes groupées ({len(orders)})", listed or ["Aucune"])],
                 summary_title="Totaux par taux de TVA", summary=summary,
                 orientation="landscape")


def render(view: dict) -> bytes:
    return render_sheet(recap_sheet(view))


def render_in_child(view: dict, timeout=120) -> bytes:
    from services.common.offload import run_in_child
    return run_in_child(CHILD_MODULE, json.dumps(view).encode(), timeout)


if __name__ == "__main__":
    sys.stdout.buffer.write(render(json.load(sys.stdin)))
