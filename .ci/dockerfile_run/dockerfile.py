"""The Dockerfile read as Docker reads it.

Instructions (continuations joined, comments dropped), `--flag=value`
options, exec forms, variable substitution, ENV/LABEL pairs, durations,
the split into stages and ARG declarations.
"""

import json
import re
import shlex

from .report import fail


class Instruction:
    def __init__(self, line, keyword, args):
        self.line = line
        self.keyword = keyword
        self.args = args

    def __repr__(self):
        return f"{self.keyword} {self.args}"


class Stage:
    def __init__(self, index, image, name):
        self.index = index
        self.image = image
        self.name = name or str(index)
        self.instructions = []


def parse_dockerfile(text):
    """Instructions with line continuations joined and comments dropped."""
    escape = "\\"
    lines = text.splitlines()
    # Parser directives (`# syntax=...`, `# escape=...`) come first.
    for raw in lines:
        m = re.match(r"^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$", raw)
        if not m:
            break
        if m.group(1).lower() == "escape":
            escape = m.group(2)
    continuation = re.compile(re.escape(escape) + r"[ \t]*$")
    instructions = []
    buffer = None
    start = 0
    for number, raw in enumerate(lines, 1):
        stripped = raw.strip()
        if buffer is None:
            if not stripped or stripped.startswith("#"):
                continue
            buffer, start = "", number
        elif not stripped or stripped.startswith("#"):
            # Comments and empty lines inside a continued instruction.
            continue
        if continuation.search(raw):
            buffer += continuation.sub("", raw)
            continue
        buffer += raw
        keyword, _, args = buffer.strip().partition(" ")
        instructions.append(Instruction(start, keyword.upper(), args.strip()))
        buffer = None
    if buffer is not None:
        fail(f"Dockerfile line {start}: the last instruction ends with a line continuation")
    return instructions


def split_flags(args):
    """`--name=value` options at the start of an instruction's arguments."""
    flags = []
    while True:
        m = re.match(r"--([a-zA-Z-]+)(?:=(\S*))?\s*", args)
        if not m:
            return flags, args
        flags.append((m.group(1), m.group(2)))
        args = args[m.end():]


def exec_form(args):
    """The list of a JSON exec form, or None for the shell form."""
    if args.startswith("["):
        try:
            value = json.loads(args)
        except ValueError:
            return None
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
    return None


def substitute(text, scope):
    """Dockerfile variable substitution: $X, ${X}, ${X:-word}, ${X:+word}."""

    def replace(m):
        if m.group(1):
            return "$"
        name = m.group(2) or m.group(5)
        value = scope.get(name)
        if m.group(3) == "-":
            return value if value else m.group(4)
        if m.group(3) == "+":
            return m.group(4) if value else ""
        return value or ""

    return re.sub(r"\\(\$)|\$(?:\{(\w+)(?::([-+])([^}]*))?\}|(\w+))", replace, text)


def key_values(args, scope, what, line):
    """ENV / LABEL pairs: `a=1 b="two words"`, or the old `ENV key value`."""
    try:
        words = shlex.split(args, posix=True)
    except ValueError as e:
        fail(f"Dockerfile line {line}: cannot read {what} {args!r}: {e}")
    if words and "=" not in words[0]:
        return [(words[0], substitute(" ".join(words[1:]), scope))]
    pairs = []
    for word in words:
        if "=" not in word:
            fail(f"Dockerfile line {line}: {what} {word!r} is not key=value")
        key, _, value = word.partition("=")
        pairs.append((key, substitute(value, scope)))
    return pairs


def duration(text):
    total = 0.0
    for amount, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", text):
        total += float(amount) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
    return total


def split_stages(instructions):
    global_args = []
    stages = []
    for ins in instructions:
        if ins.keyword == "FROM":
            _, rest = split_flags(ins.args)
            words = rest.split()
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(len(stages), words[0], name))
        elif not stages:
            if ins.keyword != "ARG":
                fail(f"Dockerfile line {ins.line}: {ins.keyword} before the first FROM")
            global_args.append(ins)
        else:
            stages[-1].instructions.append(ins)
    if len(stages) < 2:
        fail("expected a multi-stage Dockerfile (a build stage and a final stage)")
    return global_args, stages


def declare_args(ins, scope, build_args, global_defaults, used):
    """ARG NAME[=default]...: the value is the build argument if given."""
    for word in shlex.split(ins.args):
        name, has_default, default = word.partition("=")
        if name in build_args:
            scope[name] = build_args[name]
            used[name] = build_args[name]
        elif has_default:
            scope[name] = substitute(default, scope)
        elif name in global_defaults:
            scope[name] = global_defaults[name]
        # else: declared but without a value, as in Docker.
