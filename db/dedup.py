"""Deduplication in the database: section clusters through persisted LSH band keys, and re-posts.

A new section's band keys are looked up in `lsh_band`; each candidate cluster is confirmed by the
estimated Jaccard against the cluster's founding section, and the best one over the threshold is
joined. Otherwise the section founds a cluster whose id is a hash of its canonical text, so
re-running the same pages reproduces the same ids. No pair of sections is ever compared exhaustively.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Article, LshBand, SectionCluster
from db.session import utc_now
from normalize.fingerprint import (
    JACCARD_THRESHOLD,
    band_keys,
    section_minhash,
    section_text,
    topic_from_heading,
)

MAX_CANDIDATE_CLUSTERS = 20  # band hits are ranked by how many bands they share; more is noise


def _signature(minhash: object) -> bytes:
    return np.asarray(minhash.hashvalues, dtype="<u8").tobytes()  # type: ignore[attr-defined]


def _jaccard_estimate(a: bytes, b: bytes) -> float:
    left, right = np.frombuffer(a, dtype="<u8"), np.frombuffer(b, dtype="<u8")
    return float(np.mean(left == right)) if left.size == right.size and left.size else 0.0


def _candidate_clusters(session: Session, keys: list[str]) -> list[tuple[str, bytes]]:
    hits: dict[str, int] = {}
    for cluster_id in session.scalars(select(LshBand.section_cluster_id).where(LshBand.band_key.in_(keys))):
        hits[cluster_id] = hits.get(cluster_id, 0) + 1
    ranked = sorted(hits, key=lambda c: (-hits[c], c))[:MAX_CANDIDATE_CLUSTERS]
    if not ranked:
        return []
    rows = session.execute(
        select(SectionCluster.section_cluster_id, SectionCluster.minhash).where(
            SectionCluster.section_cluster_id.in_(ranked)
        )
    ).all()
    order = {c: i for i, c in enumerate(ranked)}
    return sorted(((r[0], r[1]) for r in rows), key=lambda r: order[r[0]])


def _remember_bands(session: Session, keys: list[str], cluster_id: str) -> None:
    known = set(
        session.scalars(
            select(LshBand.band_key).where(LshBand.band_key.in_(keys), LshBand.section_cluster_id == cluster_id)
        )
    )
    for key in keys:
        if key not in known:
            session.add(LshBand(band_key=key, section_cluster_id=cluster_id))


def assign_section_cluster(
    session: Session, section_id: str, heading: str, body: str, place_names: Sequence[str]
) -> tuple[str, bytes]:
    """The cluster this section belongs to (joined or founded), and the section's MinHash signature."""
    text = section_text(heading, body.splitlines(), place_names)
    minhash = section_minhash(text)
    signature = _signature(minhash)
    keys = band_keys(minhash)
    best: tuple[float, str] | None = None
    for cluster_id, founder in _candidate_clusters(session, keys):
        similarity = _jaccard_estimate(signature, founder)
        if similarity >= JACCARD_THRESHOLD and (best is None or similarity > best[0]):
            best = (similarity, cluster_id)
    if best is not None:
        cluster_id = best[1]
    else:
        cluster_id = "c" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        if session.get(SectionCluster, cluster_id) is None:
            topic = topic_from_heading(heading, place_names)
            session.add(SectionCluster(section_cluster_id=cluster_id, topic=topic, created_at=utc_now(), minhash=signature))
            session.flush()
    _remember_bands(session, keys, cluster_id)
    return cluster_id, signature


def _age_key(article: Article) -> tuple[str, int]:
    return (article.published_at or "9999", article.article_id)


def refresh_duplicates(session: Session, fingerprint: str | None) -> None:
    """Among articles with this body fingerprint, the earliest is the original; the rest point to its URL."""
    if not fingerprint:
        return
    group = list(session.scalars(select(Article).where(Article.body_fingerprint == fingerprint)))
    if not group:
        return
    original = min(group, key=_age_key)
    for article in group:
        article.duplicate_of = None if article is original else original.url
