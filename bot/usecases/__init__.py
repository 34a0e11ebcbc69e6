"""Rebound's use cases, one module per job; bot/core.py routes the adapters' calls to them.

kit, checks, care, effort and outcome are the shared kit: the person a use case serves,
input checks, care and safety, points and milestones, and how a use case's Outcome becomes
the replies a person reads (care first or alone, missed-DM notices, kind errors).
"""
