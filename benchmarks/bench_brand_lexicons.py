"""What a brand's stored lexicons cost the live playbook (SQLite, in-process).

    python benchmarks/bench_brand_lexicons.py [--terms 5000]

Times: compiling the shipped demo-rail playbook with one stored lexicon of N terms added
(the first triage batch after a lexicon edit pays this), and `published_playbook` once cached
(every triage batch pays this: one extra small SELECT of the names and versions).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session

import playbooks
from app.migrate import upgrade
from app.models import Brand
from app.services import brand_lexicons, content


def _ms(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[int(len(samples) * 0.95)]
    return f"p50 {statistics.median(samples) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--terms", type=int, default=5000)
    args = parser.parse_args()
    from app.extensions import make_engine

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'b.db'}"
        upgrade(url)
        engine = make_engine(url)
        source = playbooks.shipped_playbook_path("demo-rail").read_text(encoding="utf-8")
        source = source.replace("lexicons:\n", "lexicons:\n  produits: {stored: produits}\n", 1)
        with Session(engine, expire_on_commit=False) as session:
            brand = Brand(slug="demo-rail", name="Rail")
            session.add(brand)
            session.commit()
            terms = "\n".join(f"produit{i} (modèle|série) x{i}" for i in range(args.terms))
            lexicon = brand_lexicons.create_lexicon(
                session=session,
                brand=brand,
                name="produits",
                language="fr",
                terms=terms,
                actor=None,
            )
            started = time.perf_counter()
            content.save_playbook(
                session=session, brand=brand, source=source, actor=None, publish=True
            )
            session.commit()
            print(
                f"first compile, {args.terms} stored terms: {time.perf_counter() - started:.2f} s"
            )
            cached = []
            for _ in range(200):
                t = time.perf_counter()
                content.published_playbook(session=session, brand_id=brand.id)
                cached.append(time.perf_counter() - t)
            print(f"published_playbook, cached: {_ms(cached)}")
            e = time.perf_counter()
            brand_lexicons.update_lexicon(
                session=session,
                brand=brand,
                lexicon=lexicon,
                language="fr",
                terms=terms.replace("produit0 ", "gyropode "),
                expected_version=lexicon.version,
                actor=None,
            )
            session.commit()
            print(
                f"the edit (checks the live playbook still loads): {time.perf_counter() - e:.2f} s"
            )
            t = time.perf_counter()
            content.published_playbook(session=session, brand_id=brand.id)
            print(f"published_playbook after the edit: {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
