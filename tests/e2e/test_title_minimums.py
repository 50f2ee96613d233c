"""A minimum per title at the deadline, on PostgreSQL and the real broker (issue 10): two reading
lists (WESTERN COQUILLETTES required, LE LIVRE… optional), their deadline passed together.
- The first: LE LIVRE's minimum of 3 is not reached (2 paid): the title is dropped and the
  grouped order goes on; its buyer gets a partial refund of 2 × 6,40 € through payments (her
  payment still « succeeded ») and one mail saying why; the other buyer nothing.
- The second: WESTERN's minimum of 5 is not reached (2 paid): it fails as the overall minimum
  does, the buyer refunded in full and mailed once, the title named.
And the public progress JSON per title before the deadline."""
import uuid
from datetime import timedelta

import requests

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_once import outbox, settled
from tests.support.suite import wait_until

WESTERN, LIVRE = "9791097284657", "9782362210419"
SLOW = 60  # helpers share two cores
LIVRE_TITLE = "LE LIVRE QU'IL NE FAUT SURTOUT, SURTOUT, SURTOUT, PAS LIRE !"


def create(teacher, suite, western_min=None, livre_min=None):
    r = teacher.post(suite.gateway_url + "/api/v1/grouped-orders", json={
        "client_number": "21", "pickup": "address-0",
        "deadline": (grouped.paris_today() + timedelta(days=3)).isoformat(),
        "titles": [{"ean": WESTERN, "min_copies": western_min},
                   {"ean": LIVRE, "optional": True, "min_copies": livre_min}]})
    assert r.status_code == 201, r.text
    go = r.json()
    return go, go["subscription_url"].rsplit("/", 1)[1]


def subscribe(suite, token, first, last, western, livre):
    r = requests.post(
        f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}/subscriptions",
        json={"first_name": first, "last_name": last, "accepted_terms": True,
              "email": f"{first}.{last}@free.fr".lower(),
              "lines": [{"ean": WESTERN, "quantity": western},
                        {"ean": LIVRE, "quantity": livre}]})
    assert r.status_code == 201, r.text
    return r.json()


def payments_of(suite, sub):
    with suite.rpc() as rpc:
        return rpc.payments.list_payments("sub_order", str(sub["number"]))


def test_at_the_deadline_an_optional_title_is_dropped_and_a_required_one_fails_the_order(
        suite, people, demo_feeds, smtp):
    base = suite.gateway_url
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    run = uuid.uuid4().hex[:6]  # buyers of their own: the suite's mails hold every test's
    kept, kept_token = create(teacher, suite, livre_min=3)
    failed, failed_token = create(teacher, suite, western_min=5)
    assert [t["min_copies"] for t in kept["titles"]] == [None, 3]
    ana = subscribe(suite, kept_token, "Ana", f"Lys{run}", 1, 2)
    bob = subscribe(suite, kept_token, "Bob", f"Pre{run}", 1, 0)
    cid = subscribe(suite, failed_token, "Cid", f"Roi{run}", 2, 1)
    for token, sub in ((kept_token, ana), (kept_token, bob), (failed_token, cid)):
        grouped.pay(suite, token, sub)

    progress = requests.get(f"{base}/souscription/{kept_token}/progression").json()
    assert [(t["ean"], t["label"], t["minimum_reached"]) for t in progress["titles"]] == [
        (LIVRE, f"{LIVRE_TITLE} : 2 / 3 exemplaires payés", False)]
    assert "il en faut encore 1 (titre facultatif" in progress["texts"]["titles"][0]["text"]
    page = requests.get(f"{base}/souscription/{kept_token}").text
    assert f'id="progress-title-{LIVRE}"' in page

    grouped.pass_deadline(suite, kept["number"])
    grouped.pass_deadline(suite, failed["number"])

    # the optional title dropped: the grouped order goes on, Ana refunded 12,80 € of 27,70 €
    url = f"{base}/api/v1/admin/grouped-orders/{kept['number']}"
    view = wait_until(lambda: (lambda v: v if v["status"] == "awaiting_validation" else None)(
        admin.get(url).json()), timeout=SLOW, message="the deadline")
    lines = {s["number"]: [(x["ean"], x["quantity"]) for x in s["lines"]]
             for s in view["sub_orders"]}
    assert lines[ana["number"]] == [(WESTERN, 1), (LIVRE, 0)]
    (payment,) = wait_until(lambda: [p for p in payments_of(suite, ana) if p["refunds"]],
                            timeout=SLOW, message="Ana's partial refund")
    assert payment["state"] == "succeeded"  # 14,90 € still paid
    assert [(r["amount"], r["state"]) for r in payment["refunds"]] == [("12.80", "succeeded")]
    (mail,) = settled(suite, smtp, ana["email"], "minimum non atteint pour un titre")
    body = mail.get_content().replace("\xa0", " ")
    assert "son minimum de 3 exemplaires payés (2 payés)" in body
    assert f"« {LIVRE_TITLE} » : 2 → 0 exemplaire" in body
    assert "La différence, 12,80 €, vous est remboursée" in body
    assert not [m for m in smtp.to(bob["email"]) if "modifiée" in m["Subject"]]
    assert len(outbox(suite, "grouped_orders", "sub_order_adjusted",
                      sub_order_number=ana["number"])) == 1
    (mail,) = smtp.wait_for(people["other"]["email"], timeout=SLOW,
                            subject_contains=f"n° {kept['number']} : la date limite est passée")
    assert f"« {LIVRE_TITLE} » n'a pas atteint son minimum de 3" in mail.get_content()

    # the required title under its minimum: the whole grouped order fails, Cid refunded 36,20 €
    url = f"{base}/api/v1/admin/grouped-orders/{failed['number']}"
    view = wait_until(lambda: (lambda v: v if v["status"] == "cancelled" else None)(
        admin.get(url).json()), timeout=SLOW, message="the title minimum's failure")
    assert view["cancel_reason"] == (
        "Minimum non atteint à la clôture des souscriptions pour « WESTERN COQUILLETTES » (titre "
        "obligatoire) : 2 exemplaires payés sur les 5 nécessaires.")
    (payment,) = wait_until(lambda: [p for p in payments_of(suite, cid)
                                     if p["state"] == "refunded"],
                            timeout=SLOW, message="Cid's whole refund")
    assert [r["amount"] for r in payment["refunds"]] == ["36.20"]
    (mail,) = settled(suite, smtp, cid["email"], "minimum d'exemplaires non atteint")
    assert "« WESTERN COQUILLETTES » (titre obligatoire)" in mail.get_content()
    assert not [m for m in smtp.to(cid["email"]) if "modifiée" in m["Subject"]]
