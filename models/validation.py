# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Checks of client-sent values, run before they reach the database: a NaN, an
infinity, an amount beyond the column, an out-of-range date or a too long code gets a
clear message instead of a PostgreSQL or Python error (or a silent truncation)."""

import math

from odoo import fields
from odoo.exceptions import ValidationError

# Largest amount accepted anywhere in the addon: far above any real limit, far below
# what the columns (and float precision on cents) can hold.
MAX_AMOUNT = 1e15
MIN_YEAR = 1900
MAX_YEAR = 2999


def _label(model, name):
    return model._fields[name]._description_string(model.env)


def check_number_vals(model, vals, ranges):
    """Refuse the values of ``vals`` that are not finite numbers within
    ``ranges`` ({field name: (minimum, maximum)}, both inclusive)."""
    for name, (minimum, maximum) in ranges.items():
        value = vals.get(name)
        if value is None or value is False:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            number = math.nan
        if math.isfinite(number) and minimum <= number <= maximum:
            continue
        raise ValidationError(
            model.env._(
                "%(field)s must be a number between %(minimum)s and %(maximum)s; %(value)s is not.",
                field=_label(model, name),
                minimum=f"{minimum:,g}",
                maximum=f"{maximum:,.0f}",
                value=str(value)[:40],
            )
        )


def check_date_vals(model, vals, names):
    """Refuse dates of ``vals`` that are not dates or fall outside the years
    ``MIN_YEAR``-``MAX_YEAR`` (a typo, not a document or an application date)."""
    for name in names:
        value = vals.get(name)
        if not value:
            continue
        try:
            date = fields.Date.to_date(value)
        except (TypeError, ValueError, OverflowError):
            date = None
        if date and MIN_YEAR <= date.year <= MAX_YEAR:
            continue
        raise ValidationError(
            model.env._(
                "%(field)s must be a date between the years %(first)s and %(last)s; %(value)s is not.",
                field=_label(model, name),
                first=MIN_YEAR,
                last=MAX_YEAR,
                value=str(value)[:40],
            )
        )


def check_length_vals(model, vals, names):
    """Refuse texts of ``vals`` longer than their field's ``size``: Odoo would cut them
    silently (a grade code "AAAAAAAAX" would become "AAAAAAAA")."""
    for name in names:
        value = vals.get(name)
        size = model._fields[name].size
        if isinstance(value, str) and size and len(value) > size:
            raise ValidationError(
                model.env._(
                    "%(field)s is limited to %(size)s characters; '%(value)s' has %(length)s.",
                    field=_label(model, name),
                    size=size,
                    value=value[:40],
                    length=len(value),
                )
            )
