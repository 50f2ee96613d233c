"""accounts tables: its replica of the collectivity clients (fed by librisoft_bridge events),
web accounts, their clients, their signed-in sessions, login attempts (and the rows that
serialise the throttling of one address or IP) and password reset tokens."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (JSON, Boolean, DateTime, ForeignKey, Index, Integer, Numeric, String,
                        false)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.common.db import make_base

Base = make_base()


class Client(Base):
    __tablename__ = "clients"
    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    addresses: Mapped[list] = mapped_column(JSON, default=list)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    gencod: Mapped[str] = mapped_column(String(13), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    discount_2_1: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    discount_5_5: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    discount_20: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    discount_school: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    lang_law_warning: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # the bookshop's own, not Librisoft's (a client update leaves them): Chorus Pro invoicing
    siret: Mapped[str | None] = mapped_column(String(14), nullable=True)
    chorus_service_code: Mapped[str | None] = mapped_column(String(100), nullable=True)
    revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    links: Mapped[list["AccountClient"]] = relationship(
        back_populates="account", cascade="all, delete-orphan", lazy="selectin")

    @property
    def client_numbers(self):
        return sorted(link.client_number for link in self.links)


class AccountClient(Base):
    __tablename__ = "account_clients"
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            primary_key=True)
    client_number: Mapped[str] = mapped_column(ForeignKey("clients.number"), primary_key=True)
    account: Mapped[Account] = relationship(back_populates="links")


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    success: Mapped[bool] = mapped_column(Boolean)
    __table_args__ = (Index("ix_login_attempts_email_at", "email", "at"),
                      Index("ix_login_attempts_ip_at", "ip", "at"))


class ResetToken(Base):
    __tablename__ = "reset_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AccountSession(Base):
    """One signed-in session (one browser): the gateway's cookie carries the token, this row
    its hash. Valid while not ended (sign-out), not expired, and the account is active with the
    same session_version (a password change or a deactivation ends every session)."""
    __tablename__ = "account_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            index=True)
    session_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LoginThrottleKey(Base):
    """One row per e-mail address / IP that tried to sign in ("email:x", "ip:y"): locked
    (SELECT ... FOR UPDATE) while an attempt is counted and recorded, so that concurrent
    attempts are counted one after the other."""
    __tablename__ = "login_throttle_keys"
    key: Mapped[str] = mapped_column(String(330), primary_key=True)
