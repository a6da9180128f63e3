"""After-sales: the warranty decision explained and overridden, complaints and their legal
deadlines, returns and RMA, a device's history.

The decision itself is made at intake (the jobs room, below this one) by the pure
:func:`repairshop.domain.warranty.decide`; :mod:`.warranty` reads it back with every rule
tried and lets a manager override it, with the reason kept in the job's history.
"""
