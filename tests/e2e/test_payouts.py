"""Issue 9 (reference 002 §3) end to end: two buyers pay their sub-orders in the sandbox, one is
refunded; payments has put both payments in the payout due 10 working days later, minus
2.9 % + 0.25 € each, and the refund reduces it. The admin's Finances page and its CSV show the
same figures, to the cent."""
import csv
import io
from decimal import ROUND_HALF_UP, Decimal

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.support.suite import wait_until

WESTERN = "9791097284657"


def fee(amount):
    return (amount * Decimal("0.029")).quantize(Decimal("0.01"), ROUND_HALF_UP) + Decimal("0.25")


def test_two_payments_and_a_refund_make_one_payout(suite, people, demo_feeds):
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    go, token = grouped.create(teacher, suite, "16", WESTERN)
    subs = [grouped.subscribe(suite, token, "Paye", "Versement", 1),
            grouped.subscribe(suite, token, "Rembourse", "Versement", 2)]
    for sub in subs:
        grouped.pay(suite, token, sub)
    with suite.rpc() as rpc:
        payments = [next(p for p in rpc.payments.list_payments("sub_order", str(s["number"]))
                         if p["state"] == "succeeded") for s in subs]
        ids = [p["payment_id"] for p in payments]
        amounts = [Decimal(p["amount"]) for p in payments]
        refunded = rpc.payments.refund(ids[1], "Annulée à la demande de l'acheteur")
        assert refunded["state"] == "refunded" and refunded["state_label"] == "Annulé"

    def our_payout():
        with suite.rpc() as rpc:
            for payout in rpc.payments.list_payouts(admin.me.get("id"), "open"):
                mine = [line for line in payout["lines"] if line["payment_id"] in ids]
                if len(mine) == 3:
                    return payout, mine
        return None
    payout, mine = wait_until(our_payout, timeout=60, message="the payout of the two payments")

    assert [(line["kind"], line["payment_id"]) for line in mine] == [
        ("payment", ids[0]), ("payment", ids[1]), ("refund", ids[1])]
    assert [Decimal(line["fee"]) for line in mine[:2]] == [fee(a) for a in amounts]
    assert Decimal(mine[2]["amount"]) == amounts[1]
    # the payout's figures add up from its lines (other tests' payments may share the day)
    lines = payout["lines"]
    gross = sum(Decimal(li["amount"]) for li in lines if li["kind"] == "payment")
    fees = sum(Decimal(li["fee"]) for li in lines if li["kind"] == "payment")
    refunds = sum(Decimal(li["amount"]) for li in lines if li["kind"] == "refund")
    assert (Decimal(payout["gross"]), Decimal(payout["fees"]), Decimal(payout["refunds"])) == (
        gross, fees, refunds)
    assert Decimal(payout["net"]) == gross - fees - refunds
    assert sum(Decimal(li["net"]) for li in lines) == Decimal(payout["net"])
    ours = sum(Decimal(li["net"]) for li in mine)
    assert ours == amounts[0] - fee(amounts[0]) - fee(amounts[1])

    # the Finances page and its CSV, as the admin sees them
    page = admin.get(suite.gateway_url + "/admin/finances")
    assert page.status_code == 200 and "Finances" in page.text
    assert payout["payout_id"] in page.text
    r = admin.get(suite.gateway_url + "/admin/finances/reversements.csv")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    in_csv = [row for row in rows if row["paiement"] in ids]

    def fr(amount):  # decimal commas: what a French spreadsheet reads as a number
        return str(amount).replace(".", ",")
    assert [(row["ligne"], row["montant_ttc"], row["frais"], row["rembourse"], row["net"])
            for row in in_csv] == [
        ("paiement", fr(amounts[0]), fr(fee(amounts[0])), "", fr(amounts[0] - fee(amounts[0]))),
        ("paiement", fr(amounts[1]), fr(fee(amounts[1])), "", fr(amounts[1] - fee(amounts[1]))),
        ("remboursement", "", "", fr(amounts[1]), fr(-amounts[1]))]
    (total,) = [row for row in rows if row["reversement"] == payout["payout_id"]
                and row["ligne"] == "total"]
    assert (total["montant_ttc"], total["frais"], total["rembourse"], total["net"]) == tuple(
        fr(payout[k]) for k in ("gross", "fees", "refunds", "net"))
