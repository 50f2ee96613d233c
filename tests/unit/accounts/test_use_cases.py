from datetime import datetime, timedelta, timezone

import pytest

from services.accounts import domain, use_cases
from services.accounts.models import Base
from tests.support.fakes import Events, sqlite_database
from services.common.errors import DomainError

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def client(number, name, revision=1, active=True):
    return {"number": number, "revision": revision, "name": name, "active": active,
            "addresses": [{"label": "", "line1": "1 rue", "line2": "", "postal_code": "54000",
                           "city": "NANCY"}],
            "phone": "", "email": "", "gencod": "",
            "discounts": {"vat_2_1": "0", "vat_5_5": "9", "vat_20": "0", "school": "0"}}


@pytest.fixture
def db(tmp_path):
    with sqlite_database("accounts", Base, tmp_path) as database:
        yield from _seeded(database)


def _seeded(database):
    with database.transaction() as s:
        use_cases.apply_client_update(s, client("16", "ECOLE JULES FERRY"), NOW)
        use_cases.apply_client_update(s, client("17", "COLLEGE VICTOR PROUVE"), NOW)
        use_cases.create_admin(s, "admin@librairie.test", "admin-password", NOW)
    yield database


def make(db, actor_id, email, role, clients, events=None):
    with db.transaction() as s:
        return use_cases.create_account(s, actor_id, {
            "email": email, "password": "password-2026", "confirmation": "password-2026",
            "role": role, "client_numbers": clients}, NOW, events if events is not None
            else Events())


def test_the_chain_of_account_creation(db):
    events = Events()
    coll = make(db, 1, "achats@ecole.fr", "collectivite", ["16"], events)
    appro = make(db, coll["id"], "chef@ecole.fr", "approbateur", ["16"], events)
    user = make(db, appro["id"], "biblio@ecole.fr", "utilisateur", ["16"], events)
    assert user["clients"] == [{"number": "16", "name": "ECOLE JULES FERRY"}]
    assert [e[0] for e in events] == ["account_created"] * 3
    assert events[2][1]["created_by_email"] == "chef@ecole.fr"
    with pytest.raises(DomainError):
        make(db, user["id"], "x@ecole.fr", "utilisateur", ["16"])
    with db.transaction() as s:
        visible = {a["email"] for a in use_cases.list_accounts(s, coll["id"])}
        assert visible == {"chef@ecole.fr", "biblio@ecole.fr"}
        assert {a["email"] for a in use_cases.list_accounts(s, appro["id"])} == \
            {"biblio@ecole.fr"}


def test_an_account_of_another_collectivity_sees_and_touches_nothing(db):
    a = make(db, 1, "achats@ecole.fr", "collectivite", ["16"])
    b = make(db, 1, "achats@college.fr", "collectivite", ["17"])
    u = make(db, a["id"], "biblio@ecole.fr", "utilisateur", ["16"])
    with db.transaction() as s:
        assert use_cases.list_accounts(s, b["id"]) == []
        with pytest.raises(DomainError) as exc:
            use_cases.set_active(s, b["id"], u["id"], False)
        assert exc.value.code == "forbidden"
    with pytest.raises(DomainError):
        make(db, b["id"], "x@college.fr", "utilisateur", ["16"])


def test_an_account_of_two_schools_is_listed_to_each_read_only(db):
    """An Utilisateur attached to clients 16 and 17 did not show in either Collectivité's
    « Comptes » list: it is listed to both, not (de)activable by either (the bookshop's)."""
    a = make(db, 1, "achats@ecole.fr", "collectivite", ["16"])
    make(db, 1, "achats@college.fr", "collectivite", ["17"])
    both = make(db, 1, "cdi@deux-ecoles.fr", "utilisateur", ["16", "17"])
    own = make(db, a["id"], "biblio@ecole.fr", "utilisateur", ["16"])
    with db.transaction() as s:
        listed = {x["email"]: x["manageable"] for x in use_cases.list_accounts(s, a["id"])}
        assert listed == {"cdi@deux-ecoles.fr": False, "biblio@ecole.fr": True}
        with pytest.raises(DomainError) as exc:
            use_cases.set_active(s, a["id"], both["id"], False)
        assert exc.value.code == "forbidden"
        assert use_cases.set_active(s, a["id"], own["id"], False)["active"] is False
        admin = {x["email"]: x["manageable"] for x in use_cases.list_accounts(s, 1)}
        assert admin["cdi@deux-ecoles.fr"] is True


