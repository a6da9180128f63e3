"""Money: what a job costs and what the customer agreed to pay.

- :mod:`.price_list` — the services (labour items) with their prices, for every device or
  for one device type and brand;
- :mod:`.lines` — a job's lines as an invoice lists them (services, free text and the parts
  on the job), each with quantity, unit price, VAT rate, net, VAT and gross, and the total;
- :mod:`.approval` — the customer's approval of a price: how much, how, when, who took it.

The arithmetic is in :mod:`repairshop.domain.vat`; the job's current price and the guard
that refuses any step above the approved amount are in :mod:`..jobs.pricing`, below the
parts room, so that parts and the workflow keep to the approval without importing money.
"""
