"""A page form's idempotency key: the same form sent again is a retry (one effect), but a form
corrected after an error, or changed after the browser's Back button, is a new request — a
parent never meets "clé d'idempotence déjà servie"."""
from flask import Flask

from gateway import idempotency


def key_for(form, headers=None):
    app = Flask(__name__)
    with app.test_request_context("/souscription/t", method="POST", data=form,
                                  headers=headers or {}):
        return idempotency.key()


FORM = {"csrf_token": "c1", "idempotency_key": "a" * 32, "first_name": "Jean",
        "last_name": "Dupont", "email": "jean.dupont@exemple.fr", "quantity": "2"}


def test_the_same_form_sent_again_has_the_same_key():
    assert key_for(FORM) == key_for(dict(FORM, csrf_token="another csrf token"))
    assert key_for(FORM).startswith("a" * 32 + "-")


def test_a_corrected_or_changed_form_is_a_new_request():
    assert key_for(dict(FORM, email="jean@exemple.fr")) != key_for(FORM)
    assert key_for(dict(FORM, quantity="3")) != key_for(FORM)


def test_the_key_stays_within_what_the_service_accepts():
    from services.common.idempotency import check_key
    assert check_key(key_for(dict(FORM, idempotency_key="z" * 100))) is not None


def test_without_a_token_there_is_no_key_and_the_api_header_wins():
    assert key_for({k: v for k, v in FORM.items() if k != "idempotency_key"}) is None
    assert key_for(FORM, {"Idempotency-Key": "client-key-1"}) == "client-key-1"
