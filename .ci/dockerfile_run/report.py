"""Progress output and failures: a step's heading, its lines, and Failure."""


class Failure(Exception):
    pass


def step(message):
    print(f"\n==> {message}", flush=True)


def say(message):
    print(f"    {message}", flush=True)


def fail(message):
    raise Failure(message)
