"""Invoices and credit notes print figures that add up (docs/invoicing.md § Amounts), and their
Factur-X XML passes the `factur-x` library's XSD check and the EN 16931 business rules on amounts
(BR-CO-10, BR-CO-13, BR-CO-14, BR-CO-15, BR-S-08, BR-CO-17) over many random invoices of books
at the three rates, some with a collectivity's discount. The library's schematron needs an XSLT
2 processor (a Saxon server) that is not here: the rules on amounts are read from the XML."""
import random
import re
from decimal import Decimal
from xml.etree import ElementTree as ET

import facturx

from services.common import config
from services.common.contracts.documents import OrderDocument
from services.common.money import money
from services.invoicing import presenters, render, use_cases
from services.common.money import DocLine, balanced
from tests.support.pdf import pdf_text
from tests.unit.common.test_amounts_add_up import (br_co_17_as_well_as_can_be, document,
                                                   random_lines)

from .conftest import NOW

NS = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


def wire_document(lines, number, public_buyer=True):
    doc = document(lines)
    doc["number"] = number
    doc["customer"].update(siret="21540395700008", chorus_service_code="SERVICE-ACHATS",
                           public_buyer=public_buyer, address_lines=["3 rue des Écoles",
                                                                     "54000 Nancy"])
    return OrderDocument().dump(doc)


def issued(db, record, doc, credit=None):
    with db.transaction() as s:
        inv = use_cases.issue_invoice(s, doc["kind"], doc["number"], doc, "a", NOW, record)
    if credit is not None:
        with db.transaction() as s:
            inv = use_cases.issue_credit_note(s, inv["number"], credit, "Livre abîmé", "a", NOW,
                                              record)
    return presenters.document_view(inv, config.seller())


def d(node, path):
    return Decimal(node.find(path, NS).text)


def check_facturx(view):
    xml = render.facturx_xml(view)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    root = ET.fromstring(xml)
    items = root.findall(".//ram:IncludedSupplyChainTradeLineItem", NS)
    line_total = {}
    for item in items:
        amount = d(item, ".//ram:LineTotalAmount")
        rate = d(item, ".//ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/"
                       "ram:RateApplicablePercent")
        line_total[rate] = line_total.get(rate, Decimal(0)) + amount
        net = d(item, ".//ram:NetPriceProductTradePrice/ram:ChargeAmount")
        quantity = d(item, ".//ram:BilledQuantity")
        assert abs(net * quantity - amount) <= Decimal("0.0001") * quantity / 2 + Decimal("1e-9")
        gross = item.find(".//ram:GrossPriceProductTradePrice", NS)
        if gross is not None:                     # BT-146 = BT-148 − BT-147
            assert d(gross, "ram:ChargeAmount") - d(gross, ".//ram:ActualAmount") == net
    settlement = root.find(".//ram:ApplicableHeaderTradeSettlement", NS)
    sums = settlement.find("ram:SpecifiedTradeSettlementHeaderMonetarySummation", NS)
    taxes = settlement.findall("ram:ApplicableTradeTax", NS)
    assert d(sums, "ram:LineTotalAmount") == sum(line_total.values())          # BR-CO-10
    assert d(sums, "ram:TaxBasisTotalAmount") == d(sums, "ram:LineTotalAmount")  # BR-CO-13
    assert d(sums, "ram:TaxTotalAmount") == sum(d(t, "ram:CalculatedAmount") for t in taxes)
    assert d(sums, "ram:GrandTotalAmount") == \
        d(sums, "ram:TaxBasisTotalAmount") + d(sums, "ram:TaxTotalAmount")      # BR-CO-15
    for tax in taxes:
        rate, base, amount = (d(tax, "ram:RateApplicablePercent"), d(tax, "ram:BasisAmount"),
                              d(tax, "ram:CalculatedAmount"))
        assert base == line_total[rate]                                          # BR-S-08
        assert abs(amount - money(base * rate / 100)) <= 1   # BR-CO-17 as its schematron
        assert br_co_17_as_well_as_can_be(base, amount, format(rate.normalize(), "f"))
    return root


def check_view(view):
    for x in view["lines"]:
        unit, ttc = Decimal(x["unit_price_ttc"]), Decimal(x["total_ttc"])
        assert unit * x["quantity"] == ttc
        assert Decimal(x["total_ht"]) + Decimal(x["vat_amount"]) == ttc
        if "discount_percent" in x:
            assert Decimal(x["public_price_ttc"]) - Decimal(x["unit_discount"]) == unit
    for v in view["vat"]:
        ttc = sum(Decimal(x["total_ttc"]) for x in view["lines"]
                  if Decimal(x["vat_rate"]) == Decimal(v["rate"]))
        assert Decimal(v["base_ht"]) + Decimal(v["amount"]) == ttc
        assert br_co_17_as_well_as_can_be(Decimal(v["base_ht"]), Decimal(v["amount"]), v["rate"])
    assert Decimal(view["total_ht"]) + Decimal(view["vat_total"]) == Decimal(view["total_ttc"])


def test_random_invoices_and_credit_notes_add_up_and_their_facturx_passes(db, record):
    rnd = random.Random(7)
    for number in range(1, 41):
        lines = random_lines(rnd, discounts=number % 2 == 0)
        view = issued(db, record, wire_document(lines, number))
        check_view(view)
        check_facturx(view)
        some = {x["position"]: rnd.randint(0, x["quantity"]) for x in view["lines"]}
        if any(some.values()):
            credit = issued(db, record, wire_document(lines, number),
                            credit={k: q for k, q in some.items() if q})
            check_view(credit)
            check_facturx(credit)


def test_the_invoice_prints_no_unit_price_ht_and_shows_the_discount(db, record):
    """14,90 € × 2 at 5,5 %: the unit HT 14,12 € × 2 (28,24 €) is not the line's 28,25 €: no
    unit HT is printed, the unit TTC × 2 is the line's 29,80 €. A collectivity's 9 % off
    14,90 € is printed as such: 14,90 € − 9 % (−1,34 €) = 13,56 € the copy."""
    lines = balanced([DocLine("9782070360024", "L'Étranger", "Gallimard", 2, "5.5",
                              Decimal("14.90")),
                      DocLine("9782253004226", "Le Petit Prince", "Folio", 3, "5.5",
                              Decimal("13.56"), Decimal("14.90"), Decimal("9"))])
    view = issued(db, record, wire_document(lines, 3))
    text = " ".join(pdf_text(render.render(view), layout=True).split())
    assert "14,12" not in text and "Prix unitaire HT" not in text
    assert "Prix public TTC" in text and "Remise" in text and "Prix net unitaire TTC" in text
    assert "14,90 € — 14,90 € 2 5,5 % 28,25 € 29,80 €" in text
    assert re.search(r"14,90 € 9\s?% 13,56 € 3 5,5 % 38,56 € 40,68 €", text)
    assert "soit −1,34 €" in text
    assert "total des remises accordées : 4,02 € TTC" in text
    assert "TVA 5,5 % sur 66,81 € 3,67 €" in text             # 70,48 / 1,055 → 66,81
    root = check_facturx(view)
    gross = root.find(".//ram:GrossPriceProductTradePrice", NS)
    assert d(gross, "ram:ChargeAmount") == Decimal("14.1232")  # 14,90 / 1,055, HT
