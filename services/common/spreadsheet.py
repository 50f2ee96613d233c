"""Text cells of the CSV files the bookshop opens in a spreadsheet: a value typed by someone
else (a parent's name on a public form) that starts like a formula (= + - @, a tab, a CR) is
written after an apostrophe, so that the spreadsheet shows it instead of running it (« CSV
injection »). Numbers and dates the application writes itself are left as they are."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """`value` as a CSV text cell, never read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
