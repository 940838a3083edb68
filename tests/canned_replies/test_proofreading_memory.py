"""The proofreading engines held in less memory give the same answers.

Grammalecte's dictionary graph shares its equal integers, its per-word store is bounded, the
frequency lists are held once per language (canned_replies/grammalecte_engine.py,
word_frequencies.py): the values and the findings stay the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from canned_replies import french_words, grammalecte_engine
from canned_replies.grammalecte_store import _LemmaStore, _MorphStore, fresh_morphs
from canned_replies.proofreading import Proofreader

ROOT = Path(__file__).resolve().parents[2]

TEXTS = [
    "Bonjour, nous avons bien recu votre mesage et les colis est en route.",
    "Merci pour votre patiance, votre commande a été expédier hier.",
    "Nous somme désolé pour ce retard, les livreurs on eu un problème.",
    "Vous pouvez nous envoyer votre numéro de commande en message privé ?",
    "Les produits que vous avez commandé sont disponible dès demain en magasin.",
]


def test_dictionary_graph_shares_equal_integers(grammalecte: None) -> None:
    dictionary = grammalecte_engine.engine().speller.oMainDic
    path = Path(sys.modules[type(dictionary).__module__].__file__ or "").parent
    source = json.loads((path / "_dictionaries" / "fr-allvars.json").read_text("utf-8"))
    graph = dictionary.lByDic
    assert graph == source["lByDic"]  # the same values, in the same order
    assert len({id(v) for v in graph}) == len(set(graph))  # one object a value


def test_store_drops_its_oldest_unchanged_word_past_its_limit(grammalecte: None) -> None:
    speller = grammalecte_engine.engine().speller
    words = ["avons", "colis", "route", "message"]
    store = _MorphStore(3, {}, speller)
    for word in words[:3]:
        store[word] = fresh_morphs(speller, word)
    store["message"] = fresh_morphs(speller, "message")
    assert list(store) == ["colis", "route", "message"]


def test_store_keeps_a_word_a_rule_changed_or_a_parse_holds(grammalecte: None) -> None:
    """Grammalecte's g_addmorph extends a stored list in place: dropped, the word would lose
    the added morphology that Grammalecte's own store keeps for later parses."""
    speller = grammalecte_engine.engine().speller
    store = _MorphStore(2, {}, speller)
    store["avons"] = fresh_morphs(speller, "avons")
    store["colis"] = fresh_morphs(speller, "colis")
    store["avons"].append(">avoir/:added")  # as g_addmorph does
    store["route"] = fresh_morphs(speller, "route")
    assert list(store) == ["avons", "route"]  # "colis" dropped, the changed word kept
    held = store["avons"]  # a token of the parse under way holds it too
    held.pop()
    store["message"] = fresh_morphs(speller, "message")
    assert list(store) == ["avons", "message"]  # unchanged again but still held: kept
    assert held is store["avons"]


def test_lemmas_of_a_dropped_word_come_from_the_dictionary(grammalecte: None) -> None:
    speller = grammalecte_engine.engine().speller
    lemmas = _LemmaStore(2, {}, speller)
    assert lemmas["avons"] == ("avoir",)
    assert "avons" not in lemmas  # answered, not stored: getMorph stores it
    for word in ["avons", "colis", "route"]:
        lemmas[word] = {"x"}
    assert list(lemmas) == ["colis", "route"]


def test_findings_are_the_same_with_a_tiny_store(grammalecte: None) -> None:
    speller = grammalecte_engine.engine().speller
    before = [[f.to_dict() for f in Proofreader("fr").check(t)] for t in TEXTS]
    kept = speller._dMorphologies, speller._dLemmas
    try:
        speller._dMorphologies = _MorphStore(5, {}, speller)
        speller._dLemmas = _LemmaStore(5, {}, speller)
        grammalecte_engine.morphs.cache_clear()
        french_words._has.cache_clear()
        after = [[f.to_dict() for f in Proofreader("fr").check(t)] for t in TEXTS]
        assert len(speller._dLemmas) <= 5
    finally:
        speller._dMorphologies, speller._dLemmas = kept
        grammalecte_engine.morphs.cache_clear()
        french_words._has.cache_clear()
    assert after == before
    assert any(before)


SCRIPT = """
import json, wordfreq
from canned_replies import unknown_words, warmup, word_frequencies
from canned_replies.proofreading import proofread

warmup.warm_up()
proofread("Bonjour, nous avons bien recu votre mesage.", "fr")
proofread("Hello, we has received your mesage.", "en")
print(json.dumps({
    "tables": sorted(word_frequencies._tables),
    "wordfreq_lists": wordfreq.get_frequency_list.cache_info().currsize,
    "wordfreq_dicts": wordfreq.get_frequency_dict.cache_info().currsize,
    "zipf_is_compact": unknown_words._zipf is word_frequencies.zipf_frequency,
}))
"""


def test_each_frequency_list_is_held_once(grammalecte: None) -> None:
    """After the warm-up and proofreads in both languages, only the compact tables are held:
    wordfreq's own lists (57 MB a language) were never read."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {
        "tables": ["en", "fr"],
        "wordfreq_lists": 0,
        "wordfreq_dicts": 0,
        "zipf_is_compact": True,
    }


def test_frequency_table_is_in_hash_order() -> None:
    from canned_replies import word_frequencies

    table = word_frequencies.table("fr")
    assert table.hashes.dtype == np.uint32 and bool(np.all(np.diff(table.hashes) >= 0))
    assert len(table.starts) == len(table.hashes) + 1 == len(table.buckets) + 1
    i = len(table.hashes) // 2
    word = bytes(table.blob[table.starts[i] : table.starts[i + 1]])
    assert word_frequencies._hash32(word) == int(table.hashes[i])


def test_suggestions_from_lemmas_are_the_same_in_every_process(grammalecte: None) -> None:
    # "suis" has two lemmas (être, suivre): Grammalecte's set of them was walked in the order
    # of the process's string hashing, so its past participles came as "été|suivi…" in one
    # process and "suivi…|été" in the next.
    script = (
        "from canned_replies import grammalecte_engine as g; e = g.engine(); "
        "print(e.functions.suggVerbPpas('suis'), e.speller.getLemma('étais'))"
    )
    answers = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(answers) == 1
