"""How a desk reaches the shop's shared PostgreSQL server, and where its password is kept
(the operating system's keyring, never a file or the database). Plain data and the keyring:
a start reads them before the database layer is loaded; :mod:`repairshop.db.server` checks
a connection with that layer.
"""

from __future__ import annotations

from dataclasses import dataclass

TLS_MODES = ("disable", "prefer", "require", "verify-ca", "verify-full")
"""libpq's ``sslmode`` values, weakest first."""
KEYRING_SERVICE = "RepairShop database"
DEFAULT_PORT = 5432


@dataclass(frozen=True)
class ServerConnection:
    host: str
    port: int = DEFAULT_PORT
    database: str = "repairshop"
    user: str = "repairshop"
    tls: str = "prefer"
    schema: str = ""
    """A schema other than the user's default (several shops in one database; tests)."""

    def url(self, password: str | None) -> str:
        """The database layer's URL of this server."""
        from sqlalchemy.engine import URL

        query: dict[str, str] = {"sslmode": self.tls}
        if self.schema:
            query["options"] = f"-csearch_path={self.schema},public"
        return URL.create(
            "postgresql+psycopg",
            username=self.user or None,
            password=password or None,
            host=self.host,
            port=self.port,
            database=self.database,
            query=query,
        ).render_as_string(hide_password=False)

    def conninfo(self, password: str | None) -> str:
        """The driver's own connection string (a start's first look connects with it)."""
        from psycopg.conninfo import make_conninfo

        options = {"options": f"-csearch_path={self.schema},public"} if self.schema else {}
        return make_conninfo(
            host=self.host,
            port=self.port,
            dbname=self.database,
            user=self.user or None,
            password=password or None,
            sslmode=self.tls,
            **options,
        )

    @property
    def keyring_user(self) -> str:
        """The name the password is kept under in the keyring."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


def keyring_available() -> bool:
    """Whether this computer has a keyring to keep the password in."""
    import keyring
    from keyring.backends import fail

    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration is no keyring
        return False
    return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 1) > 0


def saved_password(connection: ServerConnection) -> str | None:
    """The password kept in the keyring for ``connection``, if any."""
    import keyring
    from keyring.errors import KeyringError

    if not keyring_available():
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, connection.keyring_user)
    except KeyringError:
        return None


def save_password(connection: ServerConnection, password: str) -> bool:
    """Keep ``password`` in the keyring; False when this computer has none."""
    import keyring
    from keyring.errors import KeyringError

    if not keyring_available():
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, connection.keyring_user, password)
    except KeyringError:
        return False
    return True


def forget_password(connection: ServerConnection) -> None:
    """Remove the password kept for ``connection``, if the keyring holds one."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    if not keyring_available():
        return
    try:
        keyring.delete_password(KEYRING_SERVICE, connection.keyring_user)
    except (PasswordDeleteError, KeyringError):
        return
