"""The compiled playbook and its decision procedure.

Evaluation order (fixed; Coral Talk's moderation pipeline is the model: checks run in order,
the first decisive one wins, flags accumulate for the reviewer):
 1. normalise the text once; pick the language (platform's, else detected);
 2. one Aho-Corasick pass finds every term of every lexicon and keyword list (patterns run
    only when a condition asks);
 3. every scenario is tested in file order; all that match are kept (flags accumulate:
    scenarios, categories, evidence), except the severities a matched scenario `overrides`;
 4. severity = the highest among matched scenarios (defaults.severity if none); the first
    scenario at that severity is the primary one;
 5. action = the primary scenario's own action, else the severity's policy;
 6. delegation rules, in file order: the first whose condition holds decides the action;
 7. safety floor: an S4 mention always reaches the brand at once (escalate_urgent);
 8. SLA due time from the severity (none when the action needs no answer);
 9. priority score (severity, channel, tier, VIP, verified, influence, age, boosts);
10. suggested replies: the primary scenario's, then the others', then the defaults.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .actions import ACTIONS, resolve_approver
from .conditions import Condition, Finding
from .hours import WeeklyHours, add_open_minutes, is_open, parse_business_hours, zone
from .language import LanguageDetector
from .matcher import Hit, TermIndex
from .model import (
    SEVERITIES,
    BrandContext,
    Decision,
    Evidence,
    MentionInput,
)
from .normalize import NormalizedText, SmsExpander, normalize, normalize_term
from .schema import PlaybookSpec, SeverityPolicy


@dataclass(slots=True)
class CompiledScenario:
    """A scenario ready to test."""

    id: str
    label: str
    severity: str
    rank: int
    categories: list[str]
    replies: list[str]
    action: str | None
    approver: str | None
    when: Condition | None
    unless: Condition | None
    # Severities this scenario silences when it matches (spam that mentions a delay is spam).
    overrides: frozenset[str] = frozenset()


@dataclass(slots=True)
class CompiledRule:
    """A delegation rule (or a priority boost) ready to test."""

    id: str
    when: Condition | None
    action: str = ""
    approver: str | None = None
    note: str | None = None
    add: int = 0


_HOURS_CACHE: dict[str, WeeklyHours] = {}


def _hours(spec: dict[str, Any]) -> WeeklyHours:
    key = repr(sorted(spec.items()))
    week = _HOURS_CACHE.get(key)
    if week is None:
        week = _HOURS_CACHE[key] = parse_business_hours(spec)
    return week


class Facts:
    """Everything conditions may read about one mention, computed at most once."""

    __slots__ = (
        "_local",
        "_week",
        "category_set",
        "context",
        "hits",
        "lang",
        "mention",
        "now",
        "nt",
        "playbook",
        "scenario_set",
        "severity",
        "span_cache",
        "tier_key",
        "timezone_name",
    )

    def __init__(
        self,
        playbook: Playbook,
        mention: MentionInput,
        context: BrandContext,
        now: datetime,
        nt: NormalizedText,
        lang: str,
        hits: dict[int, list[Hit]],
    ) -> None:
        self.playbook = playbook
        self.mention = mention
        self.context = context
        self.now = now
        self.nt = nt
        self.lang = lang
        self.hits = hits
        tier = mention.author.tier
        self.tier_key = normalize_term(tier).strip() if tier else None
        self.timezone_name = context.timezone or playbook.spec.timezone
        self._local: datetime | None = None
        self._week: WeeklyHours | None = None
        self.scenario_set: set[str] = set()
        self.category_set: set[str] = set()
        self.severity = "S0"
        self.span_cache: dict[tuple[int, int], tuple[int, int]] = {}

    def span_mapper(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of a normalised span (cached per mention)."""
        key = (start, end)
        mapped = self.span_cache.get(key)
        if mapped is None:
            mapped = self.span_cache[key] = self.nt.original_span(start, end)
        return mapped

    @property
    def posted(self) -> datetime:
        """When the mention was posted (now if unknown), UTC."""
        return _aware(self.mention.posted_at) if self.mention.posted_at else self.now

    @property
    def local_time(self) -> datetime:
        """Posting time in the brand's timezone."""
        if self._local is None:
            self._local = self.posted.astimezone(zone(self.timezone_name))
        return self._local

    @property
    def week(self) -> WeeklyHours | None:
        """Opening hours: the brand's, else the playbook's, else None (always open)."""
        if self._week is None:
            spec = self.context.business_hours or self.playbook.spec.business_hours
            if spec is None:
                return None
            self._week = _hours(spec)
        return self._week

    @property
    def in_business_hours(self) -> bool:
        """Whether the mention was posted while the brand is open (always, without hours)."""
        week = self.week
        return True if week is None else is_open(self.local_time, week)


def _aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


