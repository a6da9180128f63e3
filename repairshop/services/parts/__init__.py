"""Parts: the catalogue, the stock ledger, parts reserved and used on jobs, purchase orders,
stock take and the CSV import. Stock only ever changes through the ledger in :mod:`.stock`.
"""
