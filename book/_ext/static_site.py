"""Sphinx extension: keep the published book a static site.

The book never runs code in the browser, so the interactive-kernel (thebe)
scripts that Jupyter Book adds to every page are dropped; they also declare
the same constant twice, which raises a console error on each page.
"""


def _drop_thebe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files", [])
    kept, seen = [], set()
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body", "")
        name = str(script)
        if "thebe" in name or "THEBE_JS_URL" in body:
            continue
        key = (name, body)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
