"""The national case review repository: the code every function shares (the Lambda layer)."""
