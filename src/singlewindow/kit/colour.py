"""WCAG 2.x contrast between two sRGB colours, for checking a deployment's branding at start."""

AA_NORMAL_TEXT = 4.5
"""WCAG 2.1 success criterion 1.4.3 (AA): text of normal size needs at least 4.5:1."""


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """``#rrggbb`` → relative luminance, 0 (black) to 1 (white), as WCAG 2.x defines it."""
    digits = hex_colour.removeprefix("#")
    if len(digits) != 6:
        raise ValueError(f"{hex_colour!r} is not a #rrggbb colour")
    r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """From 1 (the same colour) to 21 (black on white); the order of the two does not matter."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
