import pytest

from services.common.errors import DomainError
from services.librisoft_bridge.adapters.feeds import FeedRow, numbered, parse


def parse_csv(text, kind="articles", charset=None):
    return parse(text.encode(charset or "utf-8"), "text/csv", charset, kind)


def test_json_object_or_bare_list():
    body = b'{"articles": [{"ean": "9782362210419", "price_ttc": 6.40}, {"ean": "x"}]}'
    rows = parse(body, "application/json", None, "articles")
    assert [row.line for row in rows] == [1, 2]
    assert str(rows[0].data["price_ttc"]) == "6.40"  # a Decimal, never a float
    assert parse(b'[{"number": "16"}]', "application/json", None, "clients")[0].data == {
        "number": "16"}


@pytest.mark.parametrize("body, message", [
    (b'{"articles": [', "JSON illisible"),
    (b"", "JSON illisible"),
    (b'{"clients": []}', "JSON inattendu"),
    (b'"articles"', "JSON inattendu"),
    (b'\xff\xfe{}', "UTF-8 attendu"),
    (b"[" * 100_000, "JSON illisible"),
])
def test_unreadable_json(body, message):
    with pytest.raises(DomainError) as raised:
        parse(body, "application/json", None, "articles")
    assert raised.value.code == "invalid"
    assert message in raised.value.message


def test_json_with_utf8_bom():
    assert len(parse('\ufeff[{"ean": "1"}]'.encode(), "application/json", None, "articles")) == 1


def test_other_content_type_is_refused():
    with pytest.raises(DomainError) as raised:
        parse(b"ean=1", "application/x-www-form-urlencoded", None, "articles")
    assert raised.value.code == "unsupported_media_type"


def test_csv_semicolon_with_decimal_comma_and_line_numbers():
    rows = parse_csv("ean;title;price_ttc;vat_rate\r\n"
                     "9782362210419;LE LIVRE;6,40;5,5\r\n"
                     "\r\n"
                     "9791097284657;\"WESTERN\r\nCOQUILLETTES\";14,90;5.5\r\n"
                     "9782330150136;CEMETERY ROAD;25,00;5.5\r\n")
    assert [row.line for row in rows] == [2, 4, 6]
    assert rows[0].data == {"ean": "9782362210419", "title": "LE LIVRE", "price_ttc": "6,40",
                            "vat_rate": "5,5"}
    assert rows[1].data["title"] == "WESTERN\r\nCOQUILLETTES"


def test_csv_comma_separated_with_quoted_decimal_comma_and_bom():
    rows = parse_csv('\ufeffEAN, Title ,price_ttc\n9782362210419,LE LIVRE,"6,40"\n')
    assert rows == [FeedRow(2, {"ean": "9782362210419", "title": "LE LIVRE", "price_ttc": "6,40"})]


def test_csv_row_with_too_many_cells_is_a_row_error():
    rows = parse_csv("ean,title,price_ttc\n9782362210419,LE LIVRE,6,40\n"
                     "9791097284657,WESTERN,14.90,\n")
    assert "4 cellules pour 3 colonnes" in rows[0].error
    assert rows[1].error is None  # a trailing empty cell is harmless


def test_csv_short_row_leaves_fields_missing():
    assert parse_csv("ean;title;price_ttc\n9782362210419;LE LIVRE\n")[0].data == {
        "ean": "9782362210419", "title": "LE LIVRE"}


@pytest.mark.parametrize("text, message", [
    ("", "CSV vide"),
    ("code;titre\n1;x\n", "colonne(s) ean, title manquante(s)"),
    ("ean;title;ean\n", "colonne(s) en double : ean"),
])
def test_unreadable_csv(text, message):
    with pytest.raises(DomainError) as raised:
        parse_csv(text)
    assert message in raised.value.message


def test_csv_in_declared_charset():
    rows = parse_csv("ean;title\n9782362210419;ÉTÉ\n", charset="windows-1252")
    assert rows[0].data["title"] == "ÉTÉ"
    with pytest.raises(DomainError):
        parse("ean;title\n1;ÉTÉ\n".encode("windows-1252"), "text/csv", None, "articles")


def test_csv_clients_need_the_collectivity_column():
    with pytest.raises(DomainError) as raised:
        parse_csv("number;name\n16;ECOLE\n", kind="clients")
    assert "collectivity" in raised.value.message


def test_numbered_rows():
    assert numbered([{"a": 1}, "x"]) == [FeedRow(1, {"a": 1}), FeedRow(2, "x")]
    with pytest.raises(DomainError):
        numbered({"articles": []})
