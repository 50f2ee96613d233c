"""Issue 9, reference 003 step 1, through the real gateway on PostgreSQL: a buyer chooses to pay
by cheque at the bookshop, the bookshop validates the sub-order by entering the cheque number,
the grouped order can then be validated, and the number is on the admin page, in the sign-in
sheet (PDF) and in the CSV export. A bad number is a French 400 with nothing changed; five
validations at once are one payment, one event, one mail."""
import html
import re
import uuid

import requests

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session, csrf_token
from tests.e2e.test_once import at_once, outbox, settled
from tests.support.pdf import pdf_text
from tests.support.suite import wait_until

WESTERN = "9791097284657"


def allow_cheques(suite, admin, number):
    url = f"{suite.gateway_url}/admin/commandes-groupees/{number}"
    r = admin.post(f"{url}/moyens-de-paiement", data={
        "csrf_token": csrf_token(admin, url), "cheque": "1"}, allow_redirects=False)
    assert r.status_code == 302, r.text


def subscribe_by_cheque(suite, token, first, last, quantity=1):
    """The public page's form, as a buyer's browser sends it: no account, no online payment."""
    buyer = requests.Session()
    page = buyer.get(f"{suite.gateway_url}/souscription/{token}")
    assert "Payer par chèque à la librairie" in html.unescape(page.text)
    r = buyer.post(f"{suite.gateway_url}/souscription/{token}", data={
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1),
        "first_name": first, "last_name": last, "email": f"{first}.{last}@free.fr".lower(),
        "quantity": str(quantity), "accepted_terms": "1", "payment_method": "cheque"},
        allow_redirects=False)
    assert r.status_code == 303, r.text
    result = r.headers["Location"]
    assert f"/souscription/{token}/commande/" in result  # not the provider's page
    return buyer, result


def sub_of(suite, admin, number, last_name):
    view = admin.get(f"{suite.gateway_url}/api/v1/admin/grouped-orders/{number}").json()
    return next(s for s in view["sub_orders"] if s["last_name"] == last_name), view


def validate_form(suite, admin, number, sub_number, cheque_number, confirmed=True):
    url = f"{suite.gateway_url}/admin/commandes-groupees/{number}"
    return {"csrf_token": csrf_token(admin, url), "grouped_order": str(number),
            "method": "cheque", "cheque_number": cheque_number,
            **({"confirmed": "1"} if confirmed else {})}


