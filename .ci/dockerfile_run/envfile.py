"""The env file as docker compose reads it, and fresh random secrets."""

import base64
import os
import re

from .report import fail


def random_secret():
    return base64.b64encode(os.urandom(32)).decode()


def read_env_file(path):
    """KEY=VALUE lines as docker compose reads an env_file."""
    pairs = []
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].strip()
        key, sep, value = line.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            fail(f"{path.name} line {number}: not KEY=VALUE: {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        else:
            value = re.sub(r"\s+#.*$", "", value)
        pairs.append((key, value))
    return pairs
