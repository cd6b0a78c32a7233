"""A Jupyter kernel client whose waits end when the message arrives, not at the timeout.

Executing a notebook, nbclient waits for each reply with one ``poll`` as long as the
cell's whole timeout. pyzmq's asyncio sockets are woken by an edge-triggered file
descriptor; when that wake-up is lost (it happens under load, several times per test
run here, and is known upstream: pyzmq issues #1558 and #2173), the poll only looks at
the socket again when its timer fires, finds the reply that came long ago and returns
it as if nothing happened. A cell of two seconds then takes the whole timeout (120 s in
the tests, 180 s in the docs build), with kernel and client idle.

The channels below poll in short slices instead: each slice that times out looks at
the socket again, so a lost wake-up costs one slice. Nothing else changes: the same
messages, the same timeouts, the same errors. Used by ``tests/test_notebooks.py``
(``kernel_manager_class=SteadyKernelManager``) and, as a Sphinx extension, by the docs
build (myst-nb offers no option for the kernel manager, so :func:`setup` hands it to
the one function myst-nb executes notebooks with).

This is written by hand because neither jupyter_client nor nbclient offers a poll
interval for replies (``shell_timeout_interval`` only covers ``kernel_info``).
"""

from __future__ import annotations

import functools
from queue import Empty
from time import monotonic
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from traitlets import Type

#: How long one poll waits before looking at the socket again, in seconds.
SLICE_S = 0.25


class SlicedChannel(AsyncZMQSocketChannel):
    """A channel whose ``get_msg`` polls in slices of :data:`SLICE_S` seconds."""

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
        """Return the next message; raise ``queue.Empty`` after ``timeout`` seconds."""
        assert self.socket is not None
        deadline = None if timeout is None else monotonic() + timeout
        while True:
            left = SLICE_S if deadline is None else min(SLICE_S, deadline - monotonic())
            if await self.socket.poll(max(0, int(left * 1000))):
                return await self._recv()
            if deadline is not None and monotonic() >= deadline:
                raise Empty


class SteadyKernelClient(AsyncKernelClient):
    """nbclient's asynchronous kernel client, with :class:`SlicedChannel` channels."""

    shell_channel_class = Type(SlicedChannel)
    iopub_channel_class = Type(SlicedChannel)
    stdin_channel_class = Type(SlicedChannel)
    control_channel_class = Type(SlicedChannel)


class SteadyKernelManager(AsyncKernelManager):
    """nbclient's kernel manager, handing out :class:`SteadyKernelClient` clients."""

    client_factory = Type(SteadyKernelClient, klass=AsyncKernelClient)


def setup(app: Any) -> dict[str, Any]:
    """Sphinx extension: myst-nb executes notebooks with :class:`SteadyKernelManager`."""
    import nbclient
    from jupyter_cache.executors import utils

    # The one name myst-nb's direct execution calls; it passes every other option.
    utils.executenb = functools.partial(nbclient.execute, kernel_manager_class=SteadyKernelManager)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
