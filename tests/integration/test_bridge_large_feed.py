"""A large article feed is parsed, checked and written by a child process of the bridge
(services.librisoft_bridge.import_worker), with the same report and the same stored rows as a
small one imported in the service itself; meanwhile the bridge keeps answering."""
import threading

import pytest
import requests
from sqlalchemy import delete

from services.librisoft_bridge.demo import demo_articles
from services.librisoft_bridge.import_worker import OFFLOAD_BYTES
from services.librisoft_bridge.models import articles


@pytest.fixture
def feed(suite):
    """3,000 articles of their own (none of the demo catalogue the other tests search), removed
    afterwards so that the shared suite's catalogue stays as they expect it."""
    rows = demo_articles(3400)[400:]
    yield rows
    db = suite.db("librisoft_bridge")
    with db.transaction() as session:
        session.execute(delete(articles).where(articles.c.ean.in_([r["ean"] for r in rows])))
    db.dispose()


def test_a_large_feed_is_imported_off_the_loop_and_the_bridge_keeps_answering(suite, api_key,
                                                                              feed):
    url = f"{suite.bridge_url}/librisoft/v1/articles"
    headers = {"X-Api-Key": api_key}
    feed = list(feed)
    feed.insert(10, dict(feed[3], ean="9782362210418"))            # a wrong check digit
    feed.append(dict(feed[5], price_ttc="99.90"))                   # a later line wins
    body = requests.models.complexjson.dumps({"articles": feed}).encode()
    assert len(body) > OFFLOAD_BYTES  # this one goes to the child

    answered = []
    done = threading.Event()

    def probe():
        with suite.rpc() as rpc:
            while not done.is_set():
                answered.append(rpc.librisoft_bridge.health()["status"])

    prober = threading.Thread(target=probe)
    prober.start()
    try:
        response = requests.post(url, data=body, headers=dict(
            headers, **{"Content-Type": "application/json"}), timeout=300)
    finally:
        done.set()
        prober.join(60)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["received"] == 3002 and report["created"] == 3000
    assert [r["line"] for r in report["rejected"]] == [6, 11]
    assert "double" in report["rejected"][0]["errors"]["ean"][0]
    assert answered and set(answered) == {"ok"}  # RPCs served while the feed was imported

    with suite.rpc() as rpc:
        assert rpc.librisoft_bridge.get_article(feed[5]["ean"])["price_ttc"] == "99.90"
        assert rpc.librisoft_bridge.get_article(feed[2999]["ean"])["title"] == feed[2999]["title"]

    again = requests.post(url, data=body, headers=dict(
        headers, **{"Content-Type": "application/json"}), timeout=300).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3000)


def test_a_large_unreadable_feed_is_refused_whole_by_the_child(suite, api_key):
    url = f"{suite.bridge_url}/librisoft/v1/articles"
    body = b'{"articles": [' + b'{"ean": "1"},' * 40000 + b"oops"
    assert len(body) > OFFLOAD_BYTES
    response = requests.post(url, data=body, headers={
        "X-Api-Key": api_key, "Content-Type": "application/json"}, timeout=300)
    assert response.status_code == 400 and "JSON illisible" in response.json()["message"]