def test_duplicate_email_is_refused_and_nothing_is_lost(db):
    make(db, 1, "achats@ecole.fr", "collectivite", ["16"])
    with pytest.raises(DomainError) as exc:
        make(db, 1, "ACHATS@ecole.fr", "approbateur", ["16"])
    assert "email" in exc.value.details
    with db.transaction() as s:
        assert len(use_cases.list_accounts(s, 1)) == 1


def test_authentication_records_attempts_and_throttles(db):
    with db.transaction() as s:
        assert use_cases.authenticate(s, "admin@librairie.test", "admin-password", "1.1.1.1",
                                      NOW)["role"] == "admin"
    for _ in range(5):
        with db.transaction() as s:
            assert use_cases.authenticate(s, "admin@librairie.test", "wrong", "1.1.1.1",
                                          NOW) is None
    with db.transaction() as s, pytest.raises(DomainError) as exc:
        use_cases.authenticate(s, "admin@librairie.test", "admin-password", "1.1.1.1", NOW)
    assert exc.value.code == "throttled"
    # the window passes
    with db.transaction() as s:
        assert use_cases.authenticate(s, "admin@librairie.test", "admin-password", "1.1.1.1",
                                      NOW + timedelta(minutes=16))


def test_unknown_and_inactive_accounts_look_the_same_as_a_wrong_password(db):
    u = make(db, 1, "achats@ecole.fr", "collectivite", ["16"])
    with db.transaction() as s:
        use_cases.set_active(s, 1, u["id"], False)
    with db.transaction() as s:
        assert use_cases.authenticate(s, "achats@ecole.fr", "password-2026", "ip", NOW) is None
        assert use_cases.authenticate(s, "nobody@ecole.fr", "password-2026", "ip", NOW) is None


def test_password_reset_is_one_time_and_expires(db):
    events = Events()
    make(db, 1, "achats@ecole.fr", "collectivite", ["16"])
    with db.transaction() as s:
        use_cases.request_password_reset(s, "achats@ecole.fr", NOW, events)
        use_cases.request_password_reset(s, "unknown@ecole.fr", NOW, events)
    assert len(events) == 1
    token = events[0][1]["token"]
    with db.transaction() as s:
        account = use_cases.reset_password(s, token, "new-password-1", "new-password-1", NOW)
    assert account["session_version"] == 2
    with db.transaction() as s, pytest.raises(DomainError):
        use_cases.reset_password(s, token, "new-password-2", "new-password-2", NOW)
    with db.transaction() as s:
        use_cases.request_password_reset(s, "achats@ecole.fr", NOW, events)
    with db.transaction() as s, pytest.raises(DomainError):
        use_cases.reset_password(s, events[1][1]["token"], "new-password-3", "new-password-3",
                                 NOW + timedelta(hours=2))
    with db.transaction() as s:
        assert use_cases.authenticate(s, "achats@ecole.fr", "new-password-1", "ip", NOW)


def test_older_reset_links_die_with_the_new_password_and_an_inbox_gets_three_an_hour(db):
    """Fifteen « Mot de passe oublié » sent fifteen mails, and after the owner reset the
    password with one link, an older link still changed it again (taking the account back)."""
    events = Events()
    make(db, 1, "achats@ecole.fr", "collectivite", ["16"])
    for minute in range(5):
        with db.transaction() as s:
            use_cases.request_password_reset(s, "achats@ecole.fr",
                                             NOW + timedelta(minutes=minute), events)
    assert len(events) == domain.MAX_RESET_LINKS == 3  # the other two: the same answer, no mail
    first, second, third = (e[1]["token"] for e in events)
    with db.transaction() as s:
        use_cases.reset_password(s, first, "new-password-1", "new-password-1", NOW)
    for older in (second, third):
        with db.transaction() as s:
            assert not use_cases.reset_link_valid(s, older, NOW)
        with db.transaction() as s, pytest.raises(DomainError):
            use_cases.reset_password(s, older, "taken-back-1", "taken-back-1", NOW)
    with db.transaction() as s:
        assert use_cases.authenticate(s, "achats@ecole.fr", "new-password-1", "ip", NOW)
    # an hour later, links may be sent again; a changed password ends them as well
    with db.transaction() as s:
        use_cases.request_password_reset(s, "achats@ecole.fr", NOW + timedelta(minutes=61),
                                         events)
    assert len(events) == 4
    account_id = events[-1][1]["account_id"]
    with db.transaction() as s:
        use_cases.change_password(s, account_id, "new-password-1", "new-password-2",
                                  "new-password-2", NOW + timedelta(minutes=62))
    with db.transaction() as s:
        assert not use_cases.reset_link_valid(s, events[-1][1]["token"],
                                              NOW + timedelta(minutes=63))


