"""Lines and totals frozen from order_document: checked, totals per rate from the lines."""
from decimal import Decimal

import pytest

from services.common.errors import DomainError
from services.invoicing.domain import amounts, credit_notes

from .conftest import document, line


def test_totals_from_lines_per_rate():
    lines = amounts.lines_from_document(document())
    total = amounts.totals(lines)
    assert [v["rate"] for v in total["vat"]] == [Decimal("5.5"), Decimal("20")]
    assert total["total_ht"] == sum(ln["total_ht"] for ln in lines)
    assert total["vat_total"] == sum(v["amount"] for v in total["vat"])
    assert total["total_ht"] + total["vat_total"] == total["total_ttc"] == Decimal("43.80")
    five = total["vat"][0]
    assert five["base_ht"] == Decimal("14.98") + Decimal("24.17")
    assert five["amount"] == Decimal("0.82") + Decimal("1.33")


@pytest.mark.parametrize("change", [
    {"total_ttc": "15.81"},  # HT + TVA != TTC
    {"vat_rate": "7"},  # unknown rate
    {"quantity": 0},
    {"unit_price_ttc": "7.91", "unit_price_ht": "7.50"},  # unit × quantity != line
    {"total_ht": "abc"},
])
def test_a_line_that_does_not_add_up_is_refused(change):
    doc = document()
    doc["lines"] = [dict(line(), **change)]
    with pytest.raises(DomainError) as err:
        amounts.lines_from_document(doc)
    assert err.value.code == "conflict"


def test_document_totals_must_match_the_lines():
    doc = document()
    doc["totals"]["total_ttc"] = "43.81"
    with pytest.raises(DomainError):
        amounts.lines_from_document(doc)
    with pytest.raises(DomainError):
        amounts.lines_from_document(document(lines=[]))


def test_credit_notes_partial_then_rest_come_back_to_zero():
    lines = [dict(ln, position=i) for i, ln in
             enumerate(amounts.lines_from_document(document()), start=1)]
    left = credit_notes.remaining(lines, [])
    first = credit_notes.credit_lines(left, {2: 1})
    assert first[0]["quantity"] == 1 and first[0]["total_ttc"] == Decimal("8.50")
    assert first[0]["total_ht"] + first[0]["vat_amount"] == Decimal("8.50")
    assert not credit_notes.cancels_invoice(left, first)
    left = credit_notes.remaining(lines, first)
    rest = credit_notes.credit_lines(left, None)
    assert credit_notes.cancels_invoice(left, rest)
    for field in ("total_ht", "vat_amount", "total_ttc"):
        assert sum(c[field] for c in first + rest) == sum(ln[field] for ln in lines)
    with pytest.raises(DomainError):
        credit_notes.credit_lines(credit_notes.remaining(lines, first + rest), None)


@pytest.mark.parametrize("quantities", [{9: 1}, {1: 3}, {1: -1}, {1: 0}])
def test_credit_note_quantities_checked(quantities):
    lines = [dict(ln, position=i) for i, ln in
             enumerate(amounts.lines_from_document(document()), start=1)]
    with pytest.raises(DomainError) as err:
        credit_notes.credit_lines(credit_notes.remaining(lines, []), quantities)
    assert err.value.code == "invalid"
