"""The learned scorer: committed weights, exact features, explanations, the honest split.

Third-party texts never appear here: tests that need them read ../shared when it is present
and are skipped otherwise.
"""

from __future__ import annotations

import json
import math
import zipfile
from collections import defaultdict

import numpy as np
import pytest

from playbooks.scorer import MODEL_PATH, get_scorer
from playbooks.scorer.data import EVAL_DATA, SPLIT_PATH, dev_rows, load_split
from playbooks.scorer.features import structure_features, word_tags
from playbooks.scorer.preprocess import prepare
from playbooks.scorer.sources import LABELS, lexicon_classes, read_examples


def test_the_weights_are_committed_small_and_load_without_pickle() -> None:
    assert MODEL_PATH.is_file()
    assert MODEL_PATH.stat().st_size <= 25 * 2**20
    with zipfile.ZipFile(MODEL_PATH) as zf:
        assert all(name.endswith(".npy") for name in zf.namelist())
    with np.load(MODEL_PATH, allow_pickle=False) as data:
        # One number per label, or per hidden unit feeding one output per label.
        width = data["weights"].shape[1]
        if "hidden_w" in data:
            assert data["hidden_w"].shape == (width, len(LABELS))
        else:
            assert width == len(LABELS)
    assert get_scorer().labels == LABELS


def test_one_scorer_per_process_is_shared() -> None:
    assert get_scorer() is get_scorer()


def test_probabilities_are_calibrated_numbers_and_deterministic() -> None:
    scorer = get_scorer()
    text = prepare("Franchement vous êtes des bons à rien, je vais vous régler votre compte", "fr")
    first = scorer.score(text).probs
    assert set(first) == set(LABELS)
    assert all(0.0 <= p <= 1.0 for p in first.values())
    assert scorer.score(text).probs == first


def test_a_batch_is_scored_to_the_same_numbers() -> None:
    """`score_many` (one numpy gather per batch) gives each text exactly `score`'s figures."""
    scorer = get_scorer()
    texts = [
        prepare(t, "fr")
        for t in (
            "vous êtes vraiment des incapables, des incapables",
            "merci pour le remboursement rapide",
            "",
            "je vais vous retrouver et vous allez le regretter",
            "les gens comme eux devraient dégager de ce pays",
            "je n'en peux plus, je veux en finir",
            "train en retard",
        )
    ]
    alone = [scorer.score(t) for t in texts]
    batch = scorer.score_many(texts)
    assert [s.probs for s in batch] == [s.probs for s in alone]
    assert [s.top_words("insult") for s in batch] == [s.top_words("insult") for s in alone]


def test_run_time_features_equal_the_training_features() -> None:
    """The fast per-word path computes exactly the training matrix row."""
    pytest.importorskip("scipy")
    from playbooks.scorer.matrix import build_matrix

    scorer = get_scorer()
    texts = [
        "vous êtes vraiment des incapables, des incapables",
        "merci pour le remboursement rapide",
        "",
        "c0nnard de contrôleur",
    ]
    vocab = scorer.vocab
    for text in [*texts, "il m'a traité de connard", "les musulmans ne sont pas des voleurs"]:
        norm = prepare(text, "fr")
        X = build_matrix([norm.split()], vocab, scorer.classes)
        expected = (X @ scorer.weights + scorer.bias)[0]
        # Word vectors: each distinct word's share, over sqrt of the number of such words.
        rows = [r for r in map(scorer.emb_row, dict.fromkeys(norm.split())) if r is not None]
        if rows:
            if scorer.emb_index is not None:  # hidden layer: words share projected vectors
                rows = [int(scorer.emb_index[r]) for r in rows]
            shares = scorer.emb_proj[rows].astype(np.float64)
            expected = expected + shares.sum(axis=0) / math.sqrt(len(rows))
        if scorer.hidden_w is not None:
            expected = np.maximum(expected, 0.0) @ scorer.hidden_w + scorer.hidden_b
        _, _, z = scorer.raw(norm)
        # A hidden layer's feature rows are kept float32 (the linear model's float64).
        assert np.allclose(z, expected, atol=1e-9 if scorer.hidden_w is None else 1e-4), text


