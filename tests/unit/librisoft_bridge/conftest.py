import pytest

from services.common import outbox
from services.common.db import Database
from services.librisoft_bridge import keys
from services.librisoft_bridge.models import Base
from services.librisoft_bridge.service import LibrisoftBridgeService


@pytest.fixture
def db(tmp_path):
    database = Database("librisoft_bridge", Base.metadata,
                        url=f"sqlite:///{tmp_path / 'librisoft_bridge.db'}")
    Base.metadata.create_all(database.engine)
    yield database
    database.dispose()


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
