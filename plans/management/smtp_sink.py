"""The benchmarks' mail server: aiosmtpd on loopback, in a process of its own, counting
the messages it accepts. In the benchmark's own process it would share the Python
interpreter's lock with the sender it measures (a real mail server never does)."""

import socket
import time
from multiprocessing import get_context

from aiosmtpd.controller import Controller


class _Counting:
    def __init__(self, count):
        self.count = count

    async def handle_DATA(self, server, session, envelope):
        with self.count.get_lock():
            self.count.value += 1
        return "250 OK"


def _serve(port: int, count, stop) -> None:
    controller = Controller(_Counting(count), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        stop.wait()
    finally:
        controller.stop()


class SinkProcess:
    """`with SinkProcess() as sink:` a server on `sink.port`; `sink.count` messages so far."""

    def __enter__(self) -> "SinkProcess":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        context = get_context("spawn")  # a fresh interpreter: no copy of our connections
        self._count, self._stop = context.Value("q", 0), context.Event()
        self._process = context.Process(
            target=_serve, args=(self.port, self._count, self._stop), daemon=True
        )
        self._process.start()
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if time.monotonic() > deadline or not self._process.is_alive():
                    raise
                time.sleep(0.05)

    @property
    def count(self) -> int:
        return self._count.value

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
