"""The command line: reads the Dockerfile, then builds, assembles and runs it.

main() is what .ci/dockerfile-run runs; `python3 -m dockerfile_run` from
.ci/ does the same. The options are in the package's docstring.
"""

import argparse
import os
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

from . import __doc__ as OVERVIEW
from .build import run_build_stage
from .context import check_context
from .dockerfile import declare_args, parse_dockerfile, split_stages
from .image import assemble_final
from .paths import REPO
from .report import Failure, fail, say, step
from .run import run_final


def verify():
    parser = argparse.ArgumentParser(description=OVERVIEW.split("\n\n")[0])
    parser.add_argument("--dockerfile", default=str(REPO / "Dockerfile"))
    parser.add_argument("--env-file", default=str(REPO / ".env.example"),
                        help="env file passed as docker compose's env_file ('' for none)")
    parser.add_argument("--build-arg", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--keep", action="store_true", help="keep the temporary image root")
    options = parser.parse_args()

    dockerfile = Path(options.dockerfile)
    step(f"Dockerfile: {dockerfile}")
    instructions = parse_dockerfile(dockerfile.read_text())
    global_args, stages = split_stages(instructions)
    declared = set()
    for ins in global_args + [i for s in stages for i in s.instructions if i.keyword == "ARG"]:
        declared.update(w.partition("=")[0] for w in shlex.split(ins.args))
    build_args = {name: os.environ[name] for name in declared if name in os.environ}
    for item in options.build_arg:
        name, sep, value = item.partition("=")
        if not sep:
            fail(f"--build-arg {item!r}: expected NAME=VALUE")
        build_args[name] = value
    for name, value in sorted(build_args.items()):
        say(f"build argument {name}={value}")
    global_defaults = {}
    for ins in global_args:
        declare_args(ins, global_defaults, build_args, {}, {})
    say("stages: " + ", ".join(f"{s.name} (FROM {s.image})" for s in stages))

    tmp = Path(tempfile.mkdtemp(prefix="dockerfile-run-"))
    try:
        stage_maps = {}
        used_args = {}
        build_values = {}
        for stage in stages[:-1]:
            scope = run_build_stage(stage, tmp, build_args, global_defaults, used_args, stage_maps)
            for name in ("FOLIO_BUILD", "FOLIO_COMMIT"):
                if name in scope:
                    build_values[name] = scope[name]
        check_context(stages, stage_maps)
        image = assemble_final(stages[-1], tmp, build_args, global_defaults, used_args, stage_maps)
        env_file = Path(options.env_file) if options.env_file else None
        run_final(image, tmp, build_values, env_file)
    finally:
        if options.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    step("The Dockerfile's build and run steps passed (outside a container engine: base "
         "images, user creation, ownership and VOLUME semantics are not checked)")


def main():
    try:
        verify()
    except Failure as e:
        print(f"\ndockerfile-run FAILED: {e}", file=sys.stderr, flush=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
