"""The one check of e-mails, quantities and NUL bytes shared by every door (issue 8 §3,
issues 13 §5 and 14)."""
import pytest

from services.baskets.domain import chain as baskets
from services.common.errors import DomainError
from services.common.validation import check_email as accounts_check_email  # accounts' door
from services.common.validation import (check_no_nul, has_nul, normalise_email,
                                        whole_number)
from services.grouped_orders import domain as grouped
from services.librisoft_bridge.domain import values
from services.payments import domain as payments

BAD_EMAILS = ["a@b@c.fr", "@x.test", "x@y.fr\nbcc:z@w.fr", "x@y.fr\r\nbcc:z@w.fr",
              "<a@b.fr>", "Parent <a@b.fr>", "a b@c.fr", "a@b", "a@", "", "   ", None, 12,
              "x" * 250 + "@a.fr", "a@b.fr\x00", "a@localhost"]
GOOD_EMAILS = [("parent@ecole.fr", "parent@ecole.fr"),
               ("  Prof.Martin@Ecole.FR ", "prof.martin@ecole.fr"),
               ("jean.dupont+classe@laposte.net", "jean.dupont+classe@laposte.net"),
               ("admin@librairie.test", "admin@librairie.test"),
               ("eleve@école.fr", "eleve@xn--cole-9oa.fr"),     # IDN domain, kept in ASCII
               ("Eleve@ÉCOLE.fr", "eleve@xn--cole-9oa.fr"),
               ("eleve@xn--cole-9oa.fr", "eleve@xn--cole-9oa.fr")]


@pytest.mark.parametrize("bad", BAD_EMAILS)
def test_bad_emails_are_refused_by_the_helper(bad):
    with pytest.raises(ValueError):
        normalise_email(bad)


@pytest.mark.parametrize("good,normalised", GOOD_EMAILS)
def test_good_emails_are_accepted_and_normalised(good, normalised):
    assert normalise_email(good) == normalised


@pytest.mark.parametrize("bad", ["a@b@c.fr", "@x.test", "x@y.fr\nbcc:z@w.fr",
                                 "x@y.fr\r\nbcc:z@w.fr", "<a@b.fr>"])
def test_every_service_refuses_the_same_addresses(bad):
    """Subscription, account creation, password reset, payment and the Librisoft feed: the
    same answer for the same address (it was accepted at subscription, refused at payment)."""
    with pytest.raises(DomainError) as exc:
        grouped.check_buyer("Jean", "Dupont", bad, 1, True)
    assert set(exc.value.details) == {"email"}
    with pytest.raises(DomainError):
        accounts_check_email(bad)
    with pytest.raises(DomainError) as exc:
        payments.start_request({"reference_kind": "sub_order", "reference_id": "1",
                                "amount": "10.00", "description": "x", "customer_email": bad,
                                "return_url": "http://localhost/r", "idempotency_key": "k"})
    assert "customer_email" in exc.value.details
    with pytest.raises(ValueError):
        values.email(bad)


def test_accented_letters_before_the_at_sign_are_refused_with_a_reason():
    """They need SMTPUTF8, which the relay may not offer: the mail would be retried forever."""
    with pytest.raises(ValueError, match="accentuée avant le @"):
        normalise_email("élève@école.fr")


def test_services_accept_an_idn_address():
    assert grouped.check_buyer("Jean", "Dupont", "Eleve@École.fr", 2, True)[2] == \
        "eleve@xn--cole-9oa.fr"
    assert accounts_check_email("eleve@école.fr") == "eleve@xn--cole-9oa.fr"
    assert values.email("Contact@Ecole-Jules-Ferry.fr") == "contact@ecole-jules-ferry.fr"


@pytest.mark.parametrize("value,expected", [(2, 2), ("2", 2), (" 12 ", 12), ("-1", -1),
                                            (0, 0)])
def test_whole_numbers(value, expected):
    assert whole_number(value) == expected


@pytest.mark.parametrize("value", [2.5, 2.0, "2.5", "2,5", "", "deux", True, False, None, "²",
                                   "٣", "1e3", [2], "9" * 30])
def test_not_whole_numbers(value):
    assert whole_number(value) is None


@pytest.mark.parametrize("quantity", [2.5, "2.5", 2.0, True, "²"])
def test_quantities_are_not_truncated(quantity):
    """A quantity of 2.5 was stored as 2 (subscriptions and basket lines)."""
    with pytest.raises(DomainError) as exc:
        grouped.check_buyer("Jean", "Dupont", "jean@dupont.fr", quantity, True)
    assert set(exc.value.details) == {"quantity"}
    with pytest.raises(DomainError) as exc:
        baskets.check_quantity(quantity)
    assert set(exc.value.details) == {"quantity"}


def test_quantities_from_forms_still_work():
    assert grouped.check_buyer("Jean", "Dupont", "jean@dupont.fr", "3", True)[3] == 3
    assert baskets.check_quantity(" 4 ") == 4


def test_nul_bytes_are_found_anywhere():
    assert has_nul("a\x00b")
    assert has_nul({"x": ["ok", {"y": "\x00"}]})
    assert has_nul({"\x00": 1})
    assert has_nul(("a", "b\x00"))
    assert not has_nul({"x": ["ok", 1, None, 2.5, {"y": "é"}]})
    with pytest.raises(DomainError) as exc:
        check_no_nul(1, "a", {"email": "a\x00@b.fr"})
    assert exc.value.code == "invalid" and "caractère nul" in exc.value.message
    check_no_nul("a", {"b": ["c"]})


def test_every_rpc_entrypoint_refuses_a_nul_byte_before_running():
    """The services' own door: psycopg2 raised ValueError (a 500) on a NUL in a subscription,
    a basket, a login or a search; now any RPC argument holding one is a DomainError."""
    import inspect

    from services.common.nameko_glue import rpc

    calls = []

    class Service:
        @rpc
        def subscribe(self, token, data, page=1):
            calls.append((token, data, page))
            return "ok"

    with pytest.raises(DomainError) as exc:
        Service().subscribe("t", {"email": "a\x00@b.fr"})
    with pytest.raises(DomainError):
        Service().subscribe("t", {}, page="\x00")
    assert exc.value.code == "invalid" and calls == []
    assert Service().subscribe("t", {"email": "a@b.fr"}) == "ok"
    # nameko checks the real signature, not the wrapper's
    assert list(inspect.signature(Service.subscribe).parameters) == ["self", "token", "data",
                                                                      "page"]
