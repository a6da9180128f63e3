"""The mail password and the SMS gateway's token: from the system keyring when the keyring
package holds one, else from the environment; never from the database."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from repairshop.services.customers.sending import (
    KEYRING_SERVICE,
    MAIL_PASSWORD_VARIABLE,
    secret,
)


def test_the_keyring_comes_first_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, str]] = []

    def get_password(service: str, name: str) -> str | None:
        asked.append((service, name))
        return "z-klíčenky" if name == "servis" else None

    monkeypatch.setitem(sys.modules, "keyring", SimpleNamespace(get_password=get_password))
    monkeypatch.setenv(MAIL_PASSWORD_VARIABLE, "z-prostředí")
    assert secret("servis", MAIL_PASSWORD_VARIABLE) == "z-klíčenky"
    assert secret("jiný", MAIL_PASSWORD_VARIABLE) == "z-prostředí"
    assert asked == [(KEYRING_SERVICE, "servis"), (KEYRING_SERVICE, "jiný")]


def test_a_keyring_without_a_backend_or_no_secret_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(service: str, name: str) -> str | None:
        raise RuntimeError("No recommended backend was available")

    monkeypatch.setitem(sys.modules, "keyring", SimpleNamespace(get_password=broken))
    monkeypatch.setenv(MAIL_PASSWORD_VARIABLE, "z-prostředí")
    assert secret("servis", MAIL_PASSWORD_VARIABLE) == "z-prostředí"
    monkeypatch.delenv(MAIL_PASSWORD_VARIABLE)
    assert secret("servis", MAIL_PASSWORD_VARIABLE) is None
