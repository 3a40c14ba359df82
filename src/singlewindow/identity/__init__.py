"""Parties (enterprises, agencies, the operator), their users, API keys and sign-in."""
