"""The « Finances » page (issue 9, reference 002 §3): payouts due and paid, their transactions,
fees and net, totals that add up, the CSV, marking a payout paid; ADMIN only."""
from services.common.errors import conflict
from tests.unit.gateway.conftest import sign_in


def line(kind, amount, fee, net, ref="154"):
    return {"kind": kind, "payment_id": f"pay_{ref}", "reference_kind": "sub_order",
            "reference_id": ref, "amount": amount, "fee": fee, "net": net,
            "occurred_at": "2027-01-15T08:00:00+00:00"}


OPEN = {"payout_id": "po_a", "due_on": "2027-01-29", "status": "open", "status_label": "À verser",
        "paid_at": None, "transactions": 2, "gross": "39.90", "fees": "1.66",
        "refunds": "14.90", "net": "23.34",
        "lines": [line("payment", "14.90", "0.68", "14.22"),
                  line("payment", "25.00", "0.98", "24.02", "155"),
                  line("refund", "14.90", "0.00", "-14.90")]}
PAID = {"payout_id": "po_b", "due_on": "2027-01-12", "status": "paid", "status_label": "Versé",
        "paid_at": "2027-01-12T10:00:00+00:00", "transactions": 1, "gross": "100.00",
        "fees": "3.15", "refunds": "0.00", "net": "96.85",
        "lines": [line("payment", "100.00", "3.15", "96.85", "160")]}


def test_the_page_lists_payouts_with_their_lines_and_totals(client, rpc):
    rpc.answers[("payments", "list_payouts")] = [OPEN, PAID]
    sign_in(client, "admin")
    page = client.get("/admin/finances")
    assert page.status_code == 200
    text = page.text
    assert "Reversement du 29 janvier 2027 — À verser" in text
    assert "Reversement du 12 janvier 2027 — Versé" in text
    # its payments and its refunds counted apart (« 1 transaction(s) » over 2 lines)
    assert "2 paiements et 1 remboursement" in text and "1 paiement ·" in text
    for figure in ("23,34", "96,85", "1,66", "−14,90", "0,68", "24,02"):
        assert figure.replace("−", "-") in text.replace("\u2212", "-"), figure
    assert 'data-label="Net"' in text and "Télécharger les reversements (CSV)" in text
    assert text.count("Marquer comme versé") == 1  # only the open payout
    assert 'href="/admin/finances"' in text  # in the admin menu
    assert rpc.called("payments", "list_payouts") == [(1, None)]
    client.get("/admin/finances?statut=paid")
    client.get("/admin/finances?statut=nimporte")
    assert rpc.called("payments", "list_payouts")[1:] == [(1, "paid"), (1, None)]


def test_the_csv_is_downloaded(client, rpc):
    rpc.answers[("payments", "export_payouts_csv")] = "reversement;net\r\npo_a;23.34\r\n"
    sign_in(client, "admin")
    r = client.get("/admin/finances/reversements.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "reversements.csv" in r.headers["Content-Disposition"]
    assert r.data.decode("utf-8-sig") == "reversement;net\r\npo_a;23.34\r\n"


def test_marking_paid_asks_first_then_is_done_once(client, rpc):
    rpc.answers[("payments", "get_payout")] = OPEN
    rpc.answers[("payments", "mark_payout_paid")] = dict(OPEN, status="paid")
    sign_in(client, "admin")
    ask = client.post("/admin/finances/po_a/verse", data={})
    assert ask.status_code == 200 and "23,34" in ask.text and "Marquer comme versé" in ask.text
    assert rpc.called("payments", "mark_payout_paid") == []
    done = client.post("/admin/finances/po_a/verse",
                       data={"confirmed": "1", "idempotency_key": "tok"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/admin/finances")
    ((payout_id, key),) = rpc.called("payments", "mark_payout_paid")
    assert payout_id == "po_a" and key.startswith("tok-")
    rpc.answers[("payments", "mark_payout_paid")] = conflict("Ce reversement est déjà marqué "
                                                             "comme versé.")
    again = client.post("/admin/finances/po_a/verse",
                        data={"confirmed": "1", "idempotency_key": "tok"})
    assert again.status_code == 302
    with client.session_transaction() as session:
        assert ("error", "Ce reversement est déjà marqué comme versé.") in session["_flashes"]


def test_only_the_admin_sees_finances(client, rpc):
    sign_in(client, "utilisateur")
    assert client.get("/admin/finances").status_code == 403
    assert client.get("/admin/finances/reversements.csv").status_code == 403
    assert rpc.called("payments", "list_payouts") == []
