"""The build stages: their RUN commands, run in the repository.

The repository stands in for the WORKDIR the build context is copied to,
with the stage's ARG and ENV values in the environment; `--mount` options
are dropped and other absolute paths are mapped into a temporary root.
"""

import os
import posixpath
import re
import shlex
import subprocess
import time

from .dockerfile import declare_args, exec_form, key_values, split_flags, substitute
from .paths import REPO, PathMap
from .report import fail, say, step


def run_build_stage(stage, tmp, build_args, global_defaults, used_args, stage_maps):
    step(f"Build stage {stage.name!r}: FROM {stage.image} (the host's toolchain stands in)")
    m = re.match(r"rust:(\d+\.\d+(?:\.\d+)?)", stage.image)
    if m:
        try:
            rustc = subprocess.run(
                ["rustc", "--version"], capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            rustc = "no rustc found"
        say(f"the image pins Rust {m.group(1)}; this build uses {rustc}")
    scope = {}
    path_map = PathMap(tmp / f"stage-{stage.name}")
    workdir = "/"
    stage_maps[stage.name] = path_map
    stage_maps[str(stage.index)] = path_map
    shell = ["/bin/sh", "-c"]
    copies_context = any(
        ins.keyword == "COPY"
        and not any(f == "from" for f, _ in split_flags(ins.args)[0])
        and exec_form(split_flags(ins.args)[1]) is None
        and split_flags(ins.args)[1].split()[0] in (".", "./")
        for ins in stage.instructions
    )
    env = dict(os.environ)
    for variable in ("CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"):
        if env.pop(variable, None) is not None:
            say(f"{variable} unset for the build: the repository's target/ is used")
    for ins in stage.instructions:
        k = ins.keyword
        if k == "ARG":
            declare_args(ins, scope, build_args, global_defaults, used_args)
            for word in shlex.split(ins.args):
                name = word.partition("=")[0]
                if name in scope:
                    say(f"ARG {name}={scope[name]}")
        elif k == "ENV":
            for key, value in key_values(ins.args, scope, "ENV", ins.line):
                scope[key] = value
                say(f"ENV {key}={value}")
        elif k == "WORKDIR":
            workdir = posixpath.join(workdir, substitute(ins.args, scope))
            if copies_context and path_map.context_dir is None:
                path_map.context_dir = workdir
                say(f"WORKDIR {workdir}: the repository (the build context) stands in for it")
            else:
                path_map.host(workdir).mkdir(parents=True, exist_ok=True)
                say(f"WORKDIR {workdir} -> {path_map.host(workdir)}")
        elif k == "COPY":
            flags, rest = split_flags(ins.args)
            words = exec_form(rest) or shlex.split(rest)
            dest = posixpath.join(workdir, substitute(words[-1], scope))
            if any(f == "from" for f, _ in flags):
                fail(f"Dockerfile line {ins.line}: COPY --from in a build stage is not emulated")
            if path_map.context_dir and posixpath.normpath(dest) == path_map.context_dir:
                say(f"COPY {rest}: the build runs in the repository itself")
            else:
                fail(
                    f"Dockerfile line {ins.line}: COPY {rest!r}: only copying the build "
                    "context into the WORKDIR is emulated in a build stage"
                )
        elif k == "SHELL":
            shell = exec_form(ins.args) or fail(f"Dockerfile line {ins.line}: SHELL needs a JSON list")
        elif k == "RUN":
            flags, command = split_flags(ins.args)
            for flag, value in flags:
                if flag == "mount":
                    target = re.search(r"(?:target|dst|destination)=([^,]+)", value or "")
                    where = target.group(1) if target else "?"
                    if path_map.context_dir and path_map.host(where).is_relative_to(REPO):
                        say(f"--mount {value}: the repository's {path_map.host(where).relative_to(REPO)}/ is used")
                    else:
                        say(f"--mount {value}: dropped, the host's own directory is used")
                else:
                    say(f"--{flag}={value}: dropped")
            argv = exec_form(command)
            if argv is None:
                if re.search(r"<<-?\s*['\"]?[A-Za-z_]\w*", command):
                    fail(f"Dockerfile line {ins.line}: RUN heredocs are not emulated")
                command, mapped = path_map.rewrite_command(command)
                for original, host in mapped.items():
                    say(f"path {original} -> {host}")
                argv = shell + [command]
            run_env = dict(env)
            run_env.update(scope)
            cwd = path_map.host(workdir)
            cwd.mkdir(parents=True, exist_ok=True)
            say(f"RUN (in {cwd}): {command.strip()}")
            started = time.monotonic()
            result = subprocess.run(argv, cwd=cwd, env=run_env, stdin=subprocess.DEVNULL)
            if result.returncode != 0:
                fail(f"Dockerfile line {ins.line}: RUN exited with status {result.returncode}")
            say(f"RUN finished in {time.monotonic() - started:.0f} s")
        elif k in ("LABEL", "EXPOSE", "VOLUME", "USER", "ENTRYPOINT", "CMD", "HEALTHCHECK", "STOPSIGNAL"):
            say(f"{k} in a build stage: no effect on the image, ignored")
        else:
            fail(f"Dockerfile line {ins.line}: {k} is not emulated")
    return scope
