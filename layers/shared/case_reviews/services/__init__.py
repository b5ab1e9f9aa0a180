"""Services: the use cases. They hold the business logic and reach AWS only through adapters."""
