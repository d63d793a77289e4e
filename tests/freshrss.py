"""A real FreshRSS (a Google Reader API server) on 127.0.0.1 for the sync tests.

The unmodified FreshRSS source tree in ``../shared/vendor/`` is unpacked once per test
session (per xdist worker), installed with SQLite and served by PHP's built-in server on
a free loopback port. Each test gets its own user, so tests never see each other's
subscriptions or state. The tests talk to the server through :class:`Account`, written
here with plain httpx calls, so what the sync under test sends is checked by another
client. Without PHP (``.ci/run`` installs it), the tests skip and say why.
"""

from __future__ import annotations

import itertools
import shutil
import socket
import subprocess
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

VENDOR = Path(__file__).resolve().parents[2] / "shared" / "vendor"
TARBALL = "freshrss-1.25.0-dev-6c58b90.tar.gz"
EXTENSIONS = ("pdo_sqlite", "curl", "xml", "mbstring", "intl", "zip", "gmp")
PASSWORD = "api-password-for-tests"
_users = itertools.count(1)


def missing() -> str:
    """Why FreshRSS cannot run here ("" when it can)."""
    if not (VENDOR / TARBALL).exists():
        return f"the FreshRSS source tree is not at {VENDOR / TARBALL}"
    php = shutil.which("php")
    if php is None:
        return "PHP is not installed (.ci/run installs php-cli and its extensions)"
    modules = subprocess.run([php, "-m"], capture_output=True, text=True).stdout.lower()
    absent = [m for m in EXTENSIONS if m not in modules]
    return f"PHP lacks the extensions {', '.join(absent)}" if absent else ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class FreshRSS:
    """One installed FreshRSS and its PHP server (:meth:`stop` / :meth:`start` it)."""

    def __init__(self, root: Path) -> None:
        with tarfile.open(VENDOR / TARBALL) as tar:
            tar.extractall(root, filter="tar")
        self.dir = root / "freshrss"
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.api = f"{self.base}/api/greader.php"
        self._php(
            "cli/do-install.php",
            "--default-user",
            "admin",
            "--db-type",
            "sqlite",
            "--base-url",
            self.base,
            "--api-enabled",
        )
        self.server: subprocess.Popen[bytes] | None = None
        self.start()

    def _php(self, *args: str) -> str:
        done = subprocess.run(
            ["php", *args], cwd=self.dir, capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            raise RuntimeError(f"php {args[0]} failed: {done.stderr or done.stdout}")
        return done.stdout

    def start(self) -> None:
        """Serve on the same port (again)."""
        self.server = subprocess.Popen(
            ["php", "-S", f"127.0.0.1:{self.port}", "-t", "p/"],
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("FreshRSS did not start")

    def stop(self) -> None:
        """Stop serving (the port refuses connections)."""
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=10)
            self.server = None

    def new_account(self) -> Account:
        """A new user with an API password and no subscriptions."""
        name = f"user{next(_users)}"
        self._php(
            "cli/create-user.php",
            "--user",
            name,
            "--password",
            "pw-" + name,
            "--api-password",
            PASSWORD,
        )
        account = Account(self, name)
        for sub in account.subscriptions():  # the release feed a new user gets (offline)
            account.unsubscribe(sub["id"])
        return account

    def actualize(self, user: str) -> None:
        """Make the server fetch the user's feeds now."""
        self._php("cli/actualize-user.php", "--user", user)


class Account:
    """One FreshRSS user, driven through the API by plain HTTP calls."""

    def __init__(self, server: FreshRSS, user: str) -> None:
        self.server = server
        self.user = user
        self.password = PASSWORD
        self._auth = ""

    def _headers(self) -> dict[str, str]:
        if not self._auth:
            answer = httpx.post(
                f"{self.server.api}/accounts/ClientLogin",
                data={"Email": self.user, "Passwd": self.password},
            )
            self._auth = answer.text.split("Auth=")[1].strip()
        return {"Authorization": f"GoogleLogin auth={self._auth}"}

    def get(self, path: str, **params: str | int) -> dict:
        answer = httpx.get(
            f"{self.server.api}/reader/api/0/{path}",
            params={**params, "output": "json"},
            headers=self._headers(),
            timeout=60,
        )
        answer.raise_for_status()
        return answer.json()

    def post(self, path: str, data: dict[str, str | list[str]]) -> str:
        token = httpx.get(
            f"{self.server.api}/reader/api/0/token", headers=self._headers()
        ).text.strip()
        answer = httpx.post(
            f"{self.server.api}/reader/api/0/{path}",
            data={**data, "T": token},
            headers=self._headers(),
            timeout=60,
        )
        answer.raise_for_status()
        return answer.text

    def subscriptions(self) -> list[dict]:
        return list(self.get("subscription/list")["subscriptions"])

    def subscribe(self, url: str, folder: str = "") -> None:
        data: dict[str, str | list[str]] = {"ac": "subscribe", "s": f"feed/{url}"}
        if folder:
            data["a"] = f"user/-/label/{folder}"
        self.post("subscription/edit", data)

    def unsubscribe(self, stream_id: str) -> None:
        self.post("subscription/edit", {"ac": "unsubscribe", "s": stream_id})

    def rename_folder(self, old: str, new: str) -> None:
        self.post("rename-tag", {"s": f"user/-/label/{old}", "dest": f"user/-/label/{new}"})

    def ids(self, stream: str, exclude: str = "") -> set[str]:
        params: dict[str, str | int] = {"s": stream, "n": 10000}
        if exclude:
            params["xt"] = exclude
        return {r["id"] for r in self.get("stream/items/ids", **params)["itemRefs"]}

    def starred(self) -> set[str]:
        return self.ids("user/-/state/com.google/starred")

    def unread(self) -> set[str]:
        return self.ids("user/-/state/com.google/reading-list", "user/-/state/com.google/read")

    def labelled(self, name: str) -> set[str]:
        tags = {t["id"] for t in self.get("tag/list")["tags"]}
        if f"user/-/label/{name}" not in tags:
            return set()  # FreshRSS answers an unknown label with every item
        return self.ids(f"user/-/label/{name}")

    def edit(self, ids: list[str], add: str = "", remove: str = "") -> None:
        data: dict[str, str | list[str]] = {"i": ids}
        if add:
            data["a"] = add
        if remove:
            data["r"] = remove
        self.post("edit-tag", data)

    def all_ids(self) -> set[str]:
        return self.ids("user/-/state/com.google/reading-list")


@pytest.fixture(scope="session")
def freshrss(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FreshRSS]:
    """A running FreshRSS for the session; skipped (with the reason) without PHP."""
    reason = missing()
    if reason:
        pytest.skip(f"FreshRSS sync tests skipped: {reason}")
    server = FreshRSS(tmp_path_factory.mktemp("freshrss"))
    try:
        yield server
    finally:
        server.stop()
