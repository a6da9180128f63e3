"""Reports: turnaround and workload figures read from the job history, and their exports.

Read-only: nothing in this room writes to the database.
"""
