"""The semantics of the standard SDMX REST endpoint that dataops serves (1.x and 2.x paths), without a server.

- `terms`: what the agency, id and version segments mean (``*``, ``all``, ``~``, ``latest``, ``+``,
  ``,``) and the ``references`` table, once for every path;
- `negotiation`: ``Accept`` and ``format=`` → the format a resource writes, and its media type;
- `request`: a path's segments and query parameters → a typed request (`DataRequest`,
  `StructureRequest`, `AvailabilityRequest`), every check a client can fail done there;
- `key_filters`: 2.x ``c[...]`` filters, folded into the series key;
- `answers`: a request → an `Answer` (media type and body), asking `dataops.sdmx.service` and the writers.

The server's handlers (``jupyterlab_dataops/handlers/sdmx_rest.py``) only build the request from the
HTTP request and write the answer.
"""
