"""Reaching people outside the page: queued email, web push, quiet hours. Knows no practice."""
