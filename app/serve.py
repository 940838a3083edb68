"""Serving the app under gunicorn from Python (`vigie run`, `vigie demo`)."""

from __future__ import annotations

from typing import Any

from flask import Flask


class Gunicorn:
    """Runs the app under gunicorn from Python, so `vigie run` needs no separate config file."""

    @staticmethod
    def serve(app: Flask, host: str, port: int, workers: int, threads: int) -> None:
        from gunicorn.app.base import BaseApplication

        class Application(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("threads", threads)
                self.cfg.set("worker_class", "gthread")
                self.cfg.set("accesslog", "-")
                self.cfg.set("timeout", 60)

            def load(self) -> Any:
                return app

        Application().run()
