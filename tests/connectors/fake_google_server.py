"""Serve the fake YouTube and Business Profile APIs on 127.0.0.1 for a demo from the admin UI.

    python -m tests.connectors.fake_google_server [--every 20]

then, in Administration → Comptes connectés (with VIGIE_ALLOW_PRIVATE_URLS=1), add a YouTube
account with the printed URL as "Serveur" and the printed client id, secret and refresh
token, or a Google Business Profile account with its account and location ids; or
`vigie connectors add --platform youtube --base-url URL` with the JSON on stdin. A comment
(sometimes held for review, sometimes a troll's) and a review arrive every `--every` seconds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time

from tests.connectors.fake_google_business import FakeGoogleBusiness
from tests.connectors.fake_http_server import serve_fake
from tests.connectors.fake_youtube import FakeYouTube

COMMENTS = (
    ("@marie-dupont", "Ma commande CB-1042 n'est toujours pas arrivée, 12 jours !", False),
    ("@paul.m", "Super tuto, merci ! Vous livrez en Corse ?", False),
    ("@promo-followers", "Gagnez 1000 abonnés gratuits sur spam.example", True),
    ("@jean-troll", "Bande d'escrocs, rendez l'argent", False),
)
REVIEWS = (
    ("Léa B.", 5, "Accueil parfait, livraison rapide."),
    ("Paul", 1, None),
    ("Karim", 2, "Colis arrivé abîmé, personne ne répond au téléphone."),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=20.0, help="seconds between comments")
    args = parser.parse_args()
    with serve_fake(FakeYouTube()) as youtube, serve_fake(FakeGoogleBusiness()) as business:
        print(f"fake YouTube on {youtube.base_url}\n  {json.dumps(youtube.credentials())}")
        print(
            f"fake Business Profile on {business.base_url}\n  {json.dumps(business.credentials())}"
        )
        print("Ctrl-C to stop")
        try:
            for n, ((author, text, held), (name, stars, review)) in enumerate(
                zip(itertools.cycle(COMMENTS), itertools.cycle(REVIEWS), strict=False)
            ):
                youtube.add_comment(text, author=author, author_id=f"UC{n % 4:022d}", held=held)
                business.add_review(review, stars=stars, name=name)
                time.sleep(args.every)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
