"""Opening a driver on a Neo4j server, and what becomes of the server's failures.

Every failure a user can fix (server down, wrong password, unknown database, TLS on
one side only, a server that stops answering during a load) becomes one line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from graph_builder.errors import ConfigError, ExportError

__all__ = ["INCOMPLETE", "SCHEMES", "connect", "driver_failures"]

#: URI schemes the official driver accepts (``+s``: TLS with a verified
#: certificate, ``+ssc``: TLS accepting a self-signed one).
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def connect(uri: str, user: str, password: str, database: str | None = None) -> Any:
    """Open a driver and check the server, the credentials and the database answer.

    Every failure a user can fix becomes a one-line :class:`ExportError`:
    server down, wrong password, unknown database, TLS on one side only.
    """
    import neo4j
    from neo4j import exceptions as driver_errors

    scheme = urlsplit(uri).scheme
    if scheme not in SCHEMES:
        raise ConfigError(
            f"unsupported Neo4j URI {uri!r}; the scheme must be one of: {', '.join(SCHEMES)}"
        )
    tls = "+s" in scheme
    try:
        driver = neo4j.GraphDatabase.driver(
            uri,
            auth=(user, password),
            connection_timeout=10,
            max_transaction_retry_time=30,
            notifications_min_severity="OFF",
        )
    except (ValueError, driver_errors.ConfigurationError) as exc:
        raise ConfigError(f"invalid Neo4j URI {uri!r}: {exc}") from None
    try:
        driver.verify_connectivity()
        with driver.session(database=database) as session:
            session.run("RETURN 1").consume()
    except driver_errors.AuthError:
        driver.close()
        raise ExportError(
            f"Neo4j at {uri} refused user {user!r}: wrong user name or password"
        ) from None
    except driver_errors.ClientError as exc:
        driver.close()
        if exc.code and "DatabaseNotFound" in exc.code:
            raise ExportError(
                f"Neo4j at {uri} has no database {database!r}; "
                "leave out --database to use the server's default one"
            ) from None
        raise ExportError(f"Neo4j at {uri}: {exc.message}") from None
    except (driver_errors.ServiceUnavailable, driver_errors.SessionExpired, OSError) as exc:
        driver.close()
        text = str(exc)
        if tls or "SSL" in text or "TLS" in text:
            hint = (
                "TLS handshake failed: does the server accept TLS on this port? "
                "use bolt:// or neo4j:// for a server without TLS"
                if tls
                else "the server may require TLS: try bolt+s:// or neo4j+s://"
            )
            raise ExportError(f"cannot connect to Neo4j at {uri}: {hint}") from None
        raise ExportError(
            f"cannot connect to Neo4j at {uri}: no server answers there (is it running?)"
        ) from None
    return driver


#: Said of every load a failure stopped: a rerun writes what is missing, nothing twice.
INCOMPLETE = "the load is incomplete; rerunning completes it"


@contextmanager
def driver_failures() -> Iterator[None]:
    """A server that stops answering, or keeps failing a batch, becomes one :class:`ExportError`.

    The driver's own log lines (a lost connection, each retried transaction) are kept
    from stderr: with no logging set up, Python would print them. A retried batch is
    counted where it runs (:func:`execute_write`).
    """
    from neo4j import exceptions as driver_errors

    logger = logging.getLogger(_DRIVER_LOGGER)
    silent = logging.NullHandler()
    logger.addHandler(silent)
    try:
        yield
    except (driver_errors.ServiceUnavailable, driver_errors.SessionExpired) as exc:
        raise ExportError(f"Neo4j stopped answering ({type(exc).__name__}); {INCOMPLETE}") from None
    except driver_errors.TransientError as exc:
        raise ExportError(f"Neo4j failed a batch ({exc.code}); {INCOMPLETE}") from None
    finally:
        logger.removeHandler(silent)


#: The driver's loggers (connections, sessions, retries).
_DRIVER_LOGGER = "neo4j"
