"""`python -m app.cli`: the `vigie` command (the demo starts its worker this way)."""

from app.cli import main

main()
