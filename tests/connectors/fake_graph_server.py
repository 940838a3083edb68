"""Serve the fake Graph API on 127.0.0.1 to connect a demo brand from the admin UI.

    python -m tests.connectors.fake_graph_server --port 8766

then, in Administration → Comptes connectés, add a Facebook account with the printed URL as
"Serveur", page id and token (or Instagram with its user id), with VIGIE_ALLOW_PRIVATE_URLS=1.
A new comment arrives every `--every` seconds, an insult now and then, so there is something
to hide and to answer; every other round a Messenger message too (tick "Relever aussi les
messages privés" on the account's page). With VIGIE_META_APP_ID=1234567890,
VIGIE_META_APP_SECRET=app-secret and VIGIE_META_GRAPH_URL / VIGIE_META_DIALOG_URL set to the
printed URL, "Se connecter avec Facebook" runs against it (the dialog accepts at once).
"""

from __future__ import annotations

import argparse
import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer

from tests.connectors.fake_graph import FakeGraph
from tests.connectors.fake_http_server import _handler_for

COMMENTS = (
    ("Marie Dupont", "Ma commande CB-1042 n'est toujours pas arrivée, 12 jours !"),
    ("Paul Martin", "Bonjour, vous livrez en Corse ?"),
    ("Jean Visiteur", "Service client nul, bande d'escrocs"),
    ("Léa Bernard", "Merci pour le remboursement rapide !"),
)


@contextmanager
def serve_fake_graph(fake: FakeGraph | None = None, *, port: int = 0) -> Iterator[FakeGraph]:
    """Run `fake` (a new FakeGraph by default) on 127.0.0.1 in a thread until exit."""
    fake = fake or FakeGraph()
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(fake, "base_url"))
    server.daemon_threads = True
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="fake-graph", daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--every", type=float, default=20.0, help="seconds between comments")
    args = parser.parse_args()
    with serve_fake_graph(port=args.port) as fake:
        post, media = fake.add_post("Nos nouveautés de la semaine"), fake.add_media("Nouveautés")
        print(
            f"fake Graph API on {fake.base_url}\n"
            f"  facebook: page_id {fake.page_id!r}, access_token {fake.token!r}\n"
            f"  instagram: ig_user_id {fake.ig_user_id!r}, access_token {fake.token!r}\n"
            f"  webhooks: app_secret {fake.app_secret!r}, verify_token {fake.verify_token!r}\n"
            "Ctrl-C to stop"
        )
        try:
            for n, (name, text) in enumerate(itertools.cycle(COMMENTS)):
                fake.add_comment(text, post=post, name=name, user_id=str(4000 + n % 4))
                username = name.lower().replace(" ", ".")
                fake.add_ig_comment(text, media=media, username=username, user_id=str(9000 + n % 4))
                if n % 2 == 0:  # a private message too (read when the account reads them)
                    fake.add_message(text, user_id=str(7000 + n % 4), name=name)
                time.sleep(args.every)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
