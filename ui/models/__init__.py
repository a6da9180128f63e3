"""Item models: lazy, holding ids, fetching the rows a view shows."""