class Playbook:
    """A validated, compiled playbook; `decide` classifies one mention."""

    def __init__(
        self,
        *,
        spec: PlaybookSpec,
        version: str,
        source: str,
        index: TermIndex,
        languages: list[str],
        sms: dict[str, SmsExpander],
        scenarios: list[CompiledScenario],
        policies: dict[str, SeverityPolicy],
        delegation: list[CompiledRule],
        boosts: list[CompiledRule],
        reply_keys: set[str],
    ) -> None:
        self.spec = spec
        self.version = version
        self.source = source
        self.index = index
        self.languages = languages
        self.sms = sms
        self.scenarios = scenarios
        self.policies = policies
        self.delegation = delegation
        self.boosts = boosts
        self.reply_keys = reply_keys
        self.detector = LanguageDetector(languages, spec.default_language)
        self._tiers = {normalize_term(k).strip(): v for k, v in spec.priority.tier.items()}
        self._channels = {k.casefold(): v for k, v in spec.priority.channel.items()}

    @property
    def brand(self) -> str | None:
        """The brand this playbook is written for."""
        return self.spec.brand

    @property
    def name(self) -> str | None:
        """The playbook's display name."""
        return self.spec.name

    @property
    def scenario_ids(self) -> list[str]:
        """Scenario ids in evaluation order."""
        return [s.id for s in self.scenarios]

    def language_of(self, mention: MentionInput, nt: NormalizedText) -> str:
        """The platform's language when the playbook has lexicons for it, else the detected one."""
        if mention.lang:
            given = mention.lang.lower().replace("_", "-").split("-")[0]
            if given in self.languages:
                return given
        return self.detector.detect(nt.text)

    def decide(
        self,
        mention: MentionInput,
        context: BrandContext | None = None,
        now: datetime | None = None,
    ) -> Decision:
        """Classify a mention: severity, scenarios, action, priority, due time and evidence."""
        context = context or BrandContext()
        now = _aware(now) if now else datetime.now(UTC)
        nt = normalize(mention.text)
        lang = self.language_of(mention, nt)
        expand = self.sms.get(lang)
        if expand is not None:
            nt = expand(nt)
        hits = self.index.scan(nt.text, lang)
        facts = Facts(self, mention, context, now, nt, lang, hits)
        evidence: list[Evidence] = []

        # 3. every scenario, in order; flags accumulate
        matched: list[CompiledScenario] = []
        for sc in self.scenarios:
            if sc.when is not None and sc.when.test(facts):
                if sc.unless is not None and sc.unless.test(facts):
                    continue
                matched.append(sc)
        # 3b. a matched scenario may silence others by severity (its `overrides`)
        silenced = {sev for s in matched for sev in s.overrides}
        if silenced:
            matched = [s for s in matched if s.overrides or s.severity not in silenced]
        for sc in matched:
            evidence.extend(self._scenario_evidence(sc, facts))

        # 4. severity and primary scenario
        if matched:
            top = max(s.rank for s in matched)
            primary: CompiledScenario | None = next(s for s in matched if s.rank == top)
            severity = SEVERITIES[top]
            categories = list(dict.fromkeys(c for s in matched for c in s.categories))
            if primary is not None:
                categories = list(dict.fromkeys([*primary.categories, *categories]))
        else:
            primary = None
            severity = self.spec.defaults.severity
            categories = list(self.spec.defaults.categories)
        facts.severity = severity
        facts.scenario_set = {s.id for s in matched}
        facts.category_set = set(categories)

        # 5. default action
        policy = self.policies[severity]
        if primary is not None and (primary.action or primary.approver):
            # A scenario may set its own action, or only who approves the default one.
            action = primary.action or policy.action
            approver = primary.approver if primary.approver else None
            if not primary.action and not primary.approver:
                approver = policy.approver
            origin = f"Action du scénario « {primary.label} »"
        else:
            action, approver = policy.action, policy.approver
            origin = f"Action par défaut pour {severity}"
        evidence.append(Evidence(f"severity:{severity}", "severity", f"{origin} : {action}"))

        # 6. delegation: first matching rule wins
        for rule in self.delegation:
            if rule.when is not None and rule.when.test(facts):
                action, approver = rule.action, rule.approver
                seen = "; ".join(f.explanation for f in rule.when.findings(facts))
                note = f" — {rule.note}" if rule.note else ""
                evidence.append(
                    self._evidence(
                        f"delegation:{rule.id}",
                        "delegation",
                        f"Règle de délégation « {rule.id} » ({seen}) : {action}{note}",
                        list(rule.when.findings(facts)),
                        facts,
                    )
                )
                break

        # 7. safety floor
        if severity == "S4" and ACTIONS[action].rank < ACTIONS["escalate_urgent"].rank:
            evidence.append(
                Evidence(
                    "guard:s4",
                    "guard",
                    "Garde-fou : une mention S4 est toujours escaladée en urgence"
                    f" (au lieu de {action})",
                )
            )
            action, approver = "escalate_urgent", None
        approver = resolve_approver(action, approver)

        # 8. SLA
        needs_answer = ACTIONS[action].needs_answer
        due_at = self._due_at(severity, facts) if needs_answer else None
        if due_at is not None:
            evidence.append(
                Evidence("sla", "sla", f"Réponse attendue avant {due_at.isoformat()} ({severity})")
            )

        # 9. priority
        priority, parts = self._priority(severity, facts) if needs_answer else (0, ["sans réponse"])
        evidence.append(
            Evidence("priority", "priority", f"Priorité {priority} = {' + '.join(parts)}")
        )

        # 10. replies
        replies: list[str] = []
        if needs_answer:
            ordered = ([primary] if primary else []) + [s for s in matched if s is not primary]
            for sc in ordered:
                replies.extend(sc.replies)
            if not replies:
                replies = list(self.spec.defaults.replies)
            replies = list(dict.fromkeys(replies))[: self.spec.max_suggested_replies]

        return Decision(
            severity=severity,
            scenarios=[s.id for s in matched],
            categories=categories,
            action=action,
            approver=approver,
            priority=priority,
            due_at=due_at,
            suggested_replies=replies,
            language=lang,
            evidence=evidence,
            playbook_version=self.version,
        )

    def _evidence(
        self, rule: str, kind: str, text: str, findings: list[Finding], facts: Facts
    ) -> Evidence:
        terms: list[str] = []
        raw: list[tuple[int, int]] = []
        normalised: list[tuple[int, int]] = []
        for f in findings:
            terms.extend(f.terms)
            (raw if f.kind == "raw_pattern" else normalised).extend(f.spans)
        if not normalised:
            return Evidence(rule, kind, text, tuple(dict.fromkeys(terms)), tuple(sorted(set(raw))))
        mapper = facts.span_mapper
        if raw:  # already original offsets: map them to themselves
            original = set(raw)

            def mixed(a: int, b: int) -> tuple[int, int]:
                return (a, b) if (a, b) in original else facts.span_mapper(a, b)

            mapper = mixed
        return Evidence(
            rule,
            kind,
            text,
            tuple(dict.fromkeys(terms)),
            mapper=mapper,
            raw_spans=tuple(raw + normalised),
        )

    def _scenario_evidence(self, sc: CompiledScenario, facts: Facts) -> list[Evidence]:
        assert sc.when is not None
        findings = list(sc.when.findings(facts))
        details = [
            self._evidence(f"scenario:{sc.id}", f.kind, f.explanation, [f], facts) for f in findings
        ]
        label = f"Scénario « {sc.label} » ({sc.severity})"
        return [self._evidence(f"scenario:{sc.id}", "scenario", label, findings, facts), *details]

    def _due_at(self, severity: str, facts: Facts) -> datetime:
        sla = self.spec.sla
        brand = facts.context.sla_minutes or {}
        if severity in brand:
            minutes = brand[severity]  # the brand's admin settings win
        else:
            minutes = min(sla.minutes.get(severity, sla.max_minutes), sla.max_minutes)
        start = facts.posted
        if sla.business_hours_only and severity != "S4":
            week = facts.week
            if week is not None:
                return add_open_minutes(start, minutes, week, zone(facts.timezone_name))
        return start + timedelta(minutes=minutes)

    def _priority(self, severity: str, facts: Facts) -> tuple[int, list[str]]:
        w = self.spec.priority
        author = facts.mention.author
        parts: list[tuple[str, float]] = [(f"gravité {severity}", w.severity.get(severity, 0))]
        channel = facts.mention.channel.casefold()
        if channel in self._channels:
            parts.append((f"canal {channel}", self._channels[channel]))
        if facts.tier_key and facts.tier_key in self._tiers:
            parts.append((f"palier {author.tier}", self._tiers[facts.tier_key]))
        if author.vip:
            parts.append(("VIP", w.vip))
        if author.verified:
            parts.append(("compte vérifié", w.verified))
        if author.followers > 0:
            influence = min(
                w.influence.max, w.influence.per_decade * math.log10(author.followers + 1)
            )
            parts.append((f"influence {author.followers} abonnés", influence))
        age_minutes = max(0.0, (facts.now - facts.posted).total_seconds() / 60)
        if age_minutes > 0:
            parts.append(
                (f"attente {int(age_minutes)} min", min(w.age.max, w.age.per_minute * age_minutes))
            )
        for boost in self.boosts:
            if boost.when is not None and boost.when.test(facts):
                parts.append((f"bonus {boost.id}", boost.add))
        total = round(sum(v for _, v in parts))
        score = max(0, min(1000, total))
        return score, [f"{label} ({round(v)})" for label, v in parts if v]
