"""Offline by construction: index and ask end to end with every network connection refused."""

import socket
import subprocess
import sys
import textwrap

from .conftest import BLOCK_NETWORK, REPORT


def test_index_and_ask_with_the_network_blocked(tmp_path):
    # A fresh interpreter, so that nothing was loaded (or fetched) before the block went up.
    script = BLOCK_NETWORK + textwrap.dedent(f"""
        from assistant.cli import main
        assert main(["index", {str(REPORT)!r}, "--index-dir", {str(tmp_path)!r}]) == 0
        assert main(["ask", "How many IPR cases did Chinese courts conclude last year?", "--json",
                     "--index-dir", {str(tmp_path)!r}]) == 0
    """)
    # No HF_HUB_OFFLINE here: the code must not need it set by the caller.
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Nearly 320,000 [1]." in done.stdout
    assert "network access attempted" not in done.stderr
    assert socket.socket.connect is not None  # the block lived only in the child
