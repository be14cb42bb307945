-- The listeners of one host, read by every ingest that changes its sockets (what the alert rules
-- compare with, and which processes listen). Without this index PostgreSQL intersected the host's
-- open rows with every listener in the fleet (13,000 index entries with 1,000 hosts: ~1 ms a read,
-- growing with the fleet); with it, the read costs the host's own listeners.
CREATE INDEX "Socket_open_host_listening_idx" ON "sockscope_partitions"."Socket_open" ("hostId") WHERE "listening";
