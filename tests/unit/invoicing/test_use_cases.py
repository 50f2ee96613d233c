"""Issuing invoices and credit notes on a real (SQLite) database: the snapshot, the number, the
event, one invoice per order, credit notes in the same series."""
import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest

from services.common.contracts.events import contract
from services.common.errors import DomainError
from services.invoicing import use_cases

from .conftest import NOW, document


def issue(db, record, doc=None, now=NOW, kind="collectivity_order", number=12):
    doc = doc or document(kind=kind, number=number)
    with db.transaction() as s:
        return use_cases.issue_invoice(s, kind, number, doc, "admin-1", now, record)


def test_invoice_snapshot_number_and_event(db, record):
    inv = issue(db, record)
    assert inv["number"] == "2027-03-000000001" and inv["kind"] == "invoice"
    assert inv["total_ttc"] == "43.80"
    assert Decimal(inv["total_ht"]) + Decimal(inv["vat_total"]) == Decimal("43.80")
    assert inv["sale_date"] == "2027-02-28" and inv["due_on"] == "2027-03-31"
    assert not inv["paid"] and len(inv["lines"]) == 3
    (event_type, payload), = record
    assert event_type == "invoice_issued"
    assert not contract("invoice_issued").schema().validate(
        contract("invoice_issued").schema().dump(payload))
    assert payload["order"] == {"kind": "collectivity_order", "number": 12}


@pytest.mark.parametrize("placed_at,sale_date", [
    ("2026-12-07T23:13:00", "2026-12-08"),          # without its zone: UTC, 00:13 in Paris
    ("2026-12-07T23:13:00+00:00", "2026-12-08"),
    ("2026-12-08T00:13:00+01:00", "2026-12-08"),
    ("2026-07-01T21:59:00", "2026-07-01"),          # summer time: 23:59 in Paris
    ("2026-07-01T22:00:00", "2026-07-02")])
def test_the_date_of_sale_is_the_day_in_paris(db, record, placed_at, sale_date):
    """A parent's sub-order placed at 00:13 in Paris on 8 December (its time sent without a
    zone, as SQLite keeps it) was invoiced « Date de la vente 07/12/2026 »."""
    doc = document(kind="sub_order", number=4, paid=True)
    doc["placed_at"] = placed_at
    assert issue(db, record, doc=doc, kind="sub_order", number=4)["sale_date"] == sale_date


def test_same_order_twice_gives_one_invoice(db, record):
    first = issue(db, record)
    second = issue(db, record, now=NOW + timedelta(seconds=1))
    assert first["number"] == second["number"] and len(record) == 1


def test_sequence_runs_on_over_months(db, record):
    a = issue(db, record, number=1)
    b = issue(db, record, number=2, now=NOW + timedelta(days=31))
    assert (a["number"], b["number"]) == ("2027-03-000000001", "2027-04-000000002")


def test_cancelled_or_foreign_document_refused(db, record):
    with pytest.raises(DomainError) as err:
        issue(db, record, doc=document(status="cancelled"))
    assert err.value.code == "conflict"
    with pytest.raises(DomainError):
        issue(db, record, doc=document(number=13))
    with pytest.raises(DomainError) as err:
        with db.transaction() as s:
            use_cases.issue_invoice(s, "nope", 1, {}, "a", NOW, record)
    assert err.value.code == "invalid"
    with pytest.raises(DomainError) as err:  # invoiced per sub-order; a quote is no sale
        issue(db, record, doc=document(kind="grouped_order", number=62), kind="grouped_order",
              number=62)
    assert err.value.code == "conflict" and "par sous-commande" in err.value.message
    assert record == []


