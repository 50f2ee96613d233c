"""The grouped_orders service: starts, migrates and answers `health`; its features come with their issue."""
from services.common.nameko_glue import MessagingService, Store

from .models import Base


class GroupedOrdersService(MessagingService):
    name = "grouped_orders"
    store = Store(Base.metadata)
