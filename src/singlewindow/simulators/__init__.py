"""Built-in agency systems for the demo and the tests.

Customs, inspection & quarantine, commerce, maritime and border control simulators
stand outside the platform: they receive messages over HTTP like any agency system,
keep what they received, decide by configurable rules, and answer through the public
inbound API with their own agency API key.
"""