def test_structure_features_say_who_a_hostile_word_is_aimed_at() -> None:
    classes = lexicon_classes()

    def names(text: str) -> set[str]:
        words = prepare(text, "fr").split()
        return set(structure_features([word_tags(w, classes.get(w)) for w in words]))

    assert "s:2p~HOST" in names("t'es vraiment un connard")
    assert "s:rep>HOST" in names("il m'a traité de connard")
    assert "s:neg>HOST" not in names("t'es vraiment un connard")
    assert "s:1p+fut>VIO" in names("je vais le tuer")
    assert "s:GRP>neg" in names("les musulmans ne sont pas dangereux")
    assert "s:pos~GRP" in names("j'adore mes collègues musulmans")


def test_word_vectors_are_read_with_spacys_string_hash() -> None:
    from playbooks.scorer.vectors import murmur64

    assert murmur64(b"coffee") == 3197928453018144401  # spaCy's documented hash of "coffee"


def test_words_with_a_vector_carry_a_share_of_the_score() -> None:
    scorer = get_scorer()
    assert len(scorer.emb_words) > 100_000
    assert scorer.emb_row("bonjour") is not None
    assert scorer.emb_row("zzqxw") is None


def test_top_words_point_at_words_of_the_text() -> None:
    scorer = get_scorer()
    norm = prepare("Bande de sales enfoirés, vous allez voir", "fr")
    scores = scorer.score(norm)
    top = scores.top_words("toxicity")
    assert top
    for c in top:
        assert c.weight > 0
        for s, e in c.spans:
            assert norm[s:e] == c.word


def test_word_weights_equal_their_dot_products() -> None:
    # The linear model's weights are read as columns (its direction is a unit vector): the
    # same floats as a dot product per word and per known pair, for every label.
    scorer = get_scorer()
    for text in ("Bande de sales enfoirés, vous allez voir", "je vais te retrouver à la gare"):
        scores = scorer.score(prepare(text, "fr"))
        for k, label in enumerate(scorer.labels):
            assert repr(scores._weights(label)) == repr(scores._direction_weights(k))


def test_the_projects_examples_parse_with_known_labels() -> None:
    examples = read_examples()
    assert len(examples) >= 500
    per_label = defaultdict(int)
    for ex in examples:
        assert set(ex.labels) == set(LABELS)
        for label, v in ex.labels.items():
            per_label[label] += v or 0
    assert per_label["threat"] >= 80 and per_label["self_harm"] >= 70
    assert sum(1 for ex in examples if not any(ex.labels.values())) >= 250  # benign side


def test_lexicon_classes_come_from_the_projects_lexicons() -> None:
    classes = lexicon_classes()
    assert classes.get("abruti") == "INS"
    assert classes.get("musulman") == "GRP"


def test_a_frame_is_read_once_per_group_and_leaves_threats_to_other_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from playbooks.scorer.sources import fill_frame

    path = tmp_path / "ex.txt"
    path.write_text(
        "## groupes: musulmans | immigrés\n## fr: none\nj'ai grandi entouré de {G}\n"
        "## fr: hate\nles {G} sont un fléau\nune phrase seule\n",
        encoding="utf-8",
    )
    rows = read_examples(path)
    assert [r.text for r in rows] == [
        "j'ai grandi entouré de musulmans",
        "j'ai grandi entouré d'immigrés",
        "les musulmans sont un fléau",
        "les immigrés sont un fléau",
        "une phrase seule",
    ]
    assert rows[0].group == rows[1].group != rows[2].group
    assert rows[0].labels["hate"] == 0 and rows[0].labels["threat"] is None
    assert rows[2].labels["hate"] == 1 and rows[2].labels["toxicity"] == 1
    assert rows[4].group == "" and rows[4].labels["threat"] == 0
    assert fill_frame("plus que {G} ici", "immigrés") == "plus qu'immigrés ici"