def test_a_cheque_from_choice_to_the_validated_grouped_order(suite, people, demo_feeds, smtp):
    run = uuid.uuid4().hex[:6]
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    go, token = grouped.create(teacher, suite, "21", WESTERN, days=3, pickup="bookshop")
    n = go["number"]
    assert go["payment_methods"] == ["online"]  # the configured default
    allow_cheques(suite, admin, n)
    mine = teacher.get(f"{suite.gateway_url}/commandes-groupees/{n}").text
    assert "Payer par chèque à la librairie" in html.unescape(mine)  # the initiator sees it

    buyer, result = subscribe_by_cheque(suite, token, "Louise", f"Cheque{run}", 2)
    page = html.unescape(buyer.get(result).text)
    for shown in ("Payer par chèque", "29,80\xa0€", "À l'ordre de", "Librairie des Collectivités",
                  "Au plus tard le", "En attente de paiement"):
        assert shown in page, shown
    sub, view = sub_of(suite, admin, n, f"Cheque{run}")
    assert (sub["status"], sub["payment_method"]) == ("awaiting_payment", "cheque")
    with suite.rpc() as rpc:
        assert rpc.payments.list_payments("sub_order", str(sub["number"])) == []

    # a bad number: a French 400, nothing changed
    url = f"{suite.gateway_url}/admin/sous-commandes/{sub['number']}/valider"
    bad = admin.post(url, data=validate_form(suite, admin, n, sub["number"], "12AB567"))
    assert bad.status_code == 400
    assert "Numéro de chèque invalide" in html.unescape(bad.text)
    assert sub_of(suite, admin, n, f"Cheque{run}")[0]["status"] == "awaiting_payment"
    with suite.rpc() as rpc:
        assert rpc.payments.list_payments("sub_order", str(sub["number"])) == []
    assert outbox(suite, "payments", "payment_state_changed",
                  reference_id=str(sub["number"])) == []

    # the number, a confirmation, then it is recorded
    first = admin.post(url, data=validate_form(suite, admin, n, sub["number"], "0012345",
                                               confirmed=False))
    assert first.status_code == 200 and "chèque n° 0012345" in html.unescape(first.text)
    done = admin.post(url, data=validate_form(suite, admin, n, sub["number"], "0012345"),
                      allow_redirects=False)
    assert done.status_code == 302, done.text
    paid, _ = sub_of(suite, admin, n, f"Cheque{run}")
    assert (paid["status"], paid["paid_manually"], paid["cheque_number"]) == (
        "paid", True, "0012345")
    with suite.rpc() as rpc:
        (payment,) = rpc.payments.list_payments("sub_order", str(sub["number"]))
        assert (payment["method"], payment["cheque_number"], payment["state_label"],
                payment["recorded_by"]) == ("cheque", "0012345", "Paiement confirmé",
                                            ADMIN_EMAIL)
        # no provider fee, no payout line
        assert all(line["payment_id"] != payment["payment_id"]
                   for p in rpc.payments.list_payouts() for line in p["lines"])
    (changed,) = outbox(suite, "payments", "payment_state_changed",
                        payment_id=payment["payment_id"])
    assert (changed["state"], changed["label"], changed["method"], changed["cheque_number"]) \
        == ("succeeded", "Paiement confirmé", "cheque", "0012345")
    detail = html.unescape(admin.get(f"{suite.gateway_url}/admin/commandes-groupees/{n}").text)
    assert "Chèque n° 0012345" in detail
    # the order desk learns it from payment_state_changed: « Paiement confirmé », the cheque
    with suite.rpc() as rpc:
        entry = wait_until(lambda: (lambda e: e if e.get("cheque_number") else None)(
            rpc.order_desk.get_order("sub_order", sub["number"])),
            message="the desk's payment column")
    assert (entry["payment_label"], entry["payment_method"], entry["cheque_number"]) == (
        "Paiement confirmé", "cheque", "0012345")

    # the grouped order: closed now, then validated (every sub-order paid or cancelled)
    url = f"{suite.gateway_url}/admin/commandes-groupees/{n}"
    r = admin.post(f"{url}/clore", data={"csrf_token": csrf_token(admin, url), "confirmed": "1"},
                   allow_redirects=False)
    assert r.status_code == 302
    r = admin.post(f"{suite.gateway_url}/api/v1/admin/grouped-orders/{n}/validation", json={})
    assert r.status_code == 200 and r.json()["status"] == "processing", r.text

    pdf = admin.get(f"{url}/pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "0012345" in text and "chèque" in text
    csv = admin.get(f"{url}/sous-commandes.csv").text
    assert ";Chèque;0012345;" in csv

    (mail,) = settled(suite, smtp, paid["email"],
                      f"Confirmation de votre commande n° {sub['number']}")
    assert "chèque n° 0012345 reçu par la librairie" in mail.get_content()


def test_a_cheque_sub_order_cancelled_is_handed_back(suite, people, demo_feeds, smtp):
    """payments records the cheque given back (no provider): « Annulé » for the desk, and the
    buyer is told the bookshop hands it back."""
    run = uuid.uuid4().hex[:6]
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    go, token = grouped.create(teacher, suite, "21", WESTERN, days=3, pickup="bookshop")
    n = go["number"]
    allow_cheques(suite, admin, n)
    subscribe_by_cheque(suite, token, "Ana", f"Back{run}")
    sub, _ = sub_of(suite, admin, n, f"Back{run}")
    r = admin.post(f"{suite.gateway_url}/api/v1/admin/sub-orders/{sub['number']}/"
                   "manual-payment", json={"method": "cheque", "cheque_number": "3334445"})
    assert r.status_code == 200, r.text
    r = admin.post(f"{suite.gateway_url}/api/v1/admin/sub-orders/{sub['number']}/cancellation",
                   json={"reason": "Doublon"})
    assert r.status_code == 200, r.text
    with suite.rpc() as rpc:
        payment = wait_until(lambda: next((p for p in rpc.payments.list_payments(
            "sub_order", str(sub["number"])) if p["state"] == "refunded"), None),
            message="the cheque handed back")
    assert payment["state_label"] == "Annulé" and payment["refunds"][0]["amount"] == "14.90"
    assert [p["state"] for p in outbox(suite, "payments", "payment_state_changed",
                                       reference_id=str(sub["number"]))] == [
        "succeeded", "refunded"]
    mails = settled(suite, smtp, sub["email"], f"commande n° {sub['number']}", count=3)
    (back,) = [m for m in mails if m["Subject"].startswith("Remboursement")]
    assert "vous est rendu par la librairie" in back.get_content()
    (cancelled,) = [m for m in mails if m["Subject"].startswith("Annulation")]
    assert "La librairie vous rend votre chèque" in cancelled.get_content()


def test_five_validations_at_once_record_one_payment(suite, people, demo_feeds, smtp):
    run = uuid.uuid4().hex[:6]
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    go, token = grouped.create(teacher, suite, "21", WESTERN, days=3, pickup="bookshop")
    n = go["number"]
    allow_cheques(suite, admin, n)
    subscribe_by_cheque(suite, token, "Oscar", f"Once{run}")
    sub, _ = sub_of(suite, admin, n, f"Once{run}")
    url = f"{suite.gateway_url}/admin/sous-commandes/{sub['number']}/valider"
    form = validate_form(suite, admin, n, sub["number"], "7654321")
    cookies = admin.cookies.get_dict()
    answers = at_once(lambda i: requests.post(url, data=form, cookies=cookies,
                                              allow_redirects=False, timeout=45))
    codes = sorted(r.status_code for r in answers)
    assert codes == [302, 409, 409, 409, 409], [
        (r.status_code, re.findall(r'role="alert">([^<]+)<|<p[^>]*>([^<]+)</p>', r.text))
        for r in answers]
    for r in answers:
        if r.status_code == 409:  # the domain's own words, in French
            error = re.search(r'class="flash flash-error" role="alert">([^<]+)<', r.text)
            assert error and any(w in html.unescape(error.group(1)) for w in (
                "déjà", "rechargez", "Seule")), r.text[-1500:]
    with suite.rpc() as rpc:
        (payment,) = rpc.payments.list_payments("sub_order", str(sub["number"]))
    assert payment["cheque_number"] == "7654321"
    assert len(outbox(suite, "payments", "payment_succeeded",
                      reference_id=str(sub["number"]))) == 1
    assert len(outbox(suite, "payments", "payment_state_changed",
                      reference_id=str(sub["number"]))) == 1
    wait_until(lambda: outbox(suite, "grouped_orders", "sub_order_paid",
                              sub_order_number=sub["number"]), message="sub_order_paid")
    assert len(outbox(suite, "grouped_orders", "sub_order_paid",
                      sub_order_number=sub["number"])) == 1
    assert len(settled(suite, smtp, sub["email"],
                       f"Confirmation de votre commande n° {sub['number']}")) == 1

    # a double click sends the same form (its one-time token) twice: both answers are the
    # first's, one payment
    subscribe_by_cheque(suite, token, "Noe", f"Twice{run}")
    twice, _ = sub_of(suite, admin, n, f"Twice{run}")
    url = f"{suite.gateway_url}/admin/sous-commandes/{twice['number']}/valider"
    form = dict(validate_form(suite, admin, n, twice["number"], "1112223"),
                idempotency_key=uuid.uuid4().hex)
    answers = at_once(lambda i: requests.post(url, data=form, cookies=cookies,
                                              allow_redirects=False, timeout=45))
    assert [r.status_code for r in answers] == [302] * 5, [r.status_code for r in answers]
    with suite.rpc() as rpc:
        (payment,) = rpc.payments.list_payments("sub_order", str(twice["number"]))
    assert payment["cheque_number"] == "1112223"
    assert len(outbox(suite, "payments", "payment_state_changed",
                      reference_id=str(twice["number"]))) == 1
