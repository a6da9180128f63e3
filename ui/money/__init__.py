"""The money room of the desktop app: the job card's Money panel and the price list.

``ui.money.job_money_panel.JobMoneyPanel`` is the card's panel (lines, VAT, the total, the
customer's approval); ``ui.money.services_view.ServicesView`` is the price list of services
in the Parts area. This package imports nothing itself, so :mod:`ui.money.refusals` can be
used by :mod:`ui.context` without a cycle.
"""
