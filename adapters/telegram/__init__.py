"""Telegram: python-telegram-bot translates updates into bot requests and renders the replies."""
