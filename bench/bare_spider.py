"""The baseline for the crawl benchmark: a bare Scrapy spider that only fetches and follows same-site links."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start_url: str = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_url = start_url
        self.allowed_domains = [urlsplit(start_url).hostname or ""]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.start_url)

    def parse(self, response: scrapy.http.Response) -> Iterator[scrapy.Request]:
        for href in response.css("a::attr(href)").getall():
            if not href.startswith(("javascript:", "mailto:")):
                yield response.follow(href, callback=self.parse)
