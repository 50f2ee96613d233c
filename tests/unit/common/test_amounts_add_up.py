"""What is printed adds up (docs/invoicing.md § Amounts), over many random baskets of books at
the three VAT rates: every line (unit price TTC × quantity = line TTC, HT + VAT = TTC, a
discounted line's public price less its discount = its unit price) and every VAT rate (its base
is its TTC / (1 + rate) rounded, its VAT the difference, and base × rate rounded gives that VAT
whenever any base can: EN 16931 BR-CO-17), the documents' contract, and the order PDF."""
import random
from decimal import Decimal

from services.common import order_pdf
from services.common.contracts.documents import OrderDocument, adds_up_problems
from services.common.money import CENT, DocLine, balanced, document_totals, ht_of, money
from tests.support.pdf import pdf_text

RATES = ("2.1", "5.5", "20")


def random_lines(rnd, discounts=False):
    lines = []
    for i in range(rnd.randint(1, 14)):
        rate = rnd.choice(RATES)
        public = Decimal(rnd.choice((rnd.randint(1, 99), rnd.randint(50, 6000)))) / 100
        percent = Decimal(rnd.choice((0, 5, 9, Decimal("7.5")))) if discounts else Decimal(0)
        unit = money(public * (100 - percent) / 100)
        lines.append(DocLine(f"978{i:010d}", f"Titre {i}", "Éditeur", rnd.randint(1, 40), rate,
                             unit, public if percent else None, percent if percent else None))
    return balanced(lines)


def document(lines):
    totals = document_totals(lines)
    return {"kind": "collectivity_order", "number": 7, "title": "Commande collectivité n°7",
            "placed_at": "2027-02-28T16:45:00+00:00", "status": "En cours",
            "customer": {"name": "École", "email": "e@x.test", "address_lines": [],
                         "client_number": "1", "siret": None, "chorus_service_code": None,
                         "public_buyer": False},
            "reference": "",
            "lines": [{"ean": x.ean, "title": x.title, "publisher": x.publisher,
                       "quantity": x.quantity, "vat_rate": x.vat_rate,
                       "unit_price_ttc": x.unit_price_ttc, "unit_price_ht": x.unit_price_ht,
                       "total_ht": x.total_ht, "vat_amount": x.vat_amount,
                       "total_ttc": x.total_ttc, **x.discount_fields()} for x in lines],
            "totals": {"total_ht": totals["total_ht"], "total_ttc": totals["total_ttc"],
                       "vat": [{"rate": v["rate"], "base_ht": v["base_ht"],
                                "amount": v["amount"]} for v in totals["vat"]]},
            "payment": {"method": "account", "state_label": "En attente du paiement",
                        "cheque_number": None}}


def br_co_17_as_well_as_can_be(base, amount, rate):
    """VAT = base × rate rounded; else no base of that TTC gives it (a cent away at most)."""
    r = Decimal(rate) / 100
    if amount == money(base * r):
        return True
    ttc = base + amount
    return (abs(amount - base * r) <= CENT
            and all(ttc - b != money(b * r) for b in (base - CENT, base + CENT)))


def check_document(doc):
    assert adds_up_problems(doc) == []
    assert OrderDocument().validate(OrderDocument().dump(doc)) == {}
    ttc_by_rate = {}
    for x in doc["lines"]:
        assert x["unit_price_ttc"] * x["quantity"] == x["total_ttc"]
        assert x["total_ht"] + x["vat_amount"] == x["total_ttc"]
        assert x["total_ht"] >= 0 and x["vat_amount"] >= 0
        exact = x["total_ttc"] / (1 + Decimal(x["vat_rate"]) / 100)
        assert abs(x["total_ht"] - exact) < CENT            # each line's HT its own, to a cent
        if "discount_percent" in x:
            assert money(x["public_price_ttc"] * (100 - x["discount_percent"]) / 100) == \
                x["unit_price_ttc"]
        ttc_by_rate[x["vat_rate"]] = ttc_by_rate.get(x["vat_rate"], Decimal(0)) + x["total_ttc"]
    t = doc["totals"]
    assert {v["rate"] for v in t["vat"]} == set(ttc_by_rate)
    for v in t["vat"]:
        assert v["base_ht"] == ht_of(ttc_by_rate[v["rate"]], v["rate"])
        assert v["base_ht"] + v["amount"] == ttc_by_rate[v["rate"]]
        assert v["base_ht"] == sum(x["total_ht"] for x in doc["lines"]
                                   if x["vat_rate"] == v["rate"])
        assert br_co_17_as_well_as_can_be(v["base_ht"], v["amount"], v["rate"])
    assert t["total_ht"] == sum(v["base_ht"] for v in t["vat"])
    assert t["total_ttc"] == t["total_ht"] + sum(v["amount"] for v in t["vat"])


