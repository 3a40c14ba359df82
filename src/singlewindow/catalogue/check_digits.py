"""Check characters of identifiers that carry their own.

ISO 6346 container numbers; unified social credit codes (统一社会信用代码, GB 32100-2015):
18 characters from a 31-symbol alphabet (no I, O, S, V, Z), the last one a check character
computed modulo 31 with weights 3^i mod 31 over the first 17.
"""

import string

_ISO6346_VALUES = {str(d): d for d in range(10)}
_value = 10
for _letter in string.ascii_uppercase:
    if _value % 11 == 0:
        _value += 1
    _ISO6346_VALUES[_letter] = _value
    _value += 1


def iso6346_problem(number: str) -> str | None:
    """Why ``number`` is not an ISO 6346 container number (e.g. CSQU3054383), or None."""
    well_formed = number.isascii() and number[:4].isalpha() and number[:4].isupper() and number[4:].isdigit()
    if len(number) != 11 or not well_formed:
        return "must be 4 capital letters (owner code and category) and 7 digits"
    if number[3] not in "UJZ":
        return "the equipment category (4th letter) must be U, J or Z"
    total = sum(_ISO6346_VALUES[ch] * 2**i for i, ch in enumerate(number[:10]))
    expected = total % 11 % 10
    if int(number[10]) != expected:
        return f"check digit is {number[10]}, expected {expected}"
    return None


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}


def uscc_check_character(first17: str) -> str:
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid USCC, or None when it is."""
    if len(code) != 18:
        return "must be 18 characters"
    bad = sorted({ch for ch in code if ch not in _USCC_VALUE})
    if bad:
        return f"contains characters outside GB 32100-2015: {''.join(bad)}"
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        return f"check character is {code[17]!r}, expected {expected!r}"
    return None


def imo_problem(number: str) -> str | None:
    """Why ``number`` is not an IMO ship identification number (e.g. 9074729), or None.

    Seven digits; the last is the sum of the first six weighted 7 down to 2, modulo 10.
    """
    if len(number) != 7 or not (number.isascii() and number.isdigit()):
        return "must be 7 digits"
    expected = sum(int(d) * w for d, w in zip(number[:6], range(7, 1, -1), strict=True)) % 10
    if int(number[6]) != expected:
        return f"check digit is {number[6]}, expected {expected}"
    return None
