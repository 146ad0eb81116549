"""Files in and out: ``export`` uploads an ``m.file`` (encrypted in encrypted rooms); ``import``
reads the file a message carries or replies to (decrypting it when it came encrypted).

An upload is not part of a command's transaction (it is network I/O): the command's text reply is
committed first, then the file is uploaded and its ``m.file`` event queued in the reply outbox
under a transaction ID derived from the command's event, so it is sent at most once.
"""
from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from nio import AsyncClient, MegolmEvent, RoomGetEventResponse, UploadResponse
from nio.crypto.attachments import decrypt_attachment

from bot.core.render import FileOut
from bot.store.base import Store

log = logging.getLogger(__name__)

FILE_TYPES = ("m.file",)


def file_txn_id(event_id: str) -> str:
    """The ``m.file`` answering ``event_id`` has its own, equally stable, transaction ID."""
    return "file-" + hashlib.sha256(event_id.encode()).hexdigest()[:32]


def file_content(f: FileOut, url: str, keys: dict[str, Any] | None, in_reply_to: str) -> dict[str, Any]:
    """An ``m.file`` event: ``url`` plain, or ``file`` (key, iv, hashes, url) when encrypted."""
    content: dict[str, Any] = {
        "msgtype": "m.file",
        "body": f.name,
        "filename": f.name,
        "info": {"mimetype": f.mimetype, "size": len(f.data)},
        "m.relates_to": {"m.in_reply_to": {"event_id": in_reply_to}},
        "m.mentions": {},
    }
    if keys:
        content["file"] = {**keys, "url": url}
    else:
        content["url"] = url
    return content


def caption(content: dict[str, Any]) -> str | None:
    """An ``m.file``'s caption (Matrix 1.10: ``body`` when ``filename`` is set and differs)."""
    body, name = content.get("body"), content.get("filename")
    if isinstance(body, str) and isinstance(name, str) and body.strip() and body != name:
        return body
    return None


class Files:
    def __init__(
        self, client: AsyncClient, store: Store, *, on_queued: Callable[[], None], clock: Callable[[], datetime]
    ) -> None:
        self.client = client
        self.store = store
        self.on_queued = on_queued
        self.clock = clock

    async def send_file(self, room_id: str, event_id: str, f: FileOut, now: datetime) -> bool:
        """Upload ``f`` and queue its ``m.file`` as a reply to ``event_id``."""
        room = self.client.rooms.get(room_id)
        encrypted = bool(room is not None and room.encrypted)
        try:
            resp, keys = await self.client.upload(
                io.BytesIO(f.data), content_type=f.mimetype, filename=f.name, encrypt=encrypted,
                filesize=len(f.data),
            )
        except Exception as exc:  # network trouble: the user can ask again
            log.warning("uploading a file to %s failed (%s)", room_id, type(exc).__name__)
            return False
        if not isinstance(resp, UploadResponse):
            log.warning("uploading a file to %s failed (%s)", room_id, getattr(resp, "message", resp))
            return False
        content = file_content(f, resp.content_uri, keys if encrypted else None, event_id)
        async with self.store.tx() as tx:
            await tx.enqueue_reply(file_txn_id(event_id), room_id, "m.file", content, int(now.timestamp() * 1000))
        self.on_queued()
        return True

    async def read(self, content: dict[str, Any], max_bytes: int) -> bytes | None:
        """The bytes of the file ``content`` describes (decrypted if need be); None if unreadable.

        A file whose declared size is over ``max_bytes`` is not downloaded: a stand-in one byte
        over the limit is returned, so the import explains the limit like for any big file.
        """
        info = content.get("info") if isinstance(content.get("info"), dict) else {}
        size = info.get("size") if isinstance(info, dict) else None
        if isinstance(size, int) and size > max_bytes:
            return b"\0" * (max_bytes + 1)
        enc = content.get("file") if isinstance(content.get("file"), dict) else None
        url = (enc or content).get("url")
        if not isinstance(url, str) or not url.startswith("mxc://"):
            return None
        try:
            resp = await self.client.download(mxc=url)
        except Exception as exc:
            log.warning("downloading a file failed (%s)", type(exc).__name__)
            return None
        data = getattr(resp, "body", None)
        if not isinstance(data, bytes):
            log.warning("downloading a file failed (%s)", getattr(resp, "message", type(resp).__name__))
            return None
        if enc is not None:
            try:
                data = decrypt_attachment(data, enc["key"]["k"], enc["hashes"]["sha256"], enc["iv"])
            except Exception as exc:  # wrong keys or a tampered file
                log.warning("decrypting a file failed (%s)", type(exc).__name__)
                return None
        return data[: max_bytes + 1]

    async def replied_file(self, room_id: str, event_id: str) -> dict[str, Any] | None:
        """The content of the ``m.file`` event ``event_id`` (a reply ``import`` points at it)."""
        resp = await self.client.room_get_event(room_id, event_id)
        if not isinstance(resp, RoomGetEventResponse):
            return None
        ev = resp.event
        if isinstance(ev, MegolmEvent):
            ev.room_id = room_id
            try:
                ev = self.client.decrypt_event(ev)
            except Exception:
                return None
        source = getattr(ev, "source", {})
        content = source.get("content") if isinstance(source, dict) else None
        if not isinstance(content, dict) or content.get("msgtype") not in FILE_TYPES:
            return None
        return content
