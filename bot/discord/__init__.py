"""StoryBot on Discord: a thin front end on the answer engine.

Modules, from the edge inwards::

    launch     ``storybot run``/``sync``: the token from $DISCORD_TOKEN, wiring, one-line failures
    client     StoryBotClient (AutoShardedClient): the handlers, mentions, command tree, sync
    commands   the slash commands (/ask, /sources, /help, /reload) built from the settings
    handlers   the protocol commands and buttons call back into (implemented by the client)
    sending    how a Reply reaches Discord: answer at once, or defer first; never pings anyone
    votes      the 👍/👎 buttons (persistent: they keep working after a restart)
    errors     the one error handler: known errors -> short private text, others -> reference id
    service    Answerer: cooldown, concurrency bound, engine off the event loop, feedback records
    admission  per-user cooldown and the bounded pool of answer slots (pure, clock injectable)
    render     answers, sources and help as embeds within Discord's limits (pure functions)
    limits     Discord's size limits; trimming at sentence/word boundaries; markdown escaping

Only ``client``, ``commands``, ``sending``, ``votes`` and ``errors`` touch Discord objects at run
time; ``render`` builds plain ``discord.Embed`` values and is tested without a network.
"""
