"""Values as Prometheus prints them in alert annotations, for the expected text of rule tests.

promtool compares a test's ``exp_annotations`` with the annotation as Prometheus expands it, so a
test rendered for another threshold must print ``{{ $value }}``, ``humanizePercentage`` and
``humanizeDuration`` exactly as Prometheus does (template functions of Prometheus'
template/template.go; Go's fmt for ``$value``).
"""
from __future__ import annotations

import math
from decimal import Decimal
from typing import Any


def go_value(value: Any) -> str:
    """``{{ $value }}`` as Prometheus prints it: Go's %v of a float64, the shortest digits that
    read back as the same float, in %e form below 1e-4 and from 1e6 (strconv's 'g' decides
    with precision 6 when the precision is the shortest)."""
    number_ = float(value)
    if number_ == 0:
        return "0"
    digits = Decimal(repr(number_))
    exponent = digits.adjusted()
    if exponent < -4 or exponent >= 6:
        mantissa = format(digits.scaleb(-exponent).normalize(), "f")
        return f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    return format(digits.normalize(), "f")


def humanize_percentage(value: Any) -> str:
    """Prometheus' humanizePercentage: ``%.4g%%`` of the ratio times 100."""
    return "%.4g%%" % (float(value) * 100)


def humanize_duration(value: Any) -> str:
    """Prometheus' humanizeDuration, for the expected ``description`` of latency alerts."""
    seconds = float(value)
    if math.isnan(seconds) or math.isinf(seconds):
        return "%.4g" % seconds  # noqa: UP031 (Go's %g, which this reproduces)
    if seconds == 0:
        return "%.4gs" % seconds  # noqa: UP031 (Go's %g, which this reproduces)
    if abs(seconds) >= 1:
        sign = "-" if seconds < 0 else ""
        whole = int(abs(seconds))
        days, hours, minutes, rest = whole // 86400, whole // 3600 % 24, whole // 60 % 60, whole % 60
        if days:
            return f"{sign}{days}d {hours}h {minutes}m {rest}s"
        if hours:
            return f"{sign}{hours}h {minutes}m {rest}s"
        if minutes:
            return f"{sign}{minutes}m {rest}s"
        return "%s%.4gs" % (sign, abs(seconds))  # noqa: UP031 (Go's %g, which this reproduces)
    prefix = ""
    for unit in ("m", "u", "n", "p", "f", "a", "z", "y"):
        if abs(seconds) >= 1:
            break
        prefix, seconds = unit, seconds * 1000
    return "%.4g%ss" % (seconds, prefix)  # noqa: UP031 (Go's %g, which this reproduces)
