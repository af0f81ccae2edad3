"""Operations of a running bot: health, metrics, the HTTP endpoint, graceful shutdown.

Nothing here imports discord: the Discord client reports events to these objects, which are
tested on their own. The whole API a front end needs::

    ops = Operations(settings.ops)          # health + metrics + lifecycle (+ server if enabled)
    await ops.start()                       # /healthz says "index not loaded" while it loads
    engine = await asyncio.to_thread(open_engine, settings, warm=True)
    ops.index_loaded(engine)                # also after engine.reload()
    return await ops.run(client.start(token), close=client.close)   # SIGTERM -> drain -> 0

    # in the Discord client, per gateway shard
    ops.health.expect_shards(shard_ids)                # every shard this process runs
    ops.health.mark_gateway_connected(shard_id)        # on_shard_connect / on_shard_resumed
    ops.health.mark_gateway_disconnected(shard_id)     # on_shard_disconnect
    ops.health.heartbeat_ack(latency, shard_id)        # a new HEARTBEAT_ACK (polled latencies)
    with ops.lifecycle.track():             # the whole interaction, until its reply is sent
        started = time.monotonic()
        try:
            with ops.lifecycle.admit():     # raises ShuttingDown once SIGTERM arrived
                answer = await asyncio.to_thread(engine.ask, question)
            ops.metrics.observe_answer(answer, seconds=time.monotonic() - started)
        except ShuttingDown:
            ops.metrics.refused()           # and reply "restarting, ask again in a minute"
        except QuestionError:
            ...                             # a user mistake, not counted as an error
        except Exception:
            ops.metrics.error()
            raise
        await send_the_reply()

``GET /healthz`` answers 200 ``{"status": "ok", ...}`` when the index is loaded, every gateway
shard of this process is connected with a recent heartbeat ack, and no shutdown has begun;
otherwise 503 with ``reasons``. ``GET /metrics`` is the Prometheus text exposition (see
``bot.ops.metrics`` for the names).

Modules: ``health`` (HealthState), ``metrics`` (Metrics), ``lifecycle`` (ShutdownCoordinator,
ShuttingDown), ``server`` (OpsServer, make_app), ``operations`` (Operations, wiring them).
"""

from bot.ops.health import HealthReport, HealthState
from bot.ops.lifecycle import ShutdownCoordinator, ShuttingDown
from bot.ops.metrics import Metrics
from bot.ops.operations import Operations
from bot.ops.server import OpsServer, OpsServerError, make_app

__all__ = [
    "HealthReport",
    "HealthState",
    "Metrics",
    "Operations",
    "OpsServer",
    "OpsServerError",
    "ShutdownCoordinator",
    "ShuttingDown",
    "make_app",
]
