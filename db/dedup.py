"""Deduplication in the database: section clusters through persisted LSH band keys, and re-posts.

Two paths give section clusters. While a crawl runs, a batch of new sections looks its band keys up in
`lsh_band` (one indexed query per batch); each candidate cluster is confirmed by the estimated Jaccard
against the cluster's leading section, and the best one over the threshold is joined, otherwise the
section founds a cluster. That is fast but depends on which section came first, so `recluster` (run at
the end of a crawl, by `shebao process` and by `shebao reprocess`) then re-derives every cluster from
the set of stored sections alone: same pages, same clusters and ids, whatever the order, batch size or
number of workers. No pair of sections is ever compared exhaustively: the work per section is bounded
by the clusters its band keys name.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import and_, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from db.models import Article, LshBand, Section, SectionCluster
from db.session import in_chunks, utc_now
from normalize.fingerprint import (
    JACCARD_THRESHOLD,
    band_keys,
    section_minhash,
    section_text,
    signature_band_keys,
    topic_from_heading,
)

logger = logging.getLogger(__name__)

MAX_CANDIDATE_CLUSTERS = 20  # band hits are ranked by how many bands they share; more is noise
# pg_advisory_xact_lock key ("SHED") held by every transaction that assigns clusters or marks re-posts.
CLUSTER_LOCK_KEY = 0x53484544


def lock_cluster_state(session: Session) -> None:
    """Serialize writers of cluster and re-post state until the transaction ends.

    Cluster assignment and re-post marking read lsh_band, section_cluster and article, then write them:
    two workers doing it at once on PostgreSQL would found the same cluster twice (UniqueViolation) or miss
    each other's re-posts. SQLite writers already run one at a time (BEGIN IMMEDIATE), so only PostgreSQL
    takes the lock; the CPU work (extraction, MinHash) stays parallel, outside the transaction.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(CLUSTER_LOCK_KEY)))


@dataclass(frozen=True, slots=True)
class SectionFingerprint:
    """What clustering needs of one section, computed without the database."""

    section_id: str
    topic: str
    cluster_seed: str  # "c" + hash of its canonical text: the id of a cluster it leads (stored as cluster_key)
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


# ---------------------------------------------------------------------------------------------
# Order-free re-clustering
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClusterInput:
    """What the order-free clustering needs of one stored section."""

    section_id: str
    cluster_key: str  # "c" + hash of its canonical text
    signature: bytes  # MinHash values, little-endian uint64
    topic: str


@dataclass
class ReclusterCounts:
    """What one re-clustering pass found and changed."""

    sections: int = 0
    clusters: int = 0
    moved_sections: int = 0  # sections whose cluster id changed
    new_clusters: int = 0
    dropped_clusters: int = 0


def order_free_clusters(
    sections: Iterable[ClusterInput], band_keys_of: dict[str, list[str]] | None = None
) -> dict[str, str]:
    """Section id → cluster id, a function of the set of sections only (never of their order).

    Sections are visited in the order of (cluster key, section id). Among the clusters a section shares
    band keys with (the MAX_CANDIDATE_CLUSTERS sharing most), it joins the one whose leader it resembles
    most (estimated Jaccard ≥ JACCARD_THRESHOLD; a tie goes to the smaller id), or leads a new cluster
    named by its own key. A leader is visited before its members, so a cluster's id is the smallest
    cluster key among its members: the hash of a canonical text. `band_keys_of` (section id → its
    band keys) saves recomputing keys the caller already has.
    """
    ordered = sorted(sections, key=lambda s: (s.cluster_key, s.section_id))
    clusters_by_band: dict[str, list[str]] = {}
    leaders: dict[str, np.ndarray] = {}
    assigned: dict[str, str] = {}
    for section in ordered:
        keys = band_keys_of[section.section_id] if band_keys_of else signature_band_keys(section.signature)
        values = np.frombuffer(section.signature, dtype="<u8")
        hits: dict[str, int] = {}
        for key in keys:
            for cluster_id in clusters_by_band.get(key, ()):
                hits[cluster_id] = hits.get(cluster_id, 0) + 1
        ranked = sorted(hits, key=lambda c: (-hits[c], c))[:MAX_CANDIDATE_CLUSTERS]
        # The same estimate as jaccard_estimate: the share of equal MinHash values.
        scored = [(np.count_nonzero(values == leaders[c]) / values.size, c) for c in ranked]
        accepted = sorted((-score, c) for score, c in scored if score >= JACCARD_THRESHOLD)
        if accepted:
            cluster_id = accepted[0][1]
        else:
            cluster_id = section.cluster_key
            leaders.setdefault(cluster_id, values)  # equal keys: equal text, either leads
        assigned[section.section_id] = cluster_id
        for key in keys:
            members = clusters_by_band.setdefault(key, [])
            if cluster_id not in members:
                members.append(cluster_id)
    return assigned