def test_the_probes_trained_on_are_listed_one_by_one_and_stop_at_fifteen() -> None:
    # Wave 34: probes 1-15 are study material; a newer probe is the next held-out measure.
    from playbooks.scorer.data import PROBE_PATHS

    names = ["probe_fr.jsonl", *(f"probe{n}_fr.jsonl" for n in range(2, 16))]
    assert [p.name for p in PROBE_PATHS] == names


def test_a_probe_post_is_labelled_from_its_kind_and_teaches_some_labels(
    tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import playbooks.scorer.sources as sources

    own = tmp_path / "own.jsonl"
    own.write_text(json.dumps({"text": "Vous livrez le dimanche ?"}) + "\n", encoding="utf-8")
    monkeypatch.setattr(sources, "OWN_SET_PATHS", (own,))
    rows = [
        ("p-1", "threat", "S4", "je vais te retrouver"),
        ("p-2", "suicidal", "S4", "je veux en finir"),
        ("p-3", "trash", "<S3", "t'es nul à ce jeu mdr"),
        ("p-4", "benign", "<S4", "ambigu"),
        ("p-5", "legal", "S2", "je porte plainte"),
        ("p-6", "benign", "<S3", "vous livrez le dimanche ?"),
        ("p-7", "hate", "S3+", "une phrase de haine"),
    ]
    probe = tmp_path / "probe_x.jsonl"
    probe.write_text(
        "".join(
            json.dumps({"id": i, "kind": k, "expect": e, "text": t}) + "\n" for i, k, e, t in rows
        ),
        encoding="utf-8",
    )
    got = {ex.source_id: ex for ex in sources.probe_examples((probe,), ("threat", "self_harm"))}
    # An ambiguous benign row, a legal one and an own-set mention are left out.
    assert sorted(got) == ["probe_x:p-1", "probe_x:p-2", "probe_x:p-3", "probe_x:p-7"]
    assert got["probe_x:p-1"].labels == {
        "toxicity": None,
        "insult": None,
        "hate": None,
        "threat": 1,
        "self_harm": 0,
    }
    assert got["probe_x:p-2"].labels["self_harm"] == 1
    assert got["probe_x:p-7"].labels["hate"] is None  # not taught
    assert {ex.group for ex in got.values()} == set(got)  # each row its own group
    assert {ex.weight for ex in got.values()} == {sources.SOURCE_WEIGHT["examples"]}
    taught = sources.probe_examples((probe,), ("threat", "self_harm", "insult", "hate"))
    assert [ex.labels["hate"] for ex in taught] == [0, 0, 0, 1]
    assert {ex.labels["toxicity"] for ex in taught} == {None}


def test_the_split_file_holds_ids_only() -> None:
    data = json.loads(SPLIT_PATH.read_text(encoding="utf-8"))
    for name, part in data["sets"].items():
        assert part["validation"], name
        assert all(isinstance(i, str) and len(i) < 40 for i in part["validation"])


needs_shared = pytest.mark.skipif(
    not (EVAL_DATA / "mhc-fr" / "dev.jsonl").is_file(), reason="../shared/eval-data absent"
)


@needs_shared
def test_each_hatecheck_template_sits_on_one_side_and_every_functionality_is_validated() -> None:
    held = load_split()["mhc-fr"]
    sides: dict[str, set[bool]] = defaultdict(set)
    funcs: dict[str, set[bool]] = defaultdict(set)
    for row in dev_rows("mhc-fr"):
        side = row["source_id"] in held
        sides[row["meta"]["templ_id"]].add(side)
        funcs[row["meta"]["functionality"]].add(side)
    assert all(len(s) == 1 for s in sides.values())
    assert all(s == {True, False} for s in funcs.values())


@needs_shared
def test_validation_rows_are_never_trained_on() -> None:
    from playbooks.scorer.sources import training_examples

    held = {i for ids in load_split().values() for i in ids}
    assert held
    assert not any(ex.source_id in held for ex in training_examples())


def test_the_training_examples_are_not_the_projects_evaluation_mentions() -> None:
    from pathlib import Path

    from playbooks.normalize import normalize

    eval_dir = Path(__file__).parents[2] / "playbooks" / "eval"
    evaluation = {
        normalize(json.loads(line)["text"]).text.strip()
        for path in eval_dir.glob("*.jsonl")
        for line in path.open(encoding="utf-8")
    }
    # Every written file: the shipped examples and the candidates waiting to be trained on
    # (wave 18's authors), so that none can carry a probe's or an own set's mention.
    written = sorted((eval_dir.parent / "models").glob("examples_fr*.txt"))
    assert len(written) >= 5
    assert not [
        (path.name, e.text)
        for path in written
        for e in read_examples(path)
        if normalize(e.text).text.strip() in evaluation
    ]


def test_a_hidden_layer_weights_file_scores_like_its_training_arrays(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Wave 6 (`train-mlp`, not shipped): the exported arrays give the run time the same
    logits as the trained parameters, the linear model folded in as paired hidden units."""
    pytest.importorskip("scipy")
    from playbooks.scorer import mlp
    from playbooks.scorer.features import text_features
    from playbooks.scorer.matrix import build_matrix, embedding_matrix
    from playbooks.scorer.runtime import Scorer

    rng = np.random.default_rng(0)
    texts = [prepare(t, "fr") for t in ("vous êtes des nuls", "merci beaucoup", "nuls nuls")]
    norms = [t.split() for t in texts]
    names = sorted({n for words in norms for n in text_features(words, {})})
    vocab = {n: i for i, n in enumerate(names)}
    words = sorted({w for words in norms for w in words if w.isascii()})
    table = rng.normal(size=(len(words) + 1, 300))
    emb_rows = {w: i + 1 for i, w in enumerate(words)}  # row 0 unused: indices are remapped
    hidden = rng.normal(size=(len(names), 4))
    params = {
        "emb": hidden,
        "b1": rng.normal(size=4),
        "w2": rng.normal(size=(4, len(LABELS))),
        "b2": rng.normal(size=len(LABELS)),
        "proj": rng.normal(size=(300, 4)) / 10,
    }
    linear = {
        "emb": rng.normal(size=(len(names), len(LABELS))),
        "b1": rng.normal(size=len(LABELS)),
        "proj": rng.normal(size=(300, len(LABELS))) / 10,
    }
    blended = mlp.blend(params, linear)
    X = build_matrix(norms, vocab, {})
    E = embedding_matrix(norms, emb_rows, table)
    lin = X @ linear["emb"] + E @ linear["proj"] + linear["b1"]
    expected = mlp.BLEND * mlp.logits(params, X, E) + (1 - mlp.BLEND) * lin
    assert np.allclose(mlp.logits(blended, X, E), expected)
    data = mlp.Data(
        names, X, E, np.zeros((3, 5)), np.ones(3), np.zeros(3), [], [], {}, emb_rows, table
    )
    calib = np.vstack([np.ones(len(LABELS)), np.zeros(len(LABELS))])
    path = tmp_path / "m.npz"
    mlp.save_mlp(path, data, blended, calib, {"head": "mlp"})
    scorer = Scorer(path)
    # Kept float32 as stored, without zero padding (wave 23: wave 6's took 209 MiB to load).
    assert scorer.weights.dtype == np.float32
    assert scorer._counted.shape == (len(names), scorer.width + 1)
    for j, text in enumerate(texts):
        _, _, z = scorer.raw(text)
        assert np.allclose(z, expected[j], atol=0.01), text  # float16 word vectors
        assert scorer.score(text).probs.keys() == set(LABELS)
    alone = [scorer.score(t).probs for t in texts]
    assert [s.probs for s in scorer.score_many(texts)] == alone
