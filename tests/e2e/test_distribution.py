"""Distribution day (issue 10 K5, reference 004 steps 5 and 6) through the real gateway on
PostgreSQL: the initiator ticks « venu » and « a tout retiré » as the phone page's script does
(a fetch POST with the form's CSRF token and an Idempotency-Key; the same key again is the first
answer, the same tick again changes nothing), the no-JavaScript form, a cheque paid at pickup
through payments, a note, « Valider la distribution » sent twice at once (one effect, one event),
and the closing mails (the initiator's recap, the absent buyer's).

The grouped order is made available by a shortcut in its database: today the bookshop's
validation waits for every payment, and distribution day takes the cheque still due."""
import base64
import html
import re
import uuid

import requests
from sqlalchemy import text

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session, csrf_token
from tests.e2e.test_cheque_payments import WESTERN, allow_cheques, subscribe_by_cheque
from tests.e2e.test_once import at_once, outbox, settled
from tests.e2e.test_order_progress import settle
from tests.support.pdf import pdf_text
from tests.support.suite import wait_until


def made_available(suite, number):
    db = suite.db("grouped_orders")
    with db.transaction() as s:
        s.execute(text("UPDATE grouped_orders SET status = 'closed', made_available_at = now() "
                       "WHERE number = :n"), {"n": number})
    db.dispose()


def sub_numbers(page_html):
    return [int(n) for n in re.findall(r'id="sous-commande-(\d+)"', page_html)]


def tick(session, url, token, sub, field, value, key):
    """What static/distribution.js sends for one tick."""
    return session.post(f"{url}/coche", data={
        "csrf_token": token, "sub": str(sub), "field": field, "value": "1" if value else "0"},
        headers={"X-Requested-With": "fetch", "Accept": "application/json",
                 "Idempotency-Key": key})


