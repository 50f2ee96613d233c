"""grouped_orders tables. Only the messaging tables for now; the feature's own tables come with its issue."""
from services.common.db import make_base

Base = make_base()
