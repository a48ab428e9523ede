"""SMS length: GSM-7 septets or UCS-2 code units, and the segments a text costs.

GSM 03.38: the basic set counts one septet a character, the extension set (``^{}\\[~]|€``
and form feed) two. One character outside both makes the whole text UCS-2, counted in
UTF-16 units (an emoji is two). One segment holds 160 / 70; longer texts are split into
segments of 153 / 67 (the rest is the concatenation header).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
GSM7 = "GSM-7"
UCS2 = "UCS-2"
SINGLE = {GSM7: 160, UCS2: 70}
MULTI = {GSM7: 153, UCS2: 67}


@dataclass(frozen=True)
class SmsLength:
    encoding: str
    units: int
    segments: int
    first_ucs2: int | None  # index of the first character that forced UCS-2

    @property
    def per_segment(self) -> int:
        return SINGLE[self.encoding] if self.segments <= 1 else MULTI[self.encoding]


def measure(text: str) -> SmsLength:
    """Encoding, length in units, and segments for ``text``."""
    septets = 0
    for index, ch in enumerate(text):
        if ch in GSM7_BASIC:
            septets += 1
        elif ch in GSM7_EXTENSION:
            septets += 2
        else:
            units = len(text.encode("utf-16-le")) // 2
            return SmsLength(UCS2, units, _segments(units, UCS2), index)
    return SmsLength(GSM7, septets, _segments(septets, GSM7), None)


def _segments(units: int, encoding: str) -> int:
    if units == 0:
        return 0
    if units <= SINGLE[encoding]:
        return 1
    return math.ceil(units / MULTI[encoding])
