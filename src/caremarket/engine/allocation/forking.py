"""Share independent pieces of work between forked processes and merge them back by position.

The optimiser's stages each map one function over a list of parts or components
(``optimal.py``). Kept apart from the stages so that how work is shared (and recovered when a
child fails) is one small piece that knows nothing about allocation, and so that the tests can
check that an answer does not depend on how many processes computed it.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def lanes(weights: list[float], count: int) -> list[list[int]]:
    """Items shared among lanes, heaviest first to the lightest lane; each lane in item order."""
    share: list[list[int]] = [[] for _ in range(max(count, 1))]
    load = [0.0] * len(share)
    for i in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        lane = min(range(len(share)), key=lambda j: (load[j], j))
        share[lane].append(i)
        load[lane] += weights[i]
    return [sorted(s) for s in share]


def fork_map(fn: Callable[[T], R], items: list[T], share: list[list[int]]) -> list[R]:
    """``[fn(x) for x in items]``, lane j computing the items in ``share[j]``.

    Lanes after the first are forked children (they inherit the compiled problem); each sends
    its pickled results back through a pipe while the parent computes the first lane. A child
    that fails has its share recomputed here, so a crash costs time, never the answer.
    """
    children: list[tuple[int, int, list[int]]] = []
    # Objects that exist now are never collected by the children: without this, a child's
    # garbage collector walks (and so copies, page by page) the whole inherited heap.
    gc.freeze()
    for mine in share[1:]:
        if not mine:
            continue
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            gc.disable()
            os.close(read_fd)
            code = 0
            try:
                payload = pickle.dumps([fn(items[i]) for i in mine], protocol=5)
            except BaseException:
                payload, code = b"", 1
            with os.fdopen(write_fd, "wb") as out:
                out.write(payload)
            os._exit(code)
        os.close(write_fd)
        children.append((pid, read_fd, mine))
    results: dict[int, R] = {i: fn(items[i]) for i in share[0]}
    for pid, read_fd, mine in children:
        with os.fdopen(read_fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status == 0 and data:
            # Our own child's bytes, through our own pipe: nothing untrusted is unpickled.
            results.update(zip(mine, pickle.loads(data), strict=True))  # noqa: S301  # nosec B301
        else:
            results.update({i: fn(items[i]) for i in mine})
    gc.unfreeze()
    return [results[i] for i in range(len(items))]
