"""The baskets service: starts, migrates and answers `health`; its features come with their issue."""
from services.common.nameko_glue import MessagingService, Store

from .models import Base


class BasketsService(MessagingService):
    name = "baskets"
    store = Store(Base.metadata)
