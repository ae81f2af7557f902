"""Who may use a shared app: users with salted scrypt password hashes in a TOML file, each an
administrator (may add and remove documents) or a reader (may ask), and the rule that the app is
served beyond this machine only with sign-in.

The users file (``assure-qa add-user NAME [--admin] --auth-file users.toml`` writes it)::

    [users."alice"]
    password = "scrypt$16384$8$1$<salt hex>$<hash hex>"
    admin = true
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import json
import os
import re
import secrets
import socket
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import AccessError

# scrypt parameters (RFC 7914's interactive-login figures): about 50 ms and 16 MB a check.
SCRYPT_N, SCRYPT_R, SCRYPT_P, SALT_BYTES, KEY_BYTES = 2**14, 8, 1, 16, 32
MIN_PASSWORD = 8
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


@dataclass(frozen=True)
class User:
    name: str
    password_hash: str
    admin: bool = False


def hash_password(password: str, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$key``, with a random 16-byte salt."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                         maxmem=64 * 2**20, dklen=KEY_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${key.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by ``hash_password`` (compared in constant time)."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = bytes.fromhex(key)
        given = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                               p=int(p), maxmem=64 * 2**20, dklen=len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(given, expected)


def read_users(path: str | Path) -> dict[str, User]:
    """The users of an auth file; a missing, unreadable or malformed file is refused by name and reason."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise AccessError(f"{path}: no such users file; create it with `assure-qa add-user NAME --admin "
                          f"--auth-file {path}`") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AccessError(f"{path}: not a readable users file ({exc})") from exc
    users: dict[str, User] = {}
    for name, entry in (data.get("users") or {}).items():
        stored = entry.get("password") if isinstance(entry, dict) else None
        if not isinstance(stored, str) or not stored.startswith("scrypt$"):
            raise AccessError(f"{path}: user {name!r} has no scrypt password hash; set one with "
                              f"`assure-qa add-user {name} --auth-file {path}`")
        users[name] = User(name, stored, bool(entry.get("admin", False)))
    if not users:
        raise AccessError(f"{path}: no users; add one with `assure-qa add-user NAME --admin --auth-file {path}`")
    return users


def users_toml(users: dict[str, User]) -> str:
    lines = ["# assure-qa users: written by `assure-qa add-user`. Passwords are salted scrypt hashes."]
    for user in sorted(users.values(), key=lambda u: u.name):
        lines += ["", f"[users.{json.dumps(user.name)}]", f"password = {json.dumps(user.password_hash)}",
                  f"admin = {'true' if user.admin else 'false'}"]
    return "\n".join(lines) + "\n"


def add_user(path: str | Path, name: str, password: str, admin: bool = False) -> bool:
    """Add ``name`` to the users file (created if absent, readable by its owner only), or replace
    its password and role; returns whether the user is new."""
    path = Path(path)
    if not NAME.match(name):
        raise AccessError(f"user name {name!r}: use up to 64 letters, digits, '.', '_', '@' or '-'")
    if len(password) < MIN_PASSWORD:
        raise AccessError(f"the password for {name!r} is too short: use at least {MIN_PASSWORD} characters")
    users = read_users(path) if path.exists() else {}
    new = name not in users
    users[name] = User(name, hash_password(password), admin)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(users_toml(users))
    os.replace(temporary, path)
    return new


@dataclass(frozen=True)
class Access:
    """Sign-in and roles for the app; without users everyone is an administrator (a local app)."""

    users: dict[str, User] | None = None

    @classmethod
    def from_file(cls, path: str | Path | None) -> Access:
        return cls(read_users(path)) if path else cls()

    @property
    def required(self) -> bool:
        return self.users is not None

    def authenticate(self, name: str, password: str) -> bool:
        """Gradio's ``auth`` callback: a known user with the right password."""
        if self.users is None:
            return True
        user = self.users.get(name)
        # An unknown name costs a hash too, so timing does not tell which names exist.
        matched = verify_password(password, user.password_hash if user else _decoy())
        return user is not None and matched

    def can_manage(self, name: str | None) -> bool:
        """Whether this user may add and remove documents (administrators only, when signing in)."""
        if self.users is None:
            return True
        user = self.users.get(name or "")
        return user is not None and user.admin


@functools.cache
def _decoy() -> str:
    return hash_password("not a password", salt=b"\0" * SALT_BYTES)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names only this machine (127.0.0.0/8, ::1, or a name resolving only to them)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    if not host:
        return False
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return bool(addresses) and all(ipaddress.ip_address(str(a).split("%")[0]).is_loopback for a in addresses)


def check_bind(host: str, access: Access) -> None:
    """Refuse to serve beyond this machine without sign-in."""
    if not access.required and not is_loopback(host):
        raise AccessError(
            f"--host {host} would serve the app to other machines without sign-in: add users with "
            "`assure-qa add-user NAME [--admin] --auth-file users.toml` and pass --auth-file users.toml, "
            "or serve on 127.0.0.1")
