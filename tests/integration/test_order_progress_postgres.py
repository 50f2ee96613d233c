"""Progress moves on a real PostgreSQL (references 002 §2 and 003 step 2): five identical moves
of the bookshop at once give one transition, one history row and one `order_progressed` (the
four others a French 409); five owners' facts meaning the same move at once (two instances of
order_desk, or a late twin) move the progress once."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from services.common.errors import DomainError
from services.common.progress import CONFIRMING, READY, REGISTERED
from services.order_desk import use_cases
from services.order_desk.models import Base, ProgressHistory, RegisterEntry
from tests.support.suite import throwaway_db

NOW = datetime.now(timezone.utc)
TIMES = 5


@pytest.fixture
def pg():
    with throwaway_db(f"lsbt_progress_{uuid.uuid4().hex[:8]}", "order_desk",
                      Base.metadata) as db:
        with db.transaction() as s:
            s.add(RegisterEntry(kind="collectivity_order", number=7, customer_name="Anne",
                                customer_email="anne@vp.org", client_name="VP",
                                client_number="21", search_key="", total_ttc=0,
                                progress=REGISTERED, detail_url="", created_at=NOW,
                                updated_at=NOW))
        yield db


def at_once(fn):
    barrier = threading.Barrier(TIMES)

    def one(i):
        barrier.wait(timeout=10)
        try:
            return fn(i)
        except DomainError as exc:
            return exc
    with ThreadPoolExecutor(TIMES) as pool:
        return list(pool.map(one, range(TIMES), timeout=60))


def counted(db, events):
    with db.transaction() as s:
        rows = s.scalar(select(func.count()).select_from(ProgressHistory))
    return rows, len([e for e in events if e[0] == "order_progressed"])


def test_five_identical_desk_moves_at_once_move_once(pg):
    events, lock = [], threading.Lock()

    def record(session, event_type, payload):
        with lock:
            events.append((event_type, payload))

    def move(i):
        with pg.transaction() as s:
            return use_cases.record_move(s, "collectivity_order", 7, CONFIRMING, "stock",
                                         "admin@librairie.test", REGISTERED, NOW, record)

    answers = at_once(move)
    refused = [a for a in answers if isinstance(a, DomainError)]
    assert len(refused) == TIMES - 1 and {e.code for e in refused} == {"conflict"}
    assert all("entre-temps" in e.message or "déjà" in e.message for e in refused)
    assert counted(pg, events) == (1, 1)


def test_five_owner_facts_of_the_same_move_at_once_move_once(pg):
    events, lock = [], threading.Lock()

    def record(session, event_type, payload):
        with lock:
            events.append((event_type, payload))

    def apply(i):
        with pg.transaction() as s:
            return use_cases.apply_owner_progress(s, "collectivity_order", 7, READY, NOW,
                                                  "système", "", NOW, record)

    assert sorted(at_once(apply)) == [False] * (TIMES - 1) + [True]
    assert counted(pg, events) == (1, 1)
    assert events[0][1]["mail"] is False   # baskets' own mail told the customer
