"""Editor login: argon2 password hashes from the environment or Streamlit secrets.

Everyone may read. Editing (mapping rules, statuses, uploads) needs a logged-in editor.
Editors are configured, never registered through the app:

- `VERKSTAD_EDITORS="anna:$argon2id$...;olle:$argon2id$..."` (`;`-separated name:hash), or
- `.streamlit/secrets.toml` with a table `[editors]` of `name = "$argon2id$..."`.

`verkstad hash-password` prints a hash to paste there. Failed logins are rate-limited per
user name and in total, in memory shared by every session of the server process.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MAX_FAILURES = 5  # per user name within WINDOW_SECONDS
MAX_FAILURES_TOTAL = 20  # all names together, against guessing across names
WINDOW_SECONDS = 15 * 60

_hasher = PasswordHasher()
# Verified against when the user name is unknown, so timing does not reveal which names exist.
_DUMMY_HASH = _hasher.hash("verkstad-dummy-password")


def hash_password(password: str) -> str:
    """An argon2id hash of `password` for the editors configuration."""
    if len(password) < 10:
        raise ValueError("Lösenordet måste ha minst 10 tecken.")
    return _hasher.hash(password)


def parse_editors(text: str) -> dict[str, str]:
    """`name:hash;name:hash` → {name: hash}. Entries without both parts are ignored."""
    editors: dict[str, str] = {}
    for entry in text.split(";"):
        name, sep, hashed = entry.strip().partition(":")
        if sep and name.strip() and hashed.strip():
            editors[name.strip()] = hashed.strip()
    return editors


def configured_editors() -> dict[str, str]:
    """Editors from $VERKSTAD_EDITORS, else from Streamlit secrets, else none."""
    from_env = os.environ.get("VERKSTAD_EDITORS", "")
    if from_env.strip():
        return parse_editors(from_env)
    try:
        import streamlit as st

        section = st.secrets.get("editors", {})
        return {str(k): str(v) for k, v in dict(section).items()}
    except Exception:  # noqa: BLE001 - no secrets file means no editors
        return {}


@dataclass
class RateLimiter:
    """Counts failed logins in a sliding window, per name and in total."""

    max_per_name: int = MAX_FAILURES
    max_total: int = MAX_FAILURES_TOTAL
    window: float = WINDOW_SECONDS
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _all: deque[float] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _prune(self, times: deque[float], now: float) -> None:
        while times and now - times[0] > self.window:
            times.popleft()

    def blocked(self, name: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            per_name = self._failures.setdefault(name, deque())
            self._prune(per_name, now)
            self._prune(self._all, now)
            return len(per_name) >= self.max_per_name or len(self._all) >= self.max_total

    def record_failure(self, name: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._failures.setdefault(name, deque()).append(now)
            self._all.append(now)


def check_login(
    name: str, password: str, editors: dict[str, str], limiter: RateLimiter
) -> tuple[bool, str]:
    """(ok, message) for a login attempt; failures count against the rate limit."""
    name = name.strip()
    if limiter.blocked(name):
        return False, "För många misslyckade inloggningar. Vänta en stund och försök igen."
    hashed = editors.get(name, _DUMMY_HASH)
    try:
        ok = _hasher.verify(hashed, password) and name in editors
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        limiter.record_failure(name)
        return False, "Fel namn eller lösenord."
    return True, f"Inloggad som {name}."


# --- Streamlit glue -------------------------------------------------------------------


def _limiter() -> RateLimiter:
    import streamlit as st

    @st.cache_resource
    def shared() -> RateLimiter:
        return RateLimiter()

    return shared()


def current_editor() -> str | None:
    """The logged-in editor's name in this browser session, or None."""
    import streamlit as st

    return st.session_state.get("verkstad_editor")


def is_editor() -> bool:
    """True when this session has an editor logged in."""
    return current_editor() is not None


def login_box() -> None:
    """The sidebar login form (or the logged-in state with a log-out button)."""
    import streamlit as st

    editors = configured_editors()
    with st.sidebar:
        if is_editor():
            st.caption(f"Redaktör: **{current_editor()}**")
            if st.button("Logga ut", key="auth_logout"):
                del st.session_state["verkstad_editor"]
                st.caption("Utloggad. Läsläge.")
            return
        if not editors:
            st.caption("Läsläge. Redigering är avstängd: inga redaktörer är konfigurerade.")
            return
        with st.expander("Logga in för att redigera"):
            with st.form("auth_login", clear_on_submit=True):
                name = st.text_input("Namn", key="auth_name")
                password = st.text_input("Lösenord", type="password", key="auth_password")
                submitted = st.form_submit_button("Logga in")
            if submitted:
                ok, message = check_login(name, password, editors, _limiter())
                if ok:
                    # No rerun: the page below is drawn in this same run, already as editor.
                    st.session_state["verkstad_editor"] = name.strip()
                    st.success(message)
                else:
                    st.error(message)
