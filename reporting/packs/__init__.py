"""Packs: requested PDF chronologies for meetings, built in the background (tasks.py, pdf/)."""
