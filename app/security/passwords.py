"""Password hashing with argon2id at OWASP's recommended parameters."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

# OWASP Password Storage Cheat Sheet, argon2id: 46 MiB, one pass, one lane (about 57 ms of CPU
# a check). argon2-cffi's default (64 MiB, three passes, four lanes: about 180 ms of CPU) made 50
# CMs logging in together on two cores wait behind each other's hashes (login p95 over 300 ms in
# bench_load) while adding nothing that OWASP asks for. Stored hashes of other parameters are
# rehashed at the next login (users.authenticate, needs_rehash).
_hasher = PasswordHasher(time_cost=1, memory_cost=47104, parallelism=1)
# Verified against when the e-mail is unknown, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    if len(password) < 4:
        raise ValueError("password too short")
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password in constant-ish time, also when the user does not exist."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


# Password rules (NIST SP 800-63B): a minimum length, a maximum that argon2 handles cheaply, and
# no password from the list of the most common ones; no composition rules.
MIN_LENGTH = 8
MAX_LENGTH = 128
_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of frequent (breached) passwords, lower-cased."""
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, email: str = "") -> str | None:
    """Why a new password is refused (a French sentence for the UI), or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return _l("Le mot de passe doit faire au moins %(n)s caractères.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Le mot de passe doit faire au plus %(n)s caractères.", n=MAX_LENGTH)
    lowered = password.lower()
    local_part = email.strip().lower().split("@")[0]
    if (
        lowered in common_passwords()
        or lowered == email.strip().lower()
        or (len(local_part) >= 4 and lowered == local_part)
    ):
        return _l(
            "Ce mot de passe figure parmi les plus courants ou les plus devinés : "
            "choisissez-en un autre."
        )
    return None
