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

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import partial

from .actions import ACTIONS, resolve_approver
from .compiled import CompiledRule, CompiledScenario
from .evidence import decision_rows
from .facts import Facts, PreparedText, _aware, _hours
from .hours import add_open_minutes, zone
from .language import LanguageDetector
from .matcher import TermIndex
from .model import (
    SEVERITIES,
    BrandContext,
    Decision,
    Evidence,
    MentionInput,
)
from .normalize import NormalizedText, SmsExpander, normalize, normalize_term
from .priority import score as priority_score
from .scenario_visits import ScenarioVisits
from .schema import DEFAULT_POLICIES, PlaybookSpec, RouteRule, SeverityPolicy
from .sla import (  # noqa: F401 - re-exported: the engine's public names
    DEFAULT_SLA_MINUTES,
    SLA_SOURCES,
    AnswerTarget,
    _capped_minutes,
    answer_target,
    playbook_sla_minutes,
)

_DEFAULT_CONTEXT = BrandContext()


def default_delegation(severity: str) -> tuple[str, str | None]:
    """Action and approver of the default codification (no playbook): S3 approval, S4 urgent."""
    policy = DEFAULT_POLICIES[severity]
    return policy.action, resolve_approver(policy.action, policy.approver)


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
        uses_model: bool = False,
    ) -> None:
        self.spec = spec
        self.uses_model = uses_model  # a `model` condition somewhere: prepare() scores texts
        self.version = version
        # Routing rules (`route:`), in file order; app/services/routing.py applies them.
        self.route: list[RouteRule] = list(spec.route)
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
        # A scenario whose needed term groups did not fire cannot match: it is skipped
        # untested. Bit i of a mask stands for scenario i, so the candidates of a mention
        # are the OR of its groups' masks, visited in file order.
        self._always = 0
        self._by_group: dict[int, int] = {}
        for i, sc in enumerate(scenarios):
            needs = sc.when.needs_groups() if sc.when else None
            if needs is None:
                self._always |= 1 << i
            else:
                for group in needs:
                    self._by_group[group] = self._by_group.get(group, 0) | (1 << i)
        self._visits = ScenarioVisits(self.scenarios)
        self._any_overrides = any(sc.overrides for sc in scenarios)
        self._week = _hours(spec.business_hours) if spec.business_hours else None
        self._tier_keys: dict[str, str] = {}
        self._sla = _capped_minutes(spec.sla)
        self._severity_weights = {str(k): v for k, v in spec.priority.severity.items()}

    def tier_key(self, tier: str) -> str:
        """Normalised form of a loyalty tier (few distinct values: cached)."""
        key = self._tier_keys.get(tier)
        if key is None:
            key = normalize_term(tier).strip()
            if len(self._tier_keys) < 256:
                self._tier_keys[tier] = key
        return key

    @property
    def brand(self) -> str | None:
        """The brand this playbook is written for."""
        return self.spec.brand

    @property
    def name(self) -> str | None:
        """The playbook's display name."""
        return self.spec.name

    @property
    def sla_minutes(self) -> dict[str, int]:
        """The playbook's answer targets per severity, in minutes (`max_minutes` applied)."""
        return dict(self._sla)

    @property
    def scenario_ids(self) -> list[str]:
        """Scenario ids in evaluation order."""
        return [s.id for s in self.scenarios]

    def language_of(self, mention: MentionInput, nt: NormalizedText) -> str:
        """The platform's language when the playbook has lexicons for it, else the detected one."""
        return self._language(mention.lang, nt)

    def _language(self, platform_lang: str | None, nt: NormalizedText) -> str:
        if platform_lang:
            given = platform_lang.lower().replace("_", "-").split("-")[0]
            if given in self.languages:
                return given
        return self.detector.detect(nt.text, nt.words())

    def prepare(
        self, texts: Sequence[tuple[str, str | None]], *, explain: bool = False
    ) -> list[PreparedText]:
        """The text-only part of `decide` for a batch of (text, platform language): the same
        normalisation, language, terms and scores (`scorer.sentences.score_batch`: numpy over
        the batch). Pass each to `decide(..., prepared=)` of its mention. A text repeated in
        the batch (retweets, campaigns) is prepared once: `decide` never changes what it reads
        of a `PreparedText`, so its mentions share one. Each stage runs over the batch before
        the next (normalise, scan, score): its tables stay in the processor's caches, not
        evicted by the term automaton's between texts (~7 % less CPU on the bench)."""
        normalised = {key: self._normalised(*key) for key in dict.fromkeys(texts)}
        distinct: dict[tuple[str, str | None], PreparedText] = {}
        for key, (nt, lang) in normalised.items():
            if explain:
                hits = self.index.scan(nt, lang)
                distinct[key] = PreparedText(nt, lang, set(hits), hits, None)
            else:
                groups = self.index.scan_groups(nt, lang)
                distinct[key] = PreparedText(nt, lang, groups, None, None)
        if self.uses_model and distinct:
            from .scorer import sentences

            unique = list(distinct.values())
            said = [(text, p.lang) for (text, _), p in distinct.items()]
            scored = sentences.score_batch([p.nt for p in unique], said, self.normalised_in)
            for p, scores in zip(unique, scored, strict=True):
                p.scores = scores
        return [distinct[key] for key in texts]

    def decide_many(
        self,
        mentions: Sequence[MentionInput],
        context: BrandContext | None = None,
        now: datetime | None = None,
        *,
        explain: bool = False,
    ) -> list[Decision]:
        """`decide` for each mention, the text-only work done for the batch at once."""
        prepared = self.prepare([(m.text, m.lang) for m in mentions], explain=explain)
        return [
            self.decide(m, context, now, explain=explain, prepared=p)
            for m, p in zip(mentions, prepared, strict=True)
        ]

    def scan_text(self, text: str, lang: str) -> set[int]:
        """Term groups of another text (a parent message), normalised like a mention."""
        return self.index.scan_groups(self.normalised_in(text, lang), lang)

    def normalised_in(self, text: str, lang: str) -> NormalizedText:
        """Another text (a parent, a mention without its quotes) normalised like a mention."""
        return self._expanded(normalize(text, self.index.unmask), lang)

    def _expanded(self, nt: NormalizedText, lang: str) -> NormalizedText:
        expand = self.sms.get(lang)  # SMS spellings expanded, then fuzzy near-misses corrected
        if expand is not None:
            nt = expand(nt)
        return self.index.correct(nt, lang)

    def route_for(self, scenario: str | None, severity: str) -> RouteRule | None:
        """The first `route:` rule for a case of this scenario and severity (None: anyone)."""
        return next((rule for rule in self.route if rule.matches(scenario, severity)), None)

    def decide(
        self,
        mention: MentionInput,
        context: BrandContext | None = None,
        now: datetime | None = None,
        *,
        explain: bool = False,
        prepared: PreparedText | None = None,
    ) -> Decision:
        """Classify a mention: severity, scenarios, action, priority, due time and evidence.

        `explain`: the caller will read the evidence (triage stores it), so the terms are
        located in the one pass over the text instead of a second one when it is built.
        `prepared`: this mention's text as `prepare` handled it in a batch (same decision).
        """
        facts = self._facts(mention, context, now, explain, prepared)

        # 3. every scenario, in order; flags accumulate (those whose terms did not fire are
        # skipped without a test)
        matched: list[CompiledScenario] = []
        candidates = self._always
        by_group = self._by_group
        for group in facts.groups:
            candidates |= by_group.get(group, 0)
        primary: CompiledScenario | None = None
        for sc, when in self._visits.of(candidates):
            if when.test(facts):
                if sc.unless is not None and sc.unless.test(facts):
                    continue
                if sc.unless_scope and facts.only_in_scope(when, sc.unless_scope):
                    continue
                matched.append(sc)
                if primary is None or sc.rank > primary.rank:
                    primary = sc  # the first at the highest severity
        # 3b. a matched scenario may silence others by severity (its `overrides`)
        if self._any_overrides and matched:
            silenced = {sev for s in matched for sev in s.overrides}
            if silenced:
                matched = [s for s in matched if s.overrides or s.severity not in silenced]
                primary = max(matched, key=lambda s: s.rank)  # first of the highest

        # 4. severity and primary scenario
        if primary is not None:
            severity = primary.severity
            if len(matched) == 1:
                categories = list(primary.categories)
            else:
                categories = list(
                    dict.fromkeys(
                        [*primary.categories, *(c for s in matched for c in s.categories)]
                    )
                )
        else:
            severity = self.spec.defaults.severity
            categories = list(self.spec.defaults.categories)
        return self._delegate(facts, matched, primary, severity, categories)

    def redecide(
        self,
        mention: MentionInput,
        *,
        severity: str,
        scenario: str | None,
        context: BrandContext | None = None,
        now: datetime | None = None,
    ) -> Decision:
        """Re-apply the delegation (steps 5-10) to a reviewer's corrected severity and scenario.

        The reviewer's judgement replaces steps 3-4: the scenario is the one they chose (its
        categories and replies when the playbook knows it), the severity theirs. Its own action
        applies only when its severity is the corrected one (else the severity's policy); then
        the same delegation rules, S4 safety floor, SLA and priority as `decide`.
        """
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        facts = self._facts(mention, context, now)
        chosen = next((s for s in self.scenarios if s.id == scenario), None) if scenario else None
        categories = list(chosen.categories if chosen else self.spec.defaults.categories)
        label = f" « {chosen.label} »" if chosen else (f" « {scenario} »" if scenario else "")
        correction = Evidence(
            "correction", "correction", f"Correction d'un relecteur : {severity}{label}"
        )
        return self._delegate(
            facts,
            [chosen] if chosen else [],
            chosen,
            severity,
            categories,
            scenario_ids=[scenario] if scenario else [],
            own_action=chosen is not None and chosen.severity == severity,
            correction=correction,
        )

    def _facts(
        self,
        mention: MentionInput,
        context: BrandContext | None,
        now: datetime | None,
        explain: bool = False,
        prepared: PreparedText | None = None,
    ) -> Facts:
        """Steps 1-2: normalise once, pick the language, one pass over every term."""
        context = context or _DEFAULT_CONTEXT
        now = _aware(now) if now else datetime.now(UTC)
        if prepared is not None:
            facts = Facts(self, mention, context, now, prepared.nt, prepared.lang, prepared.groups)
            facts._hits = prepared.hits  # None: located on demand, as without `explain`
            facts.model_scores = prepared.scores
            return facts
        nt, lang = self._normalised(mention.text, mention.lang)
        if explain:  # the same groups as scan_groups, with where each term was found
            located = self.index.scan(nt, lang)
            facts = Facts(self, mention, context, now, nt, lang, set(located))
            facts._hits = located
            return facts
        groups = self.index.scan_groups(nt, lang)
        return Facts(self, mention, context, now, nt, lang, groups)

    def _normalised(self, text: str, platform_lang: str | None) -> tuple[NormalizedText, str]:
        nt = normalize(text, self.index.unmask)
        return self._expanded(nt, lang := self._language(platform_lang, nt)), lang

    def _delegate(
        self,
        facts: Facts,
        matched: list[CompiledScenario],
        primary: CompiledScenario | None,
        severity: str,
        categories: list[str],
        *,
        scenario_ids: list[str] | None = None,
        own_action: bool = True,
        correction: Evidence | None = None,
    ) -> Decision:
        """Steps 5-10, shared by `decide` and `redecide`: one rule set for both."""
        facts.severity = severity
        facts.scenario_set = (
            set(scenario_ids) if scenario_ids is not None else {s.id for s in matched}
        )
        facts.category_set = set(categories)

        # 5. default action
        policy = self.policies[severity]
        if own_action and primary is not None and (primary.action or primary.approver):
            # A scenario may set its own action, or only who approves the default one.
            action = primary.action or policy.action
            approver = primary.approver
        else:
            action, approver = policy.action, policy.approver
        default_action = action

        # 6. delegation: first matching rule wins
        rule_fired: CompiledRule | None = None
        for rule in self.delegation:
            if rule.when is not None and rule.when.test(facts):
                action, approver = rule.action, rule.approver
                rule_fired = rule
                break

        # 7. safety floor
        guarded = severity == "S4" and ACTIONS[action].rank < ACTIONS["escalate_urgent"].rank
        action_before_guard = action
        if guarded:
            action, approver = "escalate_urgent", None
        approver = resolve_approver(action, approver)

        # 8. SLA
        needs_answer = ACTIONS[action].needs_answer
        due_at = self._due_at(severity, facts) if needs_answer else None

        # 9. priority
        priority = self._priority(severity, facts) if needs_answer else 0

        # 10. replies
        replies: list[str] = []
        if needs_answer:
            if primary is not None:
                replies.extend(primary.replies)
                for sc in matched:
                    if sc is not primary:
                        replies.extend(sc.replies)
            if not replies:
                replies = list(self.spec.defaults.replies)
            if len(replies) > 1:
                replies = list(dict.fromkeys(replies))
            replies = replies[: self.spec.max_suggested_replies]

        # A partial, not a closure: no cell per variable of this frame (every read of them
        # slower) and fewer objects kept per decision until its evidence is read.
        evidence = partial(
            decision_rows,
            correction,
            self,
            facts,
            matched,
            primary if own_action else None,
            severity,
            default_action,
            rule_fired,
            action_before_guard if guarded else None,
            due_at,
            needs_answer,
        )
        return Decision(
            severity=severity,
            scenarios=list(scenario_ids) if scenario_ids is not None else [s.id for s in matched],
            categories=categories,
            action=action,
            approver=approver,
            priority=priority,
            due_at=due_at,
            suggested_replies=replies,
            language=facts.lang,
            evidence=evidence,
            playbook_version=self.version,
        )

    def _due_at(self, severity: str, facts: Facts) -> datetime:
        sla = self.spec.sla
        minutes = answer_target(severity, self._sla, facts.context).minutes
        start = facts.posted
        if sla.business_hours_only and severity != "S4":
            week = facts.week
            if week is not None:
                return add_open_minutes(start, minutes, week, zone(facts.timezone_name))
        return start + timedelta(minutes=minutes)

    def _priority(self, severity: str, facts: Facts, explain: list[str] | None = None) -> int:
        """The priority score, 0–1000 (`priority.score`)."""
        return priority_score(self, severity, facts, explain)
