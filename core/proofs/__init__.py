"""Weekly photo proofs posted in a group's chat."""
