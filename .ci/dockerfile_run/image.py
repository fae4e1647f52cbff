"""The final stage, assembled in a temporary image root.

COPY --from copies the build stages' output into the image root; RUN lines
are skipped and listed; ENV, WORKDIR, VOLUME, EXPOSE, USER, STOPSIGNAL,
HEALTHCHECK, ENTRYPOINT and CMD are recorded for the run.
"""

import json
import posixpath
import shlex
import shutil

from .dockerfile import declare_args, exec_form, key_values, split_flags, substitute
from .paths import REPO, PathMap
from .report import fail, say, step


def assemble_final(stage, tmp, build_args, global_defaults, used_args, stage_maps):
    step(f"Final stage: FROM {stage.image}, assembled in a temporary image root")
    root = tmp / "image"
    path_map = PathMap(root)
    say(f"image root: {root}")
    image = {
        "env": {},
        "workdir": "/",
        "user": None,
        "expose": [],
        "volumes": [],
        "healthcheck": None,
        "entrypoint": [],
        "cmd": [],
        "stopsignal": "SIGTERM",
        "labels": {},
        "skipped": [],
        "path_map": path_map,
    }
    scope = {}
    shell = ["/bin/sh", "-c"]
    for ins in stage.instructions:
        k = ins.keyword
        if k == "ARG":
            declare_args(ins, scope, build_args, global_defaults, used_args)
        elif k == "ENV":
            for key, value in key_values(ins.args, scope, "ENV", ins.line):
                scope[key] = value
                image["env"][key] = value
        elif k == "LABEL":
            for key, value in key_values(ins.args, scope, "LABEL", ins.line):
                image["labels"][key] = value
        elif k == "WORKDIR":
            image["workdir"] = posixpath.join(image["workdir"], substitute(ins.args, scope))
            path_map.host(image["workdir"]).mkdir(parents=True, exist_ok=True)
        elif k == "RUN":
            image["skipped"].append((ins.line, " ".join(ins.args.split())))
        elif k == "COPY":
            flags, rest = split_flags(ins.args)
            flags = dict(flags)
            words = exec_form(rest) or shlex.split(rest)
            sources, dest = [substitute(w, scope) for w in words[:-1]], substitute(words[-1], scope)
            dest = posixpath.join(image["workdir"], dest)
            if "from" in flags:
                source_map = stage_maps.get(flags["from"])
                if source_map is None:
                    fail(f"Dockerfile line {ins.line}: COPY --from={flags['from']}: no such build stage")
                hosts = [source_map.host(s) for s in sources]
            else:
                hosts = [REPO / s for s in sources]
            for source, host in zip(sources, hosts):
                if not host.exists():
                    fail(f"Dockerfile line {ins.line}: COPY: {source} does not exist ({host})")
                target = path_map.host(dest)
                if dest.endswith("/") or len(sources) > 1 or host.is_dir():
                    target = target / host.name if not host.is_dir() else target
                target.parent.mkdir(parents=True, exist_ok=True)
                if host.is_dir():
                    shutil.copytree(host, target, dirs_exist_ok=True)
                else:
                    shutil.copy2(host, target)
                say(f"COPY {source} -> {dest} ({target})")
            if "chown" in flags or "chmod" in flags:
                say("  --chown/--chmod not applied (ownership is not emulated)")
        elif k == "SHELL":
            shell = exec_form(ins.args) or shell
        elif k == "VOLUME":
            for volume in exec_form(ins.args) or ins.args.split():
                volume = substitute(volume, scope)
                image["volumes"].append(volume)
                path_map.host(volume).mkdir(parents=True, exist_ok=True)
        elif k == "EXPOSE":
            for port in substitute(ins.args, scope).split():
                image["expose"].append(int(port.split("/")[0]))
        elif k == "USER":
            image["user"] = substitute(ins.args, scope)
        elif k == "STOPSIGNAL":
            image["stopsignal"] = substitute(ins.args, scope)
        elif k == "HEALTHCHECK":
            flags, rest = split_flags(ins.args)
            if rest.upper() == "NONE":
                fail("the final stage's HEALTHCHECK is NONE")
            word, _, command = rest.partition(" ")
            if word.upper() != "CMD":
                fail(f"Dockerfile line {ins.line}: HEALTHCHECK without CMD")
            argv = exec_form(command.strip()) or shell + [command.strip()]
            image["healthcheck"] = {"argv": argv, **{f: v for f, v in flags}}
        elif k in ("ENTRYPOINT", "CMD"):
            argv = exec_form(ins.args)
            if argv is None:
                argv = shell + [ins.args]
            if k == "ENTRYPOINT":
                image["entrypoint"] = argv
                image["cmd"] = []  # an ENTRYPOINT resets an inherited CMD
            else:
                image["cmd"] = argv
        else:
            fail(f"Dockerfile line {ins.line}: {k} is not emulated")

    for line, command in image["skipped"]:
        say(f"RUN skipped (system setup in the base image, needs root): line {line}: {command}")
    for key, value in image["labels"].items():
        say(f"LABEL {key}={value}")
    for key, value in image["env"].items():
        say(f"ENV {key}={value}")
    say(f"WORKDIR {image['workdir']}, VOLUME {' '.join(image['volumes']) or '-'}, "
        f"EXPOSE {' '.join(map(str, image['expose'])) or '-'}, USER {image['user'] or 'root'}")
    say(f"ENTRYPOINT {json.dumps(image['entrypoint'])} CMD {json.dumps(image['cmd'])}")
    if image["healthcheck"]:
        hc = image["healthcheck"]
        options = " ".join(f"--{k}={v}" for k, v in hc.items() if k != "argv")
        say(f"HEALTHCHECK {options} CMD {json.dumps(hc['argv'])}")
    else:
        fail("the final stage has no HEALTHCHECK")
    if not image["entrypoint"] and not image["cmd"]:
        fail("the final stage has neither ENTRYPOINT nor CMD")
    if image["user"] in (None, "root", "0", "0:0"):
        fail("the final stage runs as root: add a USER")
    if len(image["expose"]) != 1:
        fail("expected exactly one EXPOSEd port")
    return image
