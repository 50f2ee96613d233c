"""The order desk's pure rules: filters, calendar (Paris days), the owners' progress mapping."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from services.common.errors import DomainError
from services.common.progress import CANCELLED, DONE, PROCESSING, READY, REGISTERED
from services.order_desk.domain import calendar, filters, mapping, register


# ---- filters ---------------------------------------------------------------------------------
def test_no_filter_is_every_order_newest_first_page_one():
    f = filters.parse({})
    assert (f.sort, f.direction, f.page, f.offset) == ("date", "desc", 1, 0)
    assert f.number is None and f.customer == () and f.invoiced is None


def test_filters_are_parsed_french_amounts_and_folded_customer():
    f = filters.parse({"number": "62", "customer": "  Martine MOËNNE ", "amount_from": "12,5",
                       "amount_to": "761,92 €", "period_from": "2013-01-01",
                       "period_to": "2013-03-01", "kind": "sub_order",
                       "payment_state": "succeeded", "progress": "processing",
                       "invoiced": "yes", "sort": "amount", "direction": "asc", "page": "3"})
    assert f.number == 62 and f.customer == ("martine", "moenne")
    assert (f.amount_from, f.amount_to) == (Decimal("12.50"), Decimal("761.92"))
    assert (f.period_from, f.period_to) == (date(2013, 1, 1), date(2013, 3, 1))
    assert (f.kind, f.payment_state, f.progress, f.invoiced) == (
        "sub_order", "succeeded", "processing", True)
    assert (f.sort, f.direction, f.page, f.offset) == ("amount", "asc", 3, 50)
    assert filters.parse(filters.as_query(f)) == filters.Filters(
        **{**f.__dict__, "sort": "date", "direction": "desc", "page": 1})


def test_a_day_is_a_one_day_period():
    f = filters.parse({"day": "2021-01-18"})
    assert f.period_from == f.period_to == date(2021, 1, 18)


def test_a_reversed_amount_range_is_refused_in_french():
    with pytest.raises(DomainError) as err:
        filters.parse({"amount_from": "100", "amount_to": "10"})
    assert err.value.code == "invalid"
    assert "supérieur ou égal" in err.value.message
    assert "amount_to" in err.value.details


@pytest.mark.parametrize("data, field", [
    ({"amount_from": "douze"}, "amount_from"), ({"amount_to": "-3"}, "amount_to"),
    ({"amount_from": "NaN"}, "amount_from"), ({"number": "12a"}, "number"),
    ({"period_from": "2021-02-30"}, "period_from"),
    ({"period_from": "2021-02-02", "period_to": "2021-02-01"}, "period_to"),
    ({"kind": "basket"}, "kind"), ({"payment_state": "paid"}, "payment_state"),
    ({"progress": "shipped"}, "progress"), ({"invoiced": "maybe"}, "invoiced"),
    ({"sort": "title"}, "sort"), ({"direction": "up"}, "direction"), ({"page": "0"}, "page"),
    # digits str.isdigit() accepts but int() refuses (a 500 on /admin/commandes)
    ({"number": "²"}, "number"), ({"page": "²"}, "page"), ({"number": "１２"}, "number"),
    # « 1e2 » was read as 100 € (an outside tester); a cent is the smallest amount
    ({"amount_from": "1e2"}, "amount_from"), ({"amount_to": "12,505"}, "amount_to"),
])
def test_bad_filters_are_refused_field_by_field(data, field):
    with pytest.raises(DomainError) as err:
        filters.parse(data)
    assert field in err.value.details and err.value.message


def test_pages():
    assert filters.pages(0, 1) == (1, None, None)
    assert filters.pages(26, 1) == (2, None, 2)
    assert filters.pages(50, 2) == (2, 1, None)


# ---- calendar --------------------------------------------------------------------------------
def test_a_paris_day_is_not_a_utc_day():
    # 23:30 UTC on 31 March 2021 (summer time, UTC+2) is 1 April in Paris
    assert register.paris_day(datetime(2021, 3, 31, 23, 30, tzinfo=timezone.utc)) == date(2021, 4, 1)
    # 22:59 UTC on 15 January (UTC+1) is still the 15th; 23:00 is the 16th
    assert register.paris_day("2021-01-15T22:59:00+00:00") == date(2021, 1, 15)
    assert register.paris_day("2021-01-15T23:00:00Z") == date(2021, 1, 16)


def test_the_month_of_reference_002():
    rows = [(date(2020, 12, 30), "sub_order", Decimal("1.00"), REGISTERED),
            (date(2021, 1, 18), "sub_order", Decimal("1.00"), REGISTERED),
            (date(2021, 1, 19), "collectivity_order", Decimal("1.00"), PROCESSING),
            (date(2021, 1, 27), "grouped_order", Decimal("55.00"), REGISTERED),
            (date(2021, 1, 27), "quote", Decimal("99.00"), REGISTERED),
            (date(2021, 1, 27), "sub_order", Decimal("7.50"), CANCELLED)]
    m = calendar.month(2021, 1, rows)
    # weeks from Monday 28/12 to Sunday 31/01, as in the manual
    assert m["weeks"][0][0].day == date(2020, 12, 28) and m["weeks"][-1][-1].day == date(2021, 1, 31)
    assert len(m["weeks"]) == 5 and all(len(w) == 7 for w in m["weeks"])
    cells = {c.day: c for w in m["weeks"] for c in w}
    assert (cells[date(2020, 12, 30)].count, cells[date(2020, 12, 30)].in_month) == (1, False)
    assert (cells[date(2021, 1, 18)].count, cells[date(2021, 1, 18)].total_ttc) == (1, Decimal("1.00"))
    # a grouped order counts once, its money is its sub-orders'; quotes and cancelled apart
    assert (cells[date(2021, 1, 27)].count, cells[date(2021, 1, 27)].total_ttc,
            cells[date(2021, 1, 27)].cancelled) == (1, Decimal("0.00"), 1)
    # the month adds its own days only (not 30/12): 3 orders, 2,00 €, as the manual's header
    assert (m["count"], m["total_ttc"], m["cancelled"]) == (3, Decimal("2.00"), 1)
    assert sum(c.total_ttc for c in cells.values() if c.in_month) == m["total_ttc"]


def test_months_and_their_neighbours():
    assert calendar.neighbours(2021, 1) == ((2020, 12), (2021, 2))
    assert calendar.neighbours(2021, 12) == ((2021, 11), (2022, 1))
    # no link to a month the calendar refuses (« Suiv. » at 2100-12 led to a 400)
    assert calendar.neighbours(2100, 12) == ((2100, 11), None)
    assert calendar.neighbours(2000, 1) == (None, (2000, 2))
    assert calendar.title(2021, 8) == "Août 2021"
    with pytest.raises(ValueError):
        calendar.check_month(2021, 13)


# ---- the owners' statuses on the progress vocabulary -----------------------------------------
def test_the_mapping_table_of_docs_architecture():
    assert mapping.owner_progress("grouped_order_validated") == ("grouped_order", PROCESSING)
    assert mapping.owner_progress("grouped_order_made_available") == ("grouped_order", READY)
    assert mapping.owner_progress("grouped_order_cancelled") == ("grouped_order", CANCELLED)
    assert mapping.owner_progress("collectivity_order_status_changed", "closed") == (
        "collectivity_order", DONE)
    assert mapping.owner_progress("collectivity_order_status_changed", "reset") is None
    assert mapping.owner_progress("sub_order_paid") is None


def test_an_order_only_moves_forward_and_final_states_stay():
    assert mapping.moves_forward(REGISTERED, PROCESSING)
    assert not mapping.moves_forward(READY, PROCESSING)       # a late "validated"
    assert not mapping.moves_forward(CANCELLED, PROCESSING)
    assert not mapping.moves_forward(DONE, CANCELLED)
    assert mapping.moves_forward(READY, CANCELLED)
    assert not mapping.moves_forward(READY, READY)


def test_fold_for_accent_and_case_free_search():
    assert register.fold("  Martine   MOËNNE ") == "martine moenne"


def test_the_addresses_copied_on_a_collectivitys_progress_are_each_given_once():
    from services.order_desk.domain.register import copied_emails
    assert copied_emails("Anne@vp.org", "anne@VP.org", "gestion@vp.org", "", None,
                         "Gestion@vp.org", "cdi@vp.org") == ["gestion@vp.org", "cdi@vp.org"]
    assert copied_emails("", "gestion@vp.org") == ["gestion@vp.org"]


def test_invoiced_takes_the_words_its_message_gives():
    """« oui ou non », said the refusal of ?invoiced=oui: both words are taken now."""
    assert filters.parse({"invoiced": "oui"}).invoiced is True
    assert filters.parse({"invoiced": " Non "}).invoiced is False


def test_a_customer_search_that_folds_to_nothing_is_refused_not_ignored():
    """« 😀 » listed every order, as if nothing had been typed."""
    with pytest.raises(DomainError) as exc:
        filters.parse({"customer": "😀"})
    assert exc.value.code == "invalid" and "customer" in exc.value.details
    assert filters.parse({"customer": "  "}).customer == ()
    assert filters.parse({"customer": "Élodie"}).customer == ("elodie",)
