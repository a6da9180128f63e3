"""The ``repairshop`` sub-commands, a module per room of the shop.

Each module has ``register(commands)``, which adds its parsers to the
sub-parser set and gives each a ``handler(args, db) -> int`` through
``set_defaults``. :mod:`repairshop.cli` lists the modules and does the wiring.
"""
