"""Domain models and rules: no AWS, no HTTP, no clock (time comes in as an argument)."""
