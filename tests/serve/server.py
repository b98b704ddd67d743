"""Starts and stops `vnkg serve` for the Python tests of the server (protocol, browser, load).

The server is started on a free loopback port (--bind 127.0.0.1:0); the address is read from
the line it prints once it accepts connections.
"""

import os
import re
import subprocess
import tempfile
import time


class Server:
    """A running `vnkg serve`; use as a context manager."""

    def __init__(self, binary, store, *flags):
        self.binary = binary
        self.store = store
        self.flags = list(flags)
        self.proc = None
        self.url = None
        self.log = tempfile.NamedTemporaryFile(prefix="vnkg-serve-", suffix=".log", delete=False)

    def __enter__(self):
        cmd = [self.binary, "serve", "--store", self.store, "--bind", "127.0.0.1:0", *self.flags]
        self.proc = subprocess.Popen(cmd, stderr=self.log, stdout=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            with open(self.log.name, encoding="utf-8") as f:
                text = f.read()
            m = re.search(r"at (http://127\.0\.0\.1:\d+)/", text)
            if m:
                self.url = m.group(1)
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(f"vnkg serve exited with {self.proc.returncode}: {text}")
            time.sleep(0.05)
        self.proc.kill()
        raise RuntimeError("vnkg serve did not start within 30 s")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        os.unlink(self.log.name)

    @property
    def endpoint(self):
        return self.url + "/sparql"


def build_store(binary, inputs, store):
    """Builds a store from `inputs` (paths); raises with the output when the build fails."""
    r = subprocess.run([binary, "build", *inputs, "--store", store], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"vnkg build failed: {r.stderr}")
    return store
