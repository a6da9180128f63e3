"""The shop itself: its settings, the people who work there, opening hours and backups.

Everything above this room may read the settings; nothing here knows about jobs or parts.
"""
