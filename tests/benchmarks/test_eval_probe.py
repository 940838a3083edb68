"""benchmarks/eval_probe.py: the probes' rows are well formed, and `--show` never prints a
probe-hold row, whichever probe is measured (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import eval_probe
from playbooks import shipped_playbook_path

EXPECT = {
    "insult": "S3+",
    "hate": "S3+",
    "threat": "S4",
    "suicidal": "S4",
    "hyperbole": "<S4",
    "counter": "<S3",
    "trash": "<S3",
    "benign": "<S3",
}


@pytest.mark.parametrize(
    "name, prefix",
    [
        ("probe2_fr.jsonl", "p2"),
        ("probe3_fr.jsonl", "p3"),
        ("probe4_fr.jsonl", "p4"),
        ("probe5_fr.jsonl", "p5"),
        ("probe6_fr.jsonl", "p6"),
        ("probe7_fr.jsonl", "p7"),
        ("probe8_fr.jsonl", "p8"),
        ("probe9_fr.jsonl", "p9"),
        ("probe10_fr.jsonl", "p10"),
        ("probe11_fr.jsonl", "p11"),
        ("probe12_fr.jsonl", "p12"),
        ("probe13_fr.jsonl", "p13"),
        ("probe14_fr.jsonl", "p14"),
        ("probe15_fr.jsonl", "p15"),
        ("probe16_fr.jsonl", "p16"),
        ("probe17_fr.jsonl", "p17"),
        ("probe18_fr.jsonl", "p18"),
        ("probe19_fr.jsonl", "p19"),
        ("probe20_fr.jsonl", "p20"),
        ("probe21_fr.jsonl", "p21"),
        ("probe22_fr.jsonl", "p22"),
        ("probe23_fr.jsonl", "p23"),
        ("probe24_fr.jsonl", "p24"),
        ("probe25_fr.jsonl", "p25"),
        ("probe26_fr.jsonl", "p26"),
        ("probe27_fr.jsonl", "p27"),
        ("probe28_fr.jsonl", "p28"),
        ("probe29_fr.jsonl", "p29"),
        ("probe30_fr.jsonl", "p30"),
        ("probe31_fr.jsonl", "p31"),
    ],
)
def test_blind_probe_is_held_out_and_labelled_by_kind(name: str, prefix: str) -> None:
    rows = eval_probe.load_rows(eval_probe.DATA.with_name(name))
    assert len(rows) >= 400
    assert [row["id"] for row in rows] == [f"{prefix}-{i:03d}" for i in range(1, len(rows) + 1)]
    assert {row["split"] for row in rows} == {"probe-hold"}
    assert all(EXPECT[row["kind"]] == row["expect"] for row in rows)
    assert all(shipped_playbook_path(slug) for slug in {row["brand"] for row in rows})


@pytest.mark.parametrize(
    "name, prefix", [("hunts42_fr.jsonl", "h42-"), ("hunts55_fr.jsonl", "h55-")]
)
def test_hunts_are_study_rows_labelled_by_kind(name: str, prefix: str) -> None:
    rows = eval_probe.load_rows(eval_probe.DATA.with_name(name))
    assert len(rows) >= 1000
    assert len({row["id"] for row in rows}) == len(rows)
    assert all(row["id"].startswith(prefix) for row in rows)
    assert {row["split"] for row in rows} == {"probe-tune"}
    assert all(EXPECT[row["kind"]] == row["expect"] for row in rows)
    assert all(shipped_playbook_path(slug) for slug in {row["brand"] for row in rows})


@pytest.mark.parametrize(
    "name, prefix, size, kinds",
    [
        ("hunts57_fr.jsonl", "h57-", 600, {"benign", "suicidal"}),
        ("hunts58_fr.jsonl", "h58-", 800, {"benign", "threat"}),
        ("hunts59_fr.jsonl", "h59-", 900, {"benign", "suicidal", "threat"}),
        ("hunts60_fr.jsonl", "h60-", 600, {"hyperbole", "suicidal", "threat"}),
        ("hunts61_fr.jsonl", "h61-", 500, {"benign", "suicidal"}),
    ],
)
def test_the_blind_hunts_of_both_sides_are_labelled_by_kind(
    name: str, prefix: str, size: int, kinds: set[str]
) -> None:
    rows = eval_probe.load_rows(eval_probe.DATA.with_name(name))
    assert len(rows) == size
    assert len({row["id"] for row in rows}) == len(rows)
    assert all(row["id"].startswith(prefix) for row in rows)
    assert {row["split"] for row in rows} == {"probe-tune"}
    assert {row["kind"] for row in rows} == kinds
    assert all(EXPECT[row["kind"]] == row["expect"] for row in rows)


def test_show_lists_wrong_tune_rows_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    probe = tmp_path / "probe.jsonl"
    rows = [  # both decided against their expectation: a greeting is no threat
        {"split": "probe-tune", "text": "Bonjour, le train de 8h est-il à l'heure ?"},
        {"split": "probe-hold", "text": "Bonsoir, où trouver les horaires d'été ?"},
    ]
    common = {
        "id": "t",
        "register": "tweet",
        "kind": "threat",
        "expect": "S4",
        "lang": "fr",
        "brand": "demo-rail",
    }
    lines = [json.dumps({**row, **common}) for row in rows]
    probe.write_text("\n".join(lines), encoding="utf-8")
    eval_probe.main(["--probe", str(probe), "--show", "probe-tune"])
    out = capsys.readouterr().out
    assert rows[0]["text"] in out
    assert rows[1]["text"] not in out
