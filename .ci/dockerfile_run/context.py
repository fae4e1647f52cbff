"""The build context: .dockerignore against the files the build reads.

.dockerignore patterns, the files they leave in the context, and the files
Cargo's dep-info says the build read; check_context fails when one of them
is left out, or when a secret or build output would get in.
"""

import os
import posixpath
import re

from .dockerfile import split_flags
from .paths import REPO
from .report import fail, say, step


def dockerignore_patterns(path):
    patterns = []
    if not path.exists():
        return patterns
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        if negate:
            line = line[1:].strip()
        line = posixpath.normpath(line.strip("/"))
        if line == ".":
            continue
        patterns.append((negate, re.compile(glob_regex(line))))
    return patterns


def glob_regex(pattern):
    out = ""
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
            continue
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
            continue
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                out += re.escape(c)
            else:
                body = pattern[i + 1 : end]
                if body.startswith("^") or body.startswith("!"):
                    body = "^" + body[1:]
                out += "[" + body + "]"
                i = end
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out += re.escape(pattern[i])
        else:
            out += re.escape(c)
        i += 1
    return out


def ignored(relpath, patterns):
    """Whether a path (relative, with /) is left out of the build context."""
    parts = relpath.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    result = False
    for negate, regex in patterns:
        if any(regex.fullmatch(p) for p in prefixes):
            result = not negate
    return result


def context_files(patterns):
    has_negations = any(negate for negate, _ in patterns)
    files = []
    for directory, dirnames, filenames in os.walk(REPO):
        rel_dir = os.path.relpath(directory, REPO)
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        if not has_negations:
            dirnames[:] = [d for d in dirnames if not ignored(rel_dir + d, patterns)]
        for name in filenames:
            rel = rel_dir + name
            if not ignored(rel, patterns):
                files.append(rel)
    return files


def dep_info_files(dep_file):
    """Files a Cargo dep-info (.d) file lists, relative to the checkout it names."""
    text = dep_file.read_text()
    first = text.splitlines()[0] if text else ""
    target, _, deps = first.partition(": ")
    marker = "/target/"
    root = target[: target.rfind(marker)] if marker in target else str(REPO)
    paths = [p.replace("\\ ", " ") for p in re.split(r"(?<!\\) ", deps.strip()) if p]
    return sorted({os.path.relpath(p, root) for p in paths if p.startswith(root + "/")})


def check_context(stages, stage_maps):
    step("Build context: .dockerignore keeps every file the build reads")
    patterns = dockerignore_patterns(REPO / ".dockerignore")
    if not patterns:
        say("no .dockerignore: the whole directory is the context")
    files = context_files(patterns)
    size = sum((REPO / f).stat().st_size for f in files if (REPO / f).is_file())
    say(f"the context holds {len(files)} files, {size / 1e6:.1f} MB")
    must_be_out = [".env", "data/folio.db", "target/release/folio", ".git/HEAD"]
    leaked = [p for p in must_be_out if not ignored(p, patterns)]
    if leaked:
        fail(f".dockerignore lets these into the build context: {', '.join(leaked)}")
    say(f"left out, as they must be: {', '.join(must_be_out)}")

    needed = {"Cargo.toml", "Cargo.lock"}
    manifest = (REPO / "Cargo.toml").read_text()
    needed.update(re.findall(r'^\s*path\s*=\s*"([^"]+)"', manifest, re.M))
    for optional in ("build.rs", "rust-toolchain.toml", "rust-toolchain", ".cargo/config.toml"):
        if (REPO / optional).exists():
            needed.add(optional)
    binaries = set()
    for stage in stages[1:]:
        for ins in stage.instructions:
            if ins.keyword == "COPY" and any(f == "from" for f, _ in split_flags(ins.args)[0]):
                words = split_flags(ins.args)[1].split()
                binaries.update(posixpath.basename(w) for w in words[:-1])
    dep_files = [REPO / "target" / "release" / f"{b}.d" for b in sorted(binaries)]
    for dep_file in dep_files:
        if not dep_file.exists():
            fail(f"no {dep_file.relative_to(REPO)}: cannot tell which files the build read")
        read = dep_info_files(dep_file)
        say(f"{dep_file.relative_to(REPO)}: the build read {len(read)} files of the repository")
        needed.update(read)
    missing = sorted(p for p in needed if ignored(p, patterns))
    if missing:
        fail(".dockerignore leaves out files the build needs: " + ", ".join(missing))
    say(f"all {len(needed)} files the build needs are in the context")
