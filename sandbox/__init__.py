"""Fortnox sandbox: a small Flask app simulating Fortnox's OAuth2 server and REST API v3."""
