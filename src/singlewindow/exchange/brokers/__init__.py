"""Broker backends for the exchange: the outbox stays the source of truth, a broker only carries it.

``SW_EXCHANGE_BACKEND=database`` (the default) needs nothing here: the dispatcher claims
outbox rows itself. ``rabbitmq`` runs a relay (outbox → quorum queues, publisher confirms)
and consumers (queues → adapters → outcome committed → ack) on any number of machines.
"""
