"""Email/password accounts: password rules and hashing, access and refresh tokens, reset codes,
export and erasure of a person's data. Used by web_admin/ and by the bot's account commands."""
