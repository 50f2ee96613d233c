"""New-order alerts through the real suite (issue 9, reference 002 §1): a paid sub-order gives
the bookshop one mail (in the SMTP collector) and, its mobile being set (BOOKSHOP_MOBILE in the
suite's environment), one SMS posted to the fake HTTP provider (`suite.sms`); the admin's
« SMS envoyés » page lists it."""
import requests

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session, csrf_token
from tests.support.suite import wait_until

WESTERN = "9791097284657"
BOOKSHOP = "commandes@librairie.test"  # BOOKSHOP_EMAIL's default: the order desk


def admin_pages(suite):
    s = requests.Session()
    token = csrf_token(s, suite.gateway_url + "/connexion")
    r = s.post(suite.gateway_url + "/connexion", allow_redirects=False, data={
        "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "csrf_token": token})
    assert r.status_code == 302
    return s


def test_a_paid_sub_order_gives_the_bookshop_one_mail_and_one_sms(suite, people, smtp):
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    go, token = grouped.create(teacher, suite, "21", WESTERN)
    buyer = grouped.subscribe(suite, token, "Ada", "Lovelace", 2)
    sub = buyer["number"]
    assert not [m for m in suite.sms.received if f"Sous-cde {sub} " in m["text"]]
    grouped.pay(suite, token, buyer)

    (mail,) = smtp.wait_for(BOOKSHOP, subject_contains=f"Sous-commande n° {sub} payée",
                            timeout=60)
    body = mail.get_content()
    assert "Client : Ada Lovelace (ada.lovelace@free.fr)" in body
    assert "WESTERN COQUILLETTES × 2" in body and "29,80" in body and "TTC" in body
    assert f"{suite.gateway_url}/admin/commandes/sub_order/{sub}" in body  # its desk page

    def ours():
        return [m for m in suite.sms.received if f"Sous-cde {sub} " in m["text"]]
    wait_until(ours, timeout=60, message="the bookshop's SMS at the provider")
    (sms,) = ours()
    assert sms["to"] == "+33612345678" and len(sms["text"]) <= 160
    assert sms["text"].startswith(f"Nouvelle commande : Sous-cde {sub} (groupée "
                                  f"{go['number']}), Ada Lovelace, 29,80 EUR TTC.")
    with suite.rpc() as rpc:
        wait_until(lambda: any(s["sent_at"] and s["text"] == sms["text"]
                               for s in rpc.notifications.list_sms(50)["sms"]),
                   timeout=30, message="the SMS marked sent")
    page = admin_pages(suite).get(suite.gateway_url + "/admin/sms")
    assert page.status_code == 200 and "SMS envoyés" in page.text
    assert f"Sous-cde {sub} (groupée" in page.text
    assert len(ours()) == 1 and len(smtp.wait_for(BOOKSHOP, subject_contains=f"n° {sub} payée"))\
        == 1


def test_an_sms_the_provider_cannot_take_now_is_sent_again_later(suite, people, smtp):
    """Through the real broker and services: the provider answers 503 once, the sender loop
    tries again after its backoff, the SMS arrives once."""
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    go, token = grouped.create(teacher, suite, "21", WESTERN)
    buyer = grouped.subscribe(suite, token, "Grace", "Hopper", 1)
    marker = f"Sous-cde {buyer['number']} "
    suite.sms.answer_once(marker, 503)
    grouped.pay(suite, token, buyer)

    def ours():
        return [m for m in suite.sms.received if marker in m["text"]]
    wait_until(ours, timeout=60, message="the SMS after a 503")
    statuses = [status for status, m in suite.sms.requests if marker in m["text"]]
    assert statuses == [503, 200] and len(ours()) == 1
    smtp.wait_for(BOOKSHOP, subject_contains=f"Sous-commande n° {buyer['number']} payée")
