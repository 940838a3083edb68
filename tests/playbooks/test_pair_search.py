"""A batch's known word pairs found at once (`PairSearch`): each text's rows exactly as the
scorer's per-text path finds them (distinct, in increasing order), none across two texts."""

from __future__ import annotations

from playbooks.scorer import get_scorer
from playbooks.scorer.pair_search import PairSearch
from playbooks.scorer.preprocess import prepare


def test_each_text_gets_the_per_text_path_rows() -> None:
    scorer = get_scorer()
    texts = [
        prepare(t, "fr")
        for t in (
            "vous êtes vraiment des incapables, des incapables",
            "",
            "merci",
            "je vais vous retrouver et vous allez le regretter",
            "les gens comme eux devraient dégager de ce pays, vous êtes des nuls",
            "train en retard train en retard train en retard",
        )
    ]
    words = [t.split() for t in texts]
    expected = [scorer._features(t, w)[2] for t, w in zip(texts, words, strict=True)]
    assert any(expected)
    assert scorer._pair_search.rows(words) == expected
    assert scorer._pair_search.rows([]) == []


def test_a_text_s_last_word_and_the_next_text_s_first_make_no_pair() -> None:
    search = PairSearch({("a", "b"): 7, ("b", "c"): 3, ("GRP", "c"): 5}, {"gens": "GRP"})
    assert search.rows([["a"], ["b", "c"], ["x", "a"], ["b"]]) == [[], [3], [], []]
    assert search.rows([["a", "b", "c", "a", "b"], ["gens", "c"], ["c"]]) == [[3, 7], [5], []]
