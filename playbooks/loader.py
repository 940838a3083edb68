"""Load, validate and compile a playbook; every problem becomes a located ValidationIssue.

The lexicon steps are in `lexicon_loading`, the version digest in `playbook_version`.
"""

from __future__ import annotations

import difflib
import functools
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .actions import ACTIONS
from .conditions import CompileContext, compile_condition
from .engine import CompiledRule, CompiledScenario, Playbook, playbook_sla_minutes
from .errors import PlaybookError, ValidationIssue
from .heap import release_freed
from .hours import parse_business_hours, zone
from .lexicon_loading import SHIPPED_SMS, LexiconLoading
from .lexicons import StoredLexicons, find_stored
from .matcher import ANY_LANGUAGE, TermIndex
from .model import SEVERITIES
from .normalize import SmsExpander, normalize_term, sms_expander
from .playbook_version import playbook_version, uses_model
from .schema import DEFAULT_POLICIES, PlaybookSpec, SlaSpec
from .schema_issues import pydantic_issues
from .yaml_source import parse_yaml

SHIPPED_DIR = Path(__file__).parent / "shipped"


def shipped_playbook_path(slug: str) -> Path:
    """Path of a playbook shipped with Vigie ("demo-rail", "demo-shop")."""
    path = SHIPPED_DIR / f"{slug}.yaml"
    if not path.is_file():
        available = ", ".join(sorted(p.stem for p in SHIPPED_DIR.glob("*.yaml")))
        raise ValueError(f"no shipped playbook {slug!r} (available: {available})")
    return path


