from decimal import Decimal

import pytest

from services.librisoft_bridge import presenters
from services.librisoft_bridge.domain import clients


def test_good_client(client_row):
    values, errors = clients.clean_client(client_row)
    assert errors == {}
    assert values["discount_5_5"] == Decimal("9.00")
    assert values["lang_law_warning"] is False
    assert values["addresses"][0]["city"] == "NANCY"


def test_defaults_of_optional_fields():
    values, errors = clients.clean_client({"number": "16", "name": "ECOLE", "collectivity": "oui"})
    assert errors == {}
    assert [values[name] for name in ("phone", "email", "gencod", "addresses")] == ["", "", "", []]
    assert values["discount_school"] == Decimal("0.00")


def test_lang_law_warning_above_nine_percent_on_books(client_row):
    client_row["discount_5_5"] = "9,01"
    assert clients.clean_client(client_row)[0]["lang_law_warning"] is True
    client_row.update(discount_5_5="9", discount_20="30")
    assert clients.clean_client(client_row)[0]["lang_law_warning"] is False


@pytest.mark.parametrize("field, value", [
    ("email", "pas-une-adresse"), ("gencod", "3056021010007"), ("gencod", "305602101000"),
    ("discount_5_5", "101"), ("discount_20", "-1"), ("discount_school", "beaucoup"),
    ("name", "N" * 201), ("addresses", "12 rue de Vic"), ("collectivity", "peut-être"),
])
def test_bad_client_fields(client_row, field, value):
    client_row[field] = value
    assert field in clients.clean_client(client_row)[1]


@pytest.mark.parametrize("field", ["number", "name", "collectivity"])
def test_required_client_fields(client_row, field):
    del client_row[field]
    assert clients.clean_client(client_row)[1] == {field: ["champ obligatoire."]}


def test_valid_gencod(client_row):
    client_row["gencod"] = "3056021010006"
    assert clients.clean_client(client_row)[0]["gencod"] == "3056021010006"


def test_bad_address_is_explained(client_row):
    client_row["addresses"] = [{"line1": "12 rue de Vic", "postal_code": "5" * 11}, "x"]
    message = clients.clean_client(client_row)[1]["addresses"][0]
    assert "adresse 1, postal_code : 10 caractères au plus" in message
    assert "adresse 2 : objet attendu" in message


def test_one_address_as_flat_columns_as_in_csv():
    values, errors = clients.clean_client({
        "number": "16", "name": "ECOLE JULES FERRY", "collectivity": "oui",
        "address_line1": "12 rue de Vic", "address_line2": "", "postal_code": "54000",
        "city": "NANCY"})
    assert errors == {}
    assert values["addresses"] == [{"label": "", "line1": "12 rue de Vic", "line2": "",
                                    "postal_code": "54000", "city": "NANCY"}]
    values, _ = clients.clean_client({"number": "16", "name": "X", "collectivity": "oui",
                                     "address_line1": "", "city": " "})
    assert values["addresses"] == []


def test_a_client_without_the_flag_needs_only_its_number():
    values, errors = clients.clean_client({"number": "4711", "collectivity": "non",
                                          "email": "invalide"})
    assert (values, errors) == ({"number": "4711", "collectivity": False}, {})


def incoming(**changes):
    values, errors = clients.clean_client({"number": "16", "name": "ECOLE JULES FERRY",
                                          "collectivity": True, **changes})
    assert errors == {}
    return values


def test_client_state_transitions():
    outcome, created = clients.next_client_state(None, incoming())
    assert (outcome, created["revision"], created["active"]) == ("created", 1, True)
    assert clients.next_client_state(created, incoming()) == ("unchanged", None)
    outcome, updated = clients.next_client_state(created, incoming(phone="03 83 00 00 00"))
    assert (outcome, updated["revision"]) == ("updated", 2)
    outcome, inactive = clients.next_client_state(updated, incoming(collectivity=False))
    assert (outcome, inactive["revision"], inactive["active"]) == ("deactivated", 3, False)
    assert inactive["phone"] == "03 83 00 00 00"  # deactivated, not wiped
    assert clients.next_client_state(inactive, incoming(collectivity=False)) == ("unchanged", None)
    outcome, back = clients.next_client_state(inactive, incoming(phone="03 83 00 00 00"))
    assert (outcome, back["revision"], back["active"]) == ("updated", 4, True)
    assert clients.next_client_state(None, incoming(collectivity=False)) == ("skipped", None)


def test_client_snapshot_follows_the_event_contract():
    from services.common.contracts.payloads import CollectivityClientUpdatedV1

    _, state = clients.next_client_state(None, incoming(discount_5_5="12"))
    snapshot = presenters.client_snapshot(state)
    body = CollectivityClientUpdatedV1().dump(snapshot)
    assert CollectivityClientUpdatedV1().validate(body) == {}
    assert body["discounts"] == {"vat_2_1": "0.00", "vat_5_5": "12.00", "vat_20": "0.00",
                                 "school": "0.00"}
    assert body["lang_law_warning"] is True


def test_client_blocked_in_librisoft_is_kept_and_its_change_is_a_new_revision(client_row):
    """« Client bloqué » (Complément tab): false unless sent; oui/non as every flag; blocking
    and unblocking are changes published with a new revision."""
    values, errors = clients.clean_client(client_row)
    assert errors == {} and values["blocked"] is False
    _, state = clients.next_client_state(None, values)
    blocked, _ = clients.clean_client(dict(client_row, blocked="oui"))
    outcome, after = clients.next_client_state(state, blocked)
    assert (outcome, after["blocked"], after["revision"]) == ("updated", True, 2)
    assert presenters.client_snapshot(after)["blocked"] is True
    assert "blocked" in clients.clean_client(dict(client_row, blocked="parfois"))[1]


@pytest.mark.parametrize("field, value, words", [
    ("price_ttc", "1e3", "nombre attendu"),       # a typo read as a 1,000 € book
    ("price_ttc", "١٢", "nombre attendu"),        # Arabic-Indic digits read as 12
    ("weight_g", "1e3", "nombre entier attendu"),
    ("title", "T24\ud800", "Unicode incomplet"),   # valid JSON: the whole feed was a 500
])
def test_an_article_row_with_a_number_not_written_in_digits_or_a_broken_text_is_rejected(
        article, field, value, words):
    from services.librisoft_bridge.domain import articles
    values, errors = articles.clean_article(dict(article, **{field: value}))
    assert field in errors and words in errors[field][0], errors
    good, none = articles.clean_article(dict(article, price_ttc="14,90", weight_g="194"))
    assert none == {} and str(good["price_ttc"]) == "14.90" and good["weight_g"] == 194
