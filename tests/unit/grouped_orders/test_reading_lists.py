"""Reading lists (issue 10): a grouped order of several titles, each required or optional, a
sub-order of one line per title, figures per title to the cent; the opening day (K1)."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from services.common.errors import DomainError
from services.grouped_orders import domain
from services.grouped_orders.domain import (AWAITING_PAYMENT, PAID, SUB_CANCELLED, Line, Sub,
                                            Title)

UTC = timezone.utc
WESTERN, LIVRE, CEMETERY = "9791097284657", "9782362210419", "9782330150136"
TITLES = [Title(WESTERN, Decimal("14.90"), True), Title(LIVRE, Decimal("6.40"), False)]


def test_titles_are_one_or_more_each_once_each_with_a_public_price():
    articles = [({"ean": WESTERN, "price_ttc": "14.90"}, True),
                ({"ean": LIVRE, "price_ttc": "6.40"}, False)]
    assert domain.check_titles(articles) == TITLES
    for bad, field in (([], "titles"), (articles + [articles[0]], "titles"),
                       ([({"ean": CEMETERY, "price_ttc": "0"}, True)], "titles")):
        with pytest.raises(DomainError) as exc:
            domain.check_titles(bad)
        assert set(exc.value.details) == {field}
    with pytest.raises(DomainError):
        domain.check_titles([({"ean": str(i), "price_ttc": "1"}, True)
                             for i in range(domain.MAX_TITLES + 1)])


def test_a_title_out_of_print_or_unavailable_is_never_offered_to_parents():
    """Parents would pay for a book the bookshop cannot get: « épuisé » or « indisponible »
    in the catalogue is refused in French; « à paraître » and « sur commande » are fine."""
    for availability, word in (("epuise", "épuisé"), ("indisponible", "indisponible")):
        with pytest.raises(DomainError) as exc:
            domain.check_titles([({"ean": WESTERN, "title": "WESTERN", "price_ttc": "14.90",
                                   "availability": availability}, True)])
        assert exc.value.code == "invalid" and f"« WESTERN » est {word}" in exc.value.message
    for availability in ("a_paraitre", "sur_commande", "disponible", ""):
        assert domain.check_titles([({"ean": WESTERN, "price_ttc": "14.90",
                                      "availability": availability}, True)])


def test_what_the_initiator_asked_for_one_ean_or_a_list():
    assert domain.titles_asked({"ean": WESTERN}) == [(WESTERN, False)]
    assert domain.titles_asked({"titles": [{"ean": WESTERN}, {"ean": LIVRE, "optional": True}]}) \
        == [(WESTERN, False), (LIVRE, True)]
    for bad in ({}, {"titles": []}, {"titles": [{"ean": ""}]},
                {"titles": [{"ean": str(i)} for i in range(domain.MAX_TITLES + 1)]}):
        with pytest.raises(DomainError):
            domain.titles_asked(bad)


def test_a_line_per_title_an_optional_one_at_zero_a_required_one_at_least_one():
    lines = domain.check_lines(TITLES, {WESTERN: "2", LIVRE: 0})
    assert lines == [Line(WESTERN, 2, Decimal("14.90")), Line(LIVRE, 0, Decimal("6.40"))]
    assert domain.lines_total(lines) == Decimal("29.80") and domain.lines_quantity(lines) == 2
    # an optional title left empty is 0
    assert domain.check_lines(TITLES, {WESTERN: 1})[1].quantity == 0
    with pytest.raises(DomainError) as exc:  # a required title at 0
        domain.check_lines(TITLES, {WESTERN: 0, LIVRE: 3})
    assert set(exc.value.details) == {f"quantity_{WESTERN}"}
    assert "titre obligatoire" in exc.value.details[f"quantity_{WESTERN}"][0]
    only_optional = [Title(LIVRE, Decimal("6.40"), False), Title(CEMETERY, Decimal("25"), False)]
    with pytest.raises(DomainError) as exc:  # nothing at all
        domain.check_lines(only_optional, {LIVRE: 0, CEMETERY: "0"})
    assert exc.value.details == {"quantity": ["Commandez au moins un exemplaire."]}
    for bad in ("2.5", -1, domain.MAX_QUANTITY + 1, "deux", True):
        with pytest.raises(DomainError) as exc:
            domain.check_lines(TITLES, {WESTERN: 1, LIVRE: bad})
        assert set(exc.value.details) == {f"quantity_{LIVRE}"}
    with pytest.raises(DomainError) as exc:  # a title that is not in the list
        domain.check_lines(TITLES, {WESTERN: 1, CEMETERY: 1})
    assert "Titre inconnu" in exc.value.details["quantity"][0]


def test_the_subscription_says_every_mistake_at_once():
    with pytest.raises(DomainError) as exc:
        domain.check_subscription("", "Leto", "nope", TITLES, {WESTERN: 0}, False)
    assert set(exc.value.details) == {"first_name", "email", "accepted_terms",
                                      f"quantity_{WESTERN}"}
    # one title given as one `quantity`: its mistake under "quantity", as before reading lists
    asked, single = domain.quantities_asked(TITLES[:1], None, "2.5")
    assert (asked, single) == ({WESTERN: "2.5"}, True)
    with pytest.raises(DomainError) as exc:
        domain.check_subscription("A", "B", "a@b.fr", TITLES[:1], asked, True, single)
    assert set(exc.value.details) == {"quantity"}
    with pytest.raises(DomainError):  # several titles need a quantity each
        domain.quantities_asked(TITLES, None, 2)
    assert domain.quantities_asked(TITLES, [{"ean": WESTERN, "quantity": 1}], None) == \
        ({WESTERN: 1}, False)
    with pytest.raises(DomainError):
        domain.quantities_asked(TITLES, [{"ean": WESTERN, "quantity": 1}] * 2, None)


def test_a_two_title_reading_list_to_the_cent_per_title_and_overall():
    """WESTERN COQUILLETTES 14.90 (required), LE LIVRE… 6.40 (optional): Leto 2 + 1 paid
    (36.20), Diaz 1 + 0 paid (14.90: the optional title at 0), Rourke 1 + 2 cancelled (27.70),
    Grandville 3 + 1 awaiting (51.10)."""
    def sub(number, status, western, livre):
        return Sub(number, status, (Line(1, western, Decimal("14.90")),
                                    Line(2, livre, Decimal("6.40"))))
    subs = [sub(1, PAID, 2, 1), sub(2, PAID, 1, 0), sub(3, SUB_CANCELLED, 1, 2),
            sub(4, AWAITING_PAYMENT, 3, 1)]
    assert [s.total for s in subs] == [Decimal("36.20"), Decimal("14.90"), Decimal("27.70"),
                                       Decimal("51.10")]
    s = domain.summarize(subs, [1, 2, 3])
    assert s.articles == {SUB_CANCELLED: 3, AWAITING_PAYMENT: 4, PAID: 4}
    assert s.sub_orders == {SUB_CANCELLED: 1, AWAITING_PAYMENT: 1, PAID: 2}
    assert s.totals == {AWAITING_PAYMENT: Decimal("51.10"), PAID: Decimal("51.10")}
    western, livre, nobody = s.titles[1], s.titles[2], s.titles[3]
    assert western.copies == {SUB_CANCELLED: 1, AWAITING_PAYMENT: 3, PAID: 3}
    assert western.totals == {SUB_CANCELLED: Decimal("14.90"), AWAITING_PAYMENT: Decimal("44.70"),
                              PAID: Decimal("44.70")}
    assert livre.copies == {SUB_CANCELLED: 2, AWAITING_PAYMENT: 1, PAID: 1}
    assert livre.totals[PAID] == Decimal("6.40") and livre.totals[SUB_CANCELLED] == \
        Decimal("12.80")
    assert nobody.copies == {SUB_CANCELLED: 0, AWAITING_PAYMENT: 0, PAID: 0}
    # the titles add up to the whole, status by status
    for status in (PAID, AWAITING_PAYMENT):
        assert western.totals[status] + livre.totals[status] == s.totals[status]
        assert western.copies[status] + livre.copies[status] == s.articles[status]


def test_the_references_single_title_figures_are_unchanged():
    price = Decimal("14.90")  # n°62
    s = domain.summarize([Sub.single(147, 2, price, PAID), Sub.single(148, 1, price,
                                                                      SUB_CANCELLED),
                          Sub.single(149, 3, price, PAID)])
    assert (s.articles[PAID], s.articles[SUB_CANCELLED], s.totals[PAID]) == \
        (5, 1, Decimal("74.50"))


def test_the_opening_day_k1():
    deadline = date(2026, 12, 20)
    now = datetime(2026, 12, 6, 22, 0, tzinfo=UTC)  # 23:00 in Paris, the 6th
    assert domain.check_opening(None, deadline, now) is None
    assert domain.check_opening("", deadline, now) is None
    assert domain.check_opening("2026-12-10", deadline, now) == date(2026, 12, 10)
    assert domain.check_opening("10/12/2026", deadline, now) == date(2026, 12, 10)  # typed
    for bad, message in (("2026-12-05", "passé"), ("2026-12-21", "précéder la date limite"),
                         ("32/12/2026", "pas une date valide")):
        with pytest.raises(DomainError) as exc:
            domain.check_opening(bad, deadline, now)
        assert message in exc.value.message and set(exc.value.details) == {"opens_on"}
    opens = date(2026, 12, 7)
    assert domain.not_open_yet(opens, now)  # 23:00 on the 6th, Paris time
    assert not domain.can_subscribe(domain.OPEN, deadline, now, opens)
    with pytest.raises(DomainError) as exc:
        domain.check_subscription_open(domain.OPEN, deadline, now, opens)
    assert exc.value.code == "conflict" and exc.value.message == (
        "Les souscriptions à cette commande groupée ouvriront le 07/12/2026 : revenez à partir "
        "de cette date.")
    midnight = datetime(2026, 12, 6, 23, 0, tzinfo=UTC)  # 00:00 on the 7th in Paris
    assert domain.can_subscribe(domain.OPEN, deadline, midnight, opens)
    assert domain.can_subscribe(domain.OPEN, deadline, now, None)
