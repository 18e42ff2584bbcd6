from core.models.channel import Channel
from core.models.outbox import EventDelivery, OutboxEvent
from core.models.plugin_config import PluginConfiguration

__all__ = ["Channel", "EventDelivery", "OutboxEvent", "PluginConfiguration"]
