"""Triage: the pass over stored mentions, and applying a brand's published playbook to one.

``triage_pending`` claims untriaged mentions (row locks on PostgreSQL, the write lock on
SQLite) in the transaction that marks them triaged, so a mention is triaged once whoever stored
it; it decides each on the brand's published playbook (``decide``, with a fallback when the
playbook cannot) and hands them to ``grouping`` to be placed in cases. A triage failure never
loses a mention: it stays claimable until its last allowed attempt.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

import playbooks
from app.models import Author, Brand, Mention, Person, Playbook, utcnow
from app.services import (
    brands,
    chained_writes,
    clusters,
    grouping,
    ingest,
    live_playbooks,
    mention_extras,
    savepoints,
    spikes,
    triage_claims,
    triage_context,
    triage_rows,
)

log = logging.getLogger("vigie.ingest")


def _input(
    mention: Mention, author: Author, person: Person | None, thread: tuple[Any, Any] | None = None
) -> Any:
    profile = playbooks.AuthorProfile(
        tier=person.tier if person else None,
        vip=bool(person and person.vip),
        followers=author.followers or 0,
        verified=author.verified,
    )
    return playbooks.MentionInput(
        text=mention.text,
        lang=mention.lang,
        channel=mention.channel,
        author=profile,
        posted_at=mention.posted_at,
        # The message it answers and the author's history (triage_context), when gathered.
        parent=thread[0] if thread else None,
        history=thread[1] if thread else (),
        rating=mention.rating,
    )


def decide(
    *,
    published: tuple[Any, Any] | None,
    brand: Brand,
    mention: Mention,
    author: Author,
    person: Person | None,
    now: datetime | None = None,
    thread: tuple[Any, Any] | None = None,
    prepared: Any = None,
) -> triage_rows.TriageRow:
    """Run the brand's published playbook (row, engine) on one mention.

    `published` comes from content.published_playbook, loaded once per batch by the caller;
    `thread`: (parent, history) from triage_context, and `prepared` (`_prepare`), once per batch.
    """
    now = now or utcnow()
    if published is None:
        return triage_rows.fallback(brand, mention, now, "Aucun playbook publié pour cette marque.")
    row, engine = published
    try:
        decision = engine.decide(
            _input(mention, author, person, thread),
            brands.playbook_context(brand),
            now=now,
            explain=True,  # the evidence is stored with the triage
            prepared=prepared,
        )
    except Exception as exc:
        return triage_rows.fallback(brand, mention, now, f"Erreur du playbook : {exc}", engine)
    return triage_rows.from_decision(brand, mention, row, decision)


def redecide(
    *,
    published: tuple[Any, Any] | None,
    brand: Brand,
    mention: Mention,
    author: Author,
    person: Person | None,
    severity: str,
    scenario: str | None,
    now: datetime | None = None,
) -> triage_rows.TriageRow:
    """The brand's delegation re-applied to a reviewer's corrected severity and scenario.

    The same rules as `decide` (the playbook's delegation rules, S4 floor, priority, SLA);
    without a usable playbook, the default codification: S3 needs approval, S4 is urgent.
    """
    now = now or utcnow()
    if published is not None:
        row, engine = published
        try:
            decision = engine.redecide(
                _input(mention, author, person),
                severity=severity,
                scenario=scenario,
                context=brands.playbook_context(brand),
                now=now,
            )
        except Exception as exc:
            why = f"Erreur du playbook : {exc}"
        else:
            return triage_rows.from_decision(brand, mention, row, decision)
    else:
        why = "Aucun playbook publié pour cette marque."
    action, approver = playbooks.default_delegation(severity)
    needs_answer = action not in ("ignore", "hide")
    # The same deadline rule as the engine's: the brand's own setting, else the default.
    minutes = playbooks.answer_target(severity, None, brands.playbook_context(brand)).minutes
    posted = mention.posted_at or now
    return triage_rows.TriageRow(
        brand_id=brand.id,  # type: ignore[arg-type]
        mention_id=mention.id,  # type: ignore[arg-type]
        source="engine",
        severity=severity,
        scenarios=[scenario] if scenario else [],
        action=action,
        approver=approver,
        priority=triage_rows.FALLBACK_PRIORITY[severity] if needs_answer else 0,
        due_at=posted + timedelta(minutes=minutes) if needs_answer else None,
        language=mention.lang,
        evidence=[
            {
                "rule": "correction",
                "kind": "correction",
                "explanation": f"Correction d'un relecteur : {severity}",
                "matches": [],
            },
            {
                "rule": "fallback",
                "kind": "fallback",
                "explanation": f"{why} Délégation par défaut pour {severity} : {action}.",
                "matches": [],
            },
        ],
    )


def triage_pending(
    *,
    session: Session,
    limit: int = 500,
    now: datetime | None = None,
    account_id: int | None = None,
    external_ids: Sequence[str] | None = None,
) -> int:
    """Claim untriaged mentions and triage them, oldest first; returns how many; no commit.

    `external_ids` (with `account_id`): the mentions a request just stored; `account_id`
    alone: that account's backlog (after a poll); neither: the oldest brand's backlog (the
    sweeper, one brand per call so its lock is held briefly).
    """
    pending = triage_claims.claim(session, limit, account_id, external_ids)
    _triage_claimed(session, pending, now or utcnow())
    return len(pending)


def triage_stored(
    *,
    session: Session,
    account_id: int,
    external_ids: Sequence[str],
    now: datetime | None = None,
    stored: Sequence[dict[str, Any]] | None = None,
    insert: bool = False,
    people: ingest.People | None = None,
) -> dict[str, tuple[int, int | None]]:
    """Triage the mentions a request just stored (`triage_pending` with `external_ids`);
    returns our mention id and case id (None: no case, or its triage failed) per external id,
    so that the answer needs no query of its own; no commit.

    `stored`: their rows as inserted (with ids) by this same, uncommitted transaction
    (``StoreResult.rows``): nobody else can see them yet, so they need no claim and are not
    read back. `insert`: the `stored` rows are not in the table yet
    (``ingest.store_mentions(defer=True)``): they are inserted triaged, and one that a
    concurrent writer stored first is left out of the result. `people`: their authors and
    persons as storing them read or made them (``StoreResult.people``), not read again."""
    if stored is not None:
        pending: list[Any] = [triage_claims.pending(row) for row in stored]
    else:
        pending = triage_claims.claim(session, len(external_ids), account_id, external_ids)
    fresh = {row["id"]: row for row in stored} if insert and stored is not None else None
    cases = _triage_claimed(session, pending, now or utcnow(), fresh, people)
    return {
        m.external_id: (m.id, cases.get(m.id)) for m in pending if fresh is None or m.id in fresh
    }


def _triage_claimed(
    session: Session,
    pending: list[Any],
    now: datetime,
    fresh: dict[int, dict[str, Any]] | None = None,
    people: ingest.People | None = None,
) -> dict[int, int | None]:
    """Triage claimed mentions brand by brand (each read with its live playbook's row, in one
    statement); the case id of each one placed. `fresh`: rows to insert and `people` their
    authors (`triage_stored`)."""
    by_brand: dict[int, list[Any]] = {}
    for mention in pending:
        by_brand.setdefault(mention.brand_id, []).append(mention)
    cases: dict[int, int | None] = {}
    for brand_id in sorted(by_brand):  # one order for every process: no deadlock between locks
        brand, playbook = live_playbooks.brand_and_playbook(session=session, brand_id=brand_id)
        batch = by_brand[brand_id]
        cases.update(_triage_batch(session, brand, playbook, batch, now, fresh, people))
    return cases


def _triage_batch(
    session: Session,
    brand: Brand,
    playbook: Playbook | None,
    mentions: list[Any],
    now: datetime,
    fresh: dict[int, dict[str, Any]] | None = None,
    people: ingest.People | None = None,
) -> dict[int, int | None]:
    """A brand's mentions in one savepoint; if that fails, one by one, so that one bad mention
    does not hold back the others and is set aside once it has failed too often. Returns the
    case id of each mention placed (kept only from savepoints that held).

    `fresh`: the rows of mentions to insert triaged (`triage_stored`); those a concurrent
    writer stored first are dropped from it (and from the batch, which is placed again), and
    if the batch fails they are inserted untriaged first, as a push always stored them.
    In a one-shot push (``savepoints``) any failure propagates instead."""
    while True:
        try:
            with savepoints.isolated(session):
                return _place_batch(session, brand, playbook, mentions, now, fresh, people)
        except ingest.LostRace as lost:
            if not savepoints.absorbs(session):
                raise
            assert fresh is not None
            gone = lost.external_ids
            mentions = [m for m in mentions if m.external_id not in gone]
            for mention_id in [i for i, r in fresh.items() if r["external_id"] in gone]:
                del fresh[mention_id]
            if not mentions:
                return {}
        except Exception as exc:
            if not savepoints.absorbs(session):
                raise
            failure = exc
            break
    if fresh is not None:
        kept = {row["id"] for row in ingest.insert_rows(session, [fresh[m.id] for m in mentions])}
        for mention_id in [i for i in fresh if i not in kept]:
            del fresh[mention_id]
        mentions = [m for m in mentions if m.id in kept]
    if len(mentions) == 1:
        triage_claims.count_failure(session, brand, mentions[0], failure)
        return {}
    log.warning("triage of %d mentions of brand %s failed; one by one", len(mentions), brand.id)
    cases: dict[int, int | None] = {}
    for mention in mentions:
        try:
            with session.begin_nested():
                placed = _place_batch(session, brand, playbook, [mention], now)
        except Exception as exc:
            triage_claims.count_failure(session, brand, mention, exc)
        else:
            cases.update(placed)
    return cases


def _place_batch(
    session: Session,
    brand: Brand,
    playbook: Playbook | None,
    mentions: list[Any],
    now: datetime,
    fresh: dict[int, dict[str, Any]] | None = None,
    people: ingest.People | None = None,
) -> dict[int, int | None]:
    """Decide each mention on the brand's live playbook (`playbook`, read with the brand; its
    engine from the process's cache), then group them into cases; the case id of each mention
    (None when its action needs no case). `fresh`: their rows, inserted here
    (`grouping.BrandBatch.write_mentions`); `people`: their authors and persons, if known."""
    published = None
    if playbook is not None:
        published = (playbook, live_playbooks.engine_for(session=session, playbook=playbook))
    batch = grouping.BrandBatch(session, brand, mentions, now, people)
    # Parents and authors' history, gathered once for the batch; each decision is recorded so
    # that a later mention of the same batch (a reply to it, the same author) sees it.
    thread = triage_context.gather(
        session,
        brand.id,  # type: ignore[arg-type]
        mentions,
        batch.authors,
        now,
        people.created if people is not None else (),
    )
    # References and tone on screen (issue 20): the brand's patterns, else the built-in kinds;
    # written by the same UPDATE that files each mention in its case.
    patterns = published[1].spec.references if published is not None else ()
    # What the storm watch counts, kept from the decisions (no reading back what was written).
    facts: dict[int, list[Any]] = {}
    prepared = _prepare(published[1], mentions) if published is not None else {}

    def decide_one(mention: Any, author: Author, person: Person | None) -> triage_rows.TriageRow:
        row = decide(
            published=published,
            brand=brand,
            mention=mention,
            author=author,
            person=person,
            now=now,
            thread=thread.for_mention(mention),
            prepared=prepared.get(mention.id),
        )
        facts[mention.id] = [row.severity, row.scenarios, None]
        return thread.record(mention, row)

    # References and sentiment of the whole batch at once (the scorer over many texts).
    extras_by_id = {row["id"]: row for row in mention_extras.extras_of(mentions, patterns)}
    # Clustering's signatures too: pure CPU, done before the brand's lock (`batch.run`).
    signed = clusters.sign(mentions)

    def extras(mention: Any) -> dict[str, Any]:
        values = extras_by_id[mention.id]
        facts[mention.id][2] = values["sentiment"]
        return values

    # A small batch's new rows (audit, triage, signatures, a push's mentions): one statement.
    with chained_writes.chained(session, len(mentions)):
        cases = batch.run(decide_one, extras=extras)
        spikes.observe_batch(
            session=session,
            brand=brand,
            mentions=mentions,
            now=now,
            facts={k: (v[0], v[1], v[2]) for k, v in facts.items()},
        )  # issue 16
        placed = [
            clusters.Placed(
                m.id, m.text, m.raw, m.posted_at, cases.get(m.id), batch.scenarios.get(m.id)
            )
            for m in mentions
        ]
        assigned = clusters.assign(
            session=session, brand=brand, mentions=placed, now=now, signed=signed
        )
        batch.write_mentions(assigned.ids, fresh)
        clusters.store_signatures(session, assigned)
    return cases


def _prepare(engine: Any, mentions: list[Any]) -> dict[int, Any]:
    """The text-only part of deciding (terms, the scorer) for the batch at once, by mention id
    (the same decisions); if it fails, each mention is decided alone (and falls back)."""
    try:
        prepared = engine.prepare([(m.text, m.lang) for m in mentions], explain=True)
    except Exception:
        log.exception("preparing %d mentions failed; one by one", len(mentions))
        return {}
    return {m.id: p for m, p in zip(mentions, prepared, strict=True)}
