"""`aiorg serve`: the knowledge base as a browsable, searchable Datasette site.

tables    the site's extra tables, added to the SQLite export (search names, deal figures, the
          timeline, talent flows, firm families, disputed facts, the departures `people --left`
          lists), each built by the library's own queries
canned    the canned questions (who_left, deals_over, timeline, flows, search, conflicts) as SQL
metadata  Datasette's metadata, written from the model (titles, descriptions, facets, labels)
site      build or reuse the database in the cache, and run Datasette until stopped
texts     the archived texts a build read, so a reused build's `checked` matches the texts as they are
plugins/  the Datasette plugin shipped with aiorg: money as $14.3B, sources with their quotes,
          and the aiorg_norm() SQL function the searches use
"""
