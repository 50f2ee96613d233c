"""Shared fixtures of the baskets tests: the accounts of two collectivities (as
accounts.get_account gives them), their clients (as accounts.get_client_for_account gives them),
articles (as librisoft_bridge.get_article gives them), a SQLite database, recorded events."""
from datetime import datetime, timezone

import pytest

from services.baskets.models import Base
from tests.support.fakes import Events, database_fixture

NOW = datetime(2021, 6, 17, 13, 6, 32, tzinfo=timezone.utc)
URL = "http://localhost:8000"

FERRY = {"number": "16", "name": "ECOLE JULES FERRY", "email": "ce.0540016@example.org",
         "phone": "03 83 30 12 16", "active": True, "lang_law_warning": False,
         "addresses": [{"label": "Direction", "line1": "12 rue de Vic", "line2": "",
                        "postal_code": "54000", "city": "NANCY"}],
         "discounts": {"vat_2_1": "0.00", "vat_5_5": "9.00", "vat_20": "0.00",
                       "school": "0.00"}}
PROUVE = {"number": "21", "name": "COLLEGE VICTOR PROUVE", "email": "cdi@victorprouve.org",
          "phone": "03 88 69 69 69", "active": True, "lang_law_warning": True,
          "addresses": [{"label": "CDI", "line1": "2 rue des Jonquilles", "line2": "",
                         "postal_code": "54000", "city": "NANCY"},
                        {"label": "Intendance", "line1": "2 rue des Jonquilles",
                         "line2": "Bâtiment A", "postal_code": "54000", "city": "NANCY"}],
          "discounts": {"vat_2_1": "5.00", "vat_5_5": "12.00", "vat_20": "10.00",
                        "school": "15.00"}}
CLIENTS = {"16": FERRY, "21": PROUVE}


def account(id_, email, role, *clients):
    return {"id": id_, "email": email, "role": role, "active": True,
            "clients": [{"number": c["number"], "name": c["name"]} for c in clients]}


USER = account(1, "biblio@ecole-jules-ferry.test", "utilisateur", FERRY)
USER2 = account(4, "cdi@ecole-jules-ferry.test", "utilisateur", FERRY)
APPROVER = account(2, "chef@ecole-jules-ferry.test", "approbateur", FERRY)
COLLECTIVITY = account(3, "achats@ecole-jules-ferry.test", "collectivite", FERRY)
OTHER = account(9, "achats@college-victor-prouve.test", "collectivite", PROUVE)
BOTH = account(7, "mairie@nancy.test", "collectivite", FERRY, PROUVE)
ADMIN = {"id": 100, "email": "admin@librairie.test", "role": "admin", "active": True,
         "clients": []}

CEMETERY = {"ean": "9782330150136", "title": "CEMETERY ROAD", "author": "ILES GREG",
            "publisher": "ACTES SUD", "price_ttc": "25.00", "vat_rate": "5.5",
            "school_book": False, "availability": "disponible"}
WESTERN = {"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "author": "LE GUEN/XENARD",
           "publisher": "ORSO", "price_ttc": "14.90", "vat_rate": "5.5", "school_book": False,
           "availability": "disponible"}
PRESS = {"ean": "9770000000017", "title": "J'AIME LIRE N° 542", "author": None,
         "publisher": "BAYARD PRESSE", "price_ttc": "5.90", "vat_rate": "2.1",
         "school_book": False, "availability": "disponible"}
NOTEBOOK = {"ean": "3760000000019", "title": "CARNET DE NOTES LIGNÉ A5", "author": None,
            "publisher": "CLAIREFONTAINE", "price_ttc": "3.50", "vat_rate": "20",
            "school_book": False, "availability": "disponible"}
SCHOOL = {"ean": "9782000000012", "title": "MATHÉMATIQUES 6E - MANUEL", "author": None,
          "publisher": "HATIER", "price_ttc": "19.50", "vat_rate": "5.5", "school_book": True,
          "availability": "disponible"}
ARTICLES = {a["ean"]: a for a in (CEMETERY, WESTERN, PRESS, NOTEBOOK, SCHOOL)}


db = database_fixture("baskets", Base)


@pytest.fixture
def events():
    return Events()


def tx(db, fn, *args, **kwargs):
    with db.transaction() as session:
        return fn(session, *args, **kwargs)
