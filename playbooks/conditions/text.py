"""Conditions on the words of a mention: keywords, phrases, lexicons, patterns."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar, NotRequired

from typing_extensions import TypedDict

from ..lexicons import LexiconSyntaxError, expand_entry
from ..yaml_source import Path
from .base import CompileContext, Condition, Finding, register

if TYPE_CHECKING:
    from ..facts import Facts


def _hit_finding(kind: str, label: str, facts: Facts, group: int) -> Finding:
    hits = facts.hits.get(group, [])
    if len(hits) == 1:  # the usual case
        term, s, e = hits[0]
        return Finding(kind, f"{label} : {term}", (term,), ((s, e),))
    terms = tuple(dict.fromkeys([h[0] for h in hits]))
    spans = tuple([(s, e) for _, s, e in hits])
    return Finding(kind, f"{label} : {', '.join(terms)}", terms, spans)


@register
class Keywords(Condition):
    """Any of the listed words or phrases occurs (normalised, whole words; lexicon syntax)."""

    kind = "keywords"
    cost = 0
    value_type: ClassVar[Any] = list[str]

    def __init__(self, value: list[str], path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        if not value:
            ctx.error(path, f"{self.kind!r}: expected at least one keyword", code="no_keyword")
        self.group = ctx.index.group(f"{self.kind}@{'/'.join(map(str, path))}")
        for i, written in enumerate(value):
            try:
                terms = expand_entry(written.strip())
            except LexiconSyntaxError as exc:
                ctx.error((*path, i), str(exc), code="bad_term", term=written, problem=str(exc))
                continue
            if not any(t.strip("* ") for t in terms):
                ctx.error((*path, i), f"{self.kind!r}: empty keyword")
                continue
            ctx.index.add(self.group, written.strip(), terms)

    def test(self, facts: Facts) -> bool:
        return self.group in facts.groups

    def term_groups(self) -> frozenset[int] | None:
        return frozenset([self.group])

    def findings(self, facts: Facts) -> Iterator[Finding]:
        yield _hit_finding("keyword", "Mots-clés", facts, self.group)


@register
class Phrase(Keywords):
    """This exact phrase occurs (after normalisation)."""

    kind = "phrase"
    value_type = str

    def __init__(self, value: str, path: Path, ctx: CompileContext) -> None:
        # Reported at the phrase itself, as a one-item keyword list.
        super().__init__([value], path, ctx)
        self.value = value

    def findings(self, facts: Facts) -> Iterator[Finding]:
        yield _hit_finding("keyword", "Expression", facts, self.group)


@register
class Lexicon(Condition):
    """A term of the named lexicon(s) occurs, in their version for the mention's language."""

    kind = "lexicon"
    cost = 0
    value_type = str | list[str]

    def __init__(self, value: str | list[str], path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        names = [value] if isinstance(value, str) else value
        self.names = names
        self.groups: list[tuple[str, int]] = []
        for i, name in enumerate(names):
            where = path if isinstance(value, str) else (*path, i)
            if name not in ctx.lexicon_groups:
                hint = difflib.get_close_matches(name, ctx.lexicon_groups, n=1)
                suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
                known = ", ".join(sorted(ctx.lexicon_groups)) or "none declared"
                ctx.error(
                    where,
                    f"unknown lexicon {name!r}{suggestion} (declared: {known})",
                    code="unknown_lexicon",
                    name=name,
                    suggestion=hint[0] if hint else "",
                    known=", ".join(sorted(ctx.lexicon_groups)),
                )
                continue
            self.groups.append((name, ctx.lexicon_groups[name]))

        self._groups = frozenset(g for _, g in self.groups)

    def test(self, facts: Facts) -> bool:
        return not self._groups.isdisjoint(facts.groups)

    def term_groups(self) -> frozenset[int] | None:
        return self._groups

    def findings(self, facts: Facts) -> Iterator[Finding]:
        for name, group in self.groups:
            if group in facts.groups:
                yield _hit_finding("lexicon", f"Lexique « {name} »", facts, group)


@register
class LexiconAnyLanguage(Lexicon):
    """A term of the named lexicon(s) in any of the playbook's languages, the mention's first.

    The platform's language tag is often wrong on short posts or when a letter is another
    alphabet's ("sаlope" with a Cyrillic a, tagged English): a gate that asks whether a text
    holds a hostile word should read the French lexicons of a French text so tagged. The text is
    normalised for each other language as a parent message is (`Playbook.scan_text`), once.
    """

    kind = "lexicon_any_language"
    cost = 3

    def __init__(self, value: str | list[str], path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        self.languages = tuple(ctx.index.languages)

    def test(self, facts: Facts) -> bool:
        return super().test(facts) or self._other(facts) is not None

    def term_groups(self) -> frozenset[int] | None:
        return None  # it may hold on another language's terms

    def _other(self, facts: Facts) -> str | None:
        """The first other language whose terms include one of the lexicons'."""
        for lang in self.languages:
            if lang == facts.lang:
                continue
            key = ("groups_in", lang)
            groups = facts.memo.get(key)
            if groups is None:
                groups = facts.memo[key] = facts.playbook.scan_text(facts.mention.text, lang)
            if not self._groups.isdisjoint(groups):
                return lang
        return None

    def findings(self, facts: Facts) -> Iterator[Finding]:
        if super().test(facts):
            yield from super().findings(facts)
            return
        lang = self._other(facts)
        if lang is not None:  # no offsets: the terms were found in another normalisation
            names = ", ".join(n for n, g in self.groups if g in facts.memo[("groups_in", lang)])
            yield Finding("lexicon", f"Lexique « {names} » ({lang})")


@register
class Pattern(Condition):
    """A regular expression matches the normalised text (lower case, no accents, single spaces)."""

    kind = "pattern"
    cost = 2
    value_type = str
    on_original = False

    def __init__(self, value: str, path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        self.regex: re.Pattern[str] | None = None
        self._key = (self.kind, value)
        try:
            self.regex = re.compile(value)
        except re.error as exc:
            ctx.error(path, f"{self.kind!r}: invalid regular expression: {exc}")

    def _search(self, facts: Facts) -> re.Match[str] | None:
        # Searched once per mention (`Facts.memo`): the same pattern is written in several
        # scenarios, and a matched one is searched again for its evidence.
        if self.regex is None:
            return None
        memo = facts.memo
        if self._key in memo:
            return memo[self._key]  # type: ignore[no-any-return]
        found = memo[self._key] = self.regex.search(
            facts.mention.text if self.on_original else facts.nt.text
        )
        return found

    def test(self, facts: Facts) -> bool:
        return self._search(facts) is not None

    def findings(self, facts: Facts) -> Iterator[Finding]:
        m = self._search(facts)
        if m is not None:
            term = m.group().strip()
            yield Finding(self.kind, f"Motif {self.value!r} : {term}", (term,), (m.span(),))


@register
class RawPattern(Pattern):
    """A regular expression matches the original text (case and accents as written).
    Its findings' kind, "raw_pattern", marks spans that already index the original text."""

    kind = "raw_pattern"
    on_original = True


_CLAUSE_BREAK = re.compile(r"[.,;:!?…\n]")


def _names(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


class NearSpec(TypedDict):
    """Value of `near`: two lexicons (or lists of lexicons) and the largest gap in words."""

    lexicons: list[str | list[str]]
    within: NotRequired[int]
    within_clause: NotRequired[int]
    ordered: NotRequired[bool]


@register
class Near(Condition):
    """A term of each of two lexicons occurs, at most `within` words apart (either order).

    Co-occurrence alone is too loose for hate speech ("les toilettes sont dégueulasses pour
    les handicapés" names a group and an insult, aimed at the toilets): the group and the
    attribute must be close. `within_clause` (optional, larger) also accepts a wider gap when
    the first lexicon's term comes first and no punctuation separates the two as written: a
    subject and its predicate in one clause ("les femmes sont sans aucun doute les plus
    stupides"), not a complaint and a complement ("les toilettes sont sales, pas d'accès pour
    les handicapés"). `ordered: true` keeps only pairs where the first lexicon's term starts
    first: a norm before its gesture ("il faudrait les pendre"), not a gesture then a norm about
    something else ("quand elles se font tuer, il faut réagir"). Positions are only read when
    both lexicons fired.
    """

    kind = "near"
    cost = 2
    value_type = NearSpec

    def __init__(self, value: NearSpec, path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        self.within = value.get("within", 4)
        if self.within < 0:
            ctx.error((*path, "within"), "'near': expected a gap of 0 words or more")
        self.within_clause = value.get("within_clause", self.within)
        self.ordered = bool(value.get("ordered", False))
        if self.within_clause < self.within:
            ctx.error((*path, "within_clause"), "'near': expected 'within_clause' >= 'within'")
        sides = value["lexicons"]
        if len(sides) != 2:
            ctx.error((*path, "lexicons"), "'near': expected exactly two lexicons (or lists)")
        self.sides = [
            Lexicon(side, (*path, "lexicons", i), ctx) for i, side in enumerate(sides[:2])
        ]
        if len(self.sides) < 2:
            self.sides.append(self.sides[0] if self.sides else Lexicon([], path, ctx))
        self._groups = [frozenset(g for _, g in side.groups) for side in self.sides]
        # Its first pair is found once per mention (`Facts.memo`).
        self._key = (*self._groups, self.within, self.within_clause, self.ordered)

    def _pair(self, facts: Facts) -> tuple[tuple[int, int], tuple[int, int]] | None:
        memo = facts.memo
        if self._key in memo:
            return memo[self._key]  # type: ignore[no-any-return]
        pair = memo[self._key] = next(self._pairs(facts), None)
        return pair

    def _pairs(self, facts: Facts) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
        # Every pair close enough, first found first (the test and the evidence need one).
        first, second = self._groups
        if first.isdisjoint(facts.groups) or second.isdisjoint(facts.groups):
            return
        hits = facts.hits
        text = facts.nt.text
        a = [(s, e) for g in first for _, s, e in hits.get(g, ())]
        b = [(s, e) for g in second for _, s, e in hits.get(g, ())]
        # Terms are matched with their padding spaces: adjacent terms share one space and
        # overlap; n words in between hold n - 1 spaces.
        limit = self.within - 1
        clause_limit = self.within_clause - 1
        for sa, ea in a:
            for sb, eb in b:
                if self.ordered and sb < sa:
                    continue
                if sa < eb and sb < ea:
                    yield (sa, ea), (sb, eb)
                    continue
                lo, hi = (ea, sb) if ea <= sb else (eb, sa)
                gap = text.count(" ", lo, hi)
                if gap <= limit or (
                    gap <= clause_limit and ea <= sb and self._one_clause(facts, ea, sb)
                ):
                    yield (sa, ea), (sb, eb)

    @staticmethod
    def _one_clause(facts: Facts, first_end: int, second_start: int) -> bool:
        # Between the end of the first term and the start of the second, as written.
        _, s = facts.nt.original_span(first_end - 2, first_end)
        e, _ = facts.nt.original_span(second_start, second_start + 2)
        return _CLAUSE_BREAK.search(facts.nt.original, s, e) is None

    def test(self, facts: Facts) -> bool:
        # Both sides' groups first: one side often fires alone ("je", "mon" of `implication`
        # in most mentions), and the memo and pair search cost ~1 µs more per test.
        groups = facts.groups
        first, second = self._groups
        if first.isdisjoint(groups) or second.isdisjoint(groups):
            return False
        return self._pair(facts) is not None

    def needs_groups(self) -> frozenset[int] | None:
        return min(self._groups, key=len) if all(self._groups) else None

    def findings(self, facts: Facts) -> Iterator[Finding]:
        pair = self._pair(facts)
        if pair is not None:
            yield self._finding(facts, pair)

    def scope_findings(self, facts: Facts) -> Iterator[Finding]:
        # Every pair: a group named in a quotation and again, outside it, beside its attribute
        # ("une campagne pour « les femmes … » les femmes c'est bon pour …") is said.
        for pair in self._pairs(facts):
            yield self._finding(facts, pair)

    @staticmethod
    def _finding(facts: Facts, pair: tuple[tuple[int, int], tuple[int, int]]) -> Finding:
        text = facts.nt.text
        terms = tuple(text[s:e].strip() for s, e in pair)
        return Finding("lexicon", f"À proximité : {' … '.join(terms)}", terms, pair, joint=True)