def test_distribution_day_from_ticks_to_the_closing_mails(suite, people, demo_feeds, smtp):
    run = uuid.uuid4().hex[:6]
    teacher_email = people["other"]["email"]
    teacher = api_session(suite, teacher_email, PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    go, token = grouped.create(teacher, suite, "21", WESTERN)
    number = go["number"]
    allow_cheques(suite, admin, number)
    eloise = grouped.subscribe(suite, token, "Éloïse", f"Durand{run}", 1)
    oscar = grouped.subscribe(suite, token, "Oscar", f"Martin{run}", 2)
    grouped.pay(suite, token, eloise)
    grouped.pay(suite, token, oscar)
    subscribe_by_cheque(suite, token, "Zoe", f"Petit{run}")
    url = f"{suite.gateway_url}/distribution/{number}"

    # before it is made available: the page says so, a tick is refused (409), nothing saved
    page = teacher.get(url)
    assert page.status_code == 200 and "mise à disposition" in html.unescape(page.text)
    csrf = csrf_token(teacher, url)
    early = tick(teacher, url, csrf, eloise["number"], "venu", True, uuid.uuid4().hex)
    assert early.status_code == 409 and early.json()["ok"] is False

    made_available(suite, number)
    page = html.unescape(teacher.get(url).text)
    assert "Valider la distribution" in page and "3 acheteurs sur 3" in page
    # the search: accents and case do not matter (the GET form, without JavaScript)
    found = html.unescape(teacher.get(url, params={"q": "ELOISE"}).text)
    assert sub_numbers(found) == [eloise["number"]] and "1 acheteur sur 3" in found

    # a tick, then its retry with the same key (the answer was lost): the first answer
    key = uuid.uuid4().hex
    first = tick(teacher, url, csrf, oscar["number"], "tout-retire", True, key)
    assert first.status_code == 200, first.text
    answer = first.json()
    assert (answer["ok"], answer["came"], answer["collected_all"], answer["changed"]) == (
        True, True, True, True)
    again = tick(teacher, url, csrf, oscar["number"], "tout-retire", True, key)
    assert again.json() == first.json()
    # the same tick with a new key (a second tap): nothing changes
    twice = tick(teacher, url, csrf, oscar["number"], "tout-retire", True, uuid.uuid4().hex)
    assert twice.json()["changed"] is False
    # the no-JavaScript form: a redirect back to the buyer, « enregistré »
    form = teacher.post(f"{url}/coche", data={
        "csrf_token": csrf, "sub": str(eloise["number"]), "field": "venu", "value": "1",
        "idempotency_key": uuid.uuid4().hex}, allow_redirects=False)
    assert form.status_code == 302 and form.headers["Location"].endswith(
        f"#sous-commande-{eloise['number']}")
    # a bad tick: a French 400, nothing saved
    bad = tick(teacher, url, csrf, eloise["number"], "a-paye", True, uuid.uuid4().hex)
    assert bad.status_code == 400 and "Case inconnue" in bad.json()["message"]

    # Zoé pays by cheque at pickup: a bad number is a 400, then payments records it once
    zoe = next(n for n in sub_numbers(page) if n not in (eloise["number"], oscar["number"]))
    wrong = teacher.post(f"{url}/paiement", data={
        "csrf_token": csrf, "sub": str(zoe), "method": "cheque", "cheque_number": "12AB",
        "idempotency_key": uuid.uuid4().hex})
    assert wrong.status_code == 400 and "7 chiffres" in html.unescape(wrong.text)
    paid = teacher.post(f"{url}/paiement", data={
        "csrf_token": csrf, "sub": str(zoe), "method": "cheque", "cheque_number": "7654321",
        "idempotency_key": uuid.uuid4().hex}, allow_redirects=False)
    assert paid.status_code == 302, paid.text
    page = html.unescape(teacher.get(url).text)
    assert "A payé (chèque n° 7654321)" in page
    with suite.rpc() as rpc:
        admin_id = rpc.accounts.authenticate(ADMIN_EMAIL, ADMIN_PASSWORD, "e2e")["id"]
        view = rpc.grouped_orders.admin_get(admin_id, number)
    assert next(s for s in view["sub_orders"] if s["number"] == zoe)["paid_by"] == \
        "chèque n° 7654321"
    # paying at the table ticked « Venu » (she was there); here her neighbour brought the
    # cheque: the teacher un-ticks it, and Zoé is absent below
    untick = tick(teacher, url, csrf, zoe, "venu", False, uuid.uuid4().hex)
    assert (untick.json()["came"], untick.json()["changed"]) == (False, True)
    # a note: Oscar was given 2,50 € back
    noted = teacher.post(f"{url}/note", data={
        "csrf_token": csrf, "sub": str(oscar["number"]), "kind": "refund", "amount": "2,50",
        "comment": "livre abîmé", "idempotency_key": uuid.uuid4().hex}, allow_redirects=False)
    assert noted.status_code == 302
    page = html.unescape(teacher.get(url).text)
    assert "Remboursement de 2,50" in page and "livre abîmé" in page

    # another collectivity does not see it; the bookshop does
    stranger = api_session(suite, people["collectivite"]["email"], PASSWORD)
    assert stranger.get(url).status_code == 404
    assert admin.get(url).status_code == 200

    # « Valider la distribution », confirmed, sent twice at once: one effect
    confirm = html.unescape(teacher.post(f"{url}/valider", data={"csrf_token": csrf}).text)
    assert "Zoe Petit" in confirm and "Valider la distribution" in confirm
    cookies = teacher.cookies.get_dict()
    answers = at_once(lambda i: requests.post(f"{url}/valider", cookies=cookies, data={
        "csrf_token": csrf, "confirmed": "1", "idempotency_key": uuid.uuid4().hex},
        allow_redirects=False), times=2)
    # the second is told on the distribution page that it is done already (a 409)
    assert sorted(a.status_code for a in answers) == [302, 409]
    refused = next(a for a in answers if a.status_code == 409)
    assert "déjà" in html.unescape(refused.text) and "Distribution" in refused.text
    events = outbox(suite, "grouped_orders", "grouped_order_distributed", number=number)
    assert len(events) == 1
    (event,) = events
    assert [a["sub_order_number"] for a in event["absent"]] == [zoe]
    assert (event["came"], event["collected_all"], event["refunds"]) == (2, 1, "2.50")
    page = html.unescape(teacher.get(url).text)
    assert "Distribution validée" in page and 'class="tick-form"' in page
    assert "Valider la distribution</button>" not in page
    late = tick(teacher, url, csrf, zoe, "venu", True, uuid.uuid4().hex)
    assert late.status_code == 409 and "déjà validée" in late.json()["message"]

    # the closing mails: the recap to the initiator, « vos livres vous attendent » to Zoé
    (recap,) = settled(suite, smtp, teacher_email, "distribution validée")
    body = recap.get_content()
    assert "Venus : 2" in body and "Absents : 1" in body and f"Zoe Petit{run}" in body
    assert "Remboursement de 2,50" in body
    (absent,) = settled(suite, smtp, f"zoe.petit{run}@free.fr", "Vos livres vous attendent")
    assert "Vos livres vous attendent au lieu de retrait" in absent.get_content()
    assert [m for m in smtp.to(f"eloise.durand{run}@free.fr")
            if "Vos livres" in m["Subject"]] == []  # she came

    # the order desk: who came is « Terminé », Zoé « Livraison/retrait en cours » (her books
    # wait), each sub-order following its grouped order's distribution; nobody mailed for it
    def desk(sub):
        with suite.rpc() as rpc:
            return rpc.order_desk.get_order("sub_order", sub)

    wait_until(lambda: [desk(n)["progress"] for n in (eloise["number"], oscar["number"], zoe)]
               == ["done", "done", "delivering"], timeout=30,
               message="the sub-orders follow the distribution on the desk")
    assert desk(zoe)["progress_label"] == "Livraison/retrait en cours"
    settle(suite)
    assert [m["Subject"] for who in (f"eloise.durand{run}", f"oscar.martin{run}",
                                     f"zoe.petit{run}") for m in smtp.to(f"{who}@free.fr")
            if "— votre commande n°" in m["Subject"]] == []

    # Oscar's invoice, issued after the 2,50 € given back at pickup: not « Déjà réglé »
    # 29,80 €, but what he paid net of it, and the balance adds up
    with suite.rpc() as rpc:
        invoice = rpc.invoicing.issue_invoice(admin_id, "sub_order", oscar["number"])
        assert invoice["total_ttc"] == "29.80"
        assert invoice["settlement"] == {"paid": "29.80", "refunded_at_pickup": "2.50",
                                         "extra_at_pickup": "0.00", "net_paid": "27.30",
                                         "balance": "2.50"}
        pdf = base64.b64decode(rpc.invoicing.invoice_pdf(invoice["number"]))
    text = " ".join(pdf_text(pdf).split())
    assert "Payé 29,80 € Remboursé au retrait des livres −2,50 € Net réglé" in text
    assert ("Facture réglée en ligne : 29,80 € payés, 2,50 € remboursés au retrait des livres "
            "; net réglé : 27,30 €.") in text
    assert "Déjà réglé" not in text
