"""The image's process, run as `docker run` would, and the checks on it.

ENTRYPOINT + CMD start in the background in the mapped WORKDIR with the
image's ENV and the env file; then the HEALTHCHECK until it succeeds,
GET /version, the database in the VOLUME, the first admin's login, the
STOPSIGNAL and the HEALTHCHECK failing after the stop.
"""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from .dockerfile import duration
from .envfile import random_secret, read_env_file
from .net import NoRedirect, fetch, free_port
from .paths import IMAGE_DEFAULT_PATH, REPO
from .report import fail, say, step

HEALTHY_WITHIN = 30.0
HEALTH_POLL = 0.5
STOP_WITHIN = 10.0


def cargo_version():
    text = (REPO / "Cargo.toml").read_text()
    m = re.search(r'^\[package\][^\[]*?^version\s*=\s*"([^"]+)"', text, re.M | re.S)
    return m.group(1) if m else None


def tail(path, lines=40):
    try:
        content = path.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(content[-lines:])


def run_final(image, tmp, build_values, env_file):
    path_map = image["path_map"]
    step("Run: ENTRYPOINT + CMD in the background, as `docker run` would")
    port = image["expose"][0]
    port_vars = [k for k, v in image["env"].items() if v == str(port)]
    if len(port_vars) != 1:
        fail(f"cannot tell which ENV sets the EXPOSEd port {port}")
    port_var = port_vars[0]

    env = {}
    for key, value in image["env"].items():
        env[key] = str(path_map.host(value)) if value.startswith("/") else value
    image_path = env.get("PATH", IMAGE_DEFAULT_PATH)
    env["PATH"] = ":".join(str(path_map.host(p)) for p in image_path.split(":"))
    workdir = path_map.host(image["workdir"])
    env["HOME"] = str(workdir)
    say(f"PATH={env['PATH']}")
    for key, value in image["env"].items():
        if env[key] != value:
            say(f"{key}={value} -> {env[key]}")
    if env_file:
        filled = []
        for key, value in read_env_file(env_file):
            if not value:
                # What a self-hoster fills in: a name for the first admin,
                # a random secret for everything else.
                value = "admin" if key == "FOLIO_ADMIN_USERNAME" else random_secret()
                filled.append(key)
            env[key] = value
        say(f"env file {env_file.name} applied, as docker compose's env_file"
            + (f"; empty values filled in: {', '.join(filled)}" if filled else ""))
    env["ROCKET_SECRET_KEY"] = random_secret()
    say("ROCKET_SECRET_KEY: a fresh random key (openssl rand -base64 32)")
    chosen = free_port()
    env[port_var] = str(chosen)
    say(f"{port_var}={port} -> {chosen}: a free port on this machine; the healthcheck "
        "reads the same variable")
    say(f"USER {image['user']} not applied: the process runs as {os.getuid()}:{os.getgid()} "
        "(user creation and ownership are not checked)")
    if any(workdir.iterdir()):
        fail(f"the WORKDIR {image['workdir']} is not empty before the start")

    argv = image["entrypoint"] + image["cmd"]
    executable = shutil.which(argv[0], path=env["PATH"])
    if executable is None:
        fail(f"{argv[0]} is not on the image's PATH")
    if not Path(executable).resolve().is_relative_to(path_map.root.resolve()):
        fail(f"{argv[0]} resolves to {executable}, outside the image root")
    hc = image["healthcheck"]
    hc_argv = list(hc["argv"])
    hc_executable = shutil.which(hc_argv[0], path=env["PATH"])
    if hc_executable is None:
        fail(f"the healthcheck's {hc_argv[0]} is not on the image's PATH")
    hc_argv[0] = hc_executable
    hc_timeout = duration(hc.get("timeout") or "30s")
    start_period = duration(hc.get("start-period") or "0s")

    def healthcheck():
        try:
            return subprocess.run(
                hc_argv, cwd=workdir, env=env, timeout=hc_timeout, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )
        except subprocess.TimeoutExpired:
            return subprocess.CompletedProcess(hc_argv, 124, f"timed out after {hc_timeout:g} s")

    log_path = tmp / "folio.log"
    say(f"start: {' '.join([executable] + argv[1:])} (in {workdir}; log {log_path})")
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [executable] + argv[1:], cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        step("Healthcheck: the HEALTHCHECK command until it succeeds")
        started = time.monotonic()
        tries = 0
        last = None
        while True:
            if process.poll() is not None:
                fail(f"the server exited with status {process.returncode} before it was healthy\n"
                     + tail(log_path))
            tries += 1
            last = healthcheck()
            if last.returncode == 0:
                break
            if time.monotonic() - started > HEALTHY_WITHIN:
                fail(f"not healthy within {HEALTHY_WITHIN:g} s; the last try exited "
                     f"{last.returncode}: {last.stdout.strip()}\n" + tail(log_path))
            time.sleep(HEALTH_POLL)
        took = time.monotonic() - started
        say(f"healthy after {took:.1f} s ({tries} tries): {' '.join(hc['argv'])} exited 0"
            + (f" ({last.stdout.strip()})" if last.stdout.strip() else ""))
        if took > start_period:
            say(f"WARNING: longer than the --start-period of {start_period:g} s")

        step("Checks on the running server")
        base = f"http://127.0.0.1:{chosen}"
        plain = urllib.request.build_opener(NoRedirect)
        status, body = fetch(plain, f"{base}/version")
        if status != 200:
            fail(f"GET /version answered {status}")
        try:
            version = json.loads(body)
        except ValueError:
            fail(f"GET /version is not JSON: {body[:200]!r}")
        say(f"GET /version: {body.strip()}")
        expected = {"build": build_values.get("FOLIO_BUILD"), "commit": build_values.get("FOLIO_COMMIT"),
                    "version": cargo_version()}
        for field, want in expected.items():
            if want and version.get(field) != want:
                fail(f"GET /version says {field} {version.get(field)!r}, expected {want!r}")
        say(f"build {version.get('build')!r}, commit {version.get('commit')!r} and version "
            f"{version.get('version')!r} are the build arguments' and Cargo.toml's")

        for volume in image["volumes"]:
            host = path_map.host(volume)
            databases = sorted(p.name for p in host.iterdir() if p.suffix == ".db")
            if not databases:
                fail(f"no database file in the volume {volume} ({host}); it holds: "
                     + ", ".join(sorted(p.name for p in host.iterdir())))
            say(f"volume {volume} holds the database: {', '.join(databases)} "
                f"(all of it: {', '.join(sorted(p.name for p in host.iterdir()))})")

        username, password = env.get("FOLIO_ADMIN_USERNAME"), env.get("FOLIO_ADMIN_PASSWORD")
        if username and password:
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(jar))
            status, page = fetch(opener, f"{base}/login")
            token = re.search(r'name="csrf_token" value="([^"]*)"', page)
            if status != 200 or not token:
                fail(f"GET /login answered {status} without a CSRF token")
            status, _ = fetch(opener, f"{base}/login",
                             {"csrf_token": token.group(1), "username": username, "password": password})
            if status != 303:
                fail(f"the first admin from the env file ({username}) could not log in: {status}")
            status, _ = fetch(opener, f"{base}/admin")
            if status != 200:
                fail(f"the first admin got {status} from /admin")
            say(f"the first admin from the env file, {username!r}, logs in and reaches /admin")
        else:
            say("no first admin in the env file: admin login not checked")

        step(f"Stop: {image['stopsignal']}, as `docker stop` sends")
        stop = image["stopsignal"]
        signum = int(stop) if stop.isdigit() else getattr(signal, stop if stop.startswith("SIG") else "SIG" + stop)
        stopped = time.monotonic()
        process.send_signal(signum)
        try:
            code = process.wait(timeout=STOP_WITHIN)
        except subprocess.TimeoutExpired:
            fail(f"still running {STOP_WITHIN:g} s after {stop} (docker would kill it)")
        say(f"exited with status {code} after {time.monotonic() - stopped:.1f} s")
        if code != 0:
            fail(f"exit status {code} after {stop}, expected 0\n" + tail(log_path))

        step("Healthcheck after the stop: must fail")
        after = healthcheck()
        if after.returncode == 0:
            fail("the HEALTHCHECK command still succeeds with the server stopped")
        say(f"{' '.join(hc['argv'])} exited {after.returncode}"
            + (f" ({after.stdout.strip()})" if after.stdout.strip() else ""))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()
