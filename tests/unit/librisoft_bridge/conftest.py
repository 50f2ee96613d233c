import json

import pytest
from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from services.common import outbox
from services.common.messaging_models import messaging_tables
from services.librisoft_bridge import keys
from services.librisoft_bridge.adapters import webservice
from services.librisoft_bridge.models import Base
from services.librisoft_bridge.service import LibrisoftBridgeService
from tests.support.fakes import database_fixture


def request(method, path, key=None, body=None, content_type="application/json", query=None):
    """A request to the webservice; a body that is not bytes is sent as JSON."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    return EnvironBuilder(path=webservice.PREFIX + path, method=method, data=data or b"",
                          query_string=query, headers={"X-Api-Key": key} if key else {},
                          content_type=content_type).get_request()


def answer(response):
    return response.status_code, json.loads(response.get_data())


def outbox_bodies(db):
    """The bodies of the events in the outbox, oldest first."""
    table = messaging_tables(db.metadata)[0]
    with db.transaction() as session:
        return list(session.scalars(select(table.c.body).order_by(table.c.id)))


def run(db, fn, *args, **kwargs):
    """A use case `fn(session, ...)` in one transaction of `db`, as the service's store runs it."""
    with db.transaction() as session:
        return fn(session, *args, **kwargs)


db = database_fixture("librisoft_bridge", Base)


@pytest.fixture
def article():
    """A complete, valid article row as Librisoft sends it in JSON."""
    return {
        "ean": "9782362210419",
        "title": "LE LIVRE QU'IL NE FAUT SURTOUT, SURTOUT, SURTOUT, PAS LIRE !",
        "author": "LAROCHE SOPHIE", "publisher": "MIC MAC EDITION", "collection": "ROMAN - ADOS",
        "genre": "FICTIONS ADOLESCENTS", "publication_date": "2011-04-29", "format": "Broché",
        "weight_g": 194, "height_mm": 180, "width_mm": 118, "thickness_mm": 12,
        "price_ttc": "6.40", "vat_rate": "5.5", "school_book": False,
        "availability": "disponible", "summary": "Un livre à ne surtout pas lire.",
    }


@pytest.fixture
def client_row():
    """A valid collectivity client row."""
    return {
        "number": "16", "name": "ECOLE JULES FERRY", "collectivity": True,
        "addresses": [{"label": "Direction", "line1": "12 rue de Vic", "line2": "",
                       "postal_code": "54000", "city": "NANCY"}],
        "phone": "03 83 30 12 16", "email": "ecole@example.org", "gencod": "",
        "discount_2_1": "0", "discount_5_5": "9", "discount_20": "0", "discount_school": "0",
    }


class FakeStore:
    """The service's Store without nameko: the real database and outbox, no relay."""

    def __init__(self, db):
        self.db = db

    def transaction(self):
        return self.db.transaction()

    def run(self, fn, *args, **kwargs):
        return run(self.db, fn, *args, **kwargs)

    def record(self, session, event_type, payload):
        return outbox.record(session, self.db.metadata, "librisoft_bridge", event_type, payload)


@pytest.fixture
def service(db):
    """The service's entrypoints called directly, without nameko's container or a broker."""
    instance = LibrisoftBridgeService()
    instance.store = FakeStore(db)
    return instance


@pytest.fixture
def api_key(db):
    return keys.create_key(db, "LIB54")


@pytest.fixture
def validated():
    """A grouped_order_validated payload as grouped_orders publishes it (money as strings):
    grouped order 62 of the reference manual, 5 paid copies of WESTERN COQUILLETTES."""
    return {
        "number": 62, "client_number": "21", "client_name": "COLLEGE VICTOR PROUVE",
        "initiator_email": "approbateur@victorprouve.org", "contact_email": "",
        "article": {"ean": "9791097284657", "title": "WESTERN COQUILLETTES",
                    "author": "LE GUEN/XENARD", "publisher": "ORSO", "price_ttc": "14.90",
                    "vat_rate": "5.5"},
        "deadline": "2022-03-29",
        "pickup_label": "COLLEGE Victor prouve\n2, rue des jonquilles\n5500 DINANT",
        "billing_label": "13 RUE EMILE BOILVIN\n57000 METZ",
        "comment": "Pour le CDI", "quantity": 5, "unit_price_ttc": "14.90",
        "total_ttc": "74.50", "validated_at": "2022-03-30T09:26:59+02:00",
    }


# what classic_order_status_changed says of an order that was not cancelled
NOT_CANCELLED = {"cancelled": False, "cancelled_at": None, "cancellation_acknowledged": False,
                 "cancellation_acknowledged_at": None}


@pytest.fixture
def document():
    """A CollectivityDocumentV1 payload as baskets publishes it (quote_requested or
    collectivity_order_placed), lines frozen at 9 % off: CEMETERY ROAD 25.00 less 2.25 = 22.75;
    7 × 6.40 at 9 % off: 5.824 rounded to 5.82 a copy first, × 7 = 40.74 (44.80 less 4.06)."""
    return {
        "number": 12, "client_number": "16", "client_name": "ECOLE JULES FERRY",
        "basket_number": 3, "basket_name": "CDI rentrée",
        "basket_creator_email": "cdi@ecole.example.org",
        "placed_by_email": "direction@ecole.example.org", "reference": "BC-2026-041",
        "comment": "Livraison avant le 15", "contact_name": "ECOLE JULES FERRY",
        "contact_email": "ecole@example.org", "contact_phone": "03 83 30 12 16",
        "delivery_label": "ECOLE JULES FERRY\n12 rue de Vic\n54000 NANCY",
        "billing_label": "ECOLE JULES FERRY\nDirection\n12 rue de Vic\n54000 NANCY",
        "lines": [
            {"ean": "9782330150136", "title": "CEMETERY ROAD", "quantity": 1, "vat_rate": "5.5",
             "public_price_ttc": "25.00", "unit_price_ttc": "22.75", "discount_percent": "9.00",
             "discount_amount": "2.25", "total_ttc": "22.75", "total_ht": "21.56",
             "vat_amount": "1.19"},
            {"ean": "9782362210419",
             "title": "LE LIVRE QU'IL NE FAUT SURTOUT, SURTOUT, SURTOUT, PAS LIRE !",
             "quantity": 7, "vat_rate": "5.5", "public_price_ttc": "6.40",
             "unit_price_ttc": "5.82", "discount_percent": "9.00", "discount_amount": "4.06",
             "total_ttc": "40.74", "total_ht": "38.62", "vat_amount": "2.12"}],
        "totals": {"discount_total": "6.31", "subtotal_ht": "60.18", "vat_total": "3.31",
                   "subtotal_ttc": "63.49", "total_ttc": "63.49"},
        "placed_at": "2026-04-02T09:15:00+02:00",
        "detail_url": "https://librairie.example.org/collectivite/devis/12",
    }
