"""The register found by words (accents and case ignored) and by period of issue (Paris days):
the Finances page listed the 500 newest documents only, an older one was nowhere to be found
there, and its CSV was every document ever (an accountant asks for a month)."""
from datetime import datetime, timezone

import pytest

from services.common.errors import DomainError
from services.invoicing import use_cases
from services.invoicing.domain import register

from .conftest import document

MARCH = datetime(2027, 3, 1, 8, 49, tzinfo=timezone.utc)
END_OF_MARCH_UTC = datetime(2027, 3, 31, 22, 30, tzinfo=timezone.utc)  # 1 April in Paris
BUYER = {"name": "Élodie Moënne", "email": "elodie@free.fr", "address_lines": [],
         "client_number": "", "siret": "", "chorus_service_code": "", "public_buyer": False}


@pytest.fixture
def issued(db, record):
    with db.transaction() as s:
        school = use_cases.issue_invoice(s, "collectivity_order", 12, document(), "a", MARCH,
                                         record)
        parent = use_cases.issue_invoice(
            s, "sub_order", 154, document(kind="sub_order", number=154, paid=True,
                                          customer=BUYER), "a", END_OF_MARCH_UTC, record)
    with db.transaction() as s:
        note = use_cases.issue_credit_note(s, school["number"], {"3": "1"}, "Manquant", "a",
                                           END_OF_MARCH_UTC, record)
    return school, parent, note


def numbers(db, **filters):
    with db.transaction() as s:
        return [i["number"] for i in use_cases.list_invoices(s, 500, None, None,
                                                             filters)["items"]]


def test_words_find_the_customer_accents_and_case_ignored(db, issued):
    school, parent, note = issued
    assert numbers(db, recherche="ecole FERRY") == [note["number"], school["number"]]
    assert numbers(db, recherche="elodie moenne") == [parent["number"]]
    assert numbers(db, recherche="Moënne") == [parent["number"]]
    assert numbers(db, recherche=parent["number"]) == [parent["number"]]
    assert numbers(db, recherche="BC-2027-004") == [note["number"], parent["number"],
                                                     school["number"]]  # the reference
    assert numbers(db, recherche="commande n° 12") == [note["number"], school["number"]]
    assert numbers(db, recherche="ferry moenne") == []
    assert numbers(db, recherche="%") == numbers(db, recherche="_") == []


def test_a_period_of_issue_in_paris_days_and_its_totals(db, issued):
    school, parent, note = issued
    assert numbers(db, du="2027-03-01", au="2027-03-31") == [school["number"]]
    assert numbers(db, du="2027-04-01") == [note["number"], parent["number"]]
    with db.transaction() as s:
        april = use_cases.list_invoices(s, 1, None, None, {"du": "2027-04-01",
                                                           "au": "2027-04-30"})
    # the totals are every filtered document's, not the page's; the page says more were left
    assert april["totals"]["invoice"] == {"count": 1, "total_ht": parent["total_ht"],
                                          "vat_total": parent["vat_total"],
                                          "total_ttc": parent["total_ttc"]}
    assert april["totals"]["credit_note"]["total_ttc"] == note["total_ttc"]
    assert april["more"] is True and len(april["items"]) == 1
    assert april["filters"] == {"recherche": "", "du": "2027-04-01", "au": "2027-04-30"}
    with db.transaction() as s:
        csv_text = use_cases.export_csv(s, {"du": "2027-03-01", "au": "2027-03-31"})
    rows = csv_text.strip().split("\r\n")
    assert len(rows) == 2 and rows[1].startswith(school["number"])


@pytest.mark.parametrize("filters, field", [
    ({"du": "2027-02-30"}, "du"), ({"au": "demain"}, "au"), ({"du": "1999-12-31"}, "du"),
    ({"du": '2027-03-01"; x'}, "du"), ({"du": "20270301"}, "du"),
    ({"du": "2027-03-02", "au": "2027-03-01"}, "au"),
    ({"recherche": "un deux trois quatre cinq six sept huit neuf"}, "recherche")])
def test_bad_filters_are_refused_in_french(db, filters, field):
    with pytest.raises(DomainError) as err:
        with db.transaction() as s:
            use_cases.list_invoices(s, 500, None, None, filters)
    assert err.value.code == "invalid" and field in err.value.details


def test_the_search_key_folds_what_was_frozen():
    assert register.search_key({"number": "2027-03-000000001", "customer_name": "École MOËNNE",
                                "order_number": "12"}) == "2027-03-000000001 ecole moenne 12"

