"""The tool finder behind /findtool: an offline BM25 ranker and an AI port (OpenAI, Groq)."""
