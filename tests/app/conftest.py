"""Fixtures shared by the app tests: `smtp`, a real SMTP server on loopback (see smtp_inbox)."""

from tests.app.smtp_inbox import smtp

__all__ = ["smtp"]
