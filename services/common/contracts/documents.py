"""The wire shape of `order_document(kind, number)` (issue 9): what grouped_orders (kinds
`sub_order`, `grouped_order`) and baskets (kinds `collectivity_order`, `quote`) answer about one
order, for its PDF, its invoice (invoicing) and its hand-off (logistics). Money travels as
strings with two decimals; every figure adds up to the cent (`check_adds_up`), and the schema
refuses a document that does not: unit price TTC × quantity = line TTC, line HT + VAT = line TTC,
the VAT table is the lines' HT and VAT per rate, each rate's base is its TTC / (1 + rate)
rounded half-up (docs/invoicing.md § Amounts), total HT + VAT = total TTC, a discounted line's
unit price is its public price less its discount, rounded to the cent.

`OrderDocument().load(doc)` checks a document (the services dump theirs through it before
answering: `dump_document`); a consumer loads with `unknown=EXCLUDE` (fields are only added)."""
from decimal import Decimal

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from ..money import ht_of, money
from .fields import Money, Percent, VatRate

KINDS = ("sub_order", "grouped_order", "collectivity_order", "quote")
KIND_LABELS = {"sub_order": "Sous-commande", "grouped_order": "Commande groupée",
               "collectivity_order": "Commande collectivité", "quote": "Demande de devis"}
# how an order is paid ("method"), in French for the documents
PAYMENT_METHODS = {"online": "Paiement en ligne", "cheque": "Chèque à la librairie",
                   "cash": "Espèces à la librairie", "manual": "Réglé à la librairie",
                   "mixed": "En ligne et à la librairie", "account": "En compte",
                   "none": "Aucun paiement",
                   "pickup": "À payer au retrait (chèque ou espèces)"}


class _In(Schema):
    class Meta:
        unknown = EXCLUDE


class Customer(_In):
    name = fields.String(required=True)
    email = fields.String(required=True)
    address_lines = fields.List(fields.String(), required=True)
    client_number = fields.String(required=True, allow_none=True)
    siret = fields.String(required=True, allow_none=True)
    chorus_service_code = fields.String(required=True, allow_none=True)
    public_buyer = fields.Boolean(required=True)


class Line(_In):
    ean = fields.String(required=True)
    title = fields.String(required=True)
    publisher = fields.String(required=True)
    quantity = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    vat_rate = VatRate(required=True)
    unit_price_ttc = Money(required=True)
    unit_price_ht = Money(required=True)
    total_ht = Money(required=True)
    vat_amount = Money(required=True)
    total_ttc = Money(required=True)
    # a collectivity's discounted line (optional, absent when none was granted): the public
    # price TTC and the discount that gave `unit_price_ttc`, printed on its invoice (CGI art.
    # 242 nonies A: the discounts granted are shown)
    public_price_ttc = Money()
    discount_percent = Percent()


class VatShare(_In):
    rate = VatRate(required=True)
    base_ht = Money(required=True)
    amount = Money(required=True)


class Totals(_In):
    total_ht = Money(required=True)
    vat = fields.List(fields.Nested(VatShare), required=True)
    total_ttc = Money(required=True)


class Payment(_In):
    method = fields.String(required=True, validate=validate.OneOf(tuple(PAYMENT_METHODS)))
    state_label = fields.String(required=True)
    cheque_number = fields.String(required=True, allow_none=True)
    # a sub-order's money handed back, or paid more, on distribution day (the notes taken at
    # pickup; optional, absent from any other order: none): an invoice says the net paid
    refunded_at_pickup = Money(validate=validate.Range(min=0))
    extra_at_pickup = Money(validate=validate.Range(min=0))
    # a sub-order's payment given back by credit notes already (optional: none): a new invoice
    # of it would say « acquittée » of money returned
    refunded_by_credit_notes = Money(validate=validate.Range(min=0))
    # a sub-order's: all that was given back (or is being given back) to its buyer — credit
    # notes, a title cut, a cancellation, money handed back at pickup — for its printed order
    # (optional: none)
    refunded_to_buyer = Money(validate=validate.Range(min=0))


