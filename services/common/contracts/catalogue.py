"""The wire schemas of the catalogue and of the collectivity clients, written once: what the
librisoft_bridge's RPCs answer (services/librisoft_bridge/schemas.py dumps its rows with them)
and what the gateway's JSON API answers and documents in /api/v1/openapi.json
(gateway/api/schemas.py derives its answers from them).

A wire schema dumps the Python values of the service that owns them (Decimal, date, datetime)
and, unchanged, the JSON form it made of them: the gateway dumps again what an RPC answered. A
client is the collectivity_client_updated payload (events.py) with its two timestamps. As event
payloads, they are read with unknown=EXCLUDE: fields are only added."""
from datetime import date, datetime

from marshmallow import EXCLUDE, Schema, fields

from .payloads import CollectivityClientUpdatedV1
from .fields import Money, VatRate, integers, texts


class Date(fields.Date):
    """A date, or the ISO text (YYYY-MM-DD) it already is on the wire."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):
            value = date.fromisoformat(value)
        return super()._serialize(value, attr, obj, **kwargs)


class DateTime(fields.DateTime):
    """A datetime, or the ISO 8601 text it already is on the wire."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return super()._serialize(value, attr, obj, **kwargs)


class Wire(Schema):
    class Meta:
        unknown = EXCLUDE


class Article(Wire):
    """An article of the catalogue, as Librisoft sent it; `price_ht` is derived from
    `price_ttc` and `vat_rate`, rounded to the cent."""
    ean, title = texts(2)
    author, publisher, collection, genre, format, availability, summary = texts(7, null=True)
    publication_date = Date(allow_none=True)
    weight_g, height_mm, width_mm, thickness_mm = integers(4, null=True)
    price_ttc = Money()
    price_ht = Money(allow_none=True)
    vat_rate = VatRate()
    school_book = fields.Boolean()
    updated_at = DateTime()


class Page(Wire):
    """A page of a longer list: which page, how many per page, how many in all (its items under
    the subclass's own field)."""
    total, page, per_page = integers(3)


class ArticlePage(Page):
    items = fields.List(fields.Nested(Article))


ClientState = CollectivityClientUpdatedV1  # number, revision, name, addresses, discounts...


class Client(ClientState):
    """A collectivity client: its collectivity_client_updated state and when it was first and
    last received."""
    created_at = DateTime()
    updated_at = DateTime()
