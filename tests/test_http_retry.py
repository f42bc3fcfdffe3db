"""``Retry-After`` in both of its forms, as every HTTP client of the project reads it."""

from __future__ import annotations

import time

from dataops.http_retry import retry_after_seconds


def test_retry_after_accepts_seconds_and_http_dates():
    assert retry_after_seconds("7") == 7.0
    now = time.time()
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 30))
    assert 28 <= retry_after_seconds(date, now=now) <= 31
    assert retry_after_seconds("soon") is None


def test_seconds_may_be_padded_with_spaces():
    assert retry_after_seconds(" 120 ") == 120.0
    assert retry_after_seconds("0") == 0.0


def test_a_date_is_counted_from_now():
    date = "Wed, 21 Oct 2026 07:28:00 GMT"
    then = 1792567680.0  # that date as a Unix time
    assert retry_after_seconds(date, now=then - 90) == 90.0


def test_a_date_in_the_past_means_retry_at_once():
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_a_date_without_a_named_zone_is_read_as_utc():
    then = 1792567680.0
    assert retry_after_seconds("Wed, 21 Oct 2026 07:28:00 -0000", now=then - 5) == 5.0


def test_an_absent_or_unreadable_header_says_nothing():
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("") is None
    assert retry_after_seconds("-5") is None
    assert retry_after_seconds("1.5") is None  # RFC 9110: whole seconds only
    assert retry_after_seconds("Wed, 99 Foo 2026") is None
