"""Property test of the one rounding rule (docs/prices.md): for any prices, discounts, VAT rates
and quantities, what is printed adds up — printed unit price × quantity = printed line, the sum
of the printed lines = the printed totals, HT + TVA = TTC, public total − discount = line."""
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from services.baskets.domain import prices
from services.baskets.domain.prices import Discounts
from services.baskets.presenters.baskets import priced_line_view, totals_view
from services.common.money import CENT, ht_of
from services.common.contracts.payloads import CollectivityDocumentV1
from services.librisoft_bridge.domain import documents as bridge_documents

CENTS = st.integers(min_value=1, max_value=500_000).map(lambda c: Decimal(c) / 100)
PERCENTS = st.integers(min_value=0, max_value=10_000).map(lambda c: Decimal(c) / 100)
LINES = st.lists(st.tuples(CENTS, st.sampled_from(sorted(prices.VAT_RATES)),
                           st.integers(min_value=1, max_value=999), st.booleans()),
                 min_size=1, max_size=12)


@settings(max_examples=400, deadline=None)
@given(lines=LINES, discounts=st.tuples(PERCENTS, PERCENTS, PERCENTS, PERCENTS))
def test_what_is_printed_adds_up(lines, discounts):
    d = Discounts(*discounts)
    priced = prices.balanced(prices.line(str(i), "t", qty, price, rate, school, d)
                             for i, (price, rate, qty, school) in enumerate(lines))
    printed = [priced_line_view(x) for x in priced]
    totals = totals_view(prices.totals(priced))
    for x in printed:
        unit, qty = Decimal(x["unit_price_ttc"]), x["quantity"]
        line_ttc, ht, vat = (Decimal(x[k]) for k in ("total_ttc", "total_ht", "vat_amount"))
        assert unit * qty == line_ttc
        assert ht + vat == line_ttc
        assert Decimal(x["public_price_ttc"]) * qty - Decimal(x["discount_amount"]) == line_ttc
        assert Decimal(x["discount_amount"]) >= 0 and ht >= 0 and vat >= 0
        for amount in (x["unit_price_ttc"], x["total_ttc"], x["total_ht"], x["vat_amount"],
                       x["discount_amount"]):
            assert Decimal(amount) == Decimal(amount).quantize(CENT)
    for key, field in (("total_ttc", "total_ttc"), ("subtotal_ht", "total_ht"),
                       ("vat_total", "vat_amount"), ("discount_total", "discount_amount")):
        assert sum((Decimal(x[field]) for x in printed), Decimal("0.00")) == \
            Decimal(totals[key])
    assert Decimal(totals["subtotal_ht"]) + Decimal(totals["vat_total"]) == \
        Decimal(totals["total_ttc"])
    for rate in {x["vat_rate"] for x in printed}:  # each rate's HT: its TTC / (1 + rate)
        of_rate = [x for x in printed if x["vat_rate"] == rate]
        assert sum(Decimal(x["total_ht"]) for x in of_rate) == \
            ht_of(sum(Decimal(x["total_ttc"]) for x in of_rate), rate)
    # and the Librisoft export takes the document as printed, every line multiplying out
    eans = ["9782330150136", "9791097284657", "9782362210419"]
    document = CollectivityDocumentV1().load({
        "number": 1, "client_number": "16", "client_name": "ECOLE", "basket_number": 1,
        "basket_name": "b", "basket_creator_email": "a@b.fr", "placed_by_email": "a@b.fr",
        "reference": "R", "placed_at": "2026-04-02T09:15:00+02:00", "totals": totals,
        "lines": [{k: x[k] for k in ("title", "quantity", "vat_rate", "public_price_ttc",
                                     "unit_price_ttc", "discount_percent", "discount_amount",
                                     "total_ttc", "total_ht", "vat_amount")}
                  | {"ean": eans[i % 3]} for i, x in enumerate(printed)]})
    exported = bridge_documents.from_document("quote", document)
    for x in exported["lines"]:
        assert x["unit_price_ttc"] * x["quantity"] == x["total_ttc"]
    assert exported["order"]["total_ttc"] == Decimal(totals["total_ttc"])
