#!/usr/bin/env python3
"""Compare every translation with English: what is missing, extra, or translated from old English.

Usage: scripts/i18n_sync.py
For each language folder in bot/i18n/locales and each English ``.po`` file, lists message ids
missing from (or empty in) the translation, with the English text to translate, and ids that
English no longer has. A translated message whose ``#. en:`` comment no longer matches the
English text is listed as changed. Exits 1 if anything is listed, else 0.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent.parent / "bot" / "i18n" / "locales"


def read(path: Path) -> dict[str, tuple[str, str | None]]:
    """msgid -> (text, the English it was translated from, if recorded)."""
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        po = read_po(fh)
    out = {}
    for m in po:
        if m.id:
            src = " ".join(c for c in m.auto_comments)
            key = m.id[0] if isinstance(m.id, tuple | list) else m.id
            text = " | ".join(m.string) if isinstance(m.string, tuple | list) else m.string
            out[str(key)] = (str(text), src[4:] if src.startswith("en: ") else None)
    return out


def main() -> int:
    problems = 0
    langs = sorted(p.name for p in LOCALES.iterdir() if p.is_dir() and p.name != "en")
    for en_path in sorted((LOCALES / "en").glob("*.po")):
        en = {k: v for k, (v, _) in read(en_path).items()}
        for lang in langs:
            tr = read(LOCALES / lang / en_path.name)
            missing = [k for k in en if not tr.get(k, ("", None))[0].strip()]
            extra = [k for k in tr if k not in en]
            changed = [k for k in en if k in tr and tr[k][1] is not None
                       and " ".join(tr[k][1].split()) != " ".join(en[k].replace("\n", "\\n").split())]
            for label, ids in (("missing", missing), ("extra", extra), ("changed in English", changed)):
                for k in ids:
                    print(f"{lang}/{en_path.name}: {label}: {k}" + (f"  (en: {en[k]!r})" if k in en else ""))
            problems += len(missing) + len(extra) + len(changed)
    print(f"{problems} problem(s) in {', '.join(langs)}" if problems else f"all in sync: {', '.join(langs)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