class AtPickup(_In):
    """A grouped order's copies « à payer au retrait » (ordered from the supplier, their buyers
    pay on distribution day): their lines and totals, apart from the paid ones."""
    lines = fields.List(fields.Nested(Line), required=True)
    totals = fields.Nested(Totals, required=True)

    @validates_schema
    def _adds_up(self, data, **kwargs):
        problems = adds_up_problems(data)
        if problems:
            raise ValidationError(problems, "totals")


class OrderDocument(_In):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    number = fields.Integer(required=True, strict=True)
    title = fields.String(required=True)
    placed_at = fields.String(required=True)
    status = fields.String(required=True)
    customer = fields.Nested(Customer, required=True)
    reference = fields.String(required=True)
    lines = fields.List(fields.Nested(Line), required=True)
    totals = fields.Nested(Totals, required=True)
    payment = fields.Nested(Payment, required=True)
    # a grouped order's copies to be paid at pickup (optional: none, or another kind of order);
    # `lines` and `totals` above stay the paid ones
    at_pickup = fields.Nested(AtPickup, load_default=None, allow_none=True)
    # where the order goes when it is not the billing address (optional: a collectivity's
    # chosen delivery address, its lines; none: the customer's own)
    delivery_lines = fields.List(fields.String(), load_default=list)
    # the customer's own page of the order (optional): where the mail of its invoice sends them
    detail_url = fields.String(load_default="")

    @validates_schema
    def _adds_up(self, data, **kwargs):
        problems = adds_up_problems(data)
        if problems:
            raise ValidationError(problems, "totals")


def adds_up_problems(doc: dict) -> list:
    """What does not add up in a document (loaded: money as Decimal, or as strings): [] when
    every figure is right to the cent."""
    d = Decimal
    problems = []
    per_rate = {}
    for i, x in enumerate(doc["lines"]):
        unit, qty = d(str(x["unit_price_ttc"])), x["quantity"]
        ht, vat, ttc = d(str(x["total_ht"])), d(str(x["vat_amount"])), d(str(x["total_ttc"]))
        if unit * qty != ttc:
            problems.append(f"ligne {i + 1} : {unit} × {qty} ≠ {ttc}")
        if ht + vat != ttc:
            problems.append(f"ligne {i + 1} : HT {ht} + TVA {vat} ≠ TTC {ttc}")
        if x.get("public_price_ttc") is not None and x.get("discount_percent") is not None:
            public, pct = d(str(x["public_price_ttc"])), d(str(x["discount_percent"]))
            if money(public * (100 - pct) / 100) != unit:
                problems.append(f"ligne {i + 1} : {public} − {pct} % ≠ {unit}")
        base, amount = per_rate.get(x["vat_rate"], (d("0"), d("0")))
        per_rate[x["vat_rate"]] = (base + ht, amount + vat)
    totals = doc["totals"]
    table = {v["rate"]: (d(str(v["base_ht"])), d(str(v["amount"]))) for v in totals["vat"]}
    if table != per_rate:
        problems.append("la TVA par taux n'est pas la somme des lignes")
    for rate, (base, amount) in sorted(per_rate.items()):
        if base != ht_of(base + amount, rate):
            problems.append(f"TVA {rate} % : la base {base} n'est pas le TTC {base + amount} "
                            f"/ (1 + taux) arrondi ({ht_of(base + amount, rate)})")
    ht = sum((x[0] for x in per_rate.values()), d("0"))
    vat = sum((x[1] for x in per_rate.values()), d("0"))
    if d(str(totals["total_ht"])) != ht:
        problems.append(f"total HT {totals['total_ht']} ≠ somme des lignes {ht}")
    if d(str(totals["total_ttc"])) != ht + vat:
        problems.append(f"total TTC {totals['total_ttc']} ≠ HT + TVA {ht + vat}")
    return problems


def dump_document(doc: dict) -> dict:
    """A service's document checked against the contract, as it goes on the wire (strings)."""
    schema = OrderDocument()
    return schema.dump(schema.load(doc))
