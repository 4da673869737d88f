"""The MLLP listener for the hospital's admissions feed: an asyncio server (``hl7.mllp``) that
hands each message to ``feed_message_receive`` and writes back its ACK. Run as its own process
(``manage.py hl7_listener``); the tests start it in a thread on 127.0.0.1."""

import asyncio
import logging

from asgiref.sync import sync_to_async
from django.db import close_old_connections
from hl7.mllp import start_hl7_server

from ccc.models import User
from discharge.services.feed import feed_message_receive

log = logging.getLogger(__name__)


def _receive(raw: str, actor_id: int) -> str:
    close_old_connections()  # a long-running process: never use a connection the database dropped
    answer = feed_message_receive(raw=raw, actor=User.objects.get(pk=actor_id))
    log.info("HL7 message answered %s: %s", answer.code, answer.text)
    return answer.ack


async def _handle(reader, writer, actor_id: int) -> None:
    peer = writer.get_extra_info("peername")
    try:
        while not writer.is_closing():
            try:
                block = await reader.readblock()
            except asyncio.IncompleteReadError:
                break  # the sender closed the connection
            raw = block.decode("utf-8", errors="replace")
            ack = await sync_to_async(_receive, thread_sensitive=True)(raw, actor_id)
            writer.writeblock(ack.encode("utf-8"))
            await writer.drain()
    except Exception:
        log.exception("HL7 connection from %s failed", peer)
    finally:
        writer.close()


async def serve(host: str, port: int, actor_id: int, started: asyncio.Event | None = None) -> None:
    async def handle(reader, writer):
        await _handle(reader, writer, actor_id)

    server = await start_hl7_server(handle, host=host, port=port)
    log.info("HL7 listener on %s:%s", host, port)
    if started is not None:
        started.set()
    async with server:
        await server.serve_forever()