def _stored_sections(session: Session) -> tuple[list[ClusterInput], dict[str, str | None]]:
    """Every fingerprinted section as clustering input, and its current cluster id."""
    inputs: list[ClusterInput] = []
    current: dict[str, str | None] = {}
    query = select(Section.section_id, Section.cluster_key, Section.minhash, Section.topic, Section.heading,
                   Section.section_cluster_id).where(Section.minhash.is_not(None))
    for section_id, key, signature, topic, heading, cluster_id in session.execute(query):
        # Rows stored before schema v3 lack key and topic until `reprocess`: a content hash still orders them.
        key = key or "c" + hashlib.sha1(signature).hexdigest()[:16]
        inputs.append(ClusterInput(section_id, key, signature, topic if topic is not None else heading))
        current[section_id] = cluster_id
    return inputs, current


def recluster(session: Session) -> ReclusterCounts:
    """Re-derive every section cluster from the stored sections and write only what differs.

    Idempotent: a second pass over the same sections changes nothing. A cluster keeps its created_at
    while its id lives on; its topic is its leader's topic and its stored MinHash the leader's.
    """
    lock_cluster_state(session)  # before reading: no batch write may change the sections meanwhile
    inputs, current = _stored_sections(session)
    band_keys_of = {s.section_id: signature_band_keys(s.signature) for s in inputs}
    assigned = order_free_clusters(inputs, band_keys_of)
    leaders: dict[str, ClusterInput] = {}  # cluster id → its leader, the member visited first
    for section in sorted(inputs, key=lambda s: (s.cluster_key, s.section_id)):
        leaders.setdefault(assigned[section.section_id], section)
    counts = ReclusterCounts(sections=len(inputs), clusters=len(leaders))
    moved = [{"sid": s, "cid": c} for s, c in sorted(assigned.items()) if current.get(s) != c]
    counts.moved_sections = len(moved)
    if moved:
        table = Section.__table__
        statement = update(table).where(table.c.section_id == bindparam("sid")).values(section_cluster_id=bindparam("cid"))
        session.connection().execute(statement, moved)
    _write_clusters(session, leaders, counts)
    _write_bands(session, band_keys_of, assigned)
    return counts


def _write_clusters(session: Session, leaders: dict[str, ClusterInput], counts: ReclusterCounts) -> None:
    stored = {c: (topic, signature) for c, topic, signature in session.execute(
        select(SectionCluster.section_cluster_id, SectionCluster.topic, SectionCluster.minhash))}
    gone = sorted(set(stored) - set(leaders))
    counts.dropped_clusters = len(gone)
    for chunk in in_chunks(gone):
        session.execute(delete(SectionCluster).where(SectionCluster.section_cluster_id.in_(chunk)))
    now = utc_now()
    new_rows = [{"section_cluster_id": c, "topic": s.topic, "created_at": now, "minhash": s.signature}
                for c, s in sorted(leaders.items()) if c not in stored]
    counts.new_clusters = len(new_rows)
    if new_rows:
        session.connection().execute(insert(SectionCluster.__table__), new_rows)
    changed = [{"cid": c, "topic": s.topic, "minhash": s.signature} for c, s in sorted(leaders.items())
               if c in stored and stored[c] != (s.topic, s.signature)]
    if changed:
        table = SectionCluster.__table__
        statement = (update(table).where(table.c.section_cluster_id == bindparam("cid"))
                     .values(topic=bindparam("topic"), minhash=bindparam("minhash")))
        session.connection().execute(statement, changed)


def _write_bands(session: Session, band_keys_of: dict[str, list[str]], assigned: dict[str, str]) -> None:
    """lsh_band = every member's band keys under its cluster, as the incremental path would have built it."""
    wanted = {(key, assigned[section_id]) for section_id, keys in band_keys_of.items() for key in keys}
    stored = {(k, c) for k, c in session.execute(select(LshBand.band_key, LshBand.section_cluster_id))}
    table = LshBand.__table__
    extra = [{"k": k, "c": c} for k, c in sorted(stored - wanted)]
    if extra:
        statement = delete(table).where(and_(table.c.band_key == bindparam("k"),
                                             table.c.section_cluster_id == bindparam("c")))
        session.connection().execute(statement, extra)
    missing = [{"band_key": k, "section_cluster_id": c} for k, c in sorted(wanted - stored)]
    if missing:
        session.connection().execute(insert(table), missing)
