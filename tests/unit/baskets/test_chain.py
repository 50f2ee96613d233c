"""The approval chain (reference 001, annexe §2-3): every role x every action x every state of a
basket, allowed or refused with the right kind of refusal; the return path; the field checks."""
import pytest

from services.baskets.domain import chain as domain
from services.baskets.domain import tabs
from services.baskets.domain.chain import Actor, BasketState
from services.common.errors import DomainError

U = Actor(1, "utilisateur", frozenset({"16"}))          # the basket's owner
U2 = Actor(4, "utilisateur", frozenset({"16"}))         # another Utilisateur of the client
A = Actor(2, "approbateur", frozenset({"16"}))
A2 = Actor(5, "approbateur", frozenset({"16"}))
C = Actor(3, "collectivite", frozenset({"16"}))
X = Actor(9, "collectivite", frozenset({"21"}))         # another collectivity
ADMIN = Actor(100, "admin", frozenset())
ACTORS = {"U": U, "U2": U2, "A": A, "C": C, "X": X, "ADMIN": ADMIN}


def basket(level=0, path=(0,), locked=False, lines=1, owner=U):
    return BasketState(owner.id, owner.role, "16", level, path, locked, lines)


STATES = {
    "draft": basket(),
    "at_approver": basket(1, (0, 1), True),
    "at_approver_unlocked": basket(1, (0, 1), False),
    "at_collectivity": basket(2, (0, 1, 2), True),
    "at_collectivity_unlocked": basket(2, (0, 1, 2), False),
    "transformed": basket(3, (0, 1, 2, 3), True),
}

# expected outcome for the Utilisateur's basket, per state (rows) and action (columns): in each
# cell one letter per actor U, U2, A, C, X, ADMIN (in that order): O ok, K conflict, . forbidden
OUTCOMES = """
                          rename delete edit   submit unlock lock   return transform recall
draft                     O..... O..... O..... O..... K..... K..... K..... ......    K.....
at_approver               O.O... K..... ..K... ..O... ..O... ..K... ..O... ......    O.....
at_approver_unlocked      O.O... K..... ..O... ..O... ..K... ..O... ..O... ......    K.....
at_collectivity           O.OO.. K..... ...K.. ...... ...O.. ...K.. ...O.. ...O..    K.....
at_collectivity_unlocked  O.OO.. K..... ...O.. ...... ...K.. ...O.. ...O.. ...O..    K.....
transformed               K.KK.. K.KK.. K.KK.. K.KK.. K.KK.. K.KK.. K.KK.. K.KK..    K.KK..
"""
F, K, OK = "forbidden", "conflict", "ok"
WHO = ("U", "U2", "A", "C", "X", "ADMIN")


def outcomes(text):
    """{state: {action: (outcome for each actor of WHO)}} from the table above."""
    header, *rows = text.strip("\n").splitlines()
    letter = {"O": OK, "K": K, ".": F}
    table = {}
    for state, *cells in map(str.split, rows):
        assert len(cells) == len(header.split()) and all(len(c) == len(WHO) for c in cells)
        table[state] = {action: tuple(letter[c] for c in cell)
                        for action, cell in zip(header.split(), cells, strict=True)}
    return table


TABLE = outcomes(OUTCOMES)
CASES = [(state, action, who, TABLE[state][action][i])
         for state in TABLE for action in domain.ACTIONS
         for i, who in enumerate(WHO)]


@pytest.mark.parametrize("state,action,who,expected", CASES,
                         ids=[f"{s}-{a}-{w}" for s, a, w, _ in CASES])
def test_every_role_every_action_every_state(state, action, who, expected):
    actor, b = ACTORS[who], STATES[state]
    if expected == OK:
        domain.check(actor, b, action)
        assert action in domain.allowed(actor, b)
    else:
        with pytest.raises(DomainError) as exc:
            domain.check(actor, b, action)
        assert exc.value.code == expected and exc.value.message
        assert action not in domain.allowed(actor, b)


