"""The re-crawl policy: interval doubling and shrinking, the list stop rule, and their database side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from crawler.cli import main
from db.models import ArticleVisit, ListProgress, PageVersion, ProcessJob
from db.schedule import (
    DAY,
    ListProgressState,
    RevisitMode,
    RevisitPolicy,
    VisitOutcome,
    may_stop_list,
    next_interval,
    next_visit_at,
)
from db.session import session_scope
from db.store import (
    due_article_ids,
    finish_list_passes,
    list_progress,
    prepare_pages,
    raise_pass_depth,
    record_fetch_failures,
    record_visits,
    scheduled_urls,
    store_articles,
    stored_articles,
)
from schema.records import FetchedArticle, FetchedPage

POLICY = RevisitPolicy(initial=DAY, minimum=6 * 3600, maximum=30 * DAY)
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_interval_doubles_while_unchanged_up_to_the_maximum() -> None:
    intervals = [POLICY.initial]
    for _ in range(6):
        intervals.append(next_interval(POLICY, intervals[-1], VisitOutcome.UNCHANGED))
    assert intervals == [DAY, 2 * DAY, 4 * DAY, 8 * DAY, 16 * DAY, 30 * DAY, 30 * DAY]


def test_interval_halves_on_change_down_to_the_minimum() -> None:
    assert next_interval(POLICY, 8 * DAY, VisitOutcome.CHANGED) == 4 * DAY
    assert next_interval(POLICY, 8 * 3600, VisitOutcome.CHANGED) == 6 * 3600


def test_new_article_starts_at_the_initial_interval() -> None:
    assert next_interval(POLICY, None, VisitOutcome.UNCHANGED) == DAY
    assert next_interval(POLICY, 16 * DAY, VisitOutcome.NEW) == DAY


def test_incomplete_fetch_keeps_interval_and_comes_back_soon() -> None:
    assert next_interval(POLICY, 4 * DAY, VisitOutcome.INCOMPLETE) == 4 * DAY
    assert next_visit_at(NOW, 4 * DAY, VisitOutcome.INCOMPLETE, POLICY) == NOW + timedelta(seconds=POLICY.minimum)
    assert next_visit_at(NOW, 4 * DAY, VisitOutcome.UNCHANGED, POLICY) == NOW + timedelta(days=4)


def test_failed_first_fetch_retries_on_a_growing_interval() -> None:
    assert next_interval(POLICY, None, VisitOutcome.FAILED) == POLICY.minimum
    assert next_interval(POLICY, POLICY.minimum, VisitOutcome.FAILED) == 2 * POLICY.minimum
    assert next_interval(POLICY, 20 * DAY, VisitOutcome.FAILED) == 30 * DAY


def test_policy_bounds_are_checked() -> None:
    with pytest.raises(ValueError, match="min"):
        RevisitPolicy(initial=3600, minimum=7200, maximum=DAY)


@pytest.mark.parametrize(
    ("page_no", "without_new", "depth", "progress", "stops"),
    [
        (3, 2, 2, ListProgressState(complete_depth=10), True),  # a finished pass covered the list: cut
        (3, 1, 2, ListProgressState(complete_depth=10), False),  # only one page in a row without news
        (3, 2, 2, ListProgressState(), False),  # no pass reached the end yet (first or killed crawl)
        (3, 2, 2, ListProgressState(complete_depth=10, pass_depth=6), False),  # resume past the interrupted pass
        (7, 2, 2, ListProgressState(complete_depth=10, pass_depth=6), True),
        (9, 5, 0, ListProgressState(complete_depth=10), False),  # --list-depth 0: walk everything
    ],
)
def test_list_stop_rule(page_no: int, without_new: int, depth: int, progress: ListProgressState, stops: bool) -> None:
    assert may_stop_list(page_no, without_new, depth, progress) is stops


def _page(article_id: int, page_no: int, body: bytes, status: int = 200) -> FetchedPage:
    url = f"http://127.0.0.1/yiliao/yibaozhishi/202505/{article_id}{'' if page_no == 1 else f'_{page_no}'}.html"
    return FetchedPage(url, page_no, status, body, "text/html", "2026-12-01T00:00:00+00:00", etag=f'"{article_id}-{page_no}"')


def _store(engine: Engine, *articles: FetchedArticle) -> list[VisitOutcome]:
    with session_scope(engine) as session:
        results = store_articles(session, [(a, prepare_pages(a)) for a in articles])
        record_visits(session, [(a.article_id, a.url, r.outcome) for a, r in zip(articles, results, strict=True)],
                      POLICY, NOW)
    return [r.outcome for r in results]


def _article(article_id: int, *pages: FetchedPage) -> FetchedArticle:
    return FetchedArticle(article_id, pages[0].url, list(pages))


def _count(engine: Engine, model: type) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model)) or 0


def test_not_modified_pages_store_nothing_and_count_unchanged(engine: Engine) -> None:
    # a 304 on both pages of a stored article: no version, no job, outcome unchanged, interval doubled
    assert _store(engine, _article(7, _page(7, 1, b"<p>a</p>"), _page(7, 2, b"<p>b</p>"))) == [VisitOutcome.NEW]
    before = (_count(engine, PageVersion), _count(engine, ProcessJob))
    assert _store(engine, _article(7, _page(7, 1, b"", 304), _page(7, 2, b"", 304))) == [VisitOutcome.UNCHANGED]
    assert (_count(engine, PageVersion), _count(engine, ProcessJob)) == before == (2, 1)
    with engine.connect() as connection:
        assert connection.scalar(select(ArticleVisit.interval_seconds)) == 2 * DAY


def test_page_changed_behind_a_304_first_page_is_a_change(engine: Engine) -> None:
    # page 1 unchanged (304), page 2 new bytes: one new version, a job built from the old page 1 and new page 2
    _store(engine, _article(7, _page(7, 1, b"<p>a</p>"), _page(7, 2, b"<p>b</p>")))
    assert _store(engine, _article(7, _page(7, 1, b"", 304), _page(7, 2, b"<p>c</p>"))) == [VisitOutcome.CHANGED]
    assert (_count(engine, PageVersion), _count(engine, ProcessJob)) == (3, 2)
    with engine.connect() as connection:
        assert connection.scalar(select(ArticleVisit.interval_seconds)) == DAY // 2


def test_not_modified_page_without_stored_version_is_left_out(engine: Engine) -> None:
    # a 304 for a page the database lacks (rows deleted by hand) stores nothing for it: the job is incomplete
    _store(engine, _article(8, _page(8, 1, b"", 304), _page(8, 2, b"<p>b</p>")))
    with engine.connect() as connection:
        assert list(connection.execute(select(PageVersion.page_no))) == [(2,)]
        assert connection.scalar(select(ProcessJob.complete)) is False


def test_lookup_says_stored_pages_and_due(engine: Engine) -> None:
    # the batched lookup gives each stored article's current pages and whether its visit is due
    _store(engine, _article(1, _page(1, 1, b"x"), _page(1, 2, b"y")), _article(2, _page(2, 1, b"z")))
    with engine.connect() as connection:
        before = stored_articles(connection, [1, 2, 3], NOW.isoformat())
        after = stored_articles(connection, [1, 2], (NOW + timedelta(days=2)).isoformat())
        every = stored_articles(connection, [1], NOW.isoformat(), RevisitMode.ALL)
        never = stored_articles(connection, [1], (NOW + timedelta(days=2)).isoformat(), RevisitMode.NONE)
    assert sorted(before) == [1, 2] and [p.etag for p in before[1].pages] == ['"1-1"', '"1-2"']
    assert not before[1].due and after[1].due and every[1].due and not never[1].due


def test_page_set_shrinks_to_the_newest_job(engine: Engine) -> None:
    # an article that lost its page 2 is revisited as one page (the newest page set), not as the stale two
    _store(engine, _article(1, _page(1, 1, b"x"), _page(1, 2, b"y")))
    _store(engine, _article(1, _page(1, 1, b"x2")))
    with engine.connect() as connection:
        assert len(stored_articles(connection, [1], NOW.isoformat())[1].pages) == 1


def test_due_ids_come_in_batches(engine: Engine) -> None:
    # due ids are paged through by id; articles with no schedule row (stored before v5) are due
    _store(engine, *[_article(i, _page(i, 1, b"p%d" % i)) for i in range(1, 8)])
    later = (NOW + timedelta(days=2)).isoformat()
    with session_scope(engine) as session:
        session.execute(ArticleVisit.__table__.delete().where(ArticleVisit.article_id == 7))
        session.execute(ArticleVisit.__table__.update().where(ArticleVisit.article_id == 3)
                        .values(next_visit_at=(NOW + timedelta(days=9)).isoformat()))
    with engine.connect() as connection:
        first = due_article_ids(connection, later, 0, 3, RevisitMode.DUE)
        rest = due_article_ids(connection, later, first[-1], 10, RevisitMode.DUE)
        now_due = due_article_ids(connection, NOW.isoformat(), 0, 10, RevisitMode.DUE)
        every = due_article_ids(connection, NOW.isoformat(), 0, 10, RevisitMode.ALL)
        none = due_article_ids(connection, later, 0, 10, RevisitMode.NONE)
    assert first == [1, 2, 4] and rest == [5, 6, 7]
    assert now_due == [7] and every == list(range(1, 8)) and none == []


def test_failed_fetches_are_scheduled_for_a_retry(engine: Engine) -> None:
    # a never-stored article whose first page failed is due after the minimum interval, with its URL; a
    # stored one whose revisit failed waits twice its interval; continuation pages and lists are ignored
    _store(engine, _article(101, _page(101, 1, b"x")))
    url = "http://127.0.0.1/yiliao/yibaozhishi/202505/{}.html"
    with session_scope(engine) as session:
        record_fetch_failures(session, [url.format(105), url.format(101), url.format("106_2"), "http://127.0.0.1/dongtai/"],
                              POLICY, NOW)
    soon = (NOW + timedelta(hours=7)).isoformat()
    with engine.connect() as connection:
        assert due_article_ids(connection, soon, 0, 10, RevisitMode.DUE) == [105]
        assert scheduled_urls(connection, [105]) == {105: url.format(105)}
        assert connection.scalar(select(ArticleVisit.interval_seconds).where(ArticleVisit.article_id == 101)) == 2 * DAY
        assert connection.scalar(select(func.count()).select_from(ArticleVisit)) == 2


def test_list_progress_pass_and_finish(engine: Engine) -> None:
    # the pass depth only grows; a finished pass records its depth and clears the interrupted one
    url = "http://127.0.0.1/yiliao/yibaozhishi/"
    with session_scope(engine) as session:
        raise_pass_depth(session, url, 4)
        raise_pass_depth(session, url, 2)
    with engine.connect() as connection:
        assert list_progress(connection, url) == ListProgressState(complete_depth=0, pass_depth=4)
    with session_scope(engine) as session:
        finish_list_passes(session, {url: 9})
        finish_list_passes(session, {url: 3})  # a later pass cut short keeps the deeper finished depth
    with engine.connect() as connection:
        assert list_progress(connection, url) == ListProgressState(complete_depth=9, pass_depth=0)
        assert connection.scalar(select(func.count()).select_from(ListProgress)) == 1


def test_crawl_help_explains_the_knobs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["crawl", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert exit_info.value.code == 0
    assert "--list-depth K" in out and "finished run" in out
    assert "--revisit {due,all,none}" in out and "30 days" in out


@pytest.mark.parametrize("argv", [["--list-depth", "-1"], ["--list-depth", "two"], ["--revisit", "some"]])
def test_bad_crawl_knob_is_a_usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["crawl", *argv])
    assert exit_info.value.code == 2
    assert argv[0] in capsys.readouterr().err
