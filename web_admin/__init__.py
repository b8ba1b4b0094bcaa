"""The FastAPI admin and its email/password account API (planned; nothing is served yet).

It will depend on bot/ and core/ like the chat adapters do, never the other way round.
"""
