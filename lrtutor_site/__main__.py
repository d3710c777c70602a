"""``python -m lrtutor_site execute``: see lrtutor_site/execute.py."""

from lrtutor_site.execute import main

if __name__ == "__main__":  # the workers never import this module again (engine.py)
    raise SystemExit(main())
