"""The upstream snapshot: what each studied project's repository looks like today.

``fieldnotes refresh`` (:mod:`sphinx_fieldnotes.cli.refresh`) asks the code host's REST API about
every repository the notes link to and writes the answers to one JSON file committed with the site
(``fieldnotes_upstream_snapshot``, below the source directory); builds read only that file, so they
stay offline and reproducible.

- :mod:`.hosts`: which URLs name a repository on a host fieldnotes knows, and its snapshot key;
- :mod:`.versions`: how a studied version is matched to release tags, and releases counted since;
- :mod:`.site`: which entries of a site link to which repository, and the version each studied;
- :mod:`.snapshot`: the file's data model, its writer, and a reader that validates it and returns
  problems as data (never raises), for the build and the command alike;
- :mod:`.github`: the fetcher (GitHub's REST API, through httpx and tenacity);
- :mod:`.refresh`: one refresh of a whole site, with bounded concurrency and progress.

Only :mod:`.github` and :mod:`.refresh` import httpx and tenacity; nothing here imports Sphinx.
"""
