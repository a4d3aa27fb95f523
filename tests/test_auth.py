"""Editor login: hashes verify, wrong passwords fail, failures are rate-limited."""

from __future__ import annotations

import pytest

from pipelines.auth import RateLimiter, check_login, hash_password, parse_editors


@pytest.fixture(scope="module")
def editors() -> dict[str, str]:
    return {"anna": hash_password("rätt-lösenord-123")}


def test_right_password_logs_in(editors):
    ok, message = check_login("anna", "rätt-lösenord-123", editors, RateLimiter())
    assert ok and "anna" in message


def test_wrong_password_and_unknown_name_fail_alike(editors):
    limiter = RateLimiter()
    assert check_login("anna", "fel", editors, limiter) == (False, "Fel namn eller lösenord.")
    assert check_login("olle", "rätt-lösenord-123", editors, limiter) == (
        False,
        "Fel namn eller lösenord.",
    )


def test_failures_are_rate_limited_even_for_the_right_password(editors):
    limiter = RateLimiter(max_per_name=3, max_total=100)
    for _ in range(3):
        assert not check_login("anna", "fel", editors, limiter)[0]
    ok, message = check_login("anna", "rätt-lösenord-123", editors, limiter)
    assert not ok and "För många" in message


def test_window_expires():
    limiter = RateLimiter(max_per_name=1, max_total=10, window=60)
    limiter.record_failure("anna", now=0)
    assert limiter.blocked("anna", now=30)
    assert not limiter.blocked("anna", now=61)


def test_total_limit_spans_names():
    limiter = RateLimiter(max_per_name=100, max_total=3)
    for i in range(3):
        limiter.record_failure(f"name{i}", now=0)
    assert limiter.blocked("someone-else", now=1)


def test_parse_editors_and_short_password():
    assert parse_editors("anna:$argon2id$x; olle:$argon2id$y;broken") == {
        "anna": "$argon2id$x",
        "olle": "$argon2id$y",
    }
    with pytest.raises(ValueError):
        hash_password("kort")
