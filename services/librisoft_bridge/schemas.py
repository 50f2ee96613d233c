"""Output of this service's RPC and webservice: JSON-safe dicts, money and percents as strings
with two decimals ("14.90"), dates and datetimes ISO 8601, absent fields as null. Articles and
clients are dumped by the wire schemas of services/common/contracts/catalogue.py, which the
gateway's API answers with too; the import reports and the classic orders are the bridge's
own."""
from marshmallow import Schema, fields

from services.common.contracts import catalogue
from services.common.contracts.fields import Money, Percent, VatRate


# articles, their pages and the clients: one wire schema, the gateway's API answers with it too
ArticleOut = catalogue.Article
PageOut = catalogue.Page
SearchResultOut = catalogue.ArticlePage
ClientOut = catalogue.Client


class RejectedRowOut(Schema):
    line = fields.Integer()
    key = fields.String(allow_none=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class ArticleReportOut(Schema):
    received = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    rejected = fields.List(fields.Nested(RejectedRowOut))


class ClientReportOut(ArticleReportOut):
    deactivated = fields.Integer()
    skipped = fields.Integer()


class OrderLineOut(Schema):
    """The discount fields and HT/VAT amounts are null on a grouped order's line."""
    position = fields.Integer()
    ean = fields.String()
    title = fields.String()
    vat_rate = VatRate()
    quantity = fields.Integer()
    public_price_ttc = Money(allow_none=True)
    discount_percent = Percent(allow_none=True)
    unit_price_ttc = Money()
    discount_amount = Money(allow_none=True)
    total_ttc = Money()
    total_ht = Money(allow_none=True)
    vat_amount = Money(allow_none=True)


class OrderOut(Schema):
    """A classic order, as Librisoft picks it up and as the gateway shows it."""
    number = fields.Integer()
    source_kind = fields.String()
    source_number = fields.Integer()
    state = fields.String()  # pending | picked_up
    picked_up = fields.Boolean()
    picked_up_at = fields.DateTime(allow_none=True)
    librisoft_number = fields.String(allow_none=True)
    librisoft_status = fields.String(allow_none=True)
    status_updated_at = fields.DateTime(allow_none=True)
    cancelled = fields.Boolean()            # cancelled on the suite's side
    cancelled_at = fields.DateTime(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    cancellation_acknowledged = fields.Boolean()
    cancellation_acknowledged_at = fields.DateTime(allow_none=True)
    client_number = fields.String()
    client_name = fields.String()
    initiator_email = fields.String()
    contact_email = fields.String()
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    reference = fields.String(allow_none=True)  # "Référence collectivité"; null: grouped order
    pickup_label = fields.String()
    billing_label = fields.String()
    comment = fields.String()
    lines = fields.List(fields.Nested(OrderLineOut))
    total_quantity = fields.Integer()
    discount_total = Money(allow_none=True)
    subtotal_ht = Money(allow_none=True)
    vat_total = Money(allow_none=True)
    total_ttc = Money()
    placed_at = fields.DateTime()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class OrderPageOut(PageOut):
    orders = fields.List(fields.Nested(OrderOut))
