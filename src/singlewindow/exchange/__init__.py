"""The durable exchange: outbox, dispatcher, adapters, inbound API, inbox and message archive."""
