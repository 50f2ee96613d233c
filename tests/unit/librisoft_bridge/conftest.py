import pytest

from services.common.db import Database
from services.librisoft_bridge.models import Base


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
