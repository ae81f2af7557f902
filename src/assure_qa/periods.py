"""Which years a question asks about and which a figure is of.

"How many reviews were done in 2024/25?" is not answered by 2023/24's figure, however close the
rest of the sentence. A figure is of the years its unit states, else of its passage's (a table of
2023/24's key figures need not repeat the year in each row); the year of what it is compared
with ("up from 2,880 nights in 2024/25", "compared with 31% in England in 2023") is not its own.
A financial year counts by its first year: 2023/24 is 2023.
"""

from __future__ import annotations

import re

_A_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# What a figure is compared with is not its year: "3,410 nights, up from 2,880 nights in 2024/25".
_COMPARED = re.compile(r"\b(?:(?:up|down|rising|falling|increased?|decreased?|rose|fell)\s+from|compared\s+(?:with|to)|"
                       r"than(?:\s+in)?|against)\s+(?:(?![.;,]\s|[.;]$).)*", re.I)  # to the clause's end, past "2,880"


def of_other_years(question: str, unit: str, passage: str) -> bool:
    """Does what ``unit`` states belong to other years than the ones ``question`` names? A unit
    stating no year is of its passage's years: "How many in 2025/26?" is not answered by a row of
    a table of 2023/24's figures, nor by "the median wait was 41 days" in a report on 2023/24. The
    year of what a figure is compared with ("up from 2,880 in 2024/25") is not the figure's, though
    the unit states that year's figure too."""
    asked = set(_A_YEAR.findall(question))
    if not asked or asked & set(_A_YEAR.findall(unit)):
        return False
    stated = set(_A_YEAR.findall(_COMPARED.sub(" ", unit))) or set(_A_YEAR.findall(passage))
    return bool(stated and not asked & stated)
