"""The machinery of lrtutor's site: an MkDocs plugin (``plugin.py``, the only module that
imports MkDocs) over plain-Python parts: the execution engine (``engine.py``), its cache
(``cache.py``), the fence scanner (``blocks.py``), snippet resolution and TeX to MathML
(``mathml.py``, a Python-Markdown extension). ``python -m lrtutor_site execute`` runs the
pages' sessions on their own."""