def test_a_sub_order_is_invoiced_only_once_paid(db, record):
    """A forged « Générer une facture » (confirmed=1) for an unpaid sub-order issued its
    invoice, which then locked it: refused with a French 409, nothing issued, no number taken;
    one to be paid at pickup is told it is invoiced once paid on distribution day. A
    collectivity order is still invoiced before it is paid (on account)."""
    unpaid = document(kind="sub_order", number=157, status="En attente de paiement",
                      payment={"method": "online", "state_label": "En attente du paiement",
                               "cheque_number": None})
    with pytest.raises(DomainError) as err:
        issue(db, record, doc=unpaid, kind="sub_order", number=157)
    assert err.value.code == "conflict" and "pas encore payée" in err.value.message
    at_pickup = dict(unpaid, payment={"method": "pickup", "state_label": "En attente du "
                                      "paiement", "cheque_number": None})
    with pytest.raises(DomainError) as err:
        issue(db, record, doc=at_pickup, kind="sub_order", number=157)
    assert "pas encore payée" in err.value.message and "distribution" in err.value.message
    assert record == []
    with db.transaction() as s:
        assert use_cases.order_invoices(s, "sub_order", 157) == []
    paid_at_pickup = dict(unpaid, status="Payée", payment={
        "method": "cash", "state_label": "Paiement confirmé", "cheque_number": None})
    inv = issue(db, record, doc=paid_at_pickup, kind="sub_order", number=157)
    assert inv["number"] == "2027-03-000000001" and inv["paid"]  # no number was lost
    assert not issue(db, record, number=12)["paid"]  # a collectivity order: on account


def test_credit_notes_share_the_series_and_unlock(db, record):
    inv = issue(db, record)
    with db.transaction() as s:
        partial = use_cases.issue_credit_note(s, inv["number"], {"2": "1"}, "Un livre abîmé",
                                              "admin-1", NOW + timedelta(minutes=1), record)
    assert partial["number"] == "2027-03-000000002" and partial["kind"] == "credit_note"
    assert partial["total_ttc"] == "8.50" and partial["invoice_number"] == inv["number"]
    assert record[-1][1]["cancels_invoice"] is False
    # the copies it takes back, for the order's owner (no longer ordered nor handed over)
    (taken,) = record[-1][1]["lines"]
    assert (taken["quantity"], taken["total_ttc"]) == (1, "8.50") and taken["ean"]
    assert not contract("invoice_issued").schema().validate(
        contract("invoice_issued").schema().dump(record[-1][1]))
    with db.transaction() as s:
        rest = use_cases.issue_credit_note(s, inv["number"], None, "Commande annulée",
                                           "admin-1", NOW + timedelta(minutes=2), record)
    assert Decimal(rest["total_ttc"]) + Decimal("8.50") == Decimal("43.80")
    assert record[-1][1]["cancels_invoice"] is True and record[-1][1]["kind"] == "credit_note"
    with pytest.raises(DomainError) as err, db.transaction() as s:
        use_cases.issue_credit_note(s, inv["number"], None, "encore", "a", NOW, record)
    assert err.value.code == "conflict"
    with db.transaction() as s:
        view = use_cases.get_invoice(s, inv["number"])
    assert view["cancelled"] and [c["number"] for c in view["credit_notes"]] == [
        "2027-03-000000002", "2027-03-000000003"]
    # cancelled in full: the order may be invoiced again, with the next number
    again = issue(db, record, now=NOW + timedelta(minutes=3))
    assert again["number"] == "2027-03-000000004"


def test_credit_note_needs_a_reason_and_an_invoice(db, record):
    inv = issue(db, record)
    with pytest.raises(DomainError) as err, db.transaction() as s:
        use_cases.issue_credit_note(s, inv["number"], None, " ", "a", NOW, record)
    assert err.value.code == "invalid"
    with pytest.raises(DomainError) as err, db.transaction() as s:
        use_cases.issue_credit_note(s, "2027-03-000000099", None, "x", "a", NOW, record)
    assert err.value.code == "not_found"
    with pytest.raises(DomainError) as err, db.transaction() as s:
        use_cases.issue_credit_note(s, inv["number"], {"1": "deux"}, "x", "a", NOW, record)
    assert err.value.code == "invalid"


