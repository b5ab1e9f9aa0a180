"""Services: the use cases. They hold the business logic and reach the world only through ports."""
