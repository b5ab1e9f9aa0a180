"""Part of bootstrap: the factories of `bootstrap.Services`, one module per area.

`adapters` makes the real adapters; `deposits`, `reading`, `subscribers` and `staff` make the services
of each area from them. `bootstrap.Services` is all of them together, and bootstrap stays the one place
where real adapters are wired: nothing outside it builds these classes. Each factory imports its service's
modules when it is first called, so a function's cold start loads only what it uses.
"""
