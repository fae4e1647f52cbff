"""Checks the Dockerfile without a container engine, by running its own steps.

No Docker engine is needed: the script reads the Dockerfile and does what a
build and a `docker run` would do, as far as that is possible on the host.

Build stages (every stage before the last): their RUN commands run with
/bin/sh in the repository, which stands for the stage's WORKDIR when the
stage copies the whole build context there (`COPY . .`), with the stage's
ARG and ENV values in the environment. Build arguments default to the
Dockerfile's values and are overridden by variables of the same name in this
script's environment, or by --build-arg NAME=VALUE. `--mount` options are
dropped (the host's own Cargo cache is used; a cache mount of the target
directory is the repository's target/, which later CI steps reuse). Other
absolute paths in the commands, such as /out, are mapped into a temporary
image root, so nothing outside it and target/ is written.

Afterwards the files the build read (from Cargo's dep-info for the binary)
are checked against .dockerignore: each must be in the build context.

The final stage: COPY --from is done into a temporary image root; its RUN
lines (system setup such as creating the user) are skipped and listed; ENV
paths and the image's PATH are mapped into the image root; the process
starts in the (empty) mapped WORKDIR with a clean environment: the image's
ENV, then the env file as docker compose passes it (empty values filled with
fresh random strings), a fresh random ROCKET_SECRET_KEY, and the variable
that holds the EXPOSEd port set to a free port. Then ENTRYPOINT + CMD start
in the background and:
  - the HEALTHCHECK command must succeed within 30 s (tried every 0.5 s,
    each try limited to the HEALTHCHECK's --timeout), while the server runs;
  - GET /version must report the build arguments FOLIO_BUILD and
    FOLIO_COMMIT (and Cargo.toml's version);
  - a database file must exist in the mapped VOLUME;
  - the first admin from the env file must be able to log in;
  - the STOPSIGNAL (SIGTERM) must end the process with status 0 within 10 s;
  - the HEALTHCHECK command must then fail.
Not checked (they need an engine): the base images, the skipped RUN lines
(user creation), file ownership and the non-root USER, VOLUME semantics.

Usage: .ci/dockerfile-run [--dockerfile PATH] [--env-file PATH]
                          [--build-arg NAME=VALUE]... [--keep]

The package, one module per part: report (step, say, fail), dockerfile
(parsing, substitution, stages), paths (PathMap: a stage's paths on the
host), context (.dockerignore and Cargo's dep-info), build (the build
stages), image (the final stage's image root), envfile and net (the env
file, a free port, HTTP requests), run (the server and its checks) and
__main__ (the command line).
"""