def test_finances_list_totals_and_csv(db, record):
    inv = issue(db, record)
    issue(db, record, number=13)
    with db.transaction() as s:
        use_cases.issue_credit_note(s, inv["number"], {"3": "1"}, "Marque-page manquant", "a",
                                    NOW, record)
    with db.transaction() as s:
        listing = use_cases.list_invoices(s)
        text = use_cases.export_csv(s)
        mine = use_cases.order_invoices(s, "collectivity_order", "12")
    assert [i["number"][-1] for i in listing["items"]] == ["3", "2", "1"]
    assert listing["totals"]["invoice"]["total_ttc"] == "87.60"
    assert listing["totals"]["credit_note"]["total_ttc"] == "2.50"
    assert listing["totals"]["net"]["total_ttc"] == "85.10"
    rows = text.strip().split("\r\n")
    assert rows[0].startswith("Numéro;Type;Date d'émission") and len(rows) == 4
    assert rows[3].split(";")[1] == "Avoir" and rows[3].split(";")[11] == "-2,50"
    # « Acquittée », « Échéance »: an invoice's; a credit note is neither paid nor due
    assert rows[3].split(";")[12:14] == ["", ""]
    assert rows[1].split(";")[12:14] == ["non", "2027-03-31"]
    assert [m["kind"] for m in mine] == ["invoice", "credit_note"]
    # each rate's base and VAT apart, for the accountant: they add up to the totals, to the
    # cent (the invoice: books at 5.5 %, the bookmark at 20 %; its credit note: 20 % only)
    head = rows[0].split(";")
    assert head[15:] == ["HT 2,1 %", "TVA 2,1 %", "HT 5,5 %", "TVA 5,5 %", "HT 20 %",
                         "TVA 20 %"]
    for row in rows[1:]:
        cells = row.split(";")
        by_rate = [Decimal(c.replace(",", ".")) for c in cells[15:] if c]
        assert sum(by_rate[0::2]) == Decimal(cells[9].replace(",", "."))   # HT
        assert sum(by_rate[1::2]) == Decimal(cells[10].replace(",", "."))  # TVA
    assert rows[3].split(";")[15:19] == ["", "", "", ""]  # the credit note: 20 % only


def test_invoices_for_a_page_of_orders(db, record):
    issue(db, record, kind="sub_order", number=154,
          doc=document(kind="sub_order", number=154, paid=True))
    with db.transaction() as s:
        found = use_cases.invoices_for_orders(s, "sub_order", [154, 155, "x"])
    assert list(found) == ["154"] and found["154"][0]["kind_label"] == "Facture"


def test_a_customer_name_typed_as_a_formula_is_exported_as_text(db, record):
    """A parent's name from the public form (« =HYPERLINK(…) ») reached the Finances CSV as a
    formula; the amounts (a credit note's « -2,50 ») stay numbers."""
    doc = document(kind="sub_order", number=156, paid=True, customer={
        "name": '=HYPERLINK("http://evil.example","x")', "email": "x@example.fr",
        "address_lines": [], "client_number": "", "siret": "", "chorus_service_code": "",
        "public_buyer": False})
    inv = issue(db, record, doc=doc, kind="sub_order", number=156)
    with db.transaction() as s:
        use_cases.issue_credit_note(s, inv["number"], None, "Annulée", "a", NOW, record)
    with db.transaction() as s:
        rows = list(csv.reader(io.StringIO(use_cases.export_csv(s)), delimiter=";"))
    assert rows[1][5] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert rows[2][5].startswith("'=") and rows[2][11].startswith("-")


def test_a_credit_note_on_a_paid_invoice_says_what_to_refund_in_its_event(db, record):
    """The owner refunds what the credit note owes (reference 003 step 2): `to_refund` and the
    reason go with the credit note's event; a credit note on an invoice not paid yet (deducted
    from what it asks) owes nothing back, its event says so."""
    paid = document(kind="sub_order", number=154, paid=True)
    inv = issue(db, record, doc=paid, kind="sub_order", number=154)
    with db.transaction() as s:
        use_cases.issue_credit_note(s, inv["number"], {"1": "1"}, "Livre abîmé", "admin-1",
                                    NOW + timedelta(minutes=1), record)
    event = record[-1][1]
    assert (event["kind"], event["to_refund"], event["reason"]) == (
        "credit_note", "7.90", "Livre abîmé")
    schema = contract("invoice_issued").schema()
    assert schema.load(schema.dump(event))["to_refund"] == Decimal("7.90")
    unpaid = issue(db, record, number=12)
    with db.transaction() as s:
        use_cases.issue_credit_note(s, unpaid["number"], None, "Erreur de prix", "admin-1",
                                    NOW + timedelta(minutes=2), record)
    assert "to_refund" not in record[-1][1]
    assert schema.load(schema.dump(record[-1][1]))["to_refund"] == "0.00"  # older events too


