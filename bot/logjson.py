"""``log_format = "json"``: one JSON object per log line, for shipping to a log store.

Fields: ``time`` (UTC, ISO 8601 with milliseconds), ``level``, ``logger``, ``message``, and
``event_id``, ``room_id``, ``line_id`` when the line has them: from ``extra={...}`` on the log
call, else the first Matrix event or room ID found in the message. ``exc`` carries a traceback.
What a message says is decided at the log call: no log line at INFO carries a user's message
text or a secret (tests/unit/test_logjson.py, tests/integration/test_ops.py).
"""
from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

_EVENT_ID = re.compile(r"(?<![\w$])\$[A-Za-z0-9_\-+/=.:]{8,}")
# Room version 12 IDs have no server part ("!" and 43 URL-safe base64 characters).
_ROOM_ID = re.compile(r"(?<![\w!])!(?:[A-Za-z0-9_\-.=+/]+:[A-Za-z0-9.\-]+(?::\d+)?|[A-Za-z0-9_\-+/]{20,})")
_FIELDS = ("event_id", "room_id", "line_id")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        out: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        for key in _FIELDS:
            value = getattr(record, key, None)
            if value is None:
                m = (_EVENT_ID if key == "event_id" else _ROOM_ID if key == "room_id" else None)
                found = m.search(message) if m else None
                value = found.group(0) if found else None
            if value is not None:
                out[key] = value
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)
