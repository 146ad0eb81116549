"""``renewal-bot scam-check``: judge messages from standard input, one JSON verdict per line.

For moderators who want to scan an export, and for evaluation. Each input line is one message
(``--jsonl``: one JSON object with a ``text`` field per line); each output line is
``{"scam": true|false, "score": <number>, "reasons": ["...", ...]}``, in input order. Reasons
are the guard's stable codes; ``--explain LANG`` adds the sentences the bot would show
(``explained``). The catalog and the model are loaded once; nothing goes over the network.
A line that is not valid JSON under ``--jsonl`` gets ``{"error": ...}`` and the exit status is 1.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import IO

DESCRIPTION = __doc__


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jsonl", action="store_true",
                        help='each input line is a JSON object {"text": ...} (other fields are ignored)')
    parser.add_argument("--explain", metavar="LANG", choices=("en", "zh-Hans", "zh-Hant", "id", "ms"),
                        help="add the reasons as sentences in this language (en, zh-Hans, zh-Hant, id, ms)")


def check_stream(src: IO[bytes], out: IO[str], *, jsonl: bool = False, explain: str | None = None) -> int:
    """Judge every line of ``src``; write one JSON line per input line. 1 if a line was unreadable."""
    from bot.catalog import load_catalog
    from bot.core.scam import judge
    from bot.core.scam_domains import catalog_domains

    domains = catalog_domains(load_catalog())
    translate = None
    if explain:
        from bot.i18n import Translator

        translate = Translator(explain)
    status = 0
    batch: list[str] = []
    for raw in src:
        line = raw.decode("utf-8", errors="replace").removesuffix("\n").removesuffix("\r")
        if jsonl:
            try:
                obj = json.loads(line)
                text = obj.get("text") if isinstance(obj, dict) else None
                if not isinstance(text, str):
                    raise ValueError('no "text" string')
            except ValueError as exc:
                batch.append(json.dumps({"error": f"line is not a JSON object with a text: {exc}"[:200]}))
                status = 1
                continue
        else:
            text = line
        v = judge(text, official_domains=domains)
        verdict: dict[str, object] = {"scam": v.is_scam, "score": float(v.score), "reasons": list(v.reasons)}
        if translate is not None:
            verdict["explained"] = [translate(f"scam.reason.{r}") for r in v.reasons]
        batch.append(json.dumps(verdict, ensure_ascii=False))
        if len(batch) >= 256:
            out.write("\n".join(batch) + "\n")
            batch.clear()
    if batch:
        out.write("\n".join(batch) + "\n")
    out.flush()
    return status


def run(args: argparse.Namespace) -> int:
    try:
        return check_stream(sys.stdin.buffer, sys.stdout, jsonl=args.jsonl, explain=args.explain)
    except BrokenPipeError:  # "| head": the reader has gone, which is not an error
        return 0
