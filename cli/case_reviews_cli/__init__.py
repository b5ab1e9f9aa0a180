"""`case-reviews`: the library staff's command line, against AWS or the local stack.

Not Lambda code: it is installed with the project (`[project.scripts]`), never shipped in the
layer. `app` is the typer application; each command group is its own module (`boards`, `records`,
`retention`, `queues`, `index`, `subscribers`, `importing`); `options` holds the options every
command takes, `stack` builds the stack's services, `output` and `progress` what staff see.
"""
