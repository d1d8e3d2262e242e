"""Shared helpers that are not settings: the GOV.UK form renderer and widgets (forms), API
plumbing (api), input bounds (bounds), the request size limit (limits), the database outage
handler (outage), the garbage-collector pause (collector) and the client address (client)."""
