"""Use cases, one function per user action, each in one unit of work.

Mutating services return a result whose ``changes`` (a :class:`Changes`) says
what kinds of record changed, so a front end refreshes only what it shows.
"""