def test_every_printed_line_and_rate_adds_up_over_random_baskets():
    rnd = random.Random(20261207)
    for _ in range(800):
        check_document(document(random_lines(rnd, discounts=rnd.random() < 0.5)))


def test_the_vat_of_a_rate_is_its_base_times_the_rate_not_the_sum_of_the_lines_vat():
    """The tester's invoice: three lines at 5,5 % (3,00 × 2, 3,00 × 2, 49,20), 61,20 TTC. Each
    line's own HT (5,69 + 5,69 + 46,64) made « TVA 5,5 % sur 58,02 € : 3,18 € » while
    58,02 × 5,5 % = 3,19. The rate's base is 61,20 / 1,055 = 58,009… → 58,01, its VAT 3,19
    (58,01 × 5,5 % = 3,19055 → 3,19), and the lines share the base out."""
    lines = balanced([DocLine("1", "A", "", 2, "5.5", Decimal("3.00")),
                      DocLine("2", "B", "", 2, "5.5", Decimal("3.00")),
                      DocLine("3", "C", "", 1, "5.5", Decimal("49.20"))])
    totals = document_totals(lines)
    assert totals["vat"] == [{"rate": "5.5", "base_ht": Decimal("58.01"),
                              "amount": Decimal("3.19")}]
    assert sum(x.total_ht for x in lines) == Decimal("58.01")
    # the cent over goes back to the line rounded up the most (46,635… → 46,63)
    assert [x.total_ht for x in lines] == [Decimal("5.69"), Decimal("5.69"), Decimal("46.63")]
    check_document(document(lines))


def test_a_contract_document_with_the_lines_own_vat_summed_is_refused():
    doc = document(balanced([DocLine("1", "A", "", 2, "5.5", Decimal("3.00")),
                             DocLine("2", "B", "", 2, "5.5", Decimal("3.00")),
                             DocLine("3", "C", "", 1, "5.5", Decimal("49.20"))]))
    doc["lines"][2].update(total_ht=Decimal("46.64"), vat_amount=Decimal("2.56"))
    doc["totals"]["vat"] = [{"rate": "5.5", "base_ht": Decimal("58.02"),
                             "amount": Decimal("3.18")}]
    doc["totals"]["total_ht"] = Decimal("58.02")
    assert any("base 58.02" in p for p in adds_up_problems(doc))


def test_a_discount_that_does_not_give_the_unit_price_is_refused():
    doc = document([DocLine("1", "A", "", 2, "5.5", Decimal("13.65"), Decimal("15.00"),
                            Decimal("9"))])
    assert adds_up_problems(doc) == []
    doc["lines"][0]["discount_percent"] = Decimal("5")
    assert adds_up_problems(doc) == ["ligne 1 : 15.00 − 5 % ≠ 13.65"]


def test_the_order_pdf_prints_the_discount_and_no_unit_price_ht():
    lines = balanced([DocLine("9782070360024", "L'ÉTRANGER", "GALLIMARD", 2, "5.5",
                              Decimal("14.90")),
                      DocLine("9782253004226", "LE PETIT PRINCE", "FOLIO", 3, "5.5",
                              Decimal("13.56"), Decimal("14.90"), Decimal("9"))])
    doc = document(lines)
    text = " ".join(pdf_text(order_pdf.render(OrderDocument().dump(doc), {"name": "L"}),
                             layout=True).split())
    assert "LE PETIT PRINCE — FOLIO · prix public" in text    # the line wraps in its cell
    assert "14,90 € − 9 % (−1,34 €)" in text                  # 14,90 − 1,34 = 13,56
    assert "13,56 €" in text and "40,68 €" in text            # 13,56 × 3
    assert "14,12" not in text                                # no unit HT that cannot multiply
    assert "Remises accordées : 4,02 € TTC" in text           # 1,34 × 3
    # 29,80 + 40,68 = 70,48 TTC at 5,5 %: 70,48 / 1,055 = 66,805… → 66,81 HT, 3,67 VAT
    assert "TVA 5,5 % sur 66,81 € HT : 3,67 €" in text
