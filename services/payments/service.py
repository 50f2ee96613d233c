"""The payments service: starts, migrates and answers `health`; its features come with their issue."""
from services.common.nameko_glue import MessagingService, Store

from .models import Base


class PaymentsService(MessagingService):
    name = "payments"
    store = Store(Base.metadata)
