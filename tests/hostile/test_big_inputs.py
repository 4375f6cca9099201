"""Inputs that once cost memory or the whole article: a huge section, a line of 3,000 "一", a NUL byte."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from crawler.fixture_site.content import load_articles
from crawler.fixture_site.render import render_article_page
from normalize import fingerprint as fp
from normalize.extract import RawPage
from normalize.numbers import chinese_to_int, parse_number
from normalize.pipeline import process_pages

ARTICLE = load_articles("articles")[0]
URL = "http://127.0.0.1/yiliao/yibaozhishi/202505/1500001.html"


def _unchunked_minhash(text: str) -> np.ndarray:
    """The implementation before chunking, kept as the reference: stored band keys must not change."""
    a, b = fp._permutations(fp.NUM_PERM)
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if points.size == 0:
        return np.full(fp.NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    k = min(fp.SHINGLE_K, points.size)
    windows = np.zeros(points.size - k + 1, dtype=np.uint64)
    for offset in range(k):
        windows = windows * fp._POLY + points[offset : offset + windows.size]
    hashes = fp._fmix32(((windows ^ (windows >> np.uint64(32))) & np.uint64(0xFFFFFFFF)).astype(np.uint32))
    return (hashes[:, None] * a + b).min(axis=0)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "医保",  # shorter than k
        "\n".join(text for _, text in ARTICLE.paragraphs),  # a normal section
        "\n".join(text for _, text in ARTICLE.paragraphs) * 20,  # several chunks, with a seam inside a shingle
    ],
)
def test_chunked_minhash_equals_unchunked(text: str) -> None:
    assert np.array_equal(fp.section_minhash(text).hashvalues, _unchunked_minhash(text))


def test_minhash_memory_bounded_by_chunk() -> None:
    # one 1,000,000-character section: the whole-matrix version peaked near 500 MB
    text = ("\n".join(text for _, text in ARTICLE.paragraphs) * 3000)[:1_000_000]
    assert len(text) == 1_000_000
    tracemalloc.start()
    try:
        fp.section_minhash(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024


def test_giant_numeral_is_not_a_number() -> None:
    # 3,000 "一" would be a 3,000-digit integer: float() overflowed and the article failed
    assert chinese_to_int("一" * 3000) is None
    assert parse_number("一" * 3000) is None
    assert parse_number("1" * 400) is None
    assert parse_number("十五") == 15.0


def test_article_with_giant_line_and_nul_is_processed() -> None:
    paragraphs = list(ARTICLE.paragraphs)
    paragraphs.insert(3, ("p", "办理时限:" + "一" * 3000 + "个工作日"))
    body = render_article_page(ARTICLE, paragraphs).encode().replace(b"</h1>", b"\x00</h1>", 1)
    result = process_pages([RawPage(URL, body, "text/html; charset=utf-8")])
    assert result.sections and result.article.title


def test_section_that_breaks_record_typing_costs_only_its_records(monkeypatch: pytest.MonkeyPatch) -> None:
    # whatever a line does to the record patterns, the article is kept with a quality note
    from normalize import pipeline

    real = pipeline.section_records

    def breaks_on_first_titled(section, *args):  # type: ignore[no-untyped-def]
        if section.index == 1:  # section 0 is the untitled intro
            raise OverflowError("int too large to convert to float")
        return real(section, *args)

    monkeypatch.setattr(pipeline, "section_records", breaks_on_first_titled)
    body = render_article_page(ARTICLE, list(ARTICLE.paragraphs)).encode()
    result = process_pages([RawPage(URL, body, "text/html; charset=utf-8")])
    assert [s.heading is None for s in result.sections] == [True, False, False]
    assert result.sections[1].records == [] and result.sections[2].records  # the other section is typed
    assert any("section 2: records not read (OverflowError" in p for p in result.article.problems)