def load_playbook_file(path: str | Path, known_reply_keys: set[str] | None = None) -> Playbook:
    """Load a playbook file; lexicon files resolve next to it, then among the shipped ones."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlaybookError(
            [ValidationIssue(str(path), 1, 1, f"cannot read playbook: {exc}")]
        ) from None
    return load_playbook(text, str(path), path.parent, known_reply_keys=known_reply_keys)


def load_playbook(
    yaml_text: str,
    source: str = "<playbook>",
    base_dir: Path | None = None,
    known_reply_keys: set[str] | None = None,
    stored_lexicons: StoredLexicons | None = None,
) -> Playbook:
    """Parse, validate and compile playbook YAML; raise PlaybookError listing every issue.

    `stored_lexicons` gives the brand's own lexicons (a mapping by name, or a function of the
    name) that `stored:` entries name; the caller decides which brand's they are.
    """
    try:
        return _Loader(yaml_text, source, base_dir, known_reply_keys, stored_lexicons).load()
    except PlaybookError:
        raise
    except Exception as exc:  # a malformed playbook must never crash the caller
        raise PlaybookError(
            [ValidationIssue(source, 1, 1, f"cannot load playbook: {type(exc).__name__}: {exc}")]
        ) from exc


@functools.lru_cache(maxsize=64)
def _sla_of(text: str) -> tuple[tuple[str, int], ...]:
    data, smap = parse_yaml(text, "playbook.yaml")
    raw = data.get("sla", {}) if isinstance(data, dict) else {}
    try:
        spec = SlaSpec.model_validate(raw)
    except ValidationError as exc:
        issues = [smap.issue(("sla",), f"invalid sla: {e['msg']}") for e in exc.errors()]
        raise PlaybookError(issues) from None
    return tuple(playbook_sla_minutes(spec).items())


def read_sla_minutes(text: str) -> dict[str, int]:
    """A playbook's answer targets per severity, read without compiling its lexicons (for
    pages that only show deadlines); PlaybookError when the text does not parse."""
    return dict(_sla_of(text))


def stored_lexicon_names(yaml_text: str) -> set[str]:
    """The brand's stored lexicons a playbook text names (`stored:`), read without compiling;
    a text that does not parse names none."""
    try:
        data, _smap = parse_yaml(yaml_text, "<playbook>")
    except PlaybookError:
        return set()
    lexicons = data.get("lexicons") if isinstance(data, dict) else None
    names: set[str] = set()
    if not isinstance(lexicons, dict):
        return names
    for spec in lexicons.values():
        stored = spec.get("stored") if isinstance(spec, dict) else None
        items = [stored] if isinstance(stored, str) else stored
        if isinstance(items, list):
            names.update(str(item) for item in items if isinstance(item, str))
    return names


class _Loader(LexiconLoading):
    def __init__(
        self,
        text: str,
        source: str,
        base_dir: Path | None,
        known_reply_keys: set[str] | None,
        stored_lexicons: StoredLexicons | None = None,
    ) -> None:
        self.text = text
        self.stored_lexicons = stored_lexicons
        self.languages: list[str] = []
        self.source = source
        self.base_dir = base_dir
        self.known_reply_keys = known_reply_keys
        self.issues: list[ValidationIssue] = []
        self.file_digests: list[tuple[str, str]] = []
        self.uses_morphology = False

    def load(self) -> Playbook:
        data, smap = parse_yaml(self.text, self.source)
        self.smap = smap
        if not isinstance(data, dict):
            message = "expected a mapping with format, scenarios, ..."
            raise PlaybookError([smap.issue((), message, code="not_mapping")])
        try:
            spec = PlaybookSpec.model_validate(data)
        except ValidationError as exc:
            raise PlaybookError(pydantic_issues(exc, smap)) from None

        languages = self.languages = self._languages(spec)
        sms = self._sms(spec, languages)
        index = TermIndex(languages, sms=sms)
        lexicon_groups = self._lexicons(spec, index, languages)
        ctx = CompileContext(smap, index, lexicon_groups)
        scenarios = self._scenarios(spec, ctx)
        policies = self._policies(spec)
        ctx.phase = "decision"
        delegation = [
            CompiledRule(
                id=r.id,
                when=compile_condition(r.when, ("delegation", i, "when"), ctx),
                action=r.action,
                approver=r.approver,
                note=r.note,
            )
            for i, r in enumerate(spec.delegation)
        ]
        for i, r in enumerate(spec.delegation):
            self._check_approver(r.action, r.approver, ("delegation", i, "approver"))
        self._unique([r.id for r in spec.delegation], ("delegation",), "delegation rule")
        self._unique([r.id for r in spec.route], ("route",), "route rule")
        self._check_route_scenarios(spec)
        boosts = [
            CompiledRule(
                id=b.id,
                when=compile_condition(b.when, ("priority", "boosts", i, "when"), ctx),
                add=b.add,
            )
            for i, b in enumerate(spec.priority.boosts)
        ]
        self.issues.extend(ctx.issues)
        reply_keys = self._reply_keys(spec)
        self._settings(spec)
        if self.issues:
            raise PlaybookError(self.issues)
        index.build()
        # The automata's build freed ~25 MB it would keep resident (see heap) beneath the
        # language model a first compile loads next (+37 MB): given back first.
        release_freed()
        self.uses_morphology = index.uses_morphology or any(
            lex.fuzzy for lex in spec.lexicons.values()
        )
        return Playbook(
            spec=spec,
            version=playbook_version(data, self.file_digests, self.uses_morphology),
            source=self.source,
            index=index,
            languages=languages,
            sms=sms,
            scenarios=scenarios,
            policies=policies,
            delegation=delegation,
            boosts=boosts,
            reply_keys=reply_keys,
            uses_model=uses_model(data),
        )

    def error(
        self,
        path: tuple[Any, ...],
        message: str,
        *,
        key: bool = False,
        code: str = "",
        **params: Any,
    ) -> None:
        self.issues.append(self.smap.issue(path, message, key=key, code=code, **params))

    def _languages(self, spec: PlaybookSpec) -> list[str]:
        if spec.languages:
            langs = list(dict.fromkeys(spec.languages))
        else:
            found = {spec.default_language}
            for lex in spec.lexicons.values():
                found.update(k for k in lex.files if k != ANY_LANGUAGE)
                if lex.lang:
                    found.add(lex.lang)
                for name in lex.stored:
                    stored = find_stored(self.stored_lexicons, name)
                    if stored is not None and stored.language != ANY_LANGUAGE:
                        found.add(stored.language)
            langs = sorted(found)
        if spec.default_language not in langs:
            self.error(
                ("default_language",),
                f"default_language {spec.default_language!r} is not one of the languages {langs}",
            )
        return langs

    def _sms(self, spec: PlaybookSpec, languages: list[str]) -> dict[str, SmsExpander]:
        out: dict[str, SmsExpander] = {}
        for lang in languages:
            table = {**SHIPPED_SMS.get(lang, {}), **spec.sms.get(lang, {})}
            normalised = {}
            for short, full in table.items():
                key = normalize_term(short).strip()
                if key:
                    normalised[key] = normalize_term(full).strip()
            out[lang] = sms_expander(normalised)
        for lang in spec.sms:
            if lang not in languages:
                self.error(
                    ("sms", lang),
                    f"sms: {lang!r} is not one of the languages {languages}",
                    key=True,
                )
        return out

    def _scenarios(self, spec: PlaybookSpec, ctx: CompileContext) -> list[CompiledScenario]:
        self._unique([s.id for s in spec.scenarios], ("scenarios",), "scenario")
        ctx.scenario_ids = {s.id for s in spec.scenarios}
        ctx.categories = {c for s in spec.scenarios for c in s.categories} | set(
            spec.defaults.categories
        )
        out = []
        for i, s in enumerate(spec.scenarios):
            path = ("scenarios", i)
            when = compile_condition(s.when, (*path, "when"), ctx)
            unless = (
                compile_condition(s.unless, (*path, "unless"), ctx)
                if s.unless is not None
                else None
            )
            if s.approver is not None:
                action = (
                    s.action
                    or (spec.severities.get(s.severity) or DEFAULT_POLICIES[s.severity]).action
                )
                self._check_approver(action, s.approver, (*path, "approver"))
            out.append(
                CompiledScenario(
                    id=s.id,
                    label=s.label,
                    severity=s.severity,
                    rank=SEVERITIES.index(s.severity),
                    categories=list(s.categories),
                    replies=list(s.replies),
                    action=s.action,
                    approver=s.approver,
                    when=when,
                    unless=unless,
                    overrides=frozenset(s.overrides),
                    unless_scope=frozenset(
                        [s.unless_scope]
                        if isinstance(s.unless_scope, str)
                        else s.unless_scope or ()
                    ),
                )
            )
        return out

    def _policies(self, spec: PlaybookSpec) -> dict[str, Any]:
        for sev, policy in spec.severities.items():
            self._check_approver(policy.action, policy.approver, ("severities", sev, "approver"))
        policies: dict[str, Any] = {str(k): v for k, v in spec.severities.items()}
        return {sev: policies.get(sev, DEFAULT_POLICIES[sev]) for sev in SEVERITIES}

    def _check_approver(self, action: str, approver: str | None, path: tuple[Any, ...]) -> None:
        if action not in ACTIONS or approver is None:
            return
        allowed = [a for a in ACTIONS[action].approvers if a]
        if approver not in allowed:
            expected = f"one of {allowed}" if allowed else "no approver"
            self.error(
                path,
                f"action {action!r} takes {expected}, not {approver!r}",
                code="bad_approver",
                action=action,
                approver=approver,
                allowed=", ".join(allowed),
            )

    def _check_route_scenarios(self, spec: PlaybookSpec) -> None:
        # A misspelt scenario id would silently never route: name it at load.
        known = {s.id for s in spec.scenarios}
        for i, rule in enumerate(spec.route):
            for j, scenario in enumerate(rule.scenarios):
                if scenario not in known:
                    self.error(
                        ("route", i, "scenarios", j),
                        f"unknown scenario {scenario!r}; scenarios are {sorted(known)}",
                        code="unknown_scenario",
                        id=scenario,
                        known=", ".join(sorted(known)),
                    )

    def _unique(self, ids: list[str], path: tuple[Any, ...], what: str) -> None:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                self.error(
                    (*path, i, "id"),
                    f"duplicate {what} id {ident!r}",
                    code="duplicate_id",
                    what=path[0],
                    id=ident,
                )
            seen.add(ident)

    def _reply_keys(self, spec: PlaybookSpec) -> set[str]:
        refs: list[tuple[tuple[Any, ...], str]] = []
        for i, s in enumerate(spec.scenarios):
            refs.extend((("scenarios", i, "replies", j), k) for j, k in enumerate(s.replies))
        refs.extend((("defaults", "replies", j), k) for j, k in enumerate(spec.defaults.replies))
        library = self.known_reply_keys
        if library is None and spec.replies_library is not None:
            library = set(spec.replies_library)
        if library is not None:
            for path, key in refs:
                if key not in library:
                    hint = difflib.get_close_matches(key, library, n=1)
                    suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
                    self.error(
                        path,
                        f"unknown reply key {key!r}{suggestion}",
                        code="unknown_reply_key",
                        key_name=key,
                        suggestion=hint[0] if hint else "",
                    )
        return {k for _, k in refs}

    def _settings(self, spec: PlaybookSpec) -> None:
        try:
            zone(spec.timezone)
        except ValueError as exc:
            self.error(("timezone",), str(exc))
        if spec.business_hours is not None:
            try:
                parse_business_hours(spec.business_hours)
            except ValueError as exc:
                self.error(("business_hours",), f"business_hours: {exc}")
