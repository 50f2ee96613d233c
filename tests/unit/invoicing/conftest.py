from datetime import datetime, timezone

import pytest

from services.invoicing.models import Base
from tests.support.fakes import Events, database_fixture

db = database_fixture("invoicing", Base)

NOW = datetime(2027, 3, 1, 8, 49, tzinfo=timezone.utc)


@pytest.fixture
def record():
    return Events()


def line(ean="9782070360024", title="L'Étranger", qty=2, rate="5.5", unit_ttc="7.90",
         publisher="Gallimard"):
    from decimal import Decimal
    from services.common.money import money
    ttc = money(Decimal(unit_ttc) * qty)
    ht = money(ttc / (1 + Decimal(rate) / 100))
    return {"ean": ean, "title": title, "publisher": publisher, "quantity": qty,
            "vat_rate": rate, "unit_price_ttc": unit_ttc,
            "unit_price_ht": str(money(Decimal(unit_ttc) / (1 + Decimal(rate) / 100))),
            "total_ht": str(ht), "vat_amount": str(ttc - ht), "total_ttc": str(ttc)}


def document(kind="collectivity_order", number=12, lines=None, public_buyer=False,
             paid=False, **changes):
    from decimal import Decimal
    lines = lines if lines is not None else [
        line(), line("9782253004226", "Le Petit Prince", 3, "5.5", "8.50", "Folio"),
        line("3760145060014", "Marque-page", 1, "20", "2.50", "")]
    from services.common.money import ht_of
    ttc = sum(Decimal(ln["total_ttc"]) for ln in lines)
    ht = sum((ht_of(sum(Decimal(ln["total_ttc"]) for ln in lines if ln["vat_rate"] == rate), rate)
              for rate in {ln["vat_rate"] for ln in lines}), Decimal("0.00"))
    doc = {"kind": kind, "number": number,
           "title": f"Commande collectivité n° {number}", "placed_at": "2027-02-28T16:45:00+00:00",
           "status": "En cours de traitement",
           "customer": {"name": "École Jules Ferry", "email": "achats@ecole-jules-ferry.test",
                        "address_lines": ["École Jules Ferry", "3 rue des Écoles",
                                          "54000 Nancy"],
                        "client_number": "16",
                        "siret": "21540395700008" if public_buyer else "",
                        "chorus_service_code": "SERVICE-ACHATS" if public_buyer else "",
                        "public_buyer": public_buyer},
           "reference": "BC-2027-004",
           "lines": lines,
           "totals": {"total_ht": str(ht), "vat": [], "total_ttc": str(ttc)},
           "payment": {"method": "cheque" if paid else "", "cheque_number": "1234567" if paid
                       else "", "state_label": "Paiement confirmé" if paid else ""}}
    doc.update(changes)
    return doc
