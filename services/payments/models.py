"""payments tables: payments, the provider notifications applied (one row per provider event id,
written in the same transaction as the state change), refunds, payouts and their lines (what
the provider pays out to the bookshop, reference 002 §3); and the sandbox provider's own
records (its checkouts, refunds and the notifications it sends back)."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (Boolean, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text,
                        UniqueConstraint, false, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.common.db import make_base

Base = make_base()

MONEY = Numeric(10, 2)


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    reference_kind: Mapped[str] = mapped_column(String(40))
    reference_id: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    description: Mapped[str] = mapped_column(String(200))
    customer_email: Mapped[str] = mapped_column(String(254))
    return_url: Mapped[str] = mapped_column(String(2000))
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    provider: Mapped[str] = mapped_column(String(40))
    checkout_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    redirect_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    state: Mapped[str] = mapped_column(String(20))
    # online (the provider's page) | cheque | cash (received by the bookshop, recorded by hand:
    # domain/manual.py); a cheque's 7-digit number and who recorded it
    method: Mapped[str] = mapped_column(String(10), default="online", server_default="online")
    cheque_number: Mapped[str | None] = mapped_column(String(7), nullable=True)
    recorded_by: Mapped[str | None] = mapped_column(String(254), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    refunds: Mapped[list["Refund"]] = relationship(
        back_populates="payment", lazy="selectin", order_by="Refund.created_at")
    __table_args__ = (
        UniqueConstraint("provider", "checkout_id", name="uq_payments_provider_checkout"),
        Index("ix_payments_reference", "reference_kind", "reference_id", "created_at"),
    )


class ProviderEvent(Base):
    """A provider notification applied (or deliberately ignored): its event id is taken once."""
    __tablename__ = "provider_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    provider: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(40))
    payment_id: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(20))  # applied | ignored | refunded
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (UniqueConstraint("provider", "event_id", name="uq_provider_events_id"),)


class Refund(Base):
    """A payment's refunds: one whole refund, or several partial ones (issue 10, K3), each under
    its own `request_key` (unique: a concurrent second one with the same key fails); together
    never more than was paid (domain.refunds, under the payment's row lock)."""
    __tablename__ = "refunds"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id"), index=True)
    request_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    reason: Mapped[str] = mapped_column(String(500), default="")
    state: Mapped[str] = mapped_column(String(20))  # pending | succeeded
    # the money of a success notified after a failure, given back automatically
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    provider_ref: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    payment: Mapped[Payment] = relationship(back_populates="refunds")
    __table_args__ = (UniqueConstraint("request_key", name="uq_refunds_request_key"),)


class Payout(Base):
    """The payments due to the bookshop on one date (one open payout per due date); its figures
    are recomputed from its lines."""
    __tablename__ = "payouts"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # open | paid
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    paid_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lines: Mapped[list["PayoutLine"]] = relationship(
        back_populates="payout", lazy="selectin", order_by="PayoutLine.id")
    __table_args__ = (
        Index("ix_payouts_due_on", "due_on", "status"),
        # one open payout per due date: a concurrent first confirmation of the day waits, then
        # joins the other's payout (use_cases.payouts)
        Index("uq_payouts_open_due_on", "due_on", unique=True,
              postgresql_where=text("status = 'open'"), sqlite_where=text("status = 'open'")),
    )


class PayoutLine(Base):
    """A confirmed payment paid out (amount TTC and its fee), or a refund taken back (amount
    given back, no fee). One line per payment, and one per refund."""
    __tablename__ = "payout_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    payout_id: Mapped[str] = mapped_column(ForeignKey("payouts.id"))
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id"))
    kind: Mapped[str] = mapped_column(String(20))  # payment | refund
    # the refund a refund line takes back ("" on a payment line): one line per refund
    refund_id: Mapped[str] = mapped_column(String(40), default="", server_default="")
    amount: Mapped[Decimal] = mapped_column(MONEY)
    fee: Mapped[Decimal] = mapped_column(MONEY)
    reference_kind: Mapped[str] = mapped_column(String(40))
    reference_id: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    payout: Mapped[Payout] = relationship(back_populates="lines")
    __table_args__ = (UniqueConstraint("payment_id", "kind", "refund_id",
                                       name="uq_payout_lines_payment_kind_refund"),)


# ---- the sandbox provider's records ---------------------------------------------------------
class SandboxCheckout(Base):
    __tablename__ = "sandbox_checkouts"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    payment_id: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    description: Mapped[str] = mapped_column(String(200))
    return_url: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(20))  # open | paid | refused | cancelled | error | expired
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SandboxRefund(Base):
    __tablename__ = "sandbox_refunds"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    checkout_id: Mapped[str] = mapped_column(ForeignKey("sandbox_checkouts.id"))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # the refund's key (RefundRequest.idempotency_key): asked again, the same refund
    idempotency_key: Mapped[str | None] = mapped_column(
        String(200), nullable=True, unique=True)


class SandboxNotification(Base):
    """A notification the sandbox owes the payments callback endpoint, kept until delivered."""
    __tablename__ = "sandbox_notifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(100), unique=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    __table_args__ = (Index("ix_sandbox_notifications_due", "delivered_at", "next_attempt_at"),)
