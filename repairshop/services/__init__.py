"""Use cases, one function per user action, each in one unit of work.

The rooms, lowest first (a room imports only from rooms below it; the layer test in
``tests/unit/test_layers.py`` enforces it):

- this folder's own modules — :mod:`.uow` (one transaction per action), :mod:`.changes`
  (what an action changed), :mod:`.events` (what a room announces for the rooms above it
  to react to, in the same transaction), :mod:`.database` (engine, migrations),
  :mod:`.watch` (what other desks changed);
- :mod:`.shop` — the shop's settings, people, opening hours and backups;
- :mod:`.jobs` — intake, the status workflow, details, lists, search, customer lookup;
- :mod:`.parts` — the catalogue, the stock ledger, parts on jobs, purchasing, stock take;
- :mod:`.aftersales` — warranty decisions, complaints and their deadlines, returns, RMA;
- :mod:`.money` — prices, quotes and approvals, collection, invoices, payments, takings;
- :mod:`.customers` — what we tell customers and hear from them, the customer card;
- :mod:`.reports` — turnaround, workload and their exports.

Mutating services return a result whose ``changes`` (a :class:`~.changes.Changes`) names
every record the action changed, also what the handlers of its events changed, so a front
end refreshes only what it shows. Which handler reacts to which event is wired above every
room, in :mod:`repairshop.bootstrap`, the one place a database is opened.
"""
