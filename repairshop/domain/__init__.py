"""The shop's rules: statuses and their moves, job types, validation, ticket codes.

Nothing here does I/O; services apply these rules inside a unit of work.
"""
