"""The pages' forms are declared (gateway/forms.py), not hand-parsed: each keeps the limits the
pages always had, and the views read no `request.form` of their own (issue 12)."""
import pathlib
import re

from gateway import forms
from tests.unit.gateway.conftest import sign_in

VIEWS = pathlib.Path(forms.__file__).parent / "views"


def read(app, form_cls, data):
    with app.test_request_context("/", method="POST", data=data):
        return form_cls.read()


def test_no_view_parses_a_form_by_hand():
    by_hand = [f"{path.name}:{n}" for path in VIEWS.glob("*.py")
               for n, line in enumerate(path.read_text().splitlines(), 1)
               if re.search(r"request\.form\b", line)]
    assert by_hand == []


def test_texts_are_cut_at_their_limit_and_absent_ones_are_empty(app):
    form = read(app, forms.Subscription, {"first_name": "A" * 250, "email": "x" * 400,
                                          "quantity": "123456", "accepted_terms": "1",
                                          "csrf_token": "t", "idempotency_key": "k"})
    assert form == {"first_name": "A" * 200, "last_name": "", "email": "x" * 300, "pupil": "",
                    "ean": [], "quantity": ["1234"], "accepted_terms": True,
                    "payment_method": "", "again": False}
    assert read(app, forms.Subscription, {"accepted_terms": "on"})["accepted_terms"] is False


def test_a_repeated_field_keeps_200_values_of_40_characters(app):
    form = read(app, forms.NewAccount, {"client_numbers": ["9" * 50] * 250, "role": "r" * 30})
    assert form["client_numbers"] == ["9" * 40] * 200 and form["role"] == "r" * 20
    assert read(app, forms.NewAccount, {})["client_numbers"] == []


def test_numbers_that_are_not_numbers_are_left_for_the_service_or_the_page(app):
    assert read(app, forms.BasketLine, {"ean": "  978  ", "quantity": "x"}) == \
        {"ean": "978", "quantity": -1}
    assert read(app, forms.BasketLine, {})["quantity"] == 1
    assert read(app, forms.BasketLine, {"quantity": "123456"})["quantity"] == 9999
    assert read(app, forms.AddToBasket, {"basket_id": "²"})["basket_id"] is None
    assert read(app, forms.SubOrderAction, {"grouped_order": "abc"})["grouped_order"] == 0
    assert read(app, forms.Transformation, {})["delivery_address"] == "0"


def test_a_return_to_a_list_outside_the_admin_is_not_followed(client, rpc):
    rpc.answers[("baskets", "admin_archive_quote")] = {"number": 3}
    sign_in(client, "admin")
    r = client.post("/admin/devis-collectivite/3/archivage",
                    data={"back": "list", "back_url": "https://evil.example/"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/admin/commandes-collectivite")
    r = client.post("/admin/devis-collectivite/3/archivage",
                    data={"back": "list", "back_url": "/admin/commandes-collectivite?onglet=closed"})
    assert r.headers["Location"].endswith("/admin/commandes-collectivite?onglet=closed")


def test_long_texts_reach_their_service_one_character_over_to_be_refused(app):
    """A form that kept exactly the service's limit cut a longer text silently: it keeps one
    character more, which the service refuses in French."""
    assert len(read(app, forms.Confirmation, {"reason": "x" * 1500})["reason"]) == 1001
    assert len(read(app, forms.NewGroupedOrder, {"comment": "x" * 1500})["comment"]) == 1001
    assert len(read(app, forms.OrderAction, {"reason": "x" * 1500})["reason"]) == 1001
    assert len(read(app, forms.Message, {"message": "x" * 6000})["message"]) == 5001
