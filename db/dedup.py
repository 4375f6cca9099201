"""Deduplication in the database: section clusters through persisted LSH band keys, and re-posts.

A batch of new sections looks its band keys up in `lsh_band` (one indexed query per batch); each
candidate cluster is confirmed by the estimated Jaccard against the cluster's founding section, and
the best one over the threshold is joined. Otherwise the section founds a cluster whose id is a hash
of its canonical text, so re-running the same pages reproduces the same ids. No pair of sections is
ever compared exhaustively: the work per section is bounded by the clusters its band keys name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from db.models import Article, LshBand, SectionCluster
from db.session import in_chunks, utc_now
from normalize.fingerprint import (
    JACCARD_THRESHOLD,
    band_keys,
    section_minhash,
    section_text,
    topic_from_heading,
)

MAX_CANDIDATE_CLUSTERS = 20  # band hits are ranked by how many bands they share; more is noise


@dataclass(frozen=True, slots=True)
class SectionFingerprint:
    """What clustering needs of one section, computed without the database."""

    section_id: str
    topic: str
    cluster_seed: str  # id the section gets if it founds a cluster
    signature: bytes  # MinHash values, little-endian uint64
    keys: tuple[str, ...]  # LSH band keys


def fingerprint_section(
    section_id: str, heading: str | None, lines: Sequence[str], place_names: Sequence[str], title: str | None = None
) -> SectionFingerprint:
    """MinHash and band keys of a section; an untitled section (heading None) takes its topic from the title."""
    text = section_text(heading or "", lines, place_names)
    minhash = section_minhash(text)
    return SectionFingerprint(
        section_id=section_id,
        topic=topic_from_heading(heading or title or "", place_names),
        cluster_seed="c" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16],
        signature=np.asarray(minhash.hashvalues, dtype="<u8").tobytes(),
        keys=tuple(band_keys(minhash)),
    )


def jaccard_estimate(a: bytes, b: bytes) -> float:
    left, right = np.frombuffer(a, dtype="<u8"), np.frombuffer(b, dtype="<u8")
    return float(np.mean(left == right)) if left.size == right.size and left.size else 0.0


class _ClusterIndex:
    """The stored band → cluster map for the batch's keys, plus what the batch itself adds."""

    def __init__(self, session: Session, keys: Sequence[str]) -> None:
        self.by_key: dict[str, set[str]] = {}
        for chunk in in_chunks(sorted(set(keys))):
            query = select(LshBand.band_key, LshBand.section_cluster_id).where(LshBand.band_key.in_(chunk))
            for key, cluster_id in session.execute(query):
                self.by_key.setdefault(key, set()).add(cluster_id)
        self.founders: dict[str, bytes] = {}
        cluster_ids = sorted({c for clusters in self.by_key.values() for c in clusters})
        for chunk in in_chunks(cluster_ids):
            query = select(SectionCluster.section_cluster_id, SectionCluster.minhash).where(
                SectionCluster.section_cluster_id.in_(chunk)
            )
            self.founders.update((c, m) for c, m in session.execute(query))
        self.new_bands: list[dict[str, str]] = []
        self.new_clusters: list[dict[str, object]] = []

    def best_cluster(self, fingerprint: SectionFingerprint) -> str | None:
        hits: dict[str, int] = {}
        for key in fingerprint.keys:
            for cluster_id in self.by_key.get(key, ()):
                hits[cluster_id] = hits.get(cluster_id, 0) + 1
        ranked = sorted(hits, key=lambda c: (-hits[c], c))[:MAX_CANDIDATE_CLUSTERS]
        scored = [(jaccard_estimate(fingerprint.signature, self.founders[c]), c) for c in ranked if c in self.founders]
        accepted = [(score, c) for score, c in scored if score >= JACCARD_THRESHOLD]
        return max(accepted, key=lambda pair: (pair[0], pair[1]))[1] if accepted else None

    def found(self, fingerprint: SectionFingerprint) -> str:
        cluster_id = fingerprint.cluster_seed
        if cluster_id not in self.founders:
            self.founders[cluster_id] = fingerprint.signature
            self.new_clusters.append(
                {"section_cluster_id": cluster_id, "topic": fingerprint.topic, "created_at": utc_now(),
                 "minhash": fingerprint.signature}
            )
        return cluster_id

    def remember(self, fingerprint: SectionFingerprint, cluster_id: str) -> None:
        for key in fingerprint.keys:
            clusters = self.by_key.setdefault(key, set())
            if cluster_id not in clusters:
                clusters.add(cluster_id)
                self.new_bands.append({"band_key": key, "section_cluster_id": cluster_id})


def _existing_clusters(session: Session, cluster_ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in in_chunks(sorted(set(cluster_ids))):
        query = select(SectionCluster.section_cluster_id).where(SectionCluster.section_cluster_id.in_(chunk))
        found.update(session.scalars(query))
    return found


def assign_clusters(session: Session, fingerprints: Sequence[SectionFingerprint]) -> dict[str, str]:
    """Section id → cluster id for a batch of sections (in order), persisting new clusters and bands."""
    index = _ClusterIndex(session, [k for f in fingerprints for k in f.keys])
    assigned: dict[str, str] = {}
    for fingerprint in fingerprints:
        cluster_id = index.best_cluster(fingerprint) or index.found(fingerprint)
        index.remember(fingerprint, cluster_id)
        assigned[fingerprint.section_id] = cluster_id
    # A founder whose cluster already exists (same canonical text, bands not shared) keeps the old row.
    existing = _existing_clusters(session, [c["section_cluster_id"] for c in index.new_clusters])  # type: ignore[misc]
    new_clusters = [c for c in index.new_clusters if c["section_cluster_id"] not in existing]
    if new_clusters:
        session.connection().execute(insert(SectionCluster.__table__), new_clusters)
    if index.new_bands:
        session.connection().execute(insert(LshBand.__table__), index.new_bands)
    return assigned


def _age_key(article: Article) -> tuple[str, int]:
    return (article.published_at or "9999", article.article_id)


def refresh_duplicates(session: Session, fingerprints: Iterable[str | None]) -> None:
    """Among articles with one body fingerprint, the earliest is the original; the rest point to its URL."""
    wanted = sorted({f for f in fingerprints if f})
    groups: dict[str, list[Article]] = {}
    for chunk in in_chunks(wanted):
        for article in session.scalars(select(Article).where(Article.body_fingerprint.in_(chunk))):
            groups.setdefault(article.body_fingerprint or "", []).append(article)
    for group in groups.values():
        original = min(group, key=_age_key)
        for article in group:
            article.duplicate_of = None if article is original else original.url
