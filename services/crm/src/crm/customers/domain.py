"""Customer rules: what makes two records look like the same customer.  No I/O."""

import re
import unicodedata

# Legal-form words that do not tell companies apart ("ACME GmbH" is "Acme").
_LEGAL_FORMS = frozenset(
    {"inc", "ltd", "llc", "gmbh", "ag", "sa", "sas", "srl", "bv", "nv", "plc", "co", "corp", "oy"}
)


def name_key(name: str) -> str:
    """A name reduced to what identifies it: no accents, case, punctuation or legal form."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    kept = [w for w in words if w not in _LEGAL_FORMS] or words
    return " ".join(kept)


def email_key(email: str | None) -> str | None:
    return email.strip().lower() if email else None


def person_key(first_name: str, last_name: str) -> str:
    return name_key(f"{first_name} {last_name}")


def added_tags(before: list[str], after: list[str]) -> list[str]:
    """Tags present now that were not before, in the order they appear."""
    old = set(before)
    return [t for t in after if t not in old]
