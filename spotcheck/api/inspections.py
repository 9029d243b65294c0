"""Visits, results, reviews and follow-ups."""

from ninja import Router

router = Router()
