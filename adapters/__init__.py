"""Chat platforms: each translates its events into bot requests and renders the replies."""
