"""Jobs: intake at the counter, the status workflow, corrections, the job lists and search.

:mod:`.workflow` holds the one move of a job (:func:`~.workflow.change_status`); other
rooms that move a job call it and react to its events, never the other way round.
"""
