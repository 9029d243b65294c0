"""Follow-ups, abnormal-list proposals, leads and the entity's integrity file."""