def test_an_invoiced_sub_order_its_owner_cancelled_gets_its_credit_note_at_once(db, record):
    """A sub-order invoiced once paid, then cancelled by its grouped order failing its minimum
    at the deadline (no one could issue the credit note first): its invoice stayed live, the
    books said it was sold. It is credited in full at once; the same event again, or a
    cancellation of an order without a live invoice, does nothing."""
    paid = document(kind="sub_order", number=154, paid=True)
    inv = issue(db, record, doc=paid, kind="sub_order", number=154)
    with db.transaction() as s:
        note = use_cases.credit_cancelled_order(
            s, "sub_order", 154, "minimum de 20 exemplaires non atteint à la date limite",
            NOW + timedelta(days=1), record)
    assert note["kind"] == "credit_note" and note["total_ttc"] == inv["total_ttc"]
    assert note["reason"] == ("Commande annulée (minimum de 20 exemplaires non atteint à la "
                              "date limite) : avoir émis automatiquement.")
    event = record[-1][1]
    assert event["cancels_invoice"] is True and event["to_refund"] == inv["total_ttc"]
    with db.transaction() as s:
        assert use_cases.credit_cancelled_order(s, "sub_order", 154, "x", NOW, record) is None
        assert use_cases.credit_cancelled_order(s, "sub_order", 999, "x", NOW, record) is None
        assert use_cases.get_invoice(s, inv["number"])["cancelled"]
    assert [e[1]["kind"] for e in record] == ["invoice", "credit_note"]


def test_a_collectivity_order_cancelled_as_it_was_invoiced_gets_its_credit_note(db, record):
    """The cancellation went through in the instant between the invoice and its event (its
    owner had not heard of the invoice yet): the invoice is credited at once, as « À
    déduire » (not paid yet)."""
    inv = issue(db, record, number=12)
    with db.transaction() as s:
        note = use_cases.credit_cancelled_order(s, "collectivity_order", 12, "Doublon", NOW,
                                                record)
    assert note["total_ttc"] == inv["total_ttc"] and note["credit"]["mode"] == "deduct"
    assert "to_refund" not in record[-1][1] and record[-1][1]["cancels_invoice"]


def test_a_sub_order_refunded_by_credit_notes_is_not_invoiced_again(db, record):
    """Its invoice credited in full (and its money given back online), a new invoice said
    « Facture acquittée (en ligne) — Déjà réglé 61,20 € » of a payment returned; a credit note
    on it then « refunded » nothing."""
    refunded = document(kind="sub_order", number=160, paid=True)
    refunded["payment"] = dict(refunded["payment"], refunded_by_credit_notes="61.20")
    with pytest.raises(DomainError) as err:
        issue(db, record, doc=refunded, kind="sub_order", number=160)
    assert err.value.code == "conflict"
    assert "déjà été remboursée par avoir (61,20\xa0€)" in err.value.message
    assert record == []


