"""Scrapy settings for the 社保网 crawl: polite by default (robots.txt, AutoThrottle, retries, size limits)."""

from db.session import default_db_url

BOT_NAME = "shebao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
USER_AGENT = "shebao-pipeline/0.1 (+https://github.com/; research crawler)"

ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
RETRY_ENABLED = True
RETRY_TIMES = 2
SHEBAO_RETRY_AFTER_MAX = 30.0  # seconds at most per retry, whatever Retry-After asks (0 turns waiting off)
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024  # a "huge page" is dropped and counted, not parsed
DOWNLOAD_WARNSIZE = 1024 * 1024
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# Where pages go; `shebao crawl --db` overrides it.
SHEBAO_DB_URL = default_db_url()
SHEBAO_STORE_BATCH = 200  # items per write transaction (also flushed every half second)
SHEBAO_CONDITIONAL_REQUESTS = True
SHEBAO_STORE_MAX_CONSECUTIVE_FAILURES = 5  # then the database is taken to refuse writes: the crawl stops (exit 4)
SHEBAO_STORE_QUEUE_MAX = 400  # items waiting to be written; when full, the crawl waits (bounded memory)

# Re-crawl policy (db/schedule.py, README "Revisit policy"); `shebao crawl --list-depth/--revisit` override.
SHEBAO_LIST_DEPTH = 2  # stop a list after this many pages in a row with no article the database lacks (0: never)
SHEBAO_REVISIT = "due"  # stored articles requested again: due (by schedule), all, none
SHEBAO_REVISIT_BATCH = 500  # due articles read from the schedule per query
SHEBAO_REVISIT_INITIAL_SECONDS = 24 * 3600  # a new article's first revisit interval
SHEBAO_REVISIT_MIN_SECONDS = 6 * 3600  # a changed article's interval halves down to this
SHEBAO_REVISIT_MAX_SECONDS = 30 * 24 * 3600  # an unchanged article's interval doubles up to this

SHEBAO_WORKER_ENABLED = True
SHEBAO_JOB_LEASE_SECONDS = 300  # a claimed job another worker may take over after this (renewed while busy)
SHEBAO_JOB_MAX_ATTEMPTS = 3  # claims before a job is failed for good, its reason kept
SHEBAO_WORKER_JOIN_TIMEOUT = 600  # seconds the worker may go without finishing a job at the end; then stopped

# Crawl scope (crawler/scope.py): every trap ends by itself.
SHEBAO_LIST_FOLDER_DEPTH = 2  # category folders are at most this deep (yiliao/yibaozhishi/)
SHEBAO_LIST_MAX_PAGE_NUMBER = 1000  # index_N.html beyond this is not followed
SHEBAO_LIST_MAX_PAGES = 5000  # list pages per run
SHEBAO_MAX_PAGES_PER_ARTICLE = 20  # a `_N` chain longer than this is cut; the article is stored as incomplete
DEPTH_LIMIT = 1100  # backstop: list pagination (1000) plus categories and continuation pages

EXTENSIONS = {
    "crawler.extensions.ProcessingWorker": 500,
    "crawler.extensions.JobDirGuard": 100,  # resets a JOBDIR that cannot resume (see crawler/jobdir.py)
}
ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}
SHEBAO_ROBOTSTXT_TIMEOUT = 10.0  # seconds; a robots.txt that does not answer disallows its host (RFC 9309)

DOWNLOADER_MIDDLEWARES = {
    # robots.txt 5xx or no answer = full disallow for the host, 4xx = allow all (RFC 9309)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.Rfc9309RobotsTxtMiddleware": 100,
    # waits out Retry-After (capped) on 429/503 before RetryMiddleware (550) retries
    "crawler.retry_after.RetryAfterMiddleware": 555,
    # after RetryMiddleware (550) and before HttpCompression (590) on the way out
    "crawler.middlewares.ConditionalRequestMiddleware": 560,
}
