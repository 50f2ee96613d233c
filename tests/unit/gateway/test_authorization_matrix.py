"""Every route of the gateway says who may use it: the app built with the fake RPC pool has
exactly the (endpoint, method) pairs of the authorization matrix (tests/support/authorization.py),
which tests/e2e/test_authorization.py walks with every kind of visitor."""
from tests.support.authorization import EVERYONE, EXPECTED


def endpoints(app):
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_is_in_the_matrix(app):
    found = endpoints(app)
    assert sorted(found - set(EXPECTED)) == [], "routes missing from the matrix"
    assert sorted(set(EXPECTED) - found) == [], "matrix entries with no route"


def test_the_matrix_names_only_known_visitors():
    assert all(who and who <= EVERYONE for who in EXPECTED.values())


def test_a_new_route_without_an_entry_is_caught(fresh_app):
    app = fresh_app
    app.add_url_rule("/nouvelle-page", "extra.page", lambda: "", methods=["GET", "POST"])
    assert endpoints(app) - set(EXPECTED) == {("extra.page", "GET"), ("extra.page", "POST")}