def test_client_updates_apply_by_revision_and_deactivate(db):
    with db.transaction() as s:
        assert not use_cases.apply_client_update(s, client("16", "OLD NAME", revision=1), NOW)
        assert use_cases.apply_client_update(s, client("16", "ECOLE JULES FERRY", revision=2,
                                                      active=False), NOW)
    with db.transaction() as s:
        overview = use_cases.clients_overview(s, 1)
        ferry = next(c for c in overview["clients"] if c["number"] == "16")
        assert ferry["active"] is False
        assert [c["number"] for c in use_cases.assignable_clients(s, 1)] == ["17"]


def test_overview_alerts_and_inactive_accounts(db):
    coll = make(db, 1, "achats@ecole.fr", "collectivite", ["16"])
    make(db, 1, "biblio@college.fr", "utilisateur", ["17"])
    with db.transaction() as s:
        use_cases.set_active(s, 1, coll["id"], False)
    with db.transaction() as s:
        overview = use_cases.clients_overview(s, 1)
    assert [a.split()[3] for a in overview["alerts"]] == ["17"]
    assert [a["email"] for a in overview["inactive_accounts"]] == ["achats@ecole.fr"]
    with db.transaction() as s, pytest.raises(DomainError):
        use_cases.clients_overview(s, coll["id"])


# ---- server-side sessions -------------------------------------------------------------------
def _sign_in(db, email, password, when=NOW):
    with db.transaction() as s:
        return use_cases.authenticate(s, email, password, "ip", when)


def _session_ok(db, token, when=NOW):
    with db.transaction() as s:
        try:
            return use_cases.session_account(s, token, when)["email"]
        except DomainError as exc:
            assert exc.code == "unauthorized"
            return None


def test_signing_out_ends_that_session_only(db):
    make(db, 1, "achats@ecole.fr", "collectivite", ["16"])
    phone = _sign_in(db, "achats@ecole.fr", "password-2026")["session_id"]
    laptop = _sign_in(db, "achats@ecole.fr", "password-2026")["session_id"]
    assert phone != laptop
    assert _session_ok(db, phone) == _session_ok(db, laptop) == "achats@ecole.fr"
    with db.transaction() as s:
        assert use_cases.end_session(s, phone, NOW) is True
    with db.transaction() as s:
        assert use_cases.end_session(s, phone, NOW) is False  # twice: nothing more
    assert _session_ok(db, phone) is None
    assert _session_ok(db, laptop) == "achats@ecole.fr"
    for forged in ("", None, "x" * 43, 12):
        assert _session_ok(db, forged) is None


def test_sessions_expire_and_end_with_a_password_change_or_deactivation(db):
    u = make(db, 1, "achats@ecole.fr", "collectivite", ["16"])
    first = _sign_in(db, "achats@ecole.fr", "password-2026")["session_id"]
    assert _session_ok(db, first, NOW + timedelta(hours=11)) == "achats@ecole.fr"
    assert _session_ok(db, first, NOW + timedelta(hours=12, seconds=1)) is None
    with db.transaction() as s:
        changed = use_cases.change_password(s, u["id"], "password-2026", "password-2027",
                                            "password-2027", NOW)
    assert _session_ok(db, first) is None
    assert _session_ok(db, changed["session_id"]) == "achats@ecole.fr"
    with db.transaction() as s:
        use_cases.set_active(s, 1, u["id"], False)
    assert _session_ok(db, changed["session_id"]) is None


def test_a_success_is_not_counted_as_a_failure(db):
    for _ in range(10):
        assert _sign_in(db, "admin@librairie.test", "admin-password")["role"] == "admin"
    for _ in range(4):
        assert _sign_in(db, "admin@librairie.test", "wrong") is None
    assert _sign_in(db, "admin@librairie.test", "admin-password")["role"] == "admin"


def test_a_reset_link_says_whether_it_still_works_before_the_form(db):
    """An old or used link showed the new-password form, and only after both passwords were
    typed said it no longer worked: it is now said at once, with a way to ask another one."""
    events = Events()
    make(db, 1, "achats@ecole.fr", "collectivite", ["16"])
    with db.transaction() as s:
        use_cases.request_password_reset(s, "achats@ecole.fr", NOW, events)
    token = events[0][1]["token"]
    with db.transaction() as s:
        assert use_cases.reset_link_valid(s, token, NOW)
        assert not use_cases.reset_link_valid(s, token, NOW + timedelta(hours=2))
        assert not use_cases.reset_link_valid(s, "not-a-token", NOW)
        assert not use_cases.reset_link_valid(s, "", NOW)
    with db.transaction() as s:
        use_cases.reset_password(s, token, "new-password-1", "new-password-1", NOW)
    with db.transaction() as s:
        assert not use_cases.reset_link_valid(s, token, NOW)  # used
