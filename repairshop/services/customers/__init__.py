"""Customers: what we tell them (messages in their language) and, later, what we hear from
them (feedback) and everything about one customer (the customer card, GDPR requests).
"""
