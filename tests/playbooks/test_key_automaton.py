"""Keys stored as a head plus a last word (playbooks.key_automaton) are found exactly where, and
in the order, a trie of the whole keys finds them: product entries decide as their expansion."""

from __future__ import annotations

import sys

import ahocorasick

from playbooks.key_automaton import KeyAutomaton, Table, pairs_of
from playbooks.lexicons import SHIPPED_LEXICONS_DIR, parse_lexicon_text
from playbooks.matcher import TermIndex
from playbooks.normalize import normalize

ENTRIES = [
    "(je vais|j'vais|on va) {tuer|buter|frapper} {le|la|ce|cette} {contrôleur|livreur|vendeuse}",
    "je vais tuer le",  # a whole key that is also a head
    "je vais tuer le contrôleur demain",  # a longer key through the same head
    "{tuer|buter} le contrôleur",  # a key that ends inside another one
    "espèce de crétin",
    "crétin",
    "encul*",  # a prefix: no word boundary at its end
    "*phobes de merde",  # a suffix: none at its start
    "bande de :clown_face:",
    "🔪",
    "connnard fini",  # a doubled letter: its squeezed twin too
]
SENTENCES = [
    "je vais tuer le contrôleur",
    "Je vais tuer le contrôleur demain, j'vais buter la vendeuse et on va frapper ce livreur",
    "je vais tuer le contrôleurs",  # the last word goes on: no key
    "je vais tuerie le contrôleur",  # nor when the head's last word does
    "je vais tuer le",
    "je vais tuer le 🔪 contrôleur",
    "on va frapper cette vendeuse on va frapper cette vendeuse",
    "espèce de crétin, sale crétin",
    "les homophobes de merde et les enculés",
    "bande de 🤡 🔪🔪",
    "t'es un connard fini, un conard fini",
    "buter le contrôleur",
    "rien à voir ici",
    "",
]


def _table(entries: list[str]) -> Table:
    index = TermIndex(["fr"])
    group = index.group("lexique")
    for entry in parse_lexicon_text("\n".join(entries))[0]:
        index.add(group, entry.written, entry.terms, "fr")
    return index._entries["fr"]


def _whole_trie(table: Table) -> ahocorasick.Automaton:
    trie = ahocorasick.Automaton()
    for key in table:
        trie.add_word(key, key)
    trie.make_automaton()
    return trie


def _same_hits(table: Table, sentences: list[str]) -> int:
    """Compare a KeyAutomaton with a trie of whole keys on `sentences`; the hits compared."""
    trie = _whole_trie(table)
    keys = KeyAutomaton(dict(table))  # consumed
    assert keys.first_head < len(keys.lengths)  # some keys are stored through a head
    compared = 0
    for sentence in sentences:
        text = normalize(sentence).text
        want = list(trie.iter(text))
        got = [(end, text[end - keys.lengths[v] + 1 : end + 1]) for end, v in keys.iter(text)]
        assert got == want, sentence
        values = keys.values(text)
        assert sorted(values) == sorted({v for _, v in keys.iter(text)}), sentence
        for end, v in keys.iter(text):
            pairs = [
                (keys.pair_groups[k], keys.terms[keys.pair_terms[k]])
                for k in range(keys.starts[v], keys.starts[v + 1])
            ]
            assert pairs == pairs_of(table[text[end - keys.lengths[v] + 1 : end + 1]])
        compared += len(want)
    return compared


def test_product_entries_match_exactly_what_their_expansion_matches():
    assert _same_hits(_table(ENTRIES), SENTENCES) >= 20


def test_the_shipped_threats_match_as_their_whole_keys():
    """The biggest shipped file (products of verbs, objects and persons) on sentences written
    for this test, threats and look-alikes."""
    text = (SHIPPED_LEXICONS_DIR / "fr" / "threats.txt").read_text(encoding="utf-8")
    entries = [e.written for e in parse_lexicon_text(text)[0] if not e.exception]
    sentences = [
        "je vais tuer le contrôleur et on va buter ce livreur",
        "je vais te défoncer la gueule, on va vous retrouver",
        "je sais où tu habites, je vais venir te buter",
        "je vais vous faire la peau à la sortie",
        "il va y avoir un carnage à la gare",
        "je vais tuer le temps en lisant, ce retard me tue",
        "on va faire sauter la gare demain",
        "je vous égorgerai tous, je te fracasse",
        "tu vas te faire démonter et vous allez le payer cher",
        "je vais te tuer à la belote mdr",
    ]
    assert _same_hits(_table(entries), sentences) >= 10


def test_a_key_of_one_pair_holds_it_alone_and_more_in_a_list():
    """Most keys have one (group, term) pair, stored as it is (no list each at the build's
    peak); a second distinct pair makes a list; an equal pair is not added again."""
    table: Table = {}
    index = TermIndex(["fr"])
    group = index.group("lexique")
    index.add(group, "crétin", ["crétin"], "fr")
    index.add(group, "crétin", ["crétin"], "fr")
    table = index._entries["fr"]
    assert table[" cretin "] == (group, "crétin")
    other = index.group("autre")
    index.add(other, "crétin", ["crétin"], "fr")
    assert table[" cretin "] == [(group, "crétin"), (other, "crétin")]
    assert index.term_count == 2


def test_the_scan_reports_the_same_terms_whatever_the_decoded_cache_holds(monkeypatch):
    index = TermIndex(["fr"])
    group = index.group("lexique")
    for entry in parse_lexicon_text("\n".join(ENTRIES))[0]:
        index.add(group, entry.written, entry.terms, "fr")
    index.build()
    texts = [normalize(s) for s in SENTENCES]
    first = [index.scan(t, "fr") for t in texts]  # the cache fills as terms are found
    terms = [compiled.terms for compiled, _ in index._scanners["fr"]]
    assert any(t.seen for t in terms) and any(first)
    assert [index.scan(t, "fr") for t in texts] == first  # read from the cache
    monkeypatch.setattr("playbooks.key_automaton.SEEN_MAX", 0)
    for t in terms:
        t.seen.clear()
    assert [index.scan(t, "fr") for t in texts] == first  # a full cache: decoded each time
    assert not any(t.seen for t in terms)


def test_the_build_releases_its_table_and_keeps_every_term_and_key():
    """The table is emptied, its slots too (the caller holds it until the build ends), and the
    terms and keys go through UTF-8 buffers unchanged (accents, emoji, an odd surrogate)."""
    table: Table = {
        " crétin ": (0, "crétin"),
        " bande de 🤡 ": (1, "bande de :clown_face:"),
        " on va te 🔪 ": [(0, "on va te 🔪"), (1, "odd \udcff")],
        "🔪": (1, "🔪"),
    }
    expected_terms = {"crétin", "bande de :clown_face:", "on va te 🔪", "odd \udcff", "🔪"}
    automaton = KeyAutomaton(table)
    assert table == {} and sys.getsizeof(table) == sys.getsizeof({})
    assert len(automaton.terms) == len(expected_terms) == len(set(automaton.terms))
    assert set(automaton.terms) == expected_terms
    found = automaton.iter(" on va te 🔪 bande de 🤡 crétin ")
    assert [automaton.lengths[key] for _, key in found] == [1, 12, 12, 8]  # 🔪, then its key
