"""grouped_orders tables: grouped orders, their titles (a reading list: one or more articles,
each a snapshot at its public price, required or optional), their sub-orders with one line per
title, and each sub-order's payment attempts."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (JSON, Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String,
                        Text, UniqueConstraint, true)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.common.db import make_base

Base = make_base()


class GroupedOrder(Base):
    __tablename__ = "grouped_orders"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(30), index=True)
    initiator_id: Mapped[int] = mapped_column(Integer, index=True)
    initiator_email: Mapped[str] = mapped_column(String(254))
    client_number: Mapped[str] = mapped_column(String(40))
    client_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    # the first title (what events' `article` carries, as before reading lists)
    article: Mapped[dict] = mapped_column(JSON)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    deadline: Mapped[date] = mapped_column(Date)
    opens_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # first day (K1)
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    pickup_kind: Mapped[str] = mapped_column(String(20))   # bookshop | collectivity
    pickup_label: Mapped[str] = mapped_column(Text)
    billing_label: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    # how buyers may pay: "online", plus "cheque" and/or "cash" at the bookshop (issue 9)
    payment_methods: Mapped[str] = mapped_column(String(40), default="online",
                                                 server_default="online")
    # issue 10: the minimum of paid copies to go ahead, the cap on held copies (None: none)
    min_copies: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_copies: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    made_available_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                               nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    classic_order_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    librisoft_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    librisoft_status: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # a cancellation after validation: when the bridge told Librisoft, when Librisoft took it
    librisoft_cancel_told_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                                      nullable=True)
    librisoft_cancel_done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                                      nullable=True)
    # reminders before the deadline (K1): when the initiator's went (the timer's claim), and
    # whether the bookshop lets buyers who have not paid be reminded
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    buyer_reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # distribution day (issue 10 K5): its date and optional time slot (« de 16 h 30 à 18 h »),
    # set once validated; whether buyers are mailed when their books are ready (None: the
    # pickup kind's default, domain.ready_mails_on)
    distribution_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    distribution_slot: Mapped[str] = mapped_column(String(100), default="", server_default="")
    buyer_ready_mails: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # loaded when a view needs them, not on every lookup (a subscription must not read the
    # whole list of its grouped order's sub-orders)
    subs: Mapped[list["SubOrder"]] = relationship(back_populates="grouped_order",
                                                  order_by="SubOrder.number", lazy="select")
    titles: Mapped[list["GroupedOrderTitle"]] = relationship(
        back_populates="grouped_order", order_by="GroupedOrderTitle.position", lazy="selectin")


class GroupedOrderTitle(Base):
    """A title of a grouped order (its reading list), in the initiator's order."""
    __tablename__ = "grouped_order_titles"
    __table_args__ = (UniqueConstraint("grouped_order_number", "position"),
                      UniqueConstraint("grouped_order_number", "ean"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    grouped_order_number: Mapped[int] = mapped_column(ForeignKey("grouped_orders.number"),
                                                      index=True)
    position: Mapped[int] = mapped_column(Integer)           # 1, 2, … as listed
    ean: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(Text, default="")
    publisher: Mapped[str] = mapped_column(Text, default="")
    vat_rate: Mapped[str] = mapped_column(String(10))
    price_ttc: Mapped[Decimal] = mapped_column(Numeric(10, 2))  # the public price, per copy
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    # issue 10: its own minimum of paid copies at the deadline (None: none; domain.title_minimums)
    min_copies: Mapped[int | None] = mapped_column(Integer, nullable=True)
    article: Mapped[dict] = mapped_column(JSON)                 # the article's snapshot
    grouped_order: Mapped[GroupedOrder] = relationship(back_populates="titles")


class SubOrder(Base):
    __tablename__ = "sub_orders"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    grouped_order_number: Mapped[int] = mapped_column(ForeignKey("grouped_orders.number"),
                                                      index=True)
    buyer_token: Mapped[str] = mapped_column(String(64), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    # optional: the pupil (and class) the books are for, as the parent typed it
    pupil: Mapped[str] = mapped_column(String(100), default="", server_default="")
    quantity: Mapped[int] = mapped_column(Integer)             # copies, every title
    total: Mapped[Decimal] = mapped_column(Numeric(10, 2))     # TTC: the sum of its lines
    status: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    paid_manually: Mapped[bool] = mapped_column(default=False)
    # the buyer's choice (online | cheque | cash), then how it was paid; a cheque's number
    payment_method: Mapped[str] = mapped_column(String(10), default="online",
                                                server_default="online")
    cheque_number: Mapped[str | None] = mapped_column(String(7), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    paid_payment_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    refund_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_payment_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # the payment reminder before the deadline (K1): when it went (the timer's claim)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # the distribution date the buyer was reminded of the day before (the timer's claim)
    eve_reminded_for: Mapped[date | None] = mapped_column(Date, nullable=True)
    grouped_order: Mapped[GroupedOrder] = relationship(back_populates="subs")
    attempts: Mapped[list["PaymentAttempt"]] = relationship(
        back_populates="sub_order", order_by="PaymentAttempt.id", lazy="selectin")
    lines: Mapped[list["SubOrderLine"]] = relationship(
        back_populates="sub_order", order_by="SubOrderLine.position", lazy="selectin")


class SubOrderLine(Base):
    """A sub-order's quantity of one title (0 for an optional title not taken)."""
    __tablename__ = "sub_order_lines"
    __table_args__ = (UniqueConstraint("sub_order_number", "title_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sub_order_number: Mapped[int] = mapped_column(ForeignKey("sub_orders.number"), index=True)
    title_id: Mapped[int] = mapped_column(ForeignKey("grouped_order_titles.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)              # the title's
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))  # TTC, the title's price then
    sub_order: Mapped["SubOrder"] = relationship(back_populates="lines")
    title: Mapped[GroupedOrderTitle] = relationship(lazy="joined")


class PaymentAttempt(Base):
    __tablename__ = "payment_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sub_order_number: Mapped[int] = mapped_column(ForeignKey("sub_orders.number"), index=True)
    payment_id: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    state: Mapped[str] = mapped_column(String(20))
    redirect_url: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # money that arrived although it was not owed (after a refusal, a cancellation, twice):
    # refunded automatically, and why
    refund_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    refund_reason: Mapped[str] = mapped_column(String(200), default="")
    refund_amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), nullable=True)
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    sub_order: Mapped[SubOrder] = relationship(back_populates="attempts")


class InvoicedOrder(Base):
    """An order of ours (a sub-order) that invoicing has invoiced (`invoice_issued`): while its
    invoice is live, the order can no longer be cancelled; a credit note that cancels the whole
    invoice makes it live no more (issue 9, reference 003 step 2)."""
    __tablename__ = "invoiced_orders"
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_number: Mapped[str] = mapped_column(String(20))
    live: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TitleAvailability(Base):
    """A title of a closed reading list cut by the bookshop (issue 10, K3): the copies it will
    actually get, when it said so, and when it checked the adjusted lines (« J'ai vérifié »;
    until then they show in red)."""
    __tablename__ = "title_availabilities"
    title_id: Mapped[int] = mapped_column(ForeignKey("grouped_order_titles.id"),
                                          primary_key=True)
    grouped_order_number: Mapped[int] = mapped_column(ForeignKey("grouped_orders.number"),
                                                      index=True)
    available: Mapped[int] = mapped_column(Integer)
    adjusted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SubOrderAdjustment(Base):
    """One sub-order's line changed by one cut of a title: its copies before and after, the
    money owed back and how (online refund | by hand « à rendre » | none), once per sub-order,
    title and available quantity (the unique key: a second identical cut adds nothing)."""
    __tablename__ = "sub_order_adjustments"
    __table_args__ = (UniqueConstraint("sub_order_number", "title_id", "available",
                                       name="uq_sub_order_adjustments_step"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sub_order_number: Mapped[int] = mapped_column(ForeignKey("sub_orders.number"), index=True)
    title_id: Mapped[int] = mapped_column(ForeignKey("grouped_order_titles.id"))
    available: Mapped[int] = mapped_column(Integer)
    quantity_before: Mapped[int] = mapped_column(Integer)
    quantity_after: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))  # owed back to the buyer
    money_way: Mapped[str] = mapped_column(String(20))      # online_refund | by_hand | none
    refund_state: Mapped[str | None] = mapped_column(String(20), nullable=True)  # requested|refunded
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # when payments gave the partial refund back (the buyer's page says it)
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
class CreditNoteRefund(Base):
    """A credit note on a sub-order's paid invoice (invoicing's `invoice_issued`): the money it
    gives back, asked of payments once (its number is the key), then refunded."""
    __tablename__ = "credit_note_refunds"
    credit_note_number: Mapped[str] = mapped_column(String(20), primary_key=True)
    sub_order_number: Mapped[int] = mapped_column(ForeignKey("sub_orders.number"), index=True)
    invoice_number: Mapped[str] = mapped_column(String(20), default="")
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    reason: Mapped[str] = mapped_column(Text, default="")
    refund_state: Mapped[str] = mapped_column(String(20))           # requested | refunded
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SubOrderCredit(Base):
    """The copies a credit note took off a sub-order (invoicing's `invoice_issued` with its
    `lines`): its lines and total were reduced once (the credit note's number is the key), so
    the copies credited are neither ordered, nor counted paid, nor handed over; its refund (a
    `CreditNoteRefund` of the same number) is then already out of the total, never deducted a
    second time (`credit_refunds.credited`)."""
    __tablename__ = "sub_order_credits"
    credit_note_number: Mapped[str] = mapped_column(String(20), primary_key=True)
    sub_order_number: Mapped[int] = mapped_column(ForeignKey("sub_orders.number"), index=True)
    copies: Mapped[int] = mapped_column(Integer)                     # taken off the lines
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))          # TTC taken off the total
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DistributionMark(Base):
    """Distribution day (issue 10 K5): a sub-order's « venu » and « a tout retiré », who ticked
    last and when."""
    __tablename__ = "distribution_marks"
    sub_order_number: Mapped[int] = mapped_column(ForeignKey("sub_orders.number"),
                                                  primary_key=True)
    grouped_order_number: Mapped[int] = mapped_column(ForeignKey("grouped_orders.number"),
                                                      index=True)
    came: Mapped[bool] = mapped_column(Boolean, default=False)
    collected_all: Mapped[bool] = mapped_column(Boolean, default=False)
    marked_by: Mapped[str] = mapped_column(String(254))
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DistributionNote(Base):
    """A refund or an extra payment noted at pickup (amount and why), shown in the recap."""
    __tablename__ = "distribution_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sub_order_number: Mapped[int] = mapped_column(ForeignKey("sub_orders.number"), index=True)
    grouped_order_number: Mapped[int] = mapped_column(ForeignKey("grouped_orders.number"),
                                                      index=True)
    kind: Mapped[str] = mapped_column(String(10))              # refund | extra
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    comment: Mapped[str] = mapped_column(Text)
    noted_by: Mapped[str] = mapped_column(String(254))
    noted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Distribution(Base):
    """« Valider la distribution »: once per grouped order (its primary key), who and when,
    and who did not come."""
    __tablename__ = "distributions"
    grouped_order_number: Mapped[int] = mapped_column(ForeignKey("grouped_orders.number"),
                                                      primary_key=True)
    validated_by: Mapped[str] = mapped_column(String(254))
    validated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    absent: Mapped[list] = mapped_column(JSON)                 # sub-order numbers