def test_the_table_covers_every_action():
    assert all(set(row) == set(domain.ACTIONS) for row in TABLE.values())


def test_any_approbateur_of_the_client_holds_a_basket_at_its_level():
    b = STATES["at_approver"]
    assert domain.allowed(A2, b) == domain.allowed(A, b) == ["rename", "submit", "unlock",
                                                             "return"]


def test_the_utilisateur_chain_with_returns_goes_back_where_it_came_from():
    b = STATES["draft"]
    move = domain.submit(U, b)
    assert (move.to_level, move.path, move.locked) == (1, (0, 1), True)
    b = BasketState(1, "utilisateur", "16", move.to_level, move.path, move.locked, 1)
    move = domain.submit(A, b)
    assert (move.to_level, move.path, move.locked) == (2, (0, 1, 2), True)
    b = BasketState(1, "utilisateur", "16", move.to_level, move.path, move.locked, 1)
    move, comment = domain.return_(C, b, "  Le tome 2 est épuisé.  ")
    assert (move.to_level, move.path, move.locked, comment) == \
        (1, (0, 1), True, "Le tome 2 est épuisé.")
    b = BasketState(1, "utilisateur", "16", move.to_level, move.path, move.locked, 1)
    move, _ = domain.return_(A, b, "")
    assert (move.to_level, move.path, move.locked) == (0, (0,), False)


def test_an_approbateur_sends_its_own_basket_straight_to_the_collectivite_and_gets_it_back():
    own = basket(owner=A)
    assert domain.action_labels(own)["submit"] == "Transmettre ce panier à la collectivité"
    assert domain.allowed(A, own) == ["rename", "delete", "edit", "submit"]
    move = domain.submit(A, own)
    assert (move.to_level, move.path) == (2, (0, 2))
    at_c = BasketState(A.id, A.role, "16", 2, move.path, True, 1)
    assert domain.allowed(C, at_c) == ["rename", "unlock", "return", "transform"]
    assert domain.allowed(A, at_c) == ["rename", "recall"]  # its owner sees it, takes it back
    move, _ = domain.return_(C, at_c, "À revoir")
    assert (move.to_level, move.path, move.locked) == (0, (0,), False)


def test_a_collectivite_transforms_its_own_basket_directly():
    own = basket(owner=C)
    assert domain.allowed(C, own) == ["rename", "delete", "edit", "transform"]
    with pytest.raises(DomainError) as exc:
        domain.submit(C, own)
    assert exc.value.code == "forbidden"
    assert domain.transform(C, own).to_level == domain.TRANSFORMED
    # its draft is its own: the approbateur does not see it, nor may rename it
    assert not domain.can_see(A, own)


def test_an_empty_basket_is_neither_sent_nor_transformed():
    for actor, b in ((U, basket(lines=0)), (C, basket(owner=C, lines=0))):
        action = "submit" if actor is U else "transform"
        with pytest.raises(DomainError) as exc:
            domain.check(actor, b, action)
        assert exc.value.code == "conflict"


def test_who_sees_what():
    assert domain.can_see(U, STATES["at_collectivity"])            # the owner, always
    assert not domain.can_see(C, STATES["at_approver"])            # not yet at its level
    assert domain.can_see(A, STATES["transformed"]) and domain.can_see(C, STATES["transformed"])
    assert not any(domain.can_see(X, b) for b in STATES.values())
    assert not any(domain.can_see(U2, b) for b in STATES.values())


def test_the_top_bar_of_each_role():
    assert tabs.menus("utilisateur") == ("my_baskets",)
    assert tabs.menus("approbateur") == ("my_baskets", "to_validate", "sent_or_validated")
    assert tabs.menus("collectivite") == ("my_baskets", "to_validate", "validated")
    assert [tabs.MENU_LABELS[k] for k in tabs.menus("approbateur")] == [
        "Mon panier", "Paniers à valider", "Paniers envoyés/validés par la collectivité"]


