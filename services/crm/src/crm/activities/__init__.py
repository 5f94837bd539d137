"""Activities: calls, emails, meetings, tasks and notes, and the follow-ups they leave."""
