"""Test-wide guards: no network, no real model APIs, no writes to the working folder."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from assay.models import reset_sim_calls


class NetworkForbidden(RuntimeError):
    """A test tried to reach the network."""


_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if self.family == socket.AF_UNIX:
        return _real_connect(self, address)
    raise NetworkForbidden(f"tests must not touch the network (tried {address!r})")


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[None]:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setenv("ASSAY_OFFLINE", "1")
    monkeypatch.setenv("INSPECT_LOG_DIR", str(tmp_path / "logs"))
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GOOGLE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    reset_sim_calls()
    yield
