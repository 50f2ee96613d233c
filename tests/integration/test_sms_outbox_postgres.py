"""The SMS outbox on a real PostgreSQL (issue 9's new-order alerts): two senders at once (two
instances of notifications) send each SMS once (SKIP LOCKED), and the outbox refuses a second
row for one (event, number). Only a database of its own and a fake HTTP provider on 127.0.0.1."""
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from services.notifications import use_cases
from services.notifications.adapters.sms import HttpSmsProvider
from services.notifications.models import Base, Sms
from tests.support.fake_sms import FakeSmsProvider
from tests.support.suite import throwaway_db

NOW = datetime.now(timezone.utc)


@pytest.fixture
def pg():
    with throwaway_db(f"lsbt_sms_{uuid.uuid4().hex[:8]}", "notifications", Base.metadata) as db:
        yield db


def queue(db, count):
    with db.transaction() as s:
        s.add_all(Sms(kind="sub_order_paid", event_id=f"ev-{i}", to_number="+33612345678",
                      text=f"Nouvelle commande {i}", created_at=NOW, next_attempt_at=NOW,
                      attempts=0) for i in range(count))


def test_two_senders_at_once_send_each_sms_once(pg):
    queue(pg, 30)
    with FakeSmsProvider(token="t", delay=0.02) as fake:
        provider = HttpSmsProvider(fake.url, "t", timeout=10)
        with ThreadPoolExecutor(2) as pool:
            counts = list(pool.map(
                lambda _: use_cases.send_due_sms(pg, provider, lambda: NOW), range(2)))
    assert sum(counts) == 30 and all(counts), counts  # both worked, none twice
    texts = [m["text"] for m in fake.received]
    assert sorted(texts) == sorted(f"Nouvelle commande {i}" for i in range(30))
    with pg.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Sms).where(
            Sms.sent_at.is_(None))) == 0
        assert s.scalar(select(func.max(Sms.attempts))) == 1


def test_one_sms_per_event_and_number(pg):
    queue(pg, 1)
    with pytest.raises(IntegrityError):
        queue(pg, 1)
