"""Fakes for tests: a loopback Discord (REST + gateway) that the real discord.py client talks to.

``discord_openapi.json.gz`` is Discord's official OpenAPI description (API v10), gzip of the file
``specs/openapi.json`` of discord/discord-api-spec at commit 74fda0f (MIT licence, copyright 2023
Discord Inc.); the fake validates every JSON body the bot sends against it.
"""
