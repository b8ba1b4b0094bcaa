"""People and the chat identities that lead to them."""
