"""Inspector field pages, result entry, evidence and review (phone-first)."""
