"""Where a path of a stage's filesystem is on the host: PathMap.

The repository stands in for the build context, the host's own system
directories for the base image's, and everything else is mapped into a
temporary image root.
"""

import posixpath
import re
from pathlib import Path

# The repository: this package is in its .ci/ directory.
REPO = Path(__file__).resolve().parent.parent.parent

# The PATH of the Debian-based images, before any ENV.
IMAGE_DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# Paths that belong to the base image's operating system: the host's own
# stand in for them, everything else is mapped into the image root.
HOST_SYSTEM_PREFIXES = ("/bin", "/sbin", "/lib", "/lib64", "/etc", "/dev", "/proc", "/sys")
HOST_SYSTEM_USR = ("/usr/bin", "/usr/sbin", "/usr/lib", "/usr/share", "/usr/include")


class PathMap:
    """Where a path of one stage's filesystem is on the host."""

    def __init__(self, root, context_dir=None):
        self.root = root
        self.context_dir = context_dir  # the stage path holding the build context

    def host(self, path):
        path = posixpath.normpath(path)
        if self.context_dir and (
            path == self.context_dir or path.startswith(self.context_dir.rstrip("/") + "/")
        ):
            return REPO / posixpath.relpath(path, self.context_dir)
        if self.is_system(path):
            return Path(path)
        return self.root / path.lstrip("/")

    @staticmethod
    def is_system(path):
        return any(
            path == p or path.startswith(p + "/") for p in HOST_SYSTEM_PREFIXES + HOST_SYSTEM_USR
        )

    def rewrite_command(self, command):
        """Maps the absolute paths written in a shell command."""
        mapped = {}

        def replace(m):
            path = m.group(1)
            if path == "/" or self.is_system(path):
                return path
            host = str(self.host(path))
            if host != path:
                mapped[path] = host
            return host

        rewritten = re.sub(r"(?:^|(?<=[\s=:'\"(]))(/(?!/)[^\s'\";|&<>()$`]*)", replace, command)
        return rewritten, mapped