def test_button_labels_follow_the_reference():
    assert domain.action_labels(STATES["draft"])["submit"] == "Envoyer ce panier à l'approbateur"
    labels = domain.action_labels(STATES["at_approver"])
    assert labels["submit"] == "Transmettre ce panier à la collectivité"
    assert labels["unlock"] == "Déverrouiller le panier"
    assert labels["return"] == "Retourner ce panier au rôle précédent"
    assert labels["transform_quote"] == "Transformer ce panier en demande de devis"


@pytest.mark.parametrize("value,expected", [(1, 1), (999, 999), ("12", 12), (" 3 ", 3)])
def test_quantities_from_1_to_999(value, expected):
    assert domain.check_quantity(value) == expected


@pytest.mark.parametrize("value", [0, -1, 1000, "0", "3.5", "abc", None, True, 2.0, ""])
def test_other_quantities_are_refused(value):
    with pytest.raises(DomainError) as exc:
        domain.check_quantity(value)
    assert exc.value.code == "invalid" and "quantity" in exc.value.details


def test_names_references_and_comments():
    assert domain.check_name("  ") == "Mon panier"
    assert domain.check_name("  CDI   rentrée ") == "CDI rentrée"
    with pytest.raises(DomainError):
        domain.check_name("x" * 101)
    assert domain.check_reference(" BC-2021 / 42 ") == "BC-2021 / 42"
    assert domain.check_reference("R" * 50) == "R" * 50
    for bad in ("", "   ", None, "R" * 51):
        with pytest.raises(DomainError) as exc:
            domain.check_reference(bad)
        assert "reference" in exc.value.details
    with pytest.raises(DomainError):
        domain.check_comment("c" * 1001)


def test_unknown_actions_and_admins():
    with pytest.raises(DomainError) as exc:
        domain.check(U, STATES["draft"], "fly")
    assert exc.value.code == "invalid"
    with pytest.raises(DomainError) as exc:
        domain.check_collectivity_actor(ADMIN)
    assert exc.value.code == "forbidden"


@pytest.mark.parametrize("value,expected", [(27, 27), ("27", 27), (" 3 ", 3), (0, None),
                                            ("../1", None), (None, None), (2**31, None),
                                            ("1e3", None)])
def test_basket_and_document_numbers_from_callers(value, expected):
    assert domain.row_id(value) == expected


def test_a_transformed_basket_is_frozen_and_the_client_is_chosen_or_the_only_one():
    assert domain.frozen(domain.TRANSFORMED) and not domain.frozen(domain.AT_COLLECTIVITY)
    assert domain.client_number(["16"], None) == "16"
    assert domain.client_number(["16", "21"], " 21 ") == "21"
    with pytest.raises(DomainError) as exc:
        domain.client_number(["16", "21"], "")
    assert exc.value.details == {"client_number": ["Choisissez un client."]}


@pytest.mark.parametrize("active,role,bookshop,ok", [
    (True, "utilisateur", False, True), (True, "admin", True, True),
    (True, "admin", False, False), (True, "collectivite", True, False),
    (False, "utilisateur", False, False), (False, "admin", True, False)])
def test_each_call_rechecks_its_account(active, role, bookshop, ok):
    if ok:
        domain.check_account(active, role, bookshop)
    else:
        with pytest.raises(DomainError) as exc:
            domain.check_account(active, role, bookshop)
        assert exc.value.code == "forbidden"


def test_adding_to_a_line_over_the_maximum_says_how_many_are_there_already():
    """998 copies added to a line of 2: « La quantité doit être un nombre entier entre 1 et
    999 » although 998 is one; the message now says the line's total."""
    assert domain.check_added_quantity(2, "997") == 999
    with pytest.raises(DomainError) as exc:
        domain.check_added_quantity(2, "998")
    assert exc.value.code == "invalid" and exc.value.message == (
        "Ce panier contient déjà 2 exemplaires de cet article : 999 au plus par article "
        "(997 de plus au maximum).")
    with pytest.raises(DomainError) as exc:
        domain.check_added_quantity(2, "abc")
    assert "entre 1 et 999" in exc.value.message
