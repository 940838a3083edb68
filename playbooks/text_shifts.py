"""Offsets back from a rewritten text to the one it came from: the map each normalisation step
keeps (`normalize`), so that evidence can point at the author's own characters."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(slots=True)
class Shift:
    """Replaced segments of one rewrite step: (new start, new end, old start, old end)."""

    new_starts: list[int] = field(default_factory=list)
    segments: list[tuple[int, int, int, int]] = field(default_factory=list)

    def back(self, pos: int, *, end: bool) -> int:
        k = bisect_right(self.new_starts, pos if not end else pos - 1) - 1
        if k < 0:
            return pos
        ns, ne, os_, oe = self.segments[k]
        if not end and pos < ne:
            return os_
        if end and pos <= ne:
            return oe if pos > ns else os_
        return oe + (pos - ne)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """`back` of both ends of a span at once (one call per shift: the hot path)."""
        new_starts, segments = self.new_starts, self.segments
        k = bisect_right(new_starts, start) - 1
        if k >= 0:
            _, ne, os_, oe = segments[k]
            start = os_ if start < ne else oe + (start - ne)
        k = bisect_right(new_starts, end - 1) - 1
        if k >= 0:
            ns, ne, os_, oe = segments[k]
            end = (oe if end > ns else os_) if end <= ne else oe + (end - ne)
        return start, end

    def spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """`span` of each of these spans, in one call (the evidence maps all its words at once)."""
        new_starts, segments = self.new_starts, self.segments
        out: list[tuple[int, int]] = []
        for start, end in spans:
            k = bisect_right(new_starts, start) - 1
            if k >= 0:
                _, ne, os_, oe = segments[k]
                start = os_ if start < ne else oe + (start - ne)
            k = bisect_right(new_starts, end - 1) - 1
            if k >= 0:
                ns, ne, os_, oe = segments[k]
                end = (oe if end > ns else os_) if end <= ne else oe + (end - ne)
            out.append((start, end))
        return out


def rewrite(text: str, edits: Iterable[tuple[int, int, str]]) -> tuple[str, Shift | None]:
    """Apply sorted, non-overlapping (start, end, replacement) edits, recording the shift."""
    parts: list[str] = []
    shift = Shift()
    last = 0
    delta = 0
    for start, end, repl in edits:
        parts.append(text[last:start])
        parts.append(repl)
        ns = start + delta
        ne = ns + len(repl)
        shift.new_starts.append(ns)
        shift.segments.append((ns, ne, start, end))
        delta += len(repl) - (end - start)
        last = end
    if not shift.segments:
        return text, None
    parts.append(text[last:])
    return "".join(parts), shift


_LONG_SPACE_RE = re.compile(r"\s\s+")
# Folding turned every other ASCII blank into a space: on ASCII text a run is only spaces,
# which this finds twice as fast as the `\s` class.
_SPACE_RUN_RE = re.compile(r"  +")


class CollapseShift:
    """Way back from " w0 w1 ... " (single spaces, padded) to the text it was split from.

    A word of the collapsed text is found by searching its spaces (in C); its start in the
    text before is the same less the padding, plus the leading blanks and the extra blanks of
    the longer runs before it. Those runs are few (punctuation folded next to a space): they
    are listed on first use, and most mentions never need them.
    """

    __slots__ = ("_cum", "_lead", "_runs", "collapsed", "pre")

    def __init__(self, pre: str, collapsed: str) -> None:
        self.pre = pre
        self.collapsed = collapsed
        self._runs: list[int] | None = None  # collapsed position of each longer run's space
        self._cum: list[int] = []  # extra blanks up to and including each run
        self._lead = 0

    def _index(self) -> list[int]:
        if self._runs is None:
            pre = self.pre
            lead = self._lead = len(pre) - len(pre.lstrip())
            runs: list[int] = []
            extra = 0
            runs_re = _SPACE_RUN_RE if pre.isascii() else _LONG_SPACE_RE
            for m in runs_re.finditer(pre, lead):
                a, b = m.span()
                if b == len(pre):
                    break  # trailing blanks: after the last word
                runs.append(a - lead - extra + 1)
                extra += b - a - 1
                self._cum.append(extra)
            self._runs = runs
        return self._runs

    def _start(self, cstart: int) -> int:
        """Start in `pre` of the word starting at `cstart` in the collapsed text."""
        runs = self._index()
        k = bisect_right(runs, cstart - 1)  # runs whose space lies before the word
        return cstart - 1 + self._lead + (self._cum[k - 1] if k else 0)

    def back(self, pos: int, *, end: bool) -> int:
        c = self.collapsed
        last = len(c) - 1
        if last <= 1:  # no words
            return 0
        q = pos - 1 if end else pos
        if q < 1:  # before the first word
            return 0 if end else self._start(1)
        space = c.rfind(" ", 0, min(q, last))  # the space before the word at or before q
        cstart = space + 1
        size = c.find(" ", cstart) - cstart
        offset = q - cstart
        start = self._start(cstart)
        if offset < size:  # inside the word
            return start + offset + (1 if end else 0)
        if end:  # the space after the word
            return start + size
        following = cstart + size + 1
        return self._start(following) if following < last else len(self.pre)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """`back(start, end=False), back(end, end=True)` in one call, the word lookups inlined
        (every located word of the evidence comes through here)."""
        c = self.collapsed
        last = len(c) - 1
        if last <= 1:  # no words
            return 0, 0
        runs = self._runs if self._runs is not None else self._index()
        lead, cum = self._lead - 1, self._cum
        # the start: inside a word, else the next word's start
        if start < 1:
            cstart = 1
            k = bisect_right(runs, 0) if runs else 0
            start = cstart + lead + (cum[k - 1] if k else 0)
        else:
            cstart = c.rfind(" ", 0, min(start, last)) + 1
            size = c.find(" ", cstart) - cstart
            offset = start - cstart
            if offset >= size:
                cstart += size + 1
                offset = 0
            if cstart < last:
                k = bisect_right(runs, cstart - 1) if runs else 0
                start = cstart + lead + (cum[k - 1] if k else 0) + offset
            else:
                start = len(self.pre)
        # the end: inside a word (one past it), else the end of the word before
        q = end - 1
        if q < 1:
            return start, 0
        cstart = c.rfind(" ", 0, min(q, last)) + 1
        size = c.find(" ", cstart) - cstart
        k = bisect_right(runs, cstart - 1) if runs else 0
        base = cstart + lead + (cum[k - 1] if k else 0)
        offset = q - cstart
        return start, base + offset + 1 if offset < size else base + size

    def spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """`span` of each of these spans, in one call (the evidence maps all its words at once).

        A matched term's span holds its padding spaces, or starts and ends inside words: then
        the way back is the position (its word's edge for a space) plus the leading blanks and
        the longer runs before it, one bisect per end and no search for the word's spaces
        (`span` does that for any other span)."""
        c = self.collapsed
        last = len(c) - 1
        if last <= 1:  # no words
            return [(0, 0)] * len(spans)
        runs = self._runs if self._runs is not None else self._index()
        shift, cum = self._lead - 1, self._cum
        out: list[tuple[int, int]] = []
        for start, end in spans:
            q = end - 1
            # the start: on a space, the next word's; the end: on a space, the word before's
            p = start + 1 if 0 <= start <= last and c[start] == " " else start
            if 1 <= p < last and 1 <= q <= last and c[p] != " " and c[q - 1] != " ":
                # No run's space lies inside a word: the runs before p (or q) are those before
                # its word.
                e = end if c[q] != " " else q
                if runs:
                    k = bisect_right(runs, p - 1)
                    j = bisect_right(runs, q - 1)
                    out.append(
                        (p + shift + (cum[k - 1] if k else 0), e + shift + (cum[j - 1] if j else 0))
                    )
                else:
                    out.append((p + shift, e + shift))
            else:
                out.append(self.span(start, end))
        return out
