"""Text as the directory's search compares it."""

import unicodedata


def without_accents(text: str) -> str:
    """The text with accents taken off, so "Memory Café" and "memory cafe" are the same words."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(char for char in decomposed if not unicodedata.combining(char)))
