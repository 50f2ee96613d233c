import pytest

from services.common.errors import DomainError
from services.librisoft_bridge.demo import demo_articles, demo_clients
from services.librisoft_bridge.schemas import ArticleOut, ClientOut, SearchResultOut
from services.librisoft_bridge.use_cases import imports, queries
from tests.unit.librisoft_bridge.conftest import run


def article(ean, title, **more):
    return {"ean": ean, "title": title, "price_ttc": "10,00", "vat_rate": "5.5", **more}


@pytest.fixture
def shelf(db):
    run(db, imports.import_articles, [
        article("9782362210419", "LE CAFÉ DES ÉTOILES", author="LEFÈVRE ZOÉ"),
        article("9791097284657", "Les cafés de Nancy", publisher="ÉDITIONS DU CANAL"),
        article("9782330150136", "CEMETERY ROAD", author="ILES GREG", publisher="ACTES SUD"),
    ])
    return db


def titles(result):
    return [item["title"] for item in result["items"]]


def test_search_is_accent_and_case_insensitive(shelf):
    assert titles(run(shelf, queries.search_articles, "cafe")) == ["LE CAFÉ DES ÉTOILES",
                                                               "Les cafés de Nancy"]
    assert titles(run(shelf, queries.search_articles, "CAFÉ étoiles")) == ["LE CAFÉ DES ÉTOILES"]
    assert titles(run(shelf, queries.search_articles, "lefevre")) == ["LE CAFÉ DES ÉTOILES"]
    assert titles(run(shelf, queries.search_articles, "editions canal")) == ["Les cafés de Nancy"]


def test_every_word_must_match(shelf):
    assert run(shelf, queries.search_articles, "cafe road")["total"] == 0


def test_search_by_ean(shelf):
    for query in ("9782330150136", "978-2-330-15013-6", " 978 2330150136 "):
        assert titles(run(shelf, queries.search_articles, query)) == ["CEMETERY ROAD"]


def test_empty_query_lists_everything_by_title(shelf):
    result = run(shelf, queries.search_articles, "")
    assert result["total"] == 3
    assert titles(result)[0] == "CEMETERY ROAD"


def test_punctuation_and_like_wildcards_are_ignored(shelf):
    assert run(shelf, queries.search_articles, "%")["total"] == 3  # no word: no filter
    assert titles(run(shelf, queries.search_articles, "caf_ %ROAD")) == []
    assert run(shelf, queries.search_articles, "caf%")["total"] == 2


def test_pagination(db):
    run(db, imports.import_articles, demo_articles(45))
    first = run(db, queries.search_articles, "", page=1, per_page=20)
    last = run(db, queries.search_articles, "", page=3, per_page=20)
    assert (first["total"], len(first["items"]), len(last["items"])) == (45, 20, 5)
    assert titles(first) == sorted(titles(first))
    assert run(db, queries.search_articles, "", per_page=500)["per_page"] == 100
    assert run(db, queries.search_articles, "", page=9)["items"] == []
    with pytest.raises(DomainError):
        run(db, queries.search_articles, "", page=0)


def test_search_result_dump_is_json_safe(shelf):
    dumped = SearchResultOut().dump(run(shelf, queries.search_articles, "cemetery"))
    item = dumped["items"][0]
    assert item["price_ttc"] == "10.00" and item["vat_rate"] == "5.5"
    assert item["price_ht"] == "9.48"
    assert item["publication_date"] is None
    assert isinstance(item["updated_at"], str)


def test_get_article(shelf):
    dumped = ArticleOut().dump(run(shelf, queries.get_article, "978-2-330-15013-6"))
    assert dumped["title"] == "CEMETERY ROAD"
    with pytest.raises(DomainError) as raised:  # a real EAN the catalogue does not have
        run(shelf, queries.get_article, "9782330150129")
    assert raised.value.code == "not_found"
    # not an EAN at all (letters, 12 digits, a wrong check digit): bad input, a 400 said so
    for ean in ("nope", "978233015012", "9782330150128"):
        with pytest.raises(DomainError) as raised:
            run(shelf, queries.get_article, ean)
        assert raised.value.code == "invalid" and "EAN invalide" in raised.value.message, ean
    for ean in ("", "  ", None):  # a basket line's empty field: « Article introuvable : EAN « ».
        with pytest.raises(DomainError) as raised:
            run(shelf, queries.get_article, ean)
        assert raised.value.code == "invalid"
        assert raised.value.message == "Indiquez le code EAN de l'article (13 chiffres)."


def test_list_and_get_clients(db):
    run(db, imports.import_clients, demo_clients(), lambda session, payload: None)
    run(db, imports.import_clients, [{"number": "16", "collectivity": False}],
                            lambda session, payload: None)
    everyone = ClientOut(many=True).dump(run(db, queries.list_clients))
    assert [c["name"] for c in everyone] == ["COLLEGE VICTOR PROUVE", "ECOLE JULES FERRY",
                                            "MEDIATHEQUE DE L'ORANGERIE"]
    assert [c["number"] for c in run(db, queries.list_clients, include_inactive=False)] == [
        "21", "8010000696914"]
    college = ClientOut().dump(run(db, queries.get_client, "21"))
    assert college["discounts"] == {"vat_2_1": "0.00", "vat_5_5": "9.00", "vat_20": "5.00",
                                    "school": "15.00"}
    assert (college["revision"], college["active"], len(college["addresses"])) == (1, True, 2)
    with pytest.raises(DomainError) as raised:
        run(db, queries.get_client, "4711")
    assert raised.value.code == "not_found"
