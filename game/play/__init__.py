"""Use cases: one function per user action, each in one transaction; they return what to broadcast."""
