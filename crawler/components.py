"""What every database-backed Scrapy component checks in `from_crawler`, written once."""

from __future__ import annotations

from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings


def database_url_if_enabled(settings: BaseSettings, switch: str) -> str:
    """The database URL, or NotConfigured when the component's switch is off or no URL is set."""
    if not settings.getbool(switch, True):
        raise NotConfigured(f"{switch} is off")
    db_url = settings.get("SHEBAO_DB_URL")
    if not db_url:
        raise NotConfigured("SHEBAO_DB_URL is not set")
    return str(db_url)
