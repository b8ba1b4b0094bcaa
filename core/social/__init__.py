"""The social side: learnings shared in groups, likes, and whom people trust."""