def test_an_invoice_on_account_is_marked_paid_once(db, record):
    """« Marquer réglée »: a collectivity's invoice on account, its transfer come in. Once (a
    second click: 409, nothing changes); never a credit note nor an invoice cancelled by one;
    a credit note issued before stays « à déduire », one after is « à rembourser »."""
    inv = issue(db, record, number=12)
    with db.transaction() as s:
        early = use_cases.issue_credit_note(s, inv["number"], {"3": "1"}, "Marque-page abîmé",
                                            "admin-1", NOW + timedelta(days=1), record)
    assert early["credit"]["mode"] == "deduct"
    with db.transaction() as s:
        paid = use_cases.settle_invoice(s, inv["number"], " virement  du 12/04 ", "admin-1",
                                        NOW + timedelta(days=2), record)
    assert paid["paid"] and paid["settled_note"] == "virement du 12/04"
    # one event for the order desk: what was collected, its early credit note deducted
    assert record[-1] == ("invoice_settled", {
        "number": inv["number"], "order": {"kind": "collectivity_order", "number": 12},
        "amount": paid["remaining_ttc"], "settled_at": paid["settled_at"],
        "note": "virement du 12/04"})
    assert Decimal(paid["remaining_ttc"]) == Decimal(inv["total_ttc"]) - Decimal(
        early["total_ttc"])
    settled_events = len([e for e in record if e[0] == "invoice_settled"])
    assert paid["settled_on"] == "2027-03-03"
    from services.invoicing import presenters
    assert presenters.payment_text(paid) == "Facture acquittée le 03/03/2027 (virement du 12/04)."
    with pytest.raises(DomainError) as err, db.transaction() as s:
        use_cases.settle_invoice(s, inv["number"], "", "admin-1", NOW + timedelta(days=3),
                                 record)
    assert err.value.code == "conflict" and "déjà réglée" in err.value.message
    assert len([e for e in record if e[0] == "invoice_settled"]) == settled_events
    with db.transaction() as s:
        assert use_cases.get_invoice(s, early["number"])["credit"]["mode"] == "deduct"
        late = use_cases.issue_credit_note(s, inv["number"], {"2": "1"}, "Geste commercial",
                                           "admin-1", NOW + timedelta(days=4), record)
    assert late["credit"]["mode"] == "refund"
    with pytest.raises(DomainError) as err, db.transaction() as s:
        use_cases.settle_invoice(s, late["number"], "", "admin-1", NOW, record)
    assert err.value.code == "conflict"
    with pytest.raises(DomainError) as err, db.transaction() as s:
        use_cases.settle_invoice(s, inv["number"], "x" * 201, "admin-1", NOW, record)
    assert err.value.code == "invalid"


def test_an_invoice_whose_document_was_read_before_its_cancellation_is_refused(db, record):
    """The order's document read (not cancelled yet), then its cancellation consumed before the
    invoice's transaction: the invoice committed afterwards stayed live on a cancelled order.
    The cancellation is recorded under the series' lock: the invoice is refused."""
    with db.transaction() as s:
        assert use_cases.credit_cancelled_order(s, "collectivity_order", 12, "Doublon", NOW,
                                                record) is None
    with pytest.raises(DomainError) as err:
        issue(db, record, number=12)  # its document, read before, said « En cours »
    assert err.value.code == "conflict" and "annulée" in err.value.message
    assert record == []
    assert issue(db, record, number=13)["number"] == "2027-03-000000001"  # no number lost


def test_the_register_lists_an_invoice_with_its_credit_notes_and_what_is_still_due(db, record):
    """The register's list said « no credit note » and the whole invoice left to credit after a
    partial credit note (its own page was right): both now agree, and an invoice not paid says
    what is still due once its credit notes are deducted."""
    inv = issue(db, record)
    with db.transaction() as s:
        note = use_cases.issue_credit_note(s, inv["number"], {"2": "1"}, "Un livre abîmé",
                                           "admin-1", NOW + timedelta(minutes=1), record)
    with db.transaction() as s:
        listed = next(i for i in use_cases.list_invoices(s)["items"]
                      if i["number"] == inv["number"])
        page = use_cases.get_invoice(s, inv["number"])
        totals = use_cases.list_invoices(s)["totals"]
    assert [c["number"] for c in listed["credit_notes"]] == [note["number"]]
    assert listed["remaining_ttc"] == page["remaining_ttc"] == "35.30"
    assert listed["credited_ttc"] == page["credited_ttc"] == "8.50"
    assert listed["due_ttc"] == page["due_ttc"] == totals["to_collect"] == "35.30"
