"""whoiswho: who is who at the top of a company."""
