"""Untrusted text is escaped piece by piece around the marks."""

from __future__ import annotations

from dataclasses import dataclass

from app.ui.text_markup import highlight, mark_findings


def test_highlight_escapes_and_merges_overlaps():
    text = "<script>x</script> grève et grève"
    out = str(highlight(text, [(19, 24), (20, 26), (28, 33)]))
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert out.count("<mark>") == 2
    assert "<mark>grève e</mark>" in out


@dataclass
class Finding:
    start: int
    end: int
    message: str


def test_findings_are_numbered_and_messages_escaped():
    out = str(mark_findings("Nous somme là", [Finding(5, 10, '<b>"somme"</b>')]))
    assert 'data-finding="0"' in out and "<b>" not in out and "&lt;b&gt;" in out
