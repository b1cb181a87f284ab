"""Build and test machinery for *Derivatives for Machine Learning*.

`blocks` finds every Python block a page shows, `runner` executes one
the same way for the build and for the tests, `fence` renders blocks
into pages, and `pytest_plugin` turns each block into a test.
"""
