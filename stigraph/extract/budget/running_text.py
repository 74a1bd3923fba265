"""Last in line: amounts in running text that no layout reader took are reported, never read.

A sentence such as 「前年度から100億円増となる681億円の要求を行っています。」 ties a figure to a subject
several lines up; reading it would mean guessing which words name the program. It is listed as
unread so a person can see it.
"""
from __future__ import annotations

import re

from .notations import ANY_AMOUNT
from .records import Unread
from .sheet import Reading, Sheet

NAME = "running_text"
_AMOUNT = re.compile(ANY_AMOUNT)
_BUDGET_WORDS = re.compile(r"予算|要求|計上|措置|経費")


def read(sheet: Sheet) -> Reading:
    """Report unclaimed prose lines that state a budget amount."""
    reading = Reading()
    for i, line in enumerate(sheet.lines):
        if sheet.free(i) and i >= sheet.body_start and ("。" in line or len(line) > 60) \
                and _AMOUNT.search(line) and _BUDGET_WORDS.search(line):
            reading.unread.append(Unread(i + 1, "amount in running text (sentences are not read)", text=line))
    return reading
